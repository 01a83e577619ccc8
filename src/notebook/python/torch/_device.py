"""torch.device as PyTorch 1.13 has it: parsed from 'cpu', 'cuda:1', ('cuda', 1) or an index, printed as
`device(type='cpu')`, equal only to a device (torch.device('cpu') == 'cpu' is False in PyTorch), hashable. Any
device type PyTorch knows can be named; a tensor lives on the CPU, and moving one to CUDA fails as PyTorch
built without CUDA fails."""

_TYPES = ('cpu', 'cuda', 'ipu', 'xpu', 'mkldnn', 'opengl', 'opencl', 'ideep', 'hip', 've', 'fpga', 'ort', 'xla',
          'lazy', 'vulkan', 'mps', 'meta', 'hpu', 'privateuseone')


class device:
    __slots__ = ('_type', '_index')
    __module__ = 'torch'

    def __init__(self, type, index=None):  # noqa: A002 (PyTorch's argument name)
        if isinstance(type, device):
            type, index = type.type, type.index
        elif isinstance(type, int) and not isinstance(type, bool):
            type, index = 'cuda', type
        elif not isinstance(type, str):
            raise TypeError(f'device(): argument \'type\' must be str, not {type.__class__.__name__}')
        else:
            name, sep, idx = type.partition(':')
            if name not in _TYPES:
                raise RuntimeError(f'Expected one of {", ".join(_TYPES)} device type at start of device string: {type}')
            if sep:
                if index is not None:
                    raise RuntimeError(f'type (string) must not include an index because index was passed '
                                       f'explicitly: {type}')
                if not idx.isdigit() or (len(idx) > 1 and idx[0] == '0'):
                    raise RuntimeError(f"Invalid device string: '{type}'")
                index = int(idx)
            type = name
        if index is not None and index < 0:
            raise RuntimeError('Device index must not be negative')
        self._type, self._index = type, index

    @property
    def type(self):
        return self._type

    @property
    def index(self):
        return self._index

    def __repr__(self):
        if self._index is None:
            return f"device(type='{self._type}')"
        return f"device(type='{self._type}', index={self._index})"

    def __str__(self):
        return self._type if self._index is None else f'{self._type}:{self._index}'

    def __eq__(self, other):
        if not isinstance(other, device):
            return NotImplemented if not isinstance(other, str) else False
        return self._type == other._type and self._index == other._index

    def __hash__(self):
        return hash((self._type, self._index))

    def __reduce__(self):
        return (device, (self._type,) if self._index is None else (self._type, self._index))


CPU = device('cpu')


def check_to(d):
    """What Tensor.to does with a device argument: the CPU is where tensors are; CUDA fails as in PyTorch
    built without it."""
    if d is None or isinstance(d, device) and d.type == 'cpu':
        return
    if isinstance(d, (str, int, device)) and not isinstance(d, bool):
        d = device(d)
        if d.type == 'cuda':
            raise AssertionError('Torch not compiled with CUDA enabled')
        if d.type != 'cpu':
            raise RuntimeError(f'this runtime computes on the CPU: tensors cannot move to {d}')
