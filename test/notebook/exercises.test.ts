import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildDataset, drawBatch } from '../../src/core/reference/data.js';
import { embeddedNames } from '../../src/core/reference/embedded.js';
import { EXERCISES, GRAPH, exerciseById, type Exercise } from '../../src/core/lab/content.js';
import { judge, shapeHint, type Verdict } from '../../src/core/lab/judge.js';
import { migrateProgressV1, migrateProgressV2, oldAnswerComment } from '../../src/core/lab/progress.js';
import { exerciseScope, snapshot, type Snapshot } from '../../src/core/lab/runner.js';
import { ExerciseRunner } from '../../src/notebook/exercise.js';
import { NotebookRuntime } from '../../src/notebook/runtime.js';
import { pyodideIndexURL } from '../../src/node/notebook-worker.js';
import { codeName, lectureName, lectureText } from '../../src/core/reference/names.js';
import { ACT_NAMES, GRAD_NAMES, PARAM_NAMES, initParams } from '../../src/core/reference/model.js';
import { MT19937 } from '../../src/core/random/python.js';

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

// the exercise runner on the notebook runtime (CPython on Pyodide, in this process), as the lab's worker runs it
const rt = await NotebookRuntime.start({ indexURL: pyodideIndexURL(), hooks: { write: () => undefined, display: () => undefined, result: () => undefined } });
const runner = ExerciseRunner.create(rt);

/** Runs code for an exercise and judges the answer as the page does; a runner error is an 'error' verdict. */
function check(ex: Exercise, code: string, snap: Snapshot = s): Verdict {
  const scope = exerciseScope(ex, snap);
  const o = runner.run({ code, variable: ex.variable, tensors: scope.tensors, ints: scope.ints });
  if (!o.ok) return { kind: 'error', message: o.error, maxdiff: NaN, row: null, error: null };
  return judge(ex.id, { dtype: o.dtype, shape: o.shape, data: Float64Array.from(o.data) }, snap.ref[ex.target]);
}

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

test("every solution (the lecture's lines, run by CPython with our torch) passes the judge; exercise 1's all exact", () => {
  assert.equal(EXERCISES.length, 28);
  let exact = 0;
  for (const ex of EXERCISES) {
    const v = check(ex, ex.solution);
    if (ex.id.includes('(ex.')) assert.ok(v.kind === 'exact' || v.kind === 'approximate', `${ex.id}: ${v.kind}: ${v.message}`);
    else assert.equal(v.kind, 'exact', `${ex.id}: ${v.message}`);
    if (v.kind === 'exact') exact++;
  }
  // the lab computes on float32 tensors as PyTorch does, so every exercise-1 solution is exact, as in the lecture
  assert.equal(exact, 26, `only ${exact} exact`);
});

test('a wrong answer is wrong, with the max diff and an error map', () => {
  const v = check(exerciseById('probs'), 'dprobs = dlogprobs * probs');
  assert.equal(v.kind, 'wrong');
  assert.ok(v.maxdiff > 0.01 && /^maxdiff \d/.test(v.message));
  assert.equal(v.error?.length, 32 * s.cfg.vocabSize);
});

test("the keepdim slip is named: shape [32] but the tensor is [32, 1]: keepdim?", () => {
  const v = check(exerciseById('counts_sum_inv'), 'dcounts_sum_inv = (counts * dprobs).sum(1)');
  assert.equal(v.kind, 'shape');
  assert.equal(v.message, 'shape [32] but the tensor is [32, 1]: keepdim?');
  // the lecture's own dbnmeani line sums without keepdim: (64,) where bnmeani is (1, 64)
  assert.equal(check(exerciseById('bnmeani'), 'dbnmeani = (-dbndiff).sum(0)').message, 'shape [64] but the tensor is [1, 64]: keepdim?');
  const v2 = check(exerciseById('counts_sum_inv'), 'dcounts_sum_inv = counts * dprobs');
  assert.match(v2.message, /^shape \[32, 28\] but the tensor is \[32, 1\]: it was broadcast along dim 1/);
});

test('the runner: errors with their line, a missing assignment, no later gradients, no host modules, a fresh namespace', () => {
  const ex = exerciseById('probs');
  assert.match(check(ex, 'x = 1\ndprobs = dlogprob / probs').message, /^NameError: name 'dlogprob' is not defined \(line 2\)$/);
  assert.equal(check(ex, 'x = 1').message, 'your code did not assign dprobs');
  assert.match(check(ex, 'dprobs = (').message, /^SyntaxError: .* \(line 1\)$/);
  assert.equal(check(ex, 'dprobs = 3').message, 'dprobs is not a tensor (got int)');
  assert.match(check(ex, 'dprobs = Yb').message, /^dtype torch.int64: a gradient is a float tensor/);
  // later gradients are not given: no peeking at dcounts while writing dprobs; no .grad to copy from
  assert.match(check(ex, 'dprobs = dcounts').message, /name 'dcounts' is not defined/);
  assert.match(check(ex, 'dprobs = probs.grad * 1').message, /TypeError|NoneType/);
  for (const mod of ['js', 'pyodide', 'pyodide.ffi', '_bpn_torch', '_bpn_host', 'sys', 'importlib']) {
    assert.match(check(ex, `import ${mod}\ndprobs = dlogprobs / probs`).message, new RegExp(`^ImportError: import ${mod.replace('.', '\\.')} is not available in an exercise`), mod);
  }
  assert.match(check(ex, '__import__("js")').message, /ImportError: import js is not available/);
  assert.equal(check(ex, 'import math\ndprobs = (1.0 / probs) * dlogprobs * math.cos(0)').kind, 'exact');
  // nothing survives a run: a name stored by one run is gone in the next
  check(ex, 'stash = dlogprobs\ndprobs = stash');
  assert.match(check(ex, 'dprobs = stash').message, /name 'stash' is not defined/);
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
    for (const t of exerciseScope(e, s).tensors) assert.doesNotMatch(t.name, CAMEL, `${e.id} scope: ${t.name}`);
    // never the gradient it asks for
    assert.ok(!exerciseScope(e, s).tensors.some((t) => t.name === e.variable), e.id);
  }
  const names = (id: string): string[] => exerciseScope(exerciseById(id), s).tensors.map((t) => t.name);
  assert.ok(names('probs').includes('counts_sum_inv'));
  assert.ok(names('counts_sum').includes('dcounts_sum_inv'));
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
  assert.equal(ex.variable, 'dcounts_sum_inv');
  // v2 -> v3: the old function-syntax answers become comments, verdicts and hints stay
  const v3 = migrateProgressV2(m);
  assert.deepEqual(v3.code, {});
  assert.deepEqual(v3.status, m.status);
  assert.equal(v3.old?.counts_sum_inv, code);
  assert.equal(oldAnswerComment('a = 1\n\nb = 2').split('\n').slice(1).join('\n'), '# a = 1\n#\n# b = 2');
  assert.equal(check(ex, `${oldAnswerComment(code)}\ndcounts_sum_inv = (counts * dprobs).sum(1, keepdim=True)`).kind, 'exact');
});

test.after(() => {
  // the runtime holds no timers; nothing to close
});
