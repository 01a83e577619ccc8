# Project-written notebook (issue 10, item 3): creating tensors, their properties and PyTorch's printing.
# Run cell by cell by test/notebook/api.test.ts; expected outputs recorded from Debian's PyTorch by
# scripts/make_notebook_fixture.py (test/fixtures/notebook-golden.json).

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


torch.manual_seed(42)
print(torch.__version__[:4])

# %% tensor-from-data
a = torch.tensor([1, 2, 3])
b = torch.tensor([1.0, 2.5, -3.0])
c = torch.tensor([[1, 2], [3, 4]], dtype=torch.float32)
d = torch.tensor([True, False, True])
e = torch.tensor(3.5)
f = torch.tensor(7)
g = torch.tensor([[0.5, 1.5]], dtype=torch.float64)
for t in (a, b, c, d, e, f, g):
    print(t, t.dtype, t.shape, t.ndim)

# %% tensor-mixed-and-nested
print(torch.tensor([1, 2.5]))
print(torch.tensor([True, 2]))
print(torch.tensor([[1, 2, 3], [4, 5, 6]]).shape)
print(torch.tensor([]))
print(torch.tensor([]).shape)
print(torch.tensor([[]]).shape)
print(torch.tensor([1, 2], dtype=torch.long))
print(torch.tensor([0, 1, 2], dtype=torch.bool))
print(torch.tensor(2.0, requires_grad=True))
print(torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True))

# %% zeros-ones-empty-full
print(torch.zeros(2, 3))
print(torch.zeros((2, 3), dtype=torch.int64))
print(torch.ones(3))
print(torch.ones([2, 2], dtype=torch.float64))
print(torch.ones(2, dtype=torch.bool))
print(torch.empty(4, 5).shape, torch.empty(4, 5).dtype)
print(torch.full((2, 2), 7.0))
print(torch.zeros(3, requires_grad=True))
print(torch.zeros(0, 3))

# %% like-functions
x = torch.tensor([[1.5, 2.5], [3.5, 4.5]])
print(torch.zeros_like(x))
print(torch.ones_like(x))
print(torch.zeros_like(x, dtype=torch.int64))
print(torch.ones_like(torch.tensor([1, 2, 3])))
print(torch.empty_like(x).shape)
print(torch.full_like(x, 2))

# %% arange-eye
print(torch.arange(5))
print(torch.arange(2, 8))
print(torch.arange(0, 10, 3))
print(torch.arange(0.0, 1.0, 0.25))
print(torch.arange(5, dtype=torch.float32))
print(torch.arange(10, 0, -2))
print(torch.eye(3))
print(torch.eye(2, 3))
print(torch.eye(2, dtype=torch.int64))

# %% dtypes-and-names
print(torch.float32, torch.float64, torch.int64, torch.long, torch.bool)
print(torch.float, torch.double)
print(torch.long is torch.int64, torch.float is torch.float32)
print(torch.get_default_dtype())
print(torch.tensor([1.0]).dtype.is_floating_point, torch.tensor([1]).dtype.is_floating_point)

# %% size-and-properties
t = torch.zeros(32, 27)
print(t.shape)
print(t.size())
print(t.size(0), t.size(1), t.size(-1))
print(t.shape[0], t.shape[-1], t.shape[1:])
print(type(t.shape).__name__, isinstance(t.shape, tuple))
print(t.shape == (32, 27), t.shape == torch.Size([32, 27]))
print(t.nelement(), t.numel(), t.ndim, t.dim(), len(t))
print(torch.Size([2, 3]), torch.Size([]), torch.Size([5]).numel())
print(list(t.shape), tuple(t.shape))
n, m = t.shape
print(n, m)

# %% item-tolist
print(torch.tensor(3.5).item(), type(torch.tensor(3.5).item()).__name__)
print(torch.tensor([7]).item(), type(torch.tensor([7]).item()).__name__)
print(torch.tensor(True).item())
print(torch.tensor([[1, 2], [3, 4]]).tolist())
print(torch.tensor([0.5, 0.25]).tolist())
print(torch.tensor(0.1).item())
print(torch.tensor(0.1, dtype=torch.float64).item())
print(torch.tensor([True, False]).tolist())
print(float(torch.tensor(2.5)), int(torch.tensor(9)), bool(torch.tensor(1)))
print(f'{torch.tensor(3.14159).item():.3f}')
err(lambda: torch.tensor([1, 2]).item())

# %% isinstance-Tensor
t = torch.tensor([1.0])
print(isinstance(t, torch.Tensor), torch.is_tensor(t), torch.is_tensor([1.0]))
print(type(t).__name__)

# %% printing-floats
print(torch.tensor([0.1, 0.2, 0.3]))
print(torch.tensor([1.0, 2.0, 3.0]))
print(torch.tensor([1.5, -2.25, 100.125]))
print(torch.tensor([1e-5, 1.0]))
print(torch.tensor([1e10, 1.0]))
print(torch.tensor([123456.0, 0.5]))
print(torch.tensor([[1.0, -1.0], [0.001, 1000.0]]))
print(torch.tensor([float('inf'), float('-inf'), float('nan'), 1.0]))
print(torch.tensor([0.0, -0.0]))
print(torch.tensor([1e-10, 2e-10]))
print(torch.tensor(-0.5))
print(torch.tensor([[0.12345678, 12.5], [3.0, 4.0]], dtype=torch.float64))

# %% printing-ints-bools
print(torch.tensor([1, -20, 300]))
print(torch.tensor([[1, 2, 3], [40, 50, 60]]))
print(torch.tensor([True, False]))
print(torch.tensor(5))
print(torch.tensor([[-1], [100000]]))

# %% printing-wrap-and-summary
print(torch.arange(30, dtype=torch.float32) / 7)
print(torch.arange(2000))
print(torch.arange(1200, dtype=torch.float32).view(40, 30))
print(torch.arange(24).view(2, 3, 4))
print(torch.ones(2, 2, 2, dtype=torch.float64))

# %% printing-repr-str-format
t = torch.tensor([1.0, 2.0])
print(repr(t))
print(str(t))
print(f'{t}')
print([torch.tensor(1), torch.tensor(2.0)])
print({'w': torch.tensor([1.0])})
print(repr(torch.Size([3, 4])))
print(f'{torch.tensor(2.5):.2f}')

# %% factories-requires-grad
# requires_grad=True on linspace, arange and eye: a leaf that requires grad (it was silently dropped), and
# PyTorch's error for an integer dtype
print(torch.linspace(0, 1, 3, requires_grad=True))
print(torch.arange(3., requires_grad=True))
print(torch.eye(2, requires_grad=True))
err(lambda: torch.arange(3, requires_grad=True))
