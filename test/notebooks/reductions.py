# Project-written notebook (issue 10, item 3): reductions (keepdim/keepdims, max/min .values/.indices,
# var/std unbiased/correction), softmax and the functions of torch.nn.functional the lectures use.

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


x = torch.tensor([[1.0, 5.0, -2.0, 0.5], [3.0, -1.0, 4.0, 4.0], [0.25, 2.0, 2.0, -3.0]])
k = torch.tensor([[3, 1, 4], [1, 5, 9]])

# %% sum-mean
print(x.sum(), x.sum(0), x.sum(1), x.sum(-1), sep='\n')
print(x.sum(0, keepdim=True), x.sum(1, keepdims=True), sep='\n')
print(x.sum(dim=1, keepdim=True).shape, x.sum((0, 1)), x.sum(dim=(0, 1), keepdim=True), sep='\n')
print(x.mean(), x.mean(0), x.mean(1, keepdim=True), x.mean(dim=-1, keepdims=True), sep='\n')
print(k.sum(), k.sum(0), k.sum(1, keepdim=True), sep='\n')
print(torch.sum(x, 1), torch.mean(x, dim=0), sep='\n')
err(lambda: k.mean())

# %% max-min
print(x.max(), x.min())
mx = x.max(1)
print(mx)
print(mx.values, mx.indices, sep='\n')
print(x.max(1, keepdim=True).values, x.min(0, keepdim=True).indices, sep='\n')
print(x.max(dim=0).values, x.min(dim=1).indices, sep='\n')
v, ix = x.min(0)
print(v, ix, sep='\n')
print(x.max(1, keepdims=True).values.shape)
print(k.max(1), k.min(), sep='\n')
print(torch.max(x), torch.max(x, 1).values, torch.min(x, 0).indices, sep='\n')
print(type(mx).__name__, len(mx), mx[0].shape)
print(torch.max(torch.tensor([1.0, 3.0]), torch.tensor([2.0, 2.0])))

# %% argmax
print(x.argmax(), x.argmax(1), x.argmax(0, keepdim=True), x.argmin(), x.argmin(1), sep='\n')
print(torch.argmax(x, dim=1), torch.tensor([2, 7, 7, 1]).argmax(), sep='\n')

# %% var-std
print(x.var(), x.std(), sep='\n')
print(x.var(0), x.var(1), sep='\n')
print(x.var(1, keepdim=True), x.std(0, keepdim=True), sep='\n')
print(x.var(0, unbiased=False), x.std(1, unbiased=False), sep='\n')
print(x.var(0, correction=0), x.var(0, correction=1), x.var(0, correction=2), sep='\n')
print(x.std(dim=1, correction=0, keepdim=True), sep='\n')
print(x.var(unbiased=True), x.var(unbiased=False), sep='\n')
print(x.var(0, keepdims=True), sep='\n')
print(torch.var(x, 0), torch.std(x, 1, unbiased=False), sep='\n')
print(torch.tensor([1.0]).var())
print(x.double().var(0))

# %% the-lectures-batchnorm-variance
h = torch.tensor([[0.1, 0.4, -1.2], [2.3, -0.7, 0.05], [1.1, 0.9, -0.3], [-0.6, 0.2, 0.8]])
n = h.shape[0]
mu = 1 / n * h.sum(0, keepdim=True)
diff = h - mu
var = 1 / (n - 1) * (diff ** 2).sum(0, keepdim=True)
print(mu, var, h.var(0, keepdim=True, unbiased=True), sep='\n')
print((var - h.var(0, keepdim=True)).abs().max().item() < 1e-6)

# %% softmax-and-F
logits = torch.tensor([[1.0, 2.0, 3.0], [0.5, -1.0, 4.0]])
print(logits.softmax(1), F.softmax(logits, dim=1), F.softmax(logits, 0), torch.softmax(logits, 1), sep='\n')
print(logits.softmax(dim=-1).sum(1))
y = torch.tensor([2, 0])
print(F.cross_entropy(logits, y))
print(F.cross_entropy(logits, y, reduction='sum'), F.cross_entropy(logits, y, reduction='none'), sep='\n')
print(F.cross_entropy(logits.double(), y))
print(F.one_hot(torch.tensor([0, 2, 1]), num_classes=4))
print(F.one_hot(torch.tensor([0, 2, 1])))
print(F.one_hot(torch.tensor([0, 2]), 3).float())
print(F.tanh(logits))
print(logits.log_softmax(1))

# %% cross-entropy-equals-manual
probs = logits.softmax(1)
manual = -probs.log()[range(2), y].mean()
print(manual, F.cross_entropy(logits, y), sep='\n')

# %% all-any
b = torch.tensor([[True, False], [True, True]])
print(b.all(), b.all(0), b.all(1), b.any(), b.any(0), sep='\n')
