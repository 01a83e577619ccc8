"""The micro-ops bench:ops times, the same code under PyTorch and under backprop-ninja's runtime.

Each case is (name, setup, stmt, n): `setup` runs once, then `stmt` runs n times in a loop, the best of five
such loops is reported per run of stmt, in microseconds. The loop is Python's own (a few tens of ns an
iteration on either side). Run with `run()`, which prints one JSON line: {name: us}.
"""

CASES = [
    # the table
    ('dC loop (96 x: ix = Xb[k,j]; dC[ix] += demb[k,j])',
     'Xb = torch.randint(0, 27, (32, 3), generator=g)\ndemb = torch.randn(32, 3, 10, generator=g)\ndC = torch.zeros(27, 10)',
     'for k in range(32):\n    for j in range(3):\n        ix = Xb[k, j]\n        dC[ix] += demb[k, j]', 50),
    ('h * 0.5 (32x200)', 'h = torch.randn(32, 200, generator=g)', 'a = h * 0.5', 3000),
    ('a + h (32x200)', 'h = torch.randn(32, 200, generator=g)\na = h * 0.5', 'b = a + h', 3000),
    ('b.sum(0, keepdim=True) (32x200)', 'b = torch.randn(32, 200, generator=g)', 'c = b.sum(0, keepdim=True)', 3000),
    ('h @ W (32x200 @ 200x27)', 'h = torch.randn(32, 200, generator=g)\nW = torch.randn(200, 27, generator=g)', 'o = h @ W', 2000),
    # a small set beside it
    ('torch.zeros(32, 200)', '', 't = torch.zeros(32, 200)', 3000),
    ('torch.randn(32, 200, generator=g)', '', 't = torch.randn(32, 200, generator=g)', 2000),
    ('x[i, j] (int index)', 'x = torch.randn(32, 3, generator=g)', 'y = x[5, 1]', 10000),
    ('C[Xb] (27x10 by 32x3)', 'C = torch.randn(27, 10, generator=g)\nXb = torch.randint(0, 27, (32, 3), generator=g)', 'e = C[Xb]', 3000),
    ('logits[range(32), Yb]', 'logits = torch.randn(32, 27, generator=g)\nYb = torch.randint(0, 27, (32,), generator=g)', 'p = logits[range(32), Yb]', 3000),
    ('F.cross_entropy (32x27)', 'logits = torch.randn(32, 27, generator=g)\nYb = torch.randint(0, 27, (32,), generator=g)', 'l = F.cross_entropy(logits, Yb)', 2000),
    ('F.softmax(logits, 1) (32x27)', 'logits = torch.randn(32, 27, generator=g)', 's = F.softmax(logits, 1)', 3000),
    ('torch.tanh (32x200)', 'h = torch.randn(32, 200, generator=g)', 't = torch.tanh(h)', 3000),
    ('emb.view(32, -1)', 'emb = torch.randn(32, 3, 10, generator=g)', 'v = emb.view(32, -1)', 10000),
    ('torch.cat([a, b], 1) (32x100 each)', 'a = torch.randn(32, 100, generator=g)\nb = torch.randn(32, 100, generator=g)', 'c = torch.cat([a, b], 1)', 3000),
    ('x @ W1 (32x30 @ 30x200)', 'x = torch.randn(32, 30, generator=g)\nW1 = torch.randn(30, 200, generator=g)', 'o = x @ W1', 3000),
    ('x @ W1 (182625x30 @ 30x200)', 'x = torch.randn(182625, 30, generator=g)\nW1 = torch.randn(30, 200, generator=g)', 'o = x @ W1', 3),
    ('no_grad eval forward (182625 rows, H=200)',
     'C = torch.randn(27, 10, generator=g)\nW1 = torch.randn(30, 200, generator=g)\nW2 = torch.randn(200, 27, generator=g)\nb2 = torch.randn(27, generator=g)\n'
     'X = torch.randint(0, 27, (182625, 3), generator=g)\nY = torch.randint(0, 27, (182625,), generator=g)',
     'with torch.no_grad():\n    emb = C[X]\n    h = torch.tanh(emb.view(emb.shape[0], -1) @ W1)\n    loss = F.cross_entropy(h @ W2 + b2, Y)', 2),
    ('forward + backward (the lecture MLP, batch 32, autograd)',
     'C = torch.randn(27, 10, generator=g, requires_grad=True)\nW1 = torch.randn(30, 200, generator=g, requires_grad=True)\n'
     'W2 = torch.randn(200, 27, generator=g, requires_grad=True)\nb2 = torch.randn(27, generator=g, requires_grad=True)\n'
     'Xb = torch.randint(0, 27, (32, 3), generator=g)\nYb = torch.randint(0, 27, (32,), generator=g)',
     'emb = C[Xb]\nh = torch.tanh(emb.view(32, -1) @ W1)\nloss = F.cross_entropy(h @ W2 + b2, Yb)\nfor p in (C, W1, W2, b2):\n    p.grad = None\nloss.backward()', 500),
    ('a plain Python loop iteration (the interpreter alone)', '', 'pass', 200000),
]


def run(torch, F):
    import json
    import time
    g = torch.Generator().manual_seed(42)
    out = {}
    for name, setup, stmt, n in CASES:
        ns = {'torch': torch, 'F': F, 'g': g}
        exec(setup, ns)
        body = 'def _bench():\n' + '\n'.join('    ' + line for line in f'for _i in range({n}):\n'.splitlines()) + '\n' + \
            '\n'.join('        ' + line for line in stmt.splitlines()) + '\n'
        exec(body, ns)
        best = float('inf')
        for _ in range(5):
            t = time.perf_counter()
            ns['_bench']()
            best = min(best, time.perf_counter() - t)
        out[name] = best / n * 1e6
    print(json.dumps(out))
