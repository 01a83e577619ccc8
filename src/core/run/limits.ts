// What a model may cost before anything is allocated: every size flag and every checkpoint field is checked
// here against a memory budget (the CLI passes what the machine allows), so `--n-hidden 1e9` is one clear
// line instead of "Invalid typed array length" or gigabytes of swap. Pure: the budget comes from the caller.

import { UserError } from '../errors.js';
import type { ModelConfig } from '../reference/model.js';

const GiB = 1024 ** 3;
/** The longest typed array we make (V8 allows more, but no tensor of this model should come near it) */
export const MAX_ELEMENTS = 2 ** 30;

/** Bytes, as a person reads them: 512 MiB, 3.2 GiB. */
export function formatBytes(n: number): string {
  const [unit, name] = n >= GiB ? [GiB, 'GiB'] : n >= 1024 ** 2 ? [1024 ** 2, 'MiB'] : [1024, 'KiB'];
  const v = n / unit;
  return `${v >= 100 ? String(Math.round(v)) : String(Number(v.toPrecision(3)))} ${name}`;
}

/** The number of parameters, in doubles (exact far past any size that fits). */
export function paramCount(cfg: ModelConfig): number {
  const { vocabSize: V, nEmbd: E, nHidden: H, blockSize: T } = cfg;
  return V * E + T * E * H + H + H * V + V + 2 * H;
}

/**
 * A generous estimate of the bytes a run of this model with batch B needs: parameters, gradients and a
 * float64 copy (check, the autograd) of each, and the activations and their gradients (26 tensors of at
 * most B x max(T*E, H, V) each), in float64.
 */
export function runBytes(cfg: ModelConfig, B: number): number {
  const { vocabSize: V, nEmbd: E, nHidden: H, blockSize: T } = cfg;
  const P = paramCount(cfg);
  const widest = Math.max(T * E, H, V);
  return 8 * (4 * P + 2 * 26 * B * widest);
}

/**
 * Throws one line naming the flags when the model (and batch B) would not fit in `budget` bytes, or when one
 * tensor would be longer than MAX_ELEMENTS. `what` says where the sizes came from (the flags, a checkpoint).
 */
export function requireFits(cfg: ModelConfig, B: number, budget: number, what = 'the flags'): void {
  const { vocabSize: V, nEmbd: E, nHidden: H, blockSize: T } = cfg;
  const longest = Math.max(V * E, T * E * H, H * V, B * T * E, B * H, B * V);
  const need = runBytes(cfg, B);
  const sizes = `E=${E} T=${T} H=${H} V=${V}, batch ${B}`;
  if (!(longest <= MAX_ELEMENTS) || !(need <= budget)) {
    throw new UserError(
      `the model of ${what} (${sizes}) needs about ${formatBytes(need)}, more than the ${formatBytes(budget)} this run may use; ` +
      'give a smaller --n-hidden, --n-embd, --block-size or --batch-size',
    );
  }
}
