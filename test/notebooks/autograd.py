# Project-written notebook (issue 10, item 3): autograd through each op (float64 for exact gradients where
# they are exact), requires_grad, requires_grad_(), retain_grad, backward, .grad, torch.no_grad as a context
# and a decorator, detach, grad_fn reprs.

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


def leaf(data, dtype=torch.float64):
    return torch.tensor(data, dtype=dtype, requires_grad=True)

# %% leaf-basics
a = leaf([1.0, 2.0, 3.0], torch.float32)
print(a, a.requires_grad, a.is_leaf, a.grad, a.grad_fn)
b = a * 2
print(b, b.requires_grad, b.is_leaf, b.grad_fn is None)
print(type(b.grad_fn).__name__, b.grad_fn.name(), repr(b.grad_fn).startswith('<MulBackward0 object at 0x'))
c = b.sum()
print(c)
c.backward()
print(a.grad)
w = torch.zeros(3)
print(w.requires_grad)
w.requires_grad_()
print(w.requires_grad, w.requires_grad_(False).requires_grad)
w.requires_grad = True
print(w)

# %% grad-fn-reprs
x = leaf([[0.5, -1.0], [2.0, 0.25]], torch.float32)
y = leaf([[1.5, 2.0], [-0.5, 1.0]], torch.float32)
for name, t in [('add', x + y), ('sub', x - y), ('mul', x * y), ('div', x / y), ('neg', -x), ('pow', x ** 2),
                ('rpow', 2 ** x), ('matmul', x @ y), ('sum', x.sum()), ('sum1', x.sum(1)), ('mean', x.mean()),
                ('exp', x.exp()), ('log', y.abs().log()), ('tanh', x.tanh()), ('sqrt', y.abs().sqrt()),
                ('T', x.T), ('view', x.view(4)), ('index', x[0]), ('adv', x[[0, 1], [1, 0]]),
                ('max', x.max()), ('max1', x.max(1).values), ('softmax', x.softmax(1)),
                ('ce', F.cross_entropy(x, torch.tensor([0, 1]))), ('var', x.var(0)), ('cat', torch.cat([x, y])),
                ('scalar', x * 0.5), ('radd', 1 + x), ('rsub', 1 - x), ('rdiv', 1 / x), ('clone', x.clone())]:
    print(f'{name:8s}', t.grad_fn.name() if t.grad_fn is not None else None)
print(x * y)
print((x * y).sum())

# %% grads-binary-broadcast
x = leaf([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
r = leaf([[0.5], [2.0]])
c = leaf([1.0, -1.0, 2.0])
out = ((x * r + c) / (r + 1) - c ** 2).sum()
out.backward()
print(out)
print(x.grad, r.grad, c.grad, sep='\n')

# %% grads-each-unary
names = ['exp', 'log', 'log10', 'tanh', 'sqrt', 'square', 'abs', 'neg', 'reciprocal']
for name in names:
    x = leaf([0.25, 1.5, 3.0])
    y = getattr(x, name)()
    y.backward(torch.tensor([1.0, 2.0, -1.0], dtype=torch.float64))
    print(f'{name:10s}', x.grad)
for label, f in [('pow2', lambda t: t.pow(2)), ('pow0.5', lambda t: t ** 0.5), ('rpow', lambda t: 3 ** t),
                 ('powt', lambda t: t ** t), ('clamp', lambda t: t.clamp(0.5, 2.0)),
                 ('clampmin', lambda t: t.clamp(min=1.0)), ('rdiv', lambda t: 2.0 / t), ('rsub', lambda t: 5 - t),
                 ('div', lambda t: t / 4), ('floordiv', lambda t: t * (t.detach() // 1))]:
    x = leaf([0.25, 1.5, 3.0])
    f(x).sum().backward()
    print(f'{label:10s}', x.grad)

# %% grads-reductions
for label, f in [('sum', lambda t: t.sum()), ('sum0', lambda t: t.sum(0)), ('sum1k', lambda t: t.sum(1, keepdim=True)),
                 ('mean', lambda t: t.mean()), ('mean0', lambda t: t.mean(0)), ('max', lambda t: t.max()),
                 ('max1', lambda t: t.max(1).values), ('min0', lambda t: t.min(0, keepdim=True).values),
                 ('var0', lambda t: t.var(0)), ('var1b', lambda t: t.var(1, unbiased=False)),
                 ('std0', lambda t: t.std(0)), ('amax', lambda t: t.amax(1)),
                 ('softmax', lambda t: t.softmax(1) * torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)),
                 ('logsm', lambda t: t.log_softmax(1)[:, 0])]:
    x = leaf([[0.5, 2.0, -1.0], [3.0, 1.0, 3.5]])
    f(x).sum().backward()
    print(f'{label:8s}', x.grad)

# %% grads-matmul-views-indexing
x = leaf([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
w = leaf([[0.5, -1.0, 2.0], [1.5, 0.0, -2.0]])
(x @ w).pow(2).sum().backward()
print(x.grad, w.grad, sep='\n')
x = leaf([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
(x.T * torch.tensor([[1.0], [2.0]], dtype=torch.float64)).sum().backward()
print(x.grad)
x = leaf([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
(x.view(2, 3)[1] * 3).sum().backward()
print(x.grad)
C = leaf([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
ix = torch.tensor([[0, 2], [2, 2]])
emb = C[ix]
(emb.view(2, 4) * torch.arange(8, dtype=torch.float64).view(2, 4)).sum().backward()
print(C.grad)
x = leaf([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
(x[range(3), [1, 0, 1]] * torch.tensor([1.0, 10.0, 100.0], dtype=torch.float64)).sum().backward()
print(x.grad)
x = leaf([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
(x[x > 2.5] ** 2).sum().backward()
print(x.grad)
x = leaf([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
(x[1:, :1] * 7).sum().backward()
print(x.grad)
x = leaf([1.0, 2.0, 3.0, 4.0])
a, b = x.split(2)
(a * b).sum().backward()
print(x.grad)
x = leaf([1.0, 2.0, 3.0])
(torch.stack([x, x * 2]).sum(0) * torch.cat([x, x])[:3]).sum().backward()
print(x.grad)
x = leaf([[1.0], [2.0]])
(x.squeeze(1).unsqueeze(0).expand(3, 2) * 2).sum().backward()
print(x.grad)
x = leaf([[1.0, 2.0], [3.0, 4.0]])
(x.transpose(0, 1).reshape(4) * torch.tensor([1.0, 2.0, 3.0, 4.0], dtype=torch.float64)).sum().backward()
print(x.grad)

# %% grads-more-views-and-casts
x = leaf([1.0, 2.0, 3.0, 4.0, 5.0])
a, b, c = x.tensor_split(3)
(a.sum() * 1 + b.sum() * 10 + c.sum() * 100).backward()
print(x.grad)
x = leaf([[1.0, 2.0], [3.0, 4.0]])
(x.t() @ torch.tensor([1.0, -1.0], dtype=torch.float64)).sum().backward()
print(x.grad)
x = leaf([0.5, 1.5])
y = x.float() * 3
print(y.dtype, y.grad_fn.name())
y.sum().backward()
print(x.grad)
x = leaf([1.0, 2.0, 3.0])
y = x.clone().reshape(3, 1).expand(3, 2).mean(1, keepdim=True).squeeze(1)
(y * torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)).sum().backward()
print(x.grad)
x = leaf([1.0, 2.0, 4.0])
(x.std(unbiased=False) + x.var(0, correction=0)).backward()
print(x.grad)
src = leaf([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
acc = torch.zeros(2, 2, dtype=torch.float64).index_add_(0, torch.tensor([1, 0, 1]), src)
print(acc, acc.grad_fn.name())
(acc * torch.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=torch.float64)).sum().backward()
print(src.grad)

# %% grads-through-in-place-on-non-leaves
x = leaf([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
h = x * 2
h[0, 1] = 0.0
h[range(2), [2, 0]] -= 1
h /= 4
print(h, h.grad_fn.name())
h.sum().backward()
print(x.grad)
x = leaf([1.0, 2.0, 3.0])
h = x.exp()
v = h[1:]
v *= 2
print(h.grad_fn.name(), v.grad_fn.name())
err(lambda: (h * torch.tensor([1.0, 10.0, 100.0], dtype=torch.float64)).sum().backward())
x = leaf([1.0, 2.0, 3.0])
h = x * 1
v = h[1:]
v *= 2
(h * torch.tensor([1.0, 10.0, 100.0], dtype=torch.float64)).sum().backward()
print(x.grad)
x = leaf([1.0, -2.0])
h = x * 1
h.clamp_(min=0)
h.sum().backward()
print(x.grad)
x = leaf([0.5, 2.0])
h = x + 0
h.zero_()
h.fill_(3.0)
(h * x).sum().backward()
print(x.grad)

# %% grads-F
logits = leaf([[1.0, 2.0, 0.5], [0.1, -1.0, 3.0]])
F.cross_entropy(logits, torch.tensor([1, 2])).backward()
print(logits.grad)
logits = leaf([[1.0, 2.0, 0.5], [0.1, -1.0, 3.0]])
(F.softmax(logits, dim=1)[:, 0]).sum().backward()
print(logits.grad)
h = leaf([0.5, -2.0])
F.tanh(h).sum().backward()
print(h.grad)
x = leaf([1.0, 2.0])
(F.one_hot(torch.tensor([1, 0]), 2).double() * x).sum().backward()
print(x.grad)

# %% retain-grad-and-accumulate
x = leaf([1.0, 2.0])
h = x * 3
h.retain_grad()
o = (h ** 2).sum()
o.retain_grad()
o.backward()
print(h.grad, o.grad, x.grad, h.retains_grad, x.is_leaf, h.is_leaf, sep='\n')
(x * 2).sum().backward()
print(x.grad)
x.grad = None
(x * 5).sum().backward()
print(x.grad)
x.grad.zero_()
print(x.grad)

# %% backward-twice-and-retain-graph
x = leaf([1.0, 2.0])
y = (x.exp() * x).sum()
y.backward(retain_graph=True)
y.backward()
print(x.grad)
z = (x.exp() * x).sum()
z.backward()
err(lambda: z.backward())

# %% no-grad-context-and-decorator
x = leaf([1.0, 2.0])
with torch.no_grad():
    y = x * 2
    x2 = x + 0
print(y.requires_grad, y.grad_fn, x2.requires_grad, torch.is_grad_enabled())


@torch.no_grad()
def f(t):
    print('inside', torch.is_grad_enabled())
    return t * 3


print(f(x).requires_grad, torch.is_grad_enabled())


with torch.no_grad():
    x -= 0.5
print(x, x.is_leaf)
with torch.no_grad():
    x.data += 1
print(x)

# %% detach-and-data
x = leaf([1.0, 2.0])
d = x.detach()
print(d, d.requires_grad, d.is_leaf)
d[0] = 10
print(x)
y = x * 2
print(y.data, y.data.requires_grad, y.detach().grad_fn)
x.data = torch.tensor([5.0, 6.0], dtype=torch.float64)
print(x)
(y.detach() * x).sum().backward()
print(x.grad)

# %% training-step-by-hand
torch.manual_seed(0)
W = leaf([[0.5, -0.25], [1.0, 0.75]])
bb = leaf([0.1, -0.1])
X = torch.tensor([[1.0, 2.0], [0.5, -1.0], [-1.5, 0.25]], dtype=torch.float64)
Y = torch.tensor([1, 0, 1])
for step in range(3):
    loss = F.cross_entropy(X @ W + bb, Y)
    for p in (W, bb):
        p.grad = None
    loss.backward()
    for p in (W, bb):
        p.data += -0.1 * p.grad
    print(step, f'{loss.item():.12f}')
print(W, bb, sep='\n')

# %% float32-exact-grads
x = torch.tensor([0.1, 0.7, 1.3], requires_grad=True)
y = (x * x.exp() / 3 - x.tanh() ** 2).sum()
y.backward()
print(y.item(), x.grad.tolist())
