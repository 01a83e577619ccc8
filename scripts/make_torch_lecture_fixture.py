"""The lecture's cells under PyTorch's generator, for `--rng torch` (test/core/torch-lecture.test.ts).

Run with Debian's PyTorch (1.13, CPU):   /usr/bin/python3 scripts/make_torch_lecture_fixture.py
Needs ../shared/data/names.txt. Writes (deterministic, one thread):
  test/fixtures/torch_lecture.json          per config (the check cell's H=64, exercise 4's H=200): the SHA-256
                                            of C, W1, b1, W2, b2 (float32 bytes) from g = manual_seed(2147483647),
                                            bngain/bnbias from the global generator seeded GLOBAL_SEED, the first
                                            batch's Yb, its loss, and the first 5 training losses of exercise 4
  test/fixtures/torch_model.safetensors     a small model trained in PyTorch (E=10, H=64, 3000 steps), saved as
                                            safetensors.torch.save_file writes it (no metadata), with bnmean/bnvar
  test/fixtures/torch_model_nostats.safetensors   the same without bnmean/bnvar
and, in torch_lecture.json, the 20 names the lecture's sampling cell prints for that model.
"""

import hashlib
import json
import os
import struct
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lecture_data import lecture_train_split  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
NAMES = os.path.join(HERE, '..', '..', 'shared', 'data', 'names.txt')
FIX = os.path.join(HERE, '..', 'test', 'fixtures')
GLOBAL_SEED = 67280421310721  # --torch-global-seed's default: a fresh torch.Generator()'s seed
SEED = 2147483647


def sha(t):
    return hashlib.sha256(t.detach().contiguous().numpy().tobytes()).hexdigest()


def lecture_init(V, E, T, H):
    g = torch.Generator().manual_seed(SEED)
    C = torch.randn((V, E), generator=g)
    W1 = torch.randn((E * T, H), generator=g) * (5 / 3) / ((E * T) ** 0.5)
    b1 = torch.randn(H, generator=g) * 0.1
    W2 = torch.randn((H, V), generator=g) * 0.1
    b2 = torch.randn(V, generator=g) * 0.1
    torch.manual_seed(GLOBAL_SEED)
    bngain = torch.randn((1, H)) * 0.1 + 1.0
    bnbias = torch.randn((1, H)) * 0.1
    return g, [C, W1, b1, W2, b2, bngain, bnbias]


def forward_loss(params, Xb, Yb):
    C, W1, b1, W2, b2, bngain, bnbias = params
    emb = C[Xb]
    embcat = emb.view(emb.shape[0], -1)
    hprebn = embcat @ W1 + b1
    bnmean = hprebn.mean(0, keepdim=True)
    bnvar = hprebn.var(0, keepdim=True, unbiased=True)
    hpreact = bngain * (hprebn - bnmean) * (bnvar + 1e-5) ** -0.5 + bnbias
    h = torch.tanh(hpreact)
    logits = h @ W2 + b2
    return F.cross_entropy(logits, Yb)


def save_file(tensors, path):
    """safetensors.torch.save_file's format: 8-byte little-endian header length, the JSON header (no
    __metadata__), padded with spaces to a multiple of 8, then the data in the order of the sorted names."""
    names = sorted(tensors)
    header, blobs, off = {}, [], 0
    for k in names:
        t = tensors[k].detach().contiguous()
        data = t.numpy().tobytes()
        header[k] = {'dtype': {torch.float32: 'F32', torch.float64: 'F64'}[t.dtype], 'shape': list(t.shape),
                     'data_offsets': [off, off + len(data)]}
        blobs.append(data)
        off += len(data)
    h = json.dumps(header, separators=(',', ':')).encode()
    h += b' ' * ((8 - len(h) % 8) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(h)) + h + b''.join(blobs))


def main():
    torch.set_num_threads(1)
    Xtr, Ytr, V = lecture_train_split(NAMES, 3)
    out = {'torch': torch.__version__, 'global_seed': GLOBAL_SEED, 'seed': SEED, 'n_train': Xtr.shape[0], 'configs': []}
    for H in (64, 200):
        g, params = lecture_init(V, 10, 3, H)
        names = ['C', 'W1', 'b1', 'W2', 'b2', 'bngain', 'bnbias']
        ix = torch.randint(0, Xtr.shape[0], (32,), generator=g)
        Xb, Yb = Xtr[ix], Ytr[ix]
        loss = forward_loss(params, Xb, Yb).item()
        # exercise 4's first steps (autograd; the same update as the manual backward)
        for p in params:
            p.requires_grad = True
        g2, params2 = lecture_init(V, 10, 3, H)
        for p in params2:
            p.requires_grad = True
        losses = []
        for i in range(5):
            ix2 = torch.randint(0, Xtr.shape[0], (32,), generator=g2)
            l = forward_loss(params2, Xtr[ix2], Ytr[ix2])
            for p in params2:
                p.grad = None
            l.backward()
            with torch.no_grad():
                for p in params2:
                    p += -0.1 * p.grad
            losses.append(l.item())
        out['configs'].append({
            'n_embd': 10, 'n_hidden': H, 'block_size': 3, 'vocab_size': V,
            'sha256': {k: sha(p) for k, p in zip(names, params)},
            'first': {k: p.reshape(-1)[0].item() for k, p in zip(names, params)},
            'Yb': Yb.tolist(), 'ix': ix.tolist(), 'loss': loss, 'train_losses': losses,
        })

    # A small model trained in PyTorch, saved as safetensors.torch.save_file would, and the lecture's sampling.
    H = 64
    g, params = lecture_init(V, 10, 3, H)
    for p in params:
        p.requires_grad = True
    for i in range(3000):
        ix = torch.randint(0, Xtr.shape[0], (32,), generator=g)
        l = forward_loss(params, Xtr[ix], Ytr[ix])
        for p in params:
            p.grad = None
        l.backward()
        with torch.no_grad():
            for p in params:
                p += -0.1 * p.grad
    C, W1, b1, W2, b2, bngain, bnbias = params
    with torch.no_grad():
        hpre = C[Xtr].view(Xtr.shape[0], -1) @ W1 + b1
        bnmean = hpre.mean(0, keepdim=True)
        bnvar = hpre.var(0, keepdim=True, unbiased=True)
        g = torch.Generator().manual_seed(SEED + 10)
        itos = ['.'] + sorted(set(''.join(open(NAMES, encoding='utf-8').read().splitlines())))
        samples = []
        for _ in range(20):
            out_ix, context = [], [0] * 3
            while True:
                emb = C[torch.tensor([context])]
                embcat = emb.view(emb.shape[0], -1)
                hpreact = embcat @ W1 + b1
                hpreact = bngain * (hpreact - bnmean) * (bnvar + 1e-5) ** -0.5 + bnbias
                h = torch.tanh(hpreact)
                logits = h @ W2 + b2
                probs = F.softmax(logits, dim=1)
                ix = torch.multinomial(probs, num_samples=1, generator=g).item()
                context = context[1:] + [ix]
                out_ix.append(ix)
                if ix == 0:
                    break
            samples.append(''.join(itos[i] for i in out_ix))
    tensors = {'C': C, 'W1': W1, 'b1': b1, 'W2': W2, 'b2': b2, 'bngain': bngain, 'bnbias': bnbias}
    save_file(tensors, os.path.join(FIX, 'torch_model_nostats.safetensors'))
    save_file({**tensors, 'bnmean': bnmean, 'bnvar': bnvar}, os.path.join(FIX, 'torch_model.safetensors'))
    out['trained'] = {'file': 'torch_model.safetensors', 'steps': 3000, 'n_hidden': H, 'sample_seed': SEED + 10,
                      'samples': samples}
    with open(os.path.join(FIX, 'torch_lecture.json'), 'w') as f:
        json.dump(out, f, indent=1)
        f.write('\n')
    print('Yb (H=64):', out['configs'][0]['Yb'][:10], 'loss', out['configs'][0]['loss'])
    print('exercise 4 first losses:', out['configs'][1]['train_losses'])
    print('samples:', samples)


if __name__ == '__main__':
    main()
