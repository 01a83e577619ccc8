# %% [markdown]
# # Becoming a backprop ninja, in this page
#
# A walk through the lecture's steps (makemore part 4): a character-level MLP with batchnorm, its forward
# pass cut into small steps, PyTorch's autograd as the judge, and your own backward pass step by step.
# This notebook was written for the lab; it is not the lecture's notebook (open yours with **Open**).
#
# - `names.txt` here is the **embedded list of English first names**, not the lecture's data. Drop the
#   lecture's `names.txt` on this page to use it; the numbers below then change.
# - Python runs in your browser (Pyodide). Shift+Enter runs a cell, **Run all** runs them all, **Stop**
#   interrupts a cell that runs too long.

# %%
# read in all the words
words = open('names.txt', 'r').read().splitlines()
print(len(words))
print(max(len(w) for w in words))
print(words[:8])

# %%
# the vocabulary: '.' (index 0) marks the start and the end of a name
chars = sorted(list(set(''.join(words))))
stoi = {s: i + 1 for i, s in enumerate(chars)}
stoi['.'] = 0
itos = {i: s for s, i in stoi.items()}
vocab_size = len(itos)
vocab_size

# %%
# how long are the names? (plain Python and plt: nothing here needs torch yet)
import matplotlib.pyplot as plt
lengths = [len(w) for w in words]
plt.figure(figsize=(6, 2.2))
plt.hist(lengths, bins=range(1, max(lengths) + 2))
plt.title('name lengths');

# %%
import torch
import torch.nn.functional as F

# %%
# the dataset: every context of block_size characters and the character that follows it
block_size = 3

def build_dataset(words):
    X, Y = [], []
    for w in words:
        context = [0] * block_size
        for ch in w + '.':
            ix = stoi[ch]
            X.append(context)
            Y.append(ix)
            context = context[1:] + [ix]
    X = torch.tensor(X)
    Y = torch.tensor(Y)
    print(X.shape, Y.shape)
    return X, Y

import random
random.seed(42)
random.shuffle(words)
n1 = int(0.8 * len(words))
n2 = int(0.9 * len(words))
Xtr, Ytr = build_dataset(words[:n1])
Xdev, Ydev = build_dataset(words[n1:n2])
Xte, Yte = build_dataset(words[n2:])

# %%
# compares your gradient dt with the autograd's t.grad: exact, approximately equal, the largest difference
def cmp(s, dt, t):
    ex = torch.all(dt == t.grad).item()
    app = torch.allclose(dt, t.grad)
    maxdiff = (dt - t.grad).abs().max().item()
    print(f'{s:15s} | exact: {str(ex):5s} | approximate: {str(app):5s} | maxdiff: {maxdiff}')

# %%
# the parameters, initialised as in the lecture (non-standard scales, so that a wrong backward cannot hide)
n_embd = 10
n_hidden = 64
g = torch.Generator().manual_seed(2147483647)
C = torch.randn((vocab_size, n_embd), generator=g)
W1 = torch.randn((n_embd * block_size, n_hidden), generator=g) * (5 / 3) / ((n_embd * block_size) ** 0.5)
b1 = torch.randn(n_hidden, generator=g) * 0.1
W2 = torch.randn((n_hidden, vocab_size), generator=g) * 0.1
b2 = torch.randn(vocab_size, generator=g) * 0.1
bngain = torch.randn((1, n_hidden)) * 0.1 + 1.0
bnbias = torch.randn((1, n_hidden)) * 0.1
parameters = [C, W1, b1, W2, b2, bngain, bnbias]
for p in parameters:
    p.requires_grad = True
sum(p.nelement() for p in parameters)

# %%
# one minibatch
batch_size = 32
n = batch_size
ix = torch.randint(0, Xtr.shape[0], (batch_size,), generator=g)
Xb, Yb = Xtr[ix], Ytr[ix]

# %%
# the forward pass, one small step per line, and PyTorch's backward for the reference gradients
emb = C[Xb]
embcat = emb.view(emb.shape[0], -1)
hprebn = embcat @ W1 + b1
bnmeani = 1 / n * hprebn.sum(0, keepdim=True)
bndiff = hprebn - bnmeani
bndiff2 = bndiff ** 2
bnvar = 1 / (n - 1) * (bndiff2).sum(0, keepdim=True)  # Bessel's correction: n-1
bnvar_inv = (bnvar + 1e-5) ** -0.5
bnraw = bndiff * bnvar_inv
hpreact = bngain * bnraw + bnbias
h = torch.tanh(hpreact)
logits = h @ W2 + b2
logit_maxes = logits.max(1, keepdim=True).values
norm_logits = logits - logit_maxes  # the max is subtracted only for numerical stability
counts = norm_logits.exp()
counts_sum = counts.sum(1, keepdims=True)
counts_sum_inv = counts_sum ** -1
probs = counts * counts_sum_inv
logprobs = probs.log()
loss = -logprobs[range(n), Yb].mean()

for p in parameters:
    p.grad = None
for t in [logprobs, probs, counts, counts_sum, counts_sum_inv, norm_logits, logit_maxes, logits, h, hpreact,
          bnraw, bnvar_inv, bnvar, bndiff2, bndiff, hprebn, bnmeani, embcat, emb]:
    t.retain_grad()
loss.backward()
loss

# %%
# Exercise 1: your backward pass, one forward line at a time, from the loss back to C.
# The first two steps are done; write the next ones (dcounts_sum_inv, dcounts, dcounts_sum, ...) below them.
dlogprobs = torch.zeros_like(logprobs)
dlogprobs[range(n), Yb] = -1.0 / n  # loss = -mean of the picked log-probabilities
dprobs = (1.0 / probs) * dlogprobs  # d log(x) = dx / x

cmp('logprobs', dlogprobs, logprobs)
cmp('probs', dprobs, probs)

# %%
# Exercise 2: the cross-entropy's backward in one go (derive it from softmax, then write dlogits)
loss_fast = F.cross_entropy(logits, Yb)
print(loss_fast.item(), 'diff:', (loss_fast - loss).item())

# %%
# Exercise 4, in small: train with PyTorch's backward (replace loss.backward() by yours once it is written)
lossi = []
for i in range(200):
    ix = torch.randint(0, Xtr.shape[0], (batch_size,), generator=g)
    Xb, Yb = Xtr[ix], Ytr[ix]
    emb = C[Xb]
    embcat = emb.view(emb.shape[0], -1)
    hprebn = embcat @ W1 + b1
    bnmean = hprebn.mean(0, keepdim=True)
    bnvar = hprebn.var(0, keepdim=True, unbiased=True)
    hpreact = bngain * (hprebn - bnmean) * (bnvar + 1e-5) ** -0.5 + bnbias
    h = torch.tanh(hpreact)
    logits = h @ W2 + b2
    loss = F.cross_entropy(logits, Yb)
    for p in parameters:
        p.grad = None
    loss.backward()
    with torch.no_grad():
        for p in parameters:
            p.data += -0.1 * p.grad
    lossi.append(loss.log10().item())
    if i % 50 == 0:
        print(f'{i:5d}: {loss.item():.4f}')
loss.item()

# %%
plt.plot(lossi)
