// Composite functions, built from the op set (no node of their own beyond their parts'): torch.matmul's
// dispatch (dot, mv, mm, batched and broadcast products), cross_entropy, one_hot, isclose/allclose/equal,
// logsumexp and norm (LogsumexpBackward0, NormBackward1),
// and the small tensor surface the bindings need (item, values, requires_grad, retain_grad, .grad).

import { isFloat, pyName, resultType } from './dtype.js';
import { TorchError } from './errors.js';
import { Node, needsGrad, record, saveInput, saveOutput, withNoGrad } from './graph.js';
import { Tensor, empty, sameShape, setGradField, valuesOf, viewOf, contiguousStrides, type Data } from './tensor.js';
import { broadcastShapes, castKernel } from './kernels/pointwise.js';
import { flatValues, normDims, sumKernel } from './kernels/reduce.js';
import { F } from './ops.js';
import type { Reduction } from './kernels/softmax.js';

// ---------------------------------------------------------------------------------------------------------
// matmul

/** y viewed as `shape` (a contiguous y): PyTorch's _unsafe_view at the end of matmul (UnsafeViewBackward0). */
function unsafeView(y: Tensor, shape: readonly number[]): Tensor {
  const v = viewOf(y, shape, contiguousStrides(shape), y.offset);
  if (needsGrad(y)) {
    const inShape = y.shape;
    record(v, new Node('UnsafeViewBackward0', (g, _s, Fs) => [Fs.reshape(g, inShape)]), [y]);
  }
  return v;
}

/** torch.matmul(a, b) / a @ b: PyTorch's dispatch by dimensions (aten/src/ATen/native/LinearAlgebra.cpp). */
export function matmul(a: Tensor, b: Tensor): Tensor {
  const da = a.ndim;
  const db = b.ndim;
  if (da === 0 || db === 0) throw new TorchError(`both arguments to matmul need to be at least 1D, but they are ${da}D and ${db}D`);
  if (da === 1 && db === 1) return F.dot(a, b);
  if (da === 2 && db === 1) return F.mv(a, b);
  if (da === 1 && db === 2) {
    if (a.shape[0] !== b.shape[0]) throw new TorchError(`mat1 and mat2 shapes cannot be multiplied (1x${a.shape[0]} and ${b.shape[0]}x${b.shape[1]})`);
    return F.squeeze(F.mm(F.unsqueeze(a, 0), b), 0);
  }
  if (da === 2 && db === 2) return F.mm(a, b);
  if (da >= 3 && (db === 1 || db === 2)) {
    // fold the batch into the rows: (..., n, k) @ (k, m) is one (B n, k) @ (k, m)
    const k = a.shape[da - 1];
    const b2 = db === 1 ? F.unsqueeze(b, 1) : b;
    if (b2.shape[0] !== k) throw new TorchError(`mat1 and mat2 shapes cannot be multiplied (${a.numel / k}x${k} and ${b2.shape[0]}x${b2.shape[1]})`);
    const out = F.mm(F.reshape(a, [-1, k]), b2);
    const shape = db === 1 ? a.shape.slice(0, -1) : [...a.shape.slice(0, -1), b2.shape[1]];
    return unsafeView(out, shape);
  }
  // batched: broadcast the batch dimensions, then bmm
  const a3 = da === 1 ? F.unsqueeze(a, 0) : a;
  const b3 = db === 1 ? F.unsqueeze(b, 1) : b;
  const n = a3.shape[a3.ndim - 2];
  const k = a3.shape[a3.ndim - 1];
  const k2 = b3.shape[b3.ndim - 2];
  const m = b3.shape[b3.ndim - 1];
  if (k !== k2) throw new TorchError(`Expected size for first two dimensions of batch2 tensor to be: [${a3.shape.slice(0, -2).reduce((p, q) => p * q, 1)}, ${k}] but got: [${b3.shape.slice(0, -2).reduce((p, q) => p * q, 1)}, ${k2}].`);
  const batch = broadcastShapes(a3.shape.slice(0, -2), b3.shape.slice(0, -2));
  const B = batch.reduce((p, q) => p * q, 1);
  const ae = F.reshape(F.expand(a3, [...batch, n, k]), [B, n, k]);
  const be = F.reshape(F.expand(b3, [...batch, k, m]), [B, k, m]);
  const out = F.bmm(ae, be);
  const shape = [...batch];
  if (da > 1) shape.push(n);
  if (db > 1) shape.push(m);
  return unsafeView(out, shape);
}

// ---------------------------------------------------------------------------------------------------------
// torch.nn.functional composites

/** F.cross_entropy(logits, target): nll_loss(log_softmax(logits, 1), target) for class indices. */
export function crossEntropy(logits: Tensor, target: Tensor, reduction: Reduction = 'mean', ignoreIndex = -100): Tensor {
  if (!isFloat(logits.dtype)) throw new TorchError(`"log_softmax_lastdim_kernel_impl" not implemented for '${pyName(logits.dtype)}'`);
  const dim = logits.ndim === 1 ? 0 : 1;
  return F.nllLoss(F.logSoftmax(logits, dim), target, reduction, ignoreIndex);
}

/** F.one_hot(t, num_classes): int64 (..., num_classes); num_classes -1 means max + 1. */
export function oneHot(t: Tensor, numClasses = -1): Tensor {
  if (t.dtype !== 'int64') throw new TorchError('one_hot is only applicable to index tensor.');
  const { data: v, offset } = flatValues(t);
  let C = numClasses;
  let max = -1;
  for (let i = 0; i < t.numel; i++) {
    const x = v[offset + i];
    if (x < 0) throw new TorchError('Class values must be non-negative.');
    if (x > max) max = x;
  }
  if (C === -1) {
    if (t.numel === 0) throw new TorchError('Can not infer total number of classes from empty tensor.');
    C = max + 1;
  } else if (max >= C) throw new TorchError('Class values must be smaller than num_classes.');
  const idx = Float64Array.from({ length: t.numel }, (_, i) => v[offset + i]);
  const y = empty([...t.shape, C], 'int64');
  const d = y.data;
  d.fill(0, y.offset, y.offset + y.numel);
  for (let i = 0; i < idx.length; i++) d[y.offset + i * C + idx[i]] = 1;
  return y;
}

// ---------------------------------------------------------------------------------------------------------
// comparisons of whole tensors

/**
 * torch.isclose as PyTorch 1.13 computes it, in the promoted dtype: equal, or finite and
 * |a - b| <= atol + |rtol * b| (each op rounded to that dtype; rtol and atol rounded first).
 */
export function isclose(a: Tensor, b: Tensor, rtol = 1e-5, atol = 1e-8, equalNan = false): Tensor {
  if (a.dtype !== b.dtype) throw new TorchError(`${pyName(a.dtype)} did not match ${pyName(b.dtype)}`);
  const shape = broadcastShapes(a.shape, b.shape);
  const av = valuesOf(F.expandTo(a, shape));
  const bv = valuesOf(F.expandTo(b, shape));
  const R = a.dtype === 'float32' ? Math.fround : (v: number): number => v;
  const rt = R(rtol);
  const at = R(atol);
  const y = empty(shape, 'bool');
  const yd = y.data;
  for (let i = 0; i < y.numel; i++) {
    const x = av[i];
    const z = bv[i];
    let close = x === z || (equalNan && x !== x && z !== z);
    if (!close && isFloat(a.dtype)) {
      const allowed = R(at + Math.abs(R(rt * z)));
      const actual = Math.abs(R(x - z));
      close = Number.isFinite(actual) && actual <= allowed;
    }
    yd[y.offset + i] = close ? 1 : 0;
  }
  return y;
}

/** torch.allclose(a, b, rtol=1e-05, atol=1e-08). */
export function allclose(a: Tensor, b: Tensor, rtol = 1e-5, atol = 1e-8, equalNan = false): boolean {
  const c = isclose(a, b, rtol, atol, equalNan);
  const d = c.data;
  for (let i = 0; i < c.numel; i++) if (d[c.offset + i] === 0) return false;
  return true;
}

/** torch.equal: same shape and the same values. */
export function equal(a: Tensor, b: Tensor): boolean {
  if (!sameShape(a.shape, b.shape)) return false;
  const dt = resultType([{ dtype: a.dtype, group: 0 }, { dtype: b.dtype, group: 0 }]);
  const av = valuesOf(a.dtype === dt ? a : castKernel(a, dt));
  const bv = valuesOf(b.dtype === dt ? b : castKernel(b, dt));
  for (let i = 0; i < av.length; i++) if (av[i] !== bv[i]) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------------------
// values and the autograd surface of a tensor

/** x.item(): the one value, as a double (a float32 value exactly as stored). */
export function item(x: Tensor): number {
  if (x.numel !== 1) throw new TorchError('only one element tensors can be converted to Python scalars', 'ValueError');
  return x.data[x.offset];
}

/** The values in row-major order (a copy, in the dtype's representation), for tolist() and printing. */
export function values(x: Tensor): Data {
  return valuesOf(x);
}

/** x.requires_grad_(flag) / x.requires_grad = flag. */
export function setRequiresGrad(x: Tensor, flag: boolean): Tensor {
  if (x.gradFn !== null) {
    if (!flag) throw new TorchError('you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn\'t require differentiation use var_no_grad = var.detach().');
    return x;
  }
  if (flag && !isFloat(x.dtype)) throw new TorchError('only Tensors of floating point dtype can require gradients');
  x.requiresGrad = flag;
  return x;
}

/** x.retain_grad(): a non-leaf keeps its gradient in .grad after backward. */
export function retainGrad(x: Tensor): void {
  if (!x.requiresGrad) throw new TorchError('can\'t retain_grad on Tensor that has requires_grad=False');
  if (x.gradFn === null || x.retainsGrad) return;
  x.retainsGrad = true;
  (x.gradFn.retained ??= []).push(x);
}

/** x.grad = g (None allowed): same shape and dtype required, as PyTorch. */
export function setGrad(x: Tensor, g: Tensor | null): void {
  if (g !== null) {
    if (g.dtype !== x.dtype) throw new TorchError('assigned grad has data of a different type');
    if (!sameShape(g.shape, x.shape)) throw new TorchError('assigned grad has data of a different size');
  }
  setGradField(x, g);
}

/** The name PyTorch prints for x.grad_fn (`<MulBackward0 object>`), or null. */
export function gradFnName(x: Tensor): string | null {
  return x.gradFn?.name ?? null;
}

export { histc, histogram } from './kernels/histogram.js';

/**
 * torch.einsum(equation, operands) for one or two operands (the common patterns: 'ij,jk->ik', 'bij,bjk->bik',
 * 'i,i->', 'ij->ji', 'ii->i' is not among them: repeated labels in one operand are refused). Each operand is
 * permuted and unsqueezed to every label of the equation, the two multiplied (broadcast) and the labels not in
 * the output summed, so autograd flows through the library's own ops. Sums run in another order than
 * PyTorch's bmm: values agree to float rounding, not always to the last bit.
 */
export function einsum(equation: string, operands: readonly Tensor[]): Tensor {
  const eq = equation.replace(/\s+/g, '');
  const arrow = eq.indexOf('->');
  const lhs = arrow >= 0 ? eq.slice(0, arrow) : eq;
  const ins = lhs.split(',');
  if (ins.length !== operands.length) throw new TorchError(`einsum(): more operands were provided than specified in the equation`);
  if (ins.length < 1 || ins.length > 2) throw new TorchError(`einsum(): ${ins.length} operands: this runtime takes one or two`);
  for (const [k, s] of ins.entries()) {
    if (!/^[a-zA-Z]*$/.test(s)) throw new TorchError(`einsum(): invalid subscript given in the equation string '${s}' (ellipsis is not supported by this runtime)`);
    if (s.length !== operands[k].ndim) throw new TorchError(`einsum(): the number of subscripts in the equation (${s.length}) does not match the number of dimensions (${operands[k].ndim}) for operand ${k} and no ellipsis was given`);
    if (new Set(s).size !== s.length) throw new TorchError(`einsum(): repeated subscripts within an operand ('${s}') are not supported by this runtime`);
  }
  const counts = new Map<string, number>();
  for (const s of ins) for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  // the implicit output: the labels that appear once, in alphabetical order
  const out = arrow >= 0 ? eq.slice(arrow + 2) : [...counts.keys()].filter((c) => counts.get(c) === 1).sort().join('');
  for (const c of out) if (!counts.has(c)) throw new TorchError(`einsum(): output subscript ${c} does not appear in the equation for any input operand`);
  const labels = [...out, ...[...counts.keys()].filter((c) => !out.includes(c))];
  const sizes = new Map<string, number>();
  const aligned = operands.map((x, k) => {
    const s = ins[k];
    for (let d = 0; d < s.length; d++) {
      const have = sizes.get(s[d]);
      if (have !== undefined && have !== x.shape[d] && have !== 1 && x.shape[d] !== 1) {
        throw new TorchError(`einsum(): operands do not broadcast with remapped shapes [original->remapped]`);
      }
      if (have === undefined || have === 1) sizes.set(s[d], x.shape[d]);
    }
    // permute x's dims to the labels' order, then a size-1 dim for each label x lacks
    const present = labels.filter((c) => s.includes(c));
    let y = F.permute(x, present.map((c) => s.indexOf(c)));
    labels.forEach((c, i) => {
      if (!s.includes(c)) y = F.unsqueeze(y, i);
    });
    return y;
  });
  let r = aligned.length === 1 ? aligned[0] : F.mul(aligned[0], aligned[1]);
  const sumDims = labels.map((c, i) => (out.includes(c) ? -1 : i)).filter((i) => i >= 0);
  if (sumDims.length > 0) r = F.sumDims(r, sumDims);
  if (r.ndim !== out.length) r = F.reshape(r, [...out].map((c) => sizes.get(c)!));
  return r;
}

// ---------------------------------------------------------------------------------------------------------
// logsumexp, norm

/**
 * torch.logsumexp(x, dims, keepdim), as ATen computes it: m = amax(x, dims) (0 where infinite), then
 * log(sum(exp(x - m))) + m, each step rounded in x's dtype (integers give float32). LogsumexpBackward0:
 * grad * exp(self - result).
 */
export function logsumexp(x: Tensor, dims: number | readonly number[], keepdim: boolean): Tensor {
  const xf = isFloat(x.dtype) ? x : castKernel(x, 'float32');
  const ds = normDims(dims, x.ndim);
  const y = withNoGrad(() => {
    let m = F.amaxAmin(xf, ds, true, true);
    m = F.where(F.binaryScalar('eq', F.unary('abs', m), Infinity, 'float'), F.zerosLike(m), m);
    const s = F.sumDims(F.unary('exp', F.sub(xf, m)), ds, keepdim);
    return F.add(F.unary('log', s), keepdim ? m : F.reshape(m, s.shape));
  });
  if (needsGrad(x) && isFloat(x.dtype)) {
    const name = 'LogsumexpBackward0';
    record(y, new Node(name, (g, [s, r], F2) => {
      const gk = keepdim || s.ndim === 0 ? g : F2.unsqueezeDims(g, ds);
      const rk = keepdim || s.ndim === 0 ? r : F2.unsqueezeDims(r, ds);
      return [F2.mul(gk, F2.unary('exp', F2.sub(s, rk)))];
    }, [saveInput(x), saveOutput(y, name)]), [x]);
  }
  return y;
}

/**
 * x.norm(p, dim, keepdim) for a number p (2 by default; inf, -inf, 0 too): ||x||_p over dims (null: all), the
 * terms |x|^p accumulated in a double and the root rounded once (PyTorch accumulates float32 in float32: a
 * last bit may differ). NormBackward1 with norm_backward's formulas.
 */
export function norm(x: Tensor, p: number, dims: number | readonly number[] | null, keepdim: boolean): Tensor {
  if (!isFloat(x.dtype)) throw new TorchError(`norm(): input dtype should be either floating point or complex. Got ${pyName(x.dtype)} instead.`);
  const ds = normDims(dims, x.ndim);
  const y = withNoGrad(() => {
    if (p === Infinity || p === -Infinity) return F.amaxAmin(F.unary('abs', x), ds, keepdim, p > 0);
    return powerSumRoot(x, p, ds, keepdim);
  });
  if (needsGrad(x)) {
    const name = 'NormBackward1';
    record(y, new Node(name, (g, [s, r], F2) => {
      const gk = keepdim || s.ndim === 0 ? g : F2.unsqueezeDims(g, ds);
      const rk = keepdim || s.ndim === 0 ? r : F2.unsqueezeDims(r, ds);
      const masked = (t: Tensor, m: Tensor): Tensor => F2.where(m, F2.zerosLike(t), t);
      if (p === 0) return [null]; // an undefined gradient: x.grad stays None, as in PyTorch
      if (p === 1) return [F2.mul(F2.unary('sign', s), gk)];
      // self * (grad / norm).masked_fill_(norm == 0, 0)
      if (p === 2) return [F2.mul(s, masked(F2.div(gk, rk), F2.binaryScalar('eq', rk, 0, 'int')))];
      if (p === Infinity || p === -Infinity) {
        // self.sgn() * ((grad / mask.sum(dim, true)) * mask), mask = |self| == norm or NaN
        const sa = F2.unary('abs', s);
        const mask = F2.binary('logical_or', F2.binary('eq', sa, rk), F2.unary('isnan', sa));
        return [F2.mul(F2.unary('sign', s), F2.mul(F2.div(gk, F2.sumDims(mask, ds, true)), mask))];
      }
      const sa = F2.unary('abs', s);
      if (p < 1) {
        // self.sgn() * self.abs().pow_(p - 1).masked_fill_(self == 0, 0) * grad * norm.pow(1 - p)
        const scaled = F2.mul(F2.unary('sign', s), masked(F2.powScalar(sa, p - 1, 'float'), F2.binaryScalar('eq', s, 0, 'int')));
        return [F2.mul(F2.mul(scaled, gk), F2.powScalar(rk, 1 - p, 'float'))];
      }
      // p < 2: self.sgn() * self.abs().pow_(p - 1); else self * self.abs().pow_(p - 2); times
      // (grad / norm.pow(p - 1)).masked_fill_(norm == 0, 0)
      const scaled = p < 2 ? F2.mul(F2.unary('sign', s), F2.powScalar(sa, p - 1, 'float')) : F2.mul(s, F2.powScalar(sa, p - 2, 'float'));
      const scale = masked(F2.div(gk, F2.powScalar(rk, p - 1, 'float')), F2.binaryScalar('eq', rk, 0, 'int'));
      return [F2.mul(scaled, scale)];
    }, [saveInput(x), saveOutput(y, name)]), [x]);
  }
  return y;
}

/** (sum over dims of |x|^p)^(1/p) (p = 0: the count of nonzeros), in doubles, rounded once to x's dtype. */
function powerSumRoot(x: Tensor, p: number, ds: readonly number[], keepdim: boolean): Tensor {
  const t = castKernel(x, 'float64');
  const v = t.data;
  for (let i = t.offset; i < t.offset + t.numel; i++) {
    const a = Math.abs(v[i]);
    v[i] = p === 0 ? (a !== 0 ? 1 : 0) : p === 1 ? a : p === 2 ? a * a : a ** p;
  }
  const s = sumKernel(t, ds, keepdim);
  const sv = s.data;
  if (p !== 0 && p !== 1) for (let i = s.offset; i < s.offset + s.numel; i++) sv[i] = p === 2 ? Math.sqrt(sv[i]) : sv[i] ** (1 / p);
  return castKernel(s, x.dtype);
}
