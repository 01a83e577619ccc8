// Messages between the page and its two workers. Plain data only (structured clone).

import type { ModelConfig, ParamName } from '../src/core/reference/model.js';
import type { ExerciseOutcome, ExerciseRun } from '../src/notebook/exercise.js';

// ---- exercise worker: runs the learner's code, reports the answer's bytes (the page judges) -------------
export type ExerciseRequest =
  | {
    type: 'start';
    /** the absolute URL of the folder holding Pyodide's files */
    indexURL: string;
    /** [0] = 2 raises KeyboardInterrupt in the running code; absent when the page is not cross-origin isolated */
    interrupt?: SharedArrayBuffer;
    /** echoed in every reply: a reply without it was not written by the runner */
    secret: string;
  }
  | { type: 'run'; id: number; run: ExerciseRun };

export type ExerciseReply =
  | { type: 'ready'; secret: string; startMs: number; fromSnapshot: boolean }
  | { type: 'fatal'; secret: string; message: string }
  /** a run has begun (the page waits ACK_MS for it before it calls the worker unresponsive) */
  | { type: 'started'; id: number; secret: string }
  | {
    type: 'result'; id: number; secret: string;
    /** what the runner saw of tampering (before or after the run), or null */
    tampered: string | null;
    /** false: refused before running (the worker was already tampered with) */
    ran: boolean;
    ms?: number;
    outcome: ExerciseOutcome;
    /** what the code printed (shown as text, never judged) */
    stdout?: string;
  };

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
