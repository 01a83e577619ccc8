// `sample`: names from a trained model, seeded.

import { UserError } from '../../core/errors.js';
import { Inference, sampleNames } from '../../core/run/infer.js';
import { MT19937 } from '../../core/random/python.js';
import { camel, requireInt, type Args } from '../args.js';
import { F, type Command } from '../command.js';
import { loadTrained, TRAINED_FLAGS } from './trained.js';

function optPositive(args: Args, name: string): number | undefined {
  const v = args[camel(name)];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !(v > 0)) throw new UserError(`--${name} must be a number > 0, got ${v}`);
  return v;
}

export const sampleCommand: Command = {
  name: 'sample',
  summary:
    'Sample names from a trained model.\n' +
    'Batchnorm runs in inference mode, with the calibrated statistics. Seeded: the same flags give the same\n' +
    'names; the default seed is the one the model was trained with, so it repeats the names train printed.',
  flags: [
    ...TRAINED_FLAGS,
    { name: 'num-samples', short: 'n', type: 'int', default: 20, help: 'how many names' },
    { name: 'seed', type: 'int', help: "seed of the sampling generator (default: the checkpoint's training seed)" },
    { name: 'temperature', type: 'number', default: 1, help: 'divides the logits: < 1 safer names, > 1 wilder ones' },
    { name: 'top-k', type: 'int', help: 'draw only from the k most likely characters (default: all)' },
    F.json, F.help,
  ],
  run(args) {
    const n = requireInt(args, 'num-samples', 0);
    const temperature = optPositive(args, 'temperature') ?? 1;
    const topK = args.topK === undefined ? undefined : requireInt(args, 'top-k', 1);
    const seedFlag = args.seed === undefined ? undefined : requireInt(args, 'seed', 0);
    const { path, ck, stats } = loadTrained(args);
    const seed = seedFlag ?? ck.seed;
    const inf = new Inference(ck.params, ck.cfg, stats, 1);
    const samples = sampleNames(inf, ck.itos, new MT19937(seed), n, { temperature, topK });
    if (args.json) {
      console.log(JSON.stringify({ checkpoint: path, seed, temperature, topK: topK ?? null, samples }, null, 2));
    } else {
      for (const s of samples) console.log(s);
    }
    return 0;
  },
};
