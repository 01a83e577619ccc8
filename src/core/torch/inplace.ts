// In-place ops (add_, mul_, fill_, copy_, index_put_, setitem...), with PyTorch's rules:
// - in grad mode, a leaf that requires grad (or a view of one) may not be modified: the same error as torch;
// - the write goes through the view to its base's storage, and bumps the shared version counter, so a
//   tensor saved for backward and modified since is caught at backward;
// - when autograd is involved, the op is computed out of place (recording its node against the tensor's
//   current history) and written back; the tensor takes the op's grad_fn, and a view's base takes a
//   CopySlices node whose backward routes the view's part of the gradient through the op.

import { Node, edgeOf, isGradEnabled, needsGrad, type Grads } from './autograd.js';
import { copyCast } from './elementwise.js';
import { TorchError, empty, viewOf, type Tensor } from './tensor.js';
import { castTo, clone } from './views.js';

/** The error PyTorch raises for an in-place op on a leaf requiring grad (or its view), in grad mode. */
export function checkInplace(t: Tensor): void {
  if (!isGradEnabled() || !t.requiresGrad) return;
  // a view made with autograd of a leaf (the base has no grad_fn)
  if (t.base !== null && t.gradFn !== null && t.base.gradFn === null && t.base.requiresGrad) {
    throw new TorchError('a view of a leaf Variable that requires grad is being used in an in-place operation.');
  }
  if (t.gradFn === null) throw new TorchError('a leaf Variable that requires grad is being used in an in-place operation.');
}

/**
 * The value an in-place op reads when autograd is involved: a copy of t's current values with t's
 * current history, so what the op's node saves is not overwritten by the write-back (PyTorch saves the
 * original self of an in-place op the same way).
 */
export function snapshot(t: Tensor): Tensor {
  const s = empty(t.shape, t.dtype);
  copyCast(s, t);
  if (t.requiresGrad && isGradEnabled()) {
    s.gradFn = t.gradFn;
    s.requiresGrad = true;
    if (t.gradFn === null) s.accumulator = edgeOf(t);
  }
  return s;
}

/** Whether an in-place op on t with these operands must go through autograd. */
export function inplaceNeedsGrad(t: Tensor, other: Tensor | null = null): boolean {
  return needsGrad(t, other) || (isGradEnabled() && t.base !== null && t.base.requiresGrad);
}

/**
 * Finishes an in-place op computed out of place: r (already with its grad_fn, recorded against t's
 * current history) is written into t, and t (or its base) takes over r's history.
 */
export function commitInplace(t: Tensor, r: Tensor): Tensor {
  const rr = r.dtype === t.dtype ? r : castTo(r, t.dtype);
  copyCast(t, rr);
  t.version.v++;
  if (rr.gradFn === null && !(t.base !== null && t.base.requiresGrad)) return t;
  if (t.base === null) {
    moveRetained(t, rr.gradFn);
    t.gradFn = rr.gradFn;
    t.requiresGrad = rr.requiresGrad || t.requiresGrad;
    return t;
  }
  const base = t.base;
  const node = new CopySlices(t.shape, t.strides, t.offset);
  node.next = [edgeOf(base), edgeOf(rr)];
  node.inShapes = [base.shape, t.shape];
  moveRetained(base, node);
  base.gradFn = node;
  base.requiresGrad = true;
  const vnode = new AsStridedBackward(t.shape, t.strides, t.offset, base.shape);
  vnode.next = [node];
  vnode.inShapes = [base.shape];
  t.gradFn = vnode;
  t.requiresGrad = true;
  return t;
}

function moveRetained(t: Tensor, to: Node | null): void {
  if (!t.retainsGrad || to === null) return;
  const old = t.gradFn;
  if (old !== null && old.retained !== null) old.retained = old.retained.filter((x) => x !== t);
  (to.retained ??= []).push(t);
}

/**
 * The base of a view modified in place: the base's gradient outside the view passes to the base's old
 * history; inside the view it goes to the op that wrote there.
 */
class CopySlices extends Node {
  readonly name = 'CopySlices';
  constructor(private readonly shape: readonly number[], private readonly strides: readonly number[], private readonly offset: number) {
    super();
  }
  apply(g: Tensor): Grads {
    const gb = clone(g);
    const region = viewOf(gb, this.shape, this.strides, this.offset);
    const gr = clone(region);
    zeroRegion(region);
    return [gb, gr];
  }
}

function zeroRegion(v: Tensor): void {
  const z = empty([], v.dtype);
  copyCast(v, z);
}

/** A view of a base that was modified in place after the view was made: the gradient placed in the base. */
class AsStridedBackward extends Node {
  readonly name = 'AsStridedBackward0';
  constructor(private readonly shape: readonly number[], private readonly strides: readonly number[], private readonly offset: number, private readonly baseShape: readonly number[]) {
    super();
  }
  apply(g: Tensor): Grads {
    const z = empty(this.baseShape, g.dtype);
    copyCast(viewOf(z, this.shape, this.strides, this.offset), g);
    return [z];
  }
}

/** The node of an op that overwrites its input (fill_, zero_): the old values get a zero gradient. */
export class OverwriteBackward extends Node {
  constructor(readonly name: string) {
    super();
  }
  apply(g: Tensor): Grads {
    // self: zeros_like(grad)
    return [empty(g.shape, g.dtype)];
  }
}
