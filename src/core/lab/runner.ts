// What an exercise's code runs against: one batch's snapshot (the forward, the manual backward, the autograd's
// gradients, the check rows), and the tensors handed to the code runner under the lecture's names, as plain
// copies (dtype, shape, values): the forward's tensors, the parameters, Xb, Yb, and the upstream gradients the
// exercise needs as the autograd computed them (so one mistake never cascades). No gradient the exercise asks
// for is ever handed over.

import { runCheck, type CheckRow } from '../judge/check.js';
import {
  ACT_NAMES, PARAM_NAMES, type Acts, type GradName, type Grads, type ModelConfig, type Params,
} from '../reference/model.js';
import { dtypeOf, type Tensor } from '../reference/block.js';
import { codeName, lectureName } from '../reference/names.js';
import type { Exercise } from './content.js';

// ---------------------------------------------------------------------------------------------------------
// one batch, everything the lab shows

export interface Snapshot {
  cfg: ModelConfig;
  X: Int32Array;
  Y: Int32Array;
  loss: number;
  params: Params;
  acts: Acts;
  /** exercise 1, by hand (model.ts) */
  manual: Grads;
  /** the judge: the autograd's gradient of every tensor */
  ref: Record<GradName, Tensor>;
  /** exercise 1's check rows, by tensor; and the fused rows */
  rows: Record<GradName, CheckRow>;
  fused: CheckRow[];
}

/** The forward, the manual backward, the fused exercises and the autograd on one batch: the check table. */
export function snapshot(params: Params, X: Int32Array, Y: Int32Array, cfg: ModelConfig): Snapshot {
  const res = runCheck(params, X, Y, cfg);
  const rows = {} as Record<GradName, CheckRow>;
  for (const r of res.rows) rows[codeName(r.name) as GradName] = r;
  return {
    cfg, X, Y, loss: res.loss, params, acts: res.manual.acts, manual: res.manual.grads, ref: res.reference, rows, fused: res.fused,
  };
}

/** A tensor handed to the code runner: a copy of its values, with its torch dtype. */
export interface ScopeTensor {
  name: string;
  dtype: 'float32' | 'float64' | 'int64';
  shape: number[];
  data: Float32Array | Float64Array;
}

/** What an exercise's code may read, by the lecture's name: tensors, and the ints (n and the dims). */
export interface ExerciseScope {
  tensors: ScopeTensor[];
  ints: Record<string, number>;
  /** the gradients handed over (GradNames): a runner that has seen one keeps it out of exercises that ask for it */
  grads: GradName[];
}

const copyOf = (name: string, t: Tensor): ScopeTensor => ({
  name, dtype: dtypeOf(t.data), shape: [...t.shape], data: t.data.slice(),
});

/**
 * The exercise's scope: the forward's tensors and the parameters under the lecture's names, Xb and Yb (int64),
 * n and the dims, and the upstream gradients the exercise is given (the autograd's), each a fresh copy.
 */
export function exerciseScope(ex: Exercise, s: Snapshot): ExerciseScope {
  const { cfg } = s;
  const B = s.Y.length;
  const tensors: ScopeTensor[] = [
    { name: 'Xb', dtype: 'int64', shape: [B, cfg.blockSize], data: Float64Array.from(s.X) },
    { name: 'Yb', dtype: 'int64', shape: [B], data: Float64Array.from(s.Y) },
  ];
  for (const k of ACT_NAMES) tensors.push(copyOf(lectureName(k), s.acts[k]));
  for (const k of PARAM_NAMES) tensors.push(copyOf(k, s.params[k]));
  for (const k of ex.given) tensors.push(copyOf(`d${lectureName(k)}`, s.ref[k]));
  return {
    tensors,
    ints: { n: B, B, T: cfg.blockSize, E: cfg.nEmbd, H: cfg.nHidden, V: cfg.vocabSize, block_size: cfg.blockSize, vocab_size: cfg.vocabSize, n_embd: cfg.nEmbd, n_hidden: cfg.nHidden, batch_size: B },
    grads: [...ex.given],
  };
}
