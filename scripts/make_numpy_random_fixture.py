#!/usr/bin/python3
"""Fixture for numpy 1.24's legacy RandomState streams (src/core/random/numpy.ts, test/core/numpy-random.test.ts)
and its float summation order (src/core/numpy/summation.ts).

Regenerate (from the repo root) with Debian's python3 and its python3-numpy:

    /usr/bin/python3 scripts/make_numpy_random_fixture.py     # writes test/fixtures/numpy_random.json

For several seeds (ints, and an array seed) it records, in one stream per seed and in this order, what each
legacy function draws: random_sample, standard_normal with an odd count (so the polar method's cached second
value is left in the state) and then one more, normal, uniform, randint over ranges that take each path of
random_bounded_uint64_fill (one value, 32-bit masked, exactly 2^32 - 1, 64-bit masked) and of the narrow
dtypes' fills (uint8/int8, uint16/int16, bool: pieces of a 32-bit word; int32: the 32-bit fill), the permutation
shuffle leaves, and the state at the end. Then numpy's sums of normal draws (its pairwise order). Floats are
written as JSON numbers (repr: exact round trip).
"""

import json
import os
import sys

import numpy as np

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
OUT = os.path.join(ROOT, 'test', 'fixtures', 'numpy_random.json')
SEEDS = [0, 1, 42, 12345, 2 ** 32 - 1, [1, 2, 3], [2 ** 32 - 1, 0, 7, 11, 13]]
# (low, high): rng = high - 1 - low; 0 (one value), small, 2^32 - 1 exactly, past 2^32 (64-bit words)
RANGES = [(7, 8), (0, 10), (-5, 5), (0, 27), (0, 1000), (0, 2 ** 32), (-(2 ** 31), 2 ** 31), (0, 2 ** 32 + 5),
          (0, 2 ** 40), (-(2 ** 52), 2 ** 52)]
# randint with a narrow dtype takes 16-, 8- or 1-bit pieces of each 32-bit word
NARROW = [(0, 10, 'uint8'), (-5, 5, 'int8'), (0, 256, 'uint8'), (0, 1000, 'uint16'), (-300, 300, 'int16'),
          (0, 65536, 'uint16'), (0, 2, 'bool'), (1, 2, 'bool'), (0, 7, 'int32'), (0, 2 ** 31, 'int32')]


def stream(seed):
    rs = np.random.RandomState(seed)
    out = {'seed': seed}
    key = rs.get_state()[1]
    out['key_head'] = [int(v) for v in key[:4]]
    out['random_sample'] = rs.random_sample(10).tolist()
    out['standard_normal'] = rs.standard_normal(11).tolist()
    st = rs.get_state()
    out['cached'] = {'has_gauss': int(st[3]), 'gauss': float(st[4])}
    out['standard_normal_1'] = float(rs.standard_normal())
    out['normal'] = rs.normal(1.5, 2.25, 5).tolist()
    out['uniform'] = rs.uniform(-2.0, 3.0, 5).tolist()
    out['randint'] = [{'low': lo, 'high': hi, 'values': rs.randint(lo, hi, size=8, dtype=np.int64).tolist()}
                      for lo, hi in RANGES]
    out['randint_narrow'] = [{'low': lo, 'high': hi, 'dtype': dt,
                              'values': rs.randint(lo, hi, size=9, dtype=dt).astype(np.int64).tolist()}
                             for lo, hi, dt in NARROW]
    out['permutation'] = rs.permutation(20).tolist()
    out['permutation_1'] = rs.permutation(1).tolist()
    out['random_sample_after'] = rs.random_sample(3).tolist()
    st = rs.get_state()
    out['state_end'] = {'pos': int(st[2]), 'key_head': [int(v) for v in st[1][:4]],
                        'has_gauss': int(st[3]), 'gauss': float(st[4])}
    return out


def sums():
    """numpy's float sums (its pairwise order, 8192-value buffers) of RandomState(n).standard_normal(n) * 1000,
    in float64 and float32, for src/core/numpy/summation.ts."""
    out = []
    for n in (1, 5, 8, 100, 128, 129, 1000, 8192, 9000, 20000, 100000):
        x = np.random.RandomState(n).standard_normal(n) * 1000
        out.append({'n': n, 'sum64': float(x.sum()), 'sum32': float(x.astype(np.float32).sum())})
    m = np.random.RandomState(7).standard_normal((300, 7))
    out.append({'n': 2100, 'shape': [300, 7], 'axis0': m.sum(axis=0).tolist(), 'axis1': m.sum(axis=1)[:5].tolist()})
    return out


def main():
    fixture = {'__metadata__': {'numpy': np.__version__, 'python': sys.version.split()[0],
                                'script': 'scripts/make_numpy_random_fixture.py'},
               'streams': [stream(s) for s in SEEDS], 'sums': sums()}
    with open(OUT, 'w') as f:
        json.dump(fixture, f, indent=1)
        f.write('\n')
    print(f'wrote {os.path.relpath(OUT, ROOT)}', file=sys.stderr)


if __name__ == '__main__':
    main()
