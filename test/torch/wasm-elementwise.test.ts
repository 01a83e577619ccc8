// The library's float32 + - * / run in wasm SIMD, in place in the heap (assembly/torch.ts binaryF32), for
// the layouts that kernel takes: same shape, a Python number on either side, a row broadcast on either
// side, and in place. Each result must be what the JS loops compute: the double result of two floats,
// rounded once to float32, element by element (the oracle below), including infinities, NaN, signed zeros
// and subnormals, and the tails of rows whose length is not a multiple of 4.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matmul as refMatmul } from '../../src/core/reference/matmul.js';
import * as T from '../../src/core/torch/index.js';

const wasmAvailable = (): boolean => T.torchKernels() !== null;

const OPS: [T.BinaryOp, (x: number, y: number) => number][] = [
  ['add', (x, y) => x + y], ['sub', (x, y) => x - y], ['mul', (x, y) => x * y], ['div', (x, y) => x / y],
];
const SPECIAL = [0, -0, Infinity, -Infinity, NaN, 1e-45, -3e-42, 3.4028234663852886e38, 1, -1];

/** float32 values: mostly ordinary, some special, deterministic */
function values(n: number, seed: number): Float32Array {
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = i % 97 === 5 ? SPECIAL[(i + seed) % SPECIAL.length] : Math.sin(i * 0.731 + seed) * 10 ** ((i % 7) - 3);
  return v;
}

const ten = (v: Float32Array, shape: number[]): T.Tensor => T.fromData(v, 'float32', shape);

function expectEach(got: ArrayLike<number>, want: (i: number) => number, what: string): void {
  for (let i = 0; i < got.length; i++) {
    const w = Math.fround(want(i));
    if (!Object.is(got[i], w)) assert.fail(`${what}: [${i}] ${got[i]} vs ${w}`);
  }
}

test('float32 + - * / in wasm equal the rounded double result, every layout', { skip: wasmAvailable() ? false : 'no wasm SIMD here' }, () => {
  for (const [rows, cols] of [[32, 200], [33, 31], [7, 1030], [1, 2053], [300, 5]]) {
    const n = rows * cols;
    const A = values(n, 1);
    const B = values(n, 2);
    const R = values(cols, 3);
    const a = ten(A, [rows, cols]);
    for (const [op, f] of OPS) {
      const tag = `${op} ${rows}x${cols}`;
      expectEach(T.values(T.binary(op, a, ten(B, [rows, cols]))), (i) => f(A[i], B[i]), `${tag} same shape`);
      expectEach(T.values(T.binary(op, a, ten(R, [1, cols]))), (i) => f(A[i], R[i % cols]), `${tag} row [1, C] right`);
      expectEach(T.values(T.binary(op, ten(R, [cols]), a)), (i) => f(R[i % cols], A[i]), `${tag} row [C] left`);
      for (const [x, kind] of [[0.1, 'float'], [3, 'int'], [-1e-40, 'float']] as const) {
        const xf = Math.fround(x);
        expectEach(T.values(T.binaryScalar(op, a, x, kind, false)), (i) => f(A[i], xf), `${tag} scalar ${x}`);
        expectEach(T.values(T.binaryKernel(op, a, x, kind, true, null)), (i) => f(xf, A[i]), `${tag} reversed scalar ${x}`);
      }
      // the public reversed division is PyTorch's a.reciprocal() * x: two roundings
      const rdiv = op === 'div' ? (i: number) => Math.fround(1 / A[i]) * Math.fround(0.1) : (i: number) => f(Math.fround(0.1), A[i]);
      expectEach(T.values(T.binaryScalar(op, a, 0.1, 'float', true)), rdiv, `${tag} 0.1 ${op} a`);
      if (op === 'add') expectEach(T.values(T.powScalar(a, 2, 'int')), (i) => A[i] * A[i], `${rows}x${cols} a ** 2`);
      const c = T.clone(a);
      T.binaryInplace(op, c, ten(R, [cols]));
      expectEach(T.values(c), (i) => f(A[i], R[i % cols]), `${tag} in place, row`);
      const d = T.clone(a);
      T.binaryInplace(op, d, 0.5);
      expectEach(T.values(d), (i) => f(A[i], 0.5), `${tag} in place, scalar`);
    }
  }
});

test('a strided or offset operand takes the JS loops and gives the same values', { skip: wasmAvailable() ? false : 'no wasm SIMD here' }, () => {
  const A = values(64 * 40, 4);
  const a = ten(A, [64, 40]);
  const at = T.T(a); // [40, 64], not contiguous
  const b = ten(values(40 * 64, 5), [40, 64]);
  const got = T.values(T.binary('mul', at, b));
  const bv = T.values(b);
  expectEach(got, (i) => A[(i % 64) * 40 + Math.floor(i / 64)] * bv[i], 'transposed * contiguous');
  const row = T.getitem(a, [{ kind: 'int', i: 3 }]); // offset view, 40 elements: below the wasm size
  expectEach(T.values(T.binaryScalar('add', row, 1, 'int', false)), (i) => A[3 * 40 + i] + 1, 'offset row');
});

test('copies keep the sign of zero (clone, contiguous, x[i] = v), as PyTorch', () => {
  const z = ten(new Float32Array([-0, 0, -0, 1]), [2, 2]);
  const same = (v: ArrayLike<number>, want: number[], what: string): void => {
    want.forEach((w, i) => assert.ok(Object.is(v[i], w), `${what}: [${i}] ${v[i]} vs ${w}`));
  };
  same(T.values(T.clone(z)), [-0, 0, -0, 1], 'clone');
  same(T.values(T.contiguous(T.T(z))), [-0, -0, 0, 1], 'contiguous of the transpose');
  const dst = T.zeros([2]);
  T.setitem(dst, [{ kind: 'int', i: 0 }], T.fromData(new Float32Array([-0]), 'float32', []));
  same(T.values(dst), [-0, 0], 'x[0] = -0.');
});

test('sum, mean, var, std over leading dimensions in wasm: double sums in row order, rounded once', { skip: wasmAvailable() ? false : 'no wasm SIMD here' }, () => {
  for (const shape of [[32, 200], [33, 31], [4, 8, 65], [1030, 3], [2, 1025]]) {
    const n = shape.reduce((p, d) => p * d, 1);
    const X = values(n, 6);
    X[7] = NaN; // one NaN column, and an infinity in another
    X[shape[shape.length - 1] + 2] = Infinity;
    const x = ten(X, shape);
    for (const q of [1, shape.length - 1]) {
      const dims = Array.from({ length: q }, (_, i) => i);
      const c = shape.slice(q).reduce((p, d) => p * d, 1);
      const r = n / c;
      const sum = new Float64Array(c);
      for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) sum[j] += X[i * c + j];
      const mu = sum.map((s) => s / r);
      const sq = new Float64Array(c);
      for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) { const d = X[i * c + j] - mu[j]; sq[j] += d * d; }
      const tag = `[${shape}] over ${q} dim(s)`;
      expectEach(T.values(T.sumDims(x, dims)), (j) => sum[j], `${tag} sum`);
      expectEach(T.values(T.mean(x, dims, true)), (j) => mu[j], `${tag} mean`);
      expectEach(T.values(T.variance(x, dims, 1, false, false)), (j) => sq[j] / (r - 1), `${tag} var`);
      expectEach(T.values(T.variance(x, dims, 0, true, true)), (j) => Math.sqrt(sq[j] / r), `${tag} std, biased`);
    }
  }
});

test('large tensors (300,000 elements) run in place in the heap with the same bits', { skip: wasmAvailable() ? false : 'no wasm SIMD here' }, () => {
  const [rows, cols] = [2000, 150];
  const n = rows * cols;
  const A = values(n, 7);
  const B = values(n, 8);
  const R = values(cols, 9);
  const a = ten(A, [rows, cols]);
  expectEach(T.values(T.binary('sub', a, ten(B, [rows, cols]))), (i) => A[i] - B[i], 'same shape');
  expectEach(T.values(T.binary('mul', ten(R, [cols]), a)), (i) => R[i % cols] * A[i], 'row on the left');
  expectEach(T.values(T.binary('div', a, ten(R, [1, cols]))), (i) => A[i] / R[i % cols], 'row on the right');
  expectEach(T.values(T.binaryKernel('sub', a, 0.25, 'float', true, null)), (i) => 0.25 - A[i], 'reversed scalar');
  const c = T.clone(a);
  T.binaryInplace('add', c, ten(R, [cols]));
  expectEach(T.values(c), (i) => A[i] + R[i % cols], 'in place');
  const sum = new Float64Array(cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) sum[j] += A[i * cols + j];
  expectEach(T.values(T.sumDims(a, 0)), (j) => sum[j], 'sum(0)');
  // a matmul of the same size, in place
  const W = values(cols * cols, 10);
  const want = new Float32Array(n);
  refMatmul(want, A, W, rows, cols, cols);
  const got = T.values(T.matmul(a, ten(W, [cols, cols])));
  expectEach(got, (i) => want[i], 'matmul');
});
