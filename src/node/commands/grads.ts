import { manualGradients } from '../../core/judge/check.js';
import { drawBatch } from '../../core/reference/data.js';
import { UserError } from '../../core/errors.js';
import { GRAD_NAMES } from '../../core/reference/model.js';
import { lectureName } from '../../core/reference/names.js';
import { MT19937 } from '../../core/random/python.js';
import { encodeSafetensors, stTensor, type StTensor } from '../../core/run/safetensors.js';
import type { DType } from '../../core/reference/block.js';
import { requireInt } from '../args.js';
import { F, type Command } from '../command.js';
import { memoryBudget, requireNoClobber, requireNotReading, writeFileAtomic } from '../io.js';
import { requireFits } from '../../core/run/limits.js';
import { castParams, loadModel } from './shared.js';
import { readRng, readSeed, RNG_FLAGS } from './rng.js';
import { skipInitDraws, TorchBatches } from '../../core/run/torchrun.js';
import { TorchGenerator } from '../../core/random/torch.js';
import type { BatchRng } from '../../core/reference/data.js';

export const gradsCommand: Command = {
  name: 'grads',
  brief: "Write one batch's loss and gradients as safetensors, to compare with another framework.",
  summary:
    'Load a checkpoint, draw one training batch, and write the batch (X, Y as int32), the loss, every exercise-1\n' +
    "gradient as d.<name> (the lecture's names: d.counts_sum_inv) and the fused ones as fused.logits and\n" +
    'fused.hprebn to a safetensors file, to compare with another framework.',
  flags: [
    { name: 'checkpoint', type: 'string', help: 'the model (.safetensors), e.g. from backprop-ninja init' },
    { name: 'out', type: 'string', help: 'the file to write (.safetensors)' },
    F.input, F.maxInput,
    { ...F.seed, default: undefined, help: 'seed of the batch generator (default: 42; the lecture\'s 2147483647 with --rng torch, whose g first goes past the init\'s draws, so the batch is the lecture\'s)' },
    F.batchSize, { name: 'block-size', type: 'int', help: 'context length T of a PyTorch file (default: 3)' },
    RNG_FLAGS.rng, RNG_FLAGS.torchKernel,
    { name: 'dtype', type: 'string', choices: ['float32', 'float64'], help: "float precision (default: the checkpoint's)" },
    F.force, F.help,
  ],
  run(args) {
    const ckPath = args.checkpoint as string | undefined;
    const out = args.out as string | undefined;
    if (ckPath === undefined) throw new UserError('grads needs --checkpoint FILE.safetensors (make one with: backprop-ninja init --out FILE)');
    if (out === undefined) throw new UserError('grads needs --out FILE.safetensors');
    requireNotReading(out, [[ckPath, 'checkpoint'], [args.inputFile as string | undefined, 'names file']]);
    const B = requireInt(args, 'batch-size', 2);
    const blockSize = args.blockSize === undefined ? undefined : requireInt(args, 'block-size', 1);
    const { m: ck, ds } = loadModel(ckPath, args.inputFile as string | undefined, blockSize);
    if (ck.note) console.log(`note: ${ck.note}`);
    const r = readRng(args);
    const seed = readSeed(args, r.kind);
    requireFits(ck.cfg, B, memoryBudget(), ckPath);
    requireNoClobber(out, args.force === true); // after every flag is checked
    const dtype = (args.dtype as DType | undefined) ?? (ck.params.flat instanceof Float32Array ? 'float32' : 'float64');
    const params = castParams(ck.params, dtype, ck.cfg);
    const X = new Int32Array(B * ck.cfg.blockSize);
    const Y = new Int32Array(B);
    let rng: BatchRng;
    if (r.kind === 'torch') {
      const g = new TorchGenerator(seed);
      skipInitDraws(ck.cfg, g, r.kernel);
      rng = new TorchBatches(g);
    } else rng = new MT19937(seed);
    drawBatch(ds.train, ck.cfg.blockSize, rng, X, Y);
    const m = manualGradients(params, X, Y, ck.cfg);
    const loss = dtype === 'float32' ? new Float32Array([m.loss]) : new Float64Array([m.loss]);
    const tensors: [string, StTensor][] = [
      ['X', stTensor([B, ck.cfg.blockSize], X)],
      ['Y', stTensor([B], Y)],
      ['loss', stTensor([], loss)],
      ...GRAD_NAMES.map((k): [string, StTensor] => [`d.${lectureName(k)}`, stTensor(m.grads[k].shape, m.grads[k].data)]),
      ['fused.logits', stTensor(m.dlogitsFused.shape, m.dlogitsFused.data)],
      ['fused.hprebn', stTensor(m.dhprebnFused.shape, m.dhprebnFused.data)],
    ];
    const meta = { checkpoint: ckPath, seed: String(seed), rng: r.kind, batchSize: String(B), dtype };
    writeFileAtomic(out, encodeSafetensors(tensors, meta));
    console.log(`wrote ${out}: batch ${B} (${r.kind === 'torch' ? 'torch generator ' : ''}seed ${seed}), loss ${m.loss}, ${GRAD_NAMES.length} gradients + 2 fused, ${dtype}`);
    return 0;
  },
};
