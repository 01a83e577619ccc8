// `--rng python|torch`, `--torch-kernel`, `--torch-global-seed`: which generator a command draws from.

import { UserError } from '../../core/errors.js';
import { TorchGenerator, type TorchKernel } from '../../core/random/torch.js';
import { TORCH_GLOBAL_SEED, TORCH_LECTURE_SEED, TORCH_SAMPLE_OFFSET } from '../../core/run/torchrun.js';
import type { Checkpoint } from '../../core/run/checkpoint.js';
import type { Args, FlagSpec } from '../args.js';

export type RngKind = 'python' | 'torch';

export const RNG_FLAGS = {
  rng: {
    name: 'rng', type: 'string', choices: ['python', 'torch'],
    help: "the generator: python (CPython's MT19937, the default) or torch (PyTorch 1.13's CPU generator: the lecture's init, batches and samples draw for draw, bit for bit with Debian's x86-64 build; docs/torch-rng.md)",
  },
  torchKernel: {
    name: 'torch-kernel', type: 'string', choices: ['avx2', 'scalar'],
    help: "with --rng torch: which PyTorch float32 randn kernel to reproduce: avx2 (x86-64 CPUs with AVX2, the default) or scalar (other CPUs)",
  },
  torchGlobalSeed: {
    name: 'torch-global-seed', type: 'int',
    help: `with --rng torch: seed of the global generator that draws bngain and bnbias (PyTorch seeds its own from the OS in every process, so the lecture's values cannot be had; default ${TORCH_GLOBAL_SEED})`,
  },
} satisfies Record<string, FlagSpec>;

export const RNG_FLAG_LIST: FlagSpec[] = [RNG_FLAGS.rng, RNG_FLAGS.torchKernel, RNG_FLAGS.torchGlobalSeed];

export interface RngChoice {
  kind: RngKind;
  kernel: TorchKernel;
  globalSeed: number;
}

function nonNegInt(args: Args, key: string, flag: string): number | undefined {
  const v = args[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new UserError(`--${flag} must be an integer >= 0, got ${v}`);
  return v;
}

/** The --rng flags, with the checkpoint's choice (if any), else `fallback`, as the default. */
export function readRng(args: Args, ck?: Checkpoint, fallback: RngKind = 'python'): RngChoice {
  const recorded = ck?.meta.rng === 'torch' ? 'torch' : ck === undefined ? undefined : 'python';
  const kind = ((args.rng as string | undefined) ?? recorded ?? fallback) as RngKind;
  const recordedKernel = ck?.meta.torchKernel === 'scalar' ? 'scalar' : undefined;
  const kernel = ((args.torchKernel as string | undefined) ?? recordedKernel ?? 'avx2') as TorchKernel;
  if (kind !== 'torch' && (args.torchKernel !== undefined || args.torchGlobalSeed !== undefined)) {
    throw new UserError('--torch-kernel and --torch-global-seed go with --rng torch');
  }
  const globalSeed = nonNegInt(args, 'torchGlobalSeed', 'torch-global-seed') ?? TORCH_GLOBAL_SEED;
  return { kind, kernel, globalSeed };
}

/** --seed, or its default: 42 for python, the lecture's 2147483647 for torch. */
export function readSeed(args: Args, kind: RngKind, pythonDefault = 42): number {
  return nonNegInt(args, 'seed', 'seed') ?? (kind === 'torch' ? TORCH_LECTURE_SEED : pythonDefault);
}

export function torchGenerators(seed: number, r: RngChoice): { g: TorchGenerator; global: TorchGenerator } {
  return { g: new TorchGenerator(seed), global: new TorchGenerator(r.globalSeed) };
}

/** The sampling seed of a torch run: the lecture's last cell uses 2147483647 + 10. */
export function torchSampleSeed(seed: number): number {
  return seed + TORCH_SAMPLE_OFFSET;
}

/** How a command's header names the generator. */
export function describeRng(r: RngChoice, seed: number): string {
  return r.kind === 'torch'
    ? `torch generator seed ${seed} (${r.kernel} kernel; bngain, bnbias from a global generator seeded ${r.globalSeed})`
    : `seed ${seed}`;
}

/** Checkpoint metadata that records the choice. */
export function rngMeta(r: RngChoice): Record<string, unknown> {
  return r.kind === 'torch' ? { rng: 'torch', torchKernel: r.kernel, torchGlobalSeed: r.globalSeed } : {};
}
