"""numpy's functions: creation, reductions, shape manipulation, sorting, linear algebra basics.

Reductions follow numpy 1.24's arithmetic, not only its results: a float sum adds in numpy's order (the
pairwise summation of its inner loop, blocks of 8 and halves past 128 values, over buffers of 8192 values,
each added to the running total; reduced axes before the last add row by row), so ``np.sum``, ``np.mean``,
``np.var`` and ``np.std`` give numpy's bits on C-ordered data (a transposed view may differ in the last bit:
numpy walks it in memory order). Integer sums are exact. ``mean``/``var``/``std`` of integers compute in
float64, as numpy does; ``sum`` of int8..int64 is int64, of unsigned types uint64.
"""

import builtins as _b
import math as _math
import operator as _operator
from array import array as _array

import _bpn_numpy as _J
import torch as _torch

from numpy import _dtypes as _d
from numpy import _multiarray as _m
from numpy import _umath as _u
from numpy._dtypes import (bool_dtype, float16_dtype, float32_dtype, float64_dtype, int64_dtype, uint64_dtype,
                           _resolve, cast_value, round32)
from numpy._multiarray import (ndarray, AxisError, array, asarray, _wrap, _storage, _norm_axis, _norm_axes,
                               _item_value, _tensor_from)

_m._F = __import__('sys').modules[__name__]


def _a(x):
    return x if isinstance(x, ndarray) else asarray(x)


def _shape_arg(shape):
    if isinstance(shape, int) or hasattr(shape, '__index__') and not isinstance(shape, (tuple, list)):
        shape = (_operator.index(shape),)
    else:
        shape = tuple(_operator.index(s) for s in shape)
    for s in shape:
        if s < 0:
            raise ValueError('negative dimensions are not allowed')
    return shape


def _no(name, what):
    raise NotImplementedError(f"numpy.{name}({what}) is not available in backprop-ninja's numpy")


# -- creation ----------------------------------------------------------------------------------------------------
def zeros(shape, dtype=float, order='C', *, like=None):
    d = _resolve(dtype)
    return _wrap(_torch.zeros(_shape_arg(shape), dtype=_storage(d)), d)


def ones(shape, dtype=None, order='C', *, like=None):
    d = _resolve(dtype)
    return _wrap(_torch.ones(_shape_arg(shape), dtype=_storage(d)), d)


def empty(shape, dtype=float, order='C', *, like=None):
    """np.empty: zeros here (numpy leaves the memory as it was)."""
    return zeros(shape, dtype)


def full(shape, fill_value, dtype=None, order='C', *, like=None):
    fv = _a(fill_value)
    d = fv.dtype if dtype is None else _resolve(dtype)
    shape = _shape_arg(shape)
    if fv.ndim == 0:
        return _wrap(_torch.full(shape, cast_value(fv.item(), d), dtype=_storage(d)), d)
    return broadcast_to(fv.astype(d), shape).copy()


def _like_dtype(a, dtype):
    return _a(a).dtype if dtype is None else _resolve(dtype)


def zeros_like(a, dtype=None, order='K', subok=True, shape=None):
    return zeros(_a(a).shape if shape is None else shape, _like_dtype(a, dtype))


def ones_like(a, dtype=None, order='K', subok=True, shape=None):
    return ones(_a(a).shape if shape is None else shape, _like_dtype(a, dtype))


def empty_like(prototype, dtype=None, order='K', subok=True, shape=None):
    return zeros_like(prototype, dtype, shape=shape)


def full_like(a, fill_value, dtype=None, order='K', subok=True, shape=None):
    return full(_a(a).shape if shape is None else shape, fill_value, _like_dtype(a, dtype))


def copy(a, order='K', subok=False):
    return _a(a).copy()


def arange(start, stop=None, step=None, dtype=None, *, like=None):
    """np.arange with numpy's arithmetic: the length is ceil((stop - start) / step) in Python's float division;
    the values are start, start + step, then start + i * delta with delta = (start + step) - start, in the
    result dtype (numpy's fill function)."""
    if stop is None:
        start, stop = 0, start
    if step is None:
        step = 1
    if step == 0:
        raise ZeroDivisionError('division by zero')
    if dtype is None:
        d = int64_dtype
        for x in (start, stop, step):
            d = _d.promote_types(d, _m._scalar_dtype(x) or _a(x).dtype)
    else:
        d = _resolve(dtype)
    span = stop - start
    try:
        q = span / step
    except ZeroDivisionError:
        raise ZeroDivisionError('division by zero') from None
    q = float(q)
    if q != q:
        raise ValueError('arange: cannot compute length')
    n = _math.ceil(q)
    if n <= 0:
        return zeros((0,), d)
    nxt = start + step
    if d.kind in 'iu' or d.kind == 'b':
        s0, s1 = cast_value(start, d), cast_value(nxt, d)
        delta = s1 - s0
        vals = [s0 + i * delta for i in range(n)] if n > 2 else [s0, s1][:n]
        vals = [cast_value(v, d) for v in vals]
        return _wrap(_tensor_from(vals, (n,), d), d)
    s0, s1 = cast_value(start, d), cast_value(nxt, d)
    if n <= 2:
        vals = [s0, s1][:n]
    elif d is float64_dtype:
        delta = s1 - s0
        vals = [s0, s1] + [s0 + i * delta for i in range(2, n)]
    else:
        r = round32 if d is float32_dtype else _d.round16
        delta = r(s1 - s0)
        vals = [s0, s1] + [r(s0 + r(r(float(i)) * delta)) for i in range(2, n)]
    return _wrap(_torch.tensor(vals, dtype=_storage(d)), d)


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    """np.linspace as numpy 1.24 computes it: i * step + start in float64 (step = (stop - start) / div), the
    last value set to stop when endpoint."""
    num = _operator.index(num)
    if num < 0:
        raise ValueError(f'Number of samples, {num}, must be non-negative.')
    sa, so = _a(start), _a(stop)
    if sa.ndim or so.ndim:
        _no('linspace', 'with array start or stop')
    if axis != 0:
        _no('linspace', 'axis=...')
    s0, s1 = float(sa.item()), float(so.item())
    div = (num - 1) if endpoint else num
    delta = s1 - s0
    if div > 0:
        step = delta / div
        if step == 0:
            vals = [(i / div) * delta + s0 for i in range(num)]
        else:
            vals = [i * step + s0 for i in range(num)]
    else:
        step = _math.nan
        vals = [i * delta + s0 for i in range(num)]
    if endpoint and num > 1:
        vals[-1] = s1
    y = _wrap(_torch.tensor(vals, dtype=_torch.float64), float64_dtype)
    if dtype is not None:
        d = _resolve(dtype)
        if d.kind in 'iu':
            y = _u.floor(y)
        y = y.astype(d)
    if retstep:
        return y, _d.float64(step)
    return y


def logspace(start, stop, num=50, endpoint=True, base=10.0, dtype=None, axis=0):
    y = linspace(start, stop, num=num, endpoint=endpoint)
    out = _u.power(base, y)
    return out if dtype is None else out.astype(dtype)


def eye(N, M=None, k=0, dtype=float, order='C', *, like=None):
    M = N if M is None else M
    d = _resolve(dtype)
    vals = [1 if j - i == k else 0 for i in range(N) for j in range(M)]
    return _wrap(_tensor_from(vals, (N, M), d), d)


def identity(n, dtype=None, *, like=None):
    return eye(n, dtype=float if dtype is None else dtype)


def diag(v, k=0):
    v = _a(v)
    if v.ndim == 1:
        n = v.shape[0] + abs(k)
        out = zeros((n, n), v.dtype)
        for i, x in enumerate(v.tolist()):
            out[i + _b.max(-k, 0), i + _b.max(k, 0)] = x
        return out
    if v.ndim == 2:
        return diagonal(v, k)
    raise ValueError('Input must be 1- or 2-d.')


def diagonal(a, offset=0, axis1=0, axis2=1):
    a = _a(a)
    if a.ndim != 2 or (axis1, axis2) != (0, 1):
        _no('diagonal', 'of other than a 2-D array along axes 0 and 1')
    n, m = a.shape
    idx = [(i, i + offset) for i in range(n) if 0 <= i + offset < m]
    if not idx:
        return zeros((0,), a.dtype)
    rows = array([i for i, _ in idx])
    cols = array([j for _, j in idx])
    return a[rows, cols]


def trace(a, offset=0, axis1=0, axis2=1, dtype=None, out=None):
    return sum(diagonal(a, offset, axis1, axis2), dtype=dtype)


def tri(N, M=None, k=0, dtype=float):
    M = N if M is None else M
    d = _resolve(dtype)
    return _wrap(_tensor_from([1 if j <= i + k else 0 for i in range(N) for j in range(M)], (N, M), d), d)


def tril(m, k=0):
    m = _a(m)
    mask = tri(m.shape[-2], m.shape[-1], k, dtype=bool)
    return where(mask, m, zeros(1, m.dtype))


def triu(m, k=0):
    m = _a(m)
    mask = tri(m.shape[-2], m.shape[-1], k - 1, dtype=bool)
    return where(mask, zeros(1, m.dtype), m)


def meshgrid(*xi, copy=True, sparse=False, indexing='xy'):
    if indexing not in ('xy', 'ij'):
        raise ValueError("Valid values for `indexing` are 'xy' and 'ij'.")
    nd = len(xi)
    s0 = (1,) * nd
    out = [_a(x).reshape(s0[:i] + (-1,) + s0[i + 1:]) for i, x in enumerate(xi)]
    if indexing == 'xy' and nd > 1:
        out[0] = out[0].reshape((1, -1) + s0[2:])
        out[1] = out[1].reshape((-1, 1) + s0[2:])
    if not sparse:
        out = broadcast_arrays(*out)
    if copy:
        out = [x.copy() for x in out]
    return out if sparse or nd != 1 else out


def broadcast_to(array, shape, subok=False):
    a = _a(array)
    shape = _shape_arg(shape)
    _m.broadcast_shapes(a.shape, shape)
    if len(shape) < a.ndim:
        raise ValueError('input operand has more dimensions than allowed by the axis remapping')
    return _wrap(a._t.expand(*shape), a.dtype, a)


def broadcast_arrays(*args, subok=False):
    arrs = [_a(x) for x in args]
    shape = _m.broadcast_shapes(*[x.shape for x in arrs])
    return [broadcast_to(x, shape) for x in arrs]


# -- shape manipulation ------------------------------------------------------------------------------------------
def reshape(a, newshape, order='C'):
    return _a(a).reshape(newshape, order=order)


def ravel(a, order='C'):
    return _a(a).ravel(order)


def transpose(a, axes=None):
    return _a(a).transpose(axes)


def swapaxes(a, axis1, axis2):
    return _a(a).swapaxes(axis1, axis2)


def moveaxis(a, source, destination):
    a = _a(a)
    nd = a.ndim
    src = [_norm_axis(s, nd) for s in (source if isinstance(source, (list, tuple)) else [source])]
    dst = [_norm_axis(s, nd) for s in (destination if isinstance(destination, (list, tuple)) else [destination])]
    if len(src) != len(dst):
        raise ValueError('`source` and `destination` arguments must have the same number of elements')
    order = [n for n in range(nd) if n not in src]
    for dest, s in sorted(zip(dst, src)):
        order.insert(dest, s)
    return a.transpose(order)


def expand_dims(a, axis):
    a = _a(a)
    axes = axis if isinstance(axis, (tuple, list)) else (axis,)
    nd = a.ndim + len(axes)
    axes = sorted(_norm_axis(x, nd) for x in axes)
    shape = list(a.shape)
    for x in axes:
        shape.insert(x, 1)
    return a.reshape(shape)


def squeeze(a, axis=None):
    a = _a(a)
    if axis is None:
        shape = tuple(s for s in a.shape if s != 1)
    else:
        axes = _norm_axes(axis, a.ndim)
        for x in axes:
            if a.shape[x] != 1:
                raise ValueError('cannot select an axis to squeeze out which has size not equal to one')
        shape = tuple(s for i, s in enumerate(a.shape) if i not in axes)
    return a.reshape(shape)


def atleast_1d(*arys):
    out = [_a(a) if _a(a).ndim >= 1 else _a(a).reshape(1) for a in arys]
    return out[0] if len(out) == 1 else out


def atleast_2d(*arys):
    out = []
    for a in arys:
        a = _a(a)
        out.append(a.reshape(1, 1) if a.ndim == 0 else a.reshape(1, -1) if a.ndim == 1 else a)
    return out[0] if len(out) == 1 else out


def atleast_3d(*arys):
    out = []
    for a in arys:
        a = _a(a)
        out.append(a.reshape(1, 1, 1) if a.ndim == 0 else a.reshape(1, -1, 1) if a.ndim == 1 else
                   a.reshape(a.shape + (1,)) if a.ndim == 2 else a)
    return out[0] if len(out) == 1 else out


def _join_dtype(arrs, dtype):
    if dtype is not None:
        return _resolve(dtype)
    d = arrs[0].dtype
    for x in arrs[1:]:
        d = _d.promote_types(d, x.dtype)
    return d


def concatenate(arrays, axis=0, out=None, dtype=None, casting='same_kind'):
    arrs = [_a(x) for x in arrays]
    if not arrs:
        raise ValueError('need at least one array to concatenate')
    if axis is None:
        arrs = [x.ravel() for x in arrs]
        axis = 0
    nd = arrs[0].ndim
    if nd == 0:
        raise ValueError('zero-dimensional arrays cannot be concatenated')
    for i, x in enumerate(arrs[1:], 1):
        if x.ndim != nd:
            raise ValueError(f'all the input arrays must have same number of dimensions, but the array at index 0 has '
                             f'{nd} dimension(s) and the array at index {i} has {x.ndim} dimension(s)')
    ax = _norm_axis(axis, nd)
    for i, x in enumerate(arrs[1:], 1):
        for k in range(nd):
            if k != ax and x.shape[k] != arrs[0].shape[k]:
                raise ValueError(f'all the input array dimensions except for the concatenation axis must match '
                                 f'exactly, but along dimension {k}, the array at index 0 has size '
                                 f'{arrs[0].shape[k]} and the array at index {i} has size {x.shape[k]}')
    d = _join_dtype(arrs, dtype)
    r = _wrap(_torch.cat([x.astype(d, copy=False)._t for x in arrs], ax), d)
    if out is not None:
        out[...] = r
        return out
    return r


concat = concatenate


def stack(arrays, axis=0, out=None, *, dtype=None, casting='same_kind'):
    arrs = [_a(x) for x in arrays]
    if not arrs:
        raise ValueError('need at least one array to stack')
    if len({x.shape for x in arrs}) != 1:
        raise ValueError('all input arrays must have the same shape')
    ax = _norm_axis(axis, arrs[0].ndim + 1)
    return concatenate([x.reshape(x.shape[:ax] + (1,) + x.shape[ax:]) for x in arrs], ax, out, dtype)


def vstack(tup, *, dtype=None, casting='same_kind'):
    return concatenate([atleast_2d(x) for x in tup], 0, dtype=dtype)


row_stack = vstack


def hstack(tup, *, dtype=None, casting='same_kind'):
    arrs = [atleast_1d(x) for x in tup]
    return concatenate(arrs, 0 if arrs and arrs[0].ndim == 1 else 1, dtype=dtype)


def dstack(tup):
    return concatenate([atleast_3d(x) for x in tup], 2)


def column_stack(tup):
    arrs = [_a(x) for x in tup]
    return concatenate([x.reshape(-1, 1) if x.ndim < 2 else x for x in arrs], 1)


def array_split(ary, indices_or_sections, axis=0):
    a = _a(ary)
    n = a.shape[axis]
    if isinstance(indices_or_sections, int):
        k = indices_or_sections
        if k <= 0:
            raise ValueError('number sections must be larger than 0.')
        each, extra = divmod(n, k)
        sizes = [each + 1] * extra + [each] * (k - extra)
        bounds = [0]
        for s in sizes:
            bounds.append(bounds[-1] + s)
    else:
        bounds = [0] + [_b.min(int(i), n) for i in indices_or_sections] + [n]
    out = []
    for lo, hi in zip(bounds, bounds[1:]):
        idx = [slice(None)] * a.ndim
        idx[axis] = slice(lo, hi)
        out.append(a[tuple(idx)])
    return out


def split(ary, indices_or_sections, axis=0):
    if isinstance(indices_or_sections, int) and _a(ary).shape[axis] % indices_or_sections:
        raise ValueError('array split does not result in an equal division')
    return array_split(ary, indices_or_sections, axis)


def flip(m, axis=None):
    a = _a(m)
    axes = _norm_axes(axis, a.ndim)
    idx = tuple(slice(None, None, -1) if i in axes else slice(None) for i in range(a.ndim))
    return _reverse(a, axes) if axes else a


def _reverse(a, axes):
    t = a._t
    for ax in axes:
        n = t.shape[ax]
        idx = _torch.tensor(list(range(n - 1, -1, -1)), dtype=_torch.int64)
        t = t.index_select(ax, idx)
    return _wrap(t, a.dtype)


def fliplr(m):
    return flip(m, 1)


def flipud(m):
    return flip(m, 0)


def roll(a, shift, axis=None):
    a = _a(a)
    if axis is None:
        return roll(a.ravel(), shift, 0).reshape(a.shape)
    ax = _norm_axis(axis, a.ndim)
    n = a.shape[ax]
    if n == 0:
        return a.copy()
    k = shift % n
    idx = _torch.tensor([(i - k) % n for i in range(n)], dtype=_torch.int64)
    return _wrap(a._t.index_select(ax, idx), a.dtype)


def tile(A, reps):
    a = _a(A)
    reps = (reps,) if isinstance(reps, int) else tuple(reps)
    nd = _b.max(a.ndim, len(reps))
    a = a.reshape((1,) * (nd - a.ndim) + a.shape)
    reps = (1,) * (nd - len(reps)) + reps
    for ax, r in enumerate(reps):
        if r != 1:
            a = concatenate([a] * r, ax) if r > 0 else a[tuple(slice(0, 0) if i == ax else slice(None)
                                                             for i in range(nd))]
    return a.copy()


def repeat(a, repeats, axis=None):
    a = _a(a)
    if axis is None:
        a = a.ravel()
        axis = 0
    ax = _norm_axis(axis, a.ndim)
    n = a.shape[ax]
    reps = [repeats] * n if isinstance(repeats, int) else [int(r) for r in _a(repeats).tolist()]
    if len(reps) == 1 and n != 1:
        reps = reps * n
    idx = [i for i, r in enumerate(reps) for _ in range(r)]
    return _wrap(a._t.index_select(ax, _torch.tensor(idx, dtype=_torch.int64)), a.dtype)


def take(a, indices, axis=None, out=None, mode='raise'):
    a = _a(a)
    if axis is None:
        return a.ravel()[indices]
    ax = _norm_axis(axis, a.ndim)
    return a[(slice(None),) * ax + (indices,)]


def append(arr, values, axis=None):
    arr, values = _a(arr), _a(values)
    if axis is None:
        return concatenate([arr.ravel(), values.ravel()])
    return concatenate([arr, values], axis)


def insert(arr, obj, values, axis=None):
    raise NotImplementedError("numpy.insert is not available in backprop-ninja's numpy; use np.concatenate")


def delete(arr, obj, axis=None):
    a = _a(arr)
    if axis is None:
        a = a.ravel()
        axis = 0
    ax = _norm_axis(axis, a.ndim)
    n = a.shape[ax]
    drop = {int(i) % n for i in (obj if isinstance(obj, (list, tuple, ndarray)) else [obj])} if not isinstance(
        obj, slice) else set(range(n)[obj])
    keep = [i for i in range(n) if i not in drop]
    return _wrap(a._t.index_select(ax, _torch.tensor(keep, dtype=_torch.int64)), a.dtype)


# -- numpy's summation order (see the module docstring; the loop is src/core/numpy/summation.ts) ---------------
def _split_axes(nd, axes):
    """(kept axes, reduced axes before the trailing block, the trailing block of reduced axes)."""
    kept = [k for k in range(nd) if k not in axes]
    trail = []
    k = nd - 1
    while k >= 0 and k in axes:
        trail.insert(0, k)
        k -= 1
    outer = [k for k in axes if k not in trail]
    return kept, outer, trail


def _float_sum(t, shape, axes, d):
    """Sums of the float tensor t (d's values) over axes, in numpy's order: a flat list, one per output."""
    nd = len(shape)
    kept, outer, trail = _split_axes(nd, axes)
    perm = kept + outer + trail
    if perm != list(range(nd)):
        t = t.permute(*perm)
    v = _array('d', t.reshape(-1).tolist())
    n = [1, 1, 1]
    for i, group in enumerate((kept, outer, trail)):
        for k in group:
            n[i] *= shape[k]
    out = _J.reduceSum(v, n[0], n[1], n[2], bool(trail), d is not float64_dtype).to_py().tolist()
    return out if d is not float16_dtype else [_d.round16(x) for x in out]


def _out_shape(shape, axes, keepdims):
    if keepdims:
        return tuple(1 if k in axes else s for k, s in enumerate(shape))
    return tuple(s for k, s in enumerate(shape) if k not in axes)


def _finish(vals_or_t, shape, d, out=None):
    """A reduction's result: a numpy scalar for shape (), else an array (or written into out)."""
    if isinstance(vals_or_t, list):
        t = _tensor_from(vals_or_t, shape, d) if shape else None
        if t is None:
            r = _d.scalar(cast_value(vals_or_t[0], d), d)
            if out is not None:
                out[...] = r
                return out
            return r
    else:
        t = _m._fix(vals_or_t.reshape(shape), d)
        if not shape:
            r = _d.scalar(_item_value(t, d), d)
            if out is not None:
                out[...] = r
                return out
            return r
    if out is not None:
        out[...] = _wrap(t, d)
        return out
    return _wrap(t, d)


def _where_true(where, name):
    if where is not True:
        _no(name, 'where=...')


def _sum_dtype(d):
    if d.kind == 'b' or d.kind == 'i':
        return int64_dtype
    if d.kind == 'u':
        return uint64_dtype
    return d


def sum(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=True):
    """np.sum: ints exactly (int64, uint64 for unsigned), floats in numpy's order (see the module docstring)."""
    _where_true(where, 'sum')
    if not isinstance(a, ndarray) and _m._scalar_dtype(a) is None and not isinstance(a, (list, tuple)):
        if hasattr(a, 'sum'):
            return a.sum(axis=axis) if axis is not None else a.sum()
    a = _a(a)
    axes = _norm_axes(axis, a.ndim)
    d = _sum_dtype(a.dtype) if dtype is None else _resolve(dtype)
    oshape = _out_shape(a.shape, axes, keepdims)
    if d.kind == 'f':
        # floats widen exactly (the values are read as doubles); anything else is cast to d first, as numpy's buffer
        src = a._t if a.dtype.kind == 'f' and a.dtype.bits <= d.bits else _m._cast_tensor(a._t, a.dtype, d)
        vals = _float_sum(src, a.shape, axes, d)
        if initial is not None:
            vals = [cast_value(v + initial, d) for v in vals]
        return _finish(vals, oshape, d, out)
    t = a._t if a.dtype.kind != 'b' else a._t.to(_torch.int64)
    if d.kind == 'b':
        t = (t != 0).to(_torch.int64)
    r = t.sum(dim=axes, keepdim=keepdims) if axes else t.clone()
    if initial is not None:
        r = r + int(initial)
    if d.kind == 'b':
        r = r != 0
    return _finish(r, oshape, d, out)


def _count(shape, axes):
    n = 1
    for k in axes:
        n *= shape[k]
    return n


def mean(a, axis=None, dtype=None, out=None, keepdims=False, *, where=True):
    """np.mean: the sum in numpy's order (float64 for integer input) divided by the count in the result dtype."""
    _where_true(where, 'mean')
    a = _a(a)
    axes = _norm_axes(axis, a.ndim)
    n = _count(a.shape, axes)
    f16 = False
    if dtype is None:
        if a.dtype.kind in 'biu':
            dtype = float64_dtype
        elif a.dtype is float16_dtype:
            dtype, f16 = float32_dtype, True
    d = a.dtype if dtype is None else _resolve(dtype)
    oshape = _out_shape(a.shape, axes, keepdims)
    if n == 0:
        _warn('Mean of empty slice.')
    if d.kind == 'f':
        src = a._t if a.dtype is d else _m._cast_tensor(a._t, a.dtype, d)
        vals = _float_sum(src, a.shape, axes, d)
        r = round32 if d is float32_dtype else (lambda x: x)
        vals = [r(_u._py_div(v, float(n))) for v in vals]
        od = float16_dtype if f16 else d
        return _finish([cast_value(v, od) for v in vals], oshape, od, out)
    s = sum(a, axis, d, keepdims=keepdims)
    return _u.true_divide(s, n) if d.kind != 'f' else s


def _warn(msg):
    import warnings
    warnings.warn(msg, RuntimeWarning, stacklevel=3)


def var(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=True):
    """np.var as numpy computes it: mean (in numpy's summation order), deviations squared, their sum in numpy's
    order, divided by max(n - ddof, 0)."""
    _where_true(where, 'var')
    a = _a(a)
    axes = _norm_axes(axis, a.ndim)
    n = _count(a.shape, axes)
    if ddof >= n:
        _warn('Degrees of freedom <= 0 for slice')
    if dtype is None and a.dtype.kind in 'biu':
        dtype = float64_dtype
    d = a.dtype if dtype is None else _resolve(dtype)
    if d is float16_dtype:
        d = float16_dtype
    src = a if a.dtype is d else a.astype(d)
    sums = _float_sum(src._t, a.shape, axes, d)
    r = round32 if d is float32_dtype else (lambda x: x)
    kshape = _out_shape(a.shape, axes, True)
    means = _wrap(_tensor_from([r(_u._py_div(v, float(n))) for v in sums], kshape, d), d)
    x = _u.subtract(a, means)
    if x.dtype is not d:
        x = x.astype(d)
    x = _u.multiply(x, x)
    ss = _float_sum(x._t, x.shape, axes, d)
    dof = _b.max(n - ddof, 0)
    vals = [r(_u._py_div(v, float(dof))) for v in ss]
    return _finish(vals, _out_shape(a.shape, axes, keepdims), d, out)


def std(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=True):
    v = var(a, axis, dtype, None, ddof, keepdims, where=where)
    r = _u.sqrt(v)
    if out is not None:
        out[...] = r
        return out
    return r


def _minmax(a, axis, out, keepdims, initial, where, which):
    _where_true(where, which)
    a = _a(a)
    axes = _norm_axes(axis, a.ndim)
    name = 'maximum' if which == 'amax' else 'minimum'
    if a.size == 0 and initial is None:
        if _count(a.shape, axes) == 0:
            raise ValueError(f'zero-size array to reduction operation {name} which has no identity')
    oshape = _out_shape(a.shape, axes, keepdims)
    t = a._t
    if a.size == 0:
        return full(oshape, initial, a.dtype) if oshape else _d.scalar(cast_value(initial, a.dtype), a.dtype)
    if a.dtype.kind == 'b':
        t = t.to(_torch.int64)
    r = (t.amax(dim=axes, keepdim=keepdims) if which == 'amax' else t.amin(dim=axes, keepdim=keepdims)) if axes \
        else t.clone()
    if initial is not None:
        init = _torch.tensor(cast_value(initial, a.dtype), dtype=r.dtype)
        r = _torch.maximum(r, init) if which == 'amax' else _torch.minimum(r, init)
    return _finish(r, oshape, a.dtype, out)


def amax(a, axis=None, out=None, keepdims=False, initial=None, where=True):
    return _minmax(a, axis, out, keepdims, initial, where, 'amax')


def amin(a, axis=None, out=None, keepdims=False, initial=None, where=True):
    return _minmax(a, axis, out, keepdims, initial, where, 'amin')


max = amax  # noqa: A001 (numpy's name)
min = amin  # noqa: A001


def ptp(a, axis=None, out=None, keepdims=False):
    return _u.subtract(amax(a, axis, keepdims=keepdims), amin(a, axis, keepdims=keepdims))


def _arg(a, axis, out, keepdims, which):
    a = _a(a)
    if a.size == 0:
        raise ValueError(f'attempt to get {which} of an empty sequence')
    t = a._t if a.dtype.kind != 'b' else a._t.to(_torch.int64)
    if axis is None:
        r = (t.reshape(-1).argmax() if which == 'argmax' else t.reshape(-1).argmin())
        if keepdims:
            return _wrap(r.reshape((1,) * a.ndim), int64_dtype)
        return _d.scalar(int(r.item()), int64_dtype)
    ax = _norm_axis(axis, a.ndim)
    r = t.argmax(ax, keepdim=keepdims) if which == 'argmax' else t.argmin(ax, keepdim=keepdims)
    return _finish(r, tuple(r.shape), int64_dtype, out)


def argmax(a, axis=None, out=None, *, keepdims=False):
    return _arg(a, axis, out, keepdims, 'argmax')


def argmin(a, axis=None, out=None, *, keepdims=False):
    return _arg(a, axis, out, keepdims, 'argmin')


def all(a, axis=None, out=None, keepdims=False, *, where=True):  # noqa: A001
    _where_true(where, 'all')
    a = _a(a)
    axes = _norm_axes(axis, a.ndim)
    t = a._t if a.dtype.kind == 'b' else a._t != 0
    r = t.all(dim=axes, keepdim=keepdims) if axes and a.size else (
        _torch.tensor(True) if not axes or not a.size else t)
    if axes and not a.size:
        r = _torch.ones(_out_shape(a.shape, axes, keepdims), dtype=_torch.bool)
    elif not axes:
        r = t.clone()
    return _finish(r, _out_shape(a.shape, axes, keepdims), bool_dtype, out)


def any(a, axis=None, out=None, keepdims=False, *, where=True):  # noqa: A001
    _where_true(where, 'any')
    a = _a(a)
    axes = _norm_axes(axis, a.ndim)
    t = a._t if a.dtype.kind == 'b' else a._t != 0
    if axes and not a.size:
        r = _torch.zeros(_out_shape(a.shape, axes, keepdims), dtype=_torch.bool)
    elif not axes:
        r = t.clone()
    else:
        r = t.any(dim=axes, keepdim=keepdims)
    return _finish(r, _out_shape(a.shape, axes, keepdims), bool_dtype, out)


def prod(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=True):
    """np.prod: left to right along each reduced position, in the result dtype (numpy's multiply reduce)."""
    _where_true(where, 'prod')
    a = _a(a)
    axes = _norm_axes(axis, a.ndim)
    d = _sum_dtype(a.dtype) if dtype is None else _resolve(dtype)
    kept, outer, trail = _split_axes(a.ndim, axes)
    perm = kept + outer + trail
    t = a._t.permute(*perm) if perm != list(range(a.ndim)) else a._t
    v = t.reshape(-1).tolist()
    m = _count(a.shape, axes)
    out_vals = []
    for o in range(len(v) // m if m else _count(a.shape, kept)):
        acc = 1 if d.kind in 'iub' else 1.0
        for x in v[o * m:(o + 1) * m]:
            acc = cast_value(acc * (int(x) if d.kind in 'iu' else x), d)
        if initial is not None:
            acc = cast_value(acc * initial, d)
        out_vals.append(acc)
    return _finish(out_vals, _out_shape(a.shape, axes, keepdims), d, out)


def _accumulate(a, axis, dtype, out, mul):
    a = _a(a)
    if axis is None:
        a = a.ravel()
        axis = 0
    ax = _norm_axis(axis, a.ndim)
    d = _sum_dtype(a.dtype) if dtype is None else _resolve(dtype)
    moved = moveaxis(a, ax, -1)
    shape = moved.shape
    v = moved._t.reshape(-1).tolist()
    n = shape[-1] if shape else 1
    out_vals = []
    for o in range(0, len(v), n or 1):
        acc = None
        for x in v[o:o + n]:
            x = cast_value(x, d)
            acc = x if acc is None else cast_value(acc * x if mul else acc + x, d)
            out_vals.append(acc)
    r = _wrap(_tensor_from(out_vals, shape, d), d)
    r = moveaxis(r, -1, ax)
    if out is not None:
        out[...] = r
        return out
    return r.copy()


def cumsum(a, axis=None, dtype=None, out=None):
    """np.cumsum: the running sum left to right (numpy's add accumulate), in the result dtype."""
    return _accumulate(a, axis, dtype, out, False)


def cumprod(a, axis=None, dtype=None, out=None):
    return _accumulate(a, axis, dtype, out, True)


def diff(a, n=1, axis=-1, prepend=None, append=None):
    a = _a(a)
    if prepend is not None or append is not None:
        parts = ([broadcast_to(_a(prepend), a.shape[:axis % a.ndim] + (1,) + a.shape[axis % a.ndim + 1:])
                  if _a(prepend).ndim == 0 else _a(prepend)] if prepend is not None else []) + [a] + (
            [broadcast_to(_a(append), a.shape[:axis % a.ndim] + (1,) + a.shape[axis % a.ndim + 1:])
             if _a(append).ndim == 0 else _a(append)] if append is not None else [])
        a = concatenate(parts, axis)
    ax = _norm_axis(axis, a.ndim)
    for _ in range(n):
        hi = tuple(slice(1, None) if k == ax else slice(None) for k in range(a.ndim))
        lo = tuple(slice(None, -1) if k == ax else slice(None) for k in range(a.ndim))
        a = _u.not_equal(a[hi], a[lo]) if a.dtype.kind == 'b' else _u.subtract(a[hi], a[lo])
    return a


def average(a, axis=None, weights=None, returned=False, *, keepdims=False):
    if weights is None:
        r = mean(a, axis, keepdims=keepdims)
        n = _a(a).size if axis is None else _a(a).shape[axis]
        return (r, _d.float64(n)) if returned else r
    a, w = _a(a), _a(weights)
    if a.shape != w.shape:
        if axis is None or w.ndim != 1:
            raise TypeError('Axis must be specified when shapes of a and weights differ.')
        shape = [1] * a.ndim
        shape[axis] = -1
        w = w.reshape(shape)
    sw = sum(broadcast_to(w, a.shape), axis, keepdims=keepdims)
    r = _u.true_divide(sum(_u.multiply(a, w), axis, keepdims=keepdims), sw)
    return (r, sw) if returned else r


def median(a, axis=None, out=None, overwrite_input=False, keepdims=False):
    a = _a(a)
    if axis is None:
        a = a.ravel()
        axis = 0
    s = sort(a, axis)
    n = s.shape[axis]
    lo = take(s, (n - 1) // 2, axis)
    hi = take(s, n // 2, axis)
    return mean(stack([_a(lo), _a(hi)]), axis=0)


def percentile(a, q, axis=None, out=None, overwrite_input=False, method='linear', keepdims=False, **kw):
    return quantile(a, _u.true_divide(q, 100), axis, out, overwrite_input, method, keepdims)


def quantile(a, q, axis=None, out=None, overwrite_input=False, method='linear', keepdims=False, **kw):
    if method != 'linear':
        _no('quantile', f'method={method!r}')
    a = _a(a)
    if axis is not None:
        _no('quantile', 'axis=...')
    v = sorted(a.ravel().tolist())
    qs = _a(q)
    res = []
    for qq in qs.ravel().tolist():
        pos = qq * (len(v) - 1)
        lo = _math.floor(pos)
        hi = _b.min(lo + 1, len(v) - 1)
        g = pos - lo
        res.append(v[lo] + (v[hi] - v[lo]) * g if g else float(v[lo]))
    if qs.ndim == 0:
        return _d.float64(res[0])
    return array(res).reshape(qs.shape)


def count_nonzero(a, axis=None, *, keepdims=False):
    a = _a(a)
    r = sum(_u.not_equal(a, 0), axis, keepdims=keepdims)
    return int(r) if axis is None and not keepdims else r


def nonzero(a):
    a = _a(a)
    if a.ndim == 0:
        raise ValueError('Calling nonzero on 0d arrays is not allowed. Use np.atleast_1d(scalar).nonzero() instead.')
    v = (a._t != 0).reshape(-1).tolist()
    shape = a.shape
    idx = [i for i, x in enumerate(v) if x]
    cols = []
    for k in range(a.ndim):
        stride = 1
        for s in shape[k + 1:]:
            stride *= s
        cols.append(_wrap(_torch.tensor([(i // stride) % shape[k] for i in idx], dtype=_torch.int64), int64_dtype))
    return tuple(cols)


def flatnonzero(a):
    return nonzero(_a(a).ravel())[0]


def argwhere(a):
    nz = nonzero(a)
    if not nz:
        return zeros((0, 0), int64_dtype)
    return stack(nz, axis=1) if nz[0].size else zeros((0, len(nz)), int64_dtype)


def where(condition, x=None, y=None):
    """np.where(cond, x, y): x where cond holds, else y, in the promoted dtype of x and y (value-based for
    scalars); np.where(cond): the indices, as nonzero(cond)."""
    if x is None and y is None:
        return nonzero(condition)
    if x is None or y is None:
        raise ValueError('either both or neither of x and y should be given')
    c = _a(condition)
    ox, oy = _m._operand(x), _m._operand(y)
    d = _d.result_dtype([ox[:3], oy[:3]])
    tx = _u._as_tensor(ox, d)
    ty = _u._as_tensor(oy, d)
    shape = _m.broadcast_shapes(c.shape, tuple(tx.shape), tuple(ty.shape))
    ct = c._t if c.dtype.kind == 'b' else c._t != 0
    r = _torch.where(ct.expand(*shape) if tuple(ct.shape) != shape else ct, tx.expand(*shape), ty.expand(*shape))
    return _wrap(r, d)


def clip(a, a_min=None, a_max=None, out=None, **kw):
    if a_min is None and a_max is None:
        raise ValueError('One of max or min must be given')
    r = a
    if a_min is not None:
        r = _u.maximum(r, a_min)
    if a_max is not None:
        r = _u.minimum(r, a_max)
    if out is not None:
        out[...] = r
        return out
    return r


def round_(a, decimals=0, out=None):
    """np.round: half to even; with decimals, numpy's multiply, rint, divide by 10**decimals."""
    a = _a(a)
    if a.dtype.kind in 'biu':
        if decimals >= 0:
            return a.copy()
        f = 10 ** (-decimals)
        return _u.multiply(_u.floor_divide(_u.add(a, f // 2), f), f)
    if decimals == 0:
        r = _u.rint(a)
    elif decimals > 0:
        f = 10.0 ** decimals
        r = _u.true_divide(_u.rint(_u.multiply(a, f)), f)
    else:
        f = 10.0 ** (-decimals)
        r = _u.multiply(_u.rint(_u.true_divide(a, f)), f)
    if isinstance(r, ndarray) and r.dtype is not a.dtype:
        r = r.astype(a.dtype)
    if out is not None:
        out[...] = r
        return out
    return r


around = round_
round = round_  # noqa: A001


def fix(x, out=None):
    return _u.trunc(x, out=out) if out is not None else _u.trunc(x)


# -- sorting -----------------------------------------------------------------------------------------------------
def _sort_key(x):
    return (1, 0.0) if x != x else (0, x)  # NaN last, as numpy sorts


def sort(a, axis=-1, kind=None, order=None):
    a = _a(a)
    if axis is None:
        a = a.ravel()
        axis = 0
    if a.ndim == 0:
        raise AxisError(f'axis {axis} is out of bounds for array of dimension 0')
    idx = argsort(a, axis, kind)
    return take_along_axis(a, idx, axis)


def argsort(a, axis=-1, kind=None, order=None):
    """np.argsort, stable (numpy's default quicksort may order equal values differently; kind='stable' is
    numpy's merge sort, which this equals)."""
    a = _a(a)
    if axis is None:
        a = a.ravel()
        axis = 0
    ax = _norm_axis(axis, a.ndim)
    moved = moveaxis(a, ax, -1)
    shape = moved.shape
    v = moved._t.reshape(-1).tolist()
    n = shape[-1]
    out = []
    for o in range(0, len(v), n or 1):
        row = v[o:o + n]
        out.extend(sorted(range(n), key=lambda i: _sort_key(row[i])))
    r = _wrap(_torch.tensor(out, dtype=_torch.int64).reshape(shape), int64_dtype)
    return moveaxis(r, -1, ax).copy()


def take_along_axis(arr, indices, axis):
    arr, indices = _a(arr), _a(indices)
    if axis is None:
        return arr.ravel()[indices]
    ax = _norm_axis(axis, arr.ndim)
    grids = []
    for k in range(arr.ndim):
        if k == ax:
            grids.append(indices)
        else:
            shape = [1] * arr.ndim
            shape[k] = arr.shape[k]
            grids.append(arange(arr.shape[k]).reshape(shape))
    return arr[tuple(grids)]


def unique(ar, return_index=False, return_inverse=False, return_counts=False, axis=None, *, equal_nan=True):
    """np.unique: the sorted distinct values (of the flattened array), with first indices, inverse, counts."""
    if axis is not None:
        _no('unique', 'axis=...')
    a = _a(ar).ravel()
    v = a.tolist()
    order = sorted(range(len(v)), key=lambda i: _sort_key(v[i]))
    vals, first, counts, inverse = [], [], [], [0] * len(v)
    for i in order:
        x = v[i]
        if vals and (vals[-1] == x or (x != x and vals[-1] != vals[-1] and equal_nan)):
            counts[-1] += 1
        else:
            vals.append(x)
            first.append(i)
            counts.append(1)
        inverse[i] = len(vals) - 1
    u = _wrap(_tensor_from(vals, (len(vals),), a.dtype), a.dtype)
    extra = []
    if return_index:
        extra.append(array(first, dtype=int64_dtype))
    if return_inverse:
        extra.append(array(inverse, dtype=int64_dtype))
    if return_counts:
        extra.append(array(counts, dtype=int64_dtype))
    return (u, *extra) if extra else u


def searchsorted(a, v, side='left', sorter=None):
    import bisect
    a = _a(a)
    if a.ndim != 1:
        raise ValueError('object too deep for desired array')
    keys = a.tolist() if sorter is None else [a.tolist()[i] for i in _a(sorter).tolist()]
    f = bisect.bisect_left if side == 'left' else bisect.bisect_right
    vv = _a(v)
    res = [f(keys, x) for x in vv.ravel().tolist()]
    if vv.ndim == 0:
        return _d.scalar(res[0], int64_dtype)
    return _wrap(_torch.tensor(res, dtype=_torch.int64).reshape(vv.shape), int64_dtype)


def lexsort(keys, axis=-1):
    ks = [_a(k).tolist() for k in keys]
    n = len(ks[0])
    return array(sorted(range(n), key=lambda i: tuple(_sort_key(k[i]) for k in reversed(ks))), dtype=int64_dtype)


# -- linear algebra ----------------------------------------------------------------------------------------------
def matmul(a, b, out=None, **kw):
    a, b = _a(a), _a(b)
    if a.ndim == 0 or b.ndim == 0:
        raise ValueError("matmul: Input operand 0 does not have enough dimensions (has 0, gufunc core with signature "
                         "(n?,k),(k,m?)->(n?,m?) requires 1)")
    d = _d.promote_types(a.dtype, b.dtype)
    if d.kind == 'b':
        cd = int64_dtype
    else:
        cd = d
    ta = a._t if a.dtype is cd else _m._cast_tensor(a._t, a.dtype, cd)
    tb = b._t if b.dtype is cd else _m._cast_tensor(b._t, b.dtype, cd)
    ka = a.shape[-1]
    kb = b.shape[-2] if b.ndim > 1 else b.shape[0]
    if ka != kb:
        sa = ','.join(str(s) for s in (a.shape if a.ndim > 1 else ('n?',) + a.shape))
        raise ValueError(f'matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature '
                         f'(n?,k),(k,m?)->(n?,m?) (size {kb} is different from {ka})')
    try:
        r = ta @ tb
    except RuntimeError as e:
        raise NotImplementedError(f'matmul of shapes {a.shape} and {b.shape}: {e}') from None
    if d.kind == 'b':
        r = r != 0
    res = _m._result(r, d, scalar_out=True)
    if out is not None:
        out[...] = res
        return out
    return res


def dot(a, b, out=None):
    a, b = _a(a), _a(b)
    if a.ndim == 0 or b.ndim == 0:
        return _u.multiply(a, b, out=out) if out is not None else _u.multiply(a, b)
    if b.ndim > 2 or a.ndim > 2:
        _no('dot', 'of arrays with more than 2 dimensions (use np.matmul for stacks of matrices)')
    return matmul(a, b, out=out)


def vdot(a, b):
    return dot(_a(a).ravel(), _a(b).ravel())


def inner(a, b):
    a, b = _a(a), _a(b)
    if a.ndim == 0 or b.ndim == 0:
        return _u.multiply(a, b)
    return matmul(a, b.swapaxes(-1, -2) if b.ndim > 1 else b)


def outer(a, b, out=None):
    a, b = _a(a).ravel(), _a(b).ravel()
    return _u.multiply(a.reshape(-1, 1), b.reshape(1, -1), out=out) if out is not None else _u.multiply(
        a.reshape(-1, 1), b.reshape(1, -1))


def tensordot(a, b, axes=2):
    _no('tensordot', '...')


def einsum(*operands, **kw):
    _no('einsum', '...')


def cross(a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    a, b = _a(a), _a(b)
    if a.shape[-1] != 3 or b.shape[-1] != 3:
        _no('cross', 'of other than 3-vectors')
    a0, a1, a2 = a[..., 0], a[..., 1], a[..., 2]
    b0, b1, b2 = b[..., 0], b[..., 1], b[..., 2]
    return stack([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], -1)


# -- comparisons of whole arrays -----------------------------------------------------------------------------------
def isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    """numpy's isclose: |a - b| <= atol + rtol * |b|, infinities equal when equal, in float64 (or wider)."""
    x, y = _a(a), _a(b)
    d = _d.promote_types(_d.promote_types(x.dtype, y.dtype), float64_dtype if x.dtype.kind != 'f' and
                         y.dtype.kind != 'f' else _d.promote_types(x.dtype, y.dtype))
    xf, yf = x.astype(d), y.astype(d)
    fin = _u.logical_and(_u.isfinite(xf), _u.isfinite(yf))
    close = _u.less_equal(_u.absolute(_u.subtract(xf, yf)), _u.add(atol, _u.multiply(rtol, _u.absolute(yf))))
    r = where(fin, close, _u.equal(xf, yf))
    if equal_nan:
        r = _u.logical_or(r, _u.logical_and(_u.isnan(xf), _u.isnan(yf)))
    if isinstance(r, ndarray) and r.ndim == 0:
        return r[()]
    return r


def allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    return _b.bool(all(isclose(a, b, rtol, atol, equal_nan)))


def array_equal(a1, a2, equal_nan=False):
    try:
        x, y = _a(a1), _a(a2)
    except Exception:
        return False
    if x.shape != y.shape:
        return False
    eq = _u.equal(x, y)
    if equal_nan:
        eq = _u.logical_or(eq, _u.logical_and(_u.isnan(x), _u.isnan(y)))
    return _b.bool(all(eq))


def array_equiv(a1, a2):
    try:
        return _b.bool(all(_u.equal(_a(a1), _a(a2))))
    except ValueError:
        return False


# -- small utilities -----------------------------------------------------------------------------------------------
def shape(a):
    return _a(a).shape


def ndim(a):
    return _a(a).ndim


def size(a, axis=None):
    a = _a(a)
    return a.size if axis is None else a.shape[axis]


def isscalar(element):
    return isinstance(element, (int, float, _b.bool, complex, str, bytes, _d.generic))


def iterable(y):
    try:
        iter(y)
    except TypeError:
        return False
    return True


def histogram(a, bins=10, range=None, density=None, weights=None):  # noqa: A002
    """np.histogram for a bin count or explicit edges: counts over [e_i, e_i+1), the last bin closed."""
    v = _a(a).ravel().tolist()
    if isinstance(bins, int):
        lo, hi = (float(_b.min(v)), float(_b.max(v))) if range is None and v else (
            (0.0, 1.0) if range is None else (float(range[0]), float(range[1])))
        if lo == hi:
            lo, hi = lo - 0.5, hi + 0.5
        edges = linspace(lo, hi, bins + 1)
    else:
        edges = _a(bins).astype(float64_dtype)
    e = edges.tolist()
    w = _a(weights).ravel().tolist() if weights is not None else None
    nb = len(e) - 1
    counts = [0.0 if w is not None else 0] * nb
    import bisect
    for j, x in enumerate(v):
        if not (e[0] <= x <= e[-1]):
            continue
        i = bisect.bisect_right(e, x) - 1
        if i == nb:
            i -= 1
        counts[i] += w[j] if w is not None else 1
    if density:
        total = _b.sum(counts)
        counts = [c / total / (e[i + 1] - e[i]) for i, c in enumerate(counts)]
        return array(counts), edges
    return array(counts, dtype=float64_dtype if w is not None else int64_dtype), edges


def bincount(x, weights=None, minlength=0):
    v = [int(i) for i in _a(x).ravel().tolist()]
    if _b.any(i < 0 for i in v):
        raise ValueError("'list' argument must have no negative elements")
    n = _b.max([minlength] + [i + 1 for i in v])
    if weights is None:
        out = [0] * n
        for i in v:
            out[i] += 1
        return array(out, dtype=int64_dtype)
    w = _a(weights).ravel().tolist()
    out = [0.0] * n
    for i, ww in zip(v, w):
        out[i] += ww
    return array(out)


def interp(x, xp, fp, left=None, right=None, period=None):
    import bisect
    xs, xps, fps = _a(x), _a(xp).tolist(), _a(fp).tolist()
    res = []
    for q in xs.ravel().tolist():
        if q <= xps[0]:
            res.append(fps[0] if left is None else left if q < xps[0] else fps[0])
        elif q >= xps[-1]:
            res.append(fps[-1] if right is None else right if q > xps[-1] else fps[-1])
        else:
            j = bisect.bisect_right(xps, q) - 1
            t = (q - xps[j]) / (xps[j + 1] - xps[j])
            res.append(fps[j] + t * (fps[j + 1] - fps[j]))
    if xs.ndim == 0:
        return _d.float64(res[0])
    return array(res).reshape(xs.shape)


def convolve(a, v, mode='full'):
    a, v = _a(a).tolist(), _a(v).tolist()
    n, m = len(a), len(v)
    full_ = [_b.sum(a[i] * v[k - i] for i in _b.range(n) if 0 <= k - i < m) for k in _b.range(n + m - 1)]
    if mode == 'full':
        return array(full_)
    if mode == 'same':
        start = (m - 1) // 2 if n >= m else (n - 1) // 2
        return array(full_[start:start + _b.max(n, m)])
    if mode == 'valid':
        return array(full_[_b.min(n, m) - 1:_b.max(n, m)])
    raise ValueError(f'mode must be one of full, same, valid (got {mode!r})')


def cov(m, y=None, rowvar=True, bias=False, ddof=None):
    x = _a(m).astype(float64_dtype)
    if x.ndim == 1:
        x = x.reshape(1, -1)
    if not rowvar:
        x = x.T
    if y is not None:
        yy = _a(y).astype(float64_dtype)
        yy = yy.reshape(1, -1) if yy.ndim == 1 else yy
        x = concatenate([x, yy if rowvar else yy.T], 0)
    n = x.shape[1]
    dd = (0 if bias else 1) if ddof is None else ddof
    xc = _u.subtract(x, mean(x, axis=1, keepdims=True))
    c = _u.true_divide(matmul(xc, xc.T), n - dd)
    return c[0, 0] if c.shape == (1, 1) else c


def corrcoef(x, y=None, rowvar=True):
    c = _a(cov(x, y, rowvar))
    if c.ndim == 0:
        return _d.float64(1.0)
    dg = diagonal(c)
    sd = _u.sqrt(dg)
    return clip(_u.true_divide(_u.true_divide(c, sd.reshape(-1, 1)), sd.reshape(1, -1)), -1, 1)


def nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None):
    a = _a(x)
    if a.dtype.kind != 'f':
        return a.copy() if copy else a
    big = {'float64': 1.7976931348623157e308, 'float32': 3.4028234663852886e38, 'float16': 65504.0}[a.dtype.name]
    r = where(_u.isnan(a), nan, a)
    r = where(_u.logical_and(_u.isinf(r), _u.greater(r, 0)), big if posinf is None else posinf, r)
    r = where(_u.logical_and(_u.isinf(r), _u.less(r, 0)), -big if neginf is None else neginf, r)
    return r.astype(a.dtype)


def _nanfn(name, fn):
    def f(a, axis=None, *args, **kw):
        a = _a(a)
        if a.dtype.kind != 'f':
            return fn(a, axis, *args, **kw)
        mask = _u.isnan(a)
        if name in ('nansum',):
            return fn(where(mask, 0, a), axis, *args, **kw)
        if name in ('nanmax', 'nanmin'):
            fill = -_math.inf if name == 'nanmax' else _math.inf
            return fn(where(mask, fill, a), axis, *args, **kw)
        if name == 'nanmean':
            s = sum(where(mask, 0, a), axis, **kw)
            n = sum(_u.logical_not(mask), axis, **kw)
            return _u.true_divide(s, n)
        raise NotImplementedError(f"numpy.{name} is not available in backprop-ninja's numpy")
    f.__name__ = name
    return f


nansum = _nanfn('nansum', sum)
nanmax = _nanfn('nanmax', amax)
nanmin = _nanfn('nanmin', amin)
nanmean = _nanfn('nanmean', mean)


def _root(a):
    while isinstance(a, ndarray) and a._base is not None:
        a = a._base
    return a


def may_share_memory(a, b, max_work=None):
    """Whether a and b are views of one array (by their bases; overlap within it is not checked)."""
    return isinstance(a, ndarray) and isinstance(b, ndarray) and _root(a) is _root(b)


shares_memory = may_share_memory
