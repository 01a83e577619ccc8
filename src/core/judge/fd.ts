// An independent judge: float64 central finite differences of the loss, for every parameter entry.
// Neither the manual backward nor the autograd is involved, so a bug they share cannot hide from it.

import { actShapes, forwardRef, PARAM_NAMES, type ModelConfig, type ParamName, type Params } from '../reference/model.js';
import { makeBlock, type Tensor } from '../reference/block.js';
import { UserError } from '../errors.js';

export interface FdRow {
  name: ParamName;
  count: number;
  /** max |analytic - numeric| over the tensor */
  maxAbs: number;
  /** maxAbs / (largest |gradient entry| of the tensor); null where the gradient is zero up to FD noise */
  relErr: number | null;
  ok: boolean;
}

/** Below this, a whole gradient tensor counts as zero (b1's is: batchnorm subtracts the batch mean). */
export const FD_ZERO = 1e-9;
/** The pass mark for the relative error, in float64. */
export const FD_RTOL = 1e-6;

/**
 * The five-point stencil f'(x) ~ (-f(x+2h) + 8 f(x+h) - 8 f(x-h) + f(x-2h)) / 12h: truncation error
 * O(h^4), so h = 1e-3 keeps both truncation (~1e-13) and rounding (~1e-12) far below the mark.
 * `grads` maps each parameter to the analytic gradient under test.
 */
export function finiteDifferences(
  p: Params, X: Int32Array, Y: Int32Array, cfg: ModelConfig, grads: Record<ParamName, Tensor>, h = 1e-3,
): FdRow[] {
  if (!(p.flat instanceof Float64Array)) {
    throw new UserError('finite differences need float64 parameters: add --dtype float64');
  }
  const acts = makeBlock(actShapes(cfg, Y.length), 'float64');
  const loss = (): number => forwardRef(acts, p, X, Y, cfg);
  const rows: FdRow[] = [];
  for (const name of PARAM_NAMES) {
    const w = p[name].data;
    const an = grads[name].data;
    let maxAbs = 0;
    let scale = 0;
    for (let i = 0; i < w.length; i++) {
      const x0 = w[i];
      const f = (dx: number): number => {
        w[i] = x0 + dx;
        return loss();
      };
      const num = (-f(2 * h) + 8 * f(h) - 8 * f(-h) + f(-2 * h)) / (12 * h);
      w[i] = x0;
      maxAbs = Math.max(maxAbs, Math.abs(an[i] - num));
      scale = Math.max(scale, Math.abs(an[i]), Math.abs(num));
    }
    const zero = scale < FD_ZERO;
    const relErr = zero ? null : maxAbs / scale;
    rows.push({ name, count: w.length, maxAbs, relErr, ok: zero ? maxAbs <= FD_ZERO : relErr! <= FD_RTOL });
  }
  return rows;
}
