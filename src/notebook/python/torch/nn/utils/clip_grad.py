"""clip_grad_norm_ and clip_grad_value_, PyTorch 1.13's code (torch/nn/utils/clip_grad.py) with its p-norm
composed from tensor ops: the norm of each gradient, then the norm of those norms, the clip coefficient
max_norm / (total + 1e-6) clamped to 1 and multiplied into every gradient in place. The total norm is a
float32 sum of squares in another order than PyTorch's norm kernel: equal within a few roundings."""

import math
import warnings

import torch

inf = math.inf


def _norm(x, p):
    """torch.norm(x, p) of a detached tensor, over all its elements (a 0-dim tensor)."""
    if p == 2:
        return (x * x).sum().sqrt()
    if p == inf:
        return x.abs().amax()
    if p == -inf:
        return x.abs().amin()
    if p == 1:
        return x.abs().sum()
    if p == 0:
        return (x != 0).sum().to(x.dtype)
    return x.abs().pow(p).sum().pow(1.0 / p)


def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False):
    if isinstance(parameters, torch.Tensor):
        parameters = [parameters]
    grads = [p.grad for p in parameters if p.grad is not None]
    max_norm = float(max_norm)
    norm_type = float(norm_type)
    if len(grads) == 0:
        return torch.tensor(0.)
    if norm_type == inf:
        norms = [g.detach().abs().max() for g in grads]
        total_norm = norms[0] if len(norms) == 1 else torch.stack(norms).max()
    else:
        total_norm = _norm(torch.stack([_norm(g.detach(), norm_type) for g in grads]), norm_type)
    if error_if_nonfinite and (total_norm.isnan() | total_norm.isinf()):
        raise RuntimeError(
            f'The total norm of order {norm_type} for gradients from '
            '`parameters` is non-finite, so it cannot be clipped. To disable '
            'this error and scale the gradients by the non-finite norm anyway, '
            'set `error_if_nonfinite=False`')
    clip_coef = max_norm / (total_norm + 1e-6)
    # multiplying by the clamped coefficient even when it is 1 is PyTorch's way (no data-dependent branch)
    clip_coef_clamped = torch.clamp(clip_coef, max=1.0)
    for g in grads:
        g.detach().mul_(clip_coef_clamped)
    return total_norm


def clip_grad_norm(parameters, max_norm, norm_type=2., error_if_nonfinite=False):
    warnings.warn("torch.nn.utils.clip_grad_norm is now deprecated in favor "
                  "of torch.nn.utils.clip_grad_norm_.", stacklevel=2)
    return clip_grad_norm_(parameters, max_norm, norm_type, error_if_nonfinite)


def clip_grad_value_(parameters, clip_value):
    if isinstance(parameters, torch.Tensor):
        parameters = [parameters]
    clip_value = float(clip_value)
    for p in filter(lambda p: p.grad is not None, parameters):
        p.grad.data.clamp_(min=-clip_value, max=clip_value)
