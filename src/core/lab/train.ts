// Exercise 4 in the lab, the pure part: which accepted answers make the learner's backward (the lecture's
// exercise-4 cell: the fused dlogits and dhprebn of exercises 2 and 3, exercise 1's lines for the rest), and
// one plan both trainings share: the init and every step's batch, drawn as the Train tab (and the CLI) draw
// them: MT19937(seed) gives the init, then each batch. The built-in backward (the fast engine's, checked
// against the autograd) trains on the plan in TypeScript; the learner's runs in the code runner.

import { drawBatch, type Dataset } from '../reference/data.js';
import { PARAM_NAMES, initParams, type ModelConfig, type Params } from '../reference/model.js';
import { MT19937 } from '../random/python.js';
import { EXERCISES, type ExerciseId } from './content.js';
import type { ExerciseScope, ScopeTensor } from './runner.js';

/** The answers exercise 4 runs each step, in the order of the lecture's exercise-4 cell. */
export const EX4_CHAIN: readonly ExerciseId[] = [
  'logits (ex.2)', 'h', 'W2', 'b2', 'hpreact', 'bngain', 'bnbias', 'hprebn (ex.3)', 'embcat', 'W1', 'b1', 'emb', 'C',
];

/** The gradients the chain computes (what a chain answer may read besides the forward's tensors). */
export const EX4_COMPUTED: readonly string[] = EX4_CHAIN.map((id) => EXERCISES.find((e) => e.id === id)?.variable ?? '');

export interface TrainSettings {
  steps: number;
  batchSize: number;
  seed: number;
  /** the learning rate for the first half of the steps, and for the second (the lecture's step decay) */
  lr: number;
  lrLate: number;
}

/** The lab's exercise 4: the Train tab's defaults (E 10, H 64, batch 32, lr 0.1 then 0.01 at half the steps). */
export const EX4_DEFAULTS: Omit<TrainSettings, 'steps'> = { batchSize: 32, seed: 42, lr: 0.1, lrLate: 0.01 };

export interface TrainPlan {
  cfg: ModelConfig;
  settings: TrainSettings;
  /** the first step at the late learning rate */
  decayStep: number;
  init: Params;
  /** every step's batch: X[(step * B + b) * T + t], Y[step * B + b] */
  X: Int32Array;
  Y: Int32Array;
}

/** The init and the batches of a run, exactly as the Train tab's worker draws them for the same seed. */
export function trainPlan(ds: Dataset, cfg: ModelConfig, settings: TrainSettings): TrainPlan {
  const { steps, batchSize: B } = settings;
  const T = cfg.blockSize;
  const rng = new MT19937(settings.seed);
  const init = initParams(cfg, 'float32', rng);
  const X = new Int32Array(steps * B * T);
  const Y = new Int32Array(steps * B);
  for (let i = 0; i < steps; i++) drawBatch(ds.train, T, rng, X.subarray(i * B * T, (i + 1) * B * T), Y.subarray(i * B, (i + 1) * B));
  return { cfg, settings, decayStep: Math.ceil(steps / 2), init, X, Y };
}

/** What the code runner gets for exercise 4: copies of the init, the batches as int64, the ints of the scope. */
export function trainScope(plan: TrainPlan): { params: ScopeTensor[]; X: ScopeTensor; Y: ScopeTensor; ints: ExerciseScope['ints'] } {
  const { cfg, settings: { steps, batchSize: B } } = plan;
  const params = PARAM_NAMES.map((k): ScopeTensor => ({ name: k, dtype: 'float32', shape: [...plan.init[k].shape], data: plan.init[k].data.slice() }));
  return {
    params,
    X: { name: 'X', dtype: 'int64', shape: [steps, B, cfg.blockSize], data: Float64Array.from(plan.X) },
    Y: { name: 'Y', dtype: 'int64', shape: [steps, B], data: Float64Array.from(plan.Y) },
    ints: {
      n: B, B, T: cfg.blockSize, E: cfg.nEmbd, H: cfg.nHidden, V: cfg.vocabSize, block_size: cfg.blockSize,
      vocab_size: cfg.vocabSize, n_embd: cfg.nEmbd, n_hidden: cfg.nHidden, batch_size: B,
    },
  };
}

/** Why an answer cannot run in exercise 4's chain: it reads a gradient the chain does not compute. */
export function missingGradientNote(exercise: string, missing: string): string {
  return `your answer for ${exercise} reads ${missing}, which exercise 4 does not compute: its backward is the lecture's ` +
    `exercise-4 cell (${EX4_COMPUTED.join(', ')}); write it from those and the forward's tensors`;
}

/**
 * Log10 losses averaged over buckets of `every` steps, as the lecture's plot (lossi.view(-1, k).mean(1)) and the
 * Train tab's curve: [the step at the bucket's end, mean log10 loss]. A last partial bucket is averaged too.
 */
export function bucketed(losses: ArrayLike<number>, every: number, from = 0): [number, number][] {
  const out: [number, number][] = [];
  for (let s = from; s < losses.length; s += every) {
    const e = Math.min(losses.length, s + every);
    let m = 0;
    for (let i = s; i < e; i++) m += Math.log10(losses[i]);
    out.push([e, m / (e - s)]);
  }
  return out;
}
