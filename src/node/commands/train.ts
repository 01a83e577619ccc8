// `train`: the lecture's exercise 4 from the command line. Seeded, resumable bit for bit, and careful with
// checkpoints: every write is atomic, Ctrl-C stops at a step boundary and saves, a diverging run keeps the
// last good checkpoint. All flags, the data and the work dir are checked before anything is written.

import { existsSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { lossChartSvg } from '../../core/run/chart.js';
import { encodeCheckpoint, type Checkpoint } from '../../core/run/checkpoint.js';
import type { Dataset } from '../../core/reference/data.js';
import { UserError } from '../../core/errors.js';
import { calibrateBatchnorm, formatLoss, Inference, sampleNames, type BnStats } from '../../core/run/infer.js';
import {
  checkTrainerStep, lectureLine, lrAt, probeLoss, TrainLoop, type Schedule, type StopReason, type TrainingCheck,
} from '../../core/run/loop.js';
import { allocParams, countParams, initParams, type ModelConfig, type Params } from '../../core/reference/model.js';
import { MT19937 } from '../../core/random/python.js';
import { defaultEngine, ENGINES, parseEngine, Trainer, type Engine } from '../../core/fast/engines.js';
import { readTorchRng, readTrainState, torchRngMeta, trainStateMeta, trainStateTensors } from '../../core/run/trainstate.js';
import { camel, requireInt, type Args } from '../args.js';
import { F, type Command } from '../command.js';
import { keepBackup, loadDataset, memoryBudget, writeFileAtomic } from '../io.js';
import { formatBytes, requireFits, runBytes } from '../../core/run/limits.js';
import { formatDuration, Progress } from '../progress.js';
import { BACKUP_FILE, CURVE_FILE, ensureWritableDir, lockWorkDir, modelPath, type WorkDirLock } from '../workdir.js';
import { castParams, loadCheckpoint, loadModel, requireSameVocab } from './shared.js';
import { recordedInput } from '../data-cache.js';
import { describeRng, readRng, RNG_FLAG_LIST, rngMeta, torchGenerators, torchSampleSeed, type RngChoice } from './rng.js';
import { initParamsTorch, sampleNamesTorch, skipInitDraws, TORCH_LECTURE_SEED, TorchBatches } from '../../core/run/torchrun.js';
import { TorchGenerator } from '../../core/random/torch.js';

/** The lecture's run (defaults with -i): H=200, E=10, T=3, batch 32, 200,000 steps, lr 0.1 then 0.01. */
export const LECTURE = { nEmbd: 10, nHidden: 200, blockSize: 3, batchSize: 32, maxSteps: 200_000, learningRate: 0.1, seed: 42 };
/**
 * The embedded default (no -i): the same model on the 8,422 embedded English first names, 60,000 steps
 * (lr 0.01 from step 30,000): about 8 s on the wasm engine (~100 us a step at H=200), val ~2.09. Long
 * enough to see the curve bend and name-like samples come out, short enough for a first run.
 */
export const SHORT = { ...LECTURE, maxSteps: 60_000 };

/** Every this many steps the lecture printed a line; a shorter run prints ten. */
export function defaultPrintEvery(maxSteps: number): number {
  return Math.max(1, Math.min(10_000, Math.round(maxSteps / 10)));
}

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
type StopSignal = (typeof STOP_SIGNALS)[number];
/** the shell's convention: 128 + the signal's number */
const SIGNAL_EXIT: Record<StopSignal, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

/**
 * A test-only fault hook: BPN_FAULT=check-every@N makes the gradient check of step N fail (N must be a step
 * the check runs at, a multiple of --check-every), so a test can see what a failed check does to the run.
 * Read here, by the CLI only; the core knows nothing of it.
 */
export function readFault(raw: string | undefined): { checkFailsAt: number } | null {
  if (raw === undefined || raw === '') return null;
  const m = /^check-every@([0-9]{1,9})$/.exec(raw);
  if (m === null) throw new UserError(`BPN_FAULT must be check-every@STEP (a fault hook for tests only), got ${JSON.stringify(raw.slice(0, 40))}; unset it`);
  return { checkFailsAt: Number(m[1]) };
}

function faultyCheck(fault: { checkFailsAt: number } | null): (trainer: Trainer, step: number) => TrainingCheck {
  if (fault === null) return checkTrainerStep;
  return (trainer, step) => {
    const c = checkTrainerStep(trainer, step);
    return step === fault.checkFailsAt ? { ...c, ok: false, failure: `injected fault (BPN_FAULT=check-every@${step})` } : c;
  };
}

const SLICE_MS = 50; // how long the loop runs before it lets the event loop see a Ctrl-C

/** 0.01, not 0.010000000000000002; 1e+20, not 100000000000000000000 (as Python prints floats) */
const num = (x: number): string => {
  const v = Number(x.toPrecision(6));
  return v !== 0 && (Math.abs(v) >= 1e16 || Math.abs(v) < 1e-4) ? v.toExponential() : String(v);
};

const optional = <T extends { default?: unknown }>(spec: T, help: string): T => ({ ...spec, default: undefined, help });

export const trainCommand: Command = {
  name: 'train',
  brief: "Train with the hand-written backward (the lecture's exercise 4); evaluate, sample, save.",
  summary:
    "Train the model with the hand-written backward (the lecture's exercise 4); evaluate, sample, save.\n" +
    'The loop uses the fused backward (exercises 2 and 3) and SGD. After training: calibrate batchnorm over the\n' +
    'training split, print the split losses, sample 20 names, write <work-dir>/model.safetensors and\n' +
    `<work-dir>/${CURVE_FILE}. With -i the defaults are the lecture's run (H=200, 200,000 steps, lr 0.1 then 0.01);\n` +
    `on the embedded names a short run of ${SHORT.maxSteps} steps. Ctrl-C saves and exits 130; --resume continues\n` +
    'from the checkpoint, bit for bit.',
  flags: [
    F.input, F.maxInput,
    { name: 'work-dir', short: 'o', type: 'string', default: 'out', help: 'where the checkpoint and the loss curve go' },
    { name: 'resume', type: 'boolean', help: 'continue from <work-dir>/model.safetensors (params, step, generator, schedule, losses); -l, --lr-decay-step, --max-steps may change the schedule' },
    { name: 'learning-rate', short: 'l', type: 'number', help: `learning rate of the first part (default: ${LECTURE.learningRate})` },
    { name: 'lr-decay-step', type: 'int', help: 'the step from which the learning rate is divided by 10 (default: max-steps / 2)' },
    { name: 'max-steps', type: 'int', help: `steps to train (default: ${LECTURE.maxSteps} with -i, ${SHORT.maxSteps} on the embedded names)` },
    optional(F.batchSize, `batch size (>= 2: batchnorm divides by n-1) (default: ${LECTURE.batchSize})`),
    optional(F.nEmbd, `embedding size E (default: ${LECTURE.nEmbd})`),
    optional(F.nHidden(LECTURE.nHidden), `hidden layer size H (default: ${LECTURE.nHidden})`),
    optional(F.blockSize, `context length T (default: ${LECTURE.blockSize})`),
    optional(F.seed, `seed of the generator: init, then batches; also the samples' (default: ${LECTURE.seed}; with --rng torch the lecture's ${TORCH_LECTURE_SEED}, and the samples' ${TORCH_LECTURE_SEED} + 10)`),
    ...RNG_FLAG_LIST,
    { name: 'init-from', type: 'string', help: "start from this model's parameters instead of the init: a checkpoint of ours, or a PyTorch safetensors file of the lecture's tensors (C, W1, b1, W2, b2, bngain, bnbias); vocabulary and block size from -i / --block-size" },
    { name: 'check-every', type: 'int', default: 0, help: 'every N steps compare the gradients with the autograd; stop if any disagree (0: never)' },
    { name: 'save-every', type: 'int', default: 10_000, help: 'write the checkpoint every N steps (0: only at the end and on Ctrl-C)' },
    { name: 'print-every', type: 'int', help: "the lecture's progress line every N steps (default: 10000, or a tenth of a shorter run)" },
    { name: 'test', type: 'boolean', help: 'also print the test split loss' },
    { name: 'backend', type: 'string', help: `kernels of the training step, one of ${ENGINES.join(', ')}: wasm (WebAssembly SIMD), ref (the plain ops of reference/ops.ts, the judge); both give the same math (default: wasm)` },
    F.help,
  ],
  run: (args) => train(args),
};

function positiveNumber(args: Args, name: string): number | undefined {
  const v = args[camel(name)];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !(v > 0)) throw new UserError(`--${name} must be a number > 0, got ${v}`);
  return v;
}

function optInt(args: Args, name: string, min: number): number | undefined {
  return args[camel(name)] === undefined ? undefined : requireInt(args, name, min);
}

interface Setup {
  ds: Dataset;
  cfg: ModelConfig;
  params: Params;
  rng: MT19937 | TorchBatches;
  rngChoice: RngChoice;
  schedule: Schedule;
  batchSize: number;
  seed: number;
  input: string | null;
  step: number;
  losses?: Float64Array;
  /** a line about where the parameters came from (--init-from) */
  note?: string;
}

/**
 * What the checkpoint records as its names file: the file that was read, as an absolute path (`-i names` is
 * the cache's names.txt, not ./names), so `eval` and `--resume` read it again from any directory; null for
 * the embedded names.
 */
function readFrom(input: string | undefined, ds: Dataset): string | null {
  return input === undefined ? null : resolve(ds.source);
}

/** A run from scratch: the flags (or their defaults), the lecture's init from MT19937(seed). */
function fresh(args: Args, flags: Flags): Setup {
  const input = args.inputFile as string | undefined;
  const d = input === undefined ? SHORT : LECTURE;
  const r = readRng(args);
  const seed = flags.seed ?? (r.kind === 'torch' ? TORCH_LECTURE_SEED : d.seed);
  const maxSteps = flags.maxSteps ?? d.maxSteps;
  const schedule = { learningRate: flags.learningRate ?? d.learningRate, lrDecayStep: flags.lrDecayStep ?? Math.floor(maxSteps / 2), maxSteps };
  const initFrom = args.initFrom as string | undefined;
  let ds: Dataset;
  let cfg: ModelConfig;
  let params: Params;
  let note: string | undefined;
  if (initFrom !== undefined) {
    const loaded = loadModel(initFrom, input, flags.blockSize);
    ds = loaded.ds;
    cfg = loaded.m.cfg;
    for (const [k, flag] of [['nEmbd', 'n-embd'], ['nHidden', 'n-hidden'], ['blockSize', 'block-size']] as const) {
      const v = flags[k];
      if (v !== undefined && v !== cfg[k]) throw new UserError(`--${flag} ${v} does not match --init-from ${initFrom} (${flag} ${cfg[k]}); drop the flag`);
    }
    params = castParams(loaded.m.params, 'float32', cfg);
    note = `init: the parameters of ${initFrom}${loaded.m.ck ? '' : ' (a PyTorch file)'}; the generator skips the init's draws, so the batches are those a fresh init would be followed by`;
  } else {
    ds = loadDataset(input, flags.blockSize ?? d.blockSize);
    cfg = { vocabSize: ds.itos.length, nEmbd: flags.nEmbd ?? d.nEmbd, nHidden: flags.nHidden ?? d.nHidden, blockSize: ds.blockSize };
    requireRunFits(cfg, flags.batchSize ?? d.batchSize, maxSteps, 'the flags');
    params = allocParams(cfg, 'float32'); // replaced below
  }
  if (initFrom !== undefined) requireRunFits(cfg, flags.batchSize ?? d.batchSize, maxSteps, initFrom);
  let rng: MT19937 | TorchBatches;
  if (r.kind === 'torch') {
    const { g, global } = torchGenerators(seed, r);
    if (initFrom === undefined) params = initParamsTorch(cfg, 'float32', g, global, r.kernel);
    else skipInitDraws(cfg, g, r.kernel);
    rng = new TorchBatches(g); // the lecture's one generator goes on to draw the batches
  } else {
    const mt = new MT19937(seed);
    const init = initParams(cfg, 'float32', mt); // the one generator goes on to draw the batches
    if (initFrom === undefined) params = init;
    rng = mt;
  }
  return { ds, cfg, params, rng, rngChoice: r, schedule, batchSize: flags.batchSize ?? d.batchSize, seed, input: readFrom(input, ds), step: 0, note };
}

/**
 * A resumed run: everything from the checkpoint. The model's shape, the batch size and the seed must agree
 * with it if given again; --learning-rate, --lr-decay-step and --max-steps may change the rest of the run.
 */
function resumed(args: Args, flags: Flags, path: string): Setup {
  if (!existsSync(path)) {
    throw new UserError(`--resume: there is no checkpoint ${path} to resume; train without --resume first, or point -o/--work-dir at the run's directory`);
  }
  const ck: Checkpoint = loadCheckpoint(path);
  const st = readTrainState(ck, path);
  const given: [keyof Flags, string, number][] = [
    ['nEmbd', 'n-embd', ck.cfg.nEmbd], ['nHidden', 'n-hidden', ck.cfg.nHidden], ['blockSize', 'block-size', ck.cfg.blockSize],
    ['batchSize', 'batch-size', st.batchSize], ['seed', 'seed', ck.seed],
  ];
  for (const [k, flag, have] of given) {
    const v = flags[k];
    if (v !== undefined && v !== have) {
      throw new UserError(`--${flag} ${v} does not match the checkpoint ${path} (${flag} ${have}); drop the flag to resume that run, or train from scratch without --resume`);
    }
  }
  const maxSteps = flags.maxSteps ?? st.schedule.maxSteps;
  if (maxSteps < st.step) throw new UserError(`--max-steps ${maxSteps} is below the checkpoint's step ${st.step}; give at least ${st.step}`);
  const input = (args.inputFile as string | undefined) ?? (st.input === null ? undefined : recordedInput(st.input));
  const ds = loadDataset(input, ck.cfg.blockSize);
  requireSameVocab(ck, ds, path);
  requireRunFits(ck.cfg, st.batchSize, maxSteps, path);
  const recorded = ck.meta.rng === 'torch' ? 'torch' : 'python';
  if (args.rng !== undefined && args.rng !== recorded) {
    throw new UserError(`--rng ${args.rng as string} does not match the checkpoint ${path} (rng ${recorded}); drop the flag to resume that run`);
  }
  if (args.initFrom !== undefined) throw new UserError('--init-from starts a new run; it does not go with --resume');
  const rngChoice = readRng(args, ck);
  let rng: MT19937 | TorchBatches;
  if (recorded === 'torch') {
    const g = new TorchGenerator();
    g.setState(readTorchRng(ck, st, path));
    rng = new TorchBatches(g);
  } else {
    const mt = new MT19937(0);
    mt.setState(st.rng);
    rng = mt;
  }
  return {
    ds, cfg: ck.cfg, params: ck.params, rng, rngChoice, batchSize: st.batchSize, seed: ck.seed,
    // the schedule is the checkpoint's unless a flag changes it (e.g. a lower lr after a divergence)
    schedule: {
      learningRate: flags.learningRate ?? st.schedule.learningRate,
      lrDecayStep: flags.lrDecayStep ?? st.schedule.lrDecayStep,
      maxSteps,
    },
    input: readFrom(input, ds), step: st.step, losses: st.losses,
  };
}

/** The model, a batch, and the loss history (one float64 a step) must fit the memory budget. */
function requireRunFits(cfg: ModelConfig, batchSize: number, maxSteps: number, what: string): void {
  const budget = memoryBudget();
  requireFits(cfg, batchSize, budget, what);
  const history = 8 * maxSteps;
  if (!(history + runBytes(cfg, batchSize) <= budget)) {
    throw new UserError(`--max-steps ${maxSteps}: the loss history needs ${formatBytes(history)}, more than the ${formatBytes(budget)} this run may use with the model; give fewer steps`);
  }
}

interface Flags {
  learningRate?: number;
  lrDecayStep?: number;
  maxSteps?: number;
  batchSize?: number;
  nEmbd?: number;
  nHidden?: number;
  blockSize?: number;
  seed?: number;
}

/** Every flag's range, before any file is read or written. */
function readFlags(args: Args): Flags {
  return {
    learningRate: positiveNumber(args, 'learning-rate'),
    lrDecayStep: optInt(args, 'lr-decay-step', 0),
    maxSteps: optInt(args, 'max-steps', 0),
    batchSize: optInt(args, 'batch-size', 2),
    nEmbd: optInt(args, 'n-embd', 1),
    nHidden: optInt(args, 'n-hidden', 1),
    blockSize: optInt(args, 'block-size', 1),
    seed: optInt(args, 'seed', 0),
  };
}

/**
 * One run owns its work dir (a lock, see workdir.ts): taken before the checkpoint is read when the dir
 * exists (so a --resume reads a checkpoint no one else is writing), else right after the dir is made.
 */
async function train(args: Args): Promise<number> {
  const workDir = args.workDir as string;
  const owner: { lock: WorkDirLock | null } = { lock: null };
  try {
    if (isDirectory(workDir)) {
      readFlags(args); // a bad flag is reported before a busy work dir
      owner.lock = lockWorkDir(workDir);
    }
    return await trainOwned(args, owner);
  } finally {
    owner.lock?.release();
  }
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

async function trainOwned(args: Args, owner: { lock: WorkDirLock | null }): Promise<number> {
  const flags = readFlags(args);
  const checkEvery = requireInt(args, 'check-every', 0);
  const fault = readFault(process.env.BPN_FAULT);
  const saveEvery = requireInt(args, 'save-every', 0);
  const printEveryFlag = optInt(args, 'print-every', 1);
  const workDir = args.workDir as string;
  const ckPath = modelPath(workDir);
  const s = args.resume ? resumed(args, flags, ckPath) : fresh(args, flags);
  if (s.ds.train.n === 0) {
    throw new UserError(`${s.ds.source.split(':')[0]}: the training split is empty (the 80/10/10 split needs at least 2 names)`);
  }
  ensureWritableDir(workDir);
  owner.lock ??= lockWorkDir(workDir);
  // a fresh run into a dir with a checkpoint keeps that one as a backup (one generation) at its first save
  const backupPath = join(workDir, BACKUP_FILE);
  let backupDue = !args.resume && existsSync(ckPath);

  const { ds, cfg, schedule, seed } = s;
  const engine = args.backend === undefined ? defaultEngine('float32') : backendFlag(args.backend as string);
  const trainer = new Trainer(cfg, s.batchSize, 'float32', s.params, { engine });
  const check = faultyCheck(fault);
  const loop = new TrainLoop(trainer, ds.train, s.rng, schedule, { step: s.step, losses: s.losses, checkEvery, check });
  const printEvery = printEveryFlag ?? defaultPrintEvery(schedule.maxSteps);
  const out = new Progress();

  const save = (stats: BnStats | null): void => {
    if (backupDue) {
      keepBackup(ckPath, backupPath);
      backupDue = false;
    }
    const rngState = s.rng instanceof TorchBatches ? s.rng.g.getState() : s.rng.getState();
    const meta = {
      ...trainStateMeta({ step: loop.step, schedule, batchSize: s.batchSize, input: s.input }),
      ...rngMeta(s.rngChoice),
      ...(s.rng instanceof TorchBatches ? torchRngMeta(s.rng.g.getState()) : {}),
    };
    const extra = trainStateTensors(rngState, loop.history(), stats, cfg.nHidden);
    writeFileAtomic(ckPath, encodeCheckpoint(trainer.params, cfg, ds.itos, seed, extra, meta));
  };
  let lastSaved = args.resume ? loop.step : -1;
  const diverged = (step: number, what: string): UserError =>
    new UserError(
      `${what} at step ${step} (learning rate ${num(lrAt(schedule, Math.max(0, step - 1)))}): the run diverged; ` +
      (lastSaved >= 0 ? `the last good checkpoint ${ckPath} (step ${lastSaved}) is kept` : `nothing was saved (${ckPath}, if there is one, is untouched)`) +
      `; try a lower --learning-rate, e.g. ${num(lrAt(schedule, Math.max(0, step - 1)) / 10)}`,
    );

  /** Never save over a good checkpoint with parameters that overflow: stop, and say where. */
  const requireHealthy = (): void => {
    const probe = probeLoss(loop);
    if (!Number.isFinite(probe)) throw diverged(loop.step, `the loss became ${probe}`);
  };

  out.line(`data:  ${ds.source}: ${ds.train.n} / ${ds.val.n} / ${ds.test.n} rows (train / val / test)`);
  out.line(`model: E=${cfg.nEmbd} T=${cfg.blockSize} H=${cfg.nHidden} V=${cfg.vocabSize}, ${countParams(cfg)} parameters, float32 on the ${trainer.engine} engine, ${describeRng(s.rngChoice, seed)}`);
  if (s.note) out.line(s.note);
  out.line(
    `train: ${schedule.maxSteps} steps of batch ${s.batchSize}, lr ${num(schedule.learningRate)} then ${num(schedule.learningRate / 10)} from step ${schedule.lrDecayStep}` +
    (args.resume ? `; resumed at step ${loop.step} from ${ckPath}` : '') + (checkEvery > 0 ? `; gradient check every ${checkEvery} steps` : ''),
  );
  if (owner.lock?.note) out.line(`note:  ${owner.lock.note}`);
  if (backupDue) out.line(`note:  ${ckPath} is from an earlier run: kept as ${backupPath} at this run's first save (--resume continues a run instead)`);

  // Ctrl-C, SIGTERM (kill, a job scheduler's stop) and SIGHUP (the terminal closed): finish the step, save,
  // exit 128 + the signal's number (130, 143, 129). A second signal quits at once (the checkpoint file is
  // whole either way).
  let interrupted: StopSignal | null = null;
  const onSignal = (sig: StopSignal): void => {
    if (interrupted !== null) process.exit(SIGNAL_EXIT[sig]);
    interrupted = sig;
  };
  for (const sig of STOP_SIGNALS) process.on(sig, onSignal);
  const removeSignalHandlers = (): void => {
    for (const sig of STOP_SIGNALS) process.removeListener(sig, onSignal);
  };
  try {
    const t0 = performance.now();
    const step0 = loop.step;
    let reason: StopReason | 'start' = loop.step >= schedule.maxSteps ? 'done' : 'start';
    if (reason === 'done') out.line(`the checkpoint is already at step ${loop.step} of ${schedule.maxSteps}; nothing to train (give a larger --max-steps to go on)`);
    while (reason !== 'done') {
      const from = loop.step;
      const nextSave = saveEvery > 0 ? (Math.floor(loop.step / saveEvery) + 1) * saveEvery : Infinity;
      reason = loop.run(nextSave, performance.now() + SLICE_MS);
      for (let i = Math.ceil(from / printEvery) * printEvery; i < loop.step; i += printEvery) {
        out.line(lectureLine(i, schedule.maxSteps, loop.losses[i]));
      }
      if (reason === 'nonfinite') throw diverged(loop.step, `the loss became ${loop.losses[loop.step]}`);
      if (reason === 'check') {
        // the loop is the state after the last good step (generator rewound): keep that work before stopping
        let kept = 'the generator could not be rewound, so nothing more was saved';
        if (loop.rewound) {
          requireHealthy();
          save(null);
          lastSaved = loop.step;
          kept = `the last good state (step ${loop.step}) is saved in ${ckPath} (go on with: backprop-ninja train -o ${workDir} --resume)`;
        }
        out.clear();
        process.stderr.write(`backprop-ninja: error: gradient check failed at step ${loop.step}: ${loop.lastCheck?.failure ?? '?'}; ${kept}\n`);
        return 1;
      }
      const now = performance.now();
      const rate = ((loop.step - step0) * 1000) / Math.max(1, now - t0);
      if (out.live && loop.step > 0) {
        let recent = 0;
        const k = Math.min(100, loop.step);
        for (let i = loop.step - k; i < loop.step; i++) recent += loop.losses[i];
        out.update(loop.step, schedule.maxSteps, recent / k, rate, now);
      }
      const saveDue = saveEvery > 0 && loop.step % saveEvery === 0 && loop.step !== lastSaved && reason !== 'done';
      if (saveDue || interrupted !== null) {
        requireHealthy();
        save(null);
        lastSaved = loop.step;
      }
      if (interrupted !== null) {
        const how = interrupted === 'SIGINT' ? 'interrupted' : `stopped by ${interrupted}`;
        out.line(`${how} at step ${loop.step} of ${schedule.maxSteps}; saved ${ckPath} (go on with: backprop-ninja train -o ${workDir} --resume)`);
        return SIGNAL_EXIT[interrupted];
      }
      if (reason !== 'done') await new Promise<void>((r) => setImmediate(r)); // let a SIGINT in
    }
    const secs = (performance.now() - t0) / 1000;
    out.clear();
    if (loop.step > step0) out.line(`trained ${loop.step - step0} steps in ${formatDuration(secs)} (${((loop.step - step0) / secs).toFixed(0)} steps/s)`);
    requireHealthy();
    if (loop.step !== lastSaved) {
      save(null); // the trained params first: a Ctrl-C from here on (default action) loses nothing
      lastSaved = loop.step;
    }
    removeSignalHandlers();

    // the lecture's calibration, then the checkpoint with bnmean and bnvar
    const stats = calibrateBatchnorm(trainer.params, cfg, ds.train);
    save(stats);
    lastSaved = loop.step;
    const inf = new Inference(trainer.params, cfg, stats);
    out.line('');
    out.line(`split losses (batchnorm calibrated over the ${ds.train.n} training rows):`);
    const splits = args.test ? (['train', 'val', 'test'] as const) : (['train', 'val'] as const);
    for (const name of splits) out.line(`${name.padEnd(5)} ${formatLoss(inf.splitLoss(ds[name]))}`);
    out.line('');
    if (s.rngChoice.kind === 'torch') {
      out.line(`20 samples (torch.multinomial, generator seeded ${torchSampleSeed(seed)}):`);
      for (const name of sampleNamesTorch(inf, ds.itos, new TorchGenerator(torchSampleSeed(seed)), 20)) out.line(name);
    } else {
      out.line(`20 samples (seed ${seed}):`);
      for (const name of sampleNames(inf, ds.itos, new MT19937(seed), 20)) out.line(name);
    }
    const curve = join(workDir, CURVE_FILE);
    writeFileAtomic(curve, lossChartSvg(loop.history(), `${s.input === null ? 'embedded names' : basename(s.input)}: E=${cfg.nEmbd} T=${cfg.blockSize} H=${cfg.nHidden}, batch ${s.batchSize}, ${loop.step} steps`));
    out.line('');
    out.line(`wrote ${ckPath} (step ${loop.step}) and ${curve}`);
    return 0;
  } finally {
    out.clear();
    removeSignalHandlers();
  }
}

/** --backend's value: one of ENGINES; the retired 'ts' gets parseEngine's line saying where it went. */
function backendFlag(raw: string): Engine {
  if (raw === 'ts') return parseEngine(raw);
  if (!(ENGINES as readonly string[]).includes(raw)) throw new UserError(`--backend must be one of ${ENGINES.join(', ')}, got '${raw}'`);
  return raw as Engine;
}
