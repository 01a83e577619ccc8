"""numpy.random's legacy API (RandomState, and the module functions over one global RandomState), bit for bit
with numpy 1.24: the draws are made in TypeScript (src/core/random/numpy.ts, through the _bpn_numpy module),
a whole array per call; this module is numpy's mtrand.pyx logic around them (argument handling, shapes, the
return types: a Python float/int for size=None, an ndarray otherwise, and choice's and permutation's
algorithms).

The global generator is seeded from OS entropy at import, as numpy's is, or from the run's seed
(``backprop-ninja notebook --seed N``: the same stream as ``np.random.seed(N)``).
"""

import json as _json
import math as _math
import operator as _operator
from array import array as _array

import _bpn_numpy as _J
import torch as _torch

from numpy import _dtypes as _d
from numpy import _multiarray as _m
from numpy._dtypes import float64_dtype, int64_dtype, uint32_dtype, _resolve
from numpy._multiarray import ndarray, asarray, _wrap


def _shape(size):
    if size is None:
        return None
    if isinstance(size, (list, tuple)):
        return tuple(_operator.index(s) for s in size)
    if isinstance(size, ndarray):
        return tuple(int(s) for s in size.tolist())
    return (_operator.index(size),)


def _count(shape):
    n = 1
    for s in shape:
        if s < 0:
            raise ValueError('negative dimensions are not allowed')
        n *= s
    return n


def _floats(js, shape):
    """A Float64Array from the bridge as an ndarray of float64 in the given shape."""
    vals = js.to_py().tolist()
    return _wrap(_torch.tensor(vals, dtype=_torch.float64).reshape(shape), float64_dtype)


def _ints(vals, shape, d):
    return _wrap(_torch.tensor(vals, dtype=_torch.int64).reshape(shape) if vals else
                 _torch.zeros(shape, dtype=_torch.int64), d) if d.kind != 'b' else _wrap(
        _torch.tensor(vals, dtype=_torch.bool).reshape(shape) if vals else _torch.zeros(shape, dtype=_torch.bool), d)


def _kahan_sum(v):
    s = v[0]
    c = 0.0
    for x in v[1:]:
        y = x - c
        t = s + y
        c = (t - s) - y
        s = t
    return s


def _bounds_error(closed, low):
    if not closed:
        return 'high <= 0' if low == 0 else 'low >= high'
    return 'low > high'


class RandomState:
    """numpy's legacy generator (MT19937): RandomState(seed) with an int in [0, 2**32 - 1], an array of such ints,
    or None (OS entropy)."""

    def __init__(self, seed=None):
        self._id = _J.newState()
        if seed is not None:
            self._legacy_seeding(seed)

    def __del__(self):
        try:
            _J.freeState(self._id)
        except Exception:  # noqa: BLE001 - interpreter shutdown
            pass

    def __repr__(self):
        return f'RandomState(MT19937) at 0x{id(self):X}'

    def __str__(self):
        return 'RandomState(MT19937)'

    # -- seeding and state
    def _legacy_seeding(self, seed):
        if isinstance(seed, ndarray) and seed.ndim == 0:
            seed = seed.item()
        try:
            idx = _operator.index(seed)
        except TypeError:
            obj = asarray(seed)
            if obj.size == 0:
                raise ValueError('Seed must be non-empty') from None
            if obj.dtype.kind not in 'biu':
                what = 'scalar' if obj.ndim == 0 else 'array data'
                raise TypeError(f"Cannot cast {what} from {obj.dtype!r} to dtype('int64') according to the rule "
                                "'safe'") from None
            if obj.ndim != 1:
                raise ValueError('Seed array must be 1-d') from None
            words = obj.tolist()
            if any(w > 2 ** 32 - 1 or w < 0 for w in words):
                raise ValueError('Seed must be between 0 and 2**32 - 1') from None
            _J.seedArray(self._id, _array('d', words))
            return
        if idx > 2 ** 32 - 1 or idx < 0:
            raise ValueError('Seed must be between 0 and 2**32 - 1')
        _J.seed(self._id, idx)

    def seed(self, seed=None):
        if seed is None:
            _J.seedEntropy(self._id)
        else:
            self._legacy_seeding(seed)

    def get_state(self, legacy=True):
        s = _json.loads(_J.getState(self._id))
        key = _wrap(_torch.tensor(s['key'], dtype=_torch.int64), uint32_dtype)
        if legacy:
            return ('MT19937', key, s['pos'], int(s['hasGauss']), float(s['gauss']))
        return {'bit_generator': 'MT19937', 'state': {'key': key, 'pos': s['pos']}, 'has_gauss': int(s['hasGauss']),
                'gauss': float(s['gauss'])}

    def set_state(self, state):
        if isinstance(state, dict):
            if 'bit_generator' not in state or 'state' not in state:
                raise ValueError('state dictionary is not valid.')
            key, pos = state['state']['key'], state['state']['pos']
            has_gauss, gauss = state.get('has_gauss', 0), state.get('gauss', 0.0)
        else:
            if not isinstance(state, (tuple, list)):
                raise TypeError('state must be a dict or a tuple.')
            if state[0] != 'MT19937':
                raise ValueError('set_state can only be used with legacy MT19937state instances.')
            key, pos = state[1], state[2]
            has_gauss, gauss = (state[3], state[4]) if len(state) > 3 else (0, 0.0)
        key = [int(k) for k in (key.tolist() if isinstance(key, ndarray) else key)]
        if len(key) != 624:
            raise ValueError('state must be 624 elements')
        _J.setState(self._id, _json.dumps({'key': key, 'pos': int(pos), 'hasGauss': bool(has_gauss),
                                           'gauss': float(gauss)}))

    # -- floats
    def random_sample(self, size=None):
        """Floats in [0, 1): numpy's next_double (53 bits from two 32-bit words)."""
        shape = _shape(size)
        if shape is None:
            return _J.random(self._id, 1).to_py()[0]
        return _floats(_J.random(self._id, _count(shape)), shape)

    def random(self, size=None):
        return self.random_sample(size)

    def rand(self, *args):
        return self.random_sample() if not args else self.random_sample(args)

    def randn(self, *args):
        return self.standard_normal() if not args else self.standard_normal(args)

    def standard_normal(self, size=None):
        """Normals by numpy's legacy polar method (legacy_gauss), the pair's second value cached in the state."""
        shape = _shape(size)
        if shape is None:
            return _J.normal(self._id, 1, 0.0, 1.0).to_py()[0]
        return _floats(_J.normal(self._id, _count(shape), 0.0, 1.0), shape)

    def normal(self, loc=0.0, scale=1.0, size=None):
        """loc + scale * legacy_gauss(), element by element (loc and scale may be arrays that broadcast)."""
        la, sa = asarray(loc), asarray(scale)
        if la.ndim == 0 and sa.ndim == 0:
            lv, sv = float(la.item()), float(sa.item())
            if sv < 0:
                raise ValueError('scale < 0')
            shape = _shape(size)
            if shape is None:
                return _J.normal(self._id, 1, lv, sv).to_py()[0]
            return _floats(_J.normal(self._id, _count(shape), lv, sv), shape)
        if bool((sa < 0).any()):
            raise ValueError('scale < 0')
        shape = _m.broadcast_shapes(la.shape, sa.shape) if size is None else _shape(size)
        g = _floats(_J.normal(self._id, _count(shape), 0.0, 1.0), shape)
        from numpy import _umath as _u
        return _u.add(la.astype(float64_dtype), _u.multiply(sa.astype(float64_dtype), g))

    def uniform(self, low=0.0, high=1.0, size=None):
        """low + (high - low) * next_double(), element by element."""
        la, ha = asarray(low), asarray(high)
        if la.ndim == 0 and ha.ndim == 0:
            lv, hv = float(la.item()), float(ha.item())
            rng = hv - lv
            if not _math.isfinite(rng):
                raise OverflowError('Range exceeds valid bounds')
            shape = _shape(size)
            if shape is None:
                return _J.uniform(self._id, 1, lv, rng).to_py()[0]
            return _floats(_J.uniform(self._id, _count(shape), lv, rng), shape)
        from numpy import _umath as _u
        rng = _u.subtract(ha.astype(float64_dtype), la.astype(float64_dtype))
        shape = rng.shape if size is None else _shape(size)
        u = _floats(_J.random(self._id, _count(shape)), shape)
        return _u.add(la.astype(float64_dtype), _u.multiply(rng, u))

    # -- integers
    def randint(self, low, high=None, size=None, dtype=int):
        """Integers in [low, high) by numpy's masked rejection (one 32-bit word a draw below 2**32, a 64-bit one
        above; 16-, 8- and 1-bit pieces of a word for the narrow dtypes)."""
        if high is None:
            high = low
            low = 0
        d = _resolve(dtype)
        if d.kind not in 'biu':
            raise TypeError(f'Unsupported dtype {d!r} for randint')
        la, ha = asarray(low), asarray(high)
        if la.ndim or ha.ndim:
            raise NotImplementedError("numpy.random.randint with array bounds is not available in backprop-ninja's "
                                      'numpy')
        shape = _shape(size)
        if shape is not None and _count(shape) == 0:
            return _wrap(_torch.zeros(shape, dtype=_m._storage(d)), d)
        lo, hi = int(la.item()), int(ha.item()) - 1
        lb, ub = (0, 1) if d.kind == 'b' else (d.min, d.max)
        if lo < lb:
            raise ValueError(f'low is out of bounds for {d.name}')
        if hi > ub:
            raise ValueError(f'high is out of bounds for {d.name}')
        if lo > hi:
            raise ValueError(_bounds_error(False, lo))
        rng = hi - lo
        n = 1 if shape is None else _count(shape)
        bits = 1 if d.kind == 'b' else d.bits
        if bits <= 16:
            js = _J.boundedNarrow(self._id, n, lo, rng, bits)
        else:
            if rng >= 2 ** 53 or abs(lo) >= 2 ** 53 or abs(hi) >= 2 ** 53:
                raise NotImplementedError("numpy.random.randint over a range past 2**53 is not available in "
                                          "backprop-ninja's numpy (its integers are exact up to 2**53)")
            js = _J.bounded(self._id, n, lo, rng)
        vals = [int(v) for v in js.to_py().tolist()]
        if d.kind == 'b':
            vals = [bool(v) for v in vals]
        if shape is None:
            v = vals[0]
            if dtype in (int, bool):
                return dtype(v)
            return _d.scalar(v, d)
        return _ints(vals, shape, d)

    # -- permutations
    def _perm(self, n):
        return [int(v) for v in _J.permutation(self._id, n).to_py().tolist()]

    def shuffle(self, x):
        """Fisher-Yates from the end with numpy's random_interval; an array along its first axis, in place."""
        n = len(x)
        if isinstance(x, ndarray):
            if x.size == 0 or n < 2:
                if n >= 1:
                    self._perm(n)
                return
            perm = self._perm(n)
            src = x._t.clone()
            x._t[...] = src[_torch.tensor(perm, dtype=_torch.int64)]
            return
        if isinstance(x, list):
            perm = self._perm(n)
            x[:] = [x[i] for i in perm]
            return
        for i in reversed(range(1, n)):
            j = int(_J.interval(self._id, i))
            x[i], x[j] = x[j], x[i]

    def permutation(self, x):
        if isinstance(x, (int, _d.integer)) and not isinstance(x, bool):
            return _ints(self._perm(int(x)), (int(x),), int64_dtype)
        arr = asarray(x)
        if arr.ndim < 1:
            raise IndexError('x must be an integer or at least 1-dimensional')
        if arr.ndim == 1:
            arr = arr.copy()
            self.shuffle(arr)
            return arr
        idx = self._perm(arr.shape[0])
        return arr[_ints(idx, (len(idx),), int64_dtype)]

    def choice(self, a, size=None, replace=True, p=None):
        """numpy 1.24's choice: randint indices (replace, no p); a searchsorted over the normalised cumsum of p
        (replace, p); a permutation's head (no replace, no p); numpy's unique-filling loop (no replace, p)."""
        from numpy import _fromnumeric as F
        from numpy import _umath as U
        if isinstance(a, (list, tuple)) and a and any(isinstance(x, str) for x in a):
            # a sequence of strings: numpy would make a string array; one draw (size=None) returns the item
            if size is not None:
                raise NotImplementedError("numpy.random.choice over strings with size=... (a string array) is not "
                                          "available in backprop-ninja's numpy; draw indices: "
                                          'np.random.choice(len(a), size)')
            return a[self.choice(len(a), None, replace, p)]
        a = asarray(a) if not isinstance(a, ndarray) else a
        if a.ndim == 0:
            try:
                pop_size = _operator.index(a.item())
            except TypeError:
                raise ValueError('a must be 1-dimensional or an integer') from None
            if pop_size <= 0 and (size is None or _count(_shape(size)) != 0):
                raise ValueError('a must be greater than 0 unless no samples are taken')
        elif a.ndim != 1:
            raise ValueError('a must be 1-dimensional')
        else:
            pop_size = a.shape[0]
            if pop_size == 0 and (size is None or _count(_shape(size)) != 0):
                raise ValueError("'a' cannot be empty unless no samples are taken")
        pv = None
        if p is not None:
            d = len(p)
            atol = _math.sqrt(2.220446049250313e-16)
            if isinstance(p, ndarray) and p.dtype.kind == 'f':
                eps = {'float64': 2.220446049250313e-16, 'float32': 1.1920928955078125e-07,
                       'float16': 0.0009765625}[p.dtype.name]
                atol = max(atol, _math.sqrt(eps))
            pa = asarray(p).astype(float64_dtype)
            if pa.ndim != 1:
                raise ValueError("'p' must be 1-dimensional")
            if pa.size != pop_size:
                raise ValueError("'a' and 'p' must have same size")
            pv = pa.tolist()
            p_sum = _kahan_sum(pv) if d else 0.0
            if p_sum != p_sum:
                raise ValueError('probabilities contain NaN')
            if any(x < 0 for x in pv):
                raise ValueError('probabilities are not non-negative')
            if abs(p_sum - 1.) > atol:
                raise ValueError('probabilities do not sum to 1')
        is_scalar = size is None
        if not is_scalar:
            shape = _shape(size)
            size = _count(shape)
        else:
            shape = ()
            size = 1
        if replace:
            if pv is not None:
                cdf = F.cumsum(pa)
                cdf = U.true_divide(cdf, cdf[-1])
                uniform_samples = self.random_sample(shape)
                idx = F.searchsorted(cdf, uniform_samples, side='right')
                idx = asarray(idx).astype(int64_dtype)
            else:
                idx = self.randint(0, pop_size, size=shape)
        else:
            if size > pop_size:
                raise ValueError("Cannot take a larger sample than population when 'replace=False'")
            elif size < 0:
                raise ValueError('Negative dimensions are not allowed')
            if pv is not None:
                if sum(1 for x in pv if x > 0) < size:
                    raise ValueError('Fewer non-zero entries in p than size')
                n_uniq = 0
                pw = pa.copy()
                found = F.zeros(shape, int64_dtype)
                flat_found = found.ravel()
                while n_uniq < size:
                    x = self.rand(size - n_uniq)
                    if n_uniq > 0:
                        pw[flat_found[0:n_uniq]] = 0
                    cdf = F.cumsum(pw)
                    cdf = U.true_divide(cdf, cdf[-1])
                    new = F.searchsorted(cdf, x, side='right')
                    _, unique_indices = F.unique(new, return_index=True)
                    unique_indices = F.sort(unique_indices)
                    new = new[unique_indices]
                    flat_found[n_uniq:n_uniq + new.size] = new
                    n_uniq += new.size
                idx = found
            else:
                perm = self._perm(pop_size)[:size]
                idx = _ints(perm, (len(perm),), int64_dtype).reshape(shape)
        if is_scalar and isinstance(idx, ndarray):
            idx = idx.item(0)
        if a.ndim == 0:
            return idx
        if not is_scalar and isinstance(idx, ndarray) and idx.ndim == 0:
            return a[idx.reshape(1)].reshape(())
        return a[idx]

    def __getattr__(self, name):
        if name.startswith('_'):
            raise AttributeError(name)
        raise NotImplementedError(
            f"numpy.random.RandomState.{name} is not available in backprop-ninja's numpy; the legacy functions are: "
            + ', '.join(_FUNCTIONS))


_FUNCTIONS = ('seed', 'get_state', 'set_state', 'rand', 'randn', 'randint', 'random', 'random_sample', 'ranf',
              'sample', 'choice', 'shuffle', 'permutation', 'normal', 'standard_normal', 'uniform')


def _run_seed():
    """The run's seed (backprop-ninja notebook --seed N) when the runtime has one, else None."""
    try:
        import _bpn_kernel
    except ImportError:
        return None
    f = getattr(_bpn_kernel, 'run_seed', None)
    return f() if callable(f) else None


_rand = RandomState()
_seed = _run_seed()
if _seed is not None:
    _rand.seed(_seed if 0 <= _seed < 2 ** 32 else [(_seed >> (32 * k)) & 0xffffffff
                                                  for k in range((abs(_seed).bit_length() + 31) // 32)])
del _seed


def seed(seed=None):
    """np.random.seed: re-seeds the global RandomState (an int in [0, 2**32 - 1], an array of them, or None)."""
    _rand.seed(seed)


get_state = _rand.get_state
set_state = _rand.set_state
rand = _rand.rand
randn = _rand.randn
randint = _rand.randint
random = _rand.random
random_sample = _rand.random_sample
ranf = _rand.random_sample
sample = _rand.random_sample
choice = _rand.choice
shuffle = _rand.shuffle
permutation = _rand.permutation
normal = _rand.normal
standard_normal = _rand.standard_normal
uniform = _rand.uniform
