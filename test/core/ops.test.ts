// The fused layers of ops.ts (the training path: exercise 2 is crossEntropyBackward, exercise 3 is
// batchnormBackward), each checked three ways: tiny inputs whose answer is worked out by hand in the
// comments, the autograd running the lecture's chunked ops on random shapes, and float64 finite differences
// of the fused forward itself (no autograd involved).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as T from '../../src/core/torch/index.js';
import { ag, gradOf, valuesOf, type Var } from '../ag.js';
import { BN_EPS } from '../../src/core/reference/model.js';
import {
  batchnormBackward, batchnormForward, crossEntropyBackward, crossEntropyForward, embeddingBackward,
  embeddingForward, linearBackward, linearForward, tanhBackward, tanhForward,
} from '../../src/core/reference/ops.js';
import { MT19937 } from '../../src/core/random/python.js';
import { expectClose, numericGrad, randn } from '../helpers.js';

const f64 = (xs: number[]): Float64Array => Float64Array.from(xs);
const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};
/** L = sum(y * R) as an autograd scalar: the gradient reaching y is R. */
const weightedSum = (y: Var, R: Float64Array): Var => T.sumDims(ag.mul(y, T.fromData(R, 'float64', y.shape)), null);
const v64 = (shape: number[], data: Float64Array): Var => ag.leaf({ shape, data });
// float64 against float64: the fused and the chunked forms differ only in summation order
const TIGHT = { atol: 1e-12, rtol: 1e-10 };
// finite differences: five-point stencil truncation ~1e-12, cancellation ~1e-13 / h
const FD = { atol: 1e-9, rtol: 1e-7 };

// ---------------------------------------------------------------------------------------------------------
// embedding

test('embedding: hand-checked forward and backward (a row used twice sums twice)', () => {
  // C (V=3, E=2) = [[1,2],[3,4],[5,6]]; X (B=2, T=2) = [[2,0],[1,1]]
  const C = f64([1, 2, 3, 4, 5, 6]);
  const X = Int32Array.from([2, 0, 1, 1]);
  const out = new Float64Array(8);
  embeddingForward(out, X, C, 2, 2, 2);
  // rows C[2], C[0], C[1], C[1] side by side
  assert.deepEqual(Array.from(out), [5, 6, 1, 2, 3, 4, 3, 4]);
  // dout = 1..8: C[2] gets [1,2], C[0] gets [3,4], C[1] gets [5,6] + [7,8] = [12,14]; dC starts at 1 (+=)
  const dC = new Float64Array(6).fill(1);
  embeddingBackward(dC, f64([1, 2, 3, 4, 5, 6, 7, 8]), X, 2, 2, 2);
  assert.deepEqual(Array.from(dC), [4, 5, 13, 15, 2, 3]);
});

test('embedding: random shape against the autograd and finite differences', () => {
  const rng = new MT19937(1);
  const [V, E, B, T] = [7, 3, 4, 5];
  const C = randn(rng, V * E);
  const X = Int32Array.from({ length: B * T }, () => rng.randbelow(V));
  const R = randn(rng, B * T * E);
  const dC = new Float64Array(V * E);
  embeddingBackward(dC, R, X, B, T, E);
  const Cv = v64([V, E], C);
  ag.backward(weightedSum(ag.view(ag.indexRows(Cv, X, [B, T]), [B, T * E]), R));
  expectClose(dC, gradOf(Cv), { ...TIGHT, what: 'dC vs autograd' });
  const out = new Float64Array(B * T * E);
  const num = numericGrad(() => (embeddingForward(out, X, C, B, T, E), dot(out, R)), C);
  expectClose(dC, num, { ...FD, what: 'dC vs finite differences' });
  // a row no id picks gets no gradient at all
  for (let v = 0; v < V; v++) {
    if (!X.includes(v)) for (let e = 0; e < E; e++) assert.equal(dC[v * E + e], 0);
  }
});

// ---------------------------------------------------------------------------------------------------------
// linear

test('linear: hand-checked forward and backward; dinp overwrites, dW and dbias accumulate', () => {
  // inp (B=2, IC=2) = [[1,2],[0,-1]]; W (IC=2, OC=3) = [[1,2,3],[4,5,6]]; bias = [0.5, 0, -1]
  const inp = f64([1, 2, 0, -1]);
  const W = f64([1, 2, 3, 4, 5, 6]);
  const bias = f64([0.5, 0, -1]);
  const out = new Float64Array(6);
  linearForward(out, inp, W, bias, 2, 2, 3);
  // row 0: [1+8+0.5, 2+10+0, 3+12-1]; row 1: [0-4+0.5, 0-5+0, 0-6-1]
  assert.deepEqual(Array.from(out), [9.5, 12, 14, -3.5, -5, -7]);
  // dout = [[1,0,0],[0,1,-1]]
  //   dinp = dout @ W^T: row 0 [1, 4]; row 1 [2-3, 5-6] = [-1, -1]
  //   dW = inp^T @ dout: [[1,0,0],[2,-1,1]];  dbias = [1, 1, -1]
  const dinp = new Float64Array(4).fill(99); // overwritten
  const dW = new Float64Array(6).fill(1); // accumulated into
  const dbias = new Float64Array(3).fill(1);
  linearBackward(dinp, dW, dbias, f64([1, 0, 0, 0, 1, -1]), inp, W, 2, 2, 3);
  assert.deepEqual(Array.from(dinp), [1, 4, -1, -1]);
  assert.deepEqual(Array.from(dW), [2, 1, 1, 3, 0, 2]);
  assert.deepEqual(Array.from(dbias), [2, 2, 0]);
  // dinp null: the first layer's input is data, nothing to write
  linearBackward(null, dW, dbias, f64([1, 0, 0, 0, 1, -1]), inp, W, 2, 2, 3);
  assert.deepEqual(Array.from(dbias), [3, 3, -1]);
});

test('linear: random non-square shape against the autograd and finite differences', () => {
  const rng = new MT19937(2);
  const [B, IC, OC] = [4, 3, 6];
  const inp = randn(rng, B * IC);
  const W = randn(rng, IC * OC);
  const bias = randn(rng, OC);
  const R = randn(rng, B * OC);
  const dinp = new Float64Array(B * IC);
  const dW = new Float64Array(IC * OC);
  const dbias = new Float64Array(OC);
  linearBackward(dinp, dW, dbias, R, inp, W, B, IC, OC);

  const [iv, Wv, bv] = [v64([B, IC], inp), v64([IC, OC], W), v64([OC], bias)];
  ag.backward(weightedSum(ag.add(ag.matmul(iv, Wv), bv), R));
  expectClose(dinp, gradOf(iv), { ...TIGHT, what: 'dinp vs autograd' });
  expectClose(dW, gradOf(Wv), { ...TIGHT, what: 'dW vs autograd' });
  expectClose(dbias, gradOf(bv), { ...TIGHT, what: 'dbias vs autograd' });

  const out = new Float64Array(B * OC);
  const L = (): number => (linearForward(out, inp, W, bias, B, IC, OC), dot(out, R));
  expectClose(dinp, numericGrad(L, inp), { ...FD, what: 'dinp vs finite differences' });
  expectClose(dW, numericGrad(L, W), { ...FD, what: 'dW vs finite differences' });
  expectClose(dbias, numericGrad(L, bias), { ...FD, what: 'dbias vs finite differences' });
});

// ---------------------------------------------------------------------------------------------------------
// batchnorm (exercise 3)

test('batchnorm: hand-checked batch of 2 (the output barely depends on the input)', () => {
  // inp (B=2, H=1) = [1, 3], gain 2, bias 0.5. mean 2; Bessel var ((-1)^2 + 1^2) / (2-1) = 2;
  // bnvarInv = (2 + 1e-5)^-1/2 = 0.70710501343; bnraw = [-bnvarInv, +bnvarInv]; out = 0.5 + 2 bnraw.
  const s = 2 + BN_EPS;
  const inv = 1 / Math.sqrt(s);
  const out = new Float64Array(2);
  const bnraw = new Float64Array(2);
  const [mean, v, vinv] = [new Float64Array(1), new Float64Array(1), new Float64Array(1)];
  batchnormForward(out, bnraw, mean, v, vinv, f64([1, 3]), f64([2]), f64([0.5]), 2, 1);
  assert.equal(mean[0], 2);
  assert.equal(v[0], 2);
  expectClose(vinv, [0.70710501343], { atol: 1e-11, what: 'bnvarInv' });
  expectClose(bnraw, [-inv, inv], { atol: 1e-15, what: 'bnraw' });
  expectClose(out, [0.5 - 2 * inv, 0.5 + 2 * inv], { atol: 1e-15, what: 'out' });
  // dout = [1, 0], so L = out[0] = 0.5 + 2 (d/2) / sqrt(d^2/2 + eps) with d = x0 - x1:
  //   dL/dd = 2 (eps/2) / s^3/2 = eps / s^3/2 = 1e-5 / 2.8284483 = 3.5355074e-6, and dL/dx0 = -dL/dx1 = dL/dd.
  //   Without eps the gradient would be exactly 0: two points normalise to -1, +1 whatever they are.
  //   dgain = sum(bnraw * dout) = -bnvarInv; dbias = sum(dout) = 1.
  const dinp = new Float64Array(2);
  const dgain = new Float64Array(1);
  const dbias = new Float64Array(1);
  batchnormBackward(dinp, dgain, dbias, f64([1, 0]), bnraw, vinv, f64([2]), 2, 1);
  const expected = BN_EPS / Math.pow(s, 1.5);
  expectClose([expected], [3.5355074e-6], { atol: 1e-13, what: 'the hand value' });
  expectClose(dinp, [expected, -expected], { atol: 1e-18, rtol: 1e-9, what: 'dinp' });
  expectClose(dgain, [-inv], { atol: 1e-15, what: 'dgain' });
  assert.equal(dbias[0], 1);
});

test('batchnorm: random shape against the autograd (the lecture chain) and finite differences', () => {
  const rng = new MT19937(3);
  const [B, H] = [7, 5];
  const inp = randn(rng, B * H, 2);
  const gain = randn(rng, H, 0.3).map((x) => 1 + x);
  const bias = randn(rng, H, 0.3);
  const R = randn(rng, B * H);
  const out = new Float64Array(B * H);
  const bnraw = new Float64Array(B * H);
  const [mean, v, vinv] = [new Float64Array(H), new Float64Array(H), new Float64Array(H)];
  batchnormForward(out, bnraw, mean, v, vinv, inp, gain, bias, B, H);
  const dinp = new Float64Array(B * H);
  const dgain = new Float64Array(H);
  const dbias = new Float64Array(H);
  batchnormBackward(dinp, dgain, dbias, R, bnraw, vinv, gain, B, H);

  // the lecture's chunked batchnorm, op by op
  const x = v64([B, H], inp);
  const g = v64([1, H], gain);
  const b = v64([1, H], bias);
  const bnmeani = ag.mulScalar(ag.sum(x, 0, true), 1 / B);
  const bndiff = ag.sub(x, bnmeani);
  const bnvar = ag.mulScalar(ag.sum(ag.pow(bndiff, 2), 0, true), 1 / (B - 1));
  const bnvarInv = ag.pow(ag.addScalar(bnvar, BN_EPS), -0.5);
  const hpreact = ag.add(ag.mul(g, ag.mul(bndiff, bnvarInv)), b);
  expectClose(out, valuesOf(hpreact), { ...TIGHT, what: 'forward vs chunked' });
  expectClose(vinv, valuesOf(bnvarInv), { ...TIGHT, what: 'bnvarInv vs chunked' });
  ag.backward(weightedSum(hpreact, R));
  expectClose(dinp, gradOf(x), { ...TIGHT, what: 'dinp (ex.3) vs autograd' });
  expectClose(dgain, gradOf(g), { ...TIGHT, what: 'dgain vs autograd' });
  expectClose(dbias, gradOf(b), { ...TIGHT, what: 'dbias vs autograd' });

  const L = (): number => (batchnormForward(out, bnraw, mean, v, vinv, inp, gain, bias, B, H), dot(out, R));
  expectClose(dinp, numericGrad(L, inp), { ...FD, what: 'dinp vs finite differences' });
  expectClose(dgain, numericGrad(L, gain), { ...FD, what: 'dgain vs finite differences' });
  expectClose(dbias, numericGrad(L, bias), { ...FD, what: 'dbias vs finite differences' });
  // the gradient is not trivially small (a test that cannot fail is a defect)
  assert.ok(Math.max(...Array.from(dinp, Math.abs)) > 0.1);
});

// ---------------------------------------------------------------------------------------------------------
// tanh

test('tanh: hand-checked values, and saturation at +-300 gives 0, never NaN', () => {
  // tanh(0) = 0, slope 1; tanh(ln 2) = (2 - 1/2) / (2 + 1/2) = 0.6, slope 1 - 0.36 = 0.64
  const x = f64([0, Math.log(2), -Math.log(2), 300, -300]);
  const y = new Float64Array(5);
  tanhForward(y, x, 5);
  expectClose(y, [0, 0.6, -0.6, 1, -1], { atol: 1e-15, what: 'tanh' });
  assert.equal(y[3], 1);
  assert.equal(y[4], -1);
  const dx = new Float64Array(5);
  tanhBackward(dx, f64([1, 1, 1, 1, 1]), y, 5);
  expectClose(dx, [1, 0.64, 0.64, 0, 0], { atol: 1e-15, what: 'dtanh' });
  assert.ok(dx.every((d) => !Number.isNaN(d)));
  assert.equal(dx[3], 0);
  assert.equal(dx[4], 0);
  // float32 too: the saturated output rounds to exactly +-1, so the slope is exactly 0
  const y32 = new Float32Array(2);
  tanhForward(y32, Float32Array.from([300, -300]), 2);
  const dx32 = new Float32Array(2);
  tanhBackward(dx32, Float32Array.from([5, 5]), y32, 2);
  assert.deepEqual(Array.from(dx32), [0, 0]);
});

test('tanh: random against the autograd and finite differences', () => {
  const rng = new MT19937(4);
  const n = 12;
  const x = randn(rng, n, 1.5);
  const R = randn(rng, n);
  const y = new Float64Array(n);
  tanhForward(y, x, n);
  const dx = new Float64Array(n);
  tanhBackward(dx, R, y, n);
  const xv = v64([n], x);
  ag.backward(weightedSum(ag.tanh(xv), R));
  expectClose(dx, gradOf(xv), { ...TIGHT, what: 'dtanh vs autograd' });
  expectClose(dx, numericGrad(() => (tanhForward(y, x, n), dot(y, R)), x), { ...FD, what: 'dtanh vs finite differences' });
});

// ---------------------------------------------------------------------------------------------------------
// softmax + cross-entropy (exercise 2)

test('cross-entropy: hand-checked 2x2 softmax', () => {
  // logits [[0, ln 3], [ln 2, ln 2]], Y = [1, 0]:
  //   probs row 0 = [1, 3] / 4 = [0.25, 0.75]; row 1 = [0.5, 0.5]
  //   loss = (-ln 0.75 - ln 0.5) / 2 = (0.2876820724517809 + 0.6931471805599453) / 2 = 0.4904146265058631
  //   dlogits = (probs - onehot(Y)) / 2 = [[0.125, -0.125], [-0.25, 0.25]]
  const probs = new Float64Array(4);
  const Y = Int32Array.from([1, 0]);
  const loss = crossEntropyForward(probs, f64([0, Math.log(3), Math.log(2), Math.log(2)]), Y, 2, 2);
  expectClose([loss], [0.4904146265058631], { atol: 1e-15, what: 'loss' });
  expectClose(probs, [0.25, 0.75, 0.5, 0.5], { atol: 1e-15, what: 'probs' });
  const dlogits = new Float64Array(4).fill(99);
  crossEntropyBackward(dlogits, probs, Y, 2, 2);
  expectClose(dlogits, [0.125, -0.125, -0.25, 0.25], { atol: 1e-15, what: 'dlogits' });
});

test('cross-entropy: logits of 1000 neither overflow nor give NaN (the max subtraction)', () => {
  // softmax([1000, 0]) = [1, e^-1000 = 0]; Y = 1: loss = -(0 - 1000 - ln(1 + e^-1000)) = 1000
  const probs = new Float32Array(2);
  const loss = crossEntropyForward(probs, Float32Array.from([1000, 0]), Int32Array.from([1]), 1, 2);
  assert.equal(loss, 1000);
  assert.deepEqual(Array.from(probs), [1, 0]);
  const d = new Float32Array(2);
  crossEntropyBackward(d, probs, Int32Array.from([1]), 1, 2);
  assert.deepEqual(Array.from(d), [1, -1]);
});

test('cross-entropy: random against the autograd (the lecture chain) and finite differences', () => {
  const rng = new MT19937(5);
  const [B, V] = [6, 9];
  const logits = randn(rng, B * V, 2);
  const Y = Int32Array.from({ length: B }, () => rng.randbelow(V));
  const probs = new Float64Array(B * V);
  const loss = crossEntropyForward(probs, logits, Y, B, V);
  const dlogits = new Float64Array(B * V);
  crossEntropyBackward(dlogits, probs, Y, B, V);

  const lv = v64([B, V], logits);
  const maxes = ag.max(lv, 1, true);
  const counts = ag.exp(ag.sub(lv, maxes));
  const probsV = ag.mul(counts, ag.pow(ag.sum(counts, 1, true), -1));
  const lossV = ag.neg(ag.mean(ag.pick(ag.log(probsV), Y)));
  expectClose([loss], valuesOf(lossV), { ...TIGHT, what: 'loss vs chunked' });
  expectClose(probs, valuesOf(probsV), { ...TIGHT, what: 'probs vs chunked' });
  ag.backward(lossV);
  expectClose(dlogits, gradOf(lv), { ...TIGHT, what: 'dlogits (ex.2) vs autograd' });
  const num = numericGrad(() => crossEntropyForward(probs, logits, Y, B, V), logits);
  expectClose(dlogits, num, { ...FD, what: 'dlogits vs finite differences' });
  // each row of dlogits sums to 0 (softmax sums to 1, the one-hot to 1)
  for (let b = 0; b < B; b++) assert.ok(Math.abs(dlogits.subarray(b * V, b * V + V).reduce((s, x) => s + x, 0)) < 1e-15);
});
