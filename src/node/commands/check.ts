import { formatRow, pyFloat, runCheck, TOL_FACTOR } from '../../core/judge/check.js';
import { drawBatch } from '../../core/reference/data.js';
import { finiteDifferences, FD_RTOL, FD_ZERO } from '../../core/judge/fd.js';
import { PATH_RTOL, PATH_TOL_FACTOR, trainingPathRows, type PathRow } from '../../core/run/loop.js';
import { allocParams, countParams, initParams, type GradName, type ModelConfig, type Params } from '../../core/reference/model.js';
import { MT19937 } from '../../core/random/python.js';
import type { DType, Tensor } from '../../core/reference/block.js';
import { ENGINES, Trainer, type Engine } from '../../core/fast/engines.js';
import { requireInt } from '../args.js';
import { F, type Command } from '../command.js';
import { loadDataset, memoryBudget } from '../io.js';
import { requireFits } from '../../core/run/limits.js';
import { castParams, loadModel } from './shared.js';
import { describeRng, readRng, readSeed, RNG_FLAG_LIST, torchGenerators } from './rng.js';
import { initParamsTorch, skipInitDraws, TorchBatches } from '../../core/run/torchrun.js';
import type { BatchRng, Dataset } from '../../core/reference/data.js';

export const checkCommand: Command = {
  name: 'check',
  brief: "Check the hand-written backward against the autograd on one batch: the lecture's table.",
  summary:
    "Compare the hand-written backward (exercise 1: 26 tensors; exercises 2 and 3: fused) with the autograd on one\n" +
    "batch, and print the lecture's table (exact, approximate = torch.allclose, maxdiff) with a tolerance column:\n" +
    "each gradient's float error bound, derived from the magnitudes summed to make it. Exit 1 on any row whose\n" +
    'maxdiff exceeds its tolerance or whose shape is wrong. --fd adds float64 finite differences for every parameter.',
  flags: [
    F.input, F.maxInput, F.dtype, { name: 'fd', type: 'boolean', help: 'also check every parameter gradient with finite differences (needs --dtype float64)' },
    { name: 'checkpoint', type: 'string', help: "take the parameters from this checkpoint instead of a fresh init: one of ours, or a PyTorch safetensors file of the lecture's tensors (vocabulary from -i, block size from --block-size)" },
    F.nEmbd, F.nHidden(64), F.blockSize, F.batchSize,
    { ...F.seed, default: undefined, help: 'seed of the generator: init, then the batch (default: 42; the lecture\'s 2147483647 with --rng torch)' },
    ...RNG_FLAG_LIST, F.json, F.help,
  ],
  run(args) {
    const dtype = args.dtype as DType;
    const r = readRng(args);
    const seed = readSeed(args, r.kind);
    const B = requireInt(args, 'batch-size', 2);
    const torch = r.kind === 'torch' ? torchGenerators(seed, r) : null;
    const rng: BatchRng = torch ? new TorchBatches(torch.g) : new MT19937(seed);
    let cfg: ModelConfig;
    let params: Params;
    const ckPath = args.checkpoint as string | undefined;
    const blockFlag = args.blockSize === undefined ? undefined : requireInt(args, 'block-size', 1);
    const notes: string[] = [];
    let ds: Dataset;
    if (ckPath !== undefined) {
      const loaded = loadModel(ckPath, args.inputFile as string | undefined, blockFlag);
      ds = loaded.ds;
      cfg = loaded.m.cfg;
      requireFits(cfg, B, memoryBudget(), ckPath);
      params = castParams(loaded.m.params, dtype, cfg);
      if (loaded.m.note) notes.push(loaded.m.note);
      // the batch the lecture draws after its init: g first goes past the init's draws
      if (torch) skipInitDraws(cfg, torch.g, r.kernel);
    } else {
      ds = loadDataset(args.inputFile as string | undefined, blockFlag ?? 3);
      cfg = { vocabSize: ds.itos.length, nEmbd: requireInt(args, 'n-embd', 1), nHidden: requireInt(args, 'n-hidden', 1), blockSize: ds.blockSize };
      requireFits(cfg, B, memoryBudget());
      params = torch ? initParamsTorch(cfg, dtype, torch.g, torch.global, r.kernel) : initParams(cfg, dtype, rng as MT19937);
    }
    const X = new Int32Array(B * cfg.blockSize);
    const Y = new Int32Array(B);
    drawBatch(ds.train, cfg.blockSize, rng, X, Y);
    const yb = `[${Array.from(Y.subarray(0, 10)).join(', ')}${B > 10 ? ', ...' : ''}]`;

    const res = runCheck(params, X, Y, cfg);
    const fd = args.fd ? finiteDifferences(params, X, Y, cfg, res.manual.grads) : undefined;
    const paths = dtype === 'float32' ? trainingPaths(params, X, Y, cfg, res.reference, res.pathTols) : [];
    const ok = res.ok && (fd === undefined || fd.every((r) => r.ok)) && paths.every((p) => p.rows.every((r) => r.ok));
    const exactCount = res.rows.filter((r) => r.exact).length;

    if (args.json) {
      console.log(JSON.stringify({
        source: ds.source, config: cfg, params: countParams(cfg), batchSize: B, dtype, seed, rng: r.kind, Yb: Array.from(Y),
        checkpoint: ckPath ?? null, loss: res.loss, rows: res.rows, fused: res.fused, trainingPaths: paths, fd: fd ?? null, ok,
      }, null, 2));
      return ok ? 0 : 1;
    }
    console.log(`data:  ${ds.source}`);
    console.log(`model: E=${cfg.nEmbd} T=${cfg.blockSize} H=${cfg.nHidden} V=${cfg.vocabSize} (${countParams(cfg)} parameters${ckPath ? `, from ${ckPath}` : `, init ${describeRng(r, seed)}`}), batch ${B}, ${dtype}`);
    for (const n of notes) console.log(`note:  ${n}`);
    console.log(`batch: Yb = ${yb}${r.kind === 'torch' ? ' (torch.randint(0, Xtr.shape[0], (batch_size,), generator=g))' : ''}`);
    console.log(`loss:  ${res.loss}`);
    console.log('');
    console.log(`exercise 1: the manual backward of every tensor, against the autograd (tol: ${TOL_FACTOR} * unit roundoff * the magnitudes summed; exit 1 above it)`);
    for (const r of res.rows) console.log(formatRow(r));
    console.log('');
    console.log('exercises 2 and 3: cross-entropy and batchnorm backward in one formula each');
    for (const r of res.fused) console.log(formatRow(r));
    for (const path of paths) {
      console.log('');
      console.log(`the training step on the ${path.engine} engine (fused, fast kernels): its parameter gradients against the autograd, pass at maxdiff <= max(${pyFloat(PATH_RTOL)} * max|g|, the derived tol x ${PATH_TOL_FACTOR})`);
      for (const r of path.rows) {
        console.log(`${r.name.padEnd(15)} | maxdiff: ${pyFloat(r.maxdiff).padEnd(22)} | max|g|: ${pyFloat(r.scale).padEnd(22)} | tol: ${pyFloat(r.tol).padEnd(22)} | ${r.ok ? 'ok' : 'FAIL'}`);
      }
    }
    if (fd !== undefined) {
      console.log('');
      console.log(`finite differences (float64, five-point stencil, h = 1e-3): pass at max rel err <= ${pyFloat(FD_RTOL)}`);
      for (const r of fd) {
        const rel = r.relErr === null ? `zero gradient (all |entries| < ${pyFloat(FD_ZERO)})` : pyFloat(r.relErr);
        console.log(`${r.name.padEnd(15)} | entries: ${String(r.count).padEnd(5)} | max abs err: ${pyFloat(r.maxAbs).padEnd(22)} | max rel err: ${rel.padEnd(22)} | ${r.ok ? 'ok' : 'FAIL'}`);
      }
    }
    console.log('');
    const bad = [...res.rows, ...res.fused].filter((r) => !r.pass).map((r) => r.name);
    const worstFused = Math.max(...res.fused.map((r) => r.maxdiff));
    if (ok) {
      const pathNote = paths.length > 0 ? `, the ${paths.map((p) => p.engine).join(' and ')} training step${paths.length > 1 ? 's agree' : ' agrees'}` : '';
      console.log(`OK: ${exactCount}/${res.rows.length} exact, fused within ${pyFloat(worstFused)}${pathNote}${fd ? ', finite differences agree' : ''}`);
    } else {
      const fdBad = fd?.filter((r) => !r.ok).map((r) => `${r.name} (finite differences)`) ?? [];
      const pathBad = paths.flatMap((p) => p.rows.filter((r) => !r.ok).map((r) => `${r.name} (${p.engine} engine)`));
      console.log(`FAIL: ${[...bad, ...pathBad, ...fdBad].join(', ')}`);
    }
    return ok ? 0 : 1;
  },
};

interface TrainingPath {
  engine: Engine;
  rows: PathRow[];
}

/**
 * The fast training step (float32 only) on each engine but the reference: one forward and backward of the
 * Trainer on the same params and batch, its parameter gradients compared with the autograd's.
 */
function trainingPaths(
  params: Params, X: Int32Array, Y: Int32Array, cfg: ModelConfig, reference: Readonly<Record<GradName, Tensor>>,
  tols: Readonly<Record<GradName, number>>,
): TrainingPath[] {
  return ENGINES.filter((e) => e !== 'ref').map((engine) => {
    const copy = allocParams(cfg, 'float32');
    copy.flat.set(params.flat);
    const trainer = new Trainer(cfg, Y.length, 'float32', copy, { engine });
    trainer.X.set(X);
    trainer.Y.set(Y);
    trainer.forward();
    trainer.backward();
    return { engine: trainer.engine, rows: trainingPathRows(trainer, reference, tols) };
  });
}
