"""Record PyTorch's CPU random streams for test/core/torch-rng.test.ts (test/fixtures/torch_rng.json).

Run with Debian's PyTorch (1.13, CPU):   /usr/bin/python3 scripts/make_torch_rng_fixture.py

Every draw is stored small: its dtype, its shape, the SHA-256 of its bytes (little-endian float32 / float64 /
int64), its first and last values, and all values when it has at most 32 elements. The same program runs
three times, under ATEN_CPU_CAPABILITY=avx2 (this build's choice on x86-64 with AVX2+FMA), =default (the
scalar build every other CPU gets) and =avx512 (to record whether it differs from avx2); the fixture holds
the avx2 and default runs in full and, for avx512, only which draws differ from avx2.
The run is deterministic: regenerating gives the same bytes.
"""

import base64
import ctypes
import struct
import hashlib
import json
import os
import subprocess
import sys

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'torch_rng.json')

SEEDS = [2147483647, 42, 7, -1, 2**32 + 7]
SIZES = [(1,), (7,), (15,), (16,), (17,), (27,), (30, 64), (64, 27), (100000,)]


def record(t):
    import torch
    t = t.contiguous()
    if t.dtype == torch.int64:
        data = t.numpy().astype('<i8').tobytes()
    elif t.dtype == torch.float32:
        data = t.numpy().astype('<f4').tobytes()
    else:
        data = t.numpy().astype('<f8').tobytes()
    flat = t.reshape(-1).tolist()
    rec = {
        'dtype': str(t.dtype).replace('torch.', ''),
        'shape': list(t.shape),
        'sha256': hashlib.sha256(data).hexdigest(),
        'first': flat[0],
        'last': flat[-1],
    }
    if len(flat) <= 32:
        rec['values'] = flat
    return rec


def run_cases():
    import torch
    torch.set_num_threads(1)
    cases = []

    def case(name, seed, steps):
        """steps: list of (description dict, function(g) -> tensor)."""
        g = torch.Generator()
        if seed is not None:
            g.manual_seed(seed)
        draws = []
        for desc, fn in steps:
            rec = record(fn(g))
            rec.update(desc)
            draws.append(rec)
        cases.append({'name': name, 'seed': seed, 'draws': draws})

    def randn(shape, dtype=torch.float32):
        return ({'op': 'randn', 'size': list(shape)} if dtype == torch.float32 else {'op': 'randn', 'size': list(shape), 'dtype': 'float64'},
                lambda g: torch.randn(shape, generator=g, dtype=dtype))

    def normal(shape, mean, std, dtype=torch.float32):
        return ({'op': 'normal', 'size': list(shape), 'mean': mean, 'std': std, 'dtype': str(dtype).replace('torch.', '')},
                lambda g: torch.empty(shape, dtype=dtype).normal_(mean, std, generator=g))

    def rand(shape, dtype=torch.float32):
        return ({'op': 'rand', 'size': list(shape), 'dtype': str(dtype).replace('torch.', '')},
                lambda g: torch.rand(shape, generator=g, dtype=dtype))

    def uniform(shape, lo, hi, dtype=torch.float32):
        return ({'op': 'uniform', 'size': list(shape), 'from': lo, 'to': hi, 'dtype': str(dtype).replace('torch.', '')},
                lambda g: torch.empty(shape, dtype=dtype).uniform_(lo, hi, generator=g))

    def randint(lo, hi, n):
        return ({'op': 'randint', 'low': lo, 'high': hi, 'size': [n]},
                lambda g: torch.randint(lo, hi, (n,), generator=g))

    def exponential(n, lambd=1.0):
        return ({'op': 'exponential', 'size': [n], 'lambd': lambd, 'dtype': 'float32'},
                lambda g: torch.empty(n).exponential_(lambd, generator=g))

    tables = {}

    def multinomial(ref, n, replacement, double=False):
        # ref: 'p' or 'u' (a table below) or 'p:3' (its row 3); the probabilities are stored once, in tables
        name, _, row = ref.partition(':')
        probs = tables[name] if not row else tables[name][int(row)]
        if double:
            probs = probs.double()
        return ({'op': 'multinomial', 'probs': ref, 'probs_dtype': str(probs.dtype).replace('torch.', ''),
                 'shape': list(probs.shape), 'num_samples': n, 'replacement': replacement},
                lambda g: torch.multinomial(probs, n, replacement, generator=g))

    # Fresh generators: the default seed.
    case('default seed', None, [randn((5,)), randn((20,)), rand((3,)), randint(0, 10, 4)])
    # Every size from a fresh seed, float32 randn.
    for seed in SEEDS:
        for shape in SIZES:
            case(f'randn {shape} seed {seed}', seed, [randn(shape)])
    # Interleavings on one generator: sizes in a row, small after large (the Box-Muller cache), mixes.
    for seed in SEEDS:
        case(f'interleaved seed {seed}', seed, [randn(s) for s in SIZES] + [randn((1,)), randn((3,)), randn((16,))])
    case('small after large', 2147483647, [randn((100000,)), randn((7,)), randn((1,)), randn((27,)), randn((5,)), randn((33,))])
    case('odd cache', 42, [randn((1,)), randn((17,)), randn((1,)), randn((1,)), randn((2,)), rand((5,)), randn((3,))])
    # randint: small ranges (the 32-bit path), ranges >= 2**32 (random64), negative lows, mixes with randn.
    for seed in SEEDS:
        case(f'randint seed {seed}', seed, [
            randint(0, 27, 1), randint(0, 182625, 32), randint(-5, 5, 100), randint(0, 2**32 - 1, 10),
            randint(0, 2**32, 10), randint(0, 2**32 + 7, 10), randint(-2**40, 2**40, 50), randint(0, 2**53, 20),
            randn((7,)), randint(0, 1000, 1000),
        ])
    # uniform / rand / normal with mean and std, both dtypes and both paths.
    for seed in [2147483647, 42]:
        case(f'uniform seed {seed}', seed, [
            rand((7,)), rand((1000,)), rand((5,), torch.float64), rand((1000,), torch.float64),
            uniform((1000,), -2.0, 3.0), uniform((1000,), -2.0, 3.0, torch.float64), uniform((100,), 0.1, 0.7),
            normal((7,), 0.5, 2.0), normal((1000,), 0.5, 2.0), normal((1003,), -1.25, 0.3),
            normal((7,), 0.5, 2.0, torch.float64), normal((1000,), 0.5, 2.0, torch.float64),
            exponential(1000), exponential(7, 2.5),
        ])
    # float64 randn: every size, both paths (glibc log/sin/cos: compared within 1 ULP).
    for seed in SEEDS:
        case(f'randn float64 seed {seed}', seed, [randn(s, torch.float64) for s in SIZES])
    # multinomial: the lecture's sampling loop (probs of a softmax, n=1), with and without replacement,
    # n > 1, 2-D probs, unnormalised probs, zeros.
    pg = torch.Generator().manual_seed(123)
    logits = torch.randn((6, 27), generator=pg) * 2
    probs = torch.softmax(logits, dim=1)
    unnorm = torch.rand((3, 10), generator=pg) * 5
    unnorm[1, 3] = 0.0
    unnorm[2, :4] = 0.0
    tables['p'] = probs
    tables['u'] = unnorm
    for seed in [2147483647 + 10, 42, 7]:
        steps = []
        for r in range(6):
            steps.append(multinomial(f'p:{r}', 1, False))
        for r in range(6):
            steps.append(multinomial(f'p:{r}', 1, True))
        steps += [
            multinomial('p:0', 5, False), multinomial('p:1', 27, False), multinomial('p:2', 20, True),
            multinomial('p:3', 1000, True), multinomial('p', 1, False), multinomial('p', 3, False),
            multinomial('p', 4, True), multinomial('u', 1, False), multinomial('u', 2, True),
            multinomial('p:4', 1, False, True), multinomial('p:5', 50, True, True),
            randn((3,)), multinomial('p:0', 1, False),
        ]
        case(f'multinomial seed {seed}', seed, steps)
    # The lecture's sampling loop: 20 names from a fixed bigram-ish table (probs[row] chosen by the last char).
    g = torch.Generator().manual_seed(2147483647 + 10)
    table = torch.softmax(torch.randn((27, 27), generator=pg) * 1.5, dim=1)
    names = []
    for _ in range(20):
        ix, out = 0, []
        while True:
            ix = torch.multinomial(table[ix], num_samples=1, generator=g).item()
            out.append(ix)
            if ix == 0 or len(out) > 50:
                break
        names.append(out)
    loop = {'table': table.reshape(-1).tolist(), 'seed': 2147483647 + 10, 'samples': names}
    # g.get_state() after a few histories (SHA-256 of its 5056 bytes), and one state to set_state from.
    states = []
    for seed, ops in [(None, []), (42, []), (42, ['randn3']), (-1, ['rand700']), (7, ['randn100000', 'randn1']),
                      (2**32 + 7, ['rand624']), (2147483647, ['rand624', 'rand1'])]:
        g = torch.Generator()
        if seed is not None:
            g.manual_seed(seed)
        for op in ops:
            if op.startswith('randn'):
                torch.randn(int(op[5:]), generator=g)
            else:
                torch.rand(int(op[4:]), generator=g)
        states.append({'seed': seed, 'ops': ops, 'sha256': hashlib.sha256(bytes(g.get_state().numpy())).hexdigest()})
    g = torch.Generator().manual_seed(7)
    torch.randn(5, generator=g)  # leaves a cached normal
    torch.rand(100, generator=g)
    blob = bytes(g.get_state().numpy())
    after = record(torch.randn(21, generator=g))
    set_state = {'state_b64': base64.b64encode(blob).decode('ascii'), 'randn21': after,
                 'then_randn3': record(torch.randn(3, generator=g))}
    return {'torch': torch.__version__, 'capability': torch.__config__.show().split('CPU capability usage: ')[1].split('\n')[0],
            'cases': cases, 'sampling_loop': loop, 'states': states, 'set_state': set_state, 'tables': {k: v.tolist() for k, v in tables.items()}}


def libm_sample():
    """glibc's logf/sinf/cosf and log/sin/cos (this machine's libm.so.6, as PyTorch calls them) on the arguments
    the generators produce: a grid of float uniforms, and float64 uniforms drawn by torch.rand(generator=g)."""
    import torch
    libm = ctypes.CDLL('libm.so.6')
    for name, t in [('logf', ctypes.c_float), ('sinf', ctypes.c_float), ('cosf', ctypes.c_float),
                    ('log', ctypes.c_double), ('sin', ctypes.c_double), ('cos', ctypes.c_double)]:
        getattr(libm, name).restype = t
        getattr(libm, name).argtypes = [t]
    f32 = lambda x: struct.unpack('<f', struct.pack('<f', x))[0]
    step = 4099
    fl, fs, fc = [], [], []
    for k in range(0, 1 << 24, step):
        u = k * 2.0**-24
        theta = f32(2 * 3.141592653589793 * u)
        fl.append(libm.logf(f32(1 - u)))
        fs.append(libm.sinf(theta))
        fc.append(libm.cosf(theta))
    g = torch.Generator().manual_seed(1234)
    us = torch.rand(4096, dtype=torch.float64, generator=g).tolist()
    dl = [libm.log(1 - u) for u in us]
    ds = [libm.sin(2 * 3.141592653589793 * u) for u in us]
    dc = [libm.cos(2 * 3.141592653589793 * u) for u in us]
    h = lambda fmt, xs: hashlib.sha256(struct.pack(f'<{len(xs)}{fmt}', *xs)).hexdigest()
    return {'float_step': step, 'logf': h('f', fl), 'sinf': h('f', fs), 'cosf': h('f', fc),
            'double_seed': 1234, 'double_n': 4096, 'log': h('d', dl), 'sin': h('d', ds), 'cos': h('d', dc)}


def main():
    if len(sys.argv) > 1 and sys.argv[1] == '--child':
        json.dump(run_cases(), sys.stdout)
        return
    runs = {}
    for cap in ['avx2', 'default', 'avx512']:
        env = dict(os.environ, ATEN_CPU_CAPABILITY=cap, OMP_NUM_THREADS='1')
        out = subprocess.run([sys.executable, os.path.abspath(__file__), '--child'], env=env, check=True, capture_output=True, text=True)
        runs[cap] = json.loads(out.stdout)
    avx2, default, avx512 = runs['avx2'], runs['default'], runs['avx512']

    def differing(a, b):
        diff = []
        for ca, cb in zip(a['cases'], b['cases']):
            for i, (da, db) in enumerate(zip(ca['draws'], cb['draws'])):
                if da['sha256'] != db['sha256']:
                    diff.append(f"{ca['name']} #{i} {da['op']} {da['size'] if 'size' in da else da.get('shape')}")
        return diff

    fixture = {
        'torch': avx2['torch'],
        'note': 'written by scripts/make_torch_rng_fixture.py; per draw: sha256 of the little-endian bytes, first/last values',
        'capability': {'avx2': avx2['capability'], 'default': default['capability'], 'avx512': avx512['capability']},
        'avx512_differs_from_avx2': differing(avx2, avx512),
        'default_differs_from_avx2': differing(avx2, default),
        'tables': avx2['tables'],
        'libm': libm_sample(),
        'states': avx2['states'],
        'set_state': avx2['set_state'],
        'avx2': {'cases': avx2['cases'], 'sampling_loop': avx2['sampling_loop']},
        'default': {'cases': default['cases']},
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w') as f:
        json.dump(fixture, f, separators=(',', ':'))
        f.write('\n')
    n = sum(len(c['draws']) for c in avx2['cases'])
    print(f"wrote {OUT}: {len(avx2['cases'])} cases, {n} draws per capability, {os.path.getsize(OUT)} bytes")
    print(f"capabilities: {fixture['capability']}")
    print(f"avx512 differs from avx2 in {len(fixture['avx512_differs_from_avx2'])} draws; default in {len(fixture['default_differs_from_avx2'])}")


if __name__ == '__main__':
    main()
