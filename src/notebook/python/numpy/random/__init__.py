"""numpy.random: the legacy RandomState API (np.random.seed, rand, randn, randint, choice, shuffle, permutation,
normal, uniform, random/random_sample, standard_normal, get_state/set_state), bit for bit with numpy 1.24
(see mtrand.py). The Generator API (default_rng) and the other distributions are not available: they raise
NotImplementedError naming what is."""

from numpy.random.mtrand import (RandomState, choice, get_state, normal, permutation, rand, randint, randn, random,
                                 random_sample, ranf, sample, seed, set_state, shuffle, standard_normal, uniform,
                                 _FUNCTIONS)

__all__ = ['RandomState'] + list(_FUNCTIONS)


def __getattr__(name):
    if name.startswith('__'):
        raise AttributeError(name)
    raise NotImplementedError(
        f"numpy.random.{name} is not available in backprop-ninja's numpy; available: RandomState and the legacy "
        "functions " + ', '.join(_FUNCTIONS))
