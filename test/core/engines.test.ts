// The fast engine against the reference: every kernel of 'wasm' against ops.ts (odd sizes that exercise
// the f32x4 tails included), whole training steps of 'wasm' and 'ref' side by side, the trainer's gradients
// against exercise 1, and the evaluation forward against its plain version. (The bench's 'ts' baseline is
// validated by the bench itself before it is timed.)

import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { validateKernels } from '../../bench/validate.js';
import { manualGradients } from '../../src/core/judge/check.js';
import { buildDataset, drawBatch, parseNames, type Dataset } from '../../src/core/reference/data.js';
import { Evaluator, evalLoss, evalLossRef } from '../../src/core/fast/evaluate.js';
import { PARAM_NAMES, initParams, type ModelConfig } from '../../src/core/reference/model.js';
import { MT19937 } from '../../src/core/random/python.js';
import { Trainer, defaultEngine, parseEngine, type Engine } from '../../src/core/fast/engines.js';
import { UserError } from '../../src/core/errors.js';
import { expectClose, readNamesTxt } from '../helpers.js';

let lectureDs: Dataset | undefined;
/** The lecture's names.txt as a dataset; undefined after skipping the test when the file is missing. */
function lecture(t: TestContext): Dataset | undefined {
  if (lectureDs !== undefined) return lectureDs;
  const text = readNamesTxt(t);
  return text === undefined ? undefined : (lectureDs = buildDataset(parseNames(text, 'names.txt'), 'names.txt'));
}
const cfgOf = (H: number): ModelConfig => ({ vocabSize: 27, nEmbd: 10, nHidden: H, blockSize: 3 });

for (const engine of ['wasm'] as const) {
  for (const [H, B] of [[64, 32], [200, 32], [7, 5], [13, 2], [30, 9]]) {
    test(`'${engine}' kernels agree with ops.ts (H=${H}, B=${B})`, () => {
      for (const d of validateKernels(engine, { V: 27, E: 10, T: 3, H, B })) {
        assert.ok(d.maxdiff <= 2e-6 * Math.max(1, d.maxref), `${d.kernel}: max abs diff ${d.maxdiff} (max |ref| ${d.maxref})`);
      }
    });
  }
}

test('defaultEngine: wasm for float32, ref for float64; fast engines refuse float64', () => {
  assert.equal(defaultEngine('float32'), 'wasm'); // 'ref' where wasm cannot compile
  assert.equal(defaultEngine('float64'), 'ref');
  assert.equal(new Trainer(cfgOf(8), 4).engine, 'wasm');
  assert.throws(() => new Trainer(cfgOf(8), 4, 'float64', undefined, { engine: 'wasm' }), /float32 only/);
  assert.throws(() => parseEngine('ts'), (e: unknown) => e instanceof UserError && /left the product/.test(e.message));
  assert.throws(() => parseEngine('gpu'), (e: unknown) => e instanceof UserError && /expected one of wasm, ref/.test(e.message));
});

test('20 training steps: wasm tracks ref (loss, grads, params), params trained in place', (t) => {
  const ds = lecture(t);
  if (ds === undefined) return;
  const cfg = cfgOf(64);
  const engines: Engine[] = ['ref', 'wasm'];
  const params = engines.map(() => initParams(cfg, 'float32', new MT19937(42)));
  const tr = engines.map((e, i) => new Trainer(cfg, 32, 'float32', params[i], { engine: e }));
  tr.forEach((t, i) => assert.equal(t.params, params[i]));
  const rng = new MT19937(5);
  for (let s = 0; s < 20; s++) {
    drawBatch(ds.train, 3, rng, tr[0].X, tr[0].Y);
    for (const t of tr.slice(1)) {
      t.X.set(tr[0].X);
      t.Y.set(tr[0].Y);
    }
    const loss = tr.map((t) => t.forward());
    tr.forEach((t) => t.backward());
    for (let i = 1; i < tr.length; i++) {
      assert.ok(Math.abs(loss[i] - loss[0]) <= 1e-5, `${engines[i]} step ${s}: loss ${loss[i]} vs ${loss[0]}`);
      expectClose(tr[i].grads.flat, tr[0].grads.flat, { atol: 1e-5, what: `${engines[i]} grads, step ${s}` });
    }
    tr.forEach((t) => t.update(0.1));
  }
  for (let i = 1; i < tr.length; i++) expectClose(params[i].flat, params[0].flat, { atol: 1e-4, what: `${engines[i]} params after 20 steps` });
});

test('wasm trainer without params: its params are views into wasm memory and train', (tc) => {
  const ds = lecture(tc);
  if (ds === undefined) return;
  const cfg = cfgOf(16);
  const t = new Trainer(cfg, 8);
  t.params.flat.set(initParams(cfg, 'float32', new MT19937(1)).flat);
  drawBatch(ds.train, 3, new MT19937(2), t.X, t.Y);
  const before = t.params.W1.data[0];
  const l1 = t.step(0.1);
  assert.ok(Number.isFinite(l1));
  assert.notEqual(t.params.W1.data[0], before);
});

test('the wasm trainer gradients match exercise 1 (manual backward) within float32 rounding', (tc) => {
  const ds = lecture(tc);
  if (ds === undefined) return;
  const cfg = cfgOf(64);
  const rng = new MT19937(42);
  const p = initParams(cfg, 'float32', rng);
  const t = new Trainer(cfg, 32, 'float32', p, { engine: 'wasm' });
  drawBatch(ds.train, 3, rng, t.X, t.Y);
  const loss = t.forward();
  t.backward();
  const m = manualGradients(p, t.X, t.Y, cfg);
  assert.ok(Math.abs(loss - m.loss) <= 1e-6, `loss ${loss} vs ${m.loss}`);
  for (const k of PARAM_NAMES) expectClose(t.grads[k].data, m.grads[k].data, { atol: 1e-6, what: `d${k}` });
  expectClose(t.dacts.dlogits.data, m.dlogitsFused.data, { atol: 1e-8, what: 'dlogits (ex.2)' });
});

test('evalLoss (wasm, folded) agrees with the plain eval forward; float64 runs the plain one', (t) => {
  const ds = lecture(t);
  if (ds === undefined) return;
  const cfg = cfgOf(24);
  const p = initParams(cfg, 'float32', new MT19937(3));
  const rng = new MT19937(4);
  const mean = new Float32Array(24).map(() => rng.normal() * 0.3);
  const v = new Float32Array(24).map(() => 0.5 + rng.random());
  const n = 3001; // not a multiple of the chunk
  const ref = evalLossRef(p, mean, v, ds.val.X, ds.val.Y, n, cfg);
  const ev = new Evaluator(cfg, 'wasm');
  const w = ev.loss(p, mean, v, ds.val.X, ds.val.Y, n);
  assert.ok(Math.abs(w - ref) <= 1e-5, `wasm ${w} vs ref ${ref}`);
  assert.equal(ev.loss(p, mean, v, ds.val.X, ds.val.Y, n), w, 'an Evaluator is reusable');
  assert.equal(ev.engineFor(p), 'wasm');
  assert.equal(new Evaluator(cfg, 'ref').loss(p, mean, v, ds.val.X, ds.val.Y, n), ref, "'ref' asked is the plain forward");
  assert.ok(Math.abs(evalLoss(p, mean, v, ds.val.X, ds.val.Y, cfg) - evalLossRef(p, mean, v, ds.val.X, ds.val.Y, ds.val.n, cfg)) <= 1e-5);
  const p64 = initParams(cfg, 'float64', new MT19937(3));
  const r64 = evalLoss(p64, Float64Array.from(mean), Float64Array.from(v), ds.val.X, ds.val.Y, cfg, n);
  assert.ok(Math.abs(r64 - ref) <= 1e-4, `float64 ${r64} vs float32 ${ref}`);
  assert.throws(() => evalLoss(p, mean, v, ds.val.X, ds.val.Y, cfg, 0), /at least one row/);
});
