// What a checkpoint holds beyond the parameters, so a run resumes bit for bit and the model can be used:
//   tensors  train.rng     I32 [625]       the MT19937 state: 624 words (bit-cast to int32) and the index
//            train.losses  F64 [step]      the loss of every completed step (the loss curve, exactly)
//            bnmean, bnvar F32 [1, H]      calibrated over the training split, only once training finished
//   metadata step, maxSteps, learningRate, lrDecayStep, batchSize, input (the names file, null = embedded)
//            a `--rng torch` run: rng "torch", torchKernel, torchGlobalSeed, and the rest of PyTorch's generator
//            state beside train.rng's words and index: torchSeed (decimal) and torchNextNormal (number or null)
// Pure: bytes are made and read by checkpoint.ts; files by the CLI.

import { EXTRA_RULES, type Checkpoint } from './checkpoint.js';
import { UserError } from '../errors.js';
import type { BnStats } from './infer.js';
import type { Schedule } from './loop.js';
import type { RngState } from '../random/python.js';
import type { TorchGeneratorState } from '../random/torch.js';
import { firstNonFinite, stTensor, type StTensor } from './safetensors.js';
import type { FloatArray } from '../reference/block.js';

export interface TrainState {
  step: number;
  losses: Float64Array;
  rng: RngState;
  schedule: Schedule;
  batchSize: number;
  /** the names file the run trained on (an absolute path), or null for the embedded default */
  input: string | null;
}

export function trainStateTensors(
  rng: RngState, losses: Float64Array, stats: BnStats | null, H: number,
): Record<string, StTensor> {
  const words = new Int32Array(625);
  for (let i = 0; i < 624; i++) words[i] = rng.mt[i] | 0; // uint32 -> int32, the same 32 bits
  words[624] = rng.index;
  const out: Record<string, StTensor> = {
    'train.rng': stTensor([625], words),
    'train.losses': stTensor([losses.length], losses),
  };
  if (stats !== null) {
    out.bnmean = stTensor([1, H], stats.bnmean);
    out.bnvar = stTensor([1, H], stats.bnvar);
  }
  return out;
}

// the layout of the training state, checked tensor by tensor whenever a checkpoint is loaded
const stepOf = (meta: Readonly<Record<string, unknown>>): number => (typeof meta.step === 'number' && Number.isSafeInteger(meta.step) && meta.step >= 0 ? meta.step : 0);
EXTRA_RULES.set('train.rng', () => ({ dtypes: ['I32'], shape: [625] }));
EXTRA_RULES.set('train.losses', (_cfg, meta) => ({ dtypes: ['F64'], shape: [stepOf(meta)], values: firstNonFinite }));

export function trainStateMeta(s: Omit<TrainState, 'losses' | 'rng'>): Record<string, unknown> {
  return {
    step: s.step,
    maxSteps: s.schedule.maxSteps,
    learningRate: s.schedule.learningRate,
    lrDecayStep: s.schedule.lrDecayStep,
    batchSize: s.batchSize,
    input: s.input,
  };
}

/** The training state of a checkpoint written by `train`; a clear error for one that has none. */
export function readTrainState(ck: Checkpoint, source: string): TrainState {
  const bad = (what: string): UserError =>
    new UserError(`${source}: cannot resume from this checkpoint: ${what} (it was not written by 'backprop-ninja train'?)`);
  const int = (k: string, min: number): number => {
    const v = ck.meta[k];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw bad(`metadata "${k}" is missing or not an integer >= ${min}`);
    return v;
  };
  const step = int('step', 0);
  const maxSteps = int('maxSteps', 0);
  const lrDecayStep = int('lrDecayStep', 0);
  const batchSize = int('batchSize', 2);
  const learningRate = ck.meta.learningRate;
  if (typeof learningRate !== 'number' || !(learningRate > 0)) throw bad('metadata "learningRate" is missing or not > 0');
  const input = ck.meta.input;
  if (input !== null && typeof input !== 'string') throw bad('metadata "input" is not a path or null');
  const r = ck.extra.get('train.rng');
  if (r === undefined || r.dtype !== 'I32' || r.data.length !== 625) throw bad('tensor "train.rng" (I32, 625 entries) is missing');
  const mt: number[] = [];
  for (let i = 0; i < 624; i++) mt.push(r.data[i] >>> 0);
  const index = r.data[624];
  if (!(index >= 0 && index <= 624)) throw bad(`the generator index ${index} is outside [0, 624]`);
  const l = ck.extra.get('train.losses');
  if (l === undefined || l.dtype !== 'F64' || l.data.length !== step) {
    throw bad(`tensor "train.losses" (F64, one per step: ${step}) is missing or has ${l?.data.length ?? 0} entries`);
  }
  return {
    step, losses: l.data as Float64Array, rng: { mt, index }, schedule: { learningRate, lrDecayStep, maxSteps }, batchSize, input,
  };
}

/** The calibrated batchnorm statistics of a checkpoint, or null when training did not finish. */
export function readBnStats(ck: Checkpoint, source: string): BnStats | null {
  const m = ck.extra.get('bnmean');
  const v = ck.extra.get('bnvar');
  if (m === undefined && v === undefined) return null;
  const H = ck.cfg.nHidden;
  for (const [k, t] of [['bnmean', m], ['bnvar', v]] as const) {
    if (t === undefined || (t.dtype !== 'F32' && t.dtype !== 'F64') || t.data.length !== H) {
      throw new UserError(`${source}: tensor "${k}" is missing or does not have the ${H} entries of the hidden layer`);
    }
  }
  return { bnmean: m!.data as FloatArray, bnvar: v!.data as FloatArray };
}

/** The metadata that completes a torch generator's state (its words and index go in train.rng). */
export function torchRngMeta(state: TorchGeneratorState): Record<string, unknown> {
  return { torchSeed: state.seed, torchNextNormal: state.nextDoubleNormal };
}

/** A `--rng torch` checkpoint's generator: train.rng's words and index with the metadata above. */
export function readTorchRng(ck: Checkpoint, st: TrainState, source: string): TorchGeneratorState {
  const seed = ck.meta.torchSeed;
  const next = ck.meta.torchNextNormal;
  if (typeof seed !== 'string' || !/^[0-9]+$/.test(seed) || (next !== null && typeof next !== 'number')) {
    throw new UserError(`${source}: cannot resume from this checkpoint: metadata "torchSeed" / "torchNextNormal" of its torch generator are missing or malformed`);
  }
  return { kind: 'torch-cpu', seed, mt: st.rng.mt, index: st.rng.index, nextDoubleNormal: next, nextFloatNormal: null };
}
