import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildDataset, buildWindows, drawBatch } from '../../src/core/reference/data.js';
import { embeddedNames } from '../../src/core/reference/embedded.js';
import { initParams } from '../../src/core/reference/model.js';
import { MT19937 } from '../../src/core/random/python.js';
import { calibrateBatchnorm, Inference, sampleNames, type BnStats } from '../../src/core/run/infer.js';
import type { Params } from '../../src/core/reference/model.js';
import { Trainer } from '../../src/core/fast/engines.js';
import { expectClose } from '../helpers.js';

const ds = buildDataset(embeddedNames(), 'embedded');
const cfg = { vocabSize: ds.itos.length, nEmbd: 10, nHidden: 16, blockSize: 3 };
const splitLoss = (p: Params, bn: BnStats, split: typeof ds.train): number => new Inference(p, cfg, bn).splitLoss(split);
const sample = (p: Params, bn: BnStats, n: number, seed: number, opts: { temperature?: number; topK?: number } = {}): string[] =>
  sampleNames(new Inference(p, cfg, bn, 1), ds.itos, new MT19937(seed), n, opts);

test('calibration and split loss on a split that is one batch equal the training forward on that batch', () => {
  const split = buildWindows(ds.words.slice(0, 60), ds.itos, 3);
  // more rows than one chunk of the evaluation (256) and of this calibration (17), so chunking is exercised
  assert.ok(split.n > 256, `${split.n} rows`);
  const tr = new Trainer(cfg, split.n, 'float64', initParams(cfg, 'float64', 7));
  tr.X.set(split.X);
  tr.Y.set(split.Y);
  const loss = tr.forward();
  const bn = calibrateBatchnorm(tr.params, cfg, split, 17);
  expectClose(bn.bnmean, tr.acts.bnmean.data, { atol: 1e-12, what: 'bnmean' });
  expectClose(bn.bnvar, tr.acts.bnvar.data, { atol: 1e-12, rtol: 1e-12, what: 'bnvar' });
  assert.ok(Math.abs(splitLoss(tr.params, bn, split) - loss) < 1e-12);
});

test('training lowers the split loss; samples are reproducible by seed, top-k 1 is greedy', () => {
  const rng = new MT19937(3);
  const tr = new Trainer(cfg, 32, 'float32', initParams(cfg, 'float32', rng));
  const before = splitLoss(tr.params, calibrateBatchnorm(tr.params, cfg, ds.train), ds.val);
  for (let i = 0; i < 300; i++) {
    drawBatch(ds.train, 3, rng, tr.X, tr.Y);
    tr.step(0.1);
  }
  const bn = calibrateBatchnorm(tr.params, cfg, ds.train);
  const after = splitLoss(tr.params, bn, ds.val);
  assert.ok(after < before - 0.4, `val loss ${before} -> ${after}`);
  const a = sample(tr.params, bn, 10, 5);
  assert.deepEqual(sample(tr.params, bn, 10, 5), a);
  assert.notDeepEqual(sample(tr.params, bn, 10, 6), a);
  assert.ok(a.every((w) => [...w].every((ch) => ds.itos.includes(ch) && ch !== '.')));
  const greedy = sample(tr.params, bn, 5, 1, { topK: 1 });
  assert.equal(new Set(greedy).size, 1);
  const cold = sample(tr.params, bn, 5, 1, { temperature: 1e-3 });
  assert.deepEqual(cold, greedy, 'a temperature near 0 is greedy too');
  assert.throws(() => sample(tr.params, bn, 1, 1, { temperature: 0 }), /temperature must be a number > 0/);
  assert.throws(() => sample(tr.params, bn, 1, 1, { topK: 1.5 }), /top-k must be an integer/);
});
