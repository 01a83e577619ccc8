// torch.nn.functional's primitives with autograd: softmax, log_softmax, nll_loss (cross_entropy is their
// composition, functional.ts). Kernels in kernels/softmax.ts.

import { legacyTypeName, pyName } from '../dtype.js';
import { TorchError } from '../errors.js';
import { Node, needsGrad, record, saveInput, saveOutput } from '../graph.js';
import { Tensor, contiguousStrides, empty, viewOf, zerosOf } from '../tensor.js';
import { binaryKernel, unaryKernel } from '../kernels/pointwise.js';
import { flatValues, meanKernel, varKernel, wrapDim } from '../kernels/reduce.js';
import { nllKernel, softmaxKernel, type Reduction } from '../kernels/softmax.js';

/** PyTorch 1.13's CPU softmax kernels take float32, float64 and bfloat16 only. */
function checkSoftmax(x: Tensor, d: number, log: boolean): void {
  if (x.dtype === 'float32' || x.dtype === 'float64' || x.dtype === 'bfloat16') return;
  const kernel = `${log ? 'log_' : ''}softmax_${d === x.ndim - 1 || x.ndim === 0 ? 'lastdim_' : ''}kernel_impl`;
  throw new TorchError(`"${kernel}" not implemented for '${pyName(x.dtype)}'`);
}

/** F.softmax(x, dim). d: output * (grad - (grad * output).sum(dim, keepdim)) (SoftmaxBackward0). */
export function softmax(x: Tensor, dim: number): Tensor {
  const d = wrapDim(dim, x.ndim);
  checkSoftmax(x, d, false);
  const y = softmaxKernel(x, d, false);
  if (needsGrad(x)) {
    record(y, new Node('SoftmaxBackward0', (g, [s], F) => [F.mul(s, F.sub(g, F.sumDims(F.mul(g, s), d, true)))], [saveOutput(y, 'SoftmaxBackward0')]), [x]);
  }
  return y;
}

/** F.log_softmax(x, dim). d: grad - exp(output) * grad.sum(dim, keepdim) (LogSoftmaxBackward0). */
export function logSoftmax(x: Tensor, dim: number): Tensor {
  const d = wrapDim(dim, x.ndim);
  checkSoftmax(x, d, true);
  const y = softmaxKernel(x, d, true);
  if (needsGrad(x)) {
    record(y, new Node('LogSoftmaxBackward0', (g, [s], F) => [F.sub(g, F.mul(F.unary('exp', s), F.sumDims(g, d, true)))], [saveOutput(y, 'LogSoftmaxBackward0')]), [x]);
  }
  return y;
}

/**
 * F.nll_loss(logp (N, C) or (C), target (N) or (), reduction, ignore_index): -logp[i, target[i]], averaged
 * over the non-ignored rows for 'mean'. d: grad_input[i, target[i]] = -(mean ? grad / total_weight : grad).
 */
export function nllLoss(logp: Tensor, target: Tensor, reduction: Reduction = 'mean', ignoreIndex = -100): Tensor {
  const { y, targets, count } = nllKernel(logp, target, reduction, ignoreIndex);
  if (needsGrad(logp)) {
    const inShape = logp.shape;
    record(y, new Node('NllLossBackward0', (g, _s, F) => {
      const z = zerosOf(inShape, g.dtype);
      const C = inShape[inShape.length - 1];
      const gc = F.contiguous(g);
      const round = g.dtype === 'float32' ? Math.fround : (v: number): number => v;
      const zd = z.data;
      const gv = gc.data;
      for (let i = 0; i < targets.length; i++) {
        const t = targets[i];
        if (t === ignoreIndex) continue;
        const gi = reduction === 'none' ? gv[gc.offset + i] : gv[gc.offset];
        zd[z.offset + i * C + t] = -(reduction === 'mean' ? round(gi / round(count)) : gi);
      }
      return [z];
    }), [logp]);
  }
  return y;
}

export type { Reduction };

/**
 * F.embedding: weight's rows at `indices` (shape indices.shape + [dim]). d: embedding_dense_backward, the
 * gradient's rows added into zeros at their indices in order, the padding row left out (EmbeddingBackward0).
 */
export function embedding(weight: Tensor, indices: Tensor, paddingIdx: number | null): Tensor {
  if (indices.dtype !== 'int64' && indices.dtype !== 'int32') {
    throw new TorchError(`Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got ${legacyTypeName(indices.dtype)} instead (while checking arguments for embedding)`);
  }
  if (weight.ndim !== 2) throw new TorchError(`'weight' must be 2-D`);
  const [V, D] = weight.shape;
  const idx = flatValues(indices);
  const rows = Float64Array.from({ length: indices.numel }, (_, i) => idx.data[idx.offset + i]);
  for (const r of rows) if (r < 0 || r >= V) throw new TorchError('index out of range in self', 'IndexError');
  const y = empty([...indices.shape, D], weight.dtype);
  const yd = y.data;
  const wd = weight.data;
  const [s0, s1] = weight.strides;
  for (let i = 0; i < rows.length; i++) {
    const src = weight.offset + rows[i] * s0;
    for (let j = 0; j < D; j++) yd[y.offset + i * D + j] = wd[src + j * s1];
  }
  if (needsGrad(weight)) {
    record(y, new Node('EmbeddingBackward0', (g, _s, F) => {
      const gc = F.contiguous(g);
      const z = zerosOf([V, D], g.dtype);
      const zd = z.data;
      const gd = gc.data;
      for (let i = 0; i < rows.length; i++) {
        if (rows[i] === paddingIdx) continue;
        const dst = z.offset + rows[i] * D;
        for (let j = 0; j < D; j++) zd[dst + j] += gd[gc.offset + i * D + j];
      }
      return [z];
    }), [weight]);
  }
  return y;
}

/** The shape a per-channel (dim 1) vector is read in against a batch-norm input: [1, C, 1, ...]. */
function channelShape(x: Tensor): number[] {
  return x.shape.map((d, i) => (i === 1 ? d : 1));
}

/**
 * batch_norm's normalisation, given the statistics (the batch's, or the running ones): y = x * alpha + beta
 * per channel with alpha = rsqrt(var + eps) * weight and beta = bias - mean * alpha, each op rounded in the
 * dtype (PyTorch 1.13's CPU kernel's order). `training`: mean and var are the batch's own (the backward
 * accounts for them); else constants. One node, NativeBatchNormBackward0, as PyTorch's native_batch_norm.
 */
export function batchNorm(x: Tensor, weight: Tensor | null, bias: Tensor | null, mean: Tensor, variance: Tensor, eps: number, training: boolean): Tensor {
  const invstd = unaryKernel('rsqrt', binaryKernel('add', variance, eps, 'float', false, null));
  const alpha = weight === null ? invstd : binaryKernel('mul', invstd, weight, 'float', false, null);
  const ma = binaryKernel('mul', mean, alpha, 'float', false, null);
  const beta = bias === null ? unaryKernel('neg', ma) : binaryKernel('sub', bias, ma, 'float', false, null);
  const cs = channelShape(x);
  const at = (t: Tensor): Tensor => viewOf(t, cs, contiguousStrides(cs), t.offset);
  const y = binaryKernel('add', binaryKernel('mul', x, at(alpha), 'float', false, null), at(beta), 'float', false, null);
  if (needsGrad(x) || (weight !== null && needsGrad(weight)) || (bias !== null && needsGrad(bias))) {
    const dims = x.shape.map((_, i) => i).filter((i) => i !== 1);
    const N = x.numel / x.shape[1];
    const saved = [saveInput(x), saveInput(mean), saveInput(invstd), ...(weight === null ? [] : [saveInput(weight)])];
    record(y, new Node('NativeBatchNormBackward0', (g, s, F, n) => {
      const [sx, sm, si] = s;
      const w = weight === null ? null : s[3];
      const ch = (t: Tensor): Tensor => F.reshape(t, cs);
      const xm = F.sub(sx, ch(sm));
      const dotp = F.sumDims(F.mul(xm, g), dims); // per channel: sum of (x - mean) * dy
      const gsum = F.sumDims(g, dims);
      let gx: Tensor | null = null;
      if (n.wants(0)) {
        const scale = w === null ? si : F.mul(si, w);
        if (training) {
          // dx = (dy - (x - mean) * k - mean(dy)) * invstd * weight, k = dotp * invstd^2 / N
          const k = F.binaryScalar('div', F.mul(dotp, F.mul(si, si)), N, 'int');
          const gmean = F.binaryScalar('div', gsum, N, 'int');
          gx = F.mul(F.sub(F.sub(g, F.mul(xm, ch(k))), ch(gmean)), ch(scale));
        } else gx = F.mul(g, ch(scale));
      }
      return [gx, n.wants(1) ? F.mul(dotp, si) : null, n.wants(2) ? gsum : null];
    }, saved), [x, weight, bias]);
  }
  return y;
}

/**
 * layer_norm over the last k dims: mean and biased variance per row, rstd = rsqrt(var + eps),
 * y = x * rstd + (-rstd * mean), then * weight + bias, each op rounded in the dtype (PyTorch 1.13's CPU
 * kernel's order). One node, NativeLayerNormBackward0.
 */
export function layerNorm(x: Tensor, k: number, weight: Tensor | null, bias: Tensor | null, eps: number): Tensor {
  const dims = Array.from({ length: k }, (_, i) => x.ndim - k + i);
  const mean = meanKernel(x, dims, true);
  const rstd = unaryKernel('rsqrt', binaryKernel('add', varKernel(x, dims, 0, true, false), eps, 'float', false, null));
  const shift = binaryKernel('mul', unaryKernel('neg', rstd), mean, 'float', false, null);
  let y = binaryKernel('add', binaryKernel('mul', x, rstd, 'float', false, null), shift, 'float', false, null);
  if (weight !== null) y = binaryKernel('mul', y, weight, 'float', false, null);
  if (bias !== null) y = binaryKernel('add', y, bias, 'float', false, null);
  if (needsGrad(x) || (weight !== null && needsGrad(weight)) || (bias !== null && needsGrad(bias))) {
    const N = dims.reduce((p, d) => p * x.shape[d], 1);
    const lead = x.shape.map((_, i) => i).slice(0, x.ndim - k);
    const saved = [saveInput(x), saveInput(mean), saveInput(rstd), ...(weight === null ? [] : [saveInput(weight)])];
    record(y, new Node('NativeLayerNormBackward0', (g, s, F, n) => {
      const [sx, sm, sr] = s;
      const w = weight === null ? null : s[3];
      const gw = w === null ? g : F.mul(g, w);
      // per row: ds = sum(dy * w * x), db = sum(dy * w); b = (db * mean - ds) * rstd^3 / N, c = -b * mean - db * rstd / N
      const ds = F.sumDims(F.mul(gw, sx), dims, true);
      const db = F.sumDims(gw, dims, true);
      const r3 = F.mul(F.mul(sr, sr), sr);
      const b = F.binaryScalar('div', F.mul(F.sub(F.mul(db, sm), ds), r3), N, 'int');
      const c = F.sub(F.neg(F.mul(b, sm)), F.binaryScalar('div', F.mul(db, sr), N, 'int'));
      const gx = n.wants(0) ? F.add(F.add(F.mul(sr, gw), F.mul(b, sx)), c) : null;
      const xhat = F.mul(F.sub(sx, sm), sr);
      const gwt = n.wants(1) ? F.sumDims(F.mul(g, xhat), lead) : null;
      const gb = n.wants(2) ? F.sumDims(g, lead) : null;
      return [gx, gwt, gb];
    }, saved), [x, weight, bias]);
  }
  return y;
}
