// Loading a model for commands that start from a checkpoint or from a fresh init.

import { decodeCheckpoint, type Checkpoint } from '../../core/run/checkpoint.js';
import type { Dataset } from '../../core/reference/data.js';
import { UserError } from '../../core/errors.js';
import { allocParams, type Params } from '../../core/reference/model.js';
import type { DType } from '../../core/reference/block.js';
import { readBytes } from '../io.js';

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
