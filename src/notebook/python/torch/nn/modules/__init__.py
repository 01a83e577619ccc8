"""torch.nn.modules: the layers, split by file as PyTorch's are."""

from .activation import ELU, GELU, LeakyReLU, LogSoftmax, ReLU, Sigmoid, SiLU, Softmax, Tanh
from .batchnorm import BatchNorm1d
from .container import ModuleDict, ModuleList, Sequential
from .dropout import Dropout
from .flatten import Flatten
from .linear import Identity, Linear
from .loss import CrossEntropyLoss, MSELoss, NLLLoss
from .module import Module
from .normalization import LayerNorm
from .sparse import Embedding

__all__ = ['Module', 'Identity', 'Linear', 'Embedding', 'BatchNorm1d', 'LayerNorm', 'Tanh', 'ReLU', 'Sigmoid',
           'Softmax', 'LogSoftmax', 'GELU', 'LeakyReLU', 'SiLU', 'ELU', 'Sequential', 'ModuleList', 'ModuleDict', 'Flatten', 'Dropout',
           'CrossEntropyLoss', 'NLLLoss', 'MSELoss']
