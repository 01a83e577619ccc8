"""numpy <-> torch: what torch.from_numpy, Tensor.numpy(), torch.tensor(ndarray) and torch.as_tensor(ndarray)
do (the torch shim calls these, see its "numpy interop" block).

An ndarray whose dtype the tensor library holds as such (float32, float64, int64, bool) and a tensor share
memory both ways, as in PyTorch: ``torch.from_numpy(a)`` and ``t.numpy()`` are views of one another. The
narrower integer types are held in int64 here (see _dtypes), so ``torch.from_numpy`` of an int32/uint8/int16/
int8 array gives a copy, in that torch dtype when the tensor library has it, else in int64.
"""

import torch as _torch

from numpy import _dtypes as _d
from numpy._multiarray import ndarray, _wrap, _torch_dtype_of, _storage

_SHARED = ('float32', 'float64', 'int64', 'bool')


def _torch_dtype(d):
    t = getattr(_torch, d.name if d.kind != 'b' else 'bool', None)
    return t if t is not None else (_torch.int64 if d.kind in 'iu' else _torch.float32)


def from_numpy(a):
    """torch.from_numpy(a): a tensor sharing a's memory (a copy for the integer types held widened here)."""
    if not isinstance(a, ndarray):
        raise TypeError(f'expected np.ndarray (got {type(a).__name__})')
    if a.dtype.name in _SHARED:
        return a._t
    return a._t.to(_torch_dtype(a.dtype))


def to_torch(data, copy):
    """torch.tensor(data) (copy=True) / torch.as_tensor(data) (copy=False) for an ndarray or a numpy scalar;
    None for anything else (the shim goes on with its own conversion)."""
    if isinstance(data, ndarray):
        t = from_numpy(data)
        return t.clone() if copy and data.dtype.name in _SHARED else t
    if isinstance(data, _d.generic):
        d = type(data)._dtype
        return _torch.tensor(data.item(), dtype=_torch_dtype(d))
    return None


def tensor_to_numpy(t, force=False):
    """Tensor.numpy(): an ndarray sharing the tensor's memory."""
    if t.requires_grad and not force:
        raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.")
    t = t.detach()
    d = _torch_dtype_of(t)
    st = _storage(d)
    # shared when the library holds the dtype as numpy's storage does; a narrow integer tensor is widened (copied)
    return _wrap(t if t.dtype == st else t.to(st), d)
