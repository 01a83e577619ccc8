// Exercise 4's other half, off the page's thread: the built-in backward (the fast engine the Train tab and the
// CLI train with, checked against the autograd) on the same init and batches as the learner's run, kept in
// step with it; then both models evaluated as the Train tab does (batchnorm calibrated on the training split,
// the split losses, names sampled with the same generator). The learner's parameters come here as values the
// page copied out of the code runner's reply; nothing of this worker is reachable from the learner's code.

import { buildDataset } from '../src/core/reference/data.js';
import { embeddedNames, EMBEDDED_SOURCE } from '../src/core/reference/embedded.js';
import { allocParams, type ModelConfig } from '../src/core/reference/model.js';
import { MT19937 } from '../src/core/random/python.js';
import { calibrateBatchnorm, Inference, sampleNames } from '../src/core/run/infer.js';
import { Trainer } from '../src/core/fast/engines.js';

export interface BuiltinPlan {
  cfg: ModelConfig;
  batchSize: number;
  seed: number;
  /** the init, PARAM_NAMES order, flat */
  init: Float32Array;
  X: Int32Array;
  Y: Int32Array;
  steps: number;
  lr: number;
  lrLate: number;
  decayStep: number;
}

export interface ModelReport {
  train: number;
  val: number;
  names: string[];
}

export type BuiltinRequest =
  | { type: 'plan'; plan: BuiltinPlan }
  /** train up to this step (the learner's run has reached it) */
  | { type: 'advance'; step: number }
  /** evaluate the built-in model where it is, and the learner's parameters (flat, PARAM_NAMES order) */
  | { type: 'evaluate'; yours: Float32Array | null };

export type BuiltinReply =
  | { type: 'losses'; from: number; losses: number[] }
  | { type: 'report'; step: number; builtin: ModelReport; yours: ModelReport | null }
  | { type: 'error'; message: string };

/** How many names each model samples. */
export const NAMES = 12;

const post = (m: BuiltinReply): void => self.postMessage(m);
let run: { plan: BuiltinPlan; trainer: Trainer; step: number } | null = null;
const ds = buildDataset(embeddedNames(), EMBEDDED_SOURCE);

function advance(to: number): void {
  if (run === null) return;
  const { plan, trainer } = run;
  const B = plan.batchSize;
  const T = plan.cfg.blockSize;
  const from = run.step;
  const losses: number[] = [];
  for (let i = from; i < Math.min(to, plan.steps); i++) {
    trainer.X.set(plan.X.subarray(i * B * T, (i + 1) * B * T));
    trainer.Y.set(plan.Y.subarray(i * B, (i + 1) * B));
    losses.push(trainer.forward());
    trainer.backward();
    trainer.update(i < plan.decayStep ? plan.lr : plan.lrLate);
  }
  run.step = from + losses.length;
  if (losses.length > 0) post({ type: 'losses', from, losses });
}

function report(flat: Float32Array, cfg: ModelConfig, seed: number): ModelReport {
  const p = allocParams(cfg, 'float32');
  p.flat.set(flat);
  const bn = calibrateBatchnorm(p, cfg, ds.train);
  const model = new Inference(p, cfg, bn);
  return { train: model.splitLoss(ds.train), val: model.splitLoss(ds.val), names: sampleNames(model, ds.itos, new MT19937(seed + 10), NAMES) };
}

self.onmessage = (e: MessageEvent<BuiltinRequest>): void => {
  const m = e.data;
  try {
    if (m.type === 'plan') {
      const p = allocParams(m.plan.cfg, 'float32');
      p.flat.set(m.plan.init);
      run = { plan: m.plan, trainer: new Trainer(m.plan.cfg, m.plan.batchSize, 'float32', p), step: 0 };
    } else if (m.type === 'advance') {
      advance(m.step);
    } else if (m.type === 'evaluate' && run !== null) {
      const { plan, trainer } = run;
      const builtin = report(Float32Array.from(trainer.params.flat), plan.cfg, plan.seed);
      const yours = m.yours === null ? null : report(m.yours, plan.cfg, plan.seed);
      post({ type: 'report', step: run.step, builtin, yours });
    }
  } catch (err) {
    post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
};
