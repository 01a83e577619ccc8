#!/usr/bin/python3
"""PyTorch reference fixtures for backprop-ninja's tests (test/core/fixtures.test.ts).

Regenerate (from the repo root) with Debian's python3 and its python3-torch (apt-get install python3-torch):

    npm run fixtures            # = /usr/bin/python3 scripts/make_fixtures.py

The committed fixtures were made with torch 1.13.0a0 (Debian's python3-torch, CPU), Python 3 from
/usr/bin/python3; each file records the version it was made with in its metadata ("torch").

For each config and dtype this runs the lecture's (makemore part 4) chunked forward pass line by line in torch,
retains the gradient of every intermediate, calls loss.backward(), and writes one safetensors file with:

    C W1 b1 W2 b2 bngain bnbias   the parameters (the lecture's init, torch.Generator seeded)
    X (int32 [B, T]), Y (int32 [B])  the batch
    loss                            shape [], the forward's loss
    d.<name>                        torch autograd's gradient of each of the 26 tensors of exercise 1
    fused.logits                    exercise 2, (softmax(logits) - onehot(Y)) / n, the lecture's code in torch
    fused.hprebn                    exercise 3, the lecture's one-line batchnorm backward in torch
    a.<name>                        forward intermediates (all 20 for the small config, the main ones for the
                                    lecture's, to keep the files small)

The lecture's manual backward (exercise 1) also runs here, in torch, and must agree with autograd (its cmp
table is printed): that checks the fixture's own consistency, not our TypeScript.

Configs:
  lecture: V=27 E=10 T=3 H=64 B=32 on names.txt (../shared/data/names.txt), the lecture's data pipeline
           (random.seed(42); random.shuffle(words); 80% train) and batch (torch.randint on the same generator).
  odd:     V=11 E=3 T=2 H=7 B=5, random ids: no dimension equals another, so a transposed matmul or a
           broadcast along the wrong axis cannot hide behind a square shape.

The float64 files use the float32 files' parameters, cast (exactly) to float64: the same model, two precisions.

The safetensors format is written by hand (struct + json), no extra package: 8-byte little-endian header
length, a JSON header padded with spaces to a multiple of 8, then the raw little-endian data.
"""

import json
import os
import struct
import sys

import torch
import torch.nn.functional as F

from lecture_data import lecture_train_split

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, 'test', 'fixtures')
NAMES_TXT = os.path.join(ROOT, '..', 'shared', 'data', 'names.txt')
SEED = 2147483647  # the lecture's torch.Generator seed

GRAD_NAMES = [
    'logprobs', 'probs', 'countsSumInv', 'countsSum', 'counts', 'normLogits', 'logitMaxes', 'logits', 'h',
    'W2', 'b2', 'hpreact', 'bngain', 'bnbias', 'bnraw', 'bnvarInv', 'bnvar', 'bndiff2', 'bndiff', 'bnmeani',
    'hprebn', 'embcat', 'W1', 'b1', 'emb', 'C',
]
ACT_NAMES = [
    'emb', 'embcat', 'hprebn', 'bnmeani', 'bndiff', 'bndiff2', 'bnvar', 'bnvarInv', 'bnraw', 'hpreact', 'h',
    'logits', 'logitMaxes', 'normLogits', 'counts', 'countsSum', 'countsSumInv', 'probs', 'logprobs', 'loss',
]
# the lecture config stores only these intermediates (the rest follow from them in one line each)
MAIN_ACTS = ['hprebn', 'bnmeani', 'bnvar', 'bnvarInv', 'bnraw', 'h', 'logits', 'probs']


# ---------------------------------------------------------------------------------------------------------
# safetensors, by hand

ST_DTYPE = {torch.float32: ('F32', '<f'), torch.float64: ('F64', '<d'), torch.int32: ('I32', '<i')}


def write_safetensors(path, tensors, metadata):
    """tensors: list of (name, torch tensor) written in this order; metadata: dict str -> str."""
    header = {'__metadata__': metadata}
    blobs = []
    off = 0
    for name, t in tensors:
        st, fmt = ST_DTYPE[t.dtype]
        flat = t.detach().contiguous().reshape(-1).tolist()
        blob = struct.pack('<%d%s' % (len(flat), fmt[1]), *flat)
        header[name] = {'dtype': st, 'shape': list(t.shape), 'data_offsets': [off, off + len(blob)]}
        blobs.append(blob)
        off += len(blob)
    hbytes = json.dumps(header, separators=(',', ':')).encode('utf-8')
    hbytes += b' ' * ((8 - len(hbytes) % 8) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(hbytes)))
        f.write(hbytes)
        for blob in blobs:
            f.write(blob)


# ---------------------------------------------------------------------------------------------------------
# the lecture's model, forward and backward


def lecture_init(V, E, T, H, g):
    """The lecture's init. Unlike the notebook, bngain and bnbias also draw from g, so the file is reproducible."""
    C = torch.randn((V, E), generator=g)
    W1 = torch.randn((E * T, H), generator=g) * (5 / 3) / ((E * T) ** 0.5)
    b1 = torch.randn(H, generator=g) * 0.1  # small but not zero, so a zero cannot hide a wrong gradient
    W2 = torch.randn((H, V), generator=g) * 0.1
    b2 = torch.randn(V, generator=g) * 0.1
    bngain = torch.randn((1, H), generator=g) * 0.1 + 1.0
    bnbias = torch.randn((1, H), generator=g) * 0.1
    return {'C': C, 'W1': W1, 'b1': b1, 'W2': W2, 'b2': b2, 'bngain': bngain, 'bnbias': bnbias}


def cmp(s, dt, t):
    ex = torch.all(dt == t.grad).item()
    app = torch.allclose(dt, t.grad)
    maxdiff = (dt - t.grad).abs().max().item()
    print(f'    {s:15s} | exact: {str(ex):5s} | approximate: {str(app):5s} | maxdiff: {maxdiff}')
    return app and dt.shape == t.shape


def run(params32, Xb, Yb, dtype):
    """The lecture's forward and backward on a copy of params in `dtype`. Returns the tensors to store."""
    P = {k: v.to(dtype).clone().requires_grad_(True) for k, v in params32.items()}
    C, W1, b1, W2, b2, bngain, bnbias = (P[k] for k in ['C', 'W1', 'b1', 'W2', 'b2', 'bngain', 'bnbias'])
    n = Yb.shape[0]
    Xl = Xb.long()
    Yl = Yb.long()

    # forward pass, "chunkated" into smaller steps that are possible to backward one at a time (the lecture's)
    emb = C[Xl]  # embed the characters into vectors
    embcat = emb.view(emb.shape[0], -1)  # concatenate the vectors
    # Linear layer 1
    hprebn = embcat @ W1 + b1  # hidden layer pre-activation
    # BatchNorm layer
    bnmeani = 1 / n * hprebn.sum(0, keepdim=True)
    bndiff = hprebn - bnmeani
    bndiff2 = bndiff**2
    bnvar = 1 / (n - 1) * (bndiff2).sum(0, keepdim=True)  # note: Bessel's correction (dividing by n-1, not n)
    bnvar_inv = (bnvar + 1e-5)**-0.5
    bnraw = bndiff * bnvar_inv
    hpreact = bngain * bnraw + bnbias
    # Non-linearity
    h = torch.tanh(hpreact)  # hidden layer
    # Linear layer 2
    logits = h @ W2 + b2  # output layer
    # cross entropy loss (same as F.cross_entropy(logits, Yb))
    logit_maxes = logits.max(1, keepdim=True).values
    norm_logits = logits - logit_maxes  # subtract max for numerical stability
    counts = norm_logits.exp()
    counts_sum = counts.sum(1, keepdims=True)
    counts_sum_inv = counts_sum**-1  # if I use (1.0 / counts_sum) instead then I can't get backprop to be bit exact...
    probs = counts * counts_sum_inv
    logprobs = probs.log()
    loss = -logprobs[range(n), Yl].mean()

    T = {
        'emb': emb, 'embcat': embcat, 'hprebn': hprebn, 'bnmeani': bnmeani, 'bndiff': bndiff, 'bndiff2': bndiff2,
        'bnvar': bnvar, 'bnvarInv': bnvar_inv, 'bnraw': bnraw, 'hpreact': hpreact, 'h': h, 'logits': logits,
        'logitMaxes': logit_maxes, 'normLogits': norm_logits, 'counts': counts, 'countsSum': counts_sum,
        'countsSumInv': counts_sum_inv, 'probs': probs, 'logprobs': logprobs, 'loss': loss,
    }
    for t in T.values():
        t.retain_grad()
    loss.backward()

    # Exercise 1, the lecture's solution, line by line (checks this fixture's consistency)
    dlogprobs = torch.zeros_like(logprobs)
    dlogprobs[range(n), Yl] = -1.0 / n
    dprobs = (1.0 / probs) * dlogprobs
    dcounts_sum_inv = (counts * dprobs).sum(1, keepdim=True)
    dcounts = counts_sum_inv * dprobs
    dcounts_sum = (-counts_sum**-2) * dcounts_sum_inv
    dcounts += torch.ones_like(counts) * dcounts_sum
    dnorm_logits = counts * dcounts
    dlogits = dnorm_logits.clone()
    dlogit_maxes = (-dnorm_logits).sum(1, keepdim=True)
    dlogits += F.one_hot(logits.max(1).indices, num_classes=logits.shape[1]).to(dtype) * dlogit_maxes
    dh = dlogits @ W2.T
    dW2 = h.T @ dlogits
    db2 = dlogits.sum(0)
    dhpreact = (1.0 - h**2) * dh
    dbngain = (bnraw * dhpreact).sum(0, keepdim=True)
    dbnraw = bngain * dhpreact
    dbnbias = dhpreact.sum(0, keepdim=True)
    dbndiff = bnvar_inv * dbnraw
    dbnvar_inv = (bndiff * dbnraw).sum(0, keepdim=True)
    dbnvar = (-0.5 * (bnvar + 1e-5)**-1.5) * dbnvar_inv
    dbndiff2 = (1.0 / (n - 1)) * torch.ones_like(bndiff2) * dbnvar
    dbndiff += (2 * bndiff) * dbndiff2
    dhprebn = dbndiff.clone()
    dbnmeani = (-dbndiff).sum(0, keepdim=True)  # keepdim: the notebook's .sum(0) gives [H], not bnmeani's [1, H]
    dhprebn += 1.0 / n * (torch.ones_like(hprebn) * dbnmeani)
    dembcat = dhprebn @ W1.T
    dW1 = embcat.T @ dhprebn
    db1 = dhprebn.sum(0)
    demb = dembcat.view(emb.shape)
    dC = torch.zeros_like(C)
    for k in range(Xl.shape[0]):
        for j in range(Xl.shape[1]):
            dC[Xl[k, j]] += demb[k, j]
    manual = {
        'logprobs': dlogprobs, 'probs': dprobs, 'countsSumInv': dcounts_sum_inv, 'countsSum': dcounts_sum,
        'counts': dcounts, 'normLogits': dnorm_logits, 'logitMaxes': dlogit_maxes, 'logits': dlogits, 'h': dh,
        'W2': dW2, 'b2': db2, 'hpreact': dhpreact, 'bngain': dbngain, 'bnbias': dbnbias, 'bnraw': dbnraw,
        'bnvarInv': dbnvar_inv, 'bnvar': dbnvar, 'bndiff2': dbndiff2, 'bndiff': dbndiff, 'bnmeani': dbnmeani,
        'hprebn': dhprebn, 'embcat': dembcat, 'W1': dW1, 'b1': db1, 'emb': demb, 'C': dC,
    }
    allt = {**T, **P}
    ok = all([cmp(k, manual[k], allt[k]) for k in GRAD_NAMES])

    with torch.no_grad():
        # Exercise 2: the cross-entropy backward in one step
        dlogits_fused = F.softmax(logits, 1)
        dlogits_fused[range(n), Yl] -= 1
        dlogits_fused /= n
        # Exercise 3: the batchnorm backward in one formula
        dhprebn_fused = bngain * bnvar_inv / n * (
            n * dhpreact - dhpreact.sum(0) - n / (n - 1) * bnraw * (dhpreact * bnraw).sum(0))
    ok = cmp('logits (ex.2)', dlogits_fused, logits) and ok
    ok = cmp('hprebn (ex.3)', dhprebn_fused, hprebn) and ok
    if not ok:
        sys.exit('the lecture\'s manual backward disagrees with torch autograd: refusing to write fixtures')

    grads = {k: allt[k].grad for k in GRAD_NAMES}
    acts = {k: T[k].detach() for k in ACT_NAMES}
    return P, loss.detach(), grads, dlogits_fused, dhprebn_fused, acts


# ---------------------------------------------------------------------------------------------------------
# data


def lecture_batch(B, T, g):
    """The lecture's pipeline on names.txt: shuffle with random.seed(42), 80% train, one torch.randint batch."""
    Xtr, Ytr, vocab = lecture_train_split(NAMES_TXT, T)
    assert Xtr.shape[0] == 182625, Xtr.shape
    ix = torch.randint(0, Xtr.shape[0], (B,), generator=g)
    return Xtr[ix].to(torch.int32), Ytr[ix].to(torch.int32), vocab


def main():
    torch.set_num_threads(1)  # one thread: the same summation order on every run
    os.makedirs(OUT_DIR, exist_ok=True)
    print(f'torch {torch.__version__}, python {sys.version.split()[0]}')
    configs = [
        # name, V, E, T, H, B
        ('lecture', 27, 10, 3, 64, 32),
        ('odd', 11, 3, 2, 7, 5),
    ]
    for name, V, E, T, H, B in configs:
        g = torch.Generator().manual_seed(SEED)
        params = lecture_init(V, E, T, H, g)
        if name == 'lecture':
            Xb, Yb, vocab = lecture_batch(B, T, g)
            assert vocab == V
        else:
            Xb = torch.randint(0, V, (B, T), generator=g).to(torch.int32)
            Yb = torch.randint(0, V, (B,), generator=g).to(torch.int32)
        keep = ACT_NAMES if name == 'odd' else MAIN_ACTS
        for dtype, tag in [(torch.float32, 'f32'), (torch.float64, 'f64')]:
            print(f'{name} {tag}: V={V} E={E} T={T} H={H} B={B}')
            P, loss, grads, dlogits, dhprebn, acts = run(params, Xb, Yb, dtype)
            tensors = [(k, P[k].detach()) for k in ['C', 'W1', 'b1', 'W2', 'b2', 'bngain', 'bnbias']]
            tensors += [('X', Xb), ('Y', Yb), ('loss', loss)]
            tensors += [(f'd.{k}', grads[k]) for k in GRAD_NAMES]
            tensors += [('fused.logits', dlogits), ('fused.hprebn', dhprebn)]
            tensors += [(f'a.{k}', acts[k]) for k in keep if k != 'loss']
            meta = {
                'vocabSize': str(V), 'nEmbd': str(E), 'blockSize': str(T), 'nHidden': str(H), 'batchSize': str(B),
                'dtype': 'float32' if tag == 'f32' else 'float64', 'torch': torch.__version__,
                'generator': f'torch.Generator().manual_seed({SEED})',
                'made_by': 'scripts/make_fixtures.py',
            }
            path = os.path.join(OUT_DIR, f'{name}_{tag}.safetensors')
            write_safetensors(path, tensors, meta)
            print(f'    loss {loss.item()!r}; wrote {os.path.relpath(path, ROOT)} ({os.path.getsize(path)} bytes)')


if __name__ == '__main__':
    main()
