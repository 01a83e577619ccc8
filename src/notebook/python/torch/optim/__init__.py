"""torch.optim: SGD, Adam, AdamW as PyTorch 1.13 updates (its single-tensor path, op for op, rounded as its
float32 CPU kernels round), and lr_scheduler. See docs/torch-nn-optim.md."""

from . import lr_scheduler, optimizer  # noqa: F401
from .adam import Adam
from .adamw import AdamW
from .optimizer import Optimizer
from .sgd import SGD

__all__ = ['Optimizer', 'SGD', 'Adam', 'AdamW', 'lr_scheduler']


def __getattr__(name):
    raise AttributeError(f"module 'torch.optim' has no attribute '{name}' (not implemented by backprop-ninja's "
                         'torch: SGD, Adam, AdamW, Optimizer, lr_scheduler are)')
