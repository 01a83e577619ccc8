"""nn.Dropout: in training, zeroes each element with probability p and scales the rest by 1/(1-p), drawing
the mask as PyTorch 1.13's CPU bernoulli_ does (one double from the generator per element, in order)."""

from .. import functional as F
from .module import Module


class _DropoutNd(Module):
    __constants__ = ['p', 'inplace']

    def __init__(self, p=0.5, inplace=False):
        super().__init__()
        if p < 0 or p > 1:
            raise ValueError(f'dropout probability has to be between 0 and 1, but got {p}')
        self.p = p
        self.inplace = inplace

    def extra_repr(self):
        return 'p={}, inplace={}'.format(self.p, self.inplace)


class Dropout(_DropoutNd):
    def forward(self, input):
        return F.dropout(input, self.p, self.training, self.inplace)
