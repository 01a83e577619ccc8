"""ufuncs: numpy's elementwise functions, with numpy 1.24's dtype resolution, over the tensor library's kernels.

Each ufunc carries numpy 1.24's loop list (its ``types``, the signatures this runtime can hold) and numpy's type
resolver for it: ``add``/``subtract``/``multiply``/``maximum``/``minimum``/comparisons take the promoted type of
their operands (``PyArray_ResultType``, value-based for scalars); ``true_divide`` of integers is float64; the
others search the loop list for the first signature every operand casts to safely (value-based for scalars
among arrays), as numpy's linear search does; so ``np.sqrt`` of an int64 array is float64 and of an int8 one
float16, as in numpy.

Arrays go through the tensor library (operands cast to the loop's type first, the result wrapped or rounded to
the output type). When every operand is a scalar (Python numbers, numpy scalars, 0-d arrays) the arithmetic and
comparisons are computed in Python on the values cast to the loop's type, exact for + - * / and the comparisons
(a float32 result is the double result rounded once, which is the float32 result for these operations), and the
result is a numpy scalar (np.float64(...)), as numpy returns. Transcendental functions of scalars use the same
kernels as arrays, so ``np.tanh(x)[i] == np.tanh(x[i])``.
"""

import builtins as _b
import math as _math
import operator as _op

import torch as _torch

from numpy import _dtypes as _d
from numpy import _multiarray as _m
from numpy._dtypes import bool_dtype, float64_dtype, cast_value, _BY_NAME
from numpy._multiarray import ndarray, _operand, _wrap, _fix, _result, _storage, broadcast_shapes

# numpy 1.24's loops (ufunc.types), restricted to the types this runtime holds: ? b B h H i I l L e f d
_LOOPS = {
    'add': '??->? bb->b BB->B hh->h HH->H ii->i II->I ll->l LL->L ee->e ff->f dd->d',
    'subtract': 'bb->b BB->B hh->h HH->H ii->i II->I ll->l LL->L ee->e ff->f dd->d',
    'multiply': '??->? bb->b BB->B hh->h HH->H ii->i II->I ll->l LL->L ee->e ff->f dd->d',
    'true_divide': 'ee->e ff->f dd->d',
    'floor_divide': 'bb->b BB->B hh->h HH->H ii->i II->I ll->l LL->L ee->e ff->f dd->d',
    'remainder': 'bb->b BB->B hh->h HH->H ii->i II->I ll->l LL->L ee->e ff->f dd->d',
    'fmod': 'bb->b BB->B hh->h HH->H ii->i II->I ll->l LL->L ee->e ff->f dd->d',
    'power': 'bb->b BB->B hh->h HH->H ii->i II->I ll->l LL->L ee->e ff->f dd->d',
    'maximum': '??->? bb->b BB->B hh->h HH->H ii->i II->I ll->l LL->L ee->e ff->f dd->d',
    'minimum': '??->? bb->b BB->B hh->h HH->H ii->i II->I ll->l LL->L ee->e ff->f dd->d',
    'fmax': '??->? bb->b BB->B hh->h HH->H ii->i II->I ll->l LL->L ee->e ff->f dd->d',
    'fmin': '??->? bb->b BB->B hh->h HH->H ii->i II->I ll->l LL->L ee->e ff->f dd->d',
    'equal': '??->? bb->? BB->? hh->? HH->? ii->? II->? ll->? LL->? ee->? ff->? dd->?',
    'logical_and': '??->? bb->? BB->? hh->? HH->? ii->? II->? ll->? LL->? ee->? ff->? dd->?',
    'logical_not': '?->? b->? B->? h->? H->? i->? I->? l->? L->? e->? f->? d->?',
    'bitwise_and': '??->? bb->b BB->B hh->h HH->H ii->i II->I ll->l LL->L',
    'invert': '?->? b->b B->B h->h H->H i->i I->I l->l L->L',
    'negative': 'b->b B->B h->h H->H i->i I->I l->l L->L e->e f->f d->d',
    'absolute': '?->? b->b B->B h->h H->H i->i I->I l->l L->L e->e f->f d->d',
    'float': 'e->e f->f d->d',
    'float2': 'ee->e ff->f dd->d',
    'isnan': '?->? b->? B->? h->? H->? i->? I->? l->? L->? e->? f->? d->?',
    'signbit': 'e->? f->? d->?',
    'shift': 'bb->b BB->B hh->h HH->H ii->i II->I ll->l LL->L',
    'float_power': 'dd->d',
}
for _n in ('not_equal', 'less', 'less_equal', 'greater', 'greater_equal'):
    _LOOPS[_n] = _LOOPS['equal']
for _n in ('logical_or', 'logical_xor'):
    _LOOPS[_n] = _LOOPS['logical_and']
for _n in ('bitwise_or', 'bitwise_xor'):
    _LOOPS[_n] = _LOOPS['bitwise_and']
for _n in ('positive', 'sign', 'square', 'reciprocal'):
    _LOOPS[_n] = _LOOPS['negative']
for _n in ('isinf', 'isfinite'):
    _LOOPS[_n] = _LOOPS['isnan']
del _n


def _parse_loops(s):
    out = []
    for sig in s.split():
        i, o = sig.split('->')
        out.append((tuple(_BY_NAME[c] for c in i), tuple(_BY_NAME[c] for c in o)))
    return out


class UFuncTypeError(TypeError):
    """numpy.core._exceptions._UFuncNoLoopError and kin: no loop for the operands' types."""


def _no_loop(name, dtypes):
    return UFuncTypeError(f"ufunc '{name}' not supported for the input types, and the inputs could not be safely "
                          "coerced to any supported types according to the casting rule ''safe''")


class ufunc:
    """A numpy universal function: elementwise, broadcasting, with numpy's dtype rules (see the module docstring)."""

    def __init__(self, name, nin, loops, resolver, kernel, py=None, identity=None, scalars_ok=False, doc=None):
        self.__name__ = name
        self.nin = nin
        self.nout = 1
        self.nargs = nin + 1
        self._loops = _parse_loops(_LOOPS[loops])
        self._resolver = resolver
        self._kernel = kernel
        self._py = py
        self.identity = identity
        self._scalars_ok = scalars_ok
        self._cache = {}  # _fast's loops: dtype (or the Python scalar's type) -> (loop type, output type)
        self.__doc__ = doc or f'numpy.{name}: elementwise, with numpy 1.24\'s dtype rules.'

    def __repr__(self):
        return f"<ufunc '{self.__name__}'>"

    @property
    def types(self):
        return [''.join(d.char for d in i) + '->' + ''.join(d.char for d in o) for i, o in self._loops]

    @property
    def ntypes(self):
        return len(self._loops)

    # -- type resolution
    def _resolve(self, ops, dtype=None):
        """(input dtype, output dtype) for operands [(dtype, is_scalar, value, ...)]."""
        name = self.__name__
        if dtype is not None:
            want = _d._resolve(dtype)
            for i, o in self._loops:
                if o[0] is want or (self._resolver == 'compare' and i[0] is want):
                    if all(_d._same_kind(op[0], i[k]) or op[1] for k, op in enumerate(ops)):
                        return i[0], o[0]
            raise _no_loop(name, [op[0] for op in ops])
        res = self._resolver
        if res == 'uniform' or res == 'compare':
            d = ops[0][0] if self.nin == 1 else _d.result_dtype([op[:3] for op in ops])
            if d.kind == 'b':
                if name == 'subtract':
                    raise TypeError('numpy boolean subtract, the `-` operator, is not supported, use the bitwise_xor, '
                                    'the `^` operator, or the logical_xor function instead.')
                if name == 'negative':
                    raise TypeError('The numpy boolean negative, the `-` operator, is not supported, use the `~` '
                                    'operator or the logical_not function instead.')
            for i, o in self._loops:
                if i[0] is d:
                    return d, o[0]
            raise _no_loop(name, [op[0] for op in ops])
        if res == 'truediv' and all(op[0].kind in 'biu' for op in ops):
            return float64_dtype, float64_dtype
        use_min = _d._use_min_scalar([op[:3] for op in ops]) if self.nin > 1 else False
        for i, o in self._loops:
            if all(_d._can_cast_operand(op[0], op[1], op[2], i[k], use_min) for k, op in enumerate(ops)):
                return i[0], o[0]
        raise _no_loop(name, [op[0] for op in ops])

    # -- calling
    def _fast(self, args):
        """The common calls without the general resolution: arrays of one dtype (not 0-d), or a float64 array
        with a Python number; their loop depends on the dtype only, so it is looked up once and cached."""
        x = args[0]
        if type(x) in _SCALAR_TYPES and self._py is not None:
            return self._fast_scalars(args)
        if type(x) is not ndarray or not x._t.ndim:
            return None
        d = x._dtype
        if self.nin == 1:
            key = d
            y = None
        else:
            y = args[1]
            ty = type(y)
            if ty is ndarray:
                if y._dtype is not d or not y._t.ndim:
                    return None
                key = d
            elif (ty is float or ty is int) and d is float64_dtype:
                key = ty
            else:
                return None
        loop = self._cache.get(key)
        if loop is None:
            try:
                ops = [(d, False, None, x._t, False)] + ([] if y is None else [_operand(y)])
                loop = self._resolve(ops)
            except TypeError:
                return None
            self._cache[key] = loop
        cd, od = loop
        if y is None:
            xt = x._t if cd is d else _m._cast_tensor(x._t, d, cd)
            return _result(self._kernel(xt, cd), od)
        xt = x._t if cd is d else _m._cast_tensor(x._t, d, cd)
        if type(y) is ndarray:
            if tuple(x._t.shape) != tuple(y._t.shape):
                broadcast_shapes(tuple(x._t.shape), tuple(y._t.shape))
            yt = y._t if cd is d else _m._cast_tensor(y._t, d, cd)
        elif self._scalars_ok:
            yt = float(y)
        else:
            yt = _torch.tensor(float(y), dtype=_storage(cd))
        return _result(self._kernel(xt, yt, cd), od)

    def _fast_scalars(self, args):
        """Scalars only (Python and numpy): no value-based casting applies, so the loop depends on the types alone."""
        key = tuple(map(type, args))
        for v in args:
            t = type(v)
            if t not in _SCALAR_TYPES or (t is int and not -(1 << 63) <= v < (1 << 63)):
                return None
        loop = self._cache.get(key)
        if loop is None:
            loop = self._resolve([_operand(v) for v in args])
            self._cache[key] = loop
        cd, od = loop
        vals = [cast_value(v, cd) for v in args]
        r = self._py(*vals) if cd.kind != 'b' else self._py_bool(*vals)
        return _d.scalar(cast_value(r, od), od)

    def __call__(self, *args, out=None, where=True, casting='same_kind', order='K', dtype=None, subok=True,
                 signature=None, **kw):
        if len(args) == self.nin and out is None and dtype is None and where is True and not kw:
            r = self._fast(args)
            if r is not None:
                return r
        if kw:
            raise TypeError(f"{self.__name__}() got an unexpected keyword argument '{next(iter(kw))}'")
        if len(args) == self.nin + 1 and out is None:
            out, args = args[-1], args[:-1]
        if len(args) != self.nin:
            raise TypeError(f'{self.__name__}() takes from {self.nin} to {self.nin + 1} positional arguments but '
                            f'{len(args)} were given')
        if where is not True:
            raise NotImplementedError(f"numpy.{self.__name__}(..., where=...) is not available in backprop-ninja's "
                                      'numpy')
        if isinstance(out, tuple):
            out = out[0] if len(out) == 1 else out
        ops = []
        for a in args:
            op = _operand(a)
            if op is None:
                raise TypeError(f"ufunc '{self.__name__}' not supported for the input types (got "
                                f"{type(a).__name__})")
            ops.append(op)
        cd, od = self._resolve(ops, dtype)
        if out is not None:
            if not isinstance(out, ndarray):
                raise TypeError('return arrays must be of ArrayType')
            if casting != 'unsafe' and not _d._same_kind(od, out._dtype):
                raise UFuncTypeError(f"Cannot cast ufunc '{self.__name__}' output from {od!r} to {out._dtype!r} with "
                                     f"casting rule '{casting}'")
        all_scalar = _b.all(op[1] for op in ops)
        if all_scalar and self._py is not None:
            vals = [cast_value(op[2], cd) for op in ops]
            r = _d.scalar(cast_value(self._py(*vals) if cd.kind != 'b' else self._py_bool(*vals), od), od)
            if out is None:
                return r
            out[...] = r
            return out
        shapes = [tuple(op[3].shape) for op in ops if op[3] is not None]
        if len(shapes) > 1:
            broadcast_shapes(*shapes)
        if self._scalars_ok:
            xs = [_as_tensor(op, cd) if op[3] is not None else cast_value(op[2], cd) for op in ops]
            if self.nin == 2 and not isinstance(xs[0], _torch.Tensor) and not isinstance(xs[1], _torch.Tensor):
                xs = [_as_tensor(op, cd) for op in ops]
        else:
            xs = [_as_tensor(op, cd) for op in ops]
        t = self._kernel(*xs, cd) if self.nin == 1 else self._kernel(xs[0], xs[1], cd)
        if out is not None:
            r = _fix(t, od)
            if od is not out._dtype:
                r = _m._cast_tensor(r, od, out._dtype)
            out._t[...] = r
            return out
        return _result(t, od, scalar_out=all_scalar)

    def _py_bool(self, *vals):
        f = _BOOL_PY.get(self.__name__)
        return f(*vals) if f is not None else self._py(*vals)

    # -- methods
    def reduce(self, array, axis=0, dtype=None, out=None, keepdims=False, initial=None, where=True):
        from numpy import _fromnumeric as F
        fn = _REDUCERS.get(self.__name__)
        if fn is None:
            raise NotImplementedError(f"numpy.{self.__name__}.reduce is not available in backprop-ninja's numpy")
        return getattr(F, fn)(array, axis, dtype, out, keepdims) if fn in ('sum', 'prod') else getattr(F, fn)(
            array, axis, out, keepdims)

    def accumulate(self, array, axis=0, dtype=None, out=None):
        from numpy import _fromnumeric as F
        if self.__name__ == 'add':
            return F.cumsum(array, axis, dtype, out)
        if self.__name__ == 'multiply':
            return F.cumprod(array, axis, dtype, out)
        raise NotImplementedError(f"numpy.{self.__name__}.accumulate is not available in backprop-ninja's numpy")

    def outer(self, a, b, **kw):
        a, b = _m.asarray(a), _m.asarray(b)
        return self(a.reshape(a.shape + (1,) * b.ndim), b, **kw)

    def at(self, *a, **k):
        raise NotImplementedError(f"numpy.{self.__name__}.at is not available in backprop-ninja's numpy")


_SCALAR_TYPES = frozenset((float, int, _b.bool) + _d.SCALAR_TYPES)

_REDUCERS = {'add': 'sum', 'multiply': 'prod', 'maximum': 'amax', 'minimum': 'amin', 'logical_and': 'all',
             'logical_or': 'any'}


def _as_tensor(op, cd):
    """An operand as a tensor of the loop type's storage (a scalar as a 0-d tensor)."""
    t = op[3]
    if t is None:
        return _torch.tensor(cast_value(op[2], cd), dtype=_storage(cd))
    if op[0] is cd:
        return t
    return _m._cast_tensor(t, op[0], cd)


# -- Python kernels for scalars (values already cast to the loop type) ----------------------------------------
def _py_div(a, b):
    try:
        return a / b
    except ZeroDivisionError:
        if a == 0 or a != a:
            return _math.nan
        return _math.copysign(_math.inf, a) * _math.copysign(1.0, b)


def _py_floordiv(a, b):
    if isinstance(a, int):
        return a // b if b else 0
    if not b:
        return _py_div(a, b)
    return a // b


def _py_mod(a, b):
    if isinstance(a, int):
        return a % b if b else 0
    if not b:
        return _math.nan
    if _math.isinf(b) and _math.isfinite(a):
        # numpy's divmod: fmod(a, inf) = a, then the sign fix-up adds b when the signs differ
        return a if (a >= 0) == (b > 0) or a == 0 else b
    return a % b


def _py_fmod(a, b):
    if isinstance(a, int):
        if not b:
            return 0
        r = abs(a) % abs(b)
        return -r if a < 0 else r
    if not b or _math.isinf(a):
        return _math.nan
    return _math.fmod(a, b)


def _py_pow(a, b):
    if isinstance(a, int):
        if b < 0:
            raise ValueError('Integers to negative integer powers are not allowed.')
        return pow(a, b, 1 << 64) if b > 64 else a ** b
    try:
        return _math.pow(a, b)
    except OverflowError:
        return _math.inf if a > 0 or float(b).is_integer() and int(b) % 2 == 0 else -_math.inf
    except ValueError:
        if a == 0:
            return _math.inf if not (float(b).is_integer() and int(b) % 2) else _math.copysign(_math.inf, a)
        return _math.nan


def _nan_max(a, b):
    if a != a:
        return a
    if b != b:
        return b
    return a if a >= b else b


def _nan_min(a, b):
    if a != a:
        return a
    if b != b:
        return b
    return a if a <= b else b


def _fmax(a, b):
    if b != b:
        return a
    if a != a:
        return b
    return a if a >= b else b


def _fmin(a, b):
    if b != b:
        return a
    if a != a:
        return b
    return a if a <= b else b


_BOOL_PY = {'add': lambda a, b: a or b, 'multiply': lambda a, b: a and b, 'maximum': lambda a, b: a or b,
            'minimum': lambda a, b: a and b, 'fmax': lambda a, b: a or b, 'fmin': lambda a, b: a and b,
            'absolute': lambda a: a, 'bitwise_and': lambda a, b: a and b, 'bitwise_or': lambda a, b: a or b,
            'bitwise_xor': lambda a, b: a != b, 'invert': lambda a: not a}


# -- tensor kernels (operands in the loop type's storage; a Python scalar where scalars_ok) --------------------
def _is_bool(cd):
    return cd.kind == 'b'


def _k_add(x, y, cd):
    return (x | y) if _is_bool(cd) else x + y


def _k_mul(x, y, cd):
    return (x & y) if _is_bool(cd) else x * y


def _k_floordiv(x, y, cd):
    if cd.kind in 'iu':
        zero = y == 0
        if _b.bool(zero.any()):  # numpy gives 0 (and warns); the tensor library would raise
            return _torch.where(zero, _torch.zeros_like(x), x // _torch.where(zero, _torch.ones_like(y), y))
    return x // y


def _k_mod(x, y, cd):
    if cd.kind in 'iu':
        zero = y == 0
        if _b.bool(zero.any()):
            return _torch.where(zero, _torch.zeros_like(x), x % _torch.where(zero, _torch.ones_like(y), y))
        return x % y
    r = x % y
    # a zero remainder takes the divisor's sign in numpy (npy_divmod: copysign(0, b))
    pos0 = _torch.zeros_like(r)
    return _torch.where(r == 0, _torch.where(y < 0, -pos0, pos0), r)


def _k_pow(x, y, cd):
    if cd.kind in 'iu':
        neg = y < 0
        if _b.bool(neg.any() if isinstance(neg, _torch.Tensor) else neg):
            raise ValueError('Integers to negative integer powers are not allowed.')
    return x ** y


def _k_maximum(x, y, cd):
    return (x | y) if _is_bool(cd) else _torch.maximum(x, y)


def _k_minimum(x, y, cd):
    return (x & y) if _is_bool(cd) else _torch.minimum(x, y)


def _k_fmax(x, y, cd):
    if cd.kind != 'f':
        return _k_maximum(x, y, cd)
    m = _torch.maximum(x, y)
    return _torch.where(y != y, x, _torch.where(x != x, y, m))


def _k_fmin(x, y, cd):
    if cd.kind != 'f':
        return _k_minimum(x, y, cd)
    m = _torch.minimum(x, y)
    return _torch.where(y != y, x, _torch.where(x != x, y, m))


def _truth(x):
    return x if x.dtype == _torch.bool else x != 0


def _k_xor(x, y, cd):
    if _is_bool(cd):
        return x != y
    return (x | y) - (x & y)


def _k_invert(x, cd):
    if _is_bool(cd):
        return ~x
    if cd.kind == 'u':
        return cd.max - x  # ~x in the unsigned type's range
    return -x - 1


def _k_sign(x, cd):
    return x.sign()


def _k_reciprocal(x, cd):
    if cd.kind in 'iu':  # C's 1 / x: 1 and -1 keep their value, other integers give 0 (0 gives 0 here)
        return _torch.where(x == 1, x, _torch.where(x == -1, x, _torch.zeros_like(x)))
    return 1.0 / x


def _k_trunc(x, cd):
    return _m._trunc(x)


def _k_isnan(x, cd):
    if cd.kind != 'f':
        return _torch.zeros(tuple(x.shape), dtype=_torch.bool)
    return x != x


def _k_isinf(x, cd):
    if cd.kind != 'f':
        return _torch.zeros(tuple(x.shape), dtype=_torch.bool)
    return x.abs() == _math.inf


def _k_isfinite(x, cd):
    if cd.kind != 'f':
        return _torch.ones(tuple(x.shape), dtype=_torch.bool)
    return (x == x) & (x.abs() != _math.inf)


def _k_shift(left):
    def k(x, y, cd):
        if _b.bool((y < 0).any()):
            return _torch.zeros_like(x)
        p = 2 ** y if not isinstance(y, _torch.Tensor) else _torch.full(tuple(y.shape), 2, dtype=y.dtype) ** y
        return x * p if left else x // p
    return k


def _elementwise(f):
    """A kernel computed value by value in Python (math module), for functions the tensor library lacks."""
    def k(*args):
        cd = args[-1]
        xs = args[:-1]
        shape = broadcast_shapes(*[tuple(x.shape) for x in xs])
        cols = [x.expand(*shape).reshape(-1).tolist() if tuple(x.shape) != shape else x.reshape(-1).tolist()
                for x in xs]
        vals = [f(*v) for v in zip(*cols)]
        return _torch.tensor(vals, dtype=_storage(cd)).reshape(shape)
    return k


def _safe(f):
    """A math function as numpy computes it: NaN for a domain error, inf for an overflow."""
    def g(*a):
        try:
            return f(*a)
        except ValueError:
            return _math.nan
        except OverflowError:
            return _math.inf
    return g


def _method(name):
    def k(x, cd):
        return getattr(x, name)()
    return k


# -- the ufuncs ----------------------------------------------------------------------------------------------------
def _u(name, nin, loops, resolver, kernel, py=None, identity=None, scalars_ok=False):
    return ufunc(name, nin, loops, resolver, kernel, py, identity, scalars_ok)


add = _u('add', 2, 'add', 'uniform', _k_add, _op.add, 0, True)
subtract = _u('subtract', 2, 'subtract', 'uniform', lambda x, y, cd: x - y, _op.sub, None, True)
multiply = _u('multiply', 2, 'multiply', 'uniform', _k_mul, _op.mul, 1, True)
true_divide = _u('true_divide', 2, 'true_divide', 'truediv', lambda x, y, cd: x / y, _py_div, None, True)
floor_divide = _u('floor_divide', 2, 'floor_divide', 'linear', _k_floordiv, _py_floordiv)
remainder = _u('remainder', 2, 'remainder', 'linear', _k_mod, _py_mod)
fmod = _u('fmod', 2, 'fmod', 'linear', _elementwise(_py_fmod), _py_fmod)
power = _u('power', 2, 'power', 'linear', _k_pow, _py_pow, None, True)
float_power = _u('float_power', 2, 'float_power', 'linear', _k_pow, _py_pow)
maximum = _u('maximum', 2, 'maximum', 'uniform', _k_maximum, _nan_max)
minimum = _u('minimum', 2, 'minimum', 'uniform', _k_minimum, _nan_min)
fmax = _u('fmax', 2, 'fmax', 'uniform', _k_fmax, _fmax)
fmin = _u('fmin', 2, 'fmin', 'uniform', _k_fmin, _fmin)
equal = _u('equal', 2, 'equal', 'compare', lambda x, y, cd: x == y, _op.eq, None, True)
not_equal = _u('not_equal', 2, 'not_equal', 'compare', lambda x, y, cd: x != y, _op.ne, None, True)
less = _u('less', 2, 'less', 'compare', lambda x, y, cd: x < y, _op.lt, None, True)
less_equal = _u('less_equal', 2, 'less_equal', 'compare', lambda x, y, cd: x <= y, _op.le, None, True)
greater = _u('greater', 2, 'greater', 'compare', lambda x, y, cd: x > y, _op.gt, None, True)
greater_equal = _u('greater_equal', 2, 'greater_equal', 'compare', lambda x, y, cd: x >= y, _op.ge, None, True)
logical_and = _u('logical_and', 2, 'logical_and', 'linear', lambda x, y, cd: _truth(x) & _truth(y),
   lambda a, b: _b.bool(a) and _b.bool(b), True)
logical_or = _u('logical_or', 2, 'logical_or', 'linear', lambda x, y, cd: _truth(x) | _truth(y),
   lambda a, b: _b.bool(a) or _b.bool(b), False)
logical_xor = _u('logical_xor', 2, 'logical_xor', 'linear', lambda x, y, cd: _truth(x) != _truth(y),
   lambda a, b: _b.bool(a) != _b.bool(b), False)
logical_not = _u('logical_not', 1, 'logical_not', 'linear', lambda x, cd: ~_truth(x), lambda a: not a)
bitwise_and = _u('bitwise_and', 2, 'bitwise_and', 'linear', lambda x, y, cd: x & y, _op.and_, -1)
bitwise_or = _u('bitwise_or', 2, 'bitwise_or', 'linear', lambda x, y, cd: x | y, _op.or_, 0)
bitwise_xor = _u('bitwise_xor', 2, 'bitwise_xor', 'linear', _k_xor, _op.xor, 0)
invert = _u('invert', 1, 'invert', 'linear', _k_invert, _op.invert)
left_shift = _u('left_shift', 2, 'shift', 'linear', _k_shift(True), lambda a, b: a << b if b >= 0 else 0)
right_shift = _u('right_shift', 2, 'shift', 'linear', _k_shift(False), lambda a, b: a >> b if b >= 0 else 0)
negative = _u('negative', 1, 'negative', 'uniform', lambda x, cd: -x, _op.neg)
positive = _u('positive', 1, 'positive', 'uniform', lambda x, cd: x.clone(), _op.pos)
absolute = _u('absolute', 1, 'absolute', 'uniform', lambda x, cd: x if _is_bool(cd) else x.abs(), abs)
sign = _u('sign', 1, 'sign', 'linear', _k_sign, lambda a: (a > 0) - (a < 0) if a == a else a)
square = _u('square', 1, 'square', 'linear', lambda x, cd: x * x, lambda a: a * a)
reciprocal = _u('reciprocal', 1, 'reciprocal', 'linear', _k_reciprocal,
   lambda a: (a if a in (1, -1) else 0) if isinstance(a, int) else _py_div(1.0, a))
sqrt = _u('sqrt', 1, 'float', 'linear', _method('sqrt'))
exp = _u('exp', 1, 'float', 'linear', _method('exp'))
log = _u('log', 1, 'float', 'linear', _method('log'))
log2 = _u('log2', 1, 'float', 'linear', _method('log2'))
log10 = _u('log10', 1, 'float', 'linear', _method('log10'))
sin = _u('sin', 1, 'float', 'linear', _method('sin'))
cos = _u('cos', 1, 'float', 'linear', _method('cos'))
tanh = _u('tanh', 1, 'float', 'linear', _method('tanh'))
floor = _u('floor', 1, 'float', 'linear', _method('floor'))
ceil = _u('ceil', 1, 'float', 'linear', _method('ceil'))
rint = _u('rint', 1, 'float', 'linear', _method('round'))
trunc = _u('trunc', 1, 'float', 'linear', _k_trunc)
exp2 = _u('exp2', 1, 'float', 'linear', _elementwise(_safe(lambda a: 2.0 ** a)))
expm1 = _u('expm1', 1, 'float', 'linear', _elementwise(_safe(_math.expm1)))
log1p = _u('log1p', 1, 'float', 'linear', _elementwise(_safe(lambda a: _math.log1p(a) if a != -1 else -_math.inf)))
tan = _u('tan', 1, 'float', 'linear', _elementwise(_safe(_math.tan)))
arcsin = _u('arcsin', 1, 'float', 'linear', _elementwise(_safe(_math.asin)))
arccos = _u('arccos', 1, 'float', 'linear', _elementwise(_safe(_math.acos)))
arctan = _u('arctan', 1, 'float', 'linear', _elementwise(_safe(_math.atan)))
sinh = _u('sinh', 1, 'float', 'linear', _elementwise(_safe(_math.sinh)))
cosh = _u('cosh', 1, 'float', 'linear', _elementwise(_safe(_math.cosh)))
arcsinh = _u('arcsinh', 1, 'float', 'linear', _elementwise(_safe(_math.asinh)))
arccosh = _u('arccosh', 1, 'float', 'linear', _elementwise(_safe(_math.acosh)))
arctanh = _u('arctanh', 1, 'float', 'linear', _elementwise(_safe(
    lambda a: _math.atanh(a) if abs(a) != 1 else _math.copysign(_math.inf, a))))
cbrt = _u('cbrt', 1, 'float', 'linear', _elementwise(lambda a: _math.copysign(abs(a) ** (1.0 / 3.0), a)))
deg2rad = _u('deg2rad', 1, 'float', 'linear', _elementwise(_math.radians))
rad2deg = _u('rad2deg', 1, 'float', 'linear', _elementwise(_math.degrees))
arctan2 = _u('arctan2', 2, 'float2', 'linear', _elementwise(_math.atan2))
hypot = _u('hypot', 2, 'float2', 'linear', _elementwise(_math.hypot))
copysign = _u('copysign', 2, 'float2', 'linear', _elementwise(_math.copysign))
logaddexp = _u('logaddexp', 2, 'float2', 'linear', _elementwise(
    lambda a, b: max(a, b) + _math.log1p(_math.exp(-abs(a - b))) if a != b else a + _math.log(2)))
heaviside = _u('heaviside', 2, 'float2', 'linear', _elementwise(lambda a, b: _math.nan if a != a else b if a == 0 else float(a > 0)))
isnan = _u('isnan', 1, 'isnan', 'linear', _k_isnan, lambda a: a != a)
isinf = _u('isinf', 1, 'isnan', 'linear', _k_isinf, lambda a: isinstance(a, float) and _math.isinf(a))
isfinite = _u('isfinite', 1, 'isnan', 'linear', _k_isfinite, lambda a: not isinstance(a, float) or _math.isfinite(a))
signbit = _u('signbit', 1, 'signbit', 'linear', lambda x, cd: (x < 0) | ((x == 0) & ((1.0 / x) < 0)),
   lambda a: _math.copysign(1.0, a) < 0)

divide = true_divide
mod = remainder
conjugate = conj = positive
degrees = rad2deg
radians = deg2rad
# the scalar-path Python kernels of the transcendental functions: the tensor kernel on a 0-d tensor (see above)


# -- operators: ndarray's and the numpy scalars' arithmetic, through the ufuncs -------------------------------------
def _is_foreign(o):
    """Operands numpy leaves to the other side's reflected method: torch tensors (their __array_priority__ is
    higher) and objects that are neither numbers nor sequences (micrograd's Value, ...)."""
    if isinstance(o, (ndarray, list, tuple)):
        return False
    return isinstance(o, _torch.Tensor) or _operand(o) is None


def _binary(f, reflected=False):
    if reflected:
        def op(self, o):
            if _is_foreign(o):
                return NotImplemented
            return f(o, self)
    else:
        def op(self, o):
            if _is_foreign(o):
                return NotImplemented
            return f(self, o)
    return op


def _inplace(f):
    def op(self, o):
        if _is_foreign(o):
            return NotImplemented
        return f(self, o, out=self)
    return op


def _power(self, o):
    """ndarray ** o with numpy's fast_scalar_power: a float array ** 2, 0.5, -1, 1, 0 is square, sqrt, reciprocal,
    a copy, ones (exactly as those functions compute); an integer array ** 2 is square (float64 for 2.0)."""
    if _is_foreign(o):
        return NotImplemented
    if isinstance(self, ndarray):
        e = _m._scalar_value(o)
        if e is not None and not isinstance(e, _b.bool):
            if self._dtype.kind == 'f':
                if e == 1.0:
                    return positive(self)
                if e == -1.0:
                    return reciprocal(self)
                if e == 0.0:
                    return _wrap(_torch.ones(self.shape, dtype=_storage(self._dtype)), self._dtype)
                if e == 0.5:
                    return sqrt(self)
                if e == 2.0:
                    return square(self)
            elif e == 2.0 and self._dtype.kind in 'iu':
                if isinstance(e, float):
                    return square(self.astype(float64_dtype))
                return square(self)
    return power(self, o)


def _divmod(self, o):
    if _is_foreign(o):
        return NotImplemented
    return floor_divide(self, o), remainder(self, o)


def _rdivmod(self, o):
    if _is_foreign(o):
        return NotImplemented
    return floor_divide(o, self), remainder(o, self)


def _compare(f):
    def op(self, o):
        if o is None or isinstance(o, str):
            if f is equal:
                return _m._result(_torch.zeros(tuple(self._t.shape), dtype=_torch.bool), bool_dtype,
                                  scalar_out=self.ndim == 0) if isinstance(self, ndarray) else _d.False_
            if f is not_equal:
                return _m._result(_torch.ones(tuple(self._t.shape), dtype=_torch.bool), bool_dtype,
                                  scalar_out=self.ndim == 0) if isinstance(self, ndarray) else _d.True_
        if _is_foreign(o):
            return NotImplemented
        return f(self, o)
    return op


def _matmul_op(self, o):
    if _is_foreign(o):
        return NotImplemented
    from numpy._fromnumeric import matmul
    return matmul(self, o)


def _rmatmul_op(self, o):
    if _is_foreign(o):
        return NotImplemented
    from numpy._fromnumeric import matmul
    return matmul(o, self)


_OPS = {
    '__add__': _binary(add), '__radd__': _binary(add, True),
    '__sub__': _binary(subtract), '__rsub__': _binary(subtract, True),
    '__mul__': _binary(multiply), '__rmul__': _binary(multiply, True),
    '__truediv__': _binary(true_divide), '__rtruediv__': _binary(true_divide, True),
    '__floordiv__': _binary(floor_divide), '__rfloordiv__': _binary(floor_divide, True),
    '__mod__': _binary(remainder), '__rmod__': _binary(remainder, True),
    '__pow__': _power, '__rpow__': _binary(power, True),
    '__divmod__': _divmod, '__rdivmod__': _rdivmod,
    '__and__': _binary(bitwise_and), '__rand__': _binary(bitwise_and, True),
    '__or__': _binary(bitwise_or), '__ror__': _binary(bitwise_or, True),
    '__xor__': _binary(bitwise_xor), '__rxor__': _binary(bitwise_xor, True),
    '__lshift__': _binary(left_shift), '__rlshift__': _binary(left_shift, True),
    '__rshift__': _binary(right_shift), '__rrshift__': _binary(right_shift, True),
    '__eq__': _compare(equal), '__ne__': _compare(not_equal),
    '__lt__': _compare(less), '__le__': _compare(less_equal),
    '__gt__': _compare(greater), '__ge__': _compare(greater_equal),
    '__neg__': lambda self: negative(self), '__pos__': lambda self: positive(self),
    '__abs__': lambda self: absolute(self), '__invert__': lambda self: invert(self),
}
_IOPS = {
    '__iadd__': add, '__isub__': subtract, '__imul__': multiply, '__itruediv__': true_divide,
    '__ifloordiv__': floor_divide, '__imod__': remainder, '__ipow__': power, '__iand__': bitwise_and,
    '__ior__': bitwise_or, '__ixor__': bitwise_xor, '__ilshift__': left_shift,
    '__irshift__': right_shift,
}


def _scalar_repr(self):
    from numpy.arrayprint import _scalar_repr
    return _scalar_repr(float(self), type(self)._dtype.char)


def _bool_repr(self):
    return 'True' if self._v else 'False'


def _install():
    for name, f in _OPS.items():
        setattr(ndarray, name, f)
    ndarray.__matmul__ = _matmul_op
    ndarray.__rmatmul__ = _rmatmul_op
    for name, f in _IOPS.items():
        setattr(ndarray, name, _inplace(f))
    ndarray.__hash__ = None
    for t in _d.SCALAR_TYPES:
        for name, f in _OPS.items():
            setattr(t, name, f)
        t.__matmul__ = _matmul_op
        t.__rmatmul__ = _rmatmul_op
        t.__module__ = 'numpy'
        t.__hash__ = float.__hash__ if issubclass(t, float) else int.__hash__ if issubclass(t, int) else (
            lambda self: hash(self._v))
    for t in (_d.float32, _d.float16):
        t.__repr__ = t.__str__ = _scalar_repr
        t.__format__ = lambda self, spec: format(float(self), spec)  # numpy formats the value as a Python float
    _d.bool_.__repr__ = _d.bool_.__str__ = _bool_repr
    for t in (_d.generic, _d.number, _d.integer, _d.signedinteger, _d.unsignedinteger, _d.inexact, _d.floating,
              _d.dtype):
        t.__module__ = 'numpy'
    for t in _d.SCALAR_TYPES + (_d.generic,):
        t.dtype = property(lambda self: type(self)._dtype)
        t.shape = property(lambda self: ())
        t.ndim = property(lambda self: 0)
        t.size = property(lambda self: 1)
        t.itemsize = property(lambda self: type(self)._dtype.itemsize)
        t.item = lambda self, *a: (float(self) if type(self)._dtype.kind == 'f' else int(self)
                                   if type(self)._dtype.kind in 'iu' else bool(self))
        t.tolist = t.item
        t.astype = lambda self, dtype, **k: _d.scalar(cast_value(self.item(), _d._resolve(dtype)), _d._resolve(dtype))
        t.__array__ = lambda self, dtype=None: _m.asarray(self, dtype)
        t.reshape = lambda self, *s, **k: _m.asarray(self).reshape(*s)
        t.sum = lambda self, *a, **k: self
        t.all = lambda self, *a, **k: _d.scalar(bool(self), bool_dtype)
        t.any = t.all
        t.round = lambda self, decimals=0: __import__('numpy')._fromnumeric.round_(self, decimals)

_install()
