// PyTorch checkpoints in: a safetensors file as `safetensors.torch.save_file` writes the lecture's tensors
//   {C, W1, b1, W2, b2, bngain, bnbias}  and optionally  {bnmean, bnvar}
// with no metadata. The config comes from the shapes and from the names file the learner trained on:
//   C [V, E]   W1 [T*E, H]   b1 [H]   W2 [H, V]   b2 [V]   bngain, bnbias, bnmean, bnvar [1, H] (or [H])
// where V is the names file's vocabulary and T its block size (the lecture's 3, or --block-size). Pure.

import { UserError } from '../errors.js';
import { allocParams, PARAM_NAMES, validateConfig, type ModelConfig, type Params } from '../reference/model.js';
import type { BnStats } from '../fast/evaluate.js';
import type { StFile, StTensor } from './safetensors.js';
import { CHECKPOINT_FORMAT } from './checkpoint.js';

export interface TorchModel {
  cfg: ModelConfig;
  params: Params;
  /** bnmean and bnvar if the file has them */
  stats: BnStats | null;
}

/** Whether a safetensors file is one of ours (it then carries the config in its metadata). */
export function isOurCheckpoint(file: StFile): boolean {
  return file.metadata.format === JSON.stringify(CHECKPOINT_FORMAT);
}

const shapeStr = (s: readonly number[]): string => `[${s.join(', ')}]`;

/**
 * The lecture's model from a PyTorch safetensors file, for a names file of vocabulary V and block size T.
 * Every misfit is one UserError line naming the tensor, its shape and the shape it needs.
 */
export function torchModelFromSafetensors(file: StFile, source: string, V: number, T: number): TorchModel {
  const what = `the lecture's model for this names file (vocabulary ${V}, block size ${T})`;
  const bad = (msg: string): UserError => new UserError(`${source}: not ${what}: ${msg}`);
  const get = (k: string): StTensor => {
    const t = file.tensors.get(k);
    if (t === undefined) {
      throw bad(`tensor "${k}" is missing (a PyTorch file needs ${PARAM_NAMES.join(', ')}, optionally bnmean, bnvar; it has ${[...file.tensors.keys()].join(', ') || 'none'})`);
    }
    if (t.dtype === 'I32') throw bad(`tensor "${k}" is ${t.dtype}, not float32 or float64`);
    return t;
  };
  const C = get('C');
  if (C.shape.length !== 2) throw bad(`C has shape ${shapeStr(C.shape)}, expected [V, E]`);
  if (C.shape[0] !== V) {
    throw bad(`C has ${C.shape[0]} rows but the names file's vocabulary has ${V} tokens; give the names file it was trained on with -i`);
  }
  const E = C.shape[1];
  const W1 = get('W1');
  if (W1.shape.length !== 2 || W1.shape[0] !== T * E) {
    const t = W1.shape.length === 2 && E > 0 && W1.shape[0] % E === 0 ? ` (block size ${W1.shape[0] / E}? give --block-size)` : '';
    throw bad(`W1 has shape ${shapeStr(W1.shape)}, expected [T*E, H] = [${T * E}, H]${t}`);
  }
  const H = W1.shape[1];
  const cfg: ModelConfig = { vocabSize: V, nEmbd: E, nHidden: H, blockSize: T };
  try {
    validateConfig(cfg);
  } catch (e) {
    throw bad((e as Error).message);
  }
  const expect: Record<string, number[][]> = {
    b1: [[H]], W2: [[H, V]], b2: [[V]], bngain: [[1, H], [H]], bnbias: [[1, H], [H]], bnmean: [[1, H], [H]], bnvar: [[1, H], [H]],
  };
  const fits = (t: StTensor, k: string): void => {
    if (!expect[k].some((s) => s.length === t.shape.length && s.every((d, i) => d === t.shape[i]))) {
      throw bad(`${k} has shape ${shapeStr(t.shape)}, expected ${expect[k].map(shapeStr).join(' or ')} (E=${E}, H=${H}, V=${V})`);
    }
    if (t.dtype !== C.dtype) throw bad(`${k} is ${t.dtype} but C is ${C.dtype}`);
  };
  const params = allocParams(cfg, C.dtype === 'F32' ? 'float32' : 'float64');
  for (const k of PARAM_NAMES) {
    const t = get(k);
    if (k !== 'C' && k !== 'W1') fits(t, k);
    else if (t.dtype !== C.dtype) throw bad(`${k} is ${t.dtype} but C is ${C.dtype}`);
    params[k].data.set(t.data);
  }
  const m = file.tensors.get('bnmean');
  const v = file.tensors.get('bnvar');
  if ((m === undefined) !== (v === undefined)) throw bad(`it has ${m ? 'bnmean' : 'bnvar'} but not ${m ? 'bnvar' : 'bnmean'}`);
  let stats: BnStats | null = null;
  if (m !== undefined && v !== undefined) {
    fits(m, 'bnmean');
    fits(v, 'bnvar');
    stats = { bnmean: m.data as Float32Array | Float64Array, bnvar: v.data as Float32Array | Float64Array };
  }
  return { cfg, params, stats };
}
