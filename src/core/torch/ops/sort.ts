// Sorting and counting ops with autograd: sort, argsort, topk (SortBackward0, TopkBackward0: the gradient put
// back at the indices, value_selecting_reduction_backward), unique and bincount (no gradient). Kernels in
// kernels/sort.ts.

import { isFloat, isIntegral, pyName } from '../dtype.js';
import { TorchError } from '../errors.js';
import { Node, needsGrad, record, saveInput } from '../graph.js';
import { Tensor } from '../tensor.js';
import { wrapDim } from '../kernels/reduce.js';
import { scatterAlongDim } from '../kernels/gather.js';
import { bincountKernel, sortKernel, topkKernel, uniqueKernel } from '../kernels/sort.js';

/** The gradient of a selection of x's values along d: zeros with g at the saved indices. */
function recordSelection(name: string, x: Tensor, vals: Tensor, idxs: Tensor, d: number): void {
  if (!needsGrad(x) || !isFloat(x.dtype)) return;
  const inShape = x.shape;
  record(vals, new Node(name, (g, [ix]) => [scatterAlongDim(inShape, d, ix, g)], [saveInput(idxs)]), [x]);
}

/** torch.sort(x, dim, descending, stable): [values, indices] (SortBackward0). */
export function sort(x: Tensor, dim = -1, desc = false, stable = false): [Tensor, Tensor] {
  const d = wrapDim(dim, x.ndim);
  const [vals, idxs] = sortKernel(x, d, desc, stable);
  recordSelection('SortBackward0', x, vals, idxs, d);
  return [vals, idxs];
}

/** torch.argsort(x, dim, descending): sort's indices. */
export function argsort(x: Tensor, dim = -1, desc = false, stable = false): Tensor {
  return sortKernel(x, wrapDim(dim, x.ndim), desc, stable)[1];
}

/** torch.topk(x, k, dim, largest, sorted): [values, indices] (TopkBackward0). */
export function topk(x: Tensor, k: number, dim = -1, largest = true, sorted = true): [Tensor, Tensor] {
  const d = wrapDim(dim, x.ndim);
  const [vals, idxs] = topkKernel(x, k, d, largest, sorted);
  recordSelection('TopkBackward0', x, vals, idxs, d);
  return [vals, idxs];
}

/** torch.unique(x, sorted, return_inverse, return_counts): [values, inverse, counts] (sorted either way). */
export function unique(x: Tensor): [Tensor, Tensor, Tensor] {
  return uniqueKernel(x);
}

/** torch.bincount(x, weights, minlength). */
export function bincount(x: Tensor, weights: Tensor | null, minlength: number): Tensor {
  if (!isIntegral(x.dtype)) throw new TorchError(`"bincount_cpu" not implemented for '${pyName(x.dtype)}'`);
  if (x.ndim !== 1) throw new TorchError('bincount only supports 1-d non-negative integral inputs.');
  if (minlength < 0) throw new TorchError('minlength should be >= 0');
  if (weights !== null && (weights.ndim !== 1 || weights.shape[0] !== x.shape[0])) throw new TorchError('weights should be 1-d and have the same length as input');
  return bincountKernel(x, weights, minlength);
}
