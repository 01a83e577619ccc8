"""torch.save / torch.load in PyTorch 1.13's file format, so that a file saved in a notebook here loads in
PyTorch and a file PyTorch saved loads here.

The format (PyTorch's `_save` / `_load`): a zip archive, stored uncompressed, whose records sit under one folder
named after the file (`model.pt` -> `model/`, a buffer -> `archive/`):
- `data.pkl`: the object, pickled with protocol 2; a tensor is `torch._utils._rebuild_tensor_v2(storage,
  storage_offset, size, stride, requires_grad, OrderedDict())`, an `nn.Parameter`
  `torch._utils._rebuild_parameter(tensor, requires_grad, OrderedDict())`, and a storage is a persistent id
  `('storage', torch.FloatStorage, '0', 'cpu', numel)`;
- `data/0`, `data/1`, ...: each storage's bytes, little-endian, aligned to 64 bytes in the archive as PyTorch's
  writer aligns them;
- `version`: `3`.

Each saved tensor gets a storage of its own (the tensor library does not expose which tensors share one):
views of one tensor saved together load as separate tensors, not sharing memory. On load, tensors that PyTorch
saved as views of one storage share it, as in PyTorch, when each is a contiguous or permuted (transposed) block
of it; a strided slice loads as a copy. See docs/torch-nn-optim.md.
"""

import io
import os
import pickle
import struct
import types
import zipfile
from array import array
from collections import OrderedDict

import torch

# the storage classes' pickled names, by dtype name
_STORAGE_NAMES = {'float32': 'FloatStorage', 'float64': 'DoubleStorage', 'float16': 'HalfStorage',
                  'bfloat16': 'BFloat16Storage', 'int64': 'LongStorage', 'int32': 'IntStorage',
                  'int16': 'ShortStorage', 'int8': 'CharStorage', 'uint8': 'ByteStorage', 'bool': 'BoolStorage'}
# the integer dtypes held here as int64 on their way to bytes, and their array typecodes
_NARROW_INTS = {'int32': 'i', 'int16': 'h', 'int8': 'b', 'uint8': 'B'}
_ST_CODES = {'float32': 'F32', 'float64': 'F64', 'int64': 'I64', 'bool': 'BOOL'}


def _storage_class(dtype_name):
    return type(_STORAGE_NAMES[dtype_name], (), {'__module__': 'torch', 'dtype': getattr(torch, dtype_name)})


_STORAGES = {d: _storage_class(d) for d in _STORAGE_NAMES}
_STORAGE_BY_NAME = {c.__name__: c for c in _STORAGES.values()}


class _Storage:
    """A tensor's bytes on their way into the archive (what the persistent id names)."""

    def __init__(self, dtype_name, data, numel):
        self.dtype_name, self.data, self.numel = dtype_name, data, numel


def _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks):
    """A tensor from its storage (a flat tensor), sharing its memory where the layout allows."""
    size, stride = tuple(size), tuple(stride)
    n = 1
    for s in size:
        n *= s
    # a permutation of a contiguous layout (a transpose, a permute) is a permuted view of the storage
    order = sorted(range(len(size)), key=lambda d: -stride[d])
    dense = tuple(size[d] for d in order)
    if n == 0 or _contiguous_strides(dense) == tuple(stride[d] for d in order):
        t = storage[storage_offset:storage_offset + n].view(dense)
        if order != sorted(order):
            t = t.permute([order.index(d) for d in range(len(size))])
    else:  # anything else (a strided slice): gathered, a copy
        index = torch.full((), storage_offset, dtype=torch.int64)
        for d, (s, st) in enumerate(zip(size, stride)):
            shape = [1] * len(size)
            shape[d] = s
            index = index + torch.arange(s).view(shape) * st
        t = storage[index.reshape(-1)].view(size)
    if requires_grad:
        t.requires_grad_(True)
    return t


def _rebuild_parameter(data, requires_grad, backward_hooks):
    return torch.nn.Parameter(data, requires_grad)


# what the pickle names as globals: torch._utils' rebuild functions and torch's storage classes
_GLOBALS = {_rebuild_tensor_v2: ('torch._utils', '_rebuild_tensor_v2'),
            _rebuild_parameter: ('torch._utils', '_rebuild_parameter')}
_GLOBALS.update({c: ('torch', c.__name__) for c in _STORAGES.values()})
_FIND = {v: k for k, v in _GLOBALS.items()}
_FIND[('collections', 'OrderedDict')] = OrderedDict


def _dtype_name(dtype):
    return str(dtype)[len('torch.'):]


def _contiguous_strides(size):
    strides, step = [], 1
    for s in reversed(size):
        strides.append(step)
        step *= max(s, 1)
    return tuple(reversed(strides))


# -- tensor <-> little-endian bytes, through safetensors' codec (float32, float64, int64, bool) --------------------
def _st_bytes(t):
    import safetensors.torch as st
    blob = st.save({'t': t})
    (n,) = struct.unpack('<Q', blob[:8])
    return blob[8 + n:]


def _st_tensor(data, dtype_name, numel):
    import json
    import safetensors.torch as st
    header = json.dumps({'t': {'dtype': _ST_CODES[dtype_name], 'shape': [numel], 'data_offsets': [0, len(data)]}})
    header = header.encode() + b' ' * (-len(header) % 8)
    return st.load(struct.pack('<Q', len(header)) + header + data)['t']


def _tensor_bytes(t):
    d = _dtype_name(t.dtype)
    flat = t.detach().contiguous().reshape(-1)
    if flat.numel() == 0:
        return d, b''
    if d in _ST_CODES:
        return d, _st_bytes(flat)
    if d in _NARROW_INTS:
        return d, array(_NARROW_INTS[d], array('q', _st_bytes(flat.to(torch.int64))).tolist()).tobytes()
    f32 = _st_bytes(flat.to(torch.float32))
    if d == 'bfloat16':  # a bfloat16 is the high half of the float32 it widens to exactly
        return d, b''.join(f32[i + 2:i + 4] for i in range(0, len(f32), 4))
    if d == 'float16':
        values = array('f', f32)
        return d, struct.pack(f'<{len(values)}e', *values)
    raise RuntimeError(f'torch.save: tensors of dtype {t.dtype} are not supported by this runtime')


def _bytes_tensor(data, dtype_name, numel):
    if numel == 0:
        return torch.zeros(0, dtype=getattr(torch, dtype_name))
    if dtype_name in _ST_CODES:
        return _st_tensor(bytes(data), dtype_name, numel)
    if dtype_name in _NARROW_INTS:
        wide = array('q', array(_NARROW_INTS[dtype_name], bytes(data)).tolist()).tobytes()
        return _st_tensor(wide, 'int64', numel).to(getattr(torch, dtype_name))
    if dtype_name == 'bfloat16':
        data = bytes(data)
        f32 = b''.join(b'\0\0' + data[i:i + 2] for i in range(0, len(data), 2))
    else:
        f32 = array('f', struct.unpack(f'<{len(data) // 2}e', data)).tobytes()
    return _st_tensor(f32, 'float32', numel).to(getattr(torch, dtype_name))


# -- save ------------------------------------------------------------------------------------------------------------
class _Pickler(pickle._Pickler):
    """Python's pickler with PyTorch's reductions of tensors and parameters, and its globals' names."""

    def __init__(self, file, protocol):
        super().__init__(file, protocol)
        self.storages = []

    def reducer_override(self, obj):
        if isinstance(obj, torch.nn.Parameter):
            return _rebuild_parameter, (obj.detach(), obj.requires_grad, OrderedDict())
        if isinstance(obj, torch.Tensor):
            dtype_name, data = _tensor_bytes(obj)
            storage = _Storage(dtype_name, data, obj.numel())
            size = tuple(obj.shape)
            return _rebuild_tensor_v2, (storage, 0, size, _contiguous_strides(size), obj.requires_grad,
                                        OrderedDict())
        return NotImplemented

    def persistent_id(self, obj):
        if isinstance(obj, _Storage):
            key = str(len(self.storages))
            self.storages.append((key, obj.data))
            return ('storage', _STORAGES[obj.dtype_name], key, 'cpu', obj.numel)
        return None

    def save_global(self, obj, name=None):
        where = _GLOBALS.get(obj)
        if where is None:
            return super().save_global(obj, name)
        self.write(pickle.GLOBAL + f'{where[0]}\n{where[1]}\n'.encode())
        self.memoize(obj)

    # the pure-Python pickler dispatches a function to its own save_global, not to an override
    dispatch = pickle._Pickler.dispatch.copy()
    dispatch[types.FunctionType] = save_global


def _write_record(zf, name, data):
    """A stored record whose data starts at a multiple of 64 bytes (PyTorch's writer pads with an 'FB' extra)."""
    info = zipfile.ZipInfo(name, date_time=(1980, 0, 0, 0, 0, 0))
    info.compress_type = zipfile.ZIP_STORED
    start = zf.fp.tell() + 30 + len(name.encode())
    pad = -(start + 4) % 64
    info.extra = b'FB' + struct.pack('<H', pad) + b'Z' * pad
    zf.writestr(info, data)


def _archive(obj, archive_name, pickle_protocol):
    pkl = io.BytesIO()
    pickler = _Pickler(pkl, pickle_protocol)
    pickler.dump(obj)
    out = io.BytesIO()
    with zipfile.ZipFile(out, 'w', zipfile.ZIP_STORED) as zf:
        _write_record(zf, f'{archive_name}/data.pkl', pkl.getvalue())
        for key, data in pickler.storages:
            _write_record(zf, f'{archive_name}/data/{key}', data)
        _write_record(zf, f'{archive_name}/version', b'3\n')
    return out.getvalue()


def save(obj, f, pickle_module=pickle, pickle_protocol=2, _use_new_zipfile_serialization=True):
    """torch.save(obj, f): f a path (written whole: a temporary file, fsync, rename) or a binary file object."""
    if not _use_new_zipfile_serialization:
        raise NotImplementedError('torch.save(_use_new_zipfile_serialization=False): the legacy format is not '
                                  'written by this runtime')
    if isinstance(f, (str, os.PathLike)):
        name = os.fspath(f)
        base = os.path.basename(name)
        data = _archive(obj, os.path.splitext(base)[0] or base, pickle_protocol)
        tmp = f'{name}.tmp-{os.getpid()}'
        try:
            with open(tmp, 'wb') as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, name)
        except BaseException:
            if os.path.exists(tmp):
                os.remove(tmp)
            raise
    else:
        f.write(_archive(obj, 'archive', pickle_protocol))


# -- load ------------------------------------------------------------------------------------------------------------
_UNSAFE_MESSAGE = (
    "Weights only load failed. Re-running `torch.load` with `weights_only` set to `False`"
    " will likely succeed, but it can result in arbitrary code execution."
    "Do it only if you get the file from a trusted source. WeightsUnpickler error: "
)
_WEIGHTS_ONLY = {('collections', 'OrderedDict'), ('torch._utils', '_rebuild_tensor_v2'),
                 ('torch._utils', '_rebuild_parameter'), ('torch.nn.parameter', 'Parameter'), ('torch', 'Size'),
                 ('torch', 'Tensor')} | {('torch', n) for n in _STORAGE_BY_NAME} | {
                     ('torch', d) for d in ('float16', 'float32', 'float64', 'int8', 'int16', 'int32', 'int64')}


class _WeightsOnlyError(Exception):
    pass


class _Unpickler(pickle.Unpickler):
    def __init__(self, file, records, prefix, map_location, weights_only, **kwargs):
        super().__init__(file, **kwargs)
        self.records, self.prefix, self.map_location, self.weights_only = records, prefix, map_location, weights_only
        self.loaded = {}

    def find_class(self, module, name):
        if self.weights_only and (module, name) not in _WEIGHTS_ONLY:
            raise _WeightsOnlyError(f'Unsupported class {module}.{name}')
        found = _FIND.get((module, name))
        if found is not None:
            return found
        if module == 'torch' and name.endswith('Storage'):
            raise RuntimeError(f'torch.load: {name} is not supported by this runtime')
        return super().find_class(module, name)

    def persistent_load(self, pid):
        typename, storage_type, key, location, numel = pid
        if typename != 'storage':
            raise pickle.UnpicklingError(f'Unknown typename for persistent_load, expected \'storage\' but got \'{typename}\'')
        if _restore_location(self.map_location, location).startswith('cuda'):
            raise RuntimeError('Attempting to deserialize object on a CUDA '
                               'device but torch.cuda.is_available() is False. '
                               'If you are running on a CPU-only machine, '
                               'please use torch.load with map_location=torch.device(\'cpu\') '
                               'to map your storages to the CPU.')
        if key not in self.loaded:
            data = self.records.read(f'{self.prefix}/data/{key}')
            self.loaded[key] = _bytes_tensor(data, _dtype_name(storage_type.dtype), numel)
        return self.loaded[key]


def _restore_location(map_location, location):
    """Where torch.load puts a storage saved at location (PyTorch's _get_restore_location): the map's word, the
    saved location when there is none; a function's result stays here (it can only return a CPU storage)."""
    if map_location is None:
        return str(location)
    if isinstance(map_location, dict):
        return str(map_location.get(location, location))
    if isinstance(map_location, (str, torch.device)):
        return str(map_location)
    return 'cpu'


def load(f, map_location=None, pickle_module=None, *, weights_only=False, **pickle_load_args):
    """torch.load(f): f a path or a binary file object holding a file torch.save wrote (PyTorch 1.6 and later)."""
    if weights_only and pickle_module is not None:
        raise RuntimeError('Can not safely load weights when expiclit picke_module is specified')
    pickle_load_args.setdefault('encoding', 'utf-8')
    if isinstance(f, (str, os.PathLike)):
        with open(f, 'rb') as opened:
            data = opened.read()
    else:
        data = f.read()
    buffer = io.BytesIO(data)
    if not zipfile.is_zipfile(buffer):
        raise RuntimeError('torch.load: this file is not in the zip format torch.save writes since PyTorch 1.6 (the '
                           'legacy format is not read by this runtime; re-save it with torch.save in PyTorch 1.6 or '
                           'later)')
    with zipfile.ZipFile(buffer) as records:
        names = records.namelist()
        prefix = names[0].split('/')[0]
        if f'{prefix}/data.pkl' not in names:
            raise RuntimeError('PytorchStreamReader failed locating file data.pkl: file not found')
        unpickler = _Unpickler(io.BytesIO(records.read(f'{prefix}/data.pkl')), records, prefix, map_location,
                               weights_only, **pickle_load_args)
        try:
            return unpickler.load()
        except _WeightsOnlyError as e:
            raise pickle.UnpicklingError(_UNSAFE_MESSAGE + str(e)) from None
