# Project-written notebook (issue 10, item 3): shapes and views (view, reshape, T, t(), transpose, squeeze,
# unsqueeze, split, tensor_split), storage shared by views (.data, .view, .T, slicing), clone, casts,
# fill_, zero_, index_add_, cat and stack.

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


x = torch.arange(12, dtype=torch.float32)

# %% view-reshape
print(x.view(3, 4), x.view(2, -1), x.view((4, 3)), x.view(-1), sep='\n')
print(x.view(2, 3, 2).shape, x.view(torch.Size([6, 2])).shape)
print(x.reshape(4, 3), x.reshape(-1, 6), x.reshape((2, 2, 3)).shape, sep='\n')
print(x.view(3, 4).T.reshape(-1))
err(lambda: x.view(3, 4).T.view(-1))
err(lambda: x.view(5, -1))
print(x.view(3, 4).view_as(torch.zeros(4, 3)).shape, x.view(3, 4).flatten().shape)

# %% transpose-T-t
m = torch.arange(6).view(2, 3)
print(m.T, m.t(), m.transpose(0, 1), m.transpose(1, 0).shape, torch.arange(24).view(2, 3, 4).transpose(0, 2).shape, sep='\n')
print(m.T.is_contiguous(), m.is_contiguous(), m.T.contiguous().is_contiguous())
print(torch.arange(3).T)
print(m.permute(1, 0).shape)

# %% squeeze-unsqueeze
s = torch.zeros(3, 1, 4, 1)
print(s.squeeze().shape, s.squeeze(1).shape, s.squeeze(0).shape, s.squeeze(-1).shape)
print(torch.arange(3).unsqueeze(0), torch.arange(3).unsqueeze(1), torch.arange(3).unsqueeze(-1).shape, sep='\n')
print(torch.tensor(5.0).unsqueeze(0), torch.tensor([5.0]).squeeze(), sep='\n')

# %% split-tensor_split
t = torch.arange(10)
print(t.split(3))
print(t.split([2, 5, 3]))
print(t.tensor_split(3))
print(t.tensor_split([2, 7]))
print(torch.arange(12).view(3, 4).split(2, dim=1))
print(torch.arange(12).view(3, 4).tensor_split(2, dim=0))
emb = torch.arange(24, dtype=torch.float32).view(4, 6)
print(emb.view(4, 3, 2).shape)
print([p.shape for p in torch.tensor_split(emb, 3, dim=1)])

# %% cat-stack
a = torch.tensor([[1, 2], [3, 4]])
b = torch.tensor([[5, 6]])
print(torch.cat([a, b]), torch.cat((a, a), dim=1), torch.cat([a, b], 0).shape, sep='\n')
print(torch.stack([a, a]), torch.stack([a, a], dim=1).shape, torch.stack((a[0], a[1]), -1), sep='\n')
print(torch.cat([torch.tensor([1.0]), torch.tensor([2, 3])]))
err(lambda: torch.cat([a, torch.tensor([[1, 2, 3]])]))
err(lambda: torch.stack([a, b]))

# %% views-share-storage
base = torch.zeros(2, 3)
v = base.view(6)
v[0] = 1.0
tt = base.T
tt[2, 1] = 5.0
row = base[1]
row += 10
sl = base[:, 1:]
sl[0, 0] = -7
print(base)
print(v, tt, row, sl, sep='\n')
d = base.data
d[0, 2] = 42
print(base)
r = base.reshape(3, 2)
r[0, 0] = 99
print(base[0, 0])
u = base.unsqueeze(0)
u[0, 1, 1] = 3.5
print(base)
st = base[::2]
st.fill_(0)
print(base)

# %% clone-and-casts
c = base.clone()
c[0, 0] = 123
print(base[0, 0], c[0, 0])
print(torch.tensor([1.7, -1.7, 2.5]).long(), torch.tensor([1, 2]).float(), torch.tensor([1, 0]).bool(), sep='\n')
print(torch.tensor([0.1]).double(), torch.tensor([0.1]).double().float(), sep='\n')
print(torch.tensor([1, 2]).to(torch.float64), torch.tensor([1.5]).to(dtype=torch.int64), torch.tensor([3]).type(torch.float32), sep='\n')
f = torch.tensor([1.0, 2.0])
print(f.float() is f, f.long().float() is f)

# %% fill-zero
z = torch.ones(2, 3)
print(z.fill_(2.5), z.zero_(), z, sep='\n')
zi = torch.ones(3, dtype=torch.int64)
print(zi.fill_(7), zi.fill_(2.9), sep='\n')
z[0].fill_(1)
print(z)

# %% index_add_
acc = torch.zeros(5, 3)
src = torch.arange(12, dtype=torch.float32).view(4, 3)
idx = torch.tensor([0, 2, 0, 4])
acc.index_add_(0, idx, src)
print(acc)
acc2 = torch.zeros(2, 4)
acc2.index_add_(1, torch.tensor([3, 1, 3]), torch.ones(2, 3))
print(acc2)
print(torch.zeros(3).index_add_(0, torch.tensor([1, 1]), torch.tensor([2.0, 3.0]), alpha=2))

# %% expand-and-broadcast
r = torch.tensor([[1.0], [2.0]])
print(r.expand(2, 3), (r + torch.tensor([10.0, 20.0, 30.0])), r.expand_as(torch.zeros(2, 4)).shape, sep='\n')
err(lambda: torch.zeros(2, 3) + torch.zeros(3, 2))
