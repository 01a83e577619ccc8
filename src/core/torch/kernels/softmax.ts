// softmax / log_softmax and nll_loss kernels (no autograd: ops/nn.ts records the nodes). Per line along
// the dim: the max subtracted (numerical stability only), exp and the sum in doubles, one rounding per
// output.

import { TorchError } from '../errors.js';
import { Tensor, empty, forEachRow } from '../tensor.js';
import { flatValues } from './reduce.js';
import { roundResult } from './pointwise.js';
import { PARAMS, PARAMS_BYTES, wasm } from '../heap.js';

/** softmax (log = false) or log_softmax of a floating x along dim (wrapped), a new contiguous tensor. */
export function softmaxKernel(x: Tensor, dim: number, log: boolean): Tensor {
  const y = empty(x.shape, x.dtype);
  const w = wasm();
  if (w !== null && x.dtype === 'float32' && x.isContiguous && x.ndim > 0 && dim === x.ndim - 1 && x.numel >= 16 && x.shape[dim] * 8 <= PARAMS_BYTES) {
    // rows along the last dim, in wasm: the same max, Math.exp's bits (expF64), double sums, Math.log
    const d = x.shape[dim];
    w.softmaxRowsF32(y.offset * 4, x.offset * 4, x.numel / d, d, log ? 1 : 0, PARAMS);
    return y;
  }
  const nd = x.ndim;
  const D = nd === 0 ? 1 : x.shape[dim];
  const s = nd === 0 ? 0 : x.strides[dim];
  // the output is contiguous in x's shape: line l's element i is at (outer * D + i) * inner + rest
  let inner = 1;
  for (let i = dim + 1; i < nd; i++) inner *= x.shape[i];
  const restShape = x.shape.filter((_, i) => i !== dim);
  const restStr = x.strides.filter((_, i) => i !== dim);
  const src = x.data;
  const o = y.data;
  const yo = y.offset;
  let l = 0;
  const line = (off: number): void => {
    const oo = yo + Math.floor(l / inner) * D * inner + (l % inner);
    l++;
    let m = -Infinity;
    for (let i = 0; i < D; i++) {
      const v = src[off + i * s];
      if (v > m || v !== v) m = v;
    }
    let sum = 0;
    for (let i = 0; i < D; i++) sum += Math.exp(src[off + i * s] - m);
    if (log) {
      const ls = Math.log(sum);
      for (let i = 0; i < D; i++) o[oo + i * inner] = src[off + i * s] - m - ls;
    } else {
      for (let i = 0; i < D; i++) o[oo + i * inner] = Math.exp(src[off + i * s] - m) / sum;
    }
  };
  if (restShape.length === 0) line(x.offset);
  else {
    const q = restShape.length;
    const last = restShape[q - 1];
    const ls = restStr[q - 1];
    forEachRow(restShape, restStr, x.offset, (off) => {
      for (let j = 0; j < last; j++) line(off + j * ls);
    });
  }
  roundResult(y); // bfloat16 results: stored as float32 values, rounded here
  return y;
}

export type Reduction = 'mean' | 'sum' | 'none';

/** The checked shape of nll_loss's input: rows N, classes C, and its row/column strides. */
export function nllGeometry(logp: Tensor, target: Tensor): { N: number; C: number; rs: number; cs: number } {
  if (target.dtype !== 'int64') throw new TorchError(`expected scalar type Long but found ${target.dtype === 'float32' ? 'Float' : target.dtype === 'float64' ? 'Double' : target.dtype === 'bool' ? 'Bool' : target.dtype}`);
  if (logp.ndim > 2 || logp.ndim < 1) throw new TorchError(`cross_entropy / nll_loss here takes input of 1 or 2 dimensions (N, C), got ${logp.ndim}`);
  const N = logp.ndim === 2 ? logp.shape[0] : 1;
  const C = logp.shape[logp.ndim - 1];
  if ((logp.ndim === 2 && target.ndim !== 1) || (logp.ndim === 1 && target.ndim !== 0)) throw new TorchError('1D target tensor expected, multi-target not supported');
  if (target.numel !== N) throw new TorchError(`Expected input batch_size (${N}) to match target batch_size (${target.numel}).`, 'ValueError');
  return { N, C, rs: logp.ndim === 2 ? logp.strides[0] : 0, cs: logp.strides[logp.ndim - 1] };
}

/**
 * nll_loss(logp (N, C) or (C), target): -logp[i, target[i]], averaged over the non-ignored rows for 'mean'.
 * Returns the loss and the targets (a plain copy, for the backward) and the count of non-ignored rows.
 */
export function nllKernel(logp: Tensor, target: Tensor, reduction: Reduction, ignoreIndex: number): { y: Tensor; targets: Float64Array; count: number } {
  const { N, C, rs, cs } = nllGeometry(logp, target);
  const tf = flatValues(target);
  const targets = Float64Array.from({ length: N }, (_, i) => tf.data[tf.offset + i]);
  const per = empty(logp.ndim === 2 ? [N] : [], logp.dtype);
  const y = reduction === 'none' ? per : empty([], logp.dtype);
  const lp = logp.data;
  const pd = per.data;
  let total = 0;
  let count = 0;
  for (let i = 0; i < N; i++) {
    const t = targets[i];
    if (t === ignoreIndex) {
      pd[per.offset + i] = 0;
      continue;
    }
    if (t < 0 || t >= C) throw new TorchError(`Target ${t} is out of bounds.`, 'IndexError');
    const v = -lp[logp.offset + i * rs + t * cs];
    pd[per.offset + i] = v;
    total += v;
    count++;
  }
  if (reduction !== 'none') y.data[y.offset] = reduction === 'mean' ? total / count : total;
  roundResult(y);
  return { y, targets, count };
}
