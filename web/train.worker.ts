// Training off the page's thread: data, init, the core's training loop (TrainLoop), progress every ~40 ms,
// pause/resume/stop, then batchnorm calibration, split losses and samples.

import { buildDataset, parseNames, type Dataset } from '../src/core/reference/data.js';
import { embeddedNames, EMBEDDED_SOURCE } from '../src/core/reference/embedded.js';
import { PARAM_NAMES, initParams, type ModelConfig, type ParamName } from '../src/core/reference/model.js';
import { MT19937 } from '../src/core/random/python.js';
import { calibrateBatchnorm, Inference, sampleNames } from '../src/core/run/infer.js';
import { lrAt, TrainLoop } from '../src/core/run/loop.js';
import { Trainer } from '../src/core/fast/engines.js';
import type { FloatArray } from '../src/core/reference/block.js';
import type { Progress, TrainOptions, TrainRequest, TrainResponse } from './protocol.js';

const post = (m: TrainResponse): void => self.postMessage(m);

interface Run {
  opts: TrainOptions;
  ds: Dataset;
  /** the core's training loop, the CLI's too: batches, steps and schedule */
  loop: TrainLoop;
  paused: boolean;
  stopped: boolean;
  bucket: number[];
  avgEvery: number;
  t0: number;
  runTime: number;
  /** a slice is queued: never queue two (pause + resume between slices must not start a second chain) */
  queued: boolean;
}

function schedule(r: Run): void {
  if (r.queued) return;
  r.queued = true;
  setTimeout(() => {
    r.queued = false;
    guarded(r);
  }, 0);
}

let run: Run | null = null;

function std(a: FloatArray, scale = 1): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  const m = s / a.length;
  let v = 0;
  for (let i = 0; i < a.length; i++) v += (a[i] - m) * (a[i] - m);
  return Math.sqrt(v / Math.max(1, a.length - 1)) * Math.abs(scale);
}

function start(opts: TrainOptions): void {
  const words = opts.text === null ? embeddedNames() : parseNames(opts.text, opts.source);
  const ds = buildDataset(words, opts.text === null ? EMBEDDED_SOURCE : opts.source);
  if (ds.train.n < opts.batchSize) throw new Error(`${opts.source}: only ${ds.train.n} training rows; need at least a batch of ${opts.batchSize}`);
  post({ type: 'ready', info: { source: ds.source, names: words.length, vocab: ds.itos.join(''), split: [ds.train.n, ds.val.n, ds.test.n] } });
  const cfg: ModelConfig = { vocabSize: ds.itos.length, nEmbd: opts.nEmbd, nHidden: opts.nHidden, blockSize: ds.blockSize };
  const rng = new MT19937(opts.seed);
  const trainer = new Trainer(cfg, opts.batchSize, 'float32', initParams(cfg, 'float32', rng));
  // the lecture's step decay at half the steps, to the lab's chosen second rate
  const sched = { learningRate: opts.lr, lateLearningRate: opts.lrLate, lrDecayStep: Math.ceil(opts.steps / 2), maxSteps: opts.steps };
  const r: Run = {
    opts, ds, loop: new TrainLoop(trainer, ds.train, rng, sched), paused: false, stopped: false, bucket: [],
    avgEvery: Math.max(1, Math.floor(opts.steps / 100)), t0: performance.now(), runTime: 0, queued: false,
  };
  run = r;
  schedule(r);
}

/** Steps for ~40 ms, then one progress message, then yields so pause/stop messages get through. */
function slice(r: Run): void {
  if (r !== run || r.paused) return; // a run that was replaced, or paused: its chain ends here
  const { loop, opts } = r;
  const tr = loop.trainer;
  const t0 = performance.now();
  const from = loop.step;
  if (!r.stopped && loop.run(Infinity, t0 + 40) === 'nonfinite') {
    throw new Error(`the loss became ${loop.losses[loop.step]} at step ${loop.step}: the run diverged; try a lower learning rate`);
  }
  const points: [number, number][] = [];
  let lastLoss = NaN;
  for (let i = from; i < loop.step; i++) {
    r.bucket.push(Math.log10(loop.losses[i]));
    if (r.bucket.length === r.avgEvery || i + 1 === opts.steps) {
      const m = r.bucket.reduce((a, b) => a + b, 0) / r.bucket.length;
      points.push([i + 1, m]);
      lastLoss = Math.pow(10, m);
      r.bucket = [];
    }
  }
  const lr = lrAt(loop.schedule, Math.max(0, loop.step - 1));
  const dt = performance.now() - t0;
  r.runTime += dt;
  const h = tr.acts.h.data;
  const hist = new Array<number>(40).fill(0);
  let sat = 0;
  for (let i = 0; i < h.length; i++) {
    hist[Math.min(39, Math.floor(((h[i] + 1) / 2) * 40))]++;
    if (Math.abs(h[i]) > 0.97) sat++;
  }
  const ud = {} as Record<ParamName, number>;
  for (const k of PARAM_NAMES) ud[k] = Math.log10(std(tr.grads[k].data, lr) / std(tr.params[k].data));
  const msg: Progress = {
    type: 'progress', step: loop.step, steps: opts.steps, points, loss: lastLoss,
    stepsPerSec: loop.step / (r.runTime / 1000), hist, saturated: sat / h.length, ud,
  };
  post(msg);
  if (loop.step >= opts.steps || r.stopped) finish(r);
  else schedule(r);
}

/** A failure inside a slice becomes an error message for the page, not an uncaught worker error. */
function guarded(r: Run): void {
  try {
    slice(r);
  } catch (err) {
    run = null;
    post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
}

function finish(r: Run): void {
  run = null;
  const { loop, ds } = r;
  const tr = loop.trainer;
  const bn = calibrateBatchnorm(tr.params, tr.cfg, ds.train);
  const model = new Inference(tr.params, tr.cfg, bn);
  const losses = { train: model.splitLoss(ds.train), val: model.splitLoss(ds.val) };
  const samples = sampleNames(model, ds.itos, new MT19937(r.opts.seed + 10), 12);
  post({
    type: 'done', step: loop.step, elapsed: (performance.now() - r.t0) / 1000, losses, samples,
    model: {
      cfg: tr.cfg, itos: [...ds.itos], seed: r.opts.seed, flat: Float32Array.from(tr.params.flat),
      bnmean: Float64Array.from(bn.bnmean), bnvar: Float64Array.from(bn.bnvar), source: ds.source, trained: loop.step > 0,
    },
  });
}

self.onmessage = (e: MessageEvent<TrainRequest>): void => {
  const m = e.data;
  try {
    if (m.type === 'start') {
      run = null;
      start(m.opts);
    } else if (run !== null && m.type === 'pause') {
      run.paused = true;
    } else if (run !== null && m.type === 'resume' && run.paused) {
      run.paused = false;
      const r = run;
      schedule(r);
    } else if (run !== null && m.type === 'stop') {
      run.stopped = true;
      if (run.paused) finish(run);
    }
  } catch (err) {
    run = null;
    post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
};
