"""torch.optim.Adam: PyTorch 1.13's single-tensor update, op for op (betas, eps, weight_decay as L2 in the
gradient, amsgrad, maximize), with its float32 rounding (see _rounding.py)."""

import math

import torch

from . import _rounding as R
from .optimizer import Optimizer


class Adam(Optimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False, *,
                 foreach=None, maximize=False, capturable=False, differentiable=False, fused=False):
        _check(lr, betas, eps, weight_decay)
        if capturable or fused:
            raise NotImplementedError('Adam(capturable=True / fused=True) needs CUDA; this runtime has only the CPU')
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad, maximize=maximize,
                        foreach=foreach, capturable=capturable, differentiable=differentiable, fused=fused)
        super().__init__(params, defaults)

    _group_defaults = {'amsgrad': False, 'maximize': False, 'foreach': None, 'capturable': False,
                       'differentiable': False, 'fused': False}

    def _step_group(self, group):
        _adam_group(self, group, decoupled=False)


def _check(lr, betas, eps, weight_decay):
    if not 0.0 <= lr:
        raise ValueError(f'Invalid learning rate: {lr}')
    if not 0.0 <= eps:
        raise ValueError(f'Invalid epsilon value: {eps}')
    if not 0.0 <= betas[0] < 1.0:
        raise ValueError(f'Invalid beta parameter at index 0: {betas[0]}')
    if not 0.0 <= betas[1] < 1.0:
        raise ValueError(f'Invalid beta parameter at index 1: {betas[1]}')
    if not 0.0 <= weight_decay:
        raise ValueError(f'Invalid weight_decay value: {weight_decay}')


def _adam_group(opt, group, decoupled):
    """One group's step, Adam's (decoupled=False) or AdamW's: the state made lazily as PyTorch makes it."""
    beta1, beta2 = group['betas']
    lr, eps, weight_decay, amsgrad = group['lr'], group['eps'], group['weight_decay'], group['amsgrad']
    for param in group['params']:
        if param.grad is None:
            continue
        state = opt.state[param]
        if len(state) == 0:
            state['step'] = torch.tensor(0.)
            state['exp_avg'] = torch.zeros_like(param)
            state['exp_avg_sq'] = torch.zeros_like(param)
            if amsgrad:
                state['max_exp_avg_sq'] = torch.zeros_like(param)
        grad = param.grad if not group['maximize'] else -param.grad
        exp_avg, exp_avg_sq, step_t = state['exp_avg'], state['exp_avg_sq'], state['step']
        step_t += 1
        if decoupled:
            param.mul_(1 - lr * weight_decay)
        elif weight_decay != 0:
            grad = R.add_scaled(grad, param, weight_decay)
        exp_avg.mul_(beta1)
        R.add_scaled_(exp_avg, grad, 1 - beta1)
        exp_avg_sq.mul_(beta2)
        R.addcmul_(exp_avg_sq, grad, grad, value=1 - beta2)
        step = step_t.item()
        bias_correction1 = 1 - beta1 ** step
        bias_correction2 = 1 - beta2 ** step
        step_size = lr / bias_correction1
        bias_correction2_sqrt = math.sqrt(bias_correction2)
        if amsgrad:
            max_exp_avg_sq = state['max_exp_avg_sq']
            max_exp_avg_sq.copy_(torch.maximum(max_exp_avg_sq, exp_avg_sq))
            denom = (max_exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(eps)
        else:
            denom = (exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(eps)
        R.addcdiv_(param, exp_avg, denom, value=-step_size)
