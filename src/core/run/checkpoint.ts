// Model checkpoints as safetensors: tensors C, W1, b1, W2, b2, bngain, bnbias (plus, once trained, bnmean
// and bnvar), and the config in __metadata__, each value a JSON string (nEmbd "10", vocab "\".abc\"").

import { UserError } from '../errors.js';
import { allocParams, PARAM_NAMES, paramShapes, validateConfig, type ModelConfig, type Params } from '../reference/model.js';
import {
  checkTensor, decodeSafetensors, encodeSafetensors, firstNegative, firstNonFinite, quote, stTensor, type StTensor, type TensorRule,
} from './safetensors.js';
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

/** Seeds are integers in [0, 2^53): every one is exact as a JS number and as a Python int. */
export const MAX_SEED = Number.MAX_SAFE_INTEGER;

/** Metadata this module and trainstate.ts read: each must be JSON. Other keys are kept as text if not JSON. */
const JSON_KEYS = new Set(['nEmbd', 'nHidden', 'blockSize', 'vocab', 'seed', 'step', 'maxSteps', 'learningRate', 'lrDecayStep', 'batchSize', 'input']);

/**
 * The rules for the tensors a checkpoint may hold besides the parameters, by name: dtype, exact shape (from
 * the config and the metadata) and values. Another module adds its own (trainstate.ts adds train.*), so a
 * file is checked tensor by tensor, never by length alone. A name with no rule is kept unchecked.
 */
export type ExtraRule = (cfg: ModelConfig, meta: Readonly<Record<string, unknown>>) => TensorRule;
export const EXTRA_RULES = new Map<string, ExtraRule>([
  ['bnmean', (cfg) => ({ dtypes: ['F32', 'F64'], shape: [1, cfg.nHidden], values: firstNonFinite })],
  ['bnvar', (cfg) => ({ dtypes: ['F32', 'F64'], shape: [1, cfg.nHidden], values: firstNegative })],
]);

/** The largest vocabulary a names file or a checkpoint may have (the lab's cap too) */
export const MAX_VOCAB = 1024;

/** Why a vocabulary string cannot be used, or null: '.' first, distinct characters, no control characters. */
export function vocabProblem(vocab: readonly string[]): string | null {
  if (vocab.length < 2) return 'it needs "." and at least one character';
  if (vocab[0] !== '.') return 'it must start with "."';
  if (vocab.length > MAX_VOCAB) return `${vocab.length} characters, more than the ${MAX_VOCAB} allowed`;
  const seen = new Set<string>();
  for (const ch of vocab) {
    if (seen.has(ch)) return `the character ${JSON.stringify(ch)} appears twice`;
    seen.add(ch);
    if (isControl(ch)) return `it holds the control character U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return null;
}

/** C0, DEL and C1 control characters: they move the cursor, ring bells, start escape sequences. */
export function isControl(ch: string): boolean {
  const c = ch.codePointAt(0)!;
  return c < 0x20 || (c >= 0x7f && c < 0xa0);
}

export function decodeCheckpoint(bytes: Uint8Array, source: string): Checkpoint {
  const file = decodeSafetensors(bytes, source);
  const bad = (what: string): UserError => new UserError(`${source}: not a usable backprop-ninja checkpoint: ${what}`);
  const meta: Record<string, unknown> = {}; // its keys are the metadata's: reserved names were refused
  for (const [k, v] of Object.entries(file.metadata)) {
    try {
      meta[k] = JSON.parse(v);
    } catch {
      if (JSON_KEYS.has(k)) throw bad(`metadata ${quote(k)} is not JSON`);
      meta[k] = v; // e.g. PyTorch's {"format": "pt"}
    }
  }
  if (meta.format !== undefined && meta.format !== CHECKPOINT_FORMAT && meta.format !== 'pt') {
    throw bad(`format ${quote(String(typeof meta.format === 'string' ? meta.format : JSON.stringify(meta.format)))} is not a backprop-ninja checkpoint`);
  }
  const int = (k: string): number => {
    const v = meta[k];
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw bad(`metadata ${quote(k)} is missing or not an integer`);
    return v;
  };
  if (typeof meta.vocab !== 'string' || meta.vocab.length < 2) throw bad('metadata "vocab" is missing');
  const itos = [...meta.vocab];
  const vp = vocabProblem(itos);
  if (vp !== null) throw bad(`metadata "vocab": ${vp}`);
  const cfg: ModelConfig = { vocabSize: itos.length, nEmbd: int('nEmbd'), nHidden: int('nHidden'), blockSize: int('blockSize') };
  try {
    validateConfig(cfg); // checks only: it allocates nothing
  } catch (e) {
    throw bad((e as Error).message);
  }
  const seed = meta.seed === undefined ? 0 : meta.seed;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) {
    throw bad(`metadata "seed" must be an integer in [0, 2^53), got ${quote(JSON.stringify(meta.seed) ?? String(meta.seed))}`);
  }
  const first = file.tensors.get('C');
  if (first === undefined) throw bad('tensor "C" is missing');
  if (first.dtype !== 'F32' && first.dtype !== 'F64') throw bad('tensor "C" is not floating point');
  // every shape is checked against the config before anything is allocated: the config can then be no
  // larger than the tensors the file really holds
  const shapes = paramShapes(cfg);
  for (const k of PARAM_NAMES) {
    const t = file.tensors.get(k);
    if (t === undefined) throw bad(`tensor "${k}" is missing`);
    if (t.dtype !== first.dtype) throw bad(`tensor "${k}" is ${t.dtype} but "C" is ${first.dtype}`);
    if (!sameShape(t.shape, shapes[k])) {
      throw bad(`tensor "${k}" has shape ${shapeStr(t.shape)} but the config (nEmbd ${cfg.nEmbd}, nHidden ${cfg.nHidden}, blockSize ${cfg.blockSize}, vocab ${cfg.vocabSize}) needs ${shapeStr(shapes[k])}`);
    }
    const nf = firstNonFinite(t.data);
    if (nf !== null) throw bad(`tensor "${k}" holds ${nf} (a diverged run?); it cannot be used`);
  }
  const dtype: DType = first.dtype === 'F32' ? 'float32' : 'float64';
  const params = allocParams(cfg, dtype);
  for (const k of PARAM_NAMES) params[k].data.set(file.tensors.get(k)!.data);
  const extra = new Map([...file.tensors].filter(([k]) => !(PARAM_NAMES as readonly string[]).includes(k)));
  for (const [k, t] of extra) {
    const rule = EXTRA_RULES.get(k);
    if (rule !== undefined) checkTensor(k, t, rule(cfg, meta), bad);
  }
  return { cfg, itos, seed, params, extra, meta };
}
