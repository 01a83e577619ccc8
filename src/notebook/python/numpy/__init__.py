"""backprop-ninja's numpy: numpy 1.24's API for the notebook runtime, on the project's tensor library.

An ndarray holds a torch tensor (the same TypeScript tensor library `import torch` uses, through torch's
public API) and a numpy dtype; numpy's own semantics are kept on top: its dtypes (float64 and int64 by
default, float32, float16, int8/16/32, uint8/16/32/64, bool) and 1.24's promotion with value-based casting of
scalars, integer wrap-around, its summation order, its printing (arrayprint and Dragon4, character for
character), scalars (np.float64(...)) where numpy returns them, its error messages, and np.random's legacy
RandomState streams bit for bit. ``torch.from_numpy(a)`` and ``a`` share memory; so do ``t.numpy()`` and ``t``.

What is here is listed in docs/numpy.md; anything else raises AttributeError (a missing function) or
NotImplementedError (a missing option or dtype) naming it. Not reproduced: complex, string, object, datetime
and structured dtypes; integers past 2**53 (the tensor library's exact range); the bits of transcendental
functions (exp, log, tanh, sin...: the tensor library's, within an ulp or two of numpy's SIMD kernels) and of
matmul/dot (numpy calls BLAS); printing in the legacy modes.
"""

import math as _math

from numpy import _dtypes
from numpy._dtypes import (dtype, generic, number, integer, signedinteger, unsignedinteger, inexact, floating,
                           bool_, int8, int16, int32, int64, uint8, uint16, uint32, uint64, float16, float32,
                           float64, True_, False_, promote_types, result_type, can_cast, min_scalar_type, issubdtype)
from numpy import _multiarray
from numpy._multiarray import (ndarray, array, asarray, asanyarray, ascontiguousarray, broadcast_shapes, AxisError)
from numpy import _umath
from numpy._umath import (ufunc, UFuncTypeError, add, subtract, multiply, true_divide, divide, floor_divide,
                          remainder, mod, fmod, power, float_power, maximum, minimum, fmax, fmin, equal, not_equal,
                          less, less_equal, greater, greater_equal, logical_and, logical_or, logical_xor,
                          logical_not, bitwise_and, bitwise_or, bitwise_xor, invert, left_shift, right_shift,
                          negative, positive, absolute, sign, square, reciprocal, sqrt, exp, exp2, expm1, log, log2,
                          log10, log1p, sin, cos, tan, arcsin, arccos, arctan, sinh, cosh, tanh, arcsinh, arccosh,
                          arctanh, arctan2, hypot, floor, ceil, trunc, rint, isnan, isinf, isfinite, signbit,
                          copysign, deg2rad, rad2deg, degrees, radians, cbrt, logaddexp, heaviside, conjugate, conj)
from numpy import _fromnumeric
from numpy._fromnumeric import (zeros, ones, empty, full, zeros_like, ones_like, empty_like, full_like, copy, arange,
                                linspace, logspace, eye, identity, diag, diagonal, trace, tri, tril, triu, meshgrid,
                                broadcast_to, broadcast_arrays, reshape, ravel, transpose, swapaxes, moveaxis,
                                expand_dims, squeeze, atleast_1d, atleast_2d, atleast_3d, concatenate, concat, stack,
                                vstack, row_stack, hstack, dstack, column_stack, array_split, split, flip, fliplr,
                                flipud, roll, tile, repeat, take, append, delete, sum, mean, var, std, amax, amin,
                                ptp, argmax, argmin, all, any, prod, cumsum, cumprod, diff, average, median,
                                percentile, quantile, count_nonzero, nonzero, flatnonzero, argwhere, where, clip,
                                round_, around, fix, sort, argsort, take_along_axis, unique, searchsorted, lexsort,
                                matmul, dot, vdot, inner, outer, cross, isclose, allclose, array_equal, array_equiv,
                                shape, ndim, size, isscalar, iterable, histogram, bincount, interp, convolve, cov,
                                corrcoef, nan_to_num, nansum, nanmax, nanmin, nanmean, may_share_memory, shares_memory)
from numpy._fromnumeric import max, min, round  # noqa: A004 (numpy's names)
from numpy import arrayprint
from numpy.arrayprint import (set_printoptions, get_printoptions, printoptions, array2string, array_repr, array_str,
                              format_float_positional, format_float_scientific)
from numpy import random
from numpy import linalg
from numpy import _interop

__version__ = '1.24.2+backprop.ninja'

abs = absolute  # noqa: A001
float_ = double = float64
single = float32
half = float16
int_ = intp = longlong = int64
intc = int32
short = int16
byte = int8
uint = uintp = ulonglong = uint64
uintc = uint32
ushort = uint16
ubyte = uint8
bool8 = bool_
longdouble = longfloat = float64

pi = _math.pi
e = _math.e
euler_gamma = 0.5772156649015329
inf = Inf = Infinity = PINF = infty = _math.inf
NINF = -_math.inf
nan = NaN = NAN = _math.nan
PZERO = 0.0
NZERO = -0.0
newaxis = None


class finfo:
    """Machine limits of a float type: eps, max, min, tiny, resolution, bits, precision."""
    _TABLE = {
        'float64': (2.220446049250313e-16, 1.7976931348623157e+308, 2.2250738585072014e-308, 1e-15, 64, 15),
        'float32': (1.1920928955078125e-07, 3.4028234663852886e+38, 1.1754943508222875e-38, 1e-06, 32, 6),
        'float16': (0.0009765625, 65504.0, 6.103515625e-05, 0.001, 16, 3),
    }

    def __init__(self, dtype_):
        d = _dtypes._resolve(dtype_ if not isinstance(dtype_, float) else float64)
        if d.kind != 'f':
            raise ValueError(f'data type {d.type!r} not inexact')
        self.dtype = d
        eps, mx, tiny, res, bits, prec = self._TABLE[d.name]
        t = d.type
        self.eps, self.max, self.min, self.tiny = t(eps), t(mx), t(-mx), t(tiny)
        self.smallest_normal = self.tiny
        self.resolution, self.bits, self.precision = t(res), bits, prec

    def __repr__(self):
        return f'finfo(resolution={self.resolution!r}, min={self.min!r}, max={self.max!r}, dtype={self.dtype})'


class iinfo:
    """Machine limits of an integer type: min, max, bits."""

    def __init__(self, int_type):
        d = _dtypes._resolve(int_type)
        if d.kind not in 'iu':
            raise ValueError(f'Invalid integer data type {d.kind!r}.')
        self.dtype, self.min, self.max, self.bits = d, d.min, d.max, d.bits

    def __repr__(self):
        return f'iinfo(min={self.min}, max={self.max}, dtype={self.dtype})'


_errstate = {'divide': 'warn', 'over': 'warn', 'under': 'ignore', 'invalid': 'warn'}


def seterr(all=None, divide=None, over=None, under=None, invalid=None):  # noqa: A002
    """Accepted (this numpy does not warn about floating-point errors); returns the previous settings."""
    old = dict(_errstate)
    for k, v in (('divide', divide), ('over', over), ('under', under), ('invalid', invalid)):
        if v is not None or all is not None:
            _errstate[k] = v if v is not None else all
    return old


def geterr():
    return dict(_errstate)


class errstate:
    """with np.errstate(divide='ignore'): accepted (see seterr)."""

    def __init__(self, **kw):
        self._kw = kw

    def __enter__(self):
        self._old = seterr(**self._kw)

    def __exit__(self, *exc):
        seterr(**self._old)

    def __call__(self, f):
        def g(*a, **k):
            with self:
                return f(*a, **k)
        return g


def __getattr__(name):
    if name.startswith('__'):
        raise AttributeError(name)
    raise AttributeError(f"module 'numpy' has no attribute '{name}' (not implemented by backprop-ninja's numpy; "
                         'docs/numpy.md lists what is)')
