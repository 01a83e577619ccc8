// The reference matmul kernels are loop-ordered for the memory (i-p-j over a row of double accumulators);
// each output must still be the naive dot product: a double accumulated in ascending p, rounded once. So
// they are compared with the naive loops bit for bit (float32 and float64, odd sizes, signed zeros, NaN).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matmul, matmulNT, matmulTN } from '../../src/core/reference/matmul.js';
import { MT19937 } from '../../src/core/random/python.js';

type F = Float32Array | Float64Array;

function naive(out: F, get: (i: number, j: number, p: number) => number, n: number, k: number, m: number): void {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let acc = 0;
      for (let p = 0; p < k; p++) acc += get(i, j, p);
      out[i * m + j] = acc;
    }
  }
}

function fill(rng: MT19937, a: F): F {
  for (let i = 0; i < a.length; i++) a[i] = rng.normal() * 10 ** Math.floor(rng.random() * 6 - 3);
  if (a.length > 3) {
    a[0] = -0;
    a[1] = 1e30;
    a[2] = -1e30;
  }
  return a;
}

test('matmul, matmulNT, matmulTN equal the naive ascending-p double dot products, bit for bit', () => {
  const rng = new MT19937(11);
  let cases = 0;
  for (const mk of [(n: number) => new Float32Array(n), (n: number) => new Float64Array(n)]) {
    for (const [n, k, m] of [[1, 1, 1], [3, 5, 7], [32, 30, 200], [32, 200, 27], [7, 1, 9], [5, 13, 3], [4, 4, 4], [2, 300, 5]]) {
      const a = fill(rng, mk(n * k));
      const b = fill(rng, mk(k * m));
      const at = fill(rng, mk(k * n));
      const bt = fill(rng, mk(m * k));
      const got = mk(n * m);
      const want = mk(n * m);
      matmul(got, a, b, n, k, m);
      naive(want, (i, j, p) => a[i * k + p] * b[p * m + j], n, k, m);
      assert.deepEqual(got, want, `matmul ${n}x${k}x${m}`);
      matmulNT(got, a, bt, n, k, m);
      naive(want, (i, j, p) => a[i * k + p] * bt[j * k + p], n, k, m);
      assert.deepEqual(got, want, `matmulNT ${n}x${k}x${m}`);
      matmulTN(got, at, b, n, k, m);
      naive(want, (i, j, p) => at[p * n + i] * b[p * m + j], n, k, m);
      assert.deepEqual(got, want, `matmulTN ${n}x${k}x${m}`);
      cases += 3;
    }
  }
  const nan = new Float32Array([NaN, 1]);
  const out = new Float32Array(1);
  matmul(out, nan, new Float32Array([1, 1]), 1, 2, 1);
  assert.ok(Number.isNaN(out[0]), 'NaN propagates');
  console.log(`# matmul kernels: ${cases} size/dtype cases bitwise equal to the naive loops`);
});
