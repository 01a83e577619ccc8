// Indexing: x[spec] and x[spec] = v with ints, slices (steps, negative bounds), None, Ellipsis, integer
// tensors (lists and ranges arrive as int64 tensors), bool masks, as PyTorch does it: the basic items
// (int -> select, slice, None -> unsqueeze) make a view first; then the advanced items (tensors) gather a
// copy (IndexBackward0), their broadcast shape placed where the indexed dimensions were when those are
// adjacent, else first. Assignment writes through the view (copy_) or scatters (index_put_).

import { Node, needsGrad, record, save, type Grads, type Saved } from './autograd.js';
import { binaryScalar, contiguousValues, copyCast } from './elementwise.js';
import { checkInplace, commitInplace, inplaceNeedsGrad } from './inplace.js';
import { TorchError, empty, isFloat, numelOf, viewOf, type Tensor } from './tensor.js';
import { castTo, expandTo, reshape, select, slice, unsqueeze, zerosLike } from './views.js';

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
    else if (it.kind === 'tensor') consumed += it.t.dtype === 'bool' ? Math.max(it.t.ndim, 0) : it.t.ndim === 0 ? 1 : 1;
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
        if (t.dtype === 'bool') {
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
          const cols = nonzero(t);
          for (let k = 0; k < t.ndim; k++) adv[dim++] = cols[k];
          orig += t.ndim;
          hasAdv = true;
        } else if (t.dtype === 'int64') {
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
 * made directly, not one select per int; the same view, checks and messages as applyBasic's. Null when
 * the index has anything else, or autograd must record the selects.
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

/** The indices of the true elements of a bool tensor, one int64 tensor per dimension. */
export function nonzero(mask: Tensor): Tensor[] {
  const v = contiguousValues(mask);
  const idx: number[] = [];
  for (let i = 0; i < v.length; i++) if (v[i] !== 0) idx.push(i);
  const nd = mask.ndim;
  const out = Array.from({ length: nd }, () => empty([idx.length], 'int64'));
  for (let j = 0; j < idx.length; j++) {
    let rem = idx[j];
    for (let k = nd - 1; k >= 0; k--) {
      out[k].data[j] = rem % mask.shape[k];
      rem = Math.floor(rem / mask.shape[k]);
    }
  }
  return out;
}

/** The geometry of an advanced index: result shape and, per result element, the storage offset read. */
interface Gather {
  shape: number[];
  offsets: Int32Array;
}

function gatherPlan(y: Tensor, adv: readonly (Tensor | null)[]): Gather {
  const advDims: number[] = [];
  for (let d = 0; d < y.ndim; d++) if (adv[d] !== null && adv[d] !== undefined) advDims.push(d);
  // broadcast the index tensors
  let bshape: number[] = [];
  for (const d of advDims) bshape = broadcast(bshape, adv[d]!.shape);
  const bn = numelOf(bshape);
  const offB = new Int32Array(bn);
  for (const d of advDims) {
    const t = expandTo(adv[d]!, bshape);
    const vals = contiguousValues(t.isContiguous ? t : materialize(t));
    const size = y.shape[d];
    const st = y.strides[d];
    for (let i = 0; i < bn; i++) {
      let k = vals[i];
      if (k < -size || k >= size) throw new TorchError(`index ${k} is out of bounds for dimension ${d} with size ${size}`, 'IndexError');
      if (k < 0) k += size;
      offB[i] += k * st;
    }
  }
  const adjacent = advDims.length > 0 && advDims[advDims.length - 1] - advDims[0] === advDims.length - 1;
  const rest = y.shape.map((_, d) => d).filter((d) => !advDims.includes(d));
  const pre = adjacent ? rest.filter((d) => d < advDims[0]) : [];
  const post = adjacent ? rest.filter((d) => d > advDims[0]) : rest;
  const offPre = dimOffsets(y, pre);
  const offPost = dimOffsets(y, post);
  const shape = [...pre.map((d) => y.shape[d]), ...bshape, ...post.map((d) => y.shape[d])];
  const offsets = new Int32Array(offPre.length * bn * offPost.length);
  let k = 0;
  for (let a = 0; a < offPre.length; a++) {
    for (let b = 0; b < bn; b++) {
      const base = y.offset + offPre[a] + offB[b];
      for (let c = 0; c < offPost.length; c++) offsets[k++] = base + offPost[c];
    }
  }
  return { shape, offsets };
}

function materialize(t: Tensor): Tensor {
  const c = empty(t.shape, t.dtype);
  copyCast(c, t);
  return c;
}

/** The storage offsets (relative) of every combination of the given dimensions, row-major. */
function dimOffsets(y: Tensor, dims: readonly number[]): Int32Array {
  let offs = new Int32Array([0]);
  for (const d of dims) {
    const n = y.shape[d];
    const next = new Int32Array(offs.length * n);
    for (let i = 0; i < offs.length; i++) for (let j = 0; j < n; j++) next[i * n + j] = offs[i] + j * y.strides[d];
    offs = next;
  }
  return offs;
}

function broadcast(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const da = i - n + a.length >= 0 ? a[i - n + a.length] : 1;
    const db = i - n + b.length >= 0 ? b[i - n + b.length] : 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new TorchError(`shape mismatch: indexing tensors could not be broadcast together with shapes [${a.join(', ')}], [${b.join(', ')}]`, 'IndexError');
    }
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** x[items]: a view for basic indexing, else a gathered copy (IndexBackward0). */
export function getitem(x: Tensor, items: readonly IndexItem[]): Tensor {
  const ints = intsOnly(x, items);
  if (ints !== null) return ints;
  const { view, adv, hasAdv } = applyBasic(x, items);
  if (!hasAdv) return view;
  return index(view, adv);
}

/** y[adv] for per-dimension index tensors (null: the whole dimension). d = zeros with the gradient added at the indices. */
export function index(y: Tensor, adv: readonly (Tensor | null)[]): Tensor {
  const plan = gatherPlan(y, adv);
  const out = empty(plan.shape, y.dtype);
  const src = y.data;
  const o = out.data;
  const offs = plan.offsets;
  for (let i = 0; i < offs.length; i++) o[i] = src[offs[i]];
  if (needsGrad(y) && isFloat(y.dtype)) record(out, new IndexBackward(y.shape, adv), [y]);
  return out;
}

class IndexBackward extends Node {
  readonly name = 'IndexBackward0';
  constructor(private readonly inShape: readonly number[], private readonly adv: readonly (Tensor | null)[]) {
    super();
  }
  apply(g: Tensor): Grads {
    // index_backward: _index_put_impl_(zeros_like(self), indices, grad, accumulate=true), in element order
    const z = empty(this.inShape, g.dtype);
    scatter(z, this.adv, g, true);
    return [z];
  }
}

/** y[adv] = v (or += when accumulate), v broadcast to the indexed shape; sequential, in element order. */
function scatter(y: Tensor, adv: readonly (Tensor | null)[], v: Tensor, accumulate: boolean): void {
  const plan = gatherPlan(y, adv);
  let vv: Tensor;
  try {
    vv = expandTo(v, plan.shape);
  } catch {
    throw new TorchError(`shape mismatch: value tensor of shape [${v.shape.join(', ')}] cannot be broadcast to indexing result of shape [${plan.shape.join(', ')}]`);
  }
  const vals = contiguousValues(vv.dtype === y.dtype ? vv : castTo(vv, y.dtype));
  const d = y.data;
  const offs = plan.offsets;
  if (accumulate) for (let i = 0; i < offs.length; i++) d[offs[i]] += vals[i];
  else for (let i = 0; i < offs.length; i++) d[offs[i]] = vals[i];
}

/** y.index_put_(adv, v, accumulate) in place (IndexPutBackward0 when autograd is involved). */
export function indexPut(y: Tensor, adv: readonly (Tensor | null)[], v: Tensor, accumulate: boolean): Tensor {
  checkInplace(y);
  if (!inplaceNeedsGrad(y, v)) {
    scatter(y, adv, v.data === y.data ? materialize(v) : v, accumulate);
    y.version.v++;
    return y;
  }
  // out of place: r = y with the indexed elements replaced (or added to)
  const r = materialize(y);
  scatter(r, adv, v, accumulate);
  if (needsGrad(y, v)) record(r, new IndexPutBackward(adv, accumulate, v), [y, v]);
  return commitInplace(y, r);
}

class IndexPutBackward extends Node {
  readonly name = 'IndexPutBackward0';
  private readonly sv: Saved;
  constructor(private readonly adv: readonly (Tensor | null)[], private readonly accumulate: boolean, v: Tensor) {
    super();
    this.sv = save(v);
  }
  apply(g: Tensor): Grads {
    // self: accumulate ? grad : grad.index_put(indices, zeros_like(values), false); values: grad.index(indices)
    let gs = g;
    if (!this.accumulate) {
      gs = materialize(g);
      scatter(gs, this.adv, zerosLike(this.sv.t), false);
    }
    return [gs, index(g, this.adv)];
  }
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
    if (!sameElements(t, src)) copyCast(t, v.data === t.data ? materialize(src) : src);
    t.version.v++;
    return t;
  }
  const r = isFloat(t.dtype) ? castTo(materializeGrad(src), t.dtype) : materialize(src);
  return commitInplace(t, r);
}

/** Whether a and b are the same elements of the same storage (same dtype, offset, shape and strides). */
function sameElements(a: Tensor, b: Tensor): boolean {
  if (a.data !== b.data || a.offset !== b.offset || a.dtype !== b.dtype || a.ndim !== b.ndim) return false;
  for (let i = 0; i < a.ndim; i++) if (a.shape[i] !== b.shape[i] || a.strides[i] !== b.strides[i]) return false;
  return true;
}

/** A contiguous copy that keeps autograd (expand's node then a clone). */
function materializeGrad(t: Tensor): Tensor {
  return binaryScalar('mul', t, 1, 'int');
}

/** x.index_add_(dim, index, source, alpha): x[..., index[i], ...] += alpha * source[..., i, ...] in order. */
export function indexAdd(x: Tensor, dim: number, idx: Tensor, source: Tensor, alpha = 1): Tensor {
  const d = dim < 0 ? dim + Math.max(x.ndim, 1) : dim;
  if (idx.ndim > 1) throw new TorchError('index_add_(): Index is supposed to be a vector');
  if (idx.dtype !== 'int64') throw new TorchError('index_add_(): Expected dtype int32/int64 for index');
  const n = idx.numel;
  if (source.ndim > 0 && source.shape[d] !== n) throw new TorchError(`index_add_(): Number of indices (${n}) should be equal to source.size(dim) (${source.shape[d]})`);
  const adv: (Tensor | null)[] = x.shape.map((_, i) => (i === d ? (idx.ndim === 0 ? expandTo(idx, [1]) : idx) : null));
  // the scattered values, laid out as x[adv] would be: the index dimension in place of dim
  const scaled = alpha === 1 ? source : binaryScalar('mul', source, alpha, Number.isInteger(alpha) ? 'int' : 'float');
  const r = checkAndScatter(x, adv, scaled);
  return r;
}

function checkAndScatter(x: Tensor, adv: readonly (Tensor | null)[], v: Tensor): Tensor {
  checkInplace(x);
  if (!inplaceNeedsGrad(x, v)) {
    scatter(x, adv, v, true);
    x.version.v++;
    return x;
  }
  const r = materialize(x);
  scatter(r, adv, v, true);
  if (needsGrad(x, v)) record(r, new IndexAddBackward(adv), [x, v]);
  return commitInplace(x, r);
}

class IndexAddBackward extends Node {
  readonly name = 'IndexAddBackward0';
  constructor(private readonly adv: readonly (Tensor | null)[]) {
    super();
  }
  apply(g: Tensor): Grads {
    // self: grad; source: grad.index_select(dim, index) (scaled by alpha)
    return [g, index(g, this.adv)];
  }
}
