# Project-written notebook (issue 18, item 1): batched and broadcast matmul, bmm, einsum, histogram, histc,
# linspace, as the series' notebooks use them. Run cell by cell by test/notebook/api.test.ts; expected
# outputs recorded from Debian's PyTorch by scripts/make_notebook_fixture.py (test/fixtures/notebook-golden.json).

# %% setup
import torch


def err(f):
    """Runs f; prints `ExceptionType: first line of the message` when it raises."""
    try:
        r = f()
    except Exception as e:
        print(f'{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ""}')
    else:
        print('no error:', r)


g = torch.Generator().manual_seed(2147483647)

# %% matmul-by-dimensions
a1 = torch.arange(3.0)
a2 = torch.arange(6.0).view(2, 3)
b2 = torch.arange(12.0).view(3, 4)
a3 = torch.arange(24.0).view(2, 3, 4)
b3 = torch.arange(24.0).view(2, 4, 3)
print(a1 @ a1, a2 @ a1, a1 @ b2, (a2 @ b2).shape)
print(a3 @ torch.arange(8.0).view(4, 2))
print((a3 @ b3).shape, (a3 @ b3)[1])
print((torch.arange(48.0).view(2, 2, 3, 4) @ b3).shape, (a2 @ torch.arange(24.0).view(2, 3, 4)).shape)
print(a1 @ torch.arange(24.0).view(2, 3, 4), (a3 @ torch.arange(4.0)).shape)
err(lambda: a2 @ a2)
err(lambda: a3 @ torch.ones(3, 2))
err(lambda: torch.tensor(1.0) @ a1)

# %% matmul-autograd
x = torch.randn(4, 3, 5, generator=g, requires_grad=True)
w = torch.randn(5, 2, generator=g, requires_grad=True)
y = x @ w
print(y.grad_fn.__class__.__name__, y.shape)
(y * y).sum().backward()
print(x.grad[0], w.grad)
p = torch.randn(3, 2, 4, generator=g, requires_grad=True)
q = torch.randn(3, 4, 5, generator=g, requires_grad=True)
z = torch.bmm(p, q)
print(z.grad_fn.__class__.__name__, (p @ q).grad_fn.__class__.__name__)
z.sum().backward()
print(p.grad[2], q.grad[0, :, 0])
err(lambda: torch.bmm(p, q[:2]))
err(lambda: torch.bmm(p[0], q))

# %% einsum
A = torch.arange(6.0).view(2, 3)
B = torch.arange(12.0).view(3, 4)
v = torch.arange(3.0)
print(torch.einsum('ij,jk->ik', A, B), torch.einsum('i,i->', v, v), torch.einsum('ij->ji', A))
print(torch.einsum('ij->', A), torch.einsum('i,j->ij', v, v), torch.einsum('ij,j->i', A, v))
print(torch.einsum('bij,bjk->bik', a3, b3)[0], torch.einsum('ij,kj->ik', A, A))
print(torch.einsum('ij, jk', A, B).shape, torch.einsum('ij->i', A))
W = torch.randn(3, 4, generator=g, requires_grad=True)
out = torch.einsum('ij,jk->ik', A, W)
out.sum().backward()
print(W.grad)

# %% histogram-and-histc
t = torch.randn(1000, generator=g)
hy, hx = torch.histogram(t, density=True)
print(hy.shape, hx.shape, hx[:5], hx[-3:], hy[45:50], hy.sum())
h = torch.histogram(torch.tensor([1.0, 2.0, 1.0, 5.0, -3.0]), bins=4, range=(0.0, 3.0))
print(h)
print(h.hist, h.bin_edges, h[0] is h.hist)
print(torch.histogram(torch.tensor([2.0, 2.0]), bins=3), torch.histogram(torch.tensor([0.1, 0.4, 0.7]), bins=3, density=True))
print(torch.histc(t, bins=10), torch.histc(torch.tensor([1.0, 2.0, 1.0]), bins=4, min=0, max=3))
print(torch.histc(torch.tensor([1.0, 1.0]), bins=2), t.histc(bins=5, min=-1, max=1))
err(lambda: torch.histogram(torch.tensor([1, 2]), bins=2))
err(lambda: torch.histc(torch.tensor([1.0]), bins=2, min=2, max=1))
err(lambda: torch.histogram(torch.tensor([float('nan'), 1.0])))

# %% linspace
print(torch.linspace(0, 1, 5), torch.linspace(-3, 3, 7), torch.linspace(0.3, 7.9, 20))
print(torch.linspace(-5, 5, 101)[::10], torch.linspace(0, 1, 3, dtype=torch.float64), torch.linspace(0, 10, 4, dtype=torch.int64))
