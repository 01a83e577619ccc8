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

/** The checkpoint's vocabulary must be the data's: same tokens, same ids. */
export function requireSameVocab(ck: Checkpoint, ds: Dataset, path: string): void {
  const a = ck.itos.join('');
  const b = ds.itos.join('');
  if (a !== b || ck.cfg.blockSize !== ds.blockSize) {
    throw new UserError(
      `${path} was made for vocab ${JSON.stringify(a)} (block size ${ck.cfg.blockSize}) but ${ds.source === path ? 'the data' : ds.source.split(':')[0]} has vocab ${JSON.stringify(b)} (block size ${ds.blockSize}); use the same names file (-i) the checkpoint was made with`,
    );
  }
}

export function castParams(p: Params, dtype: DType, cfg: Checkpoint['cfg']): Params {
  if ((p.flat instanceof Float32Array) === (dtype === 'float32')) return p;
  const q = allocParams(cfg, dtype);
  q.flat.set(p.flat);
  return q;
}
