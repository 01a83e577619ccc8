"""torch.nn.functional for the makemore lectures: cross_entropy (PyTorch's log_softmax + nll_loss, forward
and backward), softmax, log_softmax, nll_loss, one_hot, tanh, relu, sigmoid, gelu, leaky_relu, silu, elu; and what the nn modules wrap:
linear, embedding, batch_norm, layer_norm, dropout, mse_loss (composed from tensor ops, so autograd follows;
the normalisations in PyTorch 1.13's CPU kernels' order: y = x * alpha + beta per channel)."""

import math

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
    return input.relu_() if inplace else input.relu()


def sigmoid(input):
    return input.sigmoid()


def _floating(input, kernel):
    """PyTorch's dispatch error for an activation kernel given an integer or bool tensor."""
    if not input.dtype.is_floating_point:
        raise RuntimeError(f'"{kernel}" not implemented for \'{input.dtype._legacy[:-len("Tensor")]}\'')


def _activation(f, input, inplace):
    """f(input), or with inplace=True written back into input. The in-place form computes from a copy when a
    graph is recorded (f may save its input for the backward pass, which the write would invalidate), then
    copies the result in: the gradient flows as through PyTorch's in-place kernel (node: CopyBackwards)."""
    if not inplace:
        return f(input)
    return input.copy_(f(input.clone() if input.requires_grad and _t.is_grad_enabled() else input))


_GELU_BETA = math.sqrt(2) * (2 / math.sqrt(math.pi)) * 0.5  # M_SQRT2 * M_2_SQRTPI * 0.5, in PyTorch's order


def gelu(input, *, approximate='none'):
    """x * 0.5 * (1 + erf(x / sqrt(2))), or with approximate='tanh' 0.5 * x * (1 + tanh(sqrt(2 / pi) * (x +
    0.044715 x^3))): PyTorch 1.13's CPU kernel's expressions, op for op (GeluKernelImpl)."""
    if approximate not in ('none', 'tanh'):
        raise RuntimeError('approximate argument must be either none or tanh.')
    _floating(input, 'GeluKernelImpl')
    if approximate == 'tanh':
        return 0.5 * input * (1 + (_GELU_BETA * (input + 0.044715 * (input * input * input))).tanh())
    return input * 0.5 * (1 + (input * math.sqrt(0.5)).erf())


def leaky_relu(input, negative_slope=0.01, inplace=False):
    """x where x > 0, else x * negative_slope (PyTorch's leaky_relu kernel; its gradient at 0 is the slope's)."""
    _floating(input, 'leaky_relu_cpu')
    return _activation(lambda x: _t.where(x > 0, x, x * negative_slope), input, inplace)


def silu(input, inplace=False):
    """x * sigmoid(x) (PyTorch's kernel divides: x / (1 + exp(-x)), the same within one rounding)."""
    _floating(input, 'silu_cpu')
    return _activation(lambda x: x * x.sigmoid(), input, inplace)


def elu(input, alpha=1.0, inplace=False):
    """x where x > 0, else alpha * expm1(x) (PyTorch's elu kernel; the clamp keeps exp off the positive side,
    whose gradient would otherwise be 0 * inf)."""
    _floating(input, 'elu_cpu')
    return _activation(lambda x: _t.where(x > 0, x, x.clamp(max=0).expm1() * alpha), input, inplace)


def mse_loss(input, target, size_average=None, reduce=None, reduction='mean'):
    if size_average is not None or reduce is not None:
        raise NotImplementedError('F.mse_loss: the legacy size_average/reduce are not implemented by this runtime')
    d = (input - target) ** 2
    r = _reduction(reduction)
    return d.mean() if r == 'mean' else d.sum() if r == 'sum' else d


def linear(input, weight, bias=None):
    """input @ weight.T + bias, dispatched as PyTorch 1.13's at::linear: addmm for a 2-D input with a bias
    (AddmmBackward0), addmm on the rows of a contiguous 3-D one then a view (ViewBackward0), otherwise matmul,
    then the bias added (AddBackward0)."""
    if bias is not None and input.dim() == 2:
        return _t.addmm(bias, input, weight.t())
    if bias is not None and input.dim() == 3 and input.is_contiguous():
        b0, b1, k = input.shape
        return _t.addmm(bias, input.view(b0 * b1, k), weight.t()).view(b0, b1, weight.shape[0])
    out = input.matmul(weight.t())
    return out if bias is None else out + bias


def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0, scale_grad_by_freq=False,
              sparse=False):
    """weight[input]: rows of the table (EmbeddingBackward0); the padding row gets no gradient."""
    if max_norm is not None or scale_grad_by_freq or sparse:
        raise NotImplementedError('F.embedding: max_norm, scale_grad_by_freq and sparse are not implemented by '
                                  'this runtime')
    if not isinstance(input, _t.Tensor):
        raise TypeError(f"embedding(): argument 'indices' (position 2) must be Tensor, not {type(input).__name__}")
    if padding_idx is not None and padding_idx < 0:
        padding_idx += weight.shape[0]
    return _w(_J.embedding(weight._h, input._h, float('nan') if padding_idx is None else padding_idx))


def _verify_batch_size(size):
    size_prods = size[0]
    for i in range(len(size) - 2):
        size_prods *= size[i + 2]
    if size_prods == 1:
        raise ValueError(f'Expected more than 1 value per channel when training, got input size {size}')


def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1, eps=1e-5):
    """Per channel (dim 1): in training the batch's mean and biased variance normalise, and the running
    stats move by momentum (the variance unbiased); otherwise the running stats normalise."""
    if training:
        _verify_batch_size(input.size())
    if input.dim() < 2:
        raise ValueError(f'expected 2D or 3D input (got {input.dim()}D input)')
    dims = (0,) + tuple(range(2, input.dim()))
    if training:
        mean = input.mean(dims)
        var = input.var(dims, unbiased=False)
        if running_mean is not None or running_var is not None:
            with _t.no_grad():
                m = _f32(momentum) if running_mean is not None and running_mean.dtype is _t.float32 else momentum
                if running_mean is not None:
                    running_mean.copy_(mean * m + running_mean * (1 - m))
                if running_var is not None:
                    unbiased = input.var(dims, unbiased=True)
                    running_var.copy_(unbiased * m + running_var * (1 - m))
    else:
        if running_mean is None or running_var is None:
            raise RuntimeError('running_mean and running_var must be defined in evaluation mode')
        mean, var = running_mean, running_var
    # the normalisation and its node (NativeBatchNormBackward0) in the library: y = x * alpha + beta per channel,
    # alpha = rsqrt(var + eps) * weight, beta = bias - mean * alpha, in PyTorch 1.13's CPU kernel's order
    with _t.no_grad():
        mean, var = mean.detach(), var.detach()
    return _w(_J.batchNorm(input._h, -1 if weight is None else weight._h, -1 if bias is None else bias._h,
                           mean._h, var._h, eps, bool(training)))


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):
    """Over the last len(normalized_shape) dims: y = (x * rstd + (-rstd * mean)) * weight + bias, as
    PyTorch 1.13's CPU kernel orders it."""
    normalized_shape = tuple(normalized_shape) if not isinstance(normalized_shape, int) else (normalized_shape,)
    k = len(normalized_shape)
    if tuple(input.shape[input.dim() - k:]) != normalized_shape or input.dim() < k:
        raise RuntimeError(f'Given normalized_shape={list(normalized_shape)}, expected input with shape '
                           f'[*, {", ".join(str(s) for s in normalized_shape)}], but got input of size{input.shape}')
    return _w(_J.layerNorm(input._h, k, -1 if weight is None else weight._h, -1 if bias is None else bias._h, eps))


def dropout(input, p=0.5, training=True, inplace=False):
    """Zeroes each element with probability p and scales the rest by 1/(1-p). The mask is PyTorch 1.13's
    CPU bernoulli_(1 - p): one uniform double per element from the generator, kept where it is < 1 - p."""
    if p < 0.0 or p > 1.0:
        raise ValueError(f'dropout probability has to be between 0 and 1, but got {p}')
    if p == 0 or not training or input.numel() == 0:
        return input
    if p == 1:
        noise = _t.zeros((), dtype=input.dtype)
    else:
        noise = (_t.rand(input.shape, dtype=_t.float64) < 1 - p).to(input.dtype)
        noise.div_(1 - p)
    return input.mul_(noise) if inplace else input * noise


def _f32(x):
    """x rounded to float32 (PyTorch's CPU kernels take a float scalar as the tensor's scalar type)."""
    import struct
    return struct.unpack('f', struct.pack('f', x))[0]


def __getattr__(name):
    raise AttributeError(f"module 'torch.nn.functional' has no attribute '{name}' (not implemented by backprop-ninja's "
                         "torch: cross_entropy, nll_loss, softmax, log_softmax, one_hot, tanh, relu, sigmoid, gelu, leaky_relu, silu, "
                         "elu, linear, "
                         "embedding, batch_norm, layer_norm, dropout, mse_loss are)")
