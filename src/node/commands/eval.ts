// `eval`: the split losses of a trained model.

import { UserError } from '../../core/errors.js';
import { formatLoss, Inference } from '../../core/run/infer.js';
import { F, type Command } from '../command.js';
import { loadDataset } from '../io.js';
import { requireSameVocab } from './shared.js';
import { loadTrained, TRAINED_FLAGS } from './trained.js';
import { existsSync } from 'node:fs';
import { decodeSafetensors } from '../../core/run/safetensors.js';
import { isOurCheckpoint } from '../../core/run/torchmodel.js';
import { readBytes } from '../io.js';
import { modelPath } from '../workdir.js';
import { loadModel, statsOrCalibrate } from './shared.js';
import { requireInt, type Args } from '../args.js';
import { recordedInput } from '../data-cache.js';

export const evalCommand: Command = {
  name: 'eval',
  summary:
    'Print the split losses of a trained model.\n' +
    "The lecture's split_loss: batchnorm with the calibrated statistics, the mean cross-entropy over every row\n" +
    'of the split. The data defaults to the names file the model was trained on.',
  flags: [
    ...TRAINED_FLAGS,
    { ...F.input, help: 'names file (default: the one the checkpoint was trained on; a PyTorch file takes its vocabulary from it)' }, F.maxInput,
    { name: 'block-size', type: 'int', help: 'context length T of a PyTorch file (default: 3)' },
    { name: 'test', type: 'boolean', help: 'also the test split' },
    F.json, F.help,
  ],
  run(args) {
    const path0 = (args.checkpoint as string | undefined) ?? modelPath(args.workDir as string);
    if (existsSync(path0) && !isOurCheckpoint(decodeSafetensors(readBytes(path0, 'checkpoint'), path0))) return evalTorchFile(args, path0);
    const { path, ck, stats } = loadTrained(args);
    const recorded = args.inputFile === undefined && typeof ck.meta.input === 'string' ? recordedInput(ck.meta.input) : undefined;
    const input = (args.inputFile as string | undefined) ?? recorded;
    let ds;
    try {
      ds = loadDataset(input, ck.cfg.blockSize);
    } catch (e) {
      if (e instanceof UserError && recorded !== undefined) {
        throw new UserError(`${e.message} (the names file ${path} was trained on; give it with -i)`);
      }
      throw e;
    }
    requireSameVocab(ck, ds, path);
    const inf = new Inference(ck.params, ck.cfg, stats);
    const names = args.test ? (['train', 'val', 'test'] as const) : (['train', 'val'] as const);
    const losses: Record<string, number> = {};
    for (const k of names) losses[k] = inf.splitLoss(ds[k]); // NaN for an empty split (JSON: null)
    const step = typeof ck.meta.step === 'number' ? ck.meta.step : null;
    if (args.json) {
      console.log(JSON.stringify({ checkpoint: path, data: ds.source, step, losses }, null, 2));
    } else {
      console.log(`${path}${step === null ? '' : ` (step ${step})`} on ${ds.source.split(':')[0]}:`);
      for (const k of names) console.log(`${k.padEnd(5)} ${formatLoss(losses[k])}`);
    }
    return 0;
  },
};

/** eval of a PyTorch safetensors file: vocabulary from -i, batchnorm calibrated if the file has no statistics. */
function evalTorchFile(args: Args, path: string): number {
  const blockSize = args.blockSize === undefined ? undefined : requireInt(args, 'block-size', 1);
  const { m, ds } = loadModel(path, args.inputFile as string | undefined, blockSize);
  const { stats, note } = statsOrCalibrate(m, ds);
  const inf = new Inference(m.params, m.cfg, stats);
  const names = args.test ? (['train', 'val', 'test'] as const) : (['train', 'val'] as const);
  const losses: Record<string, number> = {};
  for (const k of names) losses[k] = inf.splitLoss(ds[k]);
  const notes = [m.note, note].filter((x): x is string => x !== null);
  if (args.json) {
    console.log(JSON.stringify({ checkpoint: path, data: ds.source, step: null, notes, losses }, null, 2));
  } else {
    for (const n of notes) console.log(`note: ${n}`);
    console.log(`${path} on ${ds.source.split(':')[0]}:`);
    for (const k of names) console.log(`${k.padEnd(5)} ${formatLoss(losses[k])}`);
  }
  return 0;
}
