// Model checkpoints as safetensors: tensors C, W1, b1, W2, b2, bngain, bnbias (plus, once trained, bnmean
// and bnvar), and the config in __metadata__, each value a JSON string (nEmbd "10", vocab "\".abc\"").

import { UserError } from '../errors.js';
import { allocParams, PARAM_NAMES, paramShapes, validateConfig, type ModelConfig, type Params } from '../reference/model.js';
import { decodeSafetensors, encodeSafetensors, stTensor, type StTensor } from './safetensors.js';
import { sameShape, shapeStr, type DType } from '../reference/block.js';

export const CHECKPOINT_FORMAT = 'backprop-ninja';

export interface Checkpoint {
  cfg: ModelConfig;
  itos: string[];
  seed: number;
  params: Params;
  /** every other tensor in the file (bnmean, bnvar, training state) */
  extra: Map<string, StTensor>;
  /** every metadata entry, JSON-decoded */
  meta: Record<string, unknown>;
}

export function encodeCheckpoint(
  params: Params, cfg: ModelConfig, itos: readonly string[], seed: number,
  extra: Record<string, StTensor> = {}, meta: Record<string, unknown> = {},
): Uint8Array {
  const tensors: [string, StTensor][] = PARAM_NAMES.map((k) => [k, stTensor(params[k].shape, params[k].data)]);
  for (const [k, t] of Object.entries(extra)) tensors.push([k, t]);
  const all: Record<string, unknown> = {
    format: CHECKPOINT_FORMAT, ...meta,
    nEmbd: cfg.nEmbd, nHidden: cfg.nHidden, blockSize: cfg.blockSize, vocab: itos.join(''), seed,
  };
  const strings: Record<string, string> = {};
  for (const [k, v] of Object.entries(all)) strings[k] = JSON.stringify(v);
  return encodeSafetensors(tensors, strings);
}

export function decodeCheckpoint(bytes: Uint8Array, source: string): Checkpoint {
  const file = decodeSafetensors(bytes, source);
  const bad = (what: string): UserError => new UserError(`${source}: not a usable backprop-ninja checkpoint: ${what}`);
  const meta: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(file.metadata)) {
    try {
      meta[k] = JSON.parse(v);
    } catch {
      throw bad(`metadata "${k}" is not JSON`);
    }
  }
  const int = (k: string): number => {
    const v = meta[k];
    if (typeof v !== 'number' || !Number.isInteger(v)) throw bad(`metadata "${k}" is missing or not an integer`);
    return v;
  };
  if (typeof meta.vocab !== 'string' || meta.vocab.length < 2) throw bad('metadata "vocab" is missing');
  const itos = [...meta.vocab];
  const cfg: ModelConfig = { vocabSize: itos.length, nEmbd: int('nEmbd'), nHidden: int('nHidden'), blockSize: int('blockSize') };
  try {
    validateConfig(cfg);
  } catch (e) {
    throw bad((e as Error).message);
  }
  const first = file.tensors.get('C');
  if (first === undefined) throw bad('tensor "C" is missing');
  if (first.dtype !== 'F32' && first.dtype !== 'F64') throw bad('tensor "C" is not floating point');
  const dtype: DType = first.dtype === 'F32' ? 'float32' : 'float64';
  const params = allocParams(cfg, dtype);
  const shapes = paramShapes(cfg);
  for (const k of PARAM_NAMES) {
    const t = file.tensors.get(k);
    if (t === undefined) throw bad(`tensor "${k}" is missing`);
    if (t.dtype !== first.dtype) throw bad(`tensor "${k}" is ${t.dtype} but "C" is ${first.dtype}`);
    if (!sameShape(t.shape, shapes[k])) {
      throw bad(`tensor "${k}" has shape ${shapeStr(t.shape)} but the config (nEmbd ${cfg.nEmbd}, nHidden ${cfg.nHidden}, blockSize ${cfg.blockSize}, vocab ${cfg.vocabSize}) needs ${shapeStr(shapes[k])}`);
    }
    params[k].data.set(t.data);
  }
  const extra = new Map([...file.tensors].filter(([k]) => !(PARAM_NAMES as readonly string[]).includes(k)));
  return { cfg, itos, seed: typeof meta.seed === 'number' ? meta.seed : 0, params, extra, meta };
}
