// The model as a whole: the fused Trainer against the reference (forward + exercise 1), edge cases (batch of
// 1, saturated tanh, bad configs and batches), the check's compare and table format, the finite-difference
// judge.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compare, formatRow, manualGradients, pyFloat, runCheck } from '../../src/core/judge/check.js';
import { buildVocab } from '../../src/core/reference/data.js';
import { UserError } from '../../src/core/errors.js';
import { finiteDifferences } from '../../src/core/judge/fd.js';
import {
  PARAM_NAMES, actShapes, allocParams, forwardRef, initParams, validateBatch, type ModelConfig,
} from '../../src/core/reference/model.js';
import { MT19937 } from '../../src/core/random/python.js';
import { makeBlock, type DType } from '../../src/core/reference/block.js';
import { Trainer } from '../../src/core/fast/engines.js';
import { expectClose } from '../helpers.js';

const ODD: ModelConfig = { vocabSize: 11, nEmbd: 3, nHidden: 7, blockSize: 2 };
const LECTURE: ModelConfig = { vocabSize: 27, nEmbd: 10, nHidden: 64, blockSize: 3 };

function randomBatch(cfg: ModelConfig, B: number, seed: number): { X: Int32Array; Y: Int32Array } {
  const rng = new MT19937(seed);
  const X = Int32Array.from({ length: B * cfg.blockSize }, () => rng.randbelow(cfg.vocabSize));
  const Y = Int32Array.from({ length: B }, () => rng.randbelow(cfg.vocabSize));
  return { X, Y };
}

const isUserError = (re: RegExp) => (e: unknown): boolean => e instanceof UserError && re.test(e.message);

// ---------------------------------------------------------------------------------------------------------
// the fused training path against the reference

for (const [dtype, cfg, B] of [['float64', ODD, 5], ['float32', ODD, 5], ['float64', LECTURE, 32], ['float32', LECTURE, 32]] as const) {
  test(`Trainer.forward/backward (fused, ex.2 + ex.3) against forward + exercise 1: ${dtype}, H=${cfg.nHidden}, B=${B}`, () => {
    // float64: the two paths differ only in summation order. float32: the Trainer keeps float32 activations
    // where the reference rounds at other places; gradients are O(0.01..1), so 1e-6 is a few ulps.
    const tol = dtype === 'float64' ? { atol: 1e-12 } : { atol: 1e-6 };
    const p = initParams(cfg, dtype, 7);
    const { X, Y } = randomBatch(cfg, B, 8);
    const m = manualGradients(p, X, Y, cfg);
    const tr = new Trainer(cfg, B, dtype, p);
    tr.X.set(X);
    tr.Y.set(Y);
    const loss = tr.forward();
    expectClose([loss], [m.loss], { ...tol, what: 'loss' });
    expectClose(tr.acts.h.data, m.acts.h.data, { ...tol, what: 'h' });
    expectClose(tr.acts.probs.data, m.acts.probs.data, { ...tol, what: 'probs' });
    tr.backward();
    for (const k of PARAM_NAMES) expectClose(tr.grads[k].data, m.grads[k].data, { ...tol, what: `d${k}` });
    expectClose(tr.dacts.dlogits.data, m.grads.logits.data, { ...tol, what: 'dlogits' });
    expectClose(tr.dacts.dhprebn.data, m.grads.hprebn.data, { ...tol, what: 'dhprebn' });
    // backward zeroes before it accumulates: a second call gives the same numbers, not twice them
    const first = Float64Array.from(tr.grads.flat);
    tr.backward();
    assert.deepEqual(Array.from(tr.grads.flat), Array.from(first));
    // and step() returns the loss before the update, then moves the parameters against the gradient
    const before = Float64Array.from(tr.params.flat);
    assert.equal(tr.step(0.1), loss);
    for (let i = 0; i < before.length; i += 97) {
      expectClose([tr.params.flat[i]], [before[i] - 0.1 * first[i]], { atol: dtype === 'float64' ? 1e-15 : 1e-6, what: `sgd[${i}]` });
    }
    assert.ok(tr.forward() < loss, 'one SGD step lowers the loss on its own batch');
  });
}

// ---------------------------------------------------------------------------------------------------------
// edge cases

test('batch of 1: a clear UserError from every entry point, never a NaN', () => {
  const p = initParams(ODD, 'float32', 1);
  const { X, Y } = randomBatch(ODD, 1, 2);
  const msg = /batch_size must be an integer >= 2 \(batchnorm divides by n-1\), got 1/;
  assert.throws(() => validateBatch(X, Y, ODD), isUserError(msg));
  const acts = makeBlock(actShapes(ODD, 1), 'float32');
  assert.throws(() => forwardRef(acts, p, X, Y, ODD), isUserError(msg));
  assert.ok(acts.flat.every((x) => x === 0), 'nothing was computed before the error');
  assert.throws(() => manualGradients(p, X, Y, ODD), isUserError(msg));
  assert.throws(() => runCheck(p, X, Y, ODD), isUserError(msg));
  assert.throws(() => new Trainer(ODD, 1, 'float32', p), isUserError(msg)); // one error, one wording, everywhere
  // B = 2 is the smallest batch that works, and it is finite
  const b2 = randomBatch(ODD, 2, 3);
  const res = runCheck(p, b2.X, b2.Y, ODD);
  assert.ok(res.ok && Number.isFinite(res.loss));
});

test('bad batches and configs are UserErrors', () => {
  const X = Int32Array.from([0, 1, 2, 11]);
  const Y = Int32Array.from([0, 1]);
  assert.throws(() => validateBatch(X, Y, ODD), isUserError(/token id 11 is outside the vocabulary \[0, 11\)/));
  assert.throws(() => validateBatch(Int32Array.from([0, 1, 2]), Y, ODD), isUserError(/3 ids, expected 2 rows of block size 2/));
  assert.throws(() => validateBatch(Int32Array.from([0, 1, -1, 0]), Y, ODD), isUserError(/token id -1/));
  assert.throws(() => allocParams({ ...ODD, nHidden: 0 }, 'float32'), isUserError(/^n_hidden must be an integer >= 1, got 0$/));
  assert.throws(() => allocParams({ ...ODD, nEmbd: 2.5 }, 'float32'), isUserError(/^n_embd must be an integer >= 1, got 2.5$/));
  // no names at all: the vocabulary is only '.', and the model refuses it
  assert.deepEqual(buildVocab([]), ['.']);
  assert.throws(() => allocParams({ ...ODD, vocabSize: buildVocab([]).length }, 'float32'), isUserError(/vocab_size must be >= 2/));
});

test('a saturated tanh (hpreact ~ +-300): finite loss, zero gradients below it, check and finite differences pass', () => {
  for (const dtype of ['float32', 'float64'] as DType[]) {
    const p = initParams(ODD, dtype, 4);
    for (let j = 0; j < ODD.nHidden; j++) p.bnbias.data[j] = j % 2 === 0 ? 300 : -300;
    const { X, Y } = randomBatch(ODD, 6, 5);
    const m = manualGradients(p, X, Y, ODD);
    assert.ok(Number.isFinite(m.loss));
    assert.ok(m.acts.h.data.every((h) => Math.abs(h) === 1));
    for (const k of ['hpreact', 'bnraw', 'hprebn', 'W1', 'b1', 'C', 'bngain', 'bnbias'] as const) {
      assert.ok(m.grads[k].data.every((g) => g === 0), `${dtype} d${k} is exactly 0 (no NaN) through a saturated tanh`);
    }
    // above the tanh the gradient is alive
    assert.ok(m.grads.W2.data.some((g) => Math.abs(g) > 1e-3));
    assert.ok(m.grads.logits.data.every(Number.isFinite));
    const res = runCheck(p, X, Y, ODD);
    assert.ok(res.ok);
    assert.ok(res.rows.every((r) => r.exact));
    if (dtype === 'float64') assert.ok(finiteDifferences(p, X, Y, ODD, m.grads).every((r) => r.ok));
  }
});

// ---------------------------------------------------------------------------------------------------------
// the check's compare and table

test("compare flags a [64] gradient for a [1, 64] tensor even though every value matches (the lecture's cmp doesn't)", () => {
  const data = Float32Array.from({ length: 64 }, (_, i) => i / 7);
  const row = compare('bnmeani', { shape: [64], data }, { shape: [1, 64], data: Float32Array.from(data) });
  assert.equal(row.shapeOk, false);
  assert.equal(row.maxdiff, 0);
  assert.equal(row.exact, false);
  assert.equal(row.approximate, false);
  assert.match(formatRow(row), /^bnmeani {9}\| exact: False \| approximate: False \| maxdiff: 0\.0 +\| shape: \[64\] but the tensor is \[1, 64\]$/);
  // the same numbers in the right shape pass
  const ok = compare('bnmeani', { shape: [1, 64], data }, { shape: [1, 64], data });
  assert.ok(ok.shapeOk && ok.exact && ok.approximate);
});

test("compare: exact, approximately equal (torch.allclose's tolerances), different, NaN", () => {
  const ref = { shape: [3], data: Float64Array.from([1, -2, 1e-3]) };
  const near = compare('x', { shape: [3], data: Float64Array.from([1 + 5e-6, -2, 1e-3]) }, ref);
  assert.equal(near.exact, false);
  assert.equal(near.approximate, true); // 5e-6 <= 1e-8 + 1e-5 * 1
  expectClose([near.maxdiff], [5e-6], { atol: 1e-15, what: 'maxdiff' });
  const far = compare('x', { shape: [3], data: Float64Array.from([1 + 2e-5, -2, 1e-3]) }, ref);
  assert.equal(far.approximate, false); // 2e-5 > 1e-8 + 1e-5 * 1
  const nan = compare('x', { shape: [3], data: Float64Array.from([1, NaN, 1e-3]) }, ref);
  assert.equal(nan.approximate, false);
  assert.ok(Number.isNaN(nan.maxdiff));
  assert.match(formatRow(nan), /maxdiff: nan/);
  const short = compare('x', { shape: [2], data: Float64Array.from([1, -2]) }, ref);
  assert.equal(short.shapeOk, false);
  assert.equal(short.approximate, false);
});

test("the table row is the lecture's cmp line, with Python's float repr", () => {
  const row = compare('logprobs', { shape: [32, 27], data: new Float32Array(864) }, { shape: [32, 27], data: new Float32Array(864) });
  assert.ok(formatRow(row).startsWith('logprobs        | exact: True  | approximate: True  | maxdiff: 0.0 '));
  // expected: CPython 3.11's repr() of the same floats (scientific below 1e-4 and from 1e16 on)
  const xs = [0, 1.5, 3, 1e-4, 1e-5, 1e-6, 1e-7, 6.51925802230835e-9, 1.5e-10, 1e15, 1e16, 123456789012345680000, 1e-300, -2.5e-7, 0.1, 100, 12.25, Infinity, NaN];
  assert.deepEqual(
    xs.map(pyFloat).join(' '),
    '0.0 1.5 3.0 0.0001 1e-05 1e-06 1e-07 6.51925802230835e-09 1.5e-10 1000000000000000.0 1e+16 1.2345678901234568e+20 1e-300 -2.5e-07 0.1 100.0 12.25 inf nan',
  );
});

test('runCheck on a random odd config: 26 exact rows in float32 and float64', () => {
  for (const dtype of ['float32', 'float64'] as DType[]) {
    const p = initParams(ODD, dtype, 11);
    const { X, Y } = randomBatch(ODD, 5, 12);
    const res = runCheck(p, X, Y, ODD);
    assert.ok(res.ok);
    assert.equal(res.rows.filter((r) => r.exact && r.shapeOk).length, 26);
    assert.deepEqual(res.fused.map((r) => r.name), ['logits (ex.2)', 'hprebn (ex.3)']);
    assert.ok(res.fused.every((r) => r.approximate));
  }
});

// ---------------------------------------------------------------------------------------------------------
// the finite-difference judge

test('finite differences agree with exercise 1 in float64, and catch a wrong gradient', () => {
  const p = initParams(ODD, 'float64', 13);
  const { X, Y } = randomBatch(ODD, 5, 14);
  const m = manualGradients(p, X, Y, ODD);
  const rows = finiteDifferences(p, X, Y, ODD, m.grads);
  assert.deepEqual(rows.map((r) => r.name), [...PARAM_NAMES]);
  for (const r of rows) {
    assert.ok(r.ok, `${r.name}: rel err ${r.relErr}`);
    if (r.name === 'b1') assert.equal(r.relErr, null, 'db1 is zero: batchnorm subtracts the batch mean');
    else assert.ok(r.relErr !== null && r.relErr < 1e-8, `${r.name}: rel err ${r.relErr}`);
  }
  // the parameters are restored exactly after the probing
  assert.deepEqual(Array.from(p.flat), Array.from(initParams(ODD, 'float64', 13).flat));
  // a gradient off by 1e-4 in one entry of W2 fails its row and only its row
  m.grads.W2.data[3] += 1e-4;
  const bad = finiteDifferences(p, X, Y, ODD, m.grads);
  assert.deepEqual(bad.filter((r) => !r.ok).map((r) => r.name), ['W2']);
  // float32 parameters are refused with the flag to add
  const p32 = initParams(ODD, 'float32', 13);
  assert.throws(() => finiteDifferences(p32, X, Y, ODD, manualGradients(p32, X, Y, ODD).grads), isUserError(/--dtype float64/));
});
