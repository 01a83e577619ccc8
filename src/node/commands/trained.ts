// Loading a trained model for `sample` and `eval`: the checkpoint in the work dir (or --checkpoint), with
// its calibrated batchnorm statistics, which only a finished `train` writes.

import { existsSync } from 'node:fs';
import type { Checkpoint } from '../../core/run/checkpoint.js';
import { UserError } from '../../core/errors.js';
import type { BnStats } from '../../core/run/infer.js';
import { readBnStats } from '../../core/run/trainstate.js';
import type { Args, FlagSpec } from '../args.js';
import { modelPath } from '../workdir.js';
import { loadCheckpoint } from './shared.js';

export const TRAINED_FLAGS: FlagSpec[] = [
  { name: 'work-dir', short: 'o', type: 'string', default: 'out', help: 'the training run\'s directory (its model.safetensors)' },
  { name: 'checkpoint', type: 'string', help: 'the checkpoint to use (default: <work-dir>/model.safetensors)' },
];

export interface Trained {
  path: string;
  ck: Checkpoint;
  stats: BnStats;
}

export function loadTrained(args: Args): Trained {
  const path = (args.checkpoint as string | undefined) ?? modelPath(args.workDir as string);
  if (!existsSync(path)) {
    throw new UserError(`there is no checkpoint ${path}; train one first (backprop-ninja train -o ${args.workDir as string}) or give --checkpoint FILE`);
  }
  const ck = loadCheckpoint(path);
  const stats = readBnStats(ck, path);
  if (stats === null) {
    const step = typeof ck.meta.step === 'number' ? ` (it stopped at step ${ck.meta.step}${typeof ck.meta.maxSteps === 'number' ? ` of ${ck.meta.maxSteps}` : ''})` : '';
    throw new UserError(
      `${path} has no calibrated batchnorm statistics (bnmean, bnvar): its training did not finish${step}; finish it with: backprop-ninja train -o ${args.workDir as string} --resume`,
    );
  }
  return { path, ck, stats };
}
