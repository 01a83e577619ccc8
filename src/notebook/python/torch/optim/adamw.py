"""torch.optim.AdamW: Adam with decoupled weight decay (param *= 1 - lr*weight_decay first), PyTorch 1.13's
single-tensor update op for op (see adam.py, _rounding.py)."""

from .adam import _adam_group, _check
from .optimizer import Optimizer


class AdamW(Optimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False, *,
                 maximize=False, foreach=None, capturable=False):
        _check(lr, betas, eps, weight_decay)
        if capturable:
            raise NotImplementedError('AdamW(capturable=True) needs CUDA; this runtime has only the CPU')
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad, foreach=foreach,
                        maximize=maximize, capturable=capturable)
        super().__init__(params, defaults)

    _group_defaults = {'amsgrad': False, 'maximize': False, 'foreach': None, 'capturable': False}

    def _step_group(self, group):
        _adam_group(self, group, decoupled=True)
