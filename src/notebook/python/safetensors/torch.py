"""safetensors.torch.save_file / load_file for the notebook runtime: the same file format the CLI reads
(`npx backprop-ninja check --checkpoint model.safetensors`), so a model trained in a notebook reaches the
CLI and the CLI's checkpoints reach a notebook. float32, float64, int64 and bool tensors (F32, F64, I64, BOOL;
I32 loads as int64)."""

import json as _json
import os as _os

import torch as _t
from torch import _J, _w


def save_file(tensors, filename, metadata=None):
    names = list(tensors.keys())
    for k in names:
        if not isinstance(tensors[k], _t.Tensor):
            raise TypeError(f'save_file: "{k}" is a {type(tensors[k]).__name__}, not a tensor')
    data = _J.stSave(_json.dumps(names), _json.dumps(metadata or {}), *[tensors[k]._h for k in names])
    raw = data.to_bytes()
    tmp = f'{filename}.tmp-{_os.getpid()}'
    with open(tmp, 'wb') as f:
        f.write(raw)
        f.flush()
        _os.fsync(f.fileno())
    _os.replace(tmp, filename)


def save(tensors, metadata=None):
    names = list(tensors.keys())
    return _J.stSave(_json.dumps(names), _json.dumps(metadata or {}), *[tensors[k]._h for k in names]).to_bytes()


def load(data):
    flat = _J.stLoad(memoryview(bytes(data)), '<bytes>').to_py()
    n = len(flat) // 2
    return {flat[i]: _w(flat[n + i]) for i in range(n)}


def load_file(filename, device='cpu'):
    with open(filename, 'rb') as f:
        raw = f.read()
    flat = _J.stLoad(memoryview(raw), str(filename)).to_py()
    n = len(flat) // 2
    return {flat[i]: _w(flat[n + i]) for i in range(n)}
