// `npm run bench:alloc`: the lecture's 200k training steps (H=200, batch 32, float32, default engine) while
// counting garbage collections (PerformanceObserver 'gc') and sampling the heap: the step allocates
// nothing, so after warm-up there is no GC and heapUsed stays flat.
//
//   node dist/bench/alloc.js [-i names.txt] [--steps 200000] [--hidden 200] [--backend wasm|ref]

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { buildDataset, drawBatch, parseNames } from '../src/core/reference/data.js';
import { initParams } from '../src/core/reference/model.js';
import { MT19937 } from '../src/core/random/python.js';
import { Trainer, defaultEngine, parseEngine } from '../src/core/fast/engines.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string): string => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : dflt;
};
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const input = opt('-i', join(ROOT, '..', 'shared', 'data', 'names.txt'));
const steps = Number(opt('--steps', '200000'));
const H = Number(opt('--hidden', '200'));
const engine = parseEngine(opt('--backend', defaultEngine('float32')));

const ds = buildDataset(parseNames(readFileSync(input, 'utf8'), input), input);
const cfg = { vocabSize: ds.itos.length, nEmbd: 10, nHidden: H, blockSize: 3 };
const rng = new MT19937(42);
const t = new Trainer(cfg, 32, 'float32', initParams(cfg, 'float32', rng), { engine });
const warm = 2000;
for (let i = 0; i < warm; i++) {
  drawBatch(ds.train, 3, rng, t.X, t.Y);
  t.step(0.1);
}
let gcs = 0;
let gcMs = 0;
const obs = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    gcs++;
    gcMs += e.duration;
  }
});
obs.observe({ entryTypes: ['gc'] });
const heap0 = process.memoryUsage().heapUsed;
let heapMax = heap0;
let loss = 0;
const t0 = performance.now();
for (let i = 0; i < steps; i++) {
  drawBatch(ds.train, 3, rng, t.X, t.Y);
  loss = t.step(i < 100000 ? 0.1 : 0.01); // the lecture's schedule
  if ((i & 16383) === 0) heapMax = Math.max(heapMax, process.memoryUsage().heapUsed);
}
const sec = (performance.now() - t0) / 1000;
const heap1 = process.memoryUsage().heapUsed;
// let the observer deliver what it saw
await new Promise((r) => setTimeout(r, 50));
obs.disconnect();
console.log(
  `${steps} steps, H=${H}, batch 32, engine ${engine}: ${sec.toFixed(1)} s (${((sec / steps) * 1e6).toFixed(1)} us/step), last loss ${loss.toFixed(4)}\n` +
  `GCs during the steps: ${gcs} (${gcMs.toFixed(1)} ms); heapUsed ${(heap0 / 1024).toFixed(0)} KiB -> ${(heap1 / 1024).toFixed(0)} KiB (max sampled ${(heapMax / 1024).toFixed(0)} KiB)`,
);
