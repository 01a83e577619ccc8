// Loading a trained model for `sample` and `eval`: the checkpoint in the work dir (or --checkpoint), with
// its calibrated batchnorm statistics, which only a finished `train` writes.

import { existsSync } from 'node:fs';
import type { Checkpoint } from '../../core/run/checkpoint.js';
import { UserError } from '../../core/errors.js';
import type { BnStats } from '../../core/run/infer.js';
import { readBnStats } from '../../core/run/trainstate.js';
import type { Args, FlagSpec } from '../args.js';
import { modelPath } from '../workdir.js';
import { loadCheckpoint, loadModel, statsOrCalibrate, type LoadedModel } from './shared.js';
import { decodeSafetensors } from '../../core/run/safetensors.js';
import { isOurCheckpoint } from '../../core/run/torchmodel.js';
import { readBytes } from '../io.js';
import { requireInt } from '../args.js';

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

/**
 * A trained model for `sample` (and `eval`): one of our checkpoints (it must have finished training; it
 * carries its vocabulary) or a PyTorch safetensors file of the lecture's tensors, whose vocabulary comes from
 * -i and block size from --block-size; a PyTorch file without bnmean/bnvar is calibrated over the training
 * split, and the note says so.
 */
export function loadTrainedModel(args: Args): { path: string; m: LoadedModel; itos: readonly string[]; stats: BnStats; note: string | null } {
  const path = (args.checkpoint as string | undefined) ?? modelPath(args.workDir as string);
  if (!existsSync(path)) {
    throw new UserError(`there is no checkpoint ${path}; train one first (backprop-ninja train -o ${args.workDir as string}) or give --checkpoint FILE`);
  }
  if (isOurCheckpoint(decodeSafetensors(readBytes(path, 'checkpoint'), path))) {
    const t = loadTrained(args);
    return { path, m: { path, cfg: t.ck.cfg, params: t.ck.params, stats: t.stats, ck: t.ck, note: null }, itos: t.ck.itos, stats: t.stats, note: null };
  }
  const blockSize = args.blockSize === undefined ? undefined : requireInt(args, 'block-size', 1);
  const { m, ds } = loadModel(path, args.inputFile as string | undefined, blockSize);
  const { stats, note } = statsOrCalibrate(m, ds);
  const notes = [m.note, note].filter((x): x is string => x !== null);
  return { path, m, itos: ds.itos, stats, note: notes.join('; ') };
}
