"""torch.nn.Parameter: a leaf tensor that a Module registers as its parameter (PyTorch 1.13's semantics:
it shares its storage with the data it was made from, requires grad by default, and prints as
'Parameter containing:' over the tensor)."""

import torch


def _make_subclass(cls, data, requires_grad):
    """torch.Tensor._make_subclass(cls, data, requires_grad): a `cls` instance over data's storage, a leaf.
    Uses torch's own when it has one; otherwise a new handle on the same storage from the bridge (the one
    place this package reaches below torch's public API)."""
    make = getattr(torch.Tensor, '_make_subclass', None)
    if make is not None:
        return make(cls, data, requires_grad)
    t = object.__new__(cls)
    t._h = torch._J.detach(data._h)
    if requires_grad:
        t.requires_grad_(True)
    return t


class Parameter(torch.Tensor):
    def __new__(cls, data=None, requires_grad=True):
        if data is None:
            data = torch.empty(0)
        if not isinstance(data, torch.Tensor):
            raise TypeError(f'Parameter(data): data must be a Tensor, not {type(data).__name__}')
        return _make_subclass(cls, data, requires_grad)

    def __init__(self, data=None, requires_grad=True):
        pass  # all done in __new__ (torch.Tensor.__init__ refuses arguments)

    def __repr__(self):
        return 'Parameter containing:\n' + super().__repr__()

    __str__ = __repr__

    def __deepcopy__(self, memo):
        if id(self) in memo:
            return memo[id(self)]
        result = type(self)(self.data.clone(), self.requires_grad)
        memo[id(self)] = result
        return result

    def __reduce_ex__(self, proto):
        return (Parameter, (self.data, self.requires_grad))


def is_lazy(param):
    return False
