"""backprop-ninja's `torch`: PyTorch's Python API for the makemore lectures, on the project's TypeScript
tensor library (src/core/torch/). Every tensor lives in TypeScript; a Python Tensor holds an integer handle,
and one Python operation is one call across the boundary (`_bpn_torch`, src/notebook/torch-bridge.ts).

Random functions draw from PyTorch 1.13's CPU streams (bit for bit on x86-64 builds), printing is PyTorch's,
autograd follows PyTorch's formulas. What is not here raises an error that names it.
"""

import builtins as _b
import math as _math
import sys as _sys
from array import array as _array

_int = _b.int  # the module's name `int` is torch.int (int32), as in PyTorch

import _bpn_torch as _J
from pyodide.ffi import create_proxy as _create_proxy

__version__ = '1.13.0+backprop.ninja'

# the binding's functions, bound once (an attribute lookup on the JS module costs a boundary crossing)
_free_buffer = _J.freeBuffer
_binary = _J.binary
_binary_s = _J.binaryScalar
_binary_i = _J.binaryInplace
_binary_si = _J.binaryScalarInplace
_unary = _J.unary
_unary_i = _J.unaryInplace
_reduce = _J.reduce
_getitem = _J.getitem
_setitem = _J.setitem
_setitem_s = _J.setitemScalar
_matmul = _J.matmul
_view = _J.view
_item = _J.item
_repr = _J.repr
_shape = _J.shape
_dtype_of = _J.dtype
# the hot paths by number (torch-binding.ts): a string argument costs more than the JS work it names
_bin_s = _J.binS
_bin_si = _J.binSI
_get_i = _J.getI
_get_ii = _J.getII
_set_i = _J.setI
_OPC = {n: i for i, n in enumerate(_J.binaryOps.split(' '))}
_UOPC = {n: i for i, n in enumerate(_J.unaryOps.split(' '))}
# the register calls (torch-binding.ts bindRegisters): the hottest calls write their numbers here and pass
# none (an argument costs about as much to cross as the work of a small op); ints in it only up to 2**53
_R = _array('d', bytes(64))
_J.bindRegisters(_create_proxy(_R))  # a proxy that outlives the call (the binding keeps it)
_r_get_ii = _J.rGetII
_r_get_t = _J.rGetT
_r_set_t = _J.rSetT
_r_bin = _J.rBin
_r_bin_i = _J.rBinI
_EXACT = 2 ** 53

_EXC = {'RuntimeError': RuntimeError, 'IndexError': IndexError, 'TypeError': TypeError, 'ValueError': ValueError,
        'NotImplementedError': NotImplementedError}


def _raise_from_js(kind, message):
    """What the library threw, raised as the exception PyTorch raises: the binding calls this from
    JavaScript (torch-binding.ts translates every error there, once), and the exception propagates back
    into the Python frame that made the call."""
    raise _EXC.get(kind, RuntimeError)(message) from None


_J.bindRaiser(_create_proxy(_raise_from_js))


def _quiet_raiser_hook(etype, value, tb, _hook=_sys.excepthook):
    """Pyodide hands an exception that a Python function called from JavaScript raises to sys.excepthook (PyErr_Print)
    before it propagates on into the Python frame that made the call: the raiser's exceptions are the op's error on
    its way to the user's cell, so they are not printed here (PyTorch prints nothing but the cell's one traceback)."""
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is not None and tb.tb_frame.f_code is _raise_from_js.__code__:
        return
    _hook(etype, value, tb)


_sys.excepthook = _quiet_raiser_hook


# -- handles: Python's __del__ queues them; the TypeScript table frees them in batches ------------------------
# A dead tensor's __del__ only appends its handle here (one C-level call, the cheapest Python-side signal we
# measured); the binding calls _flush_dead from JavaScript every 256 calls and when 64 MiB of new tensors add
# up (torch-binding.ts), and the kernel after every cell.
_dead = []


def _flush_dead():
    n = len(_dead)
    if n:
        buf = _array('d', _dead[:n])
        del _dead[:n]
        _free_buffer(_create_proxy(buf))


_J.bindFlusher(_create_proxy(_flush_dead))


_new = object.__new__


def _w(h):
    t = _new(Tensor)
    t._h = h
    return t


# -- dtypes -----------------------------------------------------------------------------------------------
class dtype:
    __slots__ = ('_name', 'is_floating_point', 'is_signed', '_itemsize', '_legacy')
    is_complex = False

    def __init__(self, name, is_float, is_signed, itemsize, legacy):
        self._name = name
        self.is_floating_point = is_float
        self.is_signed = is_signed
        self._itemsize = itemsize
        self._legacy = legacy

    def __repr__(self):
        return 'torch.' + self._name

    def __reduce__(self):
        return self._name


# every dtype PyTorch 1.13 prints (the library holds them all: src/core/torch/dtype.ts)
float32 = dtype('float32', True, True, 4, 'FloatTensor')
float64 = dtype('float64', True, True, 8, 'DoubleTensor')
float16 = dtype('float16', True, True, 2, 'HalfTensor')
bfloat16 = dtype('bfloat16', True, True, 2, 'BFloat16Tensor')
int64 = dtype('int64', False, True, 8, 'LongTensor')
int32 = dtype('int32', False, True, 4, 'IntTensor')
int16 = dtype('int16', False, True, 2, 'ShortTensor')
int8 = dtype('int8', False, True, 1, 'CharTensor')
uint8 = dtype('uint8', False, False, 1, 'ByteTensor')
bool = dtype('bool', False, False, 1, 'BoolTensor')  # noqa: A001 (PyTorch's name)
float = float32  # noqa: A001
double = float64
half = float16
long = int64
int = int32  # noqa: A001
short = int16
_DTYPES = {d._name: d for d in (float32, float64, float16, bfloat16, int64, int32, int16, int8, uint8, bool)}
_default_dtype = float32


def _dt(d):
    """A dtype argument to its name; None stays None."""
    if d is None:
        return None
    if isinstance(d, dtype):
        return d._name
    if d is _b.float:
        return 'float64'
    if d is _b.int:
        return 'int64'
    if d is _b.bool:
        return 'bool'
    raise TypeError(f'dtype must be a torch.dtype (torch.float32, torch.int64, torch.bool, ...), got {d!r}')


def get_default_dtype():
    return _default_dtype


def set_default_dtype(d):
    if d is not float32:
        raise NotImplementedError('torch.set_default_dtype: this runtime keeps float32 as the default dtype')


def is_tensor(x):
    return isinstance(x, Tensor)


def is_floating_point(x):
    return x.dtype.is_floating_point


# -- Size -------------------------------------------------------------------------------------------------
class Size(tuple):
    def __repr__(self):
        return 'torch.Size([' + ', '.join(str(d) for d in self) + '])'

    __str__ = __repr__

    def numel(self):
        n = 1
        for d in self:
            n *= d
        return n

    def __getitem__(self, k):
        r = tuple.__getitem__(self, k)
        return Size(r) if isinstance(k, slice) else r

    def __add__(self, other):
        return Size(tuple.__add__(self, tuple(other)))


def _size_args(args, what='size'):
    """randn(2, 3), randn((2, 3)), randn([2, 3]), randn(torch.Size([2, 3])) -> a tuple of ints."""
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        args = args[0]
    out = []
    for a in args:
        if isinstance(a, Tensor):
            a = a.item()
        if not isinstance(a, _int) or isinstance(a, _b.bool):
            raise TypeError(f'{what} must be a tuple of ints, but got {type(a).__name__}')
        out.append(a)
    n = 1
    for a in out:
        n *= a
    if n > 2 ** 53 and _b.all(a >= 0 for a in out):
        if n * 4 > 2 ** 63 - 1:
            raise RuntimeError(f"Storage size calculation overflowed with sizes=[{', '.join(map(str, out))}]")
        raise RuntimeError(f"[enforce fail at alloc_cpu.cpp:75] err == 0. DefaultCPUAllocator: can't allocate memory: "
                           f"you tried to allocate {n * 4} bytes. Error code 12 (Cannot allocate memory)")
    return tuple(out)


# -- autograd mode ----------------------------------------------------------------------------------------
class _GradMode:
    def __init__(self, enabled):
        self._enabled = enabled
        self._prev = []

    def __enter__(self):
        self._prev.append(_J.setGradEnabled(self._enabled))
        return None

    def __exit__(self, *exc):
        _J.setGradEnabled(self._prev.pop())
        return False

    def __call__(self, func):
        import functools

        mode = self._enabled

        @functools.wraps(func)
        def wrapper(*a, **k):
            prev = _J.setGradEnabled(mode)
            try:
                return func(*a, **k)
            finally:
                _J.setGradEnabled(prev)

        return wrapper


class no_grad(_GradMode):
    """`with torch.no_grad():` and `@torch.no_grad()`: no graph is recorded."""

    def __init__(self, func=None):
        _GradMode.__init__(self, False)


class enable_grad(_GradMode):
    def __init__(self):
        _GradMode.__init__(self, True)


class set_grad_enabled(_GradMode):
    def __init__(self, mode):
        _GradMode.__init__(self, _b.bool(mode))
        self._prev.append(_J.setGradEnabled(self._enabled))

    def __enter__(self):
        return None

    def __exit__(self, *exc):
        if self._prev:
            _J.setGradEnabled(self._prev.pop())
        return False


def is_grad_enabled():
    return _J.isGradEnabled()


class inference_mode(no_grad):
    pass


# -- generators -------------------------------------------------------------------------------------------
class Generator:
    """PyTorch's CPU generator (MT19937 and PyTorch's transformations, bit for bit)."""

    def __init__(self, device='cpu'):
        if str(device) != 'cpu':
            raise RuntimeError(f"Generator: only the 'cpu' device exists in this runtime, got {device!r}")
        self._id = _J.newGenerator()

    def manual_seed(self, seed):
        _J.manualSeed(self._id, _seed_arg(seed))
        return self

    def initial_seed(self):
        return _int(_J.initialSeed(self._id))

    def seed(self):
        import random as _r
        s = _r.SystemRandom().getrandbits(63)
        self.manual_seed(s)
        return s

    def get_state(self):
        return _J.getState(self._id)

    def set_state(self, state):
        _J.setState(self._id, state)
        return self

    @property
    def device(self):
        return _CPU

    def __repr__(self):
        return f'<torch._C.Generator object at {_b.hex(_b.id(self))}>'  # as PyTorch's (C) object repr


class _DefaultGenerator(Generator):
    def __init__(self):
        self._id = -1


default_generator = _DefaultGenerator()


def _seed_arg(seed):
    if isinstance(seed, _b.bool) or not isinstance(seed, _int):
        try:
            seed = _int(seed)
        except Exception:
            raise TypeError(f'manual_seed expected an int, got {type(seed).__name__}') from None
    if seed < -(1 << 63) or seed >= (1 << 64):
        raise RuntimeError(f'Overflow when unpacking long: seed {seed} is outside the 64-bit range')
    return seed if -(1 << 53) < seed < (1 << 53) else str(seed)


def manual_seed(seed):
    default_generator.manual_seed(seed)
    return default_generator


def initial_seed():
    return default_generator.initial_seed()


def seed():
    return default_generator.seed()


def _gen(generator):
    return -1 if generator is None else generator._id


# -- scalars ------------------------------------------------------------------------------------------------
def _kind(x):
    t = type(x)
    if t is _b.float:
        return 'float'
    if t is _int:
        return 'int'
    if t is _b.bool:
        return 'bool'
    if isinstance(x, _b.bool):
        return 'bool'
    if isinstance(x, _int):
        return 'int'
    if isinstance(x, _b.float):
        return 'float'
    return None


def _binop(op, a, b, rev=False):
    if isinstance(b, Tensor):
        return _w(_binary(_OPC[op], b._h, a._h) if rev else _binary(_OPC[op], a._h, b._h))
    k = _kind(b)
    if k is None:
        return NotImplemented
    if k == 'bool':
        b = _int(b)  # a Python bool reaches JavaScript as a boolean, not a number
    return _w(_binary_s(_OPC[op], a._h, b, k, rev))


def _iop(op, a, b):
    if isinstance(b, Tensor):
        _binary_i(_OPC[op], a._h, b._h)
    else:
        k = _kind(b)
        if k is None:
            return NotImplemented
        if k == 'bool':
            b = _int(b)
        _binary_si(_OPC[op], a._h, b, k)
    return a


def _arith(name, rev=False):
    """Tensor.__add__ and its kin in one Python frame (a frame costs ~0.3 us under Pyodide, the kernel of a
    small op less): a tensor or a Python float/int operand goes straight to the bridge by op number; anything
    else takes _binop's general path (bools, NotImplemented)."""
    code = _OPC[name]
    sf = code * 4 + (1 if rev else 0)  # the scalar code: op * 4 + (int ? 2 : 0) + (reversed ? 1 : 0)
    si = sf + 2
    T, F, I, new, R, rb, bs = Tensor, _b.float, _b.int, _new, _R, _r_bin, _bin_s

    def op(self, o):
        t = type(o)
        if t is T:
            R[0] = code
            if rev:
                R[1] = o._h
                R[2] = self._h
            else:
                R[1] = self._h
                R[2] = o._h
            h = rb()
        elif t is F:
            h = bs(sf, self._h, o)
        elif t is I:
            h = bs(si, self._h, o)
        else:
            return _binop(name, self, o, rev)
        r = new(T)
        r._h = h
        return r

    return op


def _inplace(name):
    """Tensor.__iadd__ and its kin in one Python frame, as _arith."""
    code = _OPC[name]
    T, F, I, R, rbi, bsi = Tensor, _b.float, _b.int, _R, _r_bin_i, _bin_si

    def op(self, o):
        t = type(o)
        if t is T:
            R[0] = code
            R[1] = self._h
            R[2] = o._h
            rbi()
        elif t is F:
            bsi(code * 4, self._h, o)
        elif t is I:
            bsi(code * 4 + 2, self._h, o)
        else:
            return _iop(name, self, o)
        return self

    return op


def _no_grad_through(name, a, b):
    """PyTorch 1.13 has no derivative for some ops (floor_divide): it raises when autograd would record one."""
    if (_J.requiresGrad(a._h) or (type(b) is Tensor and _J.requiresGrad(b._h))) and _J.isGradEnabled():
        raise RuntimeError(f'derivative for aten::{name} is not implemented')


def _un(op, a):
    return _w(_unary(_UOPC[op], a._h))


# -- index specs (see handles.ts): flat numbers ------------------------------------------------------------
_NAN = _b.float('nan')


def _spec_item(x, out):
    t = type(x)
    if t is _int:
        out += (0, x)
    elif t is Tensor:
        out += (4, x._h)
    elif t is slice:
        out += (1, _NAN if x.start is None else _index_int(x.start), _NAN if x.stop is None else _index_int(x.stop),
                _NAN if x.step is None else _index_int(x.step))
    elif x is None:
        out.append(2)
    elif x is Ellipsis:
        out.append(3)
    elif t is range:
        out += (5, x.start, x.stop, x.step)
    elif t is list or t is tuple:
        if _b.all(type(v) is _int for v in x):
            out += (6, len(x))
            out += x
        else:
            out += (4, tensor(x)._h) if not isinstance(x, Tensor) else (4, x._h)
    elif isinstance(x, _b.bool):
        raise IndexError('indexing a tensor with a Python bool is not supported by this runtime')
    elif isinstance(x, _int):
        out += (0, _int(x))
    elif isinstance(x, Tensor):
        out += (4, x._h)
    elif hasattr(x, '__index__'):
        out += (0, x.__index__())
    else:
        raise IndexError(f'only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices (got {type(x).__name__})')


def _fill_mask(mask):
    """masked_fill's mask handle; a uint8 mask warns as PyTorch 1.13 does (it still works)."""
    if _dtype_of(mask._h) == 'uint8':
        import warnings
        warnings.warn('masked_fill_ received a mask with dtype torch.uint8, this behavior is now deprecated,please use a '
                      'mask with dtype torch.bool instead. (Triggered internally at  '
                      './aten/src/ATen/native/TensorAdvancedIndexing.cpp:1646.)', UserWarning, stacklevel=3)
    return mask._h


def _fill_value(v):
    """masked_fill's value: a Python number or a 0-dim tensor, as a number."""
    if isinstance(v, Tensor):
        if v.ndim != 0:
            raise RuntimeError(f'masked_fill_ only supports a 0-dimensional value tensor, but got tensor with {v.ndim} dimension(s).')
        v = v.item()
    return _int(v) if isinstance(v, _b.bool) else v


def _index_int(v):
    if isinstance(v, Tensor):
        return v.item()
    return v.__index__()


def _spec(idx):
    out = []
    if type(idx) is tuple:
        for x in idx:
            _spec_item(x, out)
    else:
        _spec_item(idx, out)
    return out


def _dims(dim):
    """A dim argument as varargs: None -> () (all), an int -> (d,), a list/tuple -> tuple."""
    if dim is None:
        return ()
    if isinstance(dim, _int):
        return (dim,)
    return tuple(dim)


# -- values in and out -----------------------------------------------------------------------------------------
def _flatten(data):
    """Nested lists/tuples of numbers -> (flat list, shape, kind) where kind is 'bool', 'int' or 'float'."""
    shape = []
    x = data
    while isinstance(x, (list, tuple)):
        shape.append(len(x))
        if len(x) == 0:
            break
        x = x[0]
    flat = data
    for _ in range(len(shape) - 1):
        nxt = []
        n = None
        for row in flat:
            if not isinstance(row, (list, tuple)):
                raise ValueError('expected a sequence of equal-length sequences (a ragged nested list cannot be a tensor)')
            if n is None:
                n = len(row)
            elif len(row) != n:
                raise ValueError(f'expected sequence of length {n} at dim {len(shape) - 1 - _} (got {len(row)})')
            nxt.extend(row)
        flat = nxt
    if not shape:
        flat = [data]
    kind = 'bool'
    vals = []
    for v in flat:
        if isinstance(v, Tensor):
            if v.numel() != 1:
                raise ValueError('only one element tensors can be converted to Python scalars')
            v = v.item()
        if isinstance(v, _b.bool):
            pass
        elif isinstance(v, _int):
            if kind == 'bool':
                kind = 'int'
        elif isinstance(v, _b.float):
            kind = 'float'
        else:
            raise TypeError(f"can't convert {type(v).__name__} to a tensor element")
        vals.append(v)
    if not vals and shape:
        kind = 'float'
    return vals, shape, kind


def _from_flat(vals, shape, dt):
    try:
        return _w(_J.fromBuffer(_array('d', vals), dt, *shape))
    except OverflowError:
        raise RuntimeError('value cannot be converted to a 64-bit float/int without overflow') from None


def _nest(flat, shape):
    if not shape:
        return flat[0]
    if len(shape) == 1:
        return flat
    step = 1
    for d in shape[1:]:
        step *= d
    return [_nest(flat[i * step:(i + 1) * step], shape[1:]) for i in range(shape[0])]


# -- the Tensor ---------------------------------------------------------------------------------------------
class _Node:
    """What t.grad_fn is: PyTorch's node name (`MulBackward0`); the graph itself stays in TypeScript."""
    __slots__ = ('_n',)

    def __init__(self, n):
        self._n = n

    def name(self):
        # PyTorch's C++ nodes outside the generated *Backward ones keep their namespace in name()
        return 'torch::autograd::' + self._n if self._n in ('CopySlices', 'AccumulateGrad', 'GraphRoot') else self._n

    def __repr__(self):
        return f'<{self._n} object at {hex(id(self))}>'


_node_classes = {}


def _node(n):
    """A grad_fn object whose class is named as PyTorch's (`type(t.grad_fn).__name__ == 'MulBackward0'`)."""
    cls = _node_classes.get(n)
    if cls is None:
        cls = _node_classes[n] = type(n, (_Node,), {'__slots__': ()})
    return cls(n)


def _return_type(name, fields):
    """A torch.return_types class: a tuple with named fields, printed as PyTorch prints it."""
    def __repr__(self):
        inner = ',\n'.join(f'{f}={v!r}' for f, v in zip(fields, self))
        return f'torch.return_types.{name}(\n{inner})'

    ns = {'__slots__': (), '__repr__': __repr__, '__module__': 'torch.return_types'}
    for i, f in enumerate(fields):
        ns[f] = property(lambda self, i=i: self[i])
    return type(name, (tuple,), ns)


class return_types:
    """torch.return_types: the named tuples of max/min along a dim, histogram..."""
    max = _return_type('max', ('values', 'indices'))
    min = _return_type('min', ('values', 'indices'))
    histogram = _return_type('histogram', ('hist', 'bin_edges'))
    sort = _return_type('sort', ('values', 'indices'))
    topk = _return_type('topk', ('values', 'indices'))


_NONLEAF_GRAD = (
    "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad attribute won't be "
    "populated during autograd.backward(). If you indeed want the .grad field to be populated for a non-leaf "
    "Tensor, use .retain_grad() on the non-leaf Tensor. If you access the non-leaf Tensor by mistake, make sure "
    "you access the leaf Tensor instead. See github.com/pytorch/pytorch/pull/30531 for more informations.")


class Tensor:
    __slots__ = ('_h', '_s', '__weakref__')  # _s: the shape, read once (a tensor object's shape does not change)

    def __new__(cls, *args, **kwargs):
        # the legacy constructor: torch.Tensor(data) (float32), torch.Tensor(*sizes) (uninitialized, zeros
        # here), torch.Tensor() (empty), torch.Tensor(tensor) (the same storage)
        return _legacy_new('float32', args, kwargs)

    def __init__(self, *args, **kwargs):
        pass

    def __del__(self, _append=_dead.append):
        # one append per dead tensor; the handles are freed in TypeScript in batches (see _flush_dead)
        try:
            _append(self._h)
        except AttributeError:  # an object whose construction failed has no handle
            pass

    # -- metadata
    @property
    def shape(self):
        try:
            return self._s
        except AttributeError:
            s = self._s = Size(_shape(self._h).to_py())
            return s

    def size(self, dim=None):
        s = self.shape
        if dim is None:
            return s
        try:
            return s[dim]
        except IndexError:
            raise IndexError(f'Dimension out of range (expected to be in range of [{-len(s)}, {len(s) - 1}], but got {dim})') from None

    @property
    def dtype(self):
        return _DTYPES[_dtype_of(self._h)]

    @property
    def ndim(self):
        return _J.ndim(self._h)

    def dim(self):
        return _J.ndim(self._h)

    def numel(self):
        return _J.numel(self._h)

    nelement = numel

    def __len__(self):
        s = _shape(self._h).to_py()
        if not s:
            raise TypeError('len() of a 0-d tensor')
        return s[0]

    @property
    def device(self):
        return _CPU

    @property
    def is_leaf(self):
        return _J.isLeaf(self._h)

    @property
    def requires_grad(self):
        return _J.requiresGrad(self._h)

    @requires_grad.setter
    def requires_grad(self, flag):
        _J.setRequiresGrad(self._h, _b.bool(flag))

    def requires_grad_(self, flag=True):
        self.requires_grad = flag
        return self

    @property
    def grad_fn(self):
        n = _J.gradFn(self._h)
        return _node(n) if type(n) is str else None  # JS null arrives as jsnull, not None

    @property
    def grad(self):
        h = _J.grad(self._h)
        if h < 0:
            if not _J.isLeaf(self._h) and not _J.retainsGrad(self._h):
                import warnings
                warnings.warn(_NONLEAF_GRAD, UserWarning, stacklevel=2)
            return None
        return _w(h)

    @grad.setter
    def grad(self, g):
        _J.setGradOf(self._h, -1 if g is None else g._h)

    @property
    def data(self):
        return _w(_J.data(self._h))

    @data.setter
    def data(self, v):
        _J.setData(self._h, v._h)
        try:
            del self._s  # x.data = y may give x another shape
        except AttributeError:
            pass

    def retain_grad(self):
        _J.retainGrad(self._h)

    @property
    def retains_grad(self):
        return _J.retainsGrad(self._h)

    def backward(self, gradient=None, retain_graph=None, create_graph=False):
        if create_graph:
            raise NotImplementedError('backward(create_graph=True): higher-order gradients are not supported by this runtime')
        _J.backward(self._h, -1 if gradient is None else gradient._h, _b.bool(retain_graph))

    def detach(self):
        return _w(_J.detach(self._h))

    def detach_(self):
        raise NotImplementedError('detach_() is not supported by this runtime: use x = x.detach()')

    def clone(self):
        return _w(_J.clone(self._h))

    def contiguous(self):
        return _w(_J.contiguous(self._h))

    def is_contiguous(self):
        return _J.isContiguous(self._h)

    # -- values
    def item(self):
        v = _item(self._h)
        d = _DTYPES[_dtype_of(self._h)]
        if d is bool:
            return _b.bool(v)
        if d.is_floating_point:
            return _b.float(v)  # Pyodide hands an integral JS number over as an int: 0.0 must stay 0.0
        return _b.int(v)

    def tolist(self):
        s = _shape(self._h).to_py()
        d = _DTYPES[_dtype_of(self._h)]
        flat = _J.values(self._h).to_py().tolist()
        conv = _b.bool if d is bool else _b.float if d.is_floating_point else _b.int
        return _nest([conv(v) for v in flat], s)

    def numpy(self, *, force=False):
        import numpy  # numpy interop (hook): an ndarray sharing this tensor's memory (numpy/_interop.py)
        return numpy._interop.tensor_to_numpy(self, force)

    def __float__(self):
        return _b.float(self.item())

    def __int__(self):
        return _b.int(self.item())

    def __index__(self):
        if _DTYPES[_dtype_of(self._h)].is_floating_point:
            raise TypeError('only integer tensors of a single element can be converted to an index')
        return _b.int(self.item())

    def __bool__(self):
        if _J.numel(self._h) != 1:
            raise RuntimeError('Boolean value of Tensor with more than one value is ambiguous')
        return _b.bool(self.item())

    def __format__(self, spec):
        if _J.ndim(self._h) == 0:
            return format(self.item(), spec)
        return format(repr(self), spec)

    def __repr__(self):
        return _repr(self._h)
    __str__ = __repr__

    def __hash__(self):
        return id(self)

    def __iter__(self):
        n = len(self)
        for i in range(n):
            yield self[i]

    def __contains__(self, x):
        return (self == x).any().item()

    # -- conversions
    def to(self, *args, **kwargs):
        d = kwargs.get('dtype')
        _check_to(kwargs.get('device'))
        for a in args:
            if isinstance(a, dtype):
                d = a
            elif isinstance(a, Tensor):
                d = a.dtype
            else:
                _check_to(a)
        return self if d is None else self._as(_dt(d))

    def _as(self, d):
        """self when it already has dtype d (PyTorch returns the same tensor), else a cast copy."""
        return self if _dtype_of(self._h) == d else _w(_J.to(self._h, d))

    def type(self, d=None):
        if d is None:
            return 'torch.' + _DTYPES[_dtype_of(self._h)]._legacy
        if isinstance(d, _b.str):
            for t in _DTYPES.values():
                if d in ('torch.' + t._legacy, t._legacy):
                    return self._as(t._name)
            raise ValueError(f'invalid type: {d!r}')
        return self.to(d)

    def element_size(self):
        return _DTYPES[_dtype_of(self._h)]._itemsize

    def float(self):
        return self._as('float32')

    def double(self):
        return self._as('float64')

    def half(self):
        return self._as('float16')

    def bfloat16(self):
        return self._as('bfloat16')

    def long(self):
        return self._as('int64')

    def int(self):
        return self._as('int32')

    def short(self):
        return self._as('int16')

    def char(self):
        return self._as('int8')

    def byte(self):
        return self._as('uint8')

    def bool(self):
        return self._as('bool')

    def cpu(self):
        return self

    def cuda(self, *a, **k):
        raise RuntimeError('Torch not compiled with CUDA enabled (this runtime computes on the CPU)')

    # -- arithmetic: + - * / ** and += -= *= /= are set below the class (_arith, _inplace)
    def __floordiv__(self, o):
        _no_grad_through('floor_divide', self, o)
        return _binop('floor_divide', self, o)

    def __rfloordiv__(self, o):
        _no_grad_through('floor_divide', self, o)
        return _binop('floor_divide', self, o, True)

    def __mod__(self, o):
        return _binop('remainder', self, o)

    def __rmod__(self, o):
        return _binop('remainder', self, o, True)


    def __matmul__(self, o):
        try:
            return _w(_matmul(self._h, o._h))
        except AttributeError:
            return NotImplemented

    def __rmatmul__(self, o):
        return NotImplemented

    def __neg__(self):
        return _un('neg', self)

    def __pos__(self):
        return self

    def __abs__(self):
        return _un('abs', self)

    def __invert__(self):
        return _un('logical_not', self) if _dtype_of(self._h) == 'bool' else _un('bitwise_not', self)

    def __eq__(self, o):
        return _binop('eq', self, o)

    def __ne__(self, o):
        return _binop('ne', self, o)

    def __lt__(self, o):
        return _binop('lt', self, o)

    def __le__(self, o):
        return _binop('le', self, o)

    def __gt__(self, o):
        return _binop('gt', self, o)

    def __ge__(self, o):
        return _binop('ge', self, o)

    def __and__(self, o):
        return _binop('logical_and' if _dtype_of(self._h) == 'bool' else 'bitwise_and', self, o)

    def __or__(self, o):
        return _binop('logical_or' if _dtype_of(self._h) == 'bool' else 'bitwise_or', self, o)

    def __ifloordiv__(self, o):
        _no_grad_through('floor_divide', self, o)
        return _iop('floor_divide', self, o)

    def __imod__(self, o):
        return _iop('remainder', self, o)

    def __ipow__(self, o):
        return _iop('pow', self, o)

    def add(self, o, alpha=1):
        return self + (o * alpha if alpha != 1 else o)

    def sub(self, o, alpha=1):
        return self - (o * alpha if alpha != 1 else o)

    def mul(self, o):
        return self * o

    def div(self, o):
        return self / o

    def pow(self, o):
        return self ** o

    def matmul(self, o):
        return self @ o

    def bmm(self, o):
        return bmm(self, o)

    def addmm(self, mat1, mat2, *, beta=1, alpha=1):
        return addmm(self, mat1, mat2, beta=beta, alpha=alpha)

    def histc(self, bins=100, min=0, max=0):
        return histc(self, bins, min, max)

    def histogram(self, bins=100, *, range=None, weight=None, density=False):
        return histogram(self, bins, range=range, weight=weight, density=density)

    def mm(self, o):
        return self @ o

    def add_(self, o, alpha=1):
        return _iop('add', self, o * alpha if alpha != 1 else o)

    def sub_(self, o, alpha=1):
        return _iop('sub', self, o * alpha if alpha != 1 else o)

    def mul_(self, o):
        return _iop('mul', self, o)

    def div_(self, o):
        return _iop('div', self, o)

    def pow_(self, o):
        return _iop('pow', self, o)

    def eq(self, o):
        return self == o

    def ne(self, o):
        return self != o

    def lt(self, o):
        return self < o

    def le(self, o):
        return self <= o

    def gt(self, o):
        return self > o

    def ge(self, o):
        return self >= o

    def equal(self, o):
        return _J.equal(self._h, o._h)

    def maximum(self, o):
        return _binop('maximum', self, o)

    def minimum(self, o):
        return _binop('minimum', self, o)

    # -- elementwise functions: exp, log, tanh... are generated below the class from the library's op list
    def _unary_(self, op):
        _unary_i(_UOPC[op], self._h)
        return self

    def clamp(self, min=None, max=None):
        return _w(_J.clamp(self._h, _NAN if min is None else min, _NAN if max is None else max))
    clip = clamp

    def clamp_(self, min=None, max=None):
        _J.clampInplace(self._h, _NAN if min is None else min, _NAN if max is None else max)
        return self

    def clamp_min(self, m):
        return self.clamp(min=m)

    def clamp_max(self, m):
        return self.clamp(max=m)

    # -- reductions
    def _red(self, op, dim, keepdim, correction=1):
        return _w(_reduce(op, self._h, _b.bool(keepdim), correction, *_dims(dim)))

    def sum(self, dim=None, keepdim=False, *, dtype=None, keepdims=None):
        r = self._red('sum', dim, keepdim or _b.bool(keepdims))
        return r if dtype is None else r.to(dtype)

    def mean(self, dim=None, keepdim=False, *, dtype=None, keepdims=None):
        return self._red('mean', dim, keepdim or _b.bool(keepdims))

    def var(self, dim=None, unbiased=None, keepdim=False, *, correction=None, keepdims=None):
        return self._red('var', dim, keepdim or _b.bool(keepdims), _correction(unbiased, correction))

    def std(self, dim=None, unbiased=None, keepdim=False, *, correction=None, keepdims=None):
        return self._red('std', dim, keepdim or _b.bool(keepdims), _correction(unbiased, correction))

    def prod(self, dim=None, keepdim=False):
        raise NotImplementedError('Tensor.prod is not implemented by this runtime')

    def amax(self, dim=None, keepdim=False):
        return self._red('amax', dim, keepdim)

    def amin(self, dim=None, keepdim=False):
        return self._red('amin', dim, keepdim)

    def all(self, dim=None, keepdim=False):
        return self._red('all', dim, keepdim)

    def any(self, dim=None, keepdim=False):
        return self._red('any', dim, keepdim)

    def argmax(self, dim=None, keepdim=False):
        return self._red('argmax', dim, keepdim)

    def argmin(self, dim=None, keepdim=False):
        return self._red('argmin', dim, keepdim)

    def max(self, dim=None, keepdim=False, *, keepdims=None):
        return self._maxmin('max', dim, keepdim or _b.bool(keepdims))

    def min(self, dim=None, keepdim=False, *, keepdims=None):
        return self._maxmin('min', dim, keepdim or _b.bool(keepdims))

    def _maxmin(self, op, dim, keepdim):
        if isinstance(dim, Tensor):
            return _binop('maximum' if op == 'max' else 'minimum', self, dim)
        if dim is None:
            return _w(_reduce(op, self._h, False, 1))
        v, i = _J.maxDim(op, self._h, dim, _b.bool(keepdim)).to_py()
        return getattr(return_types, op)((_w(v), _w(i)))

    def sort(self, dim=-1, descending=False, stable=False):
        v, i = _J.sort(self._h, dim, _b.bool(descending), _b.bool(stable)).to_py()
        return return_types.sort((_w(v), _w(i)))

    def argsort(self, dim=-1, descending=False, stable=False):
        return _w(_J.argsort(self._h, dim, _b.bool(descending), _b.bool(stable)))

    def topk(self, k, dim=-1, largest=True, sorted=True):
        v, i = _J.topk(self._h, k, dim, _b.bool(largest), _b.bool(sorted)).to_py()
        return return_types.topk((_w(v), _w(i)))

    def cumsum(self, dim, *, dtype=None):
        return _w(_J.cumulative('cumsum', self._h, dim, _dt(dtype)))

    def cumprod(self, dim, *, dtype=None):
        return _w(_J.cumulative('cumprod', self._h, dim, _dt(dtype)))

    def logsumexp(self, dim, keepdim=False):
        return _w(_J.logsumexp(self._h, _b.bool(keepdim), *_dims(dim)))

    def norm(self, p='fro', dim=None, keepdim=False, dtype=None):
        if p is None or p == 'fro':
            if p == 'fro' and dim is not None and not isinstance(dim, _int) and len(dim) > 2:
                raise RuntimeError(f'linalg.matrix_norm: dim must be a 2-tuple. Got {" ".join(str(d) for d in dim)}')
            p = 2
        elif isinstance(p, _b.str):
            raise NotImplementedError(f"norm(p='{p}') is not implemented by this runtime (numbers and 'fro' are)")
        r = _w(_J.norm(self._h, _b.float(p), _b.bool(keepdim), *_dims(dim)))
        return r if dtype is None else r.to(dtype)

    def unique(self, sorted=True, return_inverse=False, return_counts=False, dim=None):
        if dim is not None:
            raise NotImplementedError('torch.unique(dim=...) is not implemented by this runtime')
        v, inv, c = _J.unique(self._h).to_py()
        v, inv, c = _w(v), _w(inv), _w(c)
        if return_inverse and return_counts:
            return v, inv, c
        if return_inverse:
            return v, inv
        if return_counts:
            return v, c
        return v

    def bincount(self, weights=None, minlength=0):
        return _w(_J.bincount(self._h, -1 if weights is None else weights._h, minlength))

    def softmax(self, dim):
        return _w(_J.softmax(self._h, dim))

    def log_softmax(self, dim):
        return _w(_J.logSoftmax(self._h, dim))
    # -- shapes
    def view(self, *shape):
        if len(shape) == 1 and isinstance(shape[0], dtype):
            raise NotImplementedError('view(dtype) is not supported by this runtime')
        return _w(_view(self._h, *_size_args(shape, 'view')))

    def view_as(self, other):
        return self.view(other.shape)

    def reshape(self, *shape):
        return _w(_J.reshape(self._h, *_size_args(shape, 'reshape')))

    def reshape_as(self, other):
        return self.reshape(other.shape)

    def flatten(self, start_dim=0, end_dim=-1):
        s = list(self.shape)
        if not s:
            return self.reshape(1)
        n = len(s)
        a, b = start_dim % n, end_dim % n
        m = 1
        for d in s[a:b + 1]:
            m *= d
        return self.reshape(*(s[:a] + [m] + s[b + 1:]))

    def permute(self, *dims):
        return _w(_J.permute(self._h, *_size_args(dims, 'permute')))

    def transpose(self, d0, d1):
        return _w(_J.transpose(self._h, d0, d1))

    def t(self):
        return _w(_J.t(self._h))

    @property
    def T(self):
        return _w(_J.T(self._h))

    def squeeze(self, dim=None):
        return _w(_J.squeeze(self._h, dim))

    def unsqueeze(self, dim):
        return _w(_J.unsqueeze(self._h, dim))

    def expand(self, *shape):
        return _w(_J.expand(self._h, *_size_args(shape, 'expand')))

    def expand_as(self, other):
        return self.expand(other.shape)

    def split(self, split_size, dim=0):
        sizes = (split_size,) if isinstance(split_size, _int) else tuple(split_size)
        return tuple(_w(h) for h in _J.split(self._h, dim, *sizes).to_py())

    def tensor_split(self, sections, dim=0):
        secs = (sections,) if isinstance(sections, _int) else tuple(sections)
        return tuple(_w(h) for h in _J.tensorSplit(self._h, dim, *secs).to_py())

    def chunk(self, chunks, dim=0):
        n = self.shape[dim]
        return self.split(-(-n // chunks), dim)

    def unbind(self, dim=0):
        return tuple(self.select(dim, i) for i in range(self.shape[dim]))

    def select(self, dim, index):
        return _w(_J.select(self._h, dim, index))

    def tril(self, diagonal=0):
        return _w(_J.triangle(self._h, diagonal, True))

    def triu(self, diagonal=0):
        return _w(_J.triangle(self._h, diagonal, False))

    def flip(self, *dims, **kw):
        if 'dims' in kw:
            dims = (kw.pop('dims'),)
        if kw:
            raise TypeError(f"flip() got an unexpected keyword argument '{next(iter(kw))}'")
        return _w(_J.flip(self._h, *_size_args(dims, 'dims')))

    def roll(self, shifts, dims=None):
        shifts = (shifts,) if isinstance(shifts, _int) else tuple(shifts)
        if dims is None:
            if len(shifts) != 1:
                raise RuntimeError(f'shifts and dimensions must align. shifts: {len(shifts)}, dims:0')
            return self.contiguous().view(-1).roll(shifts[0], 0).view(self.shape)
        dims = (dims,) if isinstance(dims, _int) else tuple(dims)
        return _w(_J.roll(self._h, len(shifts), *shifts, *dims))

    def repeat(self, *sizes):
        return _w(_J.repeat(self._h, *_size_args(sizes, 'repeat')))

    def outer(self, vec2):
        return outer(self, vec2)
    # -- indexing
    def __getitem__(self, idx):
        # fast paths for the lecture's hot loop (dC[ix] += demb[k, j] with ix = Xb[k, j]): no spec list built
        t = type(idx)
        if t is _int:
            h = _get_i(self._h, idx)
        elif t is Tensor:
            R = _R
            R[0] = self._h
            R[1] = idx._h
            h = _r_get_t()
        elif t is tuple and len(idx) == 2 and type(idx[0]) is _int and type(idx[1]) is _int:
            i, j = idx
            if -_EXACT < i < _EXACT and -_EXACT < j < _EXACT:
                R = _R
                R[0] = self._h
                R[1] = i
                R[2] = j
                h = _r_get_ii()
            else:
                h = _get_ii(self._h, i, j)
        else:
            h = _getitem(self._h, *_spec(idx))
        r = _new(Tensor)
        r._h = h
        return r

    def __setitem__(self, idx, v):
        if type(v) is Tensor:
            t = type(idx)
            if t is Tensor:
                R = _R
                R[0] = self._h
                R[1] = v._h
                R[2] = idx._h
                _r_set_t()
            elif t is _int:
                _set_i(self._h, v._h, idx)
            else:
                _setitem(self._h, v._h, *_spec(idx))
        elif isinstance(v, Tensor):
            _setitem(self._h, v._h, *_spec(idx))
        else:
            k = _kind(v)
            if k is None:
                v = tensor(v, dtype=self.dtype)
                _setitem(self._h, v._h, *_spec(idx))
            else:
                _setitem_s(self._h, _int(v) if k == 'bool' else v, *_spec(idx))

    def index_add_(self, dim, index, source, *, alpha=1):
        _J.indexAdd_(self._h, dim, index._h, source._h, alpha)
        return self

    def index_select(self, dim, index):
        spec = (slice(None),) * (dim % self.ndim) + (index,)
        return self[spec]

    def masked_fill(self, mask, value):
        return _w(_J.maskedFill(self._h, _fill_mask(mask), _fill_value(value)))

    def masked_fill_(self, mask, value):
        _J.maskedFillInplace(self._h, _fill_mask(mask), _fill_value(value))
        return self

    def fill_(self, x):
        x = x.item() if isinstance(x, Tensor) else x
        _J.fill_(self._h, _int(x) if isinstance(x, _b.bool) else x)
        return self

    def zero_(self):
        _J.zero_(self._h)
        return self

    def copy_(self, src):
        _J.copy_(self._h, src._h)
        return self

    def normal_(self, mean=0.0, std=1.0, *, generator=None):
        _J.randomFill(self._h, 'normal', mean, std, _gen(generator))
        return self

    def uniform_(self, a=0.0, b=1.0, *, generator=None):
        _J.randomFill(self._h, 'uniform', a, b, _gen(generator))
        return self

    def multinomial(self, num_samples, replacement=False, *, generator=None):
        return multinomial(self, num_samples, replacement, generator=generator)

    def allclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False):
        return allclose(self, other, rtol, atol, equal_nan)

    def isclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False):
        return isclose(self, other, rtol, atol, equal_nan)

    def where(self, condition, other):
        return where(condition, self, other)

    def __getattr__(self, name):
        if name.startswith('__'):
            raise AttributeError(name)
        raise AttributeError(f"'Tensor' object has no attribute '{name}' (Tensor.{name} is not implemented by "
                             "backprop-ninja's torch; docs/notebook.md lists what is)")


Tensor.__add__, Tensor.__radd__ = _arith('add'), _arith('add', True)
Tensor.__sub__, Tensor.__rsub__ = _arith('sub'), _arith('sub', True)
Tensor.__mul__, Tensor.__rmul__ = _arith('mul'), _arith('mul', True)
Tensor.__truediv__, Tensor.__rtruediv__ = _arith('div'), _arith('div', True)
Tensor.__pow__, Tensor.__rpow__ = _arith('pow'), _arith('pow', True)
Tensor.__iadd__, Tensor.__isub__ = _inplace('add'), _inplace('sub')
Tensor.__imul__, Tensor.__itruediv__ = _inplace('mul'), _inplace('div')


def _unary_method(name):
    code = _UOPC[name]
    T, new, un = Tensor, _new, _unary

    def op(self):
        r = new(T)
        r._h = un(code, self._h)
        return r

    op.__name__ = name
    return op


def _unary_inplace(name):
    code = _UOPC[name]
    uni = _unary_i

    def op(self):
        uni(code, self._h)
        return self

    op.__name__ = name + '_'
    return op


# every unary op of the library (src/core/torch/opcodes.json) as Tensor.f(), Tensor.f_() and torch.f(x): adding
# an op to the library's table adds it here
_NO_INPLACE = ('isnan', 'isinf', 'isfinite')
for _name in _UOPC:
    if _name not in Tensor.__dict__:
        setattr(Tensor, _name, _unary_method(_name))
    if _name not in _NO_INPLACE and _name + '_' not in Tensor.__dict__:
        setattr(Tensor, _name + '_', _unary_inplace(_name))
del _name


# -- the legacy constructors: torch.Tensor(...), torch.FloatTensor(...), torch.LongTensor(...) ----------------------
def _legacy_new(dt, args, kwargs):
    """torch.Tensor(data) / (*sizes) / () / (tensor), as PyTorch 1.13's legacy constructor of dtype dt."""
    if kwargs:
        raise TypeError(f"new() received an invalid combination of arguments - got unexpected keyword arguments {', '.join(kwargs)}")
    if len(args) == 1 and isinstance(args[0], Tensor):
        x = args[0]
        if _dtype_of(x._h) != dt:
            raise TypeError(f"expected {_DTYPES[dt]} (got {x.dtype})")
        return x.detach()
    if len(args) == 1 and not isinstance(args[0], (_int, Size)) and hasattr(args[0], '__len__'):
        vals, shape, _kind_ = _flatten(args[0])
        return _from_flat(vals, shape, dt)
    if args and _b.all(isinstance(a, _int) and not isinstance(a, _b.bool) for a in (args[0] if len(args) == 1 and isinstance(args[0], Size) else args)):
        size = tuple(args[0]) if len(args) == 1 and isinstance(args[0], Size) else args
        return _full(_size_args(size), 0, dt, False)
    if not args:
        return _from_flat([], [0], dt)
    raise TypeError(f"new() received an invalid combination of arguments - got ({', '.join(type(a).__name__ for a in args)})")


class _LegacyType(type):
    """The metaclass of torch.FloatTensor and kin: calling one builds a tensor of its dtype, and
    isinstance(t, torch.FloatTensor) asks t's dtype, as in PyTorch."""

    def __call__(cls, *args, **kwargs):
        return _legacy_new(cls._dtype._name, args, kwargs)

    def __instancecheck__(cls, x):
        return isinstance(x, Tensor) and _dtype_of(x._h) == cls._dtype._name

    def __repr__(cls):
        return f"<class 'torch.{cls.__name__}'>"


for _d in _DTYPES.values():
    globals()[_d._legacy] = _LegacyType(_d._legacy, (), {'_dtype': _d})
del _d


def _correction(unbiased, correction):
    if correction is not None:
        return correction
    if unbiased is None:
        return 1
    return 1 if unbiased else 0


Parameter = None  # torch.nn.Parameter is set in torch.nn


# -- creation functions ------------------------------------------------------------------------------------------
# -- numpy interop (hooks: numpy's conversions live in src/notebook/python/numpy/_interop.py) ---------------------
def _numpy_type(x):
    return type(x).__module__ == 'numpy'


def from_numpy(a):
    import numpy
    return numpy._interop.from_numpy(a)
# -- end of numpy interop --------------------------------------------------------------------------------------------


def tensor(data, dtype=None, device=None, requires_grad=False):
    if isinstance(data, Tensor):
        t = data.detach().clone()
        if dtype is not None:
            t = t.to(dtype)
    elif _numpy_type(data):  # numpy interop (hook): an ndarray or numpy scalar, copied in its own dtype
        t = _sys.modules['numpy']._interop.to_torch(data, True)
        if dtype is not None:
            t = t.to(dtype)
    else:
        vals, shape, kind = _flatten(data)
        d = _dt(dtype) or {'bool': 'bool', 'int': 'int64', 'float': 'float32'}[kind]
        t = _from_flat(vals, shape, d)
    if requires_grad:
        _factory_requires_grad(t)
    return t


def _factory_requires_grad(t):
    """requires_grad=True in a factory function (its message differs from requires_grad_()'s)."""
    if not t.dtype.is_floating_point:
        raise RuntimeError('Only Tensors of floating point and complex dtype can require gradients')
    t.requires_grad_(True)


def as_tensor(data, dtype=None, device=None):
    if _numpy_type(data):  # numpy interop (hook): an ndarray's memory shared, as PyTorch does
        t = _sys.modules['numpy']._interop.to_torch(data, False)
        return t if dtype is None else t.to(dtype)
    return data if isinstance(data, Tensor) and dtype is None else tensor(data, dtype=dtype)


def _full(size, value, dtype, requires_grad):
    t = _w(_J.full(_int(value) if isinstance(value, _b.bool) else value, dtype, *size))
    if requires_grad:
        _factory_requires_grad(t)
    return t


def zeros(*size, dtype=None, device=None, requires_grad=False, out=None):
    return _full(_size_args(size), 0, _dt(dtype) or 'float32', requires_grad)


def ones(*size, dtype=None, device=None, requires_grad=False, out=None):
    return _full(_size_args(size), 1, _dt(dtype) or 'float32', requires_grad)


def empty(*size, dtype=None, device=None, requires_grad=False, out=None):
    return _full(_size_args(size), 0, _dt(dtype) or 'float32', requires_grad)


def full(size, fill_value, dtype=None, device=None, requires_grad=False):
    d = _dt(dtype)
    if d is None:
        d = 'bool' if isinstance(fill_value, _b.bool) else 'int64' if isinstance(fill_value, _int) else 'float32'
    return _full(_size_args((size,)), fill_value, d, requires_grad)


def _like(x, value, dtype, requires_grad):
    t = _w(_J.fullLike(x._h, value, _dt(dtype)))
    if requires_grad:
        _factory_requires_grad(t)
    return t


def zeros_like(x, dtype=None, device=None, requires_grad=False):
    return _like(x, 0, dtype, requires_grad)


def ones_like(x, dtype=None, device=None, requires_grad=False):
    return _like(x, 1, dtype, requires_grad)


def empty_like(x, dtype=None, device=None, requires_grad=False):
    return _like(x, 0, dtype, requires_grad)


def full_like(x, fill_value, dtype=None, device=None, requires_grad=False):
    return _like(x, fill_value, dtype, requires_grad)


def arange(start, end=None, step=1, dtype=None, device=None, requires_grad=False):
    if end is None:
        start, end = 0, start
    d = _dt(dtype)
    if d is None:
        d = 'int64' if _b.all(isinstance(v, _int) for v in (start, end, step)) else 'float32'
    return _grad_if(_w(_J.arange(start, end, step, d)), requires_grad)


def linspace(start, end, steps, dtype=None, device=None, requires_grad=False):
    return _grad_if(_w(_J.linspace(start, end, steps, _dt(dtype) or 'float32')), requires_grad)


def eye(n, m=None, dtype=None, device=None, requires_grad=False):
    return _grad_if(_w(_J.eye(n, n if m is None else m, _dt(dtype) or 'float32')), requires_grad)


def _grad_if(t, requires_grad):
    """A factory's requires_grad=True: PyTorch's leaf, or its error for an integer dtype."""
    if requires_grad:
        _factory_requires_grad(t)
    return t


def _rand_float(dt, what):
    d = _dt(dt) or 'float32'
    if d not in ('float32', 'float64'):
        raise RuntimeError(f'"{what}" not implemented for \'{d.capitalize()}\'')
    return d


def randn(*size, generator=None, dtype=None, device=None, requires_grad=False, out=None):
    t = _w(_J.randn(_rand_float(dtype, 'normal_kernel_cpu'), _gen(generator), *_size_args(size)))
    if requires_grad:
        _factory_requires_grad(t)
    return t


def rand(*size, generator=None, dtype=None, device=None, requires_grad=False, out=None):
    t = _w(_J.rand(_rand_float(dtype, 'check_uniform_bounds'), _gen(generator), *_size_args(size)))
    if requires_grad:
        _factory_requires_grad(t)
    return t


def randint(low=0, high=None, size=None, *, generator=None, dtype=None, device=None, requires_grad=False):
    if size is None:
        # torch.randint(high, size)
        low, high, size = 0, low, high
    if high is None or size is None:
        raise TypeError('randint() missing required arguments: high and size, as in torch.randint(low, high, (n,))')
    return _w(_J.randint(low, high, _dt(dtype) or 'int64', _gen(generator), *_size_args((size,))))


def randperm(n, *, generator=None, dtype=None, device=None, requires_grad=False):
    t = _w(_J.randperm(n, _dt(dtype) or 'int64', _gen(generator)))
    if requires_grad:
        _factory_requires_grad(t)
    return t


def multinomial(input, num_samples, replacement=False, *, generator=None):
    return _w(_J.multinomial(input._h, num_samples, _b.bool(replacement), _gen(generator)))


def _infer_size(a, b):
    """ATen's infer_size: the broadcast shape of a and b, or its error (the library's, as every op's)."""
    return Size(_J.inferSize(len(a), *a, *b).to_py())


def broadcast_shapes(*shapes):
    """torch.broadcast_shapes."""
    out = Size(())
    for sh in shapes:
        try:
            out = _infer_size(out, Size((sh,)) if isinstance(sh, _int) else Size(sh))
        except RuntimeError:
            raise RuntimeError('Shape mismatch: objects cannot be broadcast to a single shape') from None
    return out


def normal(mean, std=1.0, size=None, *, generator=None):
    """torch.normal: PyTorch 1.13's normal_out_impl. With a tensor mean and/or std the output (their broadcast
    shape, the tensor's dtype) is drawn as normal_(0, 1), or normal_(0, std) for a number std, then
    .mul_(std) for a tensor std, then .add_(mean): the same draws and the same roundings."""
    tm, ts = isinstance(mean, Tensor), isinstance(std, Tensor)
    if not tm and not ts:
        if size is None:
            raise TypeError('normal() received an invalid combination of arguments - got (float, float), but expected size')
        return empty(size).normal_(mean, std, generator=generator)
    if size is not None:
        raise TypeError('normal() received an invalid combination of arguments: size is given only with float mean and std')
    if (tm and mean.requires_grad) or (ts and std.requires_grad):
        raise NotImplementedError('torch.normal with a mean or std that requires grad (NormalBackward) is not implemented by this runtime')
    if tm and ts:
        shape = _infer_size(mean.shape, std.shape)
        out = empty(shape, dtype=mean.dtype).normal_(0.0, 1.0, generator=generator)
        out.mul_(std)
    elif tm:
        if std < 0:
            raise RuntimeError(f'normal expects std >= 0.0, but found std {std:g}')
        out = empty(mean.shape, dtype=mean.dtype).normal_(0.0, std, generator=generator)
    else:
        out = empty(std.shape, dtype=std.dtype).normal_(0.0, 1.0, generator=generator)
        out.mul_(std)
    out.add_(mean)
    return out


# -- functions ---------------------------------------------------------------------------------------------------
def cat(tensors, dim=0):
    return _w(_J.cat(dim, *[t._h for t in tensors]))
concat = cat


def stack(tensors, dim=0):
    return _w(_J.stack(dim, *[t._h for t in tensors]))


def allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    return _J.allclose(a._h, b._h, rtol, atol, _b.bool(equal_nan))


def isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    return _w(_J.isclose(a._h, b._h, rtol, atol, _b.bool(equal_nan)))


def equal(a, b):
    return _J.equal(a._h, b._h)


def where(condition, input, other):
    if not isinstance(input, Tensor):
        input = tensor(input, dtype=other.dtype if isinstance(other, Tensor) else None)
    if not isinstance(other, Tensor):
        other = tensor(other, dtype=input.dtype)
    return _w(_J.where(condition._h, input._h, other._h))


def matmul(a, b):
    return a @ b


def bmm(a, b):
    return _w(_J.bmm(a._h, b._h))


def addmm(input, mat1, mat2, *, beta=1, alpha=1):
    if beta != 1 or alpha != 1:
        return beta * input + alpha * (mat1 @ mat2)
    return _w(_J.addmm(input._h, mat1._h, mat2._h))


def einsum(equation, *operands):
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = operands[0]
    return _w(_J.einsum(equation, *[t._h for t in operands]))


def outer(input, vec2):
    # ATen's outer: self.reshape({self.size(0), 1}) * vec2
    for name, v in (('self', input), ('vec2', vec2)):
        if v.ndim != 1:
            raise RuntimeError(f'outer: Expected 1-D argument {name}, but got {v.ndim}-D')
    return input.reshape(-1, 1) * vec2


ger = outer


def histogram(input, bins=100, *, range=None, weight=None, density=False):
    if weight is not None:
        raise NotImplementedError('torch.histogram(weight=...) is not implemented by this runtime')
    if isinstance(bins, Tensor):
        raise NotImplementedError('torch.histogram with a tensor of bin edges is not implemented by this runtime; give the number of bins')
    lo, hi = (_NAN, _NAN) if range is None else range
    h, e = _J.histogram(input._h, bins, lo, hi, _b.bool(density)).to_py()
    return return_types.histogram((_w(h), _w(e)))


def histc(input, bins=100, min=0, max=0):
    return _w(_J.histc(input._h, bins, min, max))


mm = matmul


def clamp(x, min=None, max=None):
    return x.clamp(min, max)


clip = clamp


def maximum(a, b):
    return a.maximum(b)


def minimum(a, b):
    return a.minimum(b)


def _reduction_fn(name):
    def f(x, *args, **kwargs):
        return getattr(x, name)(*args, **kwargs)

    f.__name__ = name
    return f


for _name in ('sum', 'mean', 'var', 'std', 'max', 'min', 'argmax', 'argmin', 'amax', 'amin', 'all', 'any',
              'softmax', 'log_softmax', 'view_as', 'reshape', 'flatten', 'permute', 'transpose', 't', 'squeeze',
              'unsqueeze', 'split', 'tensor_split', 'chunk', 'unbind', 'select', 'clone', 'detach', 'numel',
              'index_select', 'masked_fill', 'pow', 'tril', 'triu', 'sort', 'argsort', 'topk', 'cumsum', 'cumprod',
              'flip', 'roll', 'norm', 'logsumexp', 'unique', 'bincount', *_UOPC):
    globals()[_name] = _reduction_fn(_name)
del _name


def add(a, b, alpha=1):
    return a.add(b, alpha) if isinstance(a, Tensor) else b.add(a, alpha)


def sub(a, b, alpha=1):
    return a - (b * alpha if alpha != 1 else b)


def mul(a, b):
    return a * b


def div(a, b):
    return a / b


def set_printoptions(precision=None, threshold=None, edgeitems=None, linewidth=None, profile=None, sci_mode=None):
    import json
    args = {k: v for k, v in (('precision', precision), ('threshold', threshold), ('edgeitems', edgeitems),
                               ('linewidth', linewidth), ('profile', profile)) if v is not None}
    args['sciMode'] = sci_mode
    _J.setPrintOptions(json.dumps(args))


def set_num_threads(n):
    pass


def get_num_threads():
    return 1


def use_deterministic_algorithms(mode, warn_only=False):
    pass


class _Cuda:
    @staticmethod
    def is_available():
        return False

    @staticmethod
    def device_count():
        return 0

    def __getattr__(self, name):
        raise RuntimeError('Torch not compiled with CUDA enabled (this runtime computes on the CPU)')


cuda = _Cuda()


from ._device import device  # noqa: E402 (torch.device; Tensor.device and Tensor.to use it)
from ._device import CPU as _CPU, check_to as _check_to  # noqa: E402


def __getattr__(name):
    raise AttributeError(f"module 'torch' has no attribute '{name}' (torch.{name} is not implemented by "
                         "backprop-ninja's torch; docs/notebook.md lists what is)")


from . import nn  # noqa: E402
from .nn import functional  # noqa: E402,F401
from . import optim  # noqa: E402,F401
from .serialization import load, save  # noqa: E402,F401
