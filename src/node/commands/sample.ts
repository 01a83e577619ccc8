// `sample`: names from a trained model, seeded.

import { UserError } from '../../core/errors.js';
import { Inference, sampleNames } from '../../core/run/infer.js';
import { MT19937 } from '../../core/random/python.js';
import { camel, requireInt, type Args } from '../args.js';
import { F, type Command } from '../command.js';
import { loadTrainedModel, TRAINED_FLAGS } from './trained.js';
import { readRng, RNG_FLAGS, torchSampleSeed } from './rng.js';
import { sampleNamesTorch, TORCH_LECTURE_SEED } from '../../core/run/torchrun.js';
import { TorchGenerator } from '../../core/random/torch.js';

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
    'names; the default seed is the one the model was trained with, so it repeats the names train printed.\n' +
    "With --rng torch (the default for a --rng torch checkpoint and a PyTorch file): the lecture's sampling cell,\n" +
    'torch.multinomial with a generator seeded 2147483647 + 10; a model trained in PyTorch and saved with\n' +
    "safetensors (-i its names file) gives the names the notebook printed (bit for bit with Debian's x86-64\n" +
    'PyTorch 1.13; docs/torch-rng.md).',
  flags: [
    ...TRAINED_FLAGS,
    { name: 'num-samples', short: 'n', type: 'int', default: 20, help: 'how many names' },
    { name: 'seed', type: 'int', digits: true, help: "seed of the sampling generator (default: the checkpoint's training seed; with --rng torch that seed + 10, for a PyTorch file the lecture's 2147483647 + 10)" },
    { ...F.input, help: 'names file: the vocabulary of a PyTorch file (default: the embedded names; our checkpoints carry theirs)' },
    { name: 'block-size', type: 'int', help: 'context length T of a PyTorch file (default: 3)' },
    RNG_FLAGS.rng, RNG_FLAGS.torchKernel,
    { name: 'temperature', type: 'number', default: 1, help: 'divides the logits: < 1 safer names, > 1 wilder ones' },
    { name: 'top-k', type: 'int', help: 'draw only from the k most likely characters (default: all)' },
    F.json, F.help,
  ],
  run(args) {
    const n = requireInt(args, 'num-samples', 0);
    const temperature = optPositive(args, 'temperature') ?? 1;
    const topK = args.topK === undefined ? undefined : requireInt(args, 'top-k', 1);
    const seedFlag = args.seed === undefined ? undefined : requireInt(args, 'seed', 0);
    const { path, m, itos, stats, note } = loadTrainedModel(args);
    const r = readRng(args, m.ck ?? undefined, 'torch'); // a PyTorch file samples on PyTorch's generator unless told otherwise
    if (note) process.stderr.write(`note: ${note}\n`);
    const inf = new Inference(m.params, m.cfg, stats, 1);
    let seed: number;
    let samples: string[];
    if (r.kind === 'torch') {
      // a --rng torch run's samples (train printed them with its seed + 10); a PyTorch file: the lecture's
      seed = seedFlag ?? torchSampleSeed(m.ck?.meta.rng === 'torch' ? m.ck.seed : TORCH_LECTURE_SEED);
      samples = sampleNamesTorch(inf, itos, new TorchGenerator(seed), n, { temperature, topK });
    } else {
      seed = seedFlag ?? m.ck?.seed ?? 42;
      samples = sampleNames(inf, itos, new MT19937(seed), n, { temperature, topK });
    }
    if (args.json) {
      console.log(JSON.stringify({ checkpoint: path, rng: r.kind, seed, temperature, topK: topK ?? null, samples }, null, 2));
    } else {
      for (const s of samples) console.log(s);
    }
    return 0;
  },
};
