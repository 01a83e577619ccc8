import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildDataset, drawBatch } from '../src/core/reference/data.js';
import { embeddedNames } from '../src/core/reference/embedded.js';
import { EXERCISES, GRAPH, exerciseById, exerciseScope, judge, migrateProgressV1, runExercise, shapeHint, snapshot } from '../src/core/lab/exercises.js';
import { codeName, lectureName, lectureText } from '../src/core/reference/names.js';
import { ACT_NAMES, GRAD_NAMES, PARAM_NAMES, initParams } from '../src/core/reference/model.js';
import { MT19937 } from '../src/core/random/python.js';

function batch(seed = 1) {
  const ds = buildDataset(embeddedNames(), 'embedded');
  const cfg = { vocabSize: ds.itos.length, nEmbd: 10, nHidden: 64, blockSize: 3 };
  const rng = new MT19937(seed);
  const p = initParams(cfg, 'float32', rng);
  const X = new Int32Array(32 * 3);
  const Y = new Int32Array(32);
  drawBatch(ds.train, 3, rng, X, Y);
  return snapshot(p, X, Y, cfg);
}

const s = batch();

test('the graph has the 7 parameters and the 20 intermediates, inputs before uses', () => {
  assert.deepEqual(GRAPH.map((n) => n.name).sort(), [...PARAM_NAMES, ...ACT_NAMES].sort());
  const seen = new Set<string>();
  for (const n of GRAPH) {
    for (const i of n.inputs) assert.ok(seen.has(i), `${n.name} uses ${i} before it is defined`);
    seen.add(n.name);
  }
});

test('the snapshot is the check table: 26 exact rows, fused rows within 1e-8', () => {
  for (const k of GRAD_NAMES) assert.ok(s.rows[k].exact, `${k}: maxdiff ${s.rows[k].maxdiff}`);
  for (const r of s.fused) assert.ok(r.approximate && r.maxdiff <= 1e-8, `${r.name}: ${r.maxdiff}`);
});

test('every solution passes the judge; exercise 1 solutions are exact or approximate', () => {
  assert.equal(EXERCISES.length, 28);
  let exact = 0;
  for (const ex of EXERCISES) {
    const v = judge(ex.id, runExercise(ex.solution, ex.variable, exerciseScope(ex, s)), s.ref[ex.target]);
    assert.ok(v.kind === 'exact' || v.kind === 'approximate', `${ex.id}: ${v.kind}: ${v.message}`);
    if (v.kind === 'exact') exact++;
  }
  assert.ok(exact >= 20, `only ${exact} exact`);
});

test('a wrong answer is wrong, with the max diff and an error map', () => {
  const ex = exerciseById('probs');
  const v = judge('probs', runExercise('dprobs = mul(dlogprobs, probs)', ex.variable, exerciseScope(ex, s)), s.ref.probs);
  assert.equal(v.kind, 'wrong');
  assert.ok(v.maxdiff > 0.01 && /^maxdiff \d/.test(v.message));
  assert.equal(v.error?.length, 32 * s.cfg.vocabSize);
});

test("the keepdim mistake is named: shape [64] but the tensor is [1, 64]: keepdim?", () => {
  const ex = exerciseById('bnmeani');
  const v = judge('bnmeani', runExercise('dbnmeani = neg(sum(dbndiff, 0))', ex.variable, exerciseScope(ex, s)), s.ref.bnmeani);
  assert.equal(v.kind, 'shape');
  assert.equal(v.message, 'shape [64] but the tensor is [1, 64]: keepdim?');
  const ex2 = exerciseById('counts_sum_inv');
  const v2 = judge('counts_sum_inv', runExercise('dcounts_sum_inv = mul(counts, dprobs)', ex2.variable, exerciseScope(ex2, s)), s.ref.countsSumInv);
  assert.match(v2.message, /^shape \[32, 28\] but the tensor is \[32, 1\]: it was broadcast along dim 1/);
});

test('the runner: const declarations work, thrown errors and a missing assignment are reported', () => {
  const ex = exerciseById('probs');
  const scope = exerciseScope(ex, s);
  assert.equal(judge('probs', runExercise('const dprobs = div(dlogprobs, probs)', 'dprobs', scope), s.ref.probs).kind, 'exact');
  assert.throws(() => runExercise('dprobs = div(dlogprob, probs)', 'dprobs', scope), /dlogprob is not defined/);
  assert.throws(() => runExercise('let x = 1', 'dprobs', scope), /your code did not assign dprobs/);
  assert.throws(() => runExercise('dprobs = (', 'dprobs', scope), /your code does not parse/);
  // Python habits get a pointer to the API
  assert.throws(() => runExercise('dprobs = dlogprobs / probs', 'dprobs', scope), /dprobs is NaN, not a tensor: .*use add, sub, mul, div, pow/);
  assert.throws(() => runExercise('dprobs = probs.log()', 'dprobs', scope), /write log\(x, \.\.\.\) instead of x\.log\(\.\.\.\)/);
  // later gradients are not given: no peeking at dcounts while writing dprobs
  assert.throws(() => runExercise('dprobs = dcounts', 'dprobs', scope), /dcounts is not defined/);
});

test('shape hints: keepdim, transposed, a broadcast dimension to sum over, or nothing to say', () => {
  assert.equal(shapeHint([64], [1, 64]), ': keepdim?');
  assert.equal(shapeHint([64, 30], [30, 64]), ': transposed?');
  assert.match(shapeHint([32, 64], [1, 64]), /broadcast along dim 0/);
  assert.equal(shapeHint([5], [7]), '');
});

// the lecture's names: what its notebook's cmp prints, in its order (makemore_part4_backprop.ipynb)
const LECTURE_CMP = [
  'logprobs', 'probs', 'counts_sum_inv', 'counts_sum', 'counts', 'norm_logits', 'logit_maxes', 'logits', 'h', 'W2',
  'b2', 'hpreact', 'bngain', 'bnbias', 'bnraw', 'bnvar_inv', 'bnvar', 'bndiff2', 'bndiff', 'bnmeani', 'hprebn',
  'embcat', 'W1', 'b1', 'emb', 'C',
];
const CAMEL = /\b(countsSumInv|countsSum|normLogits|logitMaxes|bnvarInv)\b/;

test("names.ts: the lecture's spelling, both ways; the check rows and exercise ids in the lecture's order", () => {
  assert.deepEqual(GRAD_NAMES.map((k) => lectureName(k)), LECTURE_CMP);
  assert.deepEqual(LECTURE_CMP.map(codeName), [...GRAD_NAMES]);
  assert.equal(lectureName('W1'), 'W1');
  assert.equal(codeName('loss'), 'loss');
  assert.equal(lectureText('dcountsSumInv = mul(countsSumInv, xbnvarInv)'), 'dcounts_sum_inv = mul(counts_sum_inv, xbnvarInv)');
  assert.deepEqual(Object.values(s.rows).map((r) => r.name), LECTURE_CMP);
  assert.deepEqual(EXERCISES.map((e) => e.id), [...LECTURE_CMP, 'logits (ex.2)', 'hprebn (ex.3)']);
  assert.equal(exerciseById('counts_sum_inv').variable, 'dcounts_sum_inv');
});

test('no camelCase tensor name in anything the lab shows: formulas, hints, solutions, the scope', () => {
  for (const n of GRAPH) assert.doesNotMatch(n.formula, CAMEL, n.name);
  for (const e of EXERCISES) {
    for (const text of [e.id, e.variable, e.forward, e.local, e.chain, e.solution]) assert.doesNotMatch(text, CAMEL, `${e.id}: ${text}`);
    for (const k of Object.keys(exerciseScope(e, s))) assert.doesNotMatch(k, CAMEL, `${e.id} scope: ${k}`);
  }
  assert.ok('counts_sum_inv' in exerciseScope(exerciseById('probs'), s));
  assert.ok('dcounts_sum_inv' in exerciseScope(exerciseById('counts_sum'), s));
});

test('progress saved under the old camelCase ids is migrated: ids renamed, old code rewritten and still right', () => {
  const old = {
    current: 'countsSumInv',
    code: { countsSumInv: 'dcountsSumInv = sum(mul(counts, dprobs), 1, { keepdim: true })', probs: 'dprobs = div(dlogprobs, probs)', 'logits (ex.2)': 'dlogits = x' },
    status: { countsSumInv: 'exact', probs: 'exact', bnvarInv: 'wrong' },
    hints: { logitMaxes: 2 },
  };
  const m = migrateProgressV1(old);
  assert.equal(m.current, 'counts_sum_inv');
  assert.deepEqual(m.status, { counts_sum_inv: 'exact', probs: 'exact', bnvar_inv: 'wrong' });
  assert.deepEqual(m.hints, { logit_maxes: 2 });
  assert.deepEqual(Object.keys(m.code ?? {}), ['counts_sum_inv', 'probs', 'logits (ex.2)']);
  const ex = exerciseById('counts_sum_inv');
  const code = m.code?.counts_sum_inv ?? '';
  assert.equal(code, 'dcounts_sum_inv = sum(mul(counts, dprobs), 1, { keepdim: true })');
  assert.equal(judge(ex.id, runExercise(code, ex.variable, exerciseScope(ex, s)), s.ref.countsSumInv).kind, 'exact');
});
