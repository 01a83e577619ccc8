// Not a test by itself: train.test.ts runs this module in a child process (node --expose-gc, with
// BPN_ALLOC_PROBE=1) to measure what one training step allocates. A fresh process, so the JIT's state is the
// same wherever the tests run: in one shared process it depended on which tests ran before (on a fresh
// clone the names.txt tests are skipped, and the loop was measured less optimised).
//
// What the steps allocated is the heap's growth plus what every collection during them freed
// (v8.GCProfiler reports the heap before and after each), so a scavenge cannot hide it. Printed as JSON:
// bytes a step for each window of N steps after the warm-up.

import v8 from 'node:v8';
import { Trainer } from '../src/core/fast/engines.js';
import { buildDataset } from '../src/core/reference/data.js';
import { embeddedNames } from '../src/core/reference/embedded.js';
import { initParams, type ModelConfig } from '../src/core/reference/model.js';
import { MT19937 } from '../src/core/random/python.js';
import { TrainLoop } from '../src/core/run/loop.js';

export const PROBE_ENV = 'BPN_ALLOC_PROBE';

if (process.env[PROBE_ENV] === '1') {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with node --expose-gc');
  const ds = buildDataset(embeddedNames(), 'embedded');
  const cfg: ModelConfig = { vocabSize: ds.itos.length, nEmbd: 10, nHidden: 16, blockSize: 3 };
  const rng = new MT19937(42);
  const loop = new TrainLoop(new Trainer(cfg, 32, 'float32', initParams(cfg, 'float32', rng)), ds.train, rng,
    { learningRate: 0.1, lrDecayStep: 1e9, maxSteps: 1e9 });
  const N = 5000;
  let end = 4000;
  loop.run(end, Infinity, () => 0); // warm up: the JIT's compiled code is allocated once, here
  const windows: { bytesPerStep: number; collections: number }[] = [];
  for (let w = 0; w < 3; w++) {
    gc();
    const prof = new v8.GCProfiler();
    const h0 = v8.getHeapStatistics().used_heap_size;
    prof.start();
    loop.run((end += N), Infinity, () => 0);
    const h1 = v8.getHeapStatistics().used_heap_size;
    const gcs = prof.stop().statistics;
    const freed = gcs.reduce((s, g) => s + g.beforeGC.heapStatistics.usedHeapSize - g.afterGC.heapStatistics.usedHeapSize, 0);
    windows.push({ bytesPerStep: (h1 - h0 + freed) / N, collections: gcs.length });
  }
  process.stdout.write(`${JSON.stringify(windows)}\n`);
}
