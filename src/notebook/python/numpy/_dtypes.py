"""dtypes, scalar types and numpy 1.24's type promotion (value-based casting of scalars included).

Each dtype is a singleton (``np.dtype('float64') is np.dtype(float)``); each has a scalar type (``np.float64``,
a subclass of Python's float as in numpy; ``np.float32``, ``np.int64``... subclass float/int here too, so that
they work wherever a Python number does) and a storage dtype in the tensor library: float32 and float64 are
stored as such, bool as bool, every integer type in int64 (the values wrapped to the type's range after each
operation), float16 in float32 (the values rounded to half precision after each operation).

Promotion follows numpy 1.24's ``PyArray_ResultType`` and the ufunc loop search: arrays promote by their
dtypes; a scalar (a Python number, a numpy scalar or a 0-d array) among arrays of the same or a higher kind
(bool < int < float) counts by the smallest type that holds its value (``np.min_scalar_type``), so
``uint8_array + 1`` stays uint8 and ``float32_array + 2.5`` stays float32, while ``int_array + 2.5`` is float64.
"""

import math
import struct

# -- the abstract scalar types: numpy's hierarchy, for isinstance and issubdtype ---------------------------------


class generic:
    """The base of every numpy scalar type."""
    __slots__ = ()


class number(generic):
    __slots__ = ()


class integer(number):
    __slots__ = ()


class signedinteger(integer):
    __slots__ = ()


class unsignedinteger(integer):
    __slots__ = ()


class inexact(number):
    __slots__ = ()


class floating(inexact):
    __slots__ = ()


# -- dtypes --------------------------------------------------------------------------------------------------------
_BY_NAME = {}  # every name and alias -> dtype
_KIND_ORDER = {'b': 0, 'u': 1, 'i': 1, 'f': 2}  # numpy's simplified kind order (bool < int < float)


class dtype:
    """A data type: ``np.dtype('float32')``, ``np.dtype(float)``, ``np.dtype(np.int32)``, ``np.dtype('i8')``."""
    __slots__ = ('name', 'char', 'kind', 'itemsize', 'type', 'bits', 'min', 'max', 'storage', '__weakref__')

    def __new__(cls, spec=None, align=False, copy=False):
        return _resolve(spec)

    def __repr__(self):
        return f"dtype('{self.name}')"

    def __str__(self):
        return self.name

    def __eq__(self, other):
        if isinstance(other, dtype):
            return self is other
        try:
            return self is _resolve(other)
        except TypeError:
            return False

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return hash(('numpy.dtype', self.name))

    def __reduce__(self):
        return (dtype, (self.name,))

    @property
    def str(self):
        return ('|' if self.itemsize == 1 else '<') + self.kind + str(self.itemsize)

    @property
    def byteorder(self):
        return '|' if self.itemsize == 1 else '='

    @property
    def isnative(self):
        return True

    @property
    def names(self):
        return None

    @property
    def fields(self):
        return None

    @property
    def shape(self):
        return ()

    @property
    def ndim(self):
        return 0

    @property
    def base(self):
        return self

    @property
    def descr(self):
        return [('', self.str)]

    @property
    def num(self):
        return {'?': 0, 'b': 1, 'B': 2, 'h': 3, 'H': 4, 'i': 5, 'I': 6, 'l': 7, 'L': 8, 'e': 23, 'f': 11,
                'd': 12}[self.char]

    def newbyteorder(self, order='S'):
        return self


def _make(name, char, kind, itemsize, storage, aliases=()):
    # numpy's dtypes are instances of one class per type: type(np.dtype('int64')) is numpy.dtype[int64]
    cls = type(f'dtype[{name}]', (dtype,), {'__slots__': (), '__module__': 'numpy'})
    d = object.__new__(cls)
    d.name, d.char, d.kind, d.itemsize, d.storage = name, char, kind, itemsize, storage
    d.bits = itemsize * 8
    if kind == 'i':
        d.min, d.max = -(1 << (d.bits - 1)), (1 << (d.bits - 1)) - 1
    elif kind == 'u':
        d.min, d.max = 0, (1 << d.bits) - 1
    elif kind == 'b':
        d.min, d.max = 0, 1
    else:
        d.min = d.max = None
    for a in (name, char) + tuple(aliases):
        _BY_NAME[a] = d
    return d


bool_dtype = _make('bool', '?', 'b', 1, 'bool', ('bool_', 'b1', '?'))
int8_dtype = _make('int8', 'b', 'i', 1, 'int64', ('i1', 'byte'))
int16_dtype = _make('int16', 'h', 'i', 2, 'int64', ('i2', 'short'))
int32_dtype = _make('int32', 'i', 'i', 4, 'int64', ('i4', 'intc'))
int64_dtype = _make('int64', 'l', 'i', 8, 'int64', ('i8', 'int', 'int_', 'long', 'q', 'longlong', 'intp', 'p'))
uint8_dtype = _make('uint8', 'B', 'u', 1, 'int64', ('u1', 'ubyte'))
uint16_dtype = _make('uint16', 'H', 'u', 2, 'int64', ('u2', 'ushort'))
uint32_dtype = _make('uint32', 'I', 'u', 4, 'int64', ('u4', 'uintc'))
uint64_dtype = _make('uint64', 'L', 'u', 8, 'int64', ('u8', 'uint', 'ulong', 'Q', 'ulonglong', 'uintp', 'P'))
float16_dtype = _make('float16', 'e', 'f', 2, 'float32', ('f2', 'half'))
float32_dtype = _make('float32', 'f', 'f', 4, 'float32', ('f4', 'single'))
float64_dtype = _make('float64', 'd', 'f', 8, 'float64', ('f8', 'float', 'double', 'float_', 'g', 'longdouble',
                                                         'longfloat'))
for _k in list(_BY_NAME):
    for _p in ('<', '=', '|'):
        _BY_NAME.setdefault(_p + _k, _BY_NAME[_k])
del _k, _p

_UNSUPPORTED_KINDS = {
    'complex': 'complex numbers', 'complex64': 'complex numbers', 'complex128': 'complex numbers', 'c8': 'complex numbers',
    'c16': 'complex numbers', 'F': 'complex numbers', 'D': 'complex numbers', 'O': 'object arrays',
    'object': 'object arrays', 'object_': 'object arrays', 'str': 'string arrays', 'U': 'string arrays',
    'S': 'byte-string arrays', 'str_': 'string arrays', 'bytes_': 'byte-string arrays', 'datetime64': 'datetime64',
    'M': 'datetime64', 'timedelta64': 'timedelta64', 'm': 'timedelta64', 'V': 'void (structured) dtypes',
    'void': 'void (structured) dtypes',
}


def _unsupported_dtype(what):
    return NotImplementedError(
        f"numpy dtype {what} is not available in backprop-ninja's numpy; its arrays hold bool, int8/16/32/64, "
        "uint8/16/32/64, float16, float32 and float64")


def _resolve(spec):
    """A dtype from anything numpy accepts as one."""
    if spec is None:
        return float64_dtype
    if isinstance(spec, dtype):
        return spec
    if isinstance(spec, type):
        if spec is float:
            return float64_dtype
        if spec is int:
            return int64_dtype
        if spec is bool:
            return bool_dtype
        d = getattr(spec, '_dtype', None)
        if isinstance(d, dtype):
            return d
        if spec is complex or spec is object or spec is str or spec is bytes:
            raise _unsupported_dtype(spec.__name__)
        raise TypeError(f'Cannot interpret {spec!r} as a data type')
    if isinstance(spec, str):
        d = _BY_NAME.get(spec)
        if d is not None:
            return d
        base = spec.lstrip('<>=|')
        if base in _UNSUPPORTED_KINDS or base[:1] in ('U', 'S', 'c', 'M', 'm', 'O', 'V'):
            raise _unsupported_dtype(repr(spec))
        raise TypeError(f"data type {spec!r} not understood")
    d = getattr(spec, 'dtype', None)
    if isinstance(d, dtype):
        return d
    raise TypeError(f'Cannot interpret {spec!r} as a data type')


# -- promotion ---------------------------------------------------------------------------------------------------
_INTS = [int8_dtype, int16_dtype, int32_dtype, int64_dtype]
_UINTS = [uint8_dtype, uint16_dtype, uint32_dtype, uint64_dtype]
_FLOATS = [float16_dtype, float32_dtype, float64_dtype]


def _can_cast_safe(a, b):
    """numpy's 'safe' casting between the supported dtypes."""
    if a is b:
        return True
    if a.kind == 'b':
        return True
    if b.kind == 'b':
        return False
    if b.kind == 'f':
        if a.kind == 'f':
            return b.bits >= a.bits
        # an integer of n bits: float16 holds n <= 8 exactly, float32 n <= 16; float64 counts as safe for all
        return b is float64_dtype or a.bits <= b.bits // 2
    if a.kind == 'f':
        return False
    if a.kind == b.kind:
        return b.bits >= a.bits
    return a.kind == 'u' and b.bits > a.bits  # unsigned into a wider signed type


def promote_types(a, b):
    """The smallest dtype both cast to safely (np.promote_types)."""
    a, b = _resolve(a), _resolve(b)
    if _can_cast_safe(a, b):
        return b
    if _can_cast_safe(b, a):
        return a
    for c in (int16_dtype, int32_dtype, int64_dtype, float16_dtype, float32_dtype, float64_dtype):
        if _can_cast_safe(a, c) and _can_cast_safe(b, c):
            return c
    return float64_dtype


def _min_scalar_dtype(value, d):
    """(np.min_scalar_type of value with dtype d, is_small_unsigned) as numpy's min_scalar_type_num."""
    if d.kind == 'b':
        return bool_dtype, False
    if d.kind in 'iu':
        v = int(value)
        if v >= 0:
            for u, s in zip(_UINTS, _INTS):
                if v <= u.max:
                    return u, v <= s.max
            return uint64_dtype, False
        for s in _INTS:
            if v >= s.min:
                return s, False
        return int64_dtype, False
    v = float(value)
    if d is float16_dtype:
        return float16_dtype, False
    if (-65000 < v < 65000) or not math.isfinite(v):
        return float16_dtype, False
    if d is float32_dtype or -3.4e38 < v < 3.4e38:
        return float32_dtype, False
    return float64_dtype, False


def min_scalar_type(a):
    """np.min_scalar_type: for a scalar, the smallest dtype that holds its value; an array's own dtype."""
    from numpy._multiarray import ndarray, _scalar_dtype
    if isinstance(a, ndarray):
        if a.ndim:
            return a.dtype
        a = a[()]
    return _min_scalar_dtype(a, _scalar_dtype(a))[0]


def _use_min_scalar(operands):
    """should_use_min_scalar: some operand is an array and no scalar's kind exceeds every array's kind.
    operands: [(dtype, is_scalar, value)]"""
    max_scalar = max_array = -1
    all_scalars = True
    for d, scalar, _ in operands:
        k = _KIND_ORDER[d.kind]
        if scalar:
            max_scalar = max(max_scalar, k)
        else:
            max_array = max(max_array, k)
            all_scalars = False
    return not all_scalars and max_array >= max_scalar


def _promote_small(t1, t2, small1, small2):
    """numpy's internal promote_types: an unsigned scalar that fits the signed type of its size counts as that
    signed type next to a signed integer or a float (so int8_array + 100 stays int8, int8 + 300 is int16)."""
    if small1 and t2.kind in 'if':
        return promote_types(_INTS[_UINTS.index(t1)], t2)
    if small2 and t1.kind in 'if':
        return promote_types(t1, _INTS[_UINTS.index(t2)])
    return promote_types(t1, t2)


def result_dtype(operands, dtypes=()):
    """PyArray_ResultType over operands [(dtype, is_scalar, value)] and plain dtypes: value-based for scalars
    when _use_min_scalar (the dtypes count as arrays there)."""
    ops = list(operands) + [(d, False, None) for d in dtypes]
    if not _use_min_scalar(ops):
        out = None
        for d, _, _ in ops:
            out = d if out is None else promote_types(out, d)
        return out
    ret, ret_small = None, False
    for d, scalar, value in ops:
        t, small = _min_scalar_dtype(value, d) if scalar else (d, False)
        if ret is None:
            ret, ret_small = t, small
        else:
            ret = _promote_small(t, ret, small, ret_small)
            ret_small = small and ret_small
    return ret


def _can_cast_operand(d, scalar, value, to, use_min):
    """Whether one ufunc operand casts safely to a loop's type (PyArray_CanCastArrayTo / can_cast_scalar_to)."""
    if use_min and scalar and d.kind != 'b' and to.kind != 'b':
        m, small_unsigned = _min_scalar_dtype(value, d)
        if small_unsigned and to.kind != 'u':
            m = _INTS[_UINTS.index(m)]
        return _can_cast_safe(m, to)
    return _can_cast_safe(d, to)


def result_type(*arrays_and_dtypes):
    """np.result_type(*arrays_and_dtypes)."""
    from numpy._multiarray import _operand
    ops, dts = [], []
    for x in arrays_and_dtypes:
        if isinstance(x, (dtype, str, type)):
            dts.append(_resolve(x))
        else:
            op = _operand(x)
            if op is None:
                raise TypeError(f'Cannot interpret {x!r} as a data type')
            ops.append(op[:3])
    return result_dtype(ops, dts)


def can_cast(from_, to, casting='safe'):
    """np.can_cast for dtypes (and scalars, by value, under 'safe')."""
    to = _resolve(to)
    if casting == 'unsafe':
        return True
    from numpy._multiarray import ndarray
    if isinstance(from_, (dtype, str, type)):
        f = _resolve(from_)
        if casting in ('no', 'equiv'):
            return f is to
        if casting == 'same_kind':
            return _same_kind(f, to)
        return _can_cast_safe(f, to)
    from numpy._multiarray import _operand
    d, scalar, value = _operand(from_)[:3]
    if isinstance(from_, ndarray) and from_.ndim:
        return can_cast(d, to, casting)
    return _can_cast_operand(d, True, value, to, True)


def _same_kind(f, to):
    """numpy's 'same_kind' casting: a safe cast, or one to the same or a higher kind (b < u < i < f), such as
    float64 -> float32 or int64 -> int8, never float -> int."""
    return _can_cast_safe(f, to) or _CAST_ORDER[f.kind] <= _CAST_ORDER[to.kind]


_CAST_ORDER = {'b': 0, 'u': 1, 'i': 2, 'f': 4}


# -- values: a Python number as a dtype holds it -----------------------------------------------------------------
_F32 = struct.Struct('<f')
_F16 = struct.Struct('<e')


def round32(x):
    """x rounded to float32 (to nearest even; inf past float32's range, as a C cast)."""
    try:
        return _F32.unpack(_F32.pack(x))[0]
    except OverflowError:
        return math.copysign(math.inf, x) if abs(x) >= 3.4028235677973366e38 else x


def round16(x):
    try:
        return _F16.unpack(_F16.pack(x))[0]
    except OverflowError:
        return math.copysign(math.inf, x)


def wrap_int(v, d):
    """An integer wrapped into d's range (two's complement), as a C cast."""
    if d.min <= v <= d.max:
        return v
    m = 1 << d.bits
    v &= m - 1
    return v - m if d.kind == 'i' and v > d.max else v


def cast_value(v, d):
    """A Python number as dtype d holds it: bool, a wrapped int, or a float rounded to d's precision."""
    if d.kind == 'b':
        return bool(v)
    if d.kind in 'iu':
        if isinstance(v, float):
            if not math.isfinite(v):
                return d.min if d.kind == 'i' else 0  # what x86's conversion gives (numpy warns)
            v = int(v)  # truncation toward zero, as C
        return wrap_int(int(v), d)
    v = float(v)
    if d is float64_dtype:
        return v
    if d is float32_dtype:
        return round32(v)
    return round16(v)


# -- scalar types ------------------------------------------------------------------------------------------------
def _scalar_new(cls, value=0):
    d = cls._dtype
    if isinstance(value, str):
        value = float(value) if d.kind == 'f' else int(value, 0) if d.kind in 'iu' else bool(value)
    else:
        from numpy._multiarray import ndarray
        if isinstance(value, ndarray):
            if value.ndim:
                return value.astype(d)
            value = value.item()
        elif hasattr(value, '__float__') and not isinstance(value, (int, float)):
            value = float(value) if d.kind == 'f' else int(value) if hasattr(value, '__int__') else float(value)
    return cast_value(value, d)


class _FloatScalar(floating, float):
    __slots__ = ()

    def __new__(cls, value=0.0):
        v = _scalar_new(cls, value)
        if not isinstance(v, float):
            return v  # an array, from an array argument
        return float.__new__(cls, v)


class _IntScalar(integer, int):
    __slots__ = ()

    def __new__(cls, value=0):
        v = _scalar_new(cls, value)
        if not isinstance(v, int):
            return v
        return int.__new__(cls, v)


class float64(_FloatScalar):
    __slots__ = ()


class float32(_FloatScalar):
    __slots__ = ()


class float16(_FloatScalar):
    __slots__ = ()


class int8(_IntScalar, signedinteger):
    __slots__ = ()


class int16(_IntScalar, signedinteger):
    __slots__ = ()


class int32(_IntScalar, signedinteger):
    __slots__ = ()


class int64(_IntScalar, signedinteger):
    __slots__ = ()


class uint8(_IntScalar, unsignedinteger):
    __slots__ = ()


class uint16(_IntScalar, unsignedinteger):
    __slots__ = ()


class uint32(_IntScalar, unsignedinteger):
    __slots__ = ()


class uint64(_IntScalar, unsignedinteger):
    __slots__ = ()


class bool_(generic):
    """numpy's boolean scalar (np.True_, np.False_); not a subclass of Python's bool, as in numpy."""
    __slots__ = ('_v',)

    def __new__(cls, value=False):
        from numpy._multiarray import ndarray
        if isinstance(value, ndarray) and value.ndim:
            return value.astype(bool_dtype)
        return _BOOLS[bool(value)]

    def __bool__(self):
        return self._v

    def __hash__(self):
        return hash(self._v)

    def __index__(self):
        raise TypeError("'numpy.bool_' object cannot be interpreted as an integer")

    def __int__(self):
        return int(self._v)

    def __float__(self):
        return float(self._v)


_BOOLS = {}
for _v in (True, False):
    _BOOLS[_v] = object.__new__(bool_)
    _BOOLS[_v]._v = _v
del _v
True_ = _BOOLS[True]
False_ = _BOOLS[False]

for _d, _t in ((bool_dtype, bool_), (int8_dtype, int8), (int16_dtype, int16), (int32_dtype, int32),
               (int64_dtype, int64), (uint8_dtype, uint8), (uint16_dtype, uint16), (uint32_dtype, uint32),
               (uint64_dtype, uint64), (float16_dtype, float16), (float32_dtype, float32),
               (float64_dtype, float64)):
    _d.type = _t
    _t._dtype = _d
del _d, _t

SCALAR_TYPES = (bool_, int8, int16, int32, int64, uint8, uint16, uint32, uint64, float16, float32, float64)


def scalar(value, d):
    """The numpy scalar of dtype d holding value (a Python number already in d's range)."""
    if d.kind == 'b':
        return _BOOLS[bool(value)]
    return d.type.__new__(d.type, value) if d.kind == 'f' else int.__new__(d.type, value)


def issubdtype(arg1, arg2):
    """np.issubdtype(arg1, arg2): arg2 may be an abstract type (np.floating, np.integer, np.number...)."""
    t1 = _resolve(arg1).type if not (isinstance(arg1, type) and issubclass(arg1, generic)) else arg1
    if isinstance(arg2, type) and issubclass(arg2, generic):
        return issubclass(t1, arg2)
    return t1 is _resolve(arg2).type
