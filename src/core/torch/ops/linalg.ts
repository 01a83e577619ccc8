// Matrix products with autograd: mm (2-D @ 2-D), mv, dot, bmm; the kernels in kernels/matmul.ts (double
// sums in ascending k, so a learner's `dlogits @ W2.T` equals the autograd's `grad.mm(mat2.t())`).

import { TorchError } from '../errors.js';
import { Node, needsGrad, record, saveInput } from '../graph.js';
import { Tensor, empty, viewOf } from '../tensor.js';
import { mmDtypeCheck, mmKernel } from '../kernels/matmul.js';
import { geomSelect, reshape, t as tr, transpose, unsqueeze } from './shape.js';
import { mul } from './pointwise.js';
import { binaryKernel } from '../kernels/pointwise.js';

/** a (n, k) @ b (k, m). d(A B) = dA B + A dB: self: grad.mm(mat2.t()); mat2: self.t().mm(grad) (MmBackward0). */
export function mm(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 2) throw new TorchError('self must be a matrix');
  if (b.ndim !== 2) throw new TorchError('mat2 must be a matrix');
  if (a.shape[1] !== b.shape[0]) throw new TorchError(`mat1 and mat2 shapes cannot be multiplied (${a.shape[0]}x${a.shape[1]} and ${b.shape[0]}x${b.shape[1]})`);
  mmDtypeCheck(a, b);
  const y = mmKernel(a, b);
  if (needsGrad(a, b)) {
    record(y, new Node('MmBackward0', (g, [sa, sb], _F, n) => [n.wants(0) ? mm(g, tr(sb)) : null, n.wants(1) ? mm(tr(sa), g) : null], [saveInput(a), saveInput(b)]), [a, b]);
  }
  return y;
}

/** a (n, k) @ v (k). d: self: grad.ger(vec) (outer product); vec: self.t().mv(grad) (MvBackward0). */
export function mv(a: Tensor, v: Tensor): Tensor {
  if (a.shape[1] !== v.shape[0]) throw new TorchError(`size mismatch, got ${a.shape[0]}, ${a.shape[0]}x${a.shape[1]},${v.shape[0]}`);
  mmDtypeCheck(a, v);
  const y = reshape(mmKernel(a, reshape(v, [v.shape[0], 1])), [a.shape[0]]);
  if (needsGrad(a, v)) {
    record(y, new Node('MvBackward0', (g, [sa, sv], _F, n) => [
      n.wants(0) ? mul(unsqueeze(g, 1), unsqueeze(sv, 0)) : null,
      n.wants(1) ? mv(tr(sa), g) : null,
    ], [saveInput(a), saveInput(v)]), [a, v]);
  }
  return y;
}

/** a (k) . b (k). d: self: grad * tensor; tensor: grad * self (DotBackward0). */
export function dot(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 1 || b.ndim !== 1) throw new TorchError(`1D tensors expected, but got ${a.ndim}D and ${b.ndim}D tensors`);
  if (a.shape[0] !== b.shape[0]) throw new TorchError(`inconsistent tensor size, expected tensor [${a.shape[0]}] and src [${b.shape[0]}] to have the same number of elements, but got ${a.shape[0]} and ${b.shape[0]} elements respectively`);
  mmDtypeCheck(a, b);
  const y = reshape(mmKernel(reshape(a, [1, a.shape[0]]), reshape(b, [b.shape[0], 1])), []);
  if (needsGrad(a, b)) {
    record(y, new Node('DotBackward0', (g, [sa, sb]) => [mul(g, sb), mul(g, sa)], [saveInput(a), saveInput(b)]), [a, b]);
  }
  return y;
}

/** a (B, n, k) @ b (B, k, m), batch by batch. d: self: grad.bmm(mat2.transpose(1, 2)); mat2: self.transpose(1, 2).bmm(grad). */
export function bmm(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 3) throw new TorchError(`batch1 must be a 3D tensor`);
  if (b.ndim !== 3) throw new TorchError(`batch2 must be a 3D tensor`);
  if (a.shape[0] !== b.shape[0] || a.shape[2] !== b.shape[1]) throw new TorchError(`Expected size for first two dimensions of batch2 tensor to be: [${a.shape[0]}, ${a.shape[2]}] but got: [${b.shape[0]}, ${b.shape[1]}].`);
  mmDtypeCheck(a, b);
  const [B, n] = a.shape;
  const m = b.shape[2];
  const y = empty([B, n, m], a.dtype);
  // batch i of each, as plain views (no autograd of their own)
  const at = (x: Tensor, i: number): Tensor => {
    const g = geomSelect(x, 0, i);
    return viewOf(x, g.shape, g.strides, g.offset);
  };
  for (let i = 0; i < B; i++) mmKernel(at(a, i), at(b, i), at(y, i));
  if (needsGrad(a, b)) {
    record(y, new Node('BmmBackward0', (g, [sa, sb], _F, nd) => [
      nd.wants(0) ? bmm(g, transpose(sb, 1, 2)) : null,
      nd.wants(1) ? bmm(transpose(sa, 1, 2), g) : null,
    ], [saveInput(a), saveInput(b)]), [a, b]);
  }
  return y;
}

/**
 * torch.addmm(bias, a, b) = bias + a @ b (beta = alpha = 1), what F.linear runs for a 2-D input with a bias.
 * d: self: grad (summed to bias's shape by the engine); mat1: grad.mm(mat2.t()); mat2: mat1.t().mm(grad)
 * (AddmmBackward0).
 */
export function addmm(bias: Tensor, a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 2) throw new TorchError('mat1 must be a matrix, got ' + a.ndim + '-D tensor');
  if (b.ndim !== 2) throw new TorchError('mat2 must be a matrix, got ' + b.ndim + '-D tensor');
  if (a.shape[1] !== b.shape[0]) throw new TorchError(`mat1 and mat2 shapes cannot be multiplied (${a.shape[0]}x${a.shape[1]} and ${b.shape[0]}x${b.shape[1]})`);
  mmDtypeCheck(a, b);
  // the product rounded, then the bias added (as BLAS's gemm with beta = 1 adds its accumulators to C)
  const y = mmKernel(a, b);
  binaryKernel('add', y, bias, 'float', false, y);
  if (needsGrad(a, b) || needsGrad(bias)) {
    record(y, new Node('AddmmBackward0', (g, [sa, sb], _F, n) => [
      n.wants(0) ? g : null,
      n.wants(1) ? mm(g, tr(sb)) : null,
      n.wants(2) ? mm(tr(sa), g) : null,
    ], [saveInput(a), saveInput(b)]), [bias, a, b]);
  }
  return y;
}
