# Project-written notebook (issue 10, item 3): indexing and index assignment with ints, slices, lists,
# range, bool and integer tensors, None and Ellipsis.

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


x = torch.arange(20, dtype=torch.float32).view(4, 5)

# %% ints-and-slices
print(x[0], x[-1], x[1, 2], x[1][2], x[2, -1].item(), sep='\n')
print(x[1:3], x[:, 1], x[:, -2:], x[::2, ::3], x[1:, :2], x[:0].shape, x[3:10].shape, sep='\n')
print(x[..., 0], x[None].shape, x[:, None].shape, x[1, None, 2:4], sep='\n')
print(x[-2:, -1:], x[:, 4:], sep='\n')

# %% lists-range-and-int-tensors
print(x[[0, 2]], x[[0, 2], [1, 4]], x[range(4), [0, 1, 2, 3]], sep='\n')
print(x[torch.tensor([3, 0])], x[torch.tensor([[0, 1], [2, 3]])].shape, sep='\n')
ix = torch.tensor([1, 3, 3])
print(x[ix, ix], x[range(3), ix], x[:, ix], x[ix, 1:3], sep='\n')
print(x[torch.arange(4), torch.tensor([4, 3, 2, 1])])
print(x[[-1, -4]])

# %% embedding-lookup
C = torch.arange(27 * 2, dtype=torch.float32).view(27, 2)
Xb = torch.tensor([[0, 0, 5], [5, 13, 13], [1, 2, 26]])
emb = C[Xb]
print(emb.shape)
print(emb[2])
print(C[5], C[torch.tensor(5)], sep='\n')

# %% bool-masks
m = x > 12
print(m, x[m], x[x % 3 == 0], x[torch.tensor([True, False, True, False])], sep='\n')
print(x[:, torch.tensor([False, True, False, True, False])])
print(x[x > 100].shape)

# %% assignment-ints-slices
y = torch.zeros(3, 4)
y[0] = 1
y[1, 2] = 5.5
y[2, :] = torch.tensor([1.0, 2.0, 3.0, 4.0])
y[:, 0] = -1
y[1:, 1:3] = torch.tensor([[7.0, 8.0], [9.0, 10.0]])
y[0, -1] = torch.tensor(3.25)
print(y)
y[...] = 0.5
print(y)
y[:, :2] = torch.tensor([1.0, 2.0])
print(y)

# %% assignment-advanced
y = torch.zeros(4, 3)
y[[0, 2]] = 1
y[range(4), [0, 1, 2, 0]] = 9
y[torch.tensor([3, 1]), 2] = torch.tensor([-1.0, -2.0])
print(y)
y[y > 5] = 0
print(y)
y[torch.tensor([True, False, True, False])] = 4
print(y)
d = torch.zeros(3, 5)
Yb = torch.tensor([4, 0, 2])
d[range(3), Yb] = 1.0
print(d)
d[range(3), Yb] -= 1
print(d)
d[torch.arange(3), Yb] += torch.tensor([0.5, 0.25, 0.125])
print(d)

# %% in-place-through-index
z = torch.arange(6, dtype=torch.float32)
z[1:4] *= 10
z[[0, 5]] += 100
print(z)
w = torch.zeros(3)
w[torch.tensor([0, 0, 1])] += 1
print(w)

# %% ints-assign-promote
q = torch.zeros(3, dtype=torch.int64)
q[0] = 2.7
q[1:] = torch.tensor([5.9, -5.9])
print(q)
bq = torch.zeros(3, dtype=torch.bool)
bq[1] = True
print(bq)

# %% index-errors
err(lambda: x[4])
err(lambda: x[0, 5])
err(lambda: x[1, 2, 3])
err(lambda: x[torch.tensor([0, 9])])
err(lambda: x[[0, 1], [0, 1, 2]])
err(lambda: x[1.5])
err(lambda: x[torch.tensor([0.0, 1.0])])
err(lambda: x.__setitem__((slice(None), 1), torch.ones(3)))
err(lambda: torch.tensor(3.0)[0])
