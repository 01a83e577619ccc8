// `eval`: the split losses of a trained model.

import { UserError } from '../../core/errors.js';
import { formatLoss, Inference } from '../../core/run/infer.js';
import { F, type Command } from '../command.js';
import { loadDataset } from '../io.js';
import { requireSameVocab } from './shared.js';
import { loadTrained, TRAINED_FLAGS } from './trained.js';

export const evalCommand: Command = {
  name: 'eval',
  summary:
    'Print the split losses of a trained model.\n' +
    "The lecture's split_loss: batchnorm with the calibrated statistics, the mean cross-entropy over every row\n" +
    'of the split. The data defaults to the names file the model was trained on.',
  flags: [
    ...TRAINED_FLAGS,
    { ...F.input, help: 'names file (default: the one the checkpoint was trained on)' }, F.maxInput,
    { name: 'test', type: 'boolean', help: 'also the test split' },
    F.json, F.help,
  ],
  run(args) {
    const { path, ck, stats } = loadTrained(args);
    const recorded = args.inputFile === undefined && typeof ck.meta.input === 'string' ? ck.meta.input : undefined;
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
