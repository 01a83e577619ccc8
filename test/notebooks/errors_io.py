# Project-written notebook (issue 10, item 3): error cases (shape mismatch, bad index, non-leaf .grad,
# in-place on a leaf requiring grad, missing functions) and the safetensors.torch round trip.

# %% setup
import torch
import torch.nn.functional as F


def err(f):
    """Runs f; prints `ExceptionType: first line of the message` when it raises."""
    try:
        r = f()
    except Exception as e:
        print(f'{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ""}')
    else:
        print('no error:', r)

# %% shape-mismatch
err(lambda: torch.ones(2, 3) + torch.ones(4))
err(lambda: torch.ones(2, 3) @ torch.ones(2, 3))
err(lambda: torch.ones(3) @ torch.ones(4))
err(lambda: torch.ones(6).view(4, 2))
err(lambda: F.cross_entropy(torch.ones(3, 5), torch.tensor([0, 1])))
err(lambda: torch.ones(2, 3).sum(2))
err(lambda: torch.ones(2, 3).transpose(0, 3))
err(lambda: torch.ones(2, 3).squeeze(5))
err(lambda: torch.tensor([[1, 2], [3]]))

# %% bad-index
t = torch.arange(6).view(2, 3)
err(lambda: t[2])
err(lambda: t[:, 3])
err(lambda: t[0, 0, 0])
err(lambda: t[torch.tensor([5])])
err(lambda: t[[0, 1, 2]])

# %% non-leaf-grad
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 2
y.sum().backward()
import warnings
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter('always')
    print(y.grad)
print(len(caught) > 0, x.grad)
err(lambda: torch.tensor([1.0, 2.0]).sum().backward())
err(lambda: (x * 2).backward())
err(lambda: (torch.tensor([1.5], requires_grad=True) // 1).sum().backward())

# %% in-place-on-leaf
x = torch.tensor([1.0, 2.0], requires_grad=True)


def inplace_add():
    global x
    x += 1


def inplace_set():
    x[0] = 5.0


err(inplace_add)
err(inplace_set)
err(lambda: x.zero_())
err(lambda: x.fill_(3))
with torch.no_grad():
    x += 1
    x[0] = 5.0
print(x)

# %% int-grad
err(lambda: torch.tensor([1, 2], requires_grad=True))
err(lambda: torch.tensor([1, 2]).requires_grad_())

# %% missing-functions
err(lambda: torch.no_such_function(1))
err(lambda: torch.tensor([1.0]).no_such_method())
err(lambda: F.no_such_function(1))
print(hasattr(torch, 'no_such_function'), hasattr(torch.tensor([1.0]), 'no_such_method'))

# %% type-errors
err(lambda: torch.zeros('a'))
err(lambda: torch.tensor([1.0]) + 'a')
err(lambda: torch.ones(2, 2).item())

# %% safetensors-round-trip
import os
import tempfile

from safetensors.torch import load_file, save_file

g = torch.Generator().manual_seed(5)
params = {'C': torch.randn(27, 10, generator=g), 'W1': torch.randn(30, 64, generator=g, dtype=torch.float64),
          'ids': torch.randint(0, 27, (4, 3), generator=g), 'mask': torch.tensor([True, False])}
d = tempfile.mkdtemp()
path = os.path.join(d, 'model.safetensors')
save_file(params, path)
back = load_file(path)
print(sorted(back))
for k in sorted(params):
    print(k, back[k].dtype, back[k].shape, torch.equal(back[k], params[k]))
print(back['ids'])
save_file({'x': torch.arange(6, dtype=torch.float32).view(2, 3).T.contiguous()}, path, metadata={'step': '3'})
print(load_file(path)['x'])
os.remove(path)
os.rmdir(d)
