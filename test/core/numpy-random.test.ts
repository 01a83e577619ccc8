// numpy 1.24's legacy RandomState streams, draw by draw, against Debian's numpy 1.24.2
// (test/fixtures/numpy_random.json, written by scripts/make_numpy_random_fixture.py): for int and array seeds,
// random_sample, standard_normal (the polar method's cached second value included), normal, uniform, randint
// over each path of the masked bounded-integer fill, permutation, and the state left at the end. Every double
// must be equal bit for bit (deepEqual on numbers: JSON keeps a float64 exactly).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { reduceSum } from '../../src/core/numpy/summation.js';
import { NumpyRandomState } from '../../src/core/random/numpy.js';
import { REPO } from '../helpers.js';

interface Stream {
  seed: number | number[];
  key_head: number[];
  random_sample: number[];
  standard_normal: number[];
  cached: { has_gauss: number; gauss: number };
  standard_normal_1: number;
  normal: number[];
  uniform: number[];
  randint: { low: number; high: number; values: number[] }[];
  randint_narrow: { low: number; high: number; dtype: string; values: number[] }[];
  permutation: number[];
  permutation_1: number[];
  random_sample_after: number[];
  state_end: { pos: number; key_head: number[]; has_gauss: number; gauss: number };
}

interface Sum {
  n: number;
  sum64?: number;
  sum32?: number;
  shape?: [number, number];
  axis0?: number[];
  axis1?: number[];
}

const FIXTURE = JSON.parse(readFileSync(join(REPO, 'test', 'fixtures', 'numpy_random.json'), 'utf8')) as {
  __metadata__: { numpy: string };
  streams: Stream[];
  sums: Sum[];
};

const f64 = (n: number): Float64Array => new Float64Array(n);

test('the fixture is numpy 1.24', () => {
  assert.match(FIXTURE.__metadata__.numpy, /^1\.24\./);
  assert.ok(FIXTURE.streams.length >= 5);
});

for (const s of FIXTURE.streams) {
  test(`RandomState(${JSON.stringify(s.seed)}): every draw equals numpy's, bit for bit`, () => {
    const rs = new NumpyRandomState();
    if (Array.isArray(s.seed)) rs.seedByArray(s.seed);
    else rs.seed(s.seed);
    assert.deepEqual(rs.getState().key.slice(0, 4), s.key_head, 'seeding');
    assert.deepEqual(Array.from(rs.fillDouble(f64(10))), s.random_sample, 'random_sample');
    assert.deepEqual(Array.from(rs.fillNormal(f64(11))), s.standard_normal, 'standard_normal');
    const st = rs.getState();
    assert.deepEqual({ has_gauss: st.hasGauss ? 1 : 0, gauss: st.gauss }, s.cached, 'the cached second normal');
    assert.equal(rs.gauss(), s.standard_normal_1, 'the cached normal comes out next');
    assert.deepEqual(Array.from(rs.fillNormal(f64(5), 1.5, 2.25)), s.normal, 'normal(1.5, 2.25)');
    assert.deepEqual(Array.from(rs.fillUniform(f64(5), -2.0, 3.0 - -2.0)), s.uniform, 'uniform(-2, 3)');
    for (const r of s.randint) {
      const got = Array.from(rs.fillBounded(f64(8), r.low, r.high - 1 - r.low));
      assert.deepEqual(got, r.values, `randint(${r.low}, ${r.high})`);
    }
    for (const r of s.randint_narrow) {
      const rng = r.high - 1 - r.low;
      const bits = r.dtype === 'bool' ? 1 : /8$/.test(r.dtype) ? 8 : /16$/.test(r.dtype) ? 16 : 32;
      const got =
        bits === 32 ? rs.fillBounded(f64(9), r.low, rng) : rs.fillBoundedNarrow(f64(9), r.low, rng, bits);
      assert.deepEqual(Array.from(got), r.values, `randint(${r.low}, ${r.high}, dtype=${r.dtype})`);
    }
    assert.deepEqual(Array.from(rs.shufflePermutation(20)), s.permutation, 'permutation(20)');
    assert.deepEqual(Array.from(rs.shufflePermutation(1)), s.permutation_1, 'permutation(1)');
    assert.deepEqual(Array.from(rs.fillDouble(f64(3))), s.random_sample_after, 'random_sample after');
    const end = rs.getState();
    assert.deepEqual(
      { pos: end.pos, key_head: end.key.slice(0, 4), has_gauss: end.hasGauss ? 1 : 0, gauss: end.gauss },
      s.state_end,
      'the state at the end',
    );
  });
}

test('set_state restores a stream mid-way; bad seeds and states are refused', () => {
  const a = new NumpyRandomState(7);
  a.fillNormal(f64(3)); // leaves a cached normal
  const saved = a.getState();
  const first = Array.from(a.fillNormal(f64(4)));
  const b = new NumpyRandomState(0);
  b.setState(saved);
  assert.deepEqual(Array.from(b.fillNormal(f64(4))), first);
  assert.throws(() => a.seed(-1), /between 0 and 2\*\*32 - 1/);
  assert.throws(() => a.seed(2 ** 32), /between 0 and 2\*\*32 - 1/);
  assert.throws(() => a.seedByArray([]), /non-empty/);
  assert.throws(() => a.setState({ ...saved, pos: 625 }), /pos must be in/);
  assert.throws(() => a.fillBounded(f64(1), 0, 2 ** 53), /past 2\^53/);
});

test("float sums in numpy's order (pairwise, 8192-value buffers, rows added in turn), bit for bit", () => {
  for (const s of FIXTURE.sums) {
    if (s.shape === undefined) {
      const x = new NumpyRandomState(s.n).fillNormal(f64(s.n)).map((v) => v * 1000);
      assert.equal(reduceSum(x, 1, 1, s.n, true, false)[0], s.sum64, `sum of ${s.n} float64`);
      assert.equal(reduceSum(x.map(Math.fround), 1, 1, s.n, true, true)[0], s.sum32, `sum of ${s.n} float32`);
    } else {
      const [r, c] = s.shape;
      const m = new NumpyRandomState(7).fillNormal(f64(r * c));
      // axis 0: the rows add in turn (the last axis is kept: one value per column, each over r rows)
      const cols = f64(r * c);
      for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) cols[j * r + i] = m[i * c + j];
      assert.deepEqual(Array.from(reduceSum(cols, c, r, 1, false, false)), s.axis0, 'sum(axis=0)');
      assert.deepEqual(Array.from(reduceSum(m, r, 1, c, true, false)).slice(0, 5), s.axis1, 'sum(axis=1)');
    }
  }
});
