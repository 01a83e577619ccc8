import { encodeCheckpoint } from '../../core/run/checkpoint.js';
import { UserError } from '../../core/errors.js';
import { countParams, initParams, type ModelConfig } from '../../core/reference/model.js';
import type { DType } from '../../core/reference/block.js';
import { requireInt } from '../args.js';
import { initParamsTorch } from '../../core/run/torchrun.js';
import { describeRng, readRng, readSeed, RNG_FLAG_LIST, rngMeta, torchGenerators } from './rng.js';
import { F, type Command } from '../command.js';
import { loadNames, memoryBudget, requireNoClobber, requireNotReading, writeFileAtomic } from '../io.js';
import { requireFits } from '../../core/run/limits.js';
import { buildVocab } from '../../core/reference/data.js';

export const initCommand: Command = {
  name: 'init',
  summary: "Write a freshly initialised model (the lecture's init) as a safetensors checkpoint.",
  flags: [
    { name: 'out', type: 'string', help: 'the checkpoint to write (.safetensors)' },
    F.input, F.maxInput, F.nEmbd, F.nHidden(64), F.blockSize,
    { ...F.seed, default: undefined, help: 'seed of the generator (default: 42; the lecture\'s 2147483647 with --rng torch)' },
    F.dtype, ...RNG_FLAG_LIST, F.force, F.help,
  ],
  run(args) {
    const out = args.out as string | undefined;
    if (out === undefined) throw new UserError('init needs --out FILE.safetensors');
    requireNotReading(out, [[args.inputFile as string | undefined, 'names file']]);
    const { words } = loadNames(args.inputFile as string | undefined);
    const itos = buildVocab(words);
    const cfg: ModelConfig = {
      vocabSize: itos.length,
      nEmbd: requireInt(args, 'n-embd', 1),
      nHidden: requireInt(args, 'n-hidden', 1),
      blockSize: requireInt(args, 'block-size', 1),
    };
    const r = readRng(args);
    const seed = readSeed(args, r.kind);
    requireFits(cfg, 2, memoryBudget());
    requireNoClobber(out, args.force === true); // after every flag is checked
    let params;
    if (r.kind === 'torch') {
      const { g, global } = torchGenerators(seed, r);
      params = initParamsTorch(cfg, args.dtype as DType, g, global, r.kernel);
    } else params = initParams(cfg, args.dtype as DType, seed);
    writeFileAtomic(out, encodeCheckpoint(params, cfg, itos, seed, {}, rngMeta(r)));
    console.log(`wrote ${out}: ${countParams(cfg)} parameters, E=${cfg.nEmbd} T=${cfg.blockSize} H=${cfg.nHidden} V=${cfg.vocabSize}, ${args.dtype}, ${describeRng(r, seed)}`);
    return 0;
  },
};
