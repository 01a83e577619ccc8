// torch.nn.functional's primitives with autograd: softmax, log_softmax, nll_loss (cross_entropy is their
// composition, functional.ts). Kernels in kernels/softmax.ts.

import { pyName } from '../dtype.js';
import { TorchError } from '../errors.js';
import { Node, needsGrad, record, saveOutput } from '../graph.js';
import { Tensor, zerosOf } from '../tensor.js';
import { wrapDim } from '../kernels/reduce.js';
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
