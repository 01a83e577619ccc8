"""The peer for `npm run bench`: the lecture's model and its manual backward (exercises 2 and 3) in PyTorch,
one thread, float32. Same shapes as ours: C (V, E), W1 (T*E, H), b1, bngain, bnbias (1, H), W2 (H, V), b2.

Runs as a server so the bench can interleave it with our runs (noise hits both): one request a line on
stdin, one JSON answer a line on stdout.
  step H B STEPS   -> {"us": per-step microseconds over STEPS steps (batch draw + forward + backward + SGD)}
  eval H           -> {"ms": inference forward over the training rows, with fixed bn statistics}
  quit
The data: the lecture's names file (argv[1]), split as the lecture (random.seed(42); shuffle; 80%).
"""

import json
import sys
import time

import torch
import torch.nn.functional as F

from lecture_data import lecture_train_split

torch.set_num_threads(1)
torch.manual_seed(42)

V, E, T = 27, 10, 3


Xtr, Ytr, _ = lecture_train_split(sys.argv[1], T)


def init(H):
    g = torch.Generator().manual_seed(2147483647)
    C = torch.randn((V, E), generator=g)
    W1 = torch.randn((E * T, H), generator=g) * (5 / 3) / ((E * T) ** 0.5)
    b1 = torch.randn(H, generator=g) * 0.1
    W2 = torch.randn((H, V), generator=g) * 0.1
    b2 = torch.randn(V, generator=g) * 0.1
    bngain = torch.randn((1, H), generator=g) * 0.1 + 1.0
    bnbias = torch.randn((1, H), generator=g) * 0.1
    return [C, W1, b1, W2, b2, bngain, bnbias]


@torch.no_grad()
def steps(params, B, nsteps, lr=0.1):
    C, W1, b1, W2, b2, bngain, bnbias = params
    n = B
    for _ in range(nsteps):
        ix = torch.randint(0, Xtr.shape[0], (B,))
        Xb, Yb = Xtr[ix], Ytr[ix]
        # forward, the lecture's lines
        emb = C[Xb]
        embcat = emb.view(emb.shape[0], -1)
        hprebn = embcat @ W1 + b1
        bnmeani = hprebn.mean(0, keepdim=True)
        bnvar = hprebn.var(0, keepdim=True, unbiased=True)
        bnvar_inv = (bnvar + 1e-5) ** -0.5
        bnraw = (hprebn - bnmeani) * bnvar_inv
        hpreact = bngain * bnraw + bnbias
        h = torch.tanh(hpreact)
        logits = h @ W2 + b2
        loss = F.cross_entropy(logits, Yb)
        # backward, the lecture's manual one (exercise 2 and exercise 3)
        dlogits = F.softmax(logits, 1)
        dlogits[range(n), Yb] -= 1
        dlogits /= n
        dh = dlogits @ W2.T
        dW2 = h.T @ dlogits
        db2 = dlogits.sum(0)
        dhpreact = (1.0 - h**2) * dh
        dbngain = (bnraw * dhpreact).sum(0, keepdim=True)
        dbnbias = dhpreact.sum(0, keepdim=True)
        dhprebn = bngain * bnvar_inv / n * (n * dhpreact - dhpreact.sum(0) - n / (n - 1) * bnraw * (dhpreact * bnraw).sum(0))
        dembcat = dhprebn @ W1.T
        dW1 = embcat.T @ dhprebn
        db1 = dhprebn.sum(0)
        demb = dembcat.view(emb.shape)
        dC = torch.zeros_like(C)
        dC.index_add_(0, Xb.view(-1), demb.view(-1, E))  # the lecture's double loop, vectorised
        for p, grad in zip(params, [dC, dW1, db1, dW2, db2, dbngain, dbnbias]):
            p.data += -lr * grad
    return loss.item()


@torch.no_grad()
def evaluate(params):
    C, W1, b1, W2, b2, bngain, bnbias = params
    bnmean = torch.zeros((1, W1.shape[1]))
    bnvar = torch.ones((1, W1.shape[1]))
    emb = C[Xtr]
    hpreact = bngain * (emb.view(emb.shape[0], -1) @ W1 + b1 - bnmean) * (bnvar + 1e-5) ** -0.5 + bnbias
    return F.cross_entropy(torch.tanh(hpreact) @ W2 + b2, Ytr).item()


cache = {}
print(json.dumps({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
for line in sys.stdin:
    cmd = line.split()
    if not cmd or cmd[0] == "quit":
        break
    if cmd[0] == "step":
        H, B, N = int(cmd[1]), int(cmd[2]), int(cmd[3])
        params = cache.setdefault(H, init(H))
        steps(params, B, 20)
        t0 = time.perf_counter()
        steps(params, B, N)
        print(json.dumps({"us": (time.perf_counter() - t0) / N * 1e6}), flush=True)
    elif cmd[0] == "eval":
        params = cache.setdefault(int(cmd[1]), init(int(cmd[1])))
        t0 = time.perf_counter()
        evaluate(params)
        print(json.dumps({"ms": (time.perf_counter() - t0) * 1e3}), flush=True)
