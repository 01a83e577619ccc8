// torch.nn.functional: softmax, log_softmax, nll_loss, cross_entropy (= log_softmax then nll_loss, as
// PyTorch computes it, NllLossBackward0 on top), one_hot.

import { Node, needsGrad, record, save, type Grads, type Saved } from './autograd.js';
import { binary, contiguousValues, unary } from './elementwise.js';
import { sumDims } from './reduce.js';
import { TorchError, empty, isFloat, type Tensor } from './tensor.js';
import { castTo, permute, wrapDim } from './views.js';

/** Calls f(offset, stride) for each 1-D line of x along dim (x's own strides), in row-major order of the rest. */
function forLines(x: Tensor, dim: number, f: (off: number, stride: number, line: number) => void): void {
  const perm = x.shape.map((_, i) => i).filter((i) => i !== dim);
  const shape = perm.map((i) => x.shape[i]);
  const strides = perm.map((i) => x.strides[i]);
  const nd = shape.length;
  let lines = 1;
  for (const s of shape) lines *= s;
  if (lines === 0) return;
  const idx = new Int32Array(Math.max(nd, 1));
  let off = x.offset;
  const s = x.ndim === 0 ? 0 : x.strides[dim];
  for (let l = 0; l < lines; l++) {
    f(off, s, l);
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]++;
      off += strides[d];
      if (idx[d] < shape[d]) break;
      off -= strides[d] * shape[d];
      idx[d] = 0;
    }
  }
}

/** The output's offset for line l, element i along dim, when the output is contiguous in x's shape. */
function lineOut(shape: readonly number[], dim: number): (l: number) => [number, number] {
  let inner = 1;
  for (let i = dim + 1; i < shape.length; i++) inner *= shape[i];
  const D = shape.length === 0 ? 1 : shape[dim];
  return (l) => [Math.floor(l / inner) * D * inner + (l % inner), inner];
}

/**
 * softmax (log = false) or log_softmax along dim: per line, the max subtracted (numerical stability only),
 * exp and the sum in doubles, one rounding per output.
 */
function softmaxKernel(x: Tensor, dim: number, log: boolean): Tensor {
  const X = isFloat(x.dtype) ? x : castTo(x, 'float32');
  const y = empty(X.shape, X.dtype);
  const D = X.ndim === 0 ? 1 : X.shape[dim];
  const src = X.data;
  const o = y.data;
  const place = lineOut(X.shape, dim);
  forLines(X, dim, (off, s, l) => {
    const [oo, os] = place(l);
    let m = -Infinity;
    for (let i = 0; i < D; i++) {
      const v = src[off + i * s];
      if (v > m || v !== v) m = v;
    }
    let sum = 0;
    for (let i = 0; i < D; i++) sum += Math.exp(src[off + i * s] - m);
    if (log) {
      const ls = Math.log(sum);
      for (let i = 0; i < D; i++) o[oo + i * os] = src[off + i * s] - m - ls;
    } else {
      for (let i = 0; i < D; i++) o[oo + i * os] = Math.exp(src[off + i * s] - m) / sum;
    }
  });
  return y;
}

/** F.softmax(x, dim). d: output * (grad - (grad * output).sum(dim, keepdim)) (SoftmaxBackward0). */
export function softmax(x: Tensor, dim: number): Tensor {
  const d = wrapDim(dim, x.ndim);
  const y = softmaxKernel(x, d, false);
  if (needsGrad(x)) record(y, new SoftmaxBackward(y, d, false), [x]);
  return y;
}

/** F.log_softmax(x, dim). d: grad - exp(output) * grad.sum(dim, keepdim) (LogSoftmaxBackward0). */
export function logSoftmax(x: Tensor, dim: number): Tensor {
  const d = wrapDim(dim, x.ndim);
  const y = softmaxKernel(x, d, true);
  if (needsGrad(x)) record(y, new SoftmaxBackward(y, d, true), [x]);
  return y;
}

class SoftmaxBackward extends Node {
  readonly name: string;
  private readonly sy: Saved;
  constructor(y: Tensor, private readonly dim: number, private readonly log: boolean) {
    super();
    this.name = log ? 'LogSoftmaxBackward0' : 'SoftmaxBackward0';
    this.sy = save(y, this.name);
  }
  apply(g: Tensor): Grads {
    const y = this.sy.get(this);
    if (this.log) return [binary('sub', g, binary('mul', unary('exp', y), sumDims(g, this.dim, true)))];
    return [binary('mul', y, binary('sub', g, sumDims(binary('mul', g, y), this.dim, true)))];
  }
}

export type Reduction = 'mean' | 'sum' | 'none';

/**
 * F.nll_loss(logp (N, C) or (C), target (N) or (), reduction, ignore_index):
 * -logp[i, target[i]], averaged over the non-ignored rows for 'mean'.
 */
export function nllLoss(logp: Tensor, target: Tensor, reduction: Reduction = 'mean', ignoreIndex = -100): Tensor {
  if (target.dtype !== 'int64') throw new TorchError(`expected scalar type Long but found ${target.dtype === 'float32' ? 'Float' : target.dtype === 'float64' ? 'Double' : 'Bool'}`);
  let lp = logp;
  if (logp.ndim === 1) lp = permute(logp, [0]);
  if (lp.ndim > 2 || lp.ndim < 1) throw new TorchError(`cross_entropy / nll_loss here takes input of 1 or 2 dimensions (N, C), got ${lp.ndim}`);
  const N = lp.ndim === 2 ? lp.shape[0] : 1;
  const C = lp.ndim === 2 ? lp.shape[1] : lp.shape[0];
  if ((lp.ndim === 2 && target.ndim !== 1) || (lp.ndim === 1 && target.ndim !== 0)) throw new TorchError(`1D target tensor expected, multi-target not supported`);
  if (target.numel !== N) throw new TorchError(`Expected input batch_size (${N}) to match target batch_size (${target.numel}).`, 'ValueError');
  const tv = contiguousValues(target);
  const rs = lp.ndim === 2 ? lp.strides[0] : 0;
  const cs = lp.strides[lp.ndim - 1];
  let total = 0;
  let count = 0;
  const per = empty(lp.ndim === 2 ? [N] : [], lp.dtype);
  for (let i = 0; i < N; i++) {
    const t = tv[i];
    if (t === ignoreIndex) continue;
    if (t < 0 || t >= C) throw new TorchError(`Target ${t} is out of bounds.`, 'IndexError');
    const v = -lp.data[lp.offset + i * rs + t * cs];
    per.data[i] = v;
    total += v;
    count++;
  }
  let y: Tensor;
  if (reduction === 'none') y = per;
  else {
    y = empty([], lp.dtype);
    y.data[0] = reduction === 'mean' ? total / count : total;
  }
  if (needsGrad(logp)) record(y, new NllLossBackward(logp.shape, tv, reduction, ignoreIndex, count), [logp]);
  return y;
}

class NllLossBackward extends Node {
  readonly name = 'NllLossBackward0';
  constructor(private readonly inShape: readonly number[], private readonly target: ArrayLike<number>, private readonly reduction: Reduction, private readonly ignore: number, private readonly count: number) {
    super();
  }
  apply(g: Tensor): Grads {
    // grad_input[i, target[i]] = -(mean ? grad / total_weight : grad), in the dtype
    const z = empty(this.inShape, g.dtype);
    const C = this.inShape[this.inShape.length - 1];
    const gv = contiguousValues(g);
    const round = g.dtype === 'float32' ? Math.fround : (v: number): number => v;
    for (let i = 0; i < this.target.length; i++) {
      const t = this.target[i];
      if (t === this.ignore) continue;
      const gi = this.reduction === 'none' ? gv[i] : gv[0];
      z.data[i * C + t] = -(this.reduction === 'mean' ? round(gi / round(this.count)) : gi);
    }
    return [z];
  }
}

/** F.cross_entropy(logits, target): nll_loss(log_softmax(logits, 1), target) (class indices). */
export function crossEntropy(logits: Tensor, target: Tensor, reduction: Reduction = 'mean', ignoreIndex = -100): Tensor {
  if (!isFloat(logits.dtype)) throw new TorchError(`"log_softmax_lastdim_kernel_impl" not implemented for 'Long'`);
  const dim = logits.ndim === 1 ? 0 : 1;
  return nllLoss(logSoftmax(logits, dim), target, reduction, ignoreIndex);
}

/** F.one_hot(t, num_classes): int64 (..., num_classes); num_classes -1 means max + 1. */
export function oneHot(t: Tensor, numClasses = -1): Tensor {
  if (t.dtype !== 'int64') throw new TorchError('one_hot is only applicable to index tensor.');
  const v = contiguousValues(t);
  let C = numClasses;
  let max = -1;
  for (let i = 0; i < v.length; i++) {
    if (v[i] < 0) throw new TorchError('Class values must be non-negative.');
    if (v[i] > max) max = v[i];
  }
  if (C === -1) {
    if (v.length === 0) throw new TorchError('Can not infer total number of classes from empty tensor.');
    C = max + 1;
  } else if (max >= C) throw new TorchError('Class values must be smaller than num_classes.');
  const y = empty([...t.shape, C], 'int64');
  for (let i = 0; i < v.length; i++) y.data[i * C + v[i]] = 1;
  return y;
}
