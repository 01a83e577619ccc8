import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildDataset, drawBatch } from '../../src/core/reference/data.js';
import { embeddedNames } from '../../src/core/reference/embedded.js';
import { EXERCISES, GRAPH, exerciseById, type Exercise } from '../../src/core/lab/content.js';
import { judge, shapeHint, unravel, type Verdict } from '../../src/core/lab/judge.js';
import { migrateProgressV1, migrateProgressV2, oldAnswerComment } from '../../src/core/lab/progress.js';
import { exerciseScope, snapshot, type Snapshot } from '../../src/core/lab/runner.js';
import { ExerciseRunner, ExerciseTrainer, type TrainFailure } from '../../src/notebook/exercise.js';
import { EX4_CHAIN, EX4_DEFAULTS, missingGradientNote, trainPlan, trainScope } from '../../src/core/lab/train.js';
import { Trainer } from '../../src/core/fast/engines.js';
import { NotebookRuntime } from '../../src/notebook/runtime.js';
import { pyodideIndexURL } from '../../src/node/notebook-worker.js';
import { codeName, lectureName, lectureText } from '../../src/core/reference/names.js';
import { ACT_NAMES, GRAD_NAMES, PARAM_NAMES, allocParams, initParams } from '../../src/core/reference/model.js';
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

test("where it is wrong, as the tensor's index: [0, 10], not a flat index", () => {
  assert.deepEqual(unravel(10, [32, 27]), [0, 10]);
  assert.deepEqual(unravel(30, [32, 27]), [1, 3]);
  assert.deepEqual(unravel(47, [32, 3, 10]), [1, 1, 7]);
  assert.deepEqual(unravel(5, [64]), [5]);
  const V = s.cfg.vocabSize;
  const v = check(exerciseById('probs'), 'dprobs = (1.0 / probs) * dlogprobs\ndprobs[0, 10] += 1\ndprobs[3, 2] -= 1');
  assert.equal(v.kind, 'wrong');
  assert.match(v.message, new RegExp(`^maxdiff 1; 2 of ${32 * V} values are off, the first at \\[0, 10\\]: yours -?[\\d.e-]+, autograd -?[\\d.e-]+$`));
  assert.equal(v.bad, 2);
});

test("the keepdim slip is named: shape [32] but the tensor is [32, 1]: keepdim?", () => {
  const v = check(exerciseById('counts_sum_inv'), 'dcounts_sum_inv = (counts * dprobs).sum(1)');
  assert.equal(v.kind, 'shape');
  // the values are right, in order: the message says so, as the lab's map of the differences does
  assert.equal(v.message, 'shape [32] but the tensor is [32, 1]: keepdim? (your values are right, in order: only the shape is wrong)');
  assert.equal(v.bad, 0);
  // the lecture's own dbnmeani line sums without keepdim: (64,) where bnmeani is (1, 64)
  assert.equal(check(exerciseById('bnmeani'), 'dbnmeani = (-dbndiff).sum(0)').message,
    'shape [64] but the tensor is [1, 64]: keepdim? (your values are right, in order: only the shape is wrong)');
  const off = check(exerciseById('counts_sum_inv'), 'dcounts_sum_inv = (counts * dprobs).sum(1) * 2');
  assert.match(off.message, /^shape \[32\] but the tensor is \[32, 1\]: keepdim\? \(and (\d+) of 32 values differ, in order\)$/);
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
    for (const text of [e.id, e.variable, e.forward, e.local, e.shape, e.chain, e.solution]) assert.doesNotMatch(text, CAMEL, `${e.id}: ${text}`);
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

/** Code without spaces, brackets' insides kept: how a line is compared with a hint's text. */
const squash = (t: string): string => t.replace(/\s+/g, '');

test('hints come in stages: the local derivative, then the shapes, then the line; the shapes never give the line', () => {
  for (const e of EXERCISES) {
    assert.ok(e.local.length > 10 && e.shape.length > 10, e.id);
    assert.notEqual(squash(e.local), squash(e.shape), e.id);
    const hint = squash(e.shape);
    // no right-hand side of the lecture's line (or of the Graph tab's one-line derivative) is in the shapes hint
    for (const line of [...e.solution.split('\n'), e.chain]) {
      const rhs = line.trim().startsWith('#') ? '' : line.split(/[-+*/]?=(?!=)/).slice(1).join('=');
      if (squash(rhs).length > 3) assert.ok(!hint.includes(squash(rhs)), `${e.id}: the shapes hint gives away ${rhs.trim()}`);
    }
    assert.ok(!hint.includes(`${e.variable}=`), `${e.id}: the shapes hint assigns ${e.variable}`);
    assert.ok(/\((B|1|H|T\*E|V)[,)]|\(\w+,?\)/.test(e.shape), `${e.id}: the shapes hint names a shape`);
  }
});

// ---- exercise 4: the lecture's training loop with the learner's own backward (python/_bpn_exercise.py) ----

const ds4 = buildDataset(embeddedNames(), 'embedded');
const cfg4 = { vocabSize: ds4.itos.length, nEmbd: 10, nHidden: 64, blockSize: ds4.blockSize };
const trainer4 = ExerciseTrainer.create(rt);

/** Trains `steps` steps with these answers (the lecture's solutions where not given); returns the losses or the failure. */
function train4(steps: number, answers: Partial<Record<string, string>> = {}): { losses: number[]; plan: ReturnType<typeof trainPlan> } | TrainFailure {
  const plan = trainPlan(ds4, cfg4, { ...EX4_DEFAULTS, steps });
  const sc = trainScope(plan);
  const chain = EX4_CHAIN.map((id) => ({ exercise: id, variable: exerciseById(id).variable, code: answers[id] ?? exerciseById(id).solution }));
  const st = trainer4.start({ chain, params: sc.params, X: sc.X, Y: sc.Y, ints: sc.ints, steps, lr: plan.settings.lr, lrLate: plan.settings.lrLate, decayStep: plan.decayStep });
  if (!st.ok) return st;
  const losses: number[] = [];
  for (;;) {
    const r = trainer4.run(1000);
    if (!r.ok) return r;
    losses.push(...r.losses);
    if (r.step >= steps) return { losses, plan };
  }
}

/** The built-in backward (the fast engine's) on the same plan: its per-step losses. */
function builtin4(plan: ReturnType<typeof trainPlan>): number[] {
  const p = allocParams(cfg4, 'float32');
  p.flat.set(plan.init.flat);
  const t = new Trainer(cfg4, plan.settings.batchSize, 'float32', p);
  const B = plan.settings.batchSize;
  const T = cfg4.blockSize;
  const out: number[] = [];
  for (let i = 0; i < plan.settings.steps; i++) {
    t.X.set(plan.X.subarray(i * B * T, (i + 1) * B * T));
    t.Y.set(plan.Y.subarray(i * B, (i + 1) * B));
    out.push(t.forward());
    t.backward();
    t.update(i < plan.decayStep ? plan.settings.lr : plan.settings.lrLate);
  }
  return out;
}

test("exercise 4: the lecture's answers train as the built-in backward does, on the same batches; a wrong answer does not", () => {
  const steps = 30;
  const mine = train4(steps);
  assert.ok('losses' in mine, JSON.stringify(mine));
  const ref = builtin4(mine.plan);
  // step 0: the same init and batch, two float32 forwards: the loss to float32 rounding of ~3.3 (a few ulps)
  assert.ok(Math.abs(mine.losses[0] - ref[0]) < 4 * 2 ** -23 * 4, `${mine.losses[0]} vs ${ref[0]}`);
  // then the two trainings part only by rounding (the runner's torch and the fast engine sum in other
  // orders): measured 2.3e-7 over 300 steps; a wrong gradient moves the loss by more than 1e-3 in 30
  let md = 0;
  for (let i = 0; i < steps; i++) md = Math.max(md, Math.abs(mine.losses[i] - ref[i]));
  assert.ok(md < 1e-5, `max |difference| ${md}`);
  assert.ok(mine.losses[steps - 1] < mine.losses[0] - 0.2, `the loss fell: ${mine.losses[0]} -> ${mine.losses[steps - 1]}`);
  // a slip in dhpreact (1 - h instead of 1 - h**2): the curves part
  const slip = train4(steps, { hpreact: 'dhpreact = (1.0 - h) * dh' });
  assert.ok('losses' in slip);
  let sd = 0;
  for (let i = 0; i < steps; i++) sd = Math.max(sd, Math.abs(slip.losses[i] - ref[i]));
  assert.ok(sd > 1e-3, `max |difference| with the slip ${sd}`);
});

test('exercise 4: an answer that fails names its exercise and line; one that reads a gradient the chain lacks says so', () => {
  const broken = train4(3, { W2: 'x = 1\ndW2 = h.T @ dlogit' });
  assert.ok(!('losses' in broken));
  assert.equal(broken.exercise, 'W2');
  assert.match(broken.error, /^NameError: name 'dlogit' is not defined \(line 2\)$/);
  assert.equal(broken.missing, 'dlogit');
  assert.match(missingGradientNote('W2', 'dlogprobs'), /reads dlogprobs, which exercise 4 does not compute: .*dlogits, dh, dW2/);
  // an answer that reads exercise 1's tensors (probs) runs on the chunked forward, and trains as well
  const chunked = train4(5, { 'logits (ex.2)': 'dlogits = probs.clone()\ndlogits[range(n), Yb] -= 1\ndlogits /= n' });
  assert.ok('losses' in chunked, JSON.stringify(chunked));
  const ref = builtin4(chunked.plan);
  for (let i = 0; i < 5; i++) assert.ok(Math.abs(chunked.losses[i] - ref[i]) < 1e-5, `${i}: ${chunked.losses[i]} vs ${ref[i]}`);
  const shape = train4(2, { b2: 'db2 = dlogits.sum(0, keepdim=True)' });
  assert.ok(!('losses' in shape));
  assert.match(shape.error, /^db2 is shape \[1, 28\], but b2 is \[28\]$/);
});

test.after(() => {
  // the runtime holds no timers; nothing to close
});
