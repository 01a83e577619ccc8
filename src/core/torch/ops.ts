// The rest of the tensor surface: in-place arithmetic, fill_/zero_/clamp_, item/tolist, allclose/equal,
// and the autograd entry points on a tensor (requires_grad_, retain_grad, backward, grad).

import { backward as runBackward, isGradEnabled, needsGrad, record, setEngineOps } from './autograd.js';
import { canCast, pyName, type ScalarKind } from './dtype.js';
import { binary, binaryKernel, binaryScalar, broadcastShapes, clamp, contiguousValues, copyCast, fillKernel, unary, type BinaryOp, type UnaryOp } from './elementwise.js';
import { OverwriteBackward, checkInplace, commitInplace, inplaceNeedsGrad, snapshot } from './inplace.js';
import { sumDims } from './reduce.js';
import { TorchError, empty, isFloat, type Tensor } from './tensor.js';
import { clone, detach, expandTo, sumTo } from './views.js';

setEngineOps({
  add: (a, b) => binary('add', a, b),
  addInplace: (a, b) => {
    binaryInplace('add', a, b);
  },
  sumTo,
  clone,
  onesLike: (t) => {
    const o = empty(t.shape, t.dtype);
    o.data.fill(1);
    return o;
  },
  detach,
});

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** a (op)= b in place: a += b, a -= b, a *= b, a /= b... (b a tensor or a Python number). */
export function binaryInplace(op: BinaryOp, a: Tensor, b: Tensor | number, kind: ScalarKind = 'float'): Tensor {
  checkInplace(a);
  const bt = typeof b === 'number' ? null : b;
  if (!inplaceNeedsGrad(a, bt)) {
    if (bt !== null && bt.data === a.data) {
      // b reads the storage being written: compute first, then write
      const r = binaryKernel(op, a, bt, kind, false, null);
      if (!canCast(r.dtype, a.dtype)) throw new TorchError(`result type ${pyName[r.dtype]} can't be cast to the desired output type ${pyName[a.dtype]}`);
      if (!sameShape(r.shape, a.shape)) throw new TorchError(`output with shape [${a.shape.join(', ')}] doesn't match the broadcast shape [${r.shape.join(', ')}]`);
      copyCast(a, r);
    } else binaryKernel(op, a, b, kind, false, a);
    a.version.v++;
    return a;
  }
  const cur = snapshot(a);
  const r = bt === null ? binaryScalar(op, cur, b as number, kind) : binary(op, cur, bt);
  if (!canCast(r.dtype, a.dtype)) throw new TorchError(`result type ${pyName[r.dtype]} can't be cast to the desired output type ${pyName[a.dtype]}`);
  if (!sameShape(r.shape, a.shape)) throw new TorchError(`output with shape [${a.shape.join(', ')}] doesn't match the broadcast shape [${broadcastShapes(a.shape, r.shape).join(', ')}]`);
  return commitInplace(a, r);
}

/** x.exp_(), x.neg_()...: the unary op written back into x. */
export function unaryInplace(op: UnaryOp, x: Tensor): Tensor {
  checkInplace(x);
  const r = unary(op, inplaceNeedsGrad(x) ? snapshot(x) : x);
  if (!canCast(r.dtype, x.dtype)) throw new TorchError(`result type ${pyName[r.dtype]} can't be cast to the desired output type ${pyName[x.dtype]}`);
  if (!inplaceNeedsGrad(x)) {
    copyCast(x, r);
    x.version.v++;
    return x;
  }
  return commitInplace(x, r);
}

export function clampInplace(x: Tensor, min: number | null, max: number | null): Tensor {
  checkInplace(x);
  const r = clamp(inplaceNeedsGrad(x) ? snapshot(x) : x, min, max);
  if (!inplaceNeedsGrad(x)) {
    copyCast(x, r);
    x.version.v++;
    return x;
  }
  return commitInplace(x, r);
}

/** x.fill_(v) (FillBackward2) and x.zero_() (ZeroBackward0): no gradient reaches the old values. */
export function fill(x: Tensor, v: number, name = 'FillBackward2'): Tensor {
  checkInplace(x);
  if (!inplaceNeedsGrad(x)) {
    fillKernel(x, v);
    x.version.v++;
    return x;
  }
  const r = empty(x.shape, x.dtype);
  fillKernel(r, v);
  record(r, new OverwriteBackward(name), [x]);
  return commitInplace(x, r);
}

export function zero(x: Tensor): Tensor {
  return fill(x, 0, 'ZeroBackward0');
}

/** x.item(): the one value, as a double (a float32 value exactly as stored). */
export function item(x: Tensor): number {
  if (x.numel !== 1) throw new TorchError('only one element tensors can be converted to Python scalars', 'ValueError');
  return x.data[x.offset];
}

/** The values in row-major order (a copy), for tolist() and printing. */
export function values(x: Tensor): Float32Array | Float64Array | Uint8Array {
  const v = contiguousValues(x);
  return v === x.data ? v.slice() : v;
}

/**
 * torch.isclose as PyTorch 1.13 computes it, in the promoted dtype: equal, or finite and
 * |a - b| <= atol + |rtol * b| (each op rounded to that dtype; rtol and atol rounded first).
 */
export function isclose(a: Tensor, b: Tensor, rtol = 1e-5, atol = 1e-8, equalNan = false): Tensor {
  if (a.dtype !== b.dtype) throw new TorchError(`${pyName[a.dtype]} did not match ${pyName[b.dtype]}`);
  const shape = broadcastShapes(a.shape, b.shape);
  const av = contiguousValues(expandTo(a, shape).isContiguous ? expandTo(a, shape) : clone(expandTo(a, shape)));
  const bv = contiguousValues(expandTo(b, shape).isContiguous ? expandTo(b, shape) : clone(expandTo(b, shape)));
  const R = a.dtype === 'float32' ? Math.fround : (v: number): number => v;
  const rt = R(rtol);
  const at = R(atol);
  const y = empty(shape, 'bool');
  for (let i = 0; i < y.numel; i++) {
    const x = av[i];
    const z = bv[i];
    let close = x === z || (equalNan && x !== x && z !== z);
    if (!close && isFloat(a.dtype)) {
      const allowed = R(at + Math.abs(R(rt * z)));
      const actual = Math.abs(R(x - z));
      close = Number.isFinite(actual) && actual <= allowed;
    }
    y.data[i] = close ? 1 : 0;
  }
  return y;
}

/** torch.allclose(a, b, rtol=1e-05, atol=1e-08). */
export function allclose(a: Tensor, b: Tensor, rtol = 1e-5, atol = 1e-8, equalNan = false): boolean {
  const c = isclose(a, b, rtol, atol, equalNan);
  for (let i = 0; i < c.numel; i++) if (c.data[i] === 0) return false;
  return true;
}

/** torch.equal: same shape and the same values. */
export function equal(a: Tensor, b: Tensor): boolean {
  if (!sameShape(a.shape, b.shape)) return false;
  const av = contiguousValues(a);
  const bv = contiguousValues(b);
  for (let i = 0; i < av.length; i++) if (av[i] !== bv[i]) return false;
  return true;
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

/** x.backward(gradient=None, retain_graph=False). */
export function backward(x: Tensor, gradient: Tensor | null = null, retainGraph = false): void {
  runBackward(x, gradient, retainGraph);
}

/** x.grad = g (None allowed): same shape and dtype required, as PyTorch. */
export function setGrad(x: Tensor, g: Tensor | null): void {
  if (g !== null) {
    if (g.dtype !== x.dtype) throw new TorchError('assigned grad has data of a different type');
    if (!sameShape(g.shape, x.shape)) throw new TorchError('assigned grad has data of a different size');
  }
  x.grad = g;
}

/** The name PyTorch prints for x.grad_fn (`<MulBackward0 object>`), or null. */
export function gradFnName(x: Tensor): string | null {
  return x.gradFn?.name ?? null;
}

export { isGradEnabled, needsGrad, sumDims };
