// Messages between the page and the Train tab's worker. Plain data only (structured clone).

import type { ModelConfig, ParamName } from '../src/core/reference/model.js';

// ---- train worker ----------------------------------------------------------------------------------------
export interface TrainOptions {
  /** the names file's text, or null for the embedded default */
  text: string | null;
  source: string;
  nHidden: number;
  nEmbd: number;
  batchSize: number;
  steps: number;
  lr: number;
  /** the learning rate for the second half of the steps (the lecture's step decay) */
  lrLate: number;
  seed: number;
}

export type TrainRequest =
  | { type: 'start'; opts: TrainOptions }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' };

export interface DataInfo {
  source: string;
  names: number;
  vocab: string;
  split: [number, number, number];
}

export interface Progress {
  type: 'progress';
  step: number;
  steps: number;
  /** averaged log10 losses, new since the last message: [step at the bucket's end, mean log10 loss] */
  points: [number, number][];
  /** the mean loss of the last bucket */
  loss: number;
  stepsPerSec: number;
  /** tanh activations of the last batch: 40 bins over [-1, 1], and the fraction with |h| > 0.97 */
  hist: number[];
  saturated: number;
  /** log10(std(lr * grad) / std(param)) per parameter, at the last step */
  ud: Record<ParamName, number>;
}

export interface TrainedModel {
  cfg: ModelConfig;
  itos: string[];
  seed: number;
  /** parameters in PARAM_NAMES order, one flat float32 buffer (Params layout) */
  flat: Float32Array;
  bnmean: Float64Array;
  bnvar: Float64Array;
  source: string;
  trained: boolean;
}

export type TrainResponse =
  | { type: 'ready'; info: DataInfo }
  | Progress
  | { type: 'done'; step: number; elapsed: number; model: TrainedModel; losses: { train: number; val: number }; samples: string[] }
  | { type: 'error'; message: string };
