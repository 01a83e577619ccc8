"""The ndarray: a torch tensor (the project's tensor library, through torch's public API) and a numpy dtype.

The tensor holds the values in the dtype's storage type (see _dtypes); shapes, views, broadcasting, indexing and
the arithmetic kernels are the tensor library's. What is numpy's and not PyTorch's lives here and in _umath:
the dtypes and their promotion, value-based casting, integer wrap-around, numpy's error messages, and scalars
(a full index, a reduction to one value, or a ufunc of scalars gives a numpy scalar, as in numpy).

Views stay views: a slice, a transpose, a reshape of contiguous data share memory with their base (a write
through one shows in the other), as in numpy.
"""

import builtins as _b
import math as _math
import operator as _operator

import torch as _torch

from numpy import _dtypes as _d
from numpy._dtypes import (bool_dtype, float16_dtype, float32_dtype, float64_dtype, int64_dtype, uint64_dtype,
                           cast_value, scalar as _scalar, _resolve)

_STORAGE = {'float32': _torch.float32, 'float64': _torch.float64, 'int64': _torch.int64, 'bool': _torch.bool}
_FROM_TORCH = {'torch.float32': float32_dtype, 'torch.float64': float64_dtype, 'torch.int64': int64_dtype,
               'torch.bool': bool_dtype}
for _name in ('int32', 'int16', 'int8', 'uint8'):
    # when the tensor library grows these dtypes, torch tensors of them map to numpy's (values widened here)
    if hasattr(_torch, _name):
        _FROM_TORCH[repr(getattr(_torch, _name))] = _resolve(_name)
for _name in ('float16', 'half'):
    if hasattr(_torch, _name):
        _FROM_TORCH[repr(getattr(_torch, _name))] = float16_dtype
del _name

_F = None  # numpy._fromnumeric, set when it is imported (the methods below forward to its functions)
_U = None  # numpy._umath, likewise


def _storage(d):
    return _STORAGE[d.storage]


def _torch_dtype_of(t):
    d = _FROM_TORCH.get(repr(t.dtype))
    if d is None:  # bfloat16: numpy has no such type; PyTorch's message
        name = {'torch.bfloat16': 'BFloat16'}.get(repr(t.dtype), repr(t.dtype))
        raise TypeError(f'Got unsupported ScalarType {name}')
    return d


# -- wrapping ----------------------------------------------------------------------------------------------------
_new = object.__new__


def _wrap(t, d, base=None):
    """An ndarray over tensor t (already in d's storage type and range)."""
    a = _new(ndarray)
    a._t = t
    a._dtype = d
    a._base = base
    return a


def _fix(t, d):
    """t (a result in d's storage type, or castable to it) brought into d's range: narrow integers wrapped
    (two's complement, as C), float16 rounded to half precision. Returns a tensor in d's storage type."""
    st = _storage(d)
    if t.dtype != st:
        t = t.to(st)
    if d.kind in 'iu' and d.bits < 64:
        m = 1 << d.bits
        if d.kind == 'u':
            t = t % m
        else:
            t = (t - d.min) % m + d.min
    elif d.kind == 'u':  # uint64: negative values have no representation here
        if t.numel() and _b.bool((t < 0).any()):
            raise OverflowError('a uint64 result below 0 (it would wrap past 2**63); '
                                "backprop-ninja's numpy holds integers up to 2**53")
    elif d is float16_dtype:
        vals = [_d.round16(v) for v in t.reshape(-1).tolist()]
        t = _torch.tensor(vals, dtype=_torch.float32).reshape(tuple(t.shape))
    return t


def _result(t, d, scalar_out=False):
    """The ndarray (or, when scalar_out and 0-d, the numpy scalar) for a computed tensor."""
    t = _fix(t, d)
    if scalar_out and t.ndim == 0:
        return _scalar(_item_value(t, d), d)
    return _wrap(t, d)


def _item_value(t, d):
    v = t.item()
    if d.kind in 'iu':
        return int(v)
    if d.kind == 'b':
        return _b.bool(v)
    return float(v)


# -- converting Python data --------------------------------------------------------------------------------------
def _scalar_dtype(x):
    """The dtype of a scalar operand: a numpy scalar's own; bool, int64 (uint64 past int64), float64 for Python's."""
    t = type(x)
    if t is float:
        return float64_dtype
    if t is int:
        return int64_dtype if -(1 << 63) <= x < (1 << 63) else _big_int(x)
    if t is _b.bool:
        return bool_dtype
    d = getattr(t, '_dtype', None)
    if d is not None:
        return d
    if isinstance(x, _b.bool):
        return bool_dtype
    if isinstance(x, int):
        return int64_dtype if -(1 << 63) <= x < (1 << 63) else _big_int(x)
    if isinstance(x, float):
        return float64_dtype
    return None


def _big_int(x):
    if 0 <= x < (1 << 64):
        return uint64_dtype
    raise OverflowError(f'Python int too large to convert to C long')


def _discover(obj):
    """Nested lists/tuples (of numbers, numpy scalars, arrays, tensors) -> (flat values, shape, dtype)."""
    if isinstance(obj, ndarray):
        return obj._t.reshape(-1).tolist(), tuple(obj._t.shape), obj._dtype
    if isinstance(obj, _torch.Tensor):
        t = obj.detach()
        return t.reshape(-1).tolist(), tuple(t.shape), _torch_dtype_of(t)
    if not isinstance(obj, (list, tuple)):
        d = _scalar_dtype(obj)
        if d is None:
            _not_numeric(obj)
        return [obj], (), d
    if not obj:
        return [], (0,), float64_dtype
    # a flat list of Python floats or ints: the common case, without a call per element
    types = set(map(type, obj))
    if types <= {float, int}:
        if float in types:
            return obj, (len(obj),), float64_dtype
        if all(-(1 << 63) <= v < (1 << 63) for v in obj):
            return obj, (len(obj),), int64_dtype
    parts = [_discover(x) for x in obj]
    shape0 = parts[0][1]
    for p in parts[1:]:
        if p[1] != shape0:
            _ragged(obj, parts)
    flat = []
    dt = None
    for vals, _, d in parts:
        flat.extend(vals)
        dt = d if dt is None else _d.promote_types(dt, d)
    return flat, (len(obj),) + shape0, dt


def _ragged(obj, parts):
    # numpy reports the depth at which the shapes disagree
    depth = 1
    shapes = [p[1] for p in parts]
    common = ()
    while all(len(s) >= depth for s in shapes) and len({s[depth - 1] for s in shapes}) == 1:
        common += (shapes[0][depth - 1],)
        depth += 1
    shape = (len(obj),) + common
    raise ValueError(f'setting an array element with a sequence. The requested array has an inhomogeneous shape '
                     f'after {len(shape)} dimensions. The detected shape was {shape} + inhomogeneous part.')


def _not_numeric(obj):
    if isinstance(obj, str):
        raise NotImplementedError("string arrays are not available in backprop-ninja's numpy "
                                  f'(got {obj!r}); its arrays hold numbers and bools')
    if isinstance(obj, complex):
        raise NotImplementedError("complex numbers are not available in backprop-ninja's numpy")
    if obj is None:
        raise NotImplementedError("object arrays (here from None) are not available in backprop-ninja's numpy")
    raise NotImplementedError(f"object arrays (of {type(obj).__name__}) are not available in backprop-ninja's numpy; "
                              'its arrays hold numbers and bools')


def _tensor_from(flat, shape, d):
    """A tensor of d's storage type holding the Python values flat (cast to d) in the given shape."""
    st = _storage(d)
    if d.kind == 'f' and d is not float16_dtype:
        vals = flat if d is float64_dtype else [float(v) for v in flat]
    else:
        vals = [cast_value(v, d) for v in flat]
    try:
        t = _torch.tensor(vals, dtype=st)
    except (TypeError, ValueError) as e:
        raise TypeError(f'cannot make a numpy array of these values: {e}') from None
    return t.reshape(shape) if shape != (len(vals),) else t


def array(object, dtype=None, *, copy=True, order='K', subok=False, ndmin=0, like=None):
    """np.array: a new array from nested sequences, scalars, arrays or torch tensors (a copy unless copy=False
    and no conversion is needed)."""
    if isinstance(object, ndarray):
        d = object._dtype if dtype is None else _resolve(dtype)
        if d is object._dtype:
            a = _wrap(object._t.clone(), d) if copy else object
        else:
            a = object.astype(d)
    elif isinstance(object, _torch.Tensor):
        if object.requires_grad:  # numpy takes a tensor through its __array__, which is numpy()
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.")
        t = object.detach()
        src = _torch_dtype_of(t)
        st = _storage(src)
        a = _wrap(t.to(st) if t.dtype != st else t.clone() if copy else t, src)
        if dtype is not None and _resolve(dtype) is not src:
            a = a.astype(dtype)
    else:
        flat, shape, d0 = _discover(object)
        d = d0 if dtype is None else _resolve(dtype)
        if d is int64_dtype and d0 is uint64_dtype:
            raise OverflowError('Python int too large to convert to C long')
        a = _wrap(_tensor_from(flat, shape, d), d)
    if ndmin and a.ndim < ndmin:
        a = a.reshape((1,) * (ndmin - a.ndim) + a.shape)
    return a


def asarray(a, dtype=None, order=None, *, like=None):
    """np.asarray: a itself when it is an array of that dtype (a torch tensor shares its memory), else a new array."""
    if isinstance(a, ndarray):
        if dtype is None or _resolve(dtype) is a._dtype:
            return a
        return a.astype(dtype)
    return array(a, dtype, copy=False)


asanyarray = asarray


def ascontiguousarray(a, dtype=None, *, like=None):
    a = asarray(a, dtype)
    return a if a._t.is_contiguous() else _wrap(a._t.contiguous(), a._dtype)


def _operand(x):
    """A ufunc operand: (dtype, is_scalar, value if scalar, tensor or None, is_python_or_numpy_scalar).
    Returns None for what numpy would not take as a number (the caller returns NotImplemented)."""
    if isinstance(x, ndarray):
        if x._t.ndim == 0:
            return x._dtype, True, _item_value(x._t, x._dtype), x._t, False
        return x._dtype, False, None, x._t, False
    d = _scalar_dtype(x)
    if d is not None:
        return d, True, x, None, True
    if isinstance(x, (list, tuple, _torch.Tensor)):
        a = asarray(x)
        return _operand(a)[:4] + (False,)
    return None


# -- shapes ------------------------------------------------------------------------------------------------------
def _shape_str(s):
    return '(' + ','.join(str(n) for n in s) + (',)' if len(s) == 1 else ')')


def broadcast_shapes(*shapes):
    """np.broadcast_shapes; raises numpy's message when they do not broadcast."""
    nd = max((len(s) for s in shapes), default=0)
    out = []
    for i in range(-nd, 0):
        n = 1
        for s in shapes:
            if len(s) >= -i:
                m = s[i]
                if m != 1:
                    if n != 1 and n != m:
                        raise ValueError('operands could not be broadcast together with shapes '
                                         + ' '.join(_shape_str(s) for s in shapes) + ' ')
                    n = m
        out.append(n)
    return tuple(out)


def _norm_axis(axis, ndim):
    a = _operator.index(axis)
    if not -ndim <= a < ndim:
        raise AxisError(f'axis {axis} is out of bounds for array of dimension {ndim}')
    return a % ndim if ndim else 0


def _norm_axes(axis, ndim):
    """axis argument -> sorted tuple of non-negative axes (None -> all)."""
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, (tuple, list)):
        axes = tuple(_norm_axis(a, ndim) for a in axis)
        if len(set(axes)) != len(axes):
            raise ValueError('duplicate value in \'axis\'')
        return tuple(sorted(axes))
    return (_norm_axis(axis, ndim),)


class AxisError(ValueError, IndexError):
    """numpy.AxisError: an axis argument out of range."""


# -- indexing ----------------------------------------------------------------------------------------------------
_INDEX_MSG = ('only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) and integer or boolean '
              'arrays are valid indices')


def _index_item(x):
    """One index item in the tensor library's terms, numpy's rules checked."""
    t = type(x)
    if t is int or t is slice or x is None or x is Ellipsis:
        return x
    if isinstance(x, ndarray):
        if x._dtype.kind == 'b':
            return x._t
        if x._dtype.kind in 'iu':
            return x._t
        raise IndexError('arrays used as indices must be of integer (or boolean) type')
    if isinstance(x, (list, tuple)):
        a = asarray(x) if x else _wrap(_torch.zeros(0, dtype=_torch.int64), int64_dtype)
        return _index_item(a)
    if isinstance(x, _b.bool) or isinstance(x, _d.bool_):
        raise NotImplementedError('indexing with a bare True/False (a new axis of length 1 or 0) is not available '
                                  "in backprop-ninja's numpy")
    if isinstance(x, int):
        return int(x)
    if isinstance(x, _torch.Tensor):
        return x
    if hasattr(x, '__index__') and not isinstance(x, float):
        return _operator.index(x)
    raise IndexError(_INDEX_MSG)


class _Plan:
    """How numpy's index maps onto the tensor library's: the spec to index with, the axes to reverse first
    (negative-step slices, which the library lacks: numpy gives a view, this a copy), and where the
    advanced-index dimensions go (numpy puts them first when integers and arrays are separated by a slice;
    the library takes integers as plain selections)."""
    __slots__ = ('spec', 'flips', 'move', 'view')

    def __init__(self, spec, flips, move, view):
        self.spec, self.flips, self.move, self.view = spec, flips, move, view


def _width(x):
    """How many of the array's axes an index item consumes."""
    if x is None or x is Ellipsis:
        return 0
    if isinstance(x, _torch.Tensor) and x.dtype == _torch.bool:
        return x.ndim
    return 1


def _plan(idx, shape):
    items = list(idx) if type(idx) is tuple else [idx]
    items = [_index_item(x) for x in items]
    nd = len(shape)
    n = sum(_width(x) for x in items)
    if n > nd:
        raise IndexError(f'too many indices for array: array is {nd}-dimensional, but {n} were indexed')
    if items.count(Ellipsis) > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    flips = []
    ax = 0
    for i, x in enumerate(items):
        if x is Ellipsis:
            ax += nd - n
            continue
        if type(x) is int:
            size = shape[ax]
            if not -size <= x < size:
                raise IndexError(f'index {x} is out of bounds for axis {ax} with size {size}')
        elif type(x) is slice and x.step is not None and x.step < 0:
            r = range(*x.indices(shape[ax]))
            flips.append(ax)
            m = shape[ax] - 1
            items[i] = slice(m - r[0], m - r[-1] + 1, -r.step) if len(r) else slice(0, 0)
        elif isinstance(x, _torch.Tensor) and x.dtype == _torch.bool:
            for j, s in enumerate(x.shape):
                if shape[ax + j] != s:
                    raise IndexError(f'boolean index did not match indexed array along dimension {ax + j}; '
                                     f'dimension is {shape[ax + j]} but corresponding boolean dimension is {s}')
        ax += _width(x)
    arrays = [i for i, x in enumerate(items) if isinstance(x, _torch.Tensor)]
    move = None
    if arrays:
        adv = [i for i, x in enumerate(items) if isinstance(x, _torch.Tensor) or type(x) is int]
        numpy_adjacent = adv == list(range(adv[0], adv[-1] + 1))
        torch_items = [x for x in items if type(x) is not int]
        tpos = [i for i, x in enumerate(torch_items) if isinstance(x, _torch.Tensor)]
        torch_adjacent = tpos == list(range(tpos[0], tpos[-1] + 1))
        if not numpy_adjacent and torch_adjacent:
            # the library leaves the advanced dims where the first array was; numpy puts them first
            before = 0
            for x in torch_items[:tpos[0]]:
                before += nd - n if x is Ellipsis else 1 if (x is None or type(x) is slice) else 0
            k = max(a.ndim if a.dtype != _torch.bool else 1 for a in (torch_items[i] for i in tpos))
            move = (before, k) if before else None
    spec = tuple(items) if len(items) != 1 else items[0]
    return _Plan(spec, flips, move, not arrays)


def _flipped(t, axes):
    for ax in axes:
        n = t.shape[ax]
        t = t.index_select(ax, _torch.tensor(list(range(n - 1, -1, -1)), dtype=_torch.int64))
    return t


def _to_front(t, pos, k):
    """t with its k dims at pos moved to the front."""
    order = list(range(pos, pos + k)) + [i for i in range(t.ndim) if not pos <= i < pos + k]
    return t.permute(*order)


def _slice_item_of_axis(items, axis, nd):
    """(item, position) of the index item that indexes the array's axis `axis`."""
    n = sum(_width(x) for x in items)
    ax = 0
    for i, x in enumerate(items):
        if x is Ellipsis:
            ax += nd - n
            continue
        if ax == axis and _width(x) == 1:
            return x, i
        ax += _width(x)
    raise IndexError(axis)


def _orig_item(idx, pos):
    items = list(idx) if type(idx) is tuple else [idx]
    return items[pos]


def _translate(e):
    """A tensor library IndexError in numpy's words."""
    return IndexError(str(e).replace(' for dimension ', ' for axis '))


# -- the array ---------------------------------------------------------------------------------------------------
class ndarray:
    """numpy's n-dimensional array, over a torch tensor (see the module docstring)."""
    __slots__ = ('_t', '_dtype', '_base', '__weakref__')
    __array_priority__ = 0.0
    __hash__ = None

    def __new__(cls, shape, dtype=float, buffer=None, offset=0, strides=None, order=None):
        if buffer is not None or strides is not None:
            raise NotImplementedError('np.ndarray(shape, buffer=..., strides=...) is not available; use np.array')
        d = _resolve(dtype)
        shape = (shape,) if isinstance(shape, int) else tuple(shape)
        return _wrap(_torch.zeros(shape, dtype=_storage(d)), d)

    # -- attributes
    @property
    def shape(self):
        return tuple(self._t.shape)

    @shape.setter
    def shape(self, value):
        new = self.reshape(value)
        if not self._t.is_contiguous():
            raise AttributeError('Incompatible shape for in-place modification. Use `.reshape()` to make a copy '
                                 'with the desired shape.')
        self._t = new._t

    @property
    def ndim(self):
        return self._t.ndim

    @property
    def size(self):
        return self._t.numel()

    @property
    def dtype(self):
        return self._dtype

    @property
    def itemsize(self):
        return self._dtype.itemsize

    @property
    def nbytes(self):
        return self._dtype.itemsize * self.size

    @property
    def strides(self):
        out, acc = [], self._dtype.itemsize
        for n in reversed(self.shape):
            out.append(acc)
            acc *= n
        return tuple(reversed(out))

    @property
    def base(self):
        return self._base

    @property
    def T(self):
        return self.transpose()

    @property
    def flat(self):
        return iter(self.ravel())

    @property
    def real(self):
        return self

    @property
    def imag(self):
        return _wrap(_torch.zeros(self.shape, dtype=_storage(self._dtype)), self._dtype)

    @property
    def flags(self):
        c = self._t.is_contiguous()
        return _Flags(c, self.ndim <= 1 and c, True)

    @property
    def data(self):
        raise NotImplementedError("ndarray.data (the raw buffer) is not available in backprop-ninja's numpy")

    # -- conversions
    def astype(self, dtype, order='K', casting='unsafe', subok=True, copy=True):
        d = _resolve(dtype)
        if d is self._dtype:
            return _wrap(self._t.clone(), d) if copy else self
        if casting != 'unsafe' and not _d.can_cast(self._dtype, d, casting):
            raise TypeError(f"Cannot cast array data from {self._dtype!r} to {d!r} according to the rule '{casting}'")
        return _wrap(_cast_tensor(self._t, self._dtype, d), d)

    def copy(self, order='C'):
        return _wrap(self._t.clone().contiguous(), self._dtype)

    def view(self, dtype=None, type=None):
        if dtype is not None and _resolve(dtype) is not self._dtype:
            raise NotImplementedError("ndarray.view(dtype) (reinterpreting bytes) is not available in backprop-ninja's "
                                      'numpy; use .astype(dtype)')
        return _wrap(self._t[...], self._dtype, self)

    def tolist(self):
        v = self._t.tolist()
        if self._dtype.kind == 'b' or self._dtype is float64_dtype or self._dtype is int64_dtype:
            return v
        return v  # narrower types hold their values already (ints in range, floats rounded)

    def item(self, *args):
        if args:
            if len(args) == 1 and isinstance(args[0], int):
                n = self.size
                i = args[0]
                if not -n <= i < n:
                    raise IndexError(f'index {i} is out of bounds for size {n}')
                return _item_value(self._t.reshape(-1)[i], self._dtype)
            return _item_value(self._t[tuple(args)], self._dtype)
        if self.size != 1:
            raise ValueError('can only convert an array of size 1 to a Python scalar')
        return _item_value(self._t.reshape(-1)[0], self._dtype)

    def tobytes(self, order='C'):
        import struct
        code = {'?': '?', 'b': 'b', 'h': 'h', 'i': 'i', 'l': 'q', 'B': 'B', 'H': 'H', 'I': 'I', 'L': 'Q', 'e': 'e',
                'f': 'f', 'd': 'd'}[self._dtype.char]
        vals = self.ravel().tolist()
        return struct.pack('<%d%s' % (len(vals), code), *vals)

    def fill(self, value):
        self._t[...] = cast_value(_scalar_value(value), self._dtype)

    def __array__(self, dtype=None):
        return self if dtype is None else self.astype(dtype)

    def __float__(self):
        if self.size != 1:
            raise TypeError('only size-1 arrays can be converted to Python scalars')
        return float(self.item())

    def __int__(self):
        if self.size != 1:
            raise TypeError('only size-1 arrays can be converted to Python scalars')
        return int(self.item())

    def __index__(self):
        if self.ndim != 0 or self._dtype.kind not in 'iu':
            raise TypeError('only integer scalar arrays can be converted to a scalar index')
        return self.item()

    def __bool__(self):
        n = self.size
        if n == 1:
            return _b.bool(self.item())
        if n == 0:
            return False
        raise ValueError('The truth value of an array with more than one element is ambiguous. Use a.any() or a.all()')

    def __len__(self):
        if self._t.ndim == 0:
            raise TypeError('len() of unsized object')
        return self._t.shape[0]

    def __iter__(self):
        if self._t.ndim == 0:
            raise TypeError('iteration over a 0-d array')
        if self._t.ndim == 1:
            d = self._dtype
            return iter([_scalar(v, d) for v in self._t.tolist()])
        return (self[i] for i in range(self._t.shape[0]))

    def __contains__(self, x):
        return _b.bool((self == x).any())

    def __copy__(self):
        return self.copy()

    def __deepcopy__(self, memo):
        return self.copy()

    def __reduce__(self):
        return (array, (self.tolist(), self._dtype.name))

    # -- printing
    def __repr__(self):
        from numpy.arrayprint import array_repr
        return array_repr(self)

    def __str__(self):
        from numpy.arrayprint import array_str
        return array_str(self)

    def __format__(self, spec):
        if self.ndim == 0:
            return format(self[()], spec)
        if spec:
            raise TypeError('unsupported format string passed to numpy.ndarray.__format__')
        return str(self)

    # -- indexing
    def __getitem__(self, idx):
        t = self._t
        if type(idx) is int and t.ndim == 1:  # the common a[i]
            n = t.shape[0]
            if not -n <= idx < n:
                raise IndexError(f'index {idx} is out of bounds for axis 0 with size {n}')
            return _scalar(_item_value(t[idx], self._dtype), self._dtype)
        if type(idx) is tuple and not idx:
            if t.ndim == 0:
                return _scalar(_item_value(t, self._dtype), self._dtype)
            return _wrap(t[...], self._dtype, self)
        plan = _plan(idx, tuple(t.shape))
        src = _flipped(t, plan.flips) if plan.flips else t
        try:
            r = src[plan.spec]
        except IndexError as e:
            raise _translate(e) from None
        if plan.move:
            r = _to_front(r, *plan.move)
        if r.ndim == 0 and not _has_none(plan.spec):
            return _scalar(_item_value(r, self._dtype), self._dtype)
        return _wrap(r, self._dtype, self if plan.view and not plan.flips else None)

    def __setitem__(self, idx, value):
        t = self._t
        d = self._dtype
        if isinstance(value, ndarray):
            v = value._t if value._dtype is d else _cast_tensor(value._t, value._dtype, d)
        else:
            sv = _scalar_value(value)
            if sv is not None:
                v = cast_value(sv, d)
            else:
                a = asarray(value)
                v = a._t if a._dtype is d else _cast_tensor(a._t, a._dtype, d)
        if type(idx) is tuple and not idx:
            idx = Ellipsis
        plan = _plan(idx, tuple(t.shape))
        spec = plan.spec
        if plan.flips:
            # a negative-step slice: its positions as an index array (the library's slices step forward)
            items = list(spec) if type(spec) is tuple else [spec]
            if any(isinstance(x, _torch.Tensor) for x in items) or len(plan.flips) > 1:
                raise NotImplementedError('assigning through a negative-step slice together with other '
                                          "array indices is not available in backprop-ninja's numpy")
            _, pos = _slice_item_of_axis(items, plan.flips[0], len(t.shape))
            r = range(*_orig_item(idx, pos).indices(t.shape[plan.flips[0]]))
            items[pos] = _torch.tensor(list(r), dtype=_torch.int64)
            spec = tuple(items) if len(items) != 1 else items[0]
        if plan.move and isinstance(v, _torch.Tensor) and v.ndim:
            res = t[spec].shape  # the library's order of the result
            pos, k = plan.move
            nshape = tuple(res[pos:pos + k]) + tuple(res[:pos]) + tuple(res[pos + k:])
            v = v.expand(*nshape) if tuple(v.shape) != nshape else v
            back = list(range(k, k + pos)) + list(range(k)) + list(range(k + pos, len(nshape)))
            v = v.permute(*back)
        try:
            t[spec] = v
        except IndexError as e:
            raise _translate(e) from None
        except RuntimeError as e:
            raise ValueError(str(e)) from None

    # -- shape
    def reshape(self, *shape, order='C'):
        if order not in ('C', 'A'):
            raise NotImplementedError("reshape(order='F') is not available in backprop-ninja's numpy")
        if len(shape) == 1 and not isinstance(shape[0], int):
            shape = tuple(shape[0])
        shape = tuple(_operator.index(s) for s in shape)
        n = self.size
        known = 1
        unknown = [i for i, s in enumerate(shape) if s < 0]
        for s in shape:
            if s >= 0:
                known *= s
        if len(unknown) > 1:
            raise ValueError('can only specify one unknown dimension')
        if (unknown and (known == 0 or n % known)) or (not unknown and known != n):
            raise ValueError(f'cannot reshape array of size {n} into shape '
                             + _shape_str(tuple('newaxis' if s < 0 else s for s in shape)))
        if unknown:
            shape = tuple(n // known if s < 0 else s for s in shape)
        t = self._t.reshape(shape)
        return _wrap(t, self._dtype, self if self._t.is_contiguous() else None)

    def transpose(self, *axes):
        if len(axes) == 1 and (axes[0] is None or not isinstance(axes[0], int)):
            axes = axes[0]
        nd = self.ndim
        if axes is None or axes == ():
            axes = tuple(range(nd - 1, -1, -1))
        else:
            axes = tuple(_norm_axis(a, nd) for a in axes)
            if len(axes) != nd:
                raise ValueError("axes don't match array")
            if len(set(axes)) != nd:
                raise ValueError('repeated axis in transpose')
        if nd < 2:
            return _wrap(self._t[...], self._dtype, self)
        return _wrap(self._t.permute(*axes), self._dtype, self)

    def swapaxes(self, axis1, axis2):
        nd = self.ndim
        a, b = _norm_axis(axis1, nd), _norm_axis(axis2, nd)
        axes = list(range(nd))
        axes[a], axes[b] = axes[b], axes[a]
        return self.transpose(axes)

    def ravel(self, order='C'):
        if order not in ('C', 'A', 'K'):
            raise NotImplementedError("ravel(order='F') is not available in backprop-ninja's numpy")
        return self.reshape(-1)

    def flatten(self, order='C'):
        return _wrap(self._t.reshape(-1).clone(), self._dtype)

    def squeeze(self, axis=None):
        return _F.squeeze(self, axis)

    def repeat(self, repeats, axis=None):
        return _F.repeat(self, repeats, axis)

    def take(self, indices, axis=None):
        return _F.take(self, indices, axis)

    def nonzero(self):
        return _F.nonzero(self)

    def sort(self, axis=-1, kind=None, order=None):
        s = _F.sort(self, axis, kind)
        self._t.copy_(s._t)

    def argsort(self, axis=-1, kind=None, order=None):
        return _F.argsort(self, axis, kind)

    def searchsorted(self, v, side='left', sorter=None):
        return _F.searchsorted(self, v, side, sorter)

    def clip(self, min=None, max=None, out=None, **kw):
        return _F.clip(self, min, max, out=out, **kw)

    def round(self, decimals=0, out=None):
        return _F.round_(self, decimals, out)

    def dot(self, b):
        return _F.dot(self, b)

    def cumsum(self, axis=None, dtype=None, out=None):
        return _F.cumsum(self, axis, dtype, out)

    def cumprod(self, axis=None, dtype=None, out=None):
        return _F.cumprod(self, axis, dtype, out)

    def diagonal(self, offset=0, axis1=0, axis2=1):
        return _F.diagonal(self, offset, axis1, axis2)

    def trace(self, offset=0, axis1=0, axis2=1, dtype=None, out=None):
        return _F.trace(self, offset, axis1, axis2, dtype, out)

    # -- reductions
    def sum(self, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=True):
        return _F.sum(self, axis, dtype, out, keepdims, initial, where)

    def prod(self, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=True):
        return _F.prod(self, axis, dtype, out, keepdims, initial, where)

    def mean(self, axis=None, dtype=None, out=None, keepdims=False, *, where=True):
        return _F.mean(self, axis, dtype, out, keepdims, where=where)

    def var(self, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=True):
        return _F.var(self, axis, dtype, out, ddof, keepdims, where=where)

    def std(self, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=True):
        return _F.std(self, axis, dtype, out, ddof, keepdims, where=where)

    def max(self, axis=None, out=None, keepdims=False, initial=None, where=True):
        return _F.amax(self, axis, out, keepdims, initial, where)

    def min(self, axis=None, out=None, keepdims=False, initial=None, where=True):
        return _F.amin(self, axis, out, keepdims, initial, where)

    def argmax(self, axis=None, out=None, *, keepdims=False):
        return _F.argmax(self, axis, out, keepdims=keepdims)

    def argmin(self, axis=None, out=None, *, keepdims=False):
        return _F.argmin(self, axis, out, keepdims=keepdims)

    def all(self, axis=None, out=None, keepdims=False, *, where=True):
        return _F.all(self, axis, out, keepdims, where=where)

    def any(self, axis=None, out=None, keepdims=False, *, where=True):
        return _F.any(self, axis, out, keepdims, where=where)

    def ptp(self, axis=None, out=None, keepdims=False):
        return _F.ptp(self, axis, out, keepdims)

    def __getattr__(self, name):
        if name.startswith('__'):
            raise AttributeError(name)
        raise AttributeError(f"'numpy.ndarray' object has no attribute '{name}' (not implemented by backprop-ninja's "
                             'numpy; see docs/numpy.md for what is)')


ndarray.__module__ = 'numpy'


class _Flags:
    def __init__(self, c, f, writeable):
        self.c_contiguous = self.contiguous = c
        self.f_contiguous = f
        self.writeable = writeable
        self.owndata = True

    def __getitem__(self, k):
        return {'C_CONTIGUOUS': self.c_contiguous, 'C': self.c_contiguous, 'F_CONTIGUOUS': self.f_contiguous,
                'F': self.f_contiguous, 'WRITEABLE': self.writeable, 'W': self.writeable,
                'OWNDATA': self.owndata}[k]

    def __repr__(self):
        return (f'  C_CONTIGUOUS : {self.c_contiguous}\n  F_CONTIGUOUS : {self.f_contiguous}\n'
                f'  OWNDATA : {self.owndata}\n  WRITEABLE : {self.writeable}\n  ALIGNED : True\n'
                f'  WRITEBACKIFCOPY : False\n')


def _has_none(spec):
    return spec is None or (type(spec) is tuple and any(x is None for x in spec))


def _scalar_value(x):
    """A Python number for a scalar value (Python or numpy scalar, 0-d array), else None."""
    if type(x) in (float, int, _b.bool):
        return x
    if isinstance(x, _d.bool_):
        return _b.bool(x)
    if isinstance(x, (int, float)):
        return x
    if isinstance(x, ndarray) and x.ndim == 0:
        return x.item()
    return None


def _cast_tensor(t, src, dst):
    """t (src's storage) as dst's storage type and range: float -> int truncates toward zero (as C), int -> narrower
    int wraps, float -> float16 rounds."""
    if src is dst:
        return t
    if dst.kind == 'b':
        return t != 0
    if dst.kind in 'iu' and src.kind == 'f':
        t = _trunc(t)
        # NaN and inf have no integer value: C gives INT_MIN on x86 (numpy warns)
        bad = (t != t) | (t.abs() == _math.inf)
        if _b.bool(bad.any()):
            t = _torch.where(bad, _torch.full(tuple(t.shape), float(dst.min if dst.kind == 'i' else 0),
                                              dtype=t.dtype), t)
    return _fix(t.to(_storage(dst)) if t.dtype != _storage(dst) else t, dst)


def _trunc(t):
    """Rounding toward zero (the tensor library has floor and ceil)."""
    return _torch.where(t < 0, t.ceil(), t.floor())
