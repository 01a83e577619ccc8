// Loading a model for commands that start from a checkpoint or from a fresh init.

import { decodeCheckpoint, type Checkpoint } from '../../core/run/checkpoint.js';
import type { Dataset } from '../../core/reference/data.js';
import { UserError } from '../../core/errors.js';
import { allocParams, PARAM_NAMES, type Params } from '../../core/reference/model.js';
import type { DType } from '../../core/reference/block.js';
import { loadDataset, readBytes } from '../io.js';
import { decodeSafetensors, firstNegative, firstNonFinite } from '../../core/run/safetensors.js';
import { isOurCheckpoint, torchModelFromSafetensors } from '../../core/run/torchmodel.js';
import { calibrateBatchnorm, type BnStats } from '../../core/run/infer.js';
import { readBnStats } from '../../core/run/trainstate.js';
import type { ModelConfig } from '../../core/reference/model.js';

export function loadCheckpoint(path: string): Checkpoint {
  return decodeCheckpoint(readBytes(path, 'checkpoint'), path);
}

/**
 * The checkpoint's vocabulary must be the data's: same tokens, same ids. The message shows the checkpoint's
 * own vocabulary (validated on load: printable, capped) but not the data's characters: the data may be any
 * file a checkpoint's metadata points at, and its contents are not ours to print.
 */
export function requireSameVocab(ck: Checkpoint, ds: Dataset, path: string): void {
  const a = ck.itos.join('');
  const b = ds.itos.join('');
  if (a !== b || ck.cfg.blockSize !== ds.blockSize) {
    let k = 0;
    while (k < ck.itos.length && k < ds.itos.length && ck.itos[k] === ds.itos[k]) k++;
    const shown = a.length > 80 ? `${JSON.stringify(a.slice(0, 80))}...` : JSON.stringify(a);
    const differ = a === b ? 'the same tokens' : `${ds.itos.length} tokens, differing from token ${k} on`;
    throw new UserError(
      `${path} was made for a vocabulary of ${ck.itos.length} tokens ${shown} (block size ${ck.cfg.blockSize}) but ${ds.source === path ? 'the data' : ds.source.split(':')[0]} has ${differ} (block size ${ds.blockSize}); use the same names file (-i) the checkpoint was made with`,
    );
  }
}

export function castParams(p: Params, dtype: DType, cfg: Checkpoint['cfg']): Params {
  if ((p.flat instanceof Float32Array) === (dtype === 'float32')) return p;
  const q = allocParams(cfg, dtype);
  q.flat.set(p.flat);
  return q;
}

/** A model from a file: one of our checkpoints, or the lecture's tensors as PyTorch's safetensors wrote them. */
export interface LoadedModel {
  path: string;
  cfg: ModelConfig;
  params: Params;
  /** bnmean, bnvar if the file has them */
  stats: BnStats | null;
  /** our checkpoint (its seed, metadata, training state), or null for a PyTorch file */
  ck: Checkpoint | null;
  /** a line to show the user about how the file was read, if any */
  note: string | null;
}

/**
 * Reads a model and the names it goes with. Our checkpoints carry their vocabulary and block size (the
 * names file must agree); a PyTorch file takes both from the names file (-i) and --block-size (default 3).
 */
export function loadModel(path: string, inputFile: string | undefined, blockSize: number | undefined): { m: LoadedModel; ds: Dataset } {
  const bytes = readBytes(path, 'checkpoint');
  const file = decodeSafetensors(bytes, path);
  if (isOurCheckpoint(file)) {
    const ck = decodeCheckpoint(bytes, path);
    const ds = loadDataset(inputFile, ck.cfg.blockSize);
    requireSameVocab(ck, ds, path);
    return { m: { path, cfg: ck.cfg, params: ck.params, stats: readBnStats(ck, path), ck, note: null }, ds };
  }
  const ds = loadDataset(inputFile, blockSize ?? 3);
  const t = torchModelFromSafetensors(file, path, ds.itos.length, ds.blockSize);
  // the same refusal as our checkpoints: parameters that are not finite, statistics that cannot be used
  for (const k of PARAM_NAMES) {
    const bad = firstNonFinite(file.tensors.get(k)!.data);
    if (bad !== null) throw new UserError(`${path}: tensor "${k}" holds ${bad} (a diverged run?); it cannot be used`);
  }
  for (const [k, check] of [['bnmean', firstNonFinite], ['bnvar', firstNegative]] as const) {
    const tensor = file.tensors.get(k);
    const bad = tensor === undefined ? null : check(tensor.data);
    if (bad !== null) throw new UserError(`${path}: tensor "${k}" holds ${bad}`);
  }
  const note = `${path}: a PyTorch file (no metadata): vocabulary and block size ${ds.blockSize} from ${ds.source.split(':')[0]}, E=${t.cfg.nEmbd} H=${t.cfg.nHidden} from its shapes`;
  return { m: { path, cfg: t.cfg, params: t.params, stats: t.stats, ck: null, note }, ds };
}

/** The model's batchnorm statistics, calibrated over the training split when a PyTorch file has none. */
export function statsOrCalibrate(m: LoadedModel, ds: Dataset): { stats: BnStats; note: string | null } {
  if (m.stats !== null) return { stats: m.stats, note: null };
  const stats = calibrateBatchnorm(m.params, m.cfg, ds.train);
  return { stats, note: `${m.path} has no bnmean/bnvar: batchnorm calibrated over the ${ds.train.n} training rows of ${ds.source.split(':')[0]}, as the lecture does` };
}
