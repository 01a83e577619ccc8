// Shape ops with autograd. Views (view, reshape when it can, permute/transpose/t/T, squeeze/unsqueeze,
// expand, select, slice, split, tensor_split, detach, .data) share storage with their input; cat, stack,
// clone, contiguous, tril/triu, flip, roll, repeat copy. Each op's backward beside it, named as PyTorch names it.

import { promoteTypes, type DType } from '../dtype.js';
import { TorchError } from '../errors.js';
import { Node, needsGrad, record, withNoGrad } from '../graph.js';
import type { OpSet } from '../ops.js';
import { Tensor, Version, contiguousStrides, empty, fromData, numelOf, sameShape, shapeStr, viewOf, zerosOf } from '../tensor.js';
import { gatherKernel, gatherPlan } from '../kernels/gather.js';
import { copyCast } from '../kernels/pointwise.js';
import { wrapDim } from '../kernels/reduce.js';
import { sumDims } from './reduce.js';

export interface Geom {
  shape: number[];
  strides: number[];
  offset: number;
}

/** A view of x with geometry g, recording a node from `backward` when x needs grad. */
function makeView(x: Tensor, g: Geom, name: string, backward: ((g: Tensor) => Tensor) | null): Tensor {
  const v = viewOf(x, g.shape, g.strides, g.offset);
  if (backward !== null && needsGrad(x)) record(v, new Node(name, (gr) => [backward(gr)]), [x]);
  return v;
}

/** The backward of a view that picks part of its input: zeros of the input's shape, the gradient copied in. */
function scatterBack(inShape: readonly number[], geom: (t: Tensor) => Geom): (g: Tensor) => Tensor {
  return (g) => {
    const z = zerosOf(inShape, g.dtype);
    const gm = geom(z);
    copyCast(viewOf(z, gm.shape, gm.strides, gm.offset), g);
    return z;
  };
}

// ---------------------------------------------------------------------------------------------------------
// view / reshape

/** Resolves one -1 in a requested shape, with PyTorch's messages. */
export function inferShape(shape: readonly number[], numel: number): number[] {
  let infer = -1;
  let known = 1;
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] === -1) {
      if (infer >= 0) throw new TorchError('only one dimension can be inferred');
      infer = i;
    } else if (shape[i] < 0 || !Number.isInteger(shape[i])) throw new TorchError(`invalid shape dimension ${shape[i]}`);
    else known *= shape[i];
  }
  const out = shape.slice();
  if (infer >= 0) {
    if (known === 0 || numel % known !== 0) throw new TorchError(`shape '${shapeStr(shape)}' is invalid for input of size ${numel}`);
    out[infer] = numel / known;
  } else if (known !== numel) throw new TorchError(`shape '${shapeStr(shape)}' is invalid for input of size ${numel}`);
  return out;
}

/** ATen's computeStride: strides viewing (oldShape, oldStrides) as newShape, or null when impossible. */
function computeStride(oldShape: readonly number[], oldStrides: readonly number[], newShape: readonly number[]): number[] | null {
  if (oldShape.length === 0) return new Array<number>(newShape.length).fill(1);
  const numel = numelOf(oldShape);
  if (numel === 0) return contiguousStrides(newShape);
  const newStrides = new Array<number>(newShape.length).fill(0);
  let viewD = newShape.length - 1;
  let chunkBase = oldStrides[oldStrides.length - 1];
  let tensorNumel = 1;
  let viewNumel = 1;
  for (let td = oldShape.length - 1; td >= 0; td--) {
    tensorNumel *= oldShape[td];
    if (td === 0 || (oldShape[td - 1] !== 1 && oldStrides[td - 1] !== tensorNumel * chunkBase)) {
      while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] === 1)) {
        newStrides[viewD] = viewNumel * chunkBase;
        viewNumel *= newShape[viewD];
        viewD--;
      }
      if (viewNumel !== tensorNumel) return null;
      if (td > 0) {
        chunkBase = oldStrides[td - 1];
        tensorNumel = 1;
        viewNumel = 1;
      }
    }
  }
  return viewD === -1 ? newStrides : null;
}

/** x.view(shape): same storage, another shape. d view = the gradient viewed back (ViewBackward0). */
export function view(x: Tensor, shape: readonly number[]): Tensor {
  const s = inferShape(shape, x.numel);
  const st = computeStride(x.shape, x.strides, s);
  if (st === null) throw new TorchError('view size is not compatible with input tensor\'s size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.');
  const inShape = x.shape;
  return makeView(x, { shape: s, strides: st, offset: x.offset }, 'ViewBackward0', (g) => reshape(g, inShape));
}

/** x.reshape(shape): a view when the strides allow (ReshapeAliasBackward0), else a copy (UnsafeViewBackward0). */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const s = inferShape(shape, x.numel);
  const st = computeStride(x.shape, x.strides, s);
  const inShape = x.shape;
  if (st !== null) return makeView(x, { shape: s, strides: st, offset: x.offset }, 'ReshapeAliasBackward0', (g) => reshape(g, inShape));
  const c = clone(x);
  const v = viewOf(c, s, contiguousStrides(s), c.offset);
  if (needsGrad(c)) record(v, new Node('UnsafeViewBackward0', (g) => [reshape(g, inShape)]), [c]);
  return v;
}

// ---------------------------------------------------------------------------------------------------------
// permute, transpose, t, squeeze, unsqueeze, expand

export function permute(x: Tensor, dims: readonly number[], name = 'PermuteBackward0'): Tensor {
  const nd = x.ndim;
  if (dims.length !== nd) throw new TorchError(`permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = ${nd} is not equal to len(dims) = ${dims.length}`);
  const d = dims.map((v) => wrapDim(v, nd));
  if (new Set(d).size !== nd) throw new TorchError('permute(): duplicate dims are not allowed.');
  const inv = new Array<number>(nd);
  d.forEach((v, i) => (inv[v] = i));
  return makeView(x, { shape: d.map((v) => x.shape[v]), strides: d.map((v) => x.strides[v]), offset: x.offset }, name, (g) => permute(g, inv));
}

export function transpose(x: Tensor, d0: number, d1: number, name = 'TransposeBackward0'): Tensor {
  const nd = x.ndim;
  if (nd === 0) return makeView(x, { shape: [], strides: [], offset: x.offset }, name, (g) => g);
  const a = wrapDim(d0, nd);
  const b = wrapDim(d1, nd);
  return permute(x, x.shape.map((_, i) => (i === a ? b : i === b ? a : i)), name);
}

/** x.t(): transpose of a <= 2-D tensor (TBackward0). */
export function t(x: Tensor): Tensor {
  if (x.ndim > 2) throw new TorchError(`t() expects a tensor with <= 2 dimensions, but self is ${x.ndim}D`);
  if (x.ndim < 2) return makeView(x, { shape: x.shape.slice(), strides: x.strides.slice(), offset: x.offset }, 'TBackward0', (g) => g);
  return transpose(x, 0, 1, 'TBackward0');
}

/** x.T: all dimensions reversed (PermuteBackward0). */
export function T(x: Tensor): Tensor {
  return permute(x, x.shape.map((_, i) => x.ndim - 1 - i));
}

export function unsqueeze(x: Tensor, dim: number): Tensor {
  const d = wrapDim(dim, x.ndim + 1);
  const shape = x.shape.slice();
  const strides = x.strides.slice();
  const st = d < x.ndim ? x.shape[d] * x.strides[d] : 1;
  shape.splice(d, 0, 1);
  strides.splice(d, 0, st);
  return makeView(x, { shape, strides, offset: x.offset }, 'UnsqueezeBackward0', (g) => squeeze(g, d));
}

/** Adds size-1 dimensions at `dims` (positions in the result). */
export function unsqueezeDims(x: Tensor, dims: readonly number[]): Tensor {
  let y = x;
  for (const d of [...dims].sort((p, q) => p - q)) y = unsqueeze(y, d);
  return y;
}

/** squeeze(x) removes all size-1 dimensions (SqueezeBackward0); squeeze(x, dim) one (SqueezeBackward1). */
export function squeeze(x: Tensor, dim: number | null = null): Tensor {
  const inShape = x.shape;
  const back = (g: Tensor): Tensor => reshape(g, inShape);
  if (dim === null) {
    const keep = x.shape.map((s, i) => (s !== 1 ? i : -1)).filter((i) => i >= 0);
    return makeView(x, { shape: keep.map((i) => x.shape[i]), strides: keep.map((i) => x.strides[i]), offset: x.offset }, 'SqueezeBackward0', back);
  }
  const d = wrapDim(dim, x.ndim);
  if (x.ndim === 0 || x.shape[d] !== 1) return makeView(x, { shape: x.shape.slice(), strides: x.strides.slice(), offset: x.offset }, 'SqueezeBackward1', back);
  return makeView(x, { shape: x.shape.filter((_, i) => i !== d), strides: x.strides.filter((_, i) => i !== d), offset: x.offset }, 'SqueezeBackward1', back);
}

/** x.expand(shape) (-1 keeps a size): stride 0 along stretched dimensions. d expand = sum back (sum_to). */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  const n = shape.length;
  if (n < x.ndim) throw new TorchError(`expand(torch.FloatTensor{[${x.shape.join(', ')}]}, size=[${shape.join(', ')}]): the number of sizes provided (${n}) must be greater or equal to the number of dimensions in the tensor (${x.ndim})`);
  const s = new Array<number>(n);
  const st = new Array<number>(n);
  for (let i = n - 1; i >= 0; i--) {
    const j = i - n + x.ndim;
    const want = shape[i];
    if (j < 0) {
      if (want < 0) throw new TorchError(`The expanded size of the tensor (${want}) isn't allowed in a leading, non-existing dimension ${i}`);
      s[i] = want;
      st[i] = 0;
    } else {
      const have = x.shape[j];
      const size = want === -1 ? have : want;
      if (have !== size && have !== 1) throw new TorchError(`The expanded size of the tensor (${size}) must match the existing size (${have}) at non-singleton dimension ${i}.  Target sizes: [${shape.join(', ')}].  Tensor sizes: [${x.shape.join(', ')}]`);
      s[i] = size;
      st[i] = have === size ? x.strides[j] : 0;
    }
  }
  const inShape = x.shape;
  return makeView(x, { shape: s, strides: st, offset: x.offset }, 'ExpandBackward0', (g) => sumTo(g, inShape));
}

/** x broadcast to shape, as a view (no node of its own when the shapes agree). */
export function expandTo(x: Tensor, shape: readonly number[]): Tensor {
  return sameShape(x.shape, shape) ? x : expand(x, shape);
}

/** at::sum_to: sums g (broadcast) down to `shape`: leading dimensions, then stretched ones (keepdim). */
export function sumTo(g: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.ndim - shape.length;
  const dims: number[] = [];
  for (let i = 0; i < lead; i++) dims.push(i);
  for (let i = 0; i < shape.length; i++) if (shape[i] === 1 && g.shape[lead + i] !== 1) dims.push(lead + i);
  if (dims.length === 0) return reshape(g, shape);
  const s = sumDims(g, dims, true);
  return lead > 0 || s.ndim !== shape.length ? view(s, shape) : s;
}

// ---------------------------------------------------------------------------------------------------------
// select, slice, split, tensor_split

export function geomSelect(x: Tensor | Geom, dim: number, index: number): Geom {
  const shape = x.shape.slice();
  const strides = x.strides.slice();
  const off = x.offset + index * strides[dim];
  shape.splice(dim, 1);
  strides.splice(dim, 1);
  return { shape, strides, offset: off };
}

/** x.select(dim, index): the index-th slice along dim, that dimension removed (SelectBackward0). */
export function select(x: Tensor, dim: number, index: number): Tensor {
  if (x.ndim === 0) throw new TorchError('select() cannot be applied to a 0-dim tensor.', 'IndexError');
  const d = wrapDim(dim, x.ndim);
  const size = x.shape[d];
  if (index < -size || index >= size) throw new TorchError(`index ${index} is out of bounds for dimension ${d} with size ${size}`, 'IndexError');
  const i = index < 0 ? index + size : index;
  return makeView(x, geomSelect(x, d, i), 'SelectBackward0', scatterBack(x.shape, (z) => geomSelect(z, d, i)));
}

/** Python's slice.indices for a positive step: clamped (start, stop) and the resulting length. */
export function sliceBounds(size: number, start: number | null, stop: number | null, step: number): [number, number, number] {
  if (step <= 0) throw new TorchError('step must be greater than zero', 'ValueError');
  let s = start ?? 0;
  let e = stop ?? size;
  if (s < 0) s += size;
  if (e < 0) e += size;
  s = Math.min(Math.max(s, 0), size);
  e = Math.min(Math.max(e, s), size);
  return [s, e, Math.ceil((e - s) / step)];
}

export function geomSlice(x: Tensor | Geom, dim: number, start: number, len: number, step: number): Geom {
  const shape = x.shape.slice();
  const strides = x.strides.slice();
  const off = x.offset + (len > 0 ? start * strides[dim] : 0);
  shape[dim] = len;
  strides[dim] = strides[dim] * step;
  return { shape, strides, offset: off };
}

/** x[start:stop:step] along dim (Python's clamping; step > 0) (SliceBackward0). */
export function slice(x: Tensor, dim: number, start: number | null, stop: number | null, step = 1, name = 'SliceBackward0'): Tensor {
  const d = wrapDim(dim, x.ndim);
  const [s, , len] = sliceBounds(x.shape[d], start, stop, step);
  return makeView(x, geomSlice(x, d, s, len, step), name, scatterBack(x.shape, (z) => geomSlice(z, d, s, len, step)));
}

/** x.split(size or sizes, dim): views of consecutive chunks (SplitBackward0 / SplitWithSizesBackward0). */
export function split(x: Tensor, sizes: number | readonly number[], dim = 0): Tensor[] {
  const d = wrapDim(dim, x.ndim);
  const n = x.shape[d];
  const out: Tensor[] = [];
  if (typeof sizes === 'number') {
    if (sizes <= 0 && n > 0) throw new TorchError(`split_size can only be 0 if dimension size is 0, but got dimension size of ${n}`);
    if (n === 0) return [slice(x, d, 0, 0, 1, 'SplitBackward0')];
    for (let s = 0; s < n; s += sizes) out.push(slice(x, d, s, Math.min(s + sizes, n), 1, 'SplitBackward0'));
    return out;
  }
  const total = sizes.reduce((p, q) => p + q, 0);
  if (total !== n) throw new TorchError(`split_with_sizes expects split_sizes to sum exactly to ${n} (input tensor's size at dimension ${d}), but got split_sizes=[${sizes.join(', ')}]`);
  let s = 0;
  for (const k of sizes) {
    out.push(slice(x, d, s, s + k, 1, 'SplitWithSizesBackward0'));
    s += k;
  }
  return out;
}

/** x.tensor_split(n sections or indices, dim): views (SliceBackward0), as numpy.array_split. */
export function tensorSplit(x: Tensor, sections: number | readonly number[], dim = 0): Tensor[] {
  const d = wrapDim(dim, x.ndim);
  const n = x.shape[d];
  const out: Tensor[] = [];
  if (typeof sections === 'number') {
    if (sections <= 0) throw new TorchError(`number of sections must be larger than 0, got ${sections}`);
    const base = Math.floor(n / sections);
    const extra = n % sections;
    let s = 0;
    for (let i = 0; i < sections; i++) {
      const len = base + (i < extra ? 1 : 0);
      out.push(slice(x, d, s, s + len));
      s += len;
    }
    return out;
  }
  let s = 0;
  for (const e of [...sections, n]) {
    out.push(slice(x, d, s, Math.max(e, s)));
    s = e;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// cat, stack

/** torch.cat(tensors, dim): concatenated along an existing dimension (CatBackward0). */
export function cat(ts: readonly Tensor[], dim = 0): Tensor {
  if (ts.length === 0) throw new TorchError('torch.cat(): expected a non-empty list of Tensors');
  const parts = ts.filter((x) => !(x.ndim === 1 && x.numel === 0));
  const ref = parts[0] ?? ts[0];
  if (ref.ndim === 0) throw new TorchError('zero-dimensional tensor (at position 0) cannot be concatenated');
  const d = wrapDim(dim, ref.ndim);
  let dt: DType = ts[0].dtype;
  for (const x of ts) dt = promoteTypes(dt, x.dtype);
  parts.forEach((x, i) => {
    if (x.ndim !== ref.ndim) throw new TorchError(`Tensors must have same number of dimensions: got ${ref.ndim} and ${x.ndim}`);
    for (let j = 0; j < x.ndim; j++) {
      if (j !== d && x.shape[j] !== ref.shape[j]) throw new TorchError(`Sizes of tensors must match except in dimension ${d}. Expected size ${ref.shape[j]} but got size ${x.shape[j]} for tensor number ${i} in the list.`);
    }
  });
  const shape = ref.shape.slice();
  shape[d] = parts.reduce((p, x) => p + x.shape[d], 0);
  const y = empty(shape, dt);
  let s = 0;
  for (const x of parts) {
    const g = geomSlice(y, d, s, x.shape[d], 1);
    copyCast(viewOf(y, g.shape, g.strides, g.offset), x);
    s += x.shape[d];
  }
  if (ts.some((x) => needsGrad(x))) {
    const sizes = ts.map((x) => (x.ndim === 1 && x.numel === 0 ? 0 : x.shape[d]));
    record(y, new Node('CatBackward0', (g) => {
      let at = 0;
      return sizes.map((k) => slice(g, d, at, (at += k)));
    }), [...ts]);
  }
  return y;
}

/** torch.stack(tensors, dim): along a new dimension (StackBackward0). */
export function stack(ts: readonly Tensor[], dim = 0): Tensor {
  if (ts.length === 0) throw new TorchError('stack expects a non-empty TensorList');
  const ref = ts[0];
  ts.forEach((x, i) => {
    if (!sameShape(x.shape, ref.shape)) throw new TorchError(`stack expects each tensor to be equal size, but got [${ref.shape.join(', ')}] at entry 0 and [${x.shape.join(', ')}] at entry ${i}`);
  });
  const d = wrapDim(dim, ref.ndim + 1);
  let dt: DType = ref.dtype;
  for (const x of ts) dt = promoteTypes(dt, x.dtype);
  const shape = ref.shape.slice();
  shape.splice(d, 0, ts.length);
  const y = empty(shape, dt);
  ts.forEach((x, i) => {
    const g = geomSelect(y, d, i);
    copyCast(viewOf(y, g.shape, g.strides, g.offset), x);
  });
  if (ts.some((x) => needsGrad(x))) record(y, new Node('StackBackward0', (g) => ts.map((_, i) => select(g, d, i))), [...ts]);
  return y;
}

// ---------------------------------------------------------------------------------------------------------
// copies: clone, contiguous; detach and .data

/** x.clone(): a contiguous copy (CloneBackward0). */
export function clone(x: Tensor): Tensor {
  const y = empty(x.shape, x.dtype);
  copyCast(y, x);
  if (needsGrad(x)) record(y, new Node('CloneBackward0', (g) => [g]), [x]);
  return y;
}

/** x.contiguous(): x itself when already contiguous, else a copy (CloneBackward0). */
export function contiguous(x: Tensor): Tensor {
  return x.isContiguous ? x : clone(x);
}

/** x.detach(): the same storage and version counter, no history, requires_grad False. */
export function detach(x: Tensor): Tensor {
  // not a view for autograd: an in-place change through it does not rebase x's history (PyTorch's detach()
  // is a non-differentiable view)
  return new Tensor(x.storage, x.dtype, x.shape, x.strides, x.offset, x.version);
}

/** x.data: the same storage with its own version counter (in-place changes through it are not tracked). */
export function dataOf(x: Tensor): Tensor {
  // not a view for autograd either: `p.data += -lr * p.grad` leaves p a leaf
  return new Tensor(x.storage, x.dtype, x.shape, x.strides, x.offset, new Version());
}

/** A tensor of zeros of t's shape and dtype. */
export function zerosLike(t: Tensor): Tensor {
  return zerosOf(t.shape, t.dtype);
}

// ---------------------------------------------------------------------------------------------------------
// copies in another order: tril/triu, flip, roll, repeat

/** tril/triu: x with the elements above (tril) or below (triu) the k-th diagonal of each matrix zeroed. */
function triangle(x: Tensor, k: number, lower: boolean): Tensor {
  wrapDim(-2, x.ndim);
  const y = clone(x);
  const nd = y.ndim;
  const rows = y.shape[nd - 2];
  const cols = y.shape[nd - 1];
  const d = y.data;
  const mats = y.numel / Math.max(1, rows * cols);
  for (let m = 0; m < mats; m++) {
    const base = y.offset + m * rows * cols;
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) if (lower ? j - i > k : j - i < k) d[base + i * cols + j] = 0;
    }
  }
  return y;
}

/** torch.tril(x, diagonal) (TrilBackward0: grad.tril(diagonal)). */
export function tril(x: Tensor, k = 0): Tensor {
  const y = withNoGrad(() => triangle(x, k, true));
  if (needsGrad(x)) record(y, new Node('TrilBackward0', (g) => [triangle(g, k, true)]), [x]);
  return y;
}

/** torch.triu(x, diagonal) (TriuBackward0: grad.triu(diagonal)). */
export function triu(x: Tensor, k = 0): Tensor {
  const y = withNoGrad(() => triangle(x, k, false));
  if (needsGrad(x)) record(y, new Node('TriuBackward0', (g) => [triangle(g, k, false)]), [x]);
  return y;
}

/** x's elements along d in the order `from` (a new contiguous tensor): y[..., i, ...] = x[..., from[i], ...]. */
function permuteAlong(x: Tensor, d: number, from: readonly number[]): Tensor {
  return gatherKernel(x, gatherPlan(x, x.shape.map((_, i) => (i === d ? fromData(from, 'int64', [from.length]) : null))));
}

/** torch.flip(x, dims) (FlipBackward0: grad.flip(dims)). */
export function flip(x: Tensor, dims: readonly number[]): Tensor {
  const ds = dims.map((v) => wrapDim(v, x.ndim));
  const dup = ds.find((v, i) => ds.indexOf(v) !== i);
  if (dup !== undefined) throw new TorchError(`dim ${dup} appears multiple times in the list of dims`);
  let y = x.ndim === 0 || ds.length === 0 ? clone(withNoGrad(() => detach(x))) : x;
  for (const d of ds) {
    const n = x.shape[d];
    y = permuteAlong(y, d, Array.from({ length: n }, (_, i) => n - 1 - i));
  }
  if (needsGrad(x)) record(y, new Node('FlipBackward0', (g, _s, F) => [flipGrad(g, ds, F)]), [x]);
  return y;
}

function flipGrad(g: Tensor, ds: readonly number[], F: OpSet): Tensor {
  let y = F.contiguous(g);
  for (const d of ds) {
    const n = g.shape[d];
    y = permuteAlong(y, d, Array.from({ length: n }, (_, i) => n - 1 - i));
  }
  return y;
}

/** x rolled by `shift` along d: y[i] = x[(i - shift) mod n]. */
function rollAlong(x: Tensor, d: number, shift: number): Tensor {
  const n = x.shape[d];
  if (n === 0) return x;
  return permuteAlong(x, d, Array.from({ length: n }, (_, i) => (((i - shift) % n) + n) % n));
}

/** torch.roll(x, shifts, dims) with dims given (RollBackward0: grad.roll(-shifts, dims)). */
export function roll(x: Tensor, shifts: readonly number[], dims: readonly number[]): Tensor {
  if (shifts.length !== dims.length) throw new TorchError(`shifts and dimensions must align. shifts: ${shifts.length}, dims:${dims.length}`);
  const ds = dims.map((v) => wrapDim(v, x.ndim));
  let y = clone(withNoGrad(() => detach(x)));
  ds.forEach((d, i) => (y = rollAlong(y, d, shifts[i])));
  if (needsGrad(x)) {
    record(y, new Node('RollBackward0', (g) => {
      let r = g;
      ds.forEach((d, i) => (r = rollAlong(r, d, -shifts[i])));
      return [r === g ? clone(g) : r];
    }), [x]);
  }
  return y;
}

/** x.repeat(sizes): x tiled sizes[i] times along each dimension (RepeatBackward0: the tiles' gradients summed). */
export function repeat(x: Tensor, sizes: readonly number[]): Tensor {
  const n = sizes.length;
  if (n < x.ndim) throw new TorchError('Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor');
  const lead = n - x.ndim;
  const padded = [...new Array<number>(lead).fill(1), ...x.shape];
  const paddedStrides = [...new Array<number>(lead).fill(0), ...x.strides];
  // [r0, s0, r1, s1, ...] with stride 0 along the repeats: a view of x, copied contiguous
  const shape2: number[] = [];
  const strides2: number[] = [];
  for (let i = 0; i < n; i++) shape2.push(sizes[i], padded[i]);
  for (let i = 0; i < n; i++) strides2.push(0, paddedStrides[i]);
  const out = padded.map((s, i) => s * sizes[i]);
  const y = empty(out, x.dtype);
  copyCast(new Tensor(y.storage, y.dtype, shape2, contiguousStrides(shape2), y.offset, y.version), new Tensor(x.storage, x.dtype, shape2, strides2, x.offset, x.version));
  if (needsGrad(x)) {
    const inShape = x.shape;
    record(y, new Node('RepeatBackward0', (g, _s, F) => {
      // repeat_backward: the leading new dimensions summed one at a time, then one sum over the repeats
      if (sizes.includes(0)) return [zerosOf(inShape, g.dtype)];
      let r = g;
      for (let i = 0; i < lead; i++) r = F.sumDims(r, 0, false);
      const gs: number[] = [];
      const sumDims: number[] = [];
      inShape.forEach((s, i) => {
        if (sizes[i + lead] !== 1) {
          gs.push(sizes[i + lead]);
          sumDims.push(gs.length - 1);
        }
        gs.push(s);
      });
      return [sumDims.length === 0 ? r : F.sumDims(F.reshape(r, gs), sumDims, false)];    }), [x]);
  }
  return y;
}
