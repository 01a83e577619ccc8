# Project-written notebook (issue 10, item 3): odds and ends a learner's notebook does: lists of tensors,
# sums over Python iterables, tensors in f-strings and conditions, grad mode nesting, lecture idioms.

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

# %% python-builtins-on-tensors
t = torch.tensor([3.0, 1.0, 2.0])
print(sum(t), max(t), min(t), sorted(t.tolist()), len(t), list(t))
print([x.item() for x in t], 2.0 in t, 5.0 in t)
print(sum(p.nelement() for p in [torch.zeros(3, 4), torch.zeros(5)]))
print(round(torch.tensor(2.567).item(), 2), abs(torch.tensor(-2.0)))
if t[0] > 2:
    print('condition on a 1-element tensor works')
err(lambda: bool(t > 1))
print(f'{t.sum().item():.4f} {t.mean():.2f}')
print(torch.tensor([t[0], t[2]]))
print(torch.tensor(t.tolist(), dtype=torch.float64))
print(torch.stack([torch.tensor(1.0), torch.tensor(2.0)]))

# %% grad-mode-nesting
x = torch.tensor([1.0], requires_grad=True)
with torch.no_grad():
    with torch.enable_grad():
        y = x * 2
    z = x * 2
print(y.requires_grad, z.requires_grad, torch.is_grad_enabled())
with torch.set_grad_enabled(False):
    w = x * 2
print(w.requires_grad, torch.is_grad_enabled())

# %% lecture-idioms
g = torch.Generator().manual_seed(2147483647)
P = (torch.rand(3, 27, generator=g) + 1)
P /= P.sum(1, keepdims=True)
print(P.sum(1))
logits = torch.randn(5, 27, generator=g)
counts = logits.exp()
probs = counts / counts.sum(1, keepdim=True)
Y = torch.tensor([1, 5, 0, 26, 3])
loss = -probs[torch.arange(5), Y].log().mean()
print(loss, F.cross_entropy(logits, Y))
print(probs[0].sum(), probs.shape, probs[torch.arange(5), Y])
xenc = F.one_hot(torch.tensor([0, 5, 13]), num_classes=27).float()
W = torch.randn((27, 27), generator=g, requires_grad=True)
out = (xenc @ W).exp()
print(out.shape, out.dtype, out.grad_fn.name())
lossi = [0.5, 0.25]
print(torch.tensor(lossi).view(-1, 1).mean(1))

# %% printing-grad-and-sci
a = torch.tensor([1e-3, 2e-3, 3e-4], requires_grad=True)
b = a * 1000
print(b)
print(a)
print((a * 1e6).sum())
print(torch.tensor([[1e-8, 1.0], [0.5, 123.0]], dtype=torch.float64))
print(torch.tensor([100.0, 2000.0, 30000.0]))
print(torch.tensor([0.0001, 1e8]))
print(torch.zeros(3, 0, 2), torch.ones(1, 1))
