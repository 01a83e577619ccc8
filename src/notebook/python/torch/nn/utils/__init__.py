"""torch.nn.utils: gradient clipping (clip_grad_norm_, clip_grad_value_) as PyTorch 1.13."""

from . import clip_grad  # noqa: F401
from .clip_grad import clip_grad_norm, clip_grad_norm_, clip_grad_value_  # noqa: F401

__all__ = ['clip_grad', 'clip_grad_norm', 'clip_grad_norm_', 'clip_grad_value_']


def __getattr__(name):
    raise AttributeError(f"module 'torch.nn.utils' has no attribute '{name}' (not implemented by backprop-ninja's "
                         'torch: clip_grad_norm_, clip_grad_value_ are)')
