"""torch.nn: Module, Parameter and the layers learners use after makemore part 3 (Linear, Embedding,
BatchNorm1d, LayerNorm, Tanh, ReLU, Sequential, Flatten, Dropout, CrossEntropyLoss...), torch.nn.functional
and torch.nn.init, with PyTorch 1.13's behaviour and printing. See docs/torch-nn-optim.md."""

from . import functional, init, modules, parameter, utils  # noqa: F401
from .modules import *  # noqa: F401,F403
from .modules import __all__ as _modules_all
from .parameter import Parameter

__all__ = ['Parameter', 'functional', 'init', 'modules', 'parameter', 'utils'] + _modules_all


def __getattr__(name):
    raise AttributeError(f"module 'torch.nn' has no attribute '{name}' (not implemented by backprop-ninja's torch; "
                         f"torch.nn has: {', '.join(sorted(_modules_all))}, Parameter, functional, init, utils)")
