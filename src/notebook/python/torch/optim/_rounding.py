"""The fused float32 updates of PyTorch 1.13's CPU kernels (x86-64 with AVX2, as Debian builds it), composed
from public tensor ops so that an optimizer step rounds as PyTorch's does:

- `x.add_(y, alpha=a)` (a != 1) is one fused multiply-add, x + a*y rounded once (Vectorized fmadd);
- `x.addcmul_(t1, t2, value=v)` is fma(v*t1, t2, x): the product v*t1 rounded, then one fused multiply-add;
- `x.addcdiv_(t1, t2, value=v)` is x + (v*t1)/t2, each op rounded (no fusion possible after a division).

The fused ones are computed in float64 and rounded to float32: v*t1 of two float32 values is exact in a
double, the sum is rounded once to 53 bits, then to 24. That equals a true fma except where the double sum
lands exactly on a float32 tie (about one element in 2^29). A scalar is taken as float32 first, as the
kernels take it. float64 tensors use the unfused ops (PyTorch's differ from them by at most 1 ulp of a double).
The core library could do these as single ops (addcmul_, addcdiv_, add_ with alpha): see docs/torch-nn-optim.md.
"""

import struct

import torch


def f32(x):
    """A Python float rounded to float32, as a CPU kernel casts its scalar."""
    return struct.unpack('f', struct.pack('f', x))[0]


def _fused(x):
    return x.dtype is torch.float32


def add_scaled(x, y, alpha):
    """x.add(y, alpha=alpha): a new tensor."""
    if alpha == 1:
        return x + y
    if _fused(x) and y.dtype is torch.float32:
        return (y.double() * f32(alpha) + x.double()).float()
    return x + y * alpha


def add_scaled_(x, y, alpha):
    """x.add_(y, alpha=alpha): in place."""
    if alpha == 1:
        return x.add_(y)
    if _fused(x) and y.dtype is torch.float32:
        return x.copy_((y.double() * f32(alpha) + x.double()).float())
    return x.add_(y * alpha)


def addcmul_(x, t1, t2, value=1):
    """x.addcmul_(t1, t2, value=value): x + value*t1*t2."""
    if _fused(x):
        v = t1 * value if value != 1 else t1
        return x.copy_((v.double() * t2.double() + x.double()).float())
    return x.add_(t1 * value * t2)


def addcdiv_(x, t1, t2, value=1):
    """x.addcdiv_(t1, t2, value=value): x + (value*t1)/t2."""
    return x.add_((t1 * value if value != 1 else t1) / t2)
