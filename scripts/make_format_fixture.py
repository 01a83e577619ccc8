#!/usr/bin/python3
"""Golden fixture for PyTorch's tensor printing (src/core/torch/format.ts, test/torch/format.test.ts).

Regenerate (from the repo root) with Debian's python3 and its python3-torch:

    /usr/bin/python3 scripts/make_format_fixture.py      # writes test/fixtures/format.json

Each case records a tensor (shape, dtype, its values or a recipe that JavaScript recomputes bit for bit),
whether it requires grad and its grad_fn's name, the torch.set_printoptions calls made before printing (in
order, from the defaults), and repr(t) as torch 1.13 prints it. Also torch.Size and dtype reprs.

Values: float32 as the shortest decimal that parses (to a double, then rounded to float32, as JavaScript's
Math.fround does) back to the same float32, or the exact double where that shortest form does not survive
the double rounding; float64 as Python's repr; int64 beyond 2**53 as a decimal string; nan/inf as strings; -0.0 as -0.0. A recipe is
    u_i = (i * a + c) % m                              (exact integers: i * a + c < 2**53)
    float: v_i = (u_i / m - offset) * scales[i % len(scales)]     (IEEE double, then cast to the dtype)
    int:   v_i = u_i - offset
    bool:  v_i = u_i % 2
with optional overrides {index: value}. The run is deterministic (seeded torch.Generator): the same bytes.
"""

import json
import math
import os
import random

import numpy as np
import torch

torch.set_num_threads(1)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'format.json')
DTYPES = {
    'float32': torch.float32, 'float64': torch.float64, 'float16': torch.float16, 'bfloat16': torch.bfloat16,
    'int64': torch.int64, 'int32': torch.int32, 'int16': torch.int16, 'int8': torch.int8, 'uint8': torch.uint8,
    'bool': torch.bool,
}
NAME = {v: k for k, v in DTYPES.items()}

cases = []
gen = torch.Generator().manual_seed(1234)


def enc(v, dtype):
    """One value for JSON, exact for its dtype."""
    if dtype == 'bool':
        return 1 if v else 0
    if dtype in ('int64', 'int32', 'int16', 'int8', 'uint8'):
        return int(v) if abs(int(v)) <= 2 ** 53 else str(int(v))  # beyond 2**53: a string, read as a BigInt
    v = float(v)
    if math.isnan(v):
        return 'nan'
    if math.isinf(v):
        return 'inf' if v > 0 else '-inf'
    if dtype == 'float32':
        s = repr(np.float32(v))  # 'np.float32(0.1)' in numpy 2, '0.1' in numpy 1
        s = s[s.find('(') + 1:s.rfind(')')] if '(' in s else s
        short = float(s)
        if float(np.float32(short)) == v and math.copysign(1, short) == math.copysign(1, v):
            return short
    return v


def dec(v):
    if v == 'nan':
        return float('nan')
    if v == 'inf':
        return float('inf')
    if v == '-inf':
        return float('-inf')
    return v


def recipe_values(r):
    n, a, c, m = r['n'], r['a'], r['c'], r['m']
    out = []
    for i in range(n):
        assert i * a + c < 2 ** 53
        u = (i * a + c) % m
        if r['kind'] == 'float':
            v = (u / m - r['offset']) * r['scales'][i % len(r['scales'])]
        elif r['kind'] == 'int':
            v = u - r['offset']
        else:
            v = u % 2 == 1
        out.append(v)
    for k, v in r.get('set', {}).items():
        out[int(k)] = dec(v)
    return out


def run_opts(calls):
    torch.set_printoptions(profile='default')
    torch.set_printoptions(sci_mode=None)
    for kw in calls:
        kw = {k: (float('inf') if v == 'inf' else v) for k, v in kw.items()}
        torch.set_printoptions(**kw)


def add(name, t, opts=(), recipe=None):
    """Record repr(t) under the print options `opts` (a list of set_printoptions kwargs)."""
    dtype = NAME[t.dtype]
    case = {'name': name, 'shape': list(t.shape), 'dtype': dtype}
    flat = t.detach().reshape(-1)
    if dtype in ('float16', 'bfloat16'):
        flat = flat.float()
    if recipe is not None:
        case['recipe'] = recipe
        got = torch.tensor(recipe_values(recipe), dtype=t.dtype)
        same = torch.equal(got.reshape(-1), t.detach().reshape(-1)) or (
            t.is_floating_point() and torch.equal(torch.nan_to_num(got), torch.nan_to_num(t.detach().reshape(-1))))
        assert same, name
    else:
        case['values'] = [enc(v, dtype) for v in flat.tolist()]
    if t.requires_grad:
        case['requires_grad'] = True
    if t.grad_fn is not None:
        case['grad_fn'] = type(t.grad_fn).__name__
    if opts:
        case['printoptions'] = list(opts)
    run_opts(opts)
    try:
        case['expected'] = repr(t)
        assert str(t) == case['expected']
    except RuntimeError as e:  # torch's own failure (edgeitems=0 on a summarised n-d tensor): its message
        case['error'] = str(e)
    run_opts(())
    cases.append(case)


def from_recipe(name, shape, dtype, recipe, opts=(), requires_grad=False):
    vals = recipe_values(recipe)
    t = torch.tensor(vals, dtype=DTYPES[dtype]).reshape(shape)
    if requires_grad:
        t.requires_grad_(True)
    add(name, t, opts, recipe)


def randn(*shape, dtype=torch.float32):
    return torch.randn(tuple(shape), generator=gen, dtype=torch.float64).to(dtype)


SCALES = [1e-9, 1e-6, 1e-5, 1e-4, 3e-4, 1e-3, 0.01, 0.1, 1.0, 7.0, 10.0, 100.0, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 3e8,
          1e10, 1e15, 1e20, 1e25, 1e30]
SHAPES = [(), (1,), (5,), (3, 4), (2, 3, 4)]

# 1. Gaussian floats at many scales, float32 and float64.
for s in SCALES:
    for shape in SHAPES:
        add(f'randn*{s:g} {list(shape)} f32', randn(*shape) * s)
    add(f'randn*{s:g} [7] f64', randn(7, dtype=torch.float64) * s)

# 2. Mixed scales: ratios either side of 1000, max either side of 1e8, min either side of 1e-4.
MIXES = [
    [1.0, 999.0], [1.0, 1000.0], [1.0, 1001.0], [0.5, 500.5], [0.5, 501.0], [1.5, 1500.0], [1.5, 1501.5],
    [0.0001, 0.05], [0.0001, 0.1], [0.0001, 0.2], [0.00009, 0.01], [0.00011, 0.05], [1e-4, 1.0],
    [9.9e7, 1.5], [1e8, 2.5e5], [1.5e8, 2e5], [99999999.0, 0.5e5], [1e8, 1.5e5], [100000000.5, 2e5],
    [1.5, -2.25, 3.0], [-1234.5678, 0.5, 3.14159], [1e-5, 1e5], [3.0, 1e-7, -2.0, 0.0], [-0.5, 1e4, 7.25],
    [12345.678, -0.1], [123456.78, 1.0], [0.0, 0.0001, 0.1], [2.5, float('nan'), 3e5],
]
for vals in MIXES:
    for dt in (torch.float32, torch.float64):
        add(f'mix {vals} {NAME[dt]}', torch.tensor(vals, dtype=dt))

# 3. Integer-valued floats (int_mode), with and without sci mode.
INTF = [
    [1.0, 2.0, 3.0], [0.0, -5.0, 100.0], [1.0, 1000.0], [1.0, 1001.0], [-1.0, 1001.0], [1e8, 1.0e6],
    [1e8, 2e8], [100000000.0, 5e5], [123456789.0, 1e6], [3.0, -3.0, 0.0, -0.0], [1e9], [-1e10, 2e10, 3e10],
    [1e15, 1e14], [2.0 ** 40, 1.0], [7.0], [-7.0], [1e20, 1e19], [5.0, float('inf')], [5.0, float('nan'), -float('inf')],
    [12345678.0, 1.0e7], [99999999.0, 1e5], [1024.0, 2048.0, 4096.0], [16777216.0, 16777215.0],
]
for vals in INTF:
    for dt in (torch.float32, torch.float64):
        add(f'intf {vals} {NAME[dt]}', torch.tensor(vals, dtype=dt))
add('intf 2x3', torch.tensor([[1.0, 20.0, 300.0], [-4.0, 5.0, -60.0]]))
add('intf arange 20', torch.arange(20).float())
add('intf 3x4x2 sci', torch.arange(24).float().reshape(3, 4, 2) * 1e6)

# 4. Special values: nan, inf, -inf, -0.0, all zeros, all non-finite.
SPECIAL = [
    [float('nan')], [float('inf')], [-float('inf')], [0.0], [-0.0], [0.0, 0.0, 0.0], [-0.0, 0.0],
    [float('nan'), float('inf'), -float('inf')], [float('nan'), 1.5], [float('nan'), 1e-5], [-float('inf'), 1e5, 0.5],
    [float('inf'), 1.25, -0.0], [-0.0, 0.5, -0.5], [-0.0, 1e-5], [-0.0, 1.0], [-0.00001, 1.0], [-0.00004, 0.5],
    [0.0, float('nan')], [1e-45, 1.0], [3.4e38, -3.4e38], [1e-40, 1e-38], [-1e-10, 1e-10],
]
for vals in SPECIAL:
    for dt in (torch.float32, torch.float64):
        add(f'special {vals} {NAME[dt]}', torch.tensor(vals, dtype=dt))
for v in [float('nan'), float('inf'), -float('inf'), 0.0, -0.0, 1e-5, -3.0, 2.5, 1e10, 123.456, -0.00005]:
    add(f'0-d {v}', torch.tensor(v))
    add(f'0-d {v} f64', torch.tensor(v, dtype=torch.float64))
add('nan 2x2', torch.full((2, 2), float('nan')))
add('zeros 3x3', torch.zeros(3, 3))
add('zeros 2x2 f64', torch.zeros(2, 2, dtype=torch.float64))

# 5. Rounding ties: Python rounds the exact binary value half to even.
TIES = [0.03125, 0.15625, -0.03125, 1.00005, 0.00005, 2.5, 0.5, 1.5, 0.125, 0.375, 1.03125, 999.96875,
        99999.99995, 9.99995, 0.99995, 0.99999, 1.99995, -9.99995, 0.000099995]
for v in TIES:
    add(f'tie {v} f32', torch.tensor([v, 1.0]))
    add(f'tie {v} f64', torch.tensor([v, 1.0], dtype=torch.float64))
for p in (0, 1, 2, 3):
    add(f'ties p={p}', torch.tensor([0.5, 1.5, 2.5, 0.125, 0.375, 0.0625, 3.25]), [{'precision': p}])
    add(f'ties p={p} sci', torch.tensor([0.5, 1.5, 2.5, 1250.0, 0.375, 0.0625, 3.25e5]), [{'precision': p}])

# 6. Integer dtypes and bool.
INTS = [[0], [1, 2, 3], [-1, 0, 1], [1000, -5, 7], [123456789, 1], [-9223372036854775807, 5],
        [2 ** 53, -(2 ** 53)], [9007199254740993, 1], [0, 0, 0], [-100, 100], [42]]
for vals in INTS:
    add(f'int64 {vals}', torch.tensor(vals, dtype=torch.int64))
for dt in (torch.int32, torch.int16, torch.int8, torch.uint8):
    add(f'{NAME[dt]} small', torch.tensor([1, 2, 30, 0, 100], dtype=dt))
    add(f'{NAME[dt]} 0-d', torch.tensor(7, dtype=dt))
    add(f'{NAME[dt]} 2x3', torch.tensor([[1, 2, 3], [4, 5, 6]], dtype=dt))
add('int32 neg', torch.tensor([-2147483648, 2147483647], dtype=torch.int32))
add('int64 0-d', torch.tensor(5))
add('int64 0-d neg', torch.tensor(-12345))
add('int64 2x3', torch.tensor([[1, -2, 3], [400, 5, -6000]]))
add('int64 3x2x2', torch.arange(12).reshape(3, 2, 2) - 5)
add('int64 arange 40', torch.arange(40))
add('int64 arange 100 squared', torch.arange(100) ** 2)
add('int32 arange 50', torch.arange(50, dtype=torch.int32))
add('bool 1-d', torch.tensor([True, False, True]))
add('bool all true', torch.tensor([True, True]))
add('bool all false', torch.tensor([False]))
add('bool 0-d', torch.tensor(True))
add('bool 0-d false', torch.tensor(False))
add('bool 3x4', torch.arange(12).reshape(3, 4) % 3 == 0)
add('bool 40', torch.arange(40) % 3 == 1)

# 7. Half precision (printed via float()).
add('float16', torch.tensor([1.5, -2.25, 0.1, 65504.0], dtype=torch.float16))
add('float16 0-d', torch.tensor(3.14159, dtype=torch.float16))
add('float16 int', torch.tensor([1.0, 2.0], dtype=torch.float16))
add('bfloat16', torch.tensor([1.5, -2.25, 0.1, 1e10], dtype=torch.bfloat16))

# 8. Shapes: 2-d, 3-d, 4-d, wrapping (1-d past linewidth), ones and unit dims.
for shape in [(1, 1), (1, 5), (5, 1), (2, 1, 3), (3, 1), (1, 1, 1), (2, 2, 2, 2), (1, 2, 1, 2), (4, 7), (7, 4),
              (2, 3, 4, 5), (3, 3, 3)]:
    add(f'randn {list(shape)}', randn(*shape))
    add(f'randint {list(shape)}', torch.randint(-50, 50, shape, generator=gen))
for n in [10, 11, 12, 13, 14, 15, 16, 20, 25, 40, 64, 100]:
    add(f'wrap randn {n}', randn(n))
    add(f'wrap randn*100 {n}', randn(n) * 100)
    add(f'wrap randn*1e-5 {n} sci', randn(n) * 1e-5)
    add(f'wrap int {n}', torch.randint(0, 10 ** (n % 7 + 1), (n,), generator=gen))
for shape in [(2, 30), (3, 2, 20), (30, 8), (8, 13), (2, 3, 27)]:
    add(f'wrap randn {list(shape)}', randn(*shape))
add('lecture logits-like 6x27', randn(6, 27) * 2)
add('lecture probs row', torch.softmax(randn(27), 0))
add('lecture emb 4x3x2', randn(4, 3, 2))

# 9. Summaries: past the threshold (1000), every dim.
from_recipe('sum 1-d 1001', [1001], 'float32', {'kind': 'float', 'n': 1001, 'a': 2654435761, 'c': 12345, 'm': 2 ** 32, 'offset': 0.5, 'scales': [2.0]})
from_recipe('sum 1-d 1000 (not summarised)', [1000], 'float32', {'kind': 'float', 'n': 1000, 'a': 2654435761, 'c': 7, 'm': 2 ** 32, 'offset': 0.5, 'scales': [1.0]})
from_recipe('sum 30x64', [30, 64], 'float32', {'kind': 'float', 'n': 1920, 'a': 2654435761, 'c': 99, 'm': 2 ** 32, 'offset': 0.5, 'scales': [1.0, 3.0]})
from_recipe('sum 64x27', [64, 27], 'float32', {'kind': 'float', 'n': 1728, 'a': 2246822519, 'c': 1, 'm': 2 ** 32, 'offset': 0.25, 'scales': [0.1]})
from_recipe('sum 64x27 sci', [64, 27], 'float32', {'kind': 'float', 'n': 1728, 'a': 2246822519, 'c': 5, 'm': 2 ** 32, 'offset': 0.5, 'scales': [1e-6, 1.0, 1e3]})
from_recipe('sum 1000x2', [1000, 2], 'float32', {'kind': 'float', 'n': 2000, 'a': 3266489917, 'c': 3, 'm': 2 ** 32, 'offset': 0.5, 'scales': [10.0]})
from_recipe('sum 2x1000', [2, 1000], 'float32', {'kind': 'float', 'n': 2000, 'a': 3266489917, 'c': 4, 'm': 2 ** 32, 'offset': 0.5, 'scales': [10.0]})
from_recipe('sum 10x10x11', [10, 10, 11], 'float32', {'kind': 'float', 'n': 1100, 'a': 668265263, 'c': 4, 'm': 2 ** 32, 'offset': 0.5, 'scales': [1.0]})
from_recipe('sum 4x5x6x10', [4, 5, 6, 10], 'float32', {'kind': 'float', 'n': 1200, 'a': 374761393, 'c': 4, 'm': 2 ** 32, 'offset': 0.5, 'scales': [1.0]})
from_recipe('sum 200x200 f64', [200, 200], 'float64', {'kind': 'float', 'n': 40000, 'a': 2654435761, 'c': 17, 'm': 2 ** 32, 'offset': 0.5, 'scales': [1.0, 0.01]})
from_recipe('sum 1-d 5000 int64', [5000], 'int64', {'kind': 'int', 'n': 5000, 'a': 37, 'c': 0, 'm': 101, 'offset': 50})
from_recipe('sum 50x50 int64', [50, 50], 'int64', {'kind': 'int', 'n': 2500, 'a': 2654435761, 'c': 0, 'm': 1000003, 'offset': 500000})
from_recipe('sum 2000 bool', [2000], 'bool', {'kind': 'bool', 'n': 2000, 'a': 2654435761, 'c': 0, 'm': 2 ** 32})
from_recipe('sum 40x40 bool', [40, 40], 'bool', {'kind': 'bool', 'n': 1600, 'a': 2654435761, 'c': 1, 'm': 2 ** 32})
from_recipe('sum intf 1200', [1200], 'float32', {'kind': 'int', 'n': 1200, 'a': 37, 'c': 0, 'm': 101, 'offset': 50})
from_recipe('sum 1-d 1001 nan in middle (hidden)', [1001], 'float32', {'kind': 'float', 'n': 1001, 'a': 2654435761, 'c': 5, 'm': 2 ** 32, 'offset': 0.5, 'scales': [1.0], 'set': {'500': 'nan', '501': 1e-9}})
from_recipe('sum 1-d 1001 nan at edge', [1001], 'float32', {'kind': 'float', 'n': 1001, 'a': 2654435761, 'c': 5, 'm': 2 ** 32, 'offset': 0.5, 'scales': [1.0], 'set': {'0': 'nan', '1000': '-inf'}})
from_recipe('sum 1-d 2000 hidden tiny (not sci)', [2000], 'float32', {'kind': 'float', 'n': 2000, 'a': 2654435761, 'c': 5, 'm': 2 ** 32, 'offset': 0.5, 'scales': [1.0], 'set': {'1000': 1e-7}})
from_recipe('sum 1-d 1001 requires_grad', [1001], 'float32', {'kind': 'float', 'n': 1001, 'a': 2654435761, 'c': 8, 'm': 2 ** 32, 'offset': 0.5, 'scales': [1.0]}, requires_grad=True)
from_recipe('sum 30x64 f64', [30, 64], 'float64', {'kind': 'float', 'n': 1920, 'a': 2654435761, 'c': 99, 'm': 2 ** 32, 'offset': 0.5, 'scales': [1.0, 3.0]})
from_recipe('sum 7x200 int32', [7, 200], 'int32', {'kind': 'int', 'n': 1400, 'a': 48271, 'c': 11, 'm': 2147483647, 'offset': 1073741823})

# 10. Empty tensors.
for shape in [(0,), (0, 3), (3, 0), (2, 0, 3), (0, 0)]:
    for dt in (torch.float32, torch.float64, torch.int64, torch.int32, torch.bool, torch.float16):
        add(f'empty {list(shape)} {NAME[dt]}', torch.zeros(shape, dtype=dt))
add('empty requires_grad', torch.zeros(0, requires_grad=True))
add('empty 0x3 requires_grad f64', torch.zeros(0, 3, dtype=torch.float64, requires_grad=True))

# 11. Suffixes: dtype, requires_grad, grad_fn, and where they wrap.
x = randn(3).requires_grad_(True)
add('leaf requires_grad', x)
add('grad_fn Neg', -x)
add('grad_fn Mul', x * 2)
add('grad_fn Sum 0-d', x.sum())
add('grad_fn Neg 0-d', -(x.sum() / 3))
add('grad_fn Mean', x.mean())
add('grad_fn Tanh', x.tanh())
add('grad_fn View', x.view(3, 1))
add('grad_fn f64 Add', x.double() + 1)
add('grad_fn Exp 2x3', randn(2, 3).requires_grad_(True).exp())
add('requires_grad f64 0-d', torch.tensor(1.5, dtype=torch.float64, requires_grad=True))
add('requires_grad 0-d', torch.tensor(3.3377, requires_grad=True))
add('requires_grad 2x2', torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True))
add('f64 0-d', torch.tensor(2.0, dtype=torch.float64))
add('int32 0-d neg', torch.tensor(-3, dtype=torch.int32))
for n in range(6, 16):
    # lengths where the line just fits or not, so the suffix goes on its own line or not.
    add(f'suffix wrap f64 {n}', (torch.arange(n, dtype=torch.float64) + 0.5) * 1.25)
    add(f'suffix wrap grad {n}', ((torch.arange(n, dtype=torch.float32) + 0.5) * 1.25).requires_grad_(True))
    add(f'suffix wrap int32 {n}', torch.arange(n, dtype=torch.int32) * 100003)
    add(f'suffix wrap f64 grad_fn {n}', (torch.arange(n, dtype=torch.float64).requires_grad_(True) * 1.5))
add('suffix 2-d f64 grad_fn', (randn(3, 9, dtype=torch.float64).requires_grad_(True) * 2))
add('suffix 2-d f64 requires_grad', randn(2, 9, dtype=torch.float64).requires_grad_(True))

# 12. set_printoptions.
base = randn(4, 6)
small = randn(8) * 1e-3
big = torch.tensor([1.5, 123456.789, -0.25])
ints = torch.arange(30)
for opts in [
    [{'precision': 2}], [{'precision': 0}], [{'precision': 1}], [{'precision': 6}], [{'precision': 8}], [{'precision': 12}],
    [{'sci_mode': True}], [{'sci_mode': False}], [{'precision': 3, 'sci_mode': True}],
    [{'sci_mode': False}, {'precision': 2}],  # the second call resets sci_mode to None
    [{'linewidth': 40}], [{'linewidth': 120}], [{'linewidth': 20}], [{'linewidth': 5}],
    [{'threshold': 5}], [{'threshold': 5, 'edgeitems': 1}], [{'threshold': 10, 'edgeitems': 2}],
    [{'edgeitems': 1, 'threshold': 3}], [{'threshold': 0}], [{'threshold': 'inf'}],
    [{'profile': 'short'}], [{'profile': 'full'}], [{'profile': 'default'}], [{'profile': 'short', 'precision': 6}],
    [{'precision': 2}, {'profile': 'default'}], [{'profile': 'full', 'sci_mode': True}],
    [{'precision': 10, 'linewidth': 60}], [{'threshold': 20, 'edgeitems': 5}],
]:
    tag = json.dumps(opts)
    add(f'opts {tag} base', base, opts)
    add(f'opts {tag} small', small, opts)
    add(f'opts {tag} big', big, opts)
    add(f'opts {tag} ints', ints, opts)
add('opts sci_mode True zeros', torch.zeros(3), [{'sci_mode': True}])
add('opts sci_mode True intf', torch.tensor([1.0, 2.0, 30.0]), [{'sci_mode': True}])
add('opts sci_mode False tiny', torch.tensor([1e-6, 1e-7]), [{'sci_mode': False}])
add('opts sci_mode False huge', torch.tensor([1e10, -3e9]), [{'sci_mode': False}])
add('opts sci_mode False 0-d', torch.tensor(1e-8), [{'sci_mode': False}])
add('opts sci_mode True nan', torch.tensor([float('nan'), 1.5]), [{'sci_mode': True}])
add('opts sci_mode True int64', torch.tensor([1, 2]), [{'sci_mode': True}])
add('opts precision 20 f64', torch.tensor([0.1, 1 / 3], dtype=torch.float64), [{'precision': 20}])
add('opts precision 30 f32', torch.tensor([0.1, 1e-3]), [{'precision': 30}])
add('opts precision 120', torch.tensor([0.1, 1e-30]), [{'precision': 120}])
add('opts precision 0 sci 0-d', torch.tensor(1e-7), [{'precision': 0}])
add('opts edgeitems 0 threshold 2 1-d', torch.arange(10.0), [{'edgeitems': 0, 'threshold': 2}])
add('opts edgeitems 0 threshold 2 2-d', torch.arange(20.0).reshape(4, 5), [{'edgeitems': 0, 'threshold': 2}])
add('opts threshold 5 3-d', torch.arange(60).reshape(3, 4, 5), [{'threshold': 5}])
add('opts threshold 5 grad', randn(10).requires_grad_(True), [{'threshold': 5}])
add('opts linewidth 30 f64 grad_fn', (randn(5, dtype=torch.float64).requires_grad_(True) * 3), [{'linewidth': 30}])
add('opts linewidth 10 suffix', torch.tensor([1.5], dtype=torch.float64, requires_grad=True), [{'linewidth': 10}])

# 13. Fuzz: small tensors of mixed values (magnitudes 1e-8..1e10, short decimals that make rounding ties,
# integers, zeros of both signs, nan/inf), random dtypes, shapes, autograd and print options.
rng = random.Random(2024)


def fuzz_value(kind):
    r = rng.random()
    if kind == 'bool':
        return r < 0.5
    if kind == 'int':
        return rng.choice([0, 1, -1, rng.randint(-9, 9), rng.randint(-10 ** 6, 10 ** 6), rng.randint(-2 ** 40, 2 ** 40)])
    if r < 0.04:
        return rng.choice([float('nan'), float('inf'), -float('inf')])
    if r < 0.10:
        return rng.choice([0.0, -0.0])
    if r < 0.25:
        return float(rng.randint(-1000, 1000)) * rng.choice([1, 1, 1, 1e3, 1e6, 1e9])
    if r < 0.45:
        return round(rng.uniform(-10, 10), rng.randint(1, 5)) * rng.choice([1, 0.001, 100])
    return rng.gauss(0, 1) * 10.0 ** rng.randint(-8, 10)


for k in range(240):
    kind = rng.choice(['f32'] * 5 + ['f64'] * 2 + ['f16', 'int', 'int32', 'bool'])
    shape = tuple(rng.randint(1, 5) for _ in range(rng.choice([0, 1, 1, 1, 2, 2, 3])))
    n = math.prod(shape)
    vkind = 'bool' if kind == 'bool' else 'int' if kind.startswith('int') else 'float'
    # Either one family of magnitudes (auto decisions near their thresholds) or a free mix.
    if vkind == 'float' and rng.random() < 0.5:
        e = rng.randint(-6, 9)
        vals = [rng.gauss(0, 1) * 10.0 ** e for _ in range(n)]
    else:
        vals = [fuzz_value(vkind) for _ in range(n)]
    dt = {'f32': torch.float32, 'f64': torch.float64, 'f16': torch.float16, 'int': torch.int64,
          'int32': torch.int32, 'bool': torch.bool}[kind]
    if kind == 'int32':
        vals = [max(-2 ** 31, min(2 ** 31 - 1, v)) for v in vals]
    t = torch.tensor(vals, dtype=dt).reshape(shape)
    if t.is_floating_point() and rng.random() < 0.25:
        t.requires_grad_(True)
        if rng.random() < 0.5:
            t = rng.choice([lambda u: u * 1, lambda u: u.clone(), lambda u: -u, lambda u: u + 0])(t)
    opts = []
    if rng.random() < 0.4:
        o = {}
        if rng.random() < 0.5:
            o['precision'] = rng.randint(0, 8)
        if rng.random() < 0.4:
            o['linewidth'] = rng.randint(15, 140)
        if rng.random() < 0.3:
            o['sci_mode'] = rng.choice([True, False])
        if rng.random() < 0.3:
            o['threshold'] = rng.randint(1, 12)
            o['edgeitems'] = rng.randint(1, 3)
        opts.append(o)
    add(f'fuzz {k} {kind} {list(shape)}', t, opts)

os.makedirs(os.path.dirname(OUT), exist_ok=True)
doc = {
    'made_by': 'scripts/make_format_fixture.py',
    'torch': torch.__version__,
    'sizes': [{'shape': list(s), 'expected': repr(torch.Size(s))} for s in [(), (0,), (3,), (32, 27), (2, 0, 3), (1, 2, 3, 4)]],
    'dtypes': [{'dtype': k, 'expected': repr(v)} for k, v in DTYPES.items()],
    'cases': cases,
}
with open(OUT, 'w') as f:
    json.dump(doc, f, separators=(',', ':'), allow_nan=False)
    f.write('\n')
print(f'{len(cases)} cases -> {os.path.relpath(OUT)} ({os.path.getsize(OUT)} bytes)')
