import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildDataset, buildWindows, drawBatch } from '../src/core/data.js';
import { embeddedNames } from '../src/core/embedded.js';
import { initParams } from '../src/core/model.js';
import { MT19937 } from '../src/core/rng.js';
import { calibrateBatchnorm, sampleNames, splitLoss } from '../src/core/sample.js';
import { Trainer } from '../src/core/train.js';
import { expectClose } from './helpers.js';

const ds = buildDataset(embeddedNames(), 'embedded');
const cfg = { vocabSize: ds.itos.length, nEmbd: 10, nHidden: 16, blockSize: 3 };

test('calibration and split loss on a split that is one batch equal the training forward on that batch', () => {
  const split = buildWindows(ds.words.slice(0, 20), ds.itos, 3);
  const tr = new Trainer(cfg, split.n, 'float64', initParams(cfg, 'float64', 7));
  tr.X.set(split.X);
  tr.Y.set(split.Y);
  const loss = tr.forward();
  // chunks smaller than the split, so the chunking is exercised too
  const bn = calibrateBatchnorm(tr.params, cfg, split, 17);
  expectClose(bn.mean, tr.acts.bnmean.data, { atol: 1e-12, what: 'bnmean' });
  expectClose(bn.var, tr.acts.bnvar.data, { atol: 1e-12, rtol: 1e-12, what: 'bnvar' });
  assert.ok(Math.abs(splitLoss(tr.params, cfg, bn, split, 13) - loss) < 1e-12);
});

test('training lowers the split loss; samples are reproducible by seed, top-k 1 is greedy', () => {
  const rng = new MT19937(3);
  const tr = new Trainer(cfg, 32, 'float32', initParams(cfg, 'float32', rng));
  const before = splitLoss(tr.params, cfg, calibrateBatchnorm(tr.params, cfg, ds.train), ds.val);
  for (let i = 0; i < 300; i++) {
    drawBatch(ds.train, 3, rng, tr.X, tr.Y);
    tr.step(0.1);
  }
  const bn = calibrateBatchnorm(tr.params, cfg, ds.train);
  const after = splitLoss(tr.params, cfg, bn, ds.val);
  assert.ok(after < before - 0.4, `val loss ${before} -> ${after}`);
  const a = sampleNames(tr.params, cfg, bn, ds.itos, { count: 10, seed: 5 });
  assert.deepEqual(sampleNames(tr.params, cfg, bn, ds.itos, { count: 10, seed: 5 }), a);
  assert.notDeepEqual(sampleNames(tr.params, cfg, bn, ds.itos, { count: 10, seed: 6 }), a);
  assert.ok(a.every((w) => [...w].every((ch) => ds.itos.includes(ch) && ch !== '.')));
  const greedy = sampleNames(tr.params, cfg, bn, ds.itos, { count: 5, seed: 1, topK: 1 });
  assert.equal(new Set(greedy).size, 1);
  const cold = sampleNames(tr.params, cfg, bn, ds.itos, { count: 5, seed: 1, temperature: 1e-3 });
  assert.deepEqual(cold, greedy, 'a temperature near 0 is greedy too');
  assert.throws(() => sampleNames(tr.params, cfg, bn, ds.itos, { count: 1, seed: 1, temperature: 0 }), /temperature must be > 0/);
  assert.throws(() => sampleNames(tr.params, cfg, bn, ds.itos, { count: 1, seed: 1, topK: 1.5 }), /top-k must be an integer/);
});
