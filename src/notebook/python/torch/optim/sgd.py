"""torch.optim.SGD: PyTorch 1.13's single-tensor update, op for op (momentum, dampening, nesterov,
weight_decay, maximize), with its float32 rounding (see _rounding.py)."""

import torch

from . import _rounding as R
from .optimizer import Optimizer, required


class SGD(Optimizer):
    def __init__(self, params, lr=required, momentum=0, dampening=0, weight_decay=0, nesterov=False, *,
                 maximize=False, foreach=None, differentiable=False):
        if lr is not required and lr < 0.0:
            raise ValueError(f'Invalid learning rate: {lr}')
        if momentum < 0.0:
            raise ValueError(f'Invalid momentum value: {momentum}')
        if weight_decay < 0.0:
            raise ValueError(f'Invalid weight_decay value: {weight_decay}')
        defaults = dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay, nesterov=nesterov,
                        maximize=maximize, foreach=foreach, differentiable=differentiable)
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError('Nesterov momentum requires a momentum and zero dampening')
        super().__init__(params, defaults)

    _group_defaults = {'nesterov': False, 'maximize': False, 'foreach': None, 'differentiable': False}

    def _step_group(self, group):
        params_with_grad = []
        d_p_list = []
        momentum_buffer_list = []
        for p in group['params']:
            if p.grad is not None:
                params_with_grad.append(p)
                d_p_list.append(p.grad)
                momentum_buffer_list.append(self.state[p].get('momentum_buffer'))
        _single_tensor_sgd(params_with_grad, d_p_list, momentum_buffer_list, weight_decay=group['weight_decay'],
                           momentum=group['momentum'], lr=group['lr'], dampening=group['dampening'],
                           nesterov=group['nesterov'], maximize=group['maximize'])
        for p, momentum_buffer in zip(params_with_grad, momentum_buffer_list):
            self.state[p]['momentum_buffer'] = momentum_buffer  # None without momentum, as PyTorch 1.13 keeps it


def _single_tensor_sgd(params, d_p_list, momentum_buffer_list, *, weight_decay, momentum, lr, dampening, nesterov,
                       maximize):
    for i, param in enumerate(params):
        d_p = d_p_list[i] if not maximize else -d_p_list[i]
        if weight_decay != 0:
            d_p = R.add_scaled(d_p, param, weight_decay)
        if momentum != 0:
            buf = momentum_buffer_list[i]
            if buf is None:
                buf = torch.clone(d_p).detach()
                momentum_buffer_list[i] = buf
            else:
                buf.mul_(momentum)
                R.add_scaled_(buf, d_p, 1 - dampening)
            if nesterov:
                d_p = R.add_scaled(d_p, buf, momentum)
            else:
                d_p = buf
        R.add_scaled_(param, d_p, -lr)
