"""numpy.linalg: norm, and matmul-based helpers. The decompositions (inv, solve, eig, svd...) are not available."""

import math as _math

from numpy import _fromnumeric as _F
from numpy import _umath as _U
from numpy._multiarray import asarray


class LinAlgError(ValueError):
    pass


def norm(x, ord=None, axis=None, keepdims=False):  # noqa: A002
    """The 2-norm of a vector (or the Frobenius norm of a matrix), or ord in 1, inf, -inf along axis."""
    x = asarray(x)
    if x.dtype.kind != 'f':
        x = x.astype('float64')
    if ord is None or ord == 2 and (axis is not None and not isinstance(axis, tuple) or x.ndim == 1) or ord == 'fro':
        return _U.sqrt(_F.sum(_U.multiply(x, x), axis=axis, keepdims=keepdims))
    if ord == 1 and (x.ndim == 1 or axis is not None):
        return _F.sum(_U.absolute(x), axis=axis, keepdims=keepdims)
    if ord == _math.inf and (x.ndim == 1 or axis is not None):
        return _F.amax(_U.absolute(x), axis=axis, keepdims=keepdims)
    if ord == -_math.inf and (x.ndim == 1 or axis is not None):
        return _F.amin(_U.absolute(x), axis=axis, keepdims=keepdims)
    raise NotImplementedError(f"numpy.linalg.norm(ord={ord!r}) is not available in backprop-ninja's numpy")


def matrix_power(a, n):
    a = asarray(a)
    r = _F.eye(a.shape[0], dtype=a.dtype)
    for _ in range(n):
        r = _F.matmul(r, a)
    return r


def __getattr__(name):
    if name.startswith('__'):
        raise AttributeError(name)
    raise NotImplementedError(f"numpy.linalg.{name} is not available in backprop-ninja's numpy; available: norm, "
                              'matrix_power')
