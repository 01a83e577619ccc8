// The judge's judge: the torch library's autograd (src/core/torch, in float64) against finite differences,
// including the broadcasts the lecture's model uses ([B,H] with [1,H], [H] and [B,1]), sum and max with and
// without keepdim, matmul, view, indexing; plus small cases worked out by hand.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as T from '../../src/core/torch/index.js';
import { ag, gradOf, valuesOf, type Var } from '../ag.js';
import { MT19937 } from '../../src/core/random/python.js';
import { numel } from '../../src/core/reference/block.js';
import { expectClose, numericGrad, randn } from '../helpers.js';

interface In {
  shape: number[];
  data: Float64Array;
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

/** L = sum(y * R): reduces with ag.sum down to shape []. */
function weightedSum(y: Var, R: Float64Array): Var {
  let s = ag.mul(y, T.fromData(R, 'float64', y.shape));
  while (s.shape.length > 0) s = ag.sum(s, 0);
  return s;
}

const rng = new MT19937(2024);
const input = (shape: number[], f: (x: number) => number = (x) => x): In => ({
  shape, data: randn(rng, numel(shape)).map(f),
});
const positive = (x: number): number => Math.abs(x) + 0.5;

/**
 * The autograd's gradient of L = sum(build(inputs) * R) for every input, against finite differences of the
 * same forward. Returns the output shape, for the caller to check.
 */
function gradCheck(what: string, inputs: In[], build: (vs: Var[]) => Var): readonly number[] {
  const vs = inputs.map((i) => ag.leaf(i));
  const y = build(vs);
  const R = randn(rng, y.numel);
  ag.backward(weightedSum(y, R));
  inputs.forEach((inp, k) => {
    assert.ok(vs[k].grad !== null, `${what}: input ${k} got no gradient`);
    const g = gradOf(vs[k]);
    assert.equal(g.length, inp.data.length, `${what}: input ${k} gradient length`);
    const num = numericGrad(() => dot(valuesOf(build(inputs.map((i) => ag.leaf(i)))), R), inp.data);
    expectClose(g, num, { atol: 1e-9, rtol: 1e-7, what: `${what}: d input ${k}` });
    assert.ok(Array.from(num).some((x) => Math.abs(x) > 1e-3), `${what}: input ${k} has a non-trivial gradient`);
  });
  return y.shape;
}

const B = 4;
const H = 3;
const BROADCASTS: [string, number[], number[], number[]][] = [
  ['[B,H] with [B,H]', [B, H], [B, H], [B, H]],
  ['[B,H] with [1,H]', [B, H], [1, H], [B, H]],
  ['[1,H] with [B,H]', [1, H], [B, H], [B, H]],
  ['[B,H] with [H]', [B, H], [H], [B, H]],
  ['[B,H] with [B,1]', [B, H], [B, 1], [B, H]],
  ['[B,1] with [1,H] (outer)', [B, 1], [1, H], [B, H]],
];

for (const [name, op] of [['add', ag.add], ['sub', ag.sub], ['mul', ag.mul]] as const) {
  for (const [bname, sa, sb, so] of BROADCASTS) {
    test(`autograd ${name}: ${bname} against finite differences`, () => {
      const shape = gradCheck(`${name} ${bname}`, [input(sa), input(sb)], ([a, b]) => op(a, b));
      assert.deepEqual(shape, so);
    });
  }
}

const UNARY: [string, (x: Var) => Var, (x: number) => number][] = [
  ['mulScalar(-0.7)', (x) => ag.mulScalar(x, -0.7), (x) => x],
  ['addScalar(3)', (x) => ag.mul(ag.addScalar(x, 3), x), (x) => x], // times x, or its gradient is all R
  ['neg', (x) => ag.neg(x), (x) => x],
  ['exp', ag.exp, (x) => x],
  ['log', ag.log, positive],
  ['tanh', ag.tanh, (x) => x * 1.5],
  ['pow 2', (x) => ag.pow(x, 2), (x) => x],
  ['pow 3', (x) => ag.pow(x, 3), (x) => x],
  ['pow -1', (x) => ag.pow(x, -1), positive],
  ['pow -0.5', (x) => ag.pow(x, -0.5), positive],
];
for (const [name, op, dom] of UNARY) {
  test(`autograd ${name} against finite differences`, () => {
    assert.deepEqual(gradCheck(name, [input([B, H], dom)], ([x]) => op(x)), [B, H]);
  });
}

test('autograd sum and max over each dim, keepdim or not, against finite differences (2-D and 3-D)', () => {
  const cases: [number[], number, boolean, number[]][] = [
    [[B, H], 0, true, [1, H]],
    [[B, H], 0, false, [H]],
    [[B, H], 1, true, [B, 1]],
    [[B, H], 1, false, [B]],
    [[2, 3, 4], 1, true, [2, 1, 4]],
    [[2, 3, 4], 2, false, [2, 3]],
  ];
  for (const [shape, dim, keep, expected] of cases) {
    const what = `dim ${dim} keepdim ${keep} of [${shape}]`;
    assert.deepEqual(gradCheck(`sum ${what}`, [input(shape)], ([x]) => ag.sum(x, dim, keep)), expected);
    // max: two entries of a slice within 4h = 4e-3 would let the stencil cross an argmax switch and fail this;
    // the seeded inputs have none
    assert.deepEqual(gradCheck(`max ${what}`, [input(shape)], ([x]) => ag.max(x, dim, keep)), expected);
  }
});

test('autograd mean, matmul, view, indexRows, pick against finite differences', () => {
  assert.deepEqual(gradCheck('mean', [input([B, H])], ([x]) => ag.mean(x)), []);
  assert.deepEqual(gradCheck('matmul [3,4]@[4,5]', [input([3, 4]), input([4, 5])], ([a, b]) => ag.matmul(a, b)), [3, 5]);
  assert.deepEqual(gradCheck('view [2,3,4] as [2,12]', [input([2, 3, 4])], ([x]) => ag.tanh(ag.view(x, [2, 12]))), [2, 12]);
  const ids = Int32Array.from([2, 0, 2, 2, 1, 4]); // row 2 three times, row 3 never
  assert.deepEqual(gradCheck('indexRows', [input([5, 3])], ([t]) => ag.indexRows(t, ids, [3, 2])), [3, 2, 3]);
  const cols = Int32Array.from([1, 0, 2, 1]);
  assert.deepEqual(gradCheck('pick', [input([4, 3])], ([x]) => ag.tanh(ag.pick(x, cols))), [4]);
});

// ---------------------------------------------------------------------------------------------------------
// by hand

const leaf = (shape: number[], xs: number[]): Var => ag.leaf({ shape, data: Float64Array.from(xs) });

test('broadcasting rules, by hand', () => {
  assert.deepEqual(T.broadcastShapes([3, 1], [1, 4]), [3, 4]);
  assert.deepEqual(T.broadcastShapes([2, 3], [3]), [2, 3]);
  assert.deepEqual(T.broadcastShapes([], [2, 3]), [2, 3]);
  assert.throws(() => T.broadcastShapes([2, 3], [2]), /must match the size of tensor b/);
  // [[1,2],[3,4]] + [10,20] = [[11,22],[13,24]]; L = sum: db = column sums of ones = [2, 2]
  const a = leaf([2, 2], [1, 2, 3, 4]);
  const b = leaf([2], [10, 20]);
  const y = ag.add(a, b);
  assert.deepEqual(Array.from(valuesOf(y)), [11, 22, 13, 24]);
  ag.backward(ag.sum(ag.sum(y, 0), 0));
  assert.deepEqual(Array.from(gradOf(b)), [2, 2]);
  assert.deepEqual(Array.from(gradOf(a)), [1, 1, 1, 1]);
  // [[1,2],[3,4]] * [[10],[100]] (a [B,1] column): dcol = row sums of a = [3, 7]
  const a2 = leaf([2, 2], [1, 2, 3, 4]);
  const col = leaf([2, 1], [10, 100]);
  const z = ag.mul(a2, col);
  assert.deepEqual(Array.from(valuesOf(z)), [10, 20, 300, 400]);
  ag.backward(ag.sum(ag.sum(z, 0), 0));
  assert.deepEqual(Array.from(gradOf(col)), [3, 7]);
  assert.deepEqual(Array.from(gradOf(a2)), [10, 10, 100, 100]);
});

test('sum/max/mean/pow/log by hand, and gradients that meet add up', () => {
  const x = leaf([2, 3], [1, 5, 2, 4, 4, 0]);
  assert.deepEqual(ag.sum(x, 0, true).shape, [1, 3]);
  assert.deepEqual(Array.from(valuesOf(ag.sum(x, 0, true))), [5, 9, 2]);
  assert.deepEqual(ag.sum(x, 1).shape, [2]);
  assert.deepEqual(Array.from(valuesOf(ag.sum(x, 1))), [8, 8]);
  assert.throws(() => ag.sum(x, 2), /out of range/);
  // max along rows, ties go to the first: row 1 is [4, 4, 0] -> index 0 gets the gradient
  const m = ag.max(x, 1, true);
  assert.deepEqual(m.shape, [2, 1]);
  assert.deepEqual(Array.from(valuesOf(m)), [5, 4]);
  ag.backward(ag.sum(ag.sum(m, 0), 0));
  assert.deepEqual(Array.from(gradOf(x)), [0, 1, 0, 1, 0, 0]);
  // mean([1, 2, 3, 6]) = 3, each element's gradient 1/4
  const v = leaf([4], [1, 2, 3, 6]);
  const mv = ag.mean(v);
  assert.equal(valuesOf(mv)[0], 3);
  ag.backward(mv);
  assert.deepEqual(Array.from(gradOf(v)), [0.25, 0.25, 0.25, 0.25]);
  // x^-1 at 2 = 0.5, slope -x^-2 = -0.25; log at 2: slope 1/2
  const p = leaf([1], [2]);
  const py = ag.pow(p, -1);
  assert.equal(valuesOf(py)[0], 0.5);
  ag.backward(ag.sum(py, 0));
  assert.equal(gradOf(p)[0], -0.25);
  const l = leaf([1], [2]);
  ag.backward(ag.sum(ag.log(l), 0));
  assert.equal(gradOf(l)[0], 0.5);
  // z = x*x + x uses x three times: dz/dx = 2x + 1 = 7 at x = 3 (contributions add, none overwrites)
  const s = leaf([1], [3]);
  const zz = ag.add(ag.mul(s, s), s);
  assert.equal(valuesOf(zz)[0], 12);
  ag.backward(ag.sum(zz, 0));
  assert.equal(gradOf(s)[0], 7);
});

test('matmul, indexRows and pick by hand', () => {
  // [[1,2],[3,4]] @ [[5],[6]] = [[17],[39]]; L = sum: dA = ones @ B^T = [[5,6],[5,6]], dB = A^T @ ones = [[4],[6]]
  const A = leaf([2, 2], [1, 2, 3, 4]);
  const Bm = leaf([2, 1], [5, 6]);
  const y = ag.matmul(A, Bm);
  assert.deepEqual(Array.from(valuesOf(y)), [17, 39]);
  ag.backward(ag.sum(ag.sum(y, 0), 0));
  assert.deepEqual(Array.from(gradOf(A)), [5, 6, 5, 6]);
  assert.deepEqual(Array.from(gradOf(Bm)), [4, 6]);
  assert.throws(() => ag.matmul(A, leaf([3, 1], [1, 2, 3])), /shapes cannot be multiplied \(2x2 and 3x1\)/);
  // table [[1,2],[3,4]] picked by ids [1,1,0]: row 1 collects two rows of gradient
  const table = leaf([2, 2], [1, 2, 3, 4]);
  const e = ag.indexRows(table, Int32Array.from([1, 1, 0]), [3]);
  assert.deepEqual(e.shape, [3, 2]);
  assert.deepEqual(Array.from(valuesOf(e)), [3, 4, 3, 4, 1, 2]);
  ag.backward(weightedSum(e, Float64Array.from([1, 2, 3, 4, 5, 6])));
  assert.deepEqual(Array.from(gradOf(table)), [5, 6, 4, 6]);
  // x[range(2), [2, 0]] of [[1,2,3],[4,5,6]] = [3, 4]
  const x = leaf([2, 3], [1, 2, 3, 4, 5, 6]);
  const pk = ag.pick(x, Int32Array.from([2, 0]));
  assert.deepEqual(Array.from(valuesOf(pk)), [3, 4]);
  ag.backward(weightedSum(pk, Float64Array.from([10, 20])));
  assert.deepEqual(Array.from(gradOf(x)), [0, 0, 10, 20, 0, 0]);
  assert.throws(() => ag.view(x, [4]), /shape '\[4\]' is invalid for input of size 6/);
});

test('tanh at +-300 in the autograd: output +-1, gradient exactly 0, no NaN', () => {
  const x = leaf([4], [300, -300, 30, 0]);
  const y = ag.tanh(x);
  assert.deepEqual(Array.from(valuesOf(y)), [1, -1, 1, 0]);
  ag.backward(ag.sum(y, 0));
  assert.deepEqual(Array.from(gradOf(x)), [0, 0, 0, 1]);
});
