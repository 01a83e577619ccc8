"""torch.nn.functional for the makemore lectures: cross_entropy (PyTorch's log_softmax + nll_loss, forward
and backward), softmax, log_softmax, nll_loss, one_hot, tanh, relu, sigmoid."""

import torch as _t
from torch import _J, _w

_REDUCTIONS = ('mean', 'sum', 'none')


def _reduction(r):
    if r not in _REDUCTIONS:
        raise ValueError(f'{r} is not a valid value for reduction')
    return r


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
                  reduction='mean', label_smoothing=0.0):
    if weight is not None or label_smoothing != 0.0 or size_average is not None or reduce is not None:
        raise NotImplementedError('F.cross_entropy: weight, label_smoothing and the legacy size_average/reduce '
                                  'are not implemented by this runtime')
    return _w(_J.crossEntropy(input._h, target._h, _reduction(reduction), ignore_index))


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean'):
    if weight is not None:
        raise NotImplementedError('F.nll_loss: weight is not implemented by this runtime')
    return _w(_J.nllLoss(input._h, target._h, _reduction(reduction), ignore_index))


def softmax(input, dim=None, _stacklevel=3, dtype=None):
    if dim is None:
        raise TypeError('F.softmax: give dim explicitly (PyTorch infers one with a deprecation warning)')
    x = input if dtype is None else input.to(dtype)
    return x.softmax(dim)


def log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    if dim is None:
        raise TypeError('F.log_softmax: give dim explicitly (PyTorch infers one with a deprecation warning)')
    x = input if dtype is None else input.to(dtype)
    return x.log_softmax(dim)


def one_hot(tensor, num_classes=-1):
    return _w(_J.oneHot(tensor._h, num_classes))


def tanh(input):
    return input.tanh()


def relu(input, inplace=False):
    return input.relu()


def sigmoid(input):
    return input.sigmoid()


def __getattr__(name):
    raise AttributeError(f"module 'torch.nn.functional' has no attribute '{name}' (not implemented by backprop-ninja's "
                         "torch: cross_entropy, nll_loss, softmax, log_softmax, one_hot, tanh, relu, sigmoid are)")
