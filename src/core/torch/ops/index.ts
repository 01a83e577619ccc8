// Indexing by integer tensors with autograd: y[adv] gathers a copy (IndexBackward0: zeros with the gradient
// added at the indices, in element order). The basic items (ints, slices, None) are views (shape.ts); the
// whole subscript x[...] and the in-place writes (index_put_, x[...] = v) are in inplace.ts.

import { isFloat } from '../dtype.js';
import { Node, needsGrad, record, saveInput, type Saved } from '../graph.js';
import { Tensor, zerosOf } from '../tensor.js';
import { gatherKernel, gatherPlan, scatterKernel } from '../kernels/gather.js';
import { expandTo } from './shape.js';
import { TorchError } from '../errors.js';

/** y[adv] for per-dimension index tensors (null: the whole dimension). */
export function index(y: Tensor, adv: readonly (Tensor | null)[]): Tensor {
  const out = gatherKernel(y, gatherPlan(y, adv));
  if (needsGrad(y) && isFloat(y.dtype)) {
    const inShape = y.shape;
    const [saved, restore] = saveIndices(adv);
    // index_backward: _index_put_impl_(zeros_like(self), indices, grad, accumulate=true)
    record(out, new Node('IndexBackward0', (g, s) => {
      const z = zerosOf(inShape, g.dtype);
      scatterInto(z, restore(s), g, true);
      return [z];
    }, saved), [y]);
  }
  return out;
}

/**
 * Saves the index tensors of an advanced index for a backward (owned with the node), and the function that
 * puts them back in place from the node's saved values (`offset`: how many saved values come before them).
 */
export function saveIndices(adv: readonly (Tensor | null)[], offset = 0): [Saved[], (s: readonly Tensor[]) => (Tensor | null)[]] {
  const saved = adv.filter((t): t is Tensor => t !== null).map(saveInput);
  const pos = adv.map((t) => t !== null);
  return [saved, (s) => {
    let k = offset;
    return pos.map((p) => (p ? s[k++] : null));
  }];
}

/** y[adv] = v (or += when accumulate), v broadcast to the indexed shape; in element order. No autograd. */
export function scatterInto(y: Tensor, adv: readonly (Tensor | null)[], v: Tensor, accumulate: boolean): void {
  const plan = gatherPlan(y, adv);
  let vv: Tensor;
  try {
    vv = expandTo(v, plan.shape);
  } catch {
    throw new TorchError(`shape mismatch: value tensor of shape [${v.shape.join(', ')}] cannot be broadcast to indexing result of shape [${plan.shape.join(', ')}]`);
  }
  scatterKernel(y, plan, vv, accumulate);
}
