// In-place ops (add_, mul_, fill_, masked_fill_, copy_, index_put_, index_add_, x[...] = v) and the subscript x[...],
// with PyTorch's rules:
// - in grad mode, a leaf that requires grad (or a view of one) may not be modified: the same error as torch;
// - the write goes through the view to its base's storage, and bumps the shared version counter, so a
//   tensor saved for backward and modified since is caught at backward;
// - when autograd is involved, the op is computed out of place (recording its node against the tensor's
//   current history) and written back; the tensor takes the op's grad_fn, and a view's base takes a
//   CopySlices node whose backward routes the view's part of the gradient through the op.

import { canCast, checkFits, isFloat, pyName, type ScalarKind } from './dtype.js';
import { TorchError } from './errors.js';
import { Node, edgeOf, isGradEnabled, needsGrad, record, saveInput } from './graph.js';
import { Tensor, empty, sameShape, setGradFn, viewOf, zerosOf } from './tensor.js';
import { binaryKernel, broadcastShapes, copyCast, fillKernel, type BinaryOp, type UnaryOp } from './kernels/pointwise.js';
import { nonzeroKernel } from './kernels/gather.js';
import { binary, binaryScalar, castTo, clamp, maskedFill, unary } from './ops/pointwise.js';
import { clone, expandTo, reshape, select, slice, unsqueeze } from './ops/shape.js';
import { index, saveIndices, scatterInto } from './ops/index.js';

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
 * The value an in-place op reads when autograd is involved: a copy of t's current values with t's current
 * history, so what the op's node saves is not overwritten by the write-back (PyTorch saves the original
 * self of an in-place op the same way).
 */
function snapshot(t: Tensor): Tensor {
  const s = empty(t.shape, t.dtype);
  copyCast(s, t);
  if (t.requiresGrad && isGradEnabled()) {
    if (t.gradFn !== null) setGradFn(s, t.gradFn);
    s.requiresGrad = true;
    if (t.gradFn === null) {
      // a leaf's copy stands for the leaf: its edge is the leaf's AccumulateGrad
      const acc = edgeOf(t);
      s.accumulator = acc;
    }
  }
  return s;
}

/** Whether an in-place op on t with these operands must go through autograd. */
function inplaceNeedsGrad(t: Tensor, other: Tensor | null = null): boolean {
  return needsGrad(t, other) || (isGradEnabled() && t.base !== null && t.base.requiresGrad);
}

/**
 * Finishes an in-place op computed out of place: r (already with its grad_fn, recorded against t's current
 * history) is written into t, and t (or its base) takes over r's history.
 */
function commitInplace(t: Tensor, r: Tensor): Tensor {
  const rr = r.dtype === t.dtype ? r : castTo(r, t.dtype);
  copyCast(t, rr);
  t.version.v++;
  if (rr.gradFn === null && !(t.base !== null && t.base.requiresGrad)) return t;
  if (t.base === null) {
    moveRetained(t, rr.gradFn);
    setGradFn(t, rr.gradFn);
    t.requiresGrad = rr.requiresGrad || t.requiresGrad;
    return t;
  }
  const base = t.base;
  // where t sits in its base, relative to the base's first element
  const shape = t.shape;
  const strides = t.strides;
  const rel = t.offset - base.offset;
  const baseShape = base.shape;
  const copySlices = new Node('CopySlices', (g, _s, F) => {
    // the base's gradient outside the view passes to the base's old history; inside it goes to the op
    const gb = F.clone(g);
    const region = viewOf(gb, shape, strides, gb.offset + rel);
    const gr = F.clone(region);
    fillKernel(region, 0);
    return [gb, gr];
  });
  const edges = [edgeOf(base), edgeOf(rr)];
  for (const e of edges) e?.ref();
  copySlices.next = edges;
  copySlices.inShapes = [base.shape, t.shape];
  copySlices.inDtypes = [base.dtype, t.dtype];
  moveRetained(base, copySlices);
  setGradFn(base, copySlices);
  base.requiresGrad = true;
  // a view of a base modified in place: the gradient placed in the base (AsStridedBackward0)
  const asStrided = new Node('AsStridedBackward0', (g) => {
    const z = zerosOf(baseShape, g.dtype);
    copyCast(viewOf(z, shape, strides, z.offset + rel), g);
    return [z];
  });
  copySlices.ref();
  asStrided.next = [copySlices];
  asStrided.inShapes = [base.shape];
  asStrided.inDtypes = [base.dtype];
  setGradFn(t, asStrided);
  t.requiresGrad = true;
  return t;
}

function moveRetained(t: Tensor, to: Node | null): void {
  if (!t.retainsGrad || to === null) return;
  const old = t.gradFn;
  if (old !== null && old.retained !== null) old.retained = old.retained.filter((x) => x !== t);
  (to.retained ??= []).push(t);
}

// ---------------------------------------------------------------------------------------------------------
// arithmetic in place

/** a (op)= b in place: a += b, a -= b, a *= b, a /= b... (b a tensor or a Python number). */
export function binaryInplace(op: BinaryOp, a: Tensor, b: Tensor | number, kind: ScalarKind = 'float'): Tensor {
  checkInplace(a);
  const bt = typeof b === 'number' ? null : b;
  if (!inplaceNeedsGrad(a, bt)) {
    if (bt !== null && bt.storage === a.storage) {
      // b reads the storage being written: compute first, then write
      const r = binaryKernel(op, a, bt, kind, false, null);
      if (!canCast(r.dtype, a.dtype)) throw new TorchError(`result type ${pyName(r.dtype)} can't be cast to the desired output type ${pyName(a.dtype)}`);
      if (!sameShape(r.shape, a.shape)) throw new TorchError(`output with shape [${a.shape.join(', ')}] doesn't match the broadcast shape [${r.shape.join(', ')}]`);
      copyCast(a, r);
    } else binaryKernel(op, a, b, kind, false, a);
    a.version.v++;
    return a;
  }
  const cur = snapshot(a);
  const r = bt === null ? binaryScalar(op, cur, b as number, kind) : binary(op, cur, bt);
  if (!canCast(r.dtype, a.dtype)) throw new TorchError(`result type ${pyName(r.dtype)} can't be cast to the desired output type ${pyName(a.dtype)}`);
  if (!sameShape(r.shape, a.shape)) throw new TorchError(`output with shape [${a.shape.join(', ')}] doesn't match the broadcast shape [${broadcastShapes(a.shape, r.shape).join(', ')}]`);
  return commitInplace(a, r);
}

/** x.exp_(), x.neg_()...: the unary op written back into x. */
export function unaryInplace(op: UnaryOp, x: Tensor): Tensor {
  checkInplace(x);
  const g = inplaceNeedsGrad(x);
  const r = unary(op, g ? snapshot(x) : x);
  if (!canCast(r.dtype, x.dtype)) throw new TorchError(`result type ${pyName(r.dtype)} can't be cast to the desired output type ${pyName(x.dtype)}`);
  if (!g) {
    copyCast(x, r);
    x.version.v++;
    return x;
  }
  return commitInplace(x, r);
}

/** An in-place op computed out of place by f (on x, or on its snapshot when autograd is involved), written back. */
function writeBack(x: Tensor, f: (cur: Tensor) => Tensor): Tensor {
  checkInplace(x);
  const g = inplaceNeedsGrad(x);
  const r = f(g ? snapshot(x) : x);
  if (!sameShape(r.shape, x.shape)) throw new TorchError(`output with shape [${x.shape.join(', ')}] doesn't match the broadcast shape [${r.shape.join(', ')}]`);
  if (!g) {
    copyCast(x, r);
    x.version.v++;
    return x;
  }
  return commitInplace(x, r);
}

export function clampInplace(x: Tensor, min: number | null, max: number | null): Tensor {
  return writeBack(x, (cur) => clamp(cur, min, max));
}

/** x.masked_fill_(mask, value) (mask broadcast to x's shape). */
export function maskedFillInplace(x: Tensor, mask: Tensor, value: number): Tensor {
  return writeBack(x, (cur) => maskedFill(cur, mask, value));
}

/** x.fill_(v) (FillBackward2) and x.zero_() (ZeroBackward0): no gradient reaches the old values. */
export function fill(x: Tensor, v: number, name = 'FillBackward2'): Tensor {
  checkInplace(x);
  checkFits(x.dtype, v, true);
  if (!inplaceNeedsGrad(x)) {
    fillKernel(x, v);
    x.version.v++;
    return x;
  }
  const r = empty(x.shape, x.dtype);
  fillKernel(r, v);
  record(r, new Node(name, (g, _s, F) => [F.zerosLike(g)]), [x]);
  return commitInplace(x, r);
}

export function zero(x: Tensor): Tensor {
  return fill(x, 0, 'ZeroBackward0');
}

// ---------------------------------------------------------------------------------------------------------
// indexing: x[items] and x[items] = v

export type IndexItem =
  | { kind: 'int'; i: number }
  | { kind: 'slice'; start: number | null; stop: number | null; step: number | null }
  | { kind: 'none' }
  | { kind: 'ellipsis' }
  | { kind: 'tensor'; t: Tensor };

/** The basic part of an index applied as a view, and the advanced (tensor) items left, by dimension. */
interface Split {
  view: Tensor;
  adv: (Tensor | null)[];
  hasAdv: boolean;
}


function applyBasic(x: Tensor, items: readonly IndexItem[]): Split {
  let consumed = 0;
  let ellipses = 0;
  for (const it of items) {
    if (it.kind === 'int' || it.kind === 'slice') consumed++;
    else if (it.kind === 'tensor') consumed += it.t.dtype === 'bool' || it.t.dtype === 'uint8' ? Math.max(it.t.ndim, 0) : 1;
    else if (it.kind === 'ellipsis') ellipses++;
  }
  if (ellipses > 1) throw new TorchError('an index can only have a single ellipsis (\'...\')', 'IndexError');
  if (x.ndim === 0 && items.some((it) => it.kind === 'int')) {
    throw new TorchError('invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to convert a 0-dim tensor to a number', 'IndexError');
  }
  if (consumed > x.ndim) throw new TorchError(`too many indices for tensor of dimension ${x.ndim}`, 'IndexError');
  let y = x;
  let dim = 0;
  let orig = 0; // the dimension of x an int selects (PyTorch's messages name it, not the view's)
  const adv: (Tensor | null)[] = [];
  let hasAdv = false;
  for (const it of items) {
    switch (it.kind) {
      case 'int': {
        const size = y.shape[dim];
        if (it.i < -size || it.i >= size) throw new TorchError(`index ${it.i} is out of bounds for dimension ${orig} with size ${size}`, 'IndexError');
        y = select(y, dim, it.i);
        orig++;
        break;
      }
      case 'slice': {
        const step = it.step ?? 1;
        if (step <= 0) throw new TorchError('step must be greater than zero', 'ValueError');
        y = slice(y, dim, it.start, it.stop, step);
        adv[dim++] = null;
        orig++;
        break;
      }
      case 'none':
        y = unsqueeze(y, dim);
        adv[dim++] = null;
        break;
      case 'ellipsis': {
        const n = x.ndim - consumed;
        for (let k = 0; k < n; k++) adv[dim++] = null;
        orig += n;
        break;
      }
      case 'tensor': {
        const t = it.t;
        if (t.dtype === 'bool' || t.dtype === 'uint8') {
          if (t.ndim === 0) {
            // x[True] adds a dimension of 1, x[False] of 0
            y = unsqueeze(y, dim);
            if (t.data[t.offset] === 0) y = slice(y, dim, 0, 0);
            adv[dim++] = null;
            break;
          }
          for (let k = 0; k < t.ndim; k++) {
            if (t.shape[k] !== y.shape[dim + k]) {
              throw new TorchError(`The shape of the mask [${t.shape.join(', ')}] at index ${k} does not match the shape of the indexed tensor [${y.shape.join(', ')}] at index ${dim + k}`, 'IndexError');
            }
          }
          const cols = nonzeroKernel(t);
          for (let k = 0; k < t.ndim; k++) adv[dim++] = cols[k];
          orig += t.ndim;
          hasAdv = true;
        } else if (t.dtype === 'int64') {
          // PyTorch 1.13 indexes with long tensors only (int32 indices came in 2.0); a uint8 tensor is a mask
          if (t.ndim === 0) {
            y = select(y, dim, t.data[t.offset]);
            orig++;
            break;
          }
          adv[dim++] = t;
          orig++;
          hasAdv = true;
        } else {
          throw new TorchError('tensors used as indices must be long, byte or bool tensors', 'IndexError');
        }
        break;
      }
    }
  }
  while (adv.length < y.ndim) adv.push(null);
  return { view: y, adv, hasAdv };
}

/**
 * x[i, j, ...] with ints only and no autograd to record (the lecture's `Xb[k, j]`, `demb[k, j]`): one view
 * made directly, not one select per int; the same view, checks and messages as applyBasic's. Null when the
 * index has anything else, or autograd must record the selects.
 */
function intsOnly(x: Tensor, items: readonly IndexItem[]): Tensor | null {
  const k = items.length;
  if (k === 0 || k > x.ndim || needsGrad(x)) return null;
  let offset = x.offset;
  for (let d = 0; d < k; d++) {
    const it = items[d];
    if (it.kind !== 'int') return null;
    const size = x.shape[d];
    if (it.i < -size || it.i >= size) throw new TorchError(`index ${it.i} is out of bounds for dimension ${d} with size ${size}`, 'IndexError');
    offset += (it.i < 0 ? it.i + size : it.i) * x.strides[d];
  }
  return viewOf(x, x.shape.slice(k), x.strides.slice(k), offset);
}

/** x[items]: a view for basic indexing, else a gathered copy (IndexBackward0). */
export function getitem(x: Tensor, items: readonly IndexItem[]): Tensor {
  const ints = intsOnly(x, items);
  if (ints !== null) return ints;
  const { view, adv, hasAdv } = applyBasic(x, items);
  if (!hasAdv) return view;
  return index(view, adv);
}

/** y.index_put_(adv, v, accumulate) in place (IndexPutBackward0 when autograd is involved). */
export function indexPut(y: Tensor, adv: readonly (Tensor | null)[], v: Tensor, accumulate: boolean): Tensor {
  checkInplace(y);
  if (!inplaceNeedsGrad(y, v)) {
    scatterInto(y, adv, v.storage === y.storage ? clone(v) : v, accumulate);
    y.version.v++;
    return y;
  }
  // out of place: r = y with the indexed elements replaced (or added to)
  const r = clone(y);
  scatterInto(r, adv, v, accumulate);
  if (needsGrad(y, v)) {
    const [saved, restore] = saveIndices(adv, 1);
    // self: accumulate ? grad : grad.index_put(indices, zeros_like(values), false); values: grad.index(indices)
    record(r, new Node('IndexPutBackward0', (g, s, F) => {
      const idx = restore(s);
      let gs = g;
      if (!accumulate) {
        gs = F.clone(g);
        scatterInto(gs, idx, F.zerosLike(s[0]), false);
      }
      return [gs, F.index(g, idx)];
    }, [saveInput(v), ...saved]), [y, v]);
  }
  return commitInplace(y, r);
}

/** x[items] = v (a tensor, or a Python number already made a 0-dim tensor by the caller). */
export function setitem(x: Tensor, items: readonly IndexItem[], v: Tensor): void {
  const { view, adv, hasAdv } = applyBasic(x, items);
  // PyTorch drops the value's leading size-1 dimensions first (x[0] = torch.ones(1, 1, 5) is fine)
  let lead = 0;
  while (v.ndim - lead > view.ndim && v.shape[lead] === 1) lead++;
  if (lead > 0) v = reshape(v, v.shape.slice(lead));
  if (hasAdv) {
    indexPut(view, adv, v, false);
    return;
  }
  checkSetitemShape(v.shape, view.shape);
  copyInto(view, v);
}

/** PyTorch's setitem drops the value's leading size-1 dimensions and expands it to the view: expand's message. */
function checkSetitemShape(vshape: readonly number[], shape: readonly number[]): void {
  const vs = vshape.slice();
  while (vs.length > shape.length && vs[0] === 1) vs.shift();
  if (vs.length > shape.length) return; // copyInto's message
  for (let i = shape.length - 1, j = vs.length - 1; j >= 0; i--, j--) {
    if (vs[j] !== shape[i] && vs[j] !== 1) {
      throw new TorchError(`The expanded size of the tensor (${shape[i]}) must match the existing size (${vs[j]}) at non-singleton dimension ${i}.  Target sizes: [${shape.join(', ')}].  Tensor sizes: [${vs.join(', ')}]`);
    }
  }
}

/** t.copy_(v): v broadcast and cast into t, in place (through views). */
export function copyInto(t: Tensor, v: Tensor): Tensor {
  checkInplace(t);
  let src: Tensor;
  try {
    src = expandTo(v, t.shape);
  } catch {
    throw new TorchError(`output with shape [${t.shape.join(', ')}] doesn't match the broadcast shape [${v.shape.join(', ')}]`);
  }
  if (!inplaceNeedsGrad(t, v)) {
    // x[i] = x[i] (the write-back of `dC[ix] += ...`): the same elements onto themselves, nothing to move
    if (!sameElements(t, src)) copyCast(t, src);
    t.version.v++;
    return t;
  }
  // a contiguous copy that keeps autograd (expand's node then a multiply by 1)
  const r = isFloat(t.dtype) ? castTo(binaryScalar('mul', src, 1, 'int'), t.dtype) : clone(src);
  return commitInplace(t, r);
}

/** Whether a and b are the same elements of the same storage (same dtype, offset, shape and strides). */
function sameElements(a: Tensor, b: Tensor): boolean {
  if (a.storage !== b.storage || a.offset !== b.offset || a.dtype !== b.dtype || a.ndim !== b.ndim) return false;
  for (let i = 0; i < a.ndim; i++) if (a.shape[i] !== b.shape[i] || a.strides[i] !== b.strides[i]) return false;
  return true;
}

/** x.index_add_(dim, index, source, alpha): x[..., index[i], ...] += alpha * source[..., i, ...] in order. */
export function indexAdd(x: Tensor, dim: number, idx: Tensor, source: Tensor, alpha = 1): Tensor {
  const d = dim < 0 ? dim + Math.max(x.ndim, 1) : dim;
  if (idx.ndim > 1) throw new TorchError('index_add_(): Index is supposed to be a vector');
  if (idx.dtype !== 'int64' && idx.dtype !== 'int32') throw new TorchError('index_add_(): Expected dtype int32/int64 for index');
  const n = idx.numel;
  if (source.ndim > 0 && source.shape[d] !== n) throw new TorchError(`index_add_(): Number of indices (${n}) should be equal to source.size(dim) (${source.shape[d]})`);
  const adv: (Tensor | null)[] = x.shape.map((_, i) => (i === d ? (idx.ndim === 0 ? expandTo(idx, [1]) : idx) : null));
  const scaled = alpha === 1 ? source : binaryScalar('mul', source, alpha, Number.isInteger(alpha) ? 'int' : 'float');
  checkInplace(x);
  if (!inplaceNeedsGrad(x, scaled)) {
    scatterInto(x, adv, scaled, true);
    x.version.v++;
    return x;
  }
  const r = clone(x);
  scatterInto(r, adv, scaled, true);
  if (needsGrad(x, scaled)) {
    const [saved, restore] = saveIndices(adv);
    // self: grad; source: grad.index_select(dim, index) (scaled by alpha)
    record(r, new Node('IndexAddBackward0', (g, s, F) => [g, F.index(g, restore(s))], saved), [x, scaled]);
  }
  return commitInplace(x, r);
}

export { broadcastShapes };
