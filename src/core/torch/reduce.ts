// Reductions: sum, mean, var/std, max/min (values and indices), amax/amin, argmax/argmin, all/any.
// Every sum accumulates in a double over the reduced elements in ascending (row-major) order and rounds
// once; the autograd's sum_to (broadcast gradients) calls the same sumDims, so a learner's
// `db2 = dlogits.sum(0)` equals the autograd's db2 bit for bit.

import { Node, needsGrad, record, save, withNoGrad, type Grads, type Saved } from './autograd.js';
import { binary, binaryScalar, where } from './elementwise.js';
import { TorchError, empty, isFloat, numelOf, type DType, type Tensor } from './tensor.js';
import { expand, permute, unsqueezeDims, wrapDim, zerosLike } from './views.js';
import { pyName } from './dtype.js';
import { SCRATCH_CHUNK, SCRATCH_MIN_ELEMS, scratchKernels, scratchLayout } from '../wasm/scratch.js';

/** Normalises a dims argument: null means all dimensions; sorted, unique, wrapped. */
export function normDims(dims: number | readonly number[] | null, ndim: number): number[] {
  if (dims === null) return Array.from({ length: ndim }, (_, i) => i);
  const list = typeof dims === 'number' ? [dims] : dims;
  const out = list.map((d) => wrapDim(d, ndim));
  if (new Set(out).size !== out.length) throw new TorchError(`dim ${out.find((d, i) => out.indexOf(d) !== i)} appears multiple times in the list of dims`);
  return out.filter((d) => d < Math.max(ndim, 0) || ndim === 0).sort((a, b) => a - b);
}

function keptShape(shape: readonly number[], dims: readonly number[], keepdim: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (dims.includes(i)) {
      if (keepdim) out.push(1);
    } else out.push(shape[i]);
  }
  return out;
}

/**
 * acc[o] += f(x) over x's elements in row-major order, o being the element's output position. With
 * `center`, adds (x - center[o])^2 instead (the second pass of var).
 */
function accumulate(x: Tensor, dims: readonly number[], acc: Float64Array, center: Float64Array | null): void {
  if (columnSumsWasm(x, dims, acc, center)) return;
  const nd = x.ndim;
  const xs = x.data;
  if (nd === 0 || (dims.length === nd && x.isContiguous)) {
    // everything into acc[0]
    let s = acc[0];
    const c = center === null ? 0 : center[0];
    const end = x.offset + x.numel;
    if (center === null) for (let i = x.offset; i < end; i++) s += xs[i];
    else for (let i = x.offset; i < end; i++) { const d = xs[i] - c; s += d * d; }
    acc[0] = s;
    return;
  }
  // output strides in input-dimension space (0 along reduced dimensions)
  const ostr = new Array<number>(nd).fill(0);
  let m = 1;
  for (let i = nd - 1; i >= 0; i--) {
    if (!dims.includes(i)) {
      ostr[i] = m;
      m *= x.shape[i];
    }
  }
  const n = x.shape[nd - 1];
  const sx = x.strides[nd - 1];
  const so = ostr[nd - 1];
  let rows = 1;
  for (let d = 0; d < nd - 1; d++) rows *= x.shape[d];
  if (rows === 0 || n === 0) return;
  const idx = new Int32Array(Math.max(nd - 1, 1));
  let xo = x.offset;
  let oo = 0;
  for (let r = 0; r < rows; r++) {
    if (so === 0) {
      let s = acc[oo];
      if (center === null) for (let i = 0; i < n; i++) s += xs[xo + i * sx];
      else {
        const c = center[oo];
        for (let i = 0; i < n; i++) { const d = xs[xo + i * sx] - c; s += d * d; }
      }
      acc[oo] = s;
    } else if (center === null) {
      for (let i = 0; i < n; i++) acc[oo + i * so] += xs[xo + i * sx];
    } else {
      for (let i = 0; i < n; i++) { const d = xs[xo + i * sx] - center[oo + i * so]; acc[oo + i * so] += d * d; }
    }
    for (let d = nd - 2; d >= 0; d--) {
      idx[d]++;
      xo += x.strides[d];
      oo += ostr[d];
      if (idx[d] < x.shape[d]) break;
      xo -= x.strides[d] * x.shape[d];
      oo -= ostr[d] * x.shape[d];
      idx[d] = 0;
    }
  }
}

/**
 * accumulate for the common case of a contiguous float32 tensor reduced over its leading dimensions (the
 * lecture's `.sum(0)`, `.mean(0)`, `.var(0)`: column sums of an [r, c] matrix) in wasm
 * (assembly/kernels.ts colSumF32): the same double additions in the same order, so the same bits. False
 * when the case is another (the JS loop runs).
 */
function columnSumsWasm(x: Tensor, dims: readonly number[], acc: Float64Array, center: Float64Array | null): boolean {
  const q = dims.length;
  if (x.dtype !== 'float32' || q === 0 || q >= x.ndim || x.numel < SCRATCH_MIN_ELEMS || !x.isContiguous) return false;
  for (let i = 0; i < q; i++) if (dims[i] !== i) return false;
  const c = acc.length;
  const r = x.numel / c;
  if (c < 2) return false;
  const k = scratchKernels();
  if (k === null) return false;
  // the rows in pieces of about SCRATCH_CHUNK elements; the sums stay in the scratch between pieces, so
  // each still adds its rows in ascending order
  const rows = Math.max(1, Math.min(r, Math.floor(SCRATCH_CHUNK / c)));
  const [pAcc, pC, pX] = scratchLayout(k, c * 8, center === null ? 0 : c * 8, rows * c * 4);
  const buf = k.memory.buffer;
  new Float64Array(buf, pAcc, c).set(acc);
  if (center !== null) new Float64Array(buf, pC, c).set(center);
  const xs = x.data as Float32Array;
  for (let r0 = 0; r0 < r; r0 += rows) {
    const nr = Math.min(rows, r - r0);
    const from = x.offset + r0 * c;
    new Float32Array(buf, pX, nr * c).set(xs.subarray(from, from + nr * c));
    k.colSumF32(pAcc, pX, center === null ? 0 : pC, nr, c);
  }
  acc.set(new Float64Array(buf, pAcc, c));
  return true;
}

function store(acc: Float64Array, shape: number[], dtype: DType): Tensor {
  const y = empty(shape, dtype);
  y.data.set(acc as never);
  return y;
}

/** The sum kernel without autograd (sum_to and sum share it). */
function sumKernel(x: Tensor, dims: readonly number[], keepdim: boolean): Tensor {
  const shape = keptShape(x.shape, dims, keepdim);
  const acc = new Float64Array(numelOf(shape));
  accumulate(x, dims, acc, null);
  return store(acc, shape, isFloat(x.dtype) ? x.dtype : 'int64');
}

class SumBackward extends Node {
  constructor(readonly name: string, private readonly inShape: readonly number[], private readonly dims: readonly number[], private readonly keepdim: boolean) {
    super();
  }
  apply(g: Tensor): Grads {
    // sum_backward: the gradient (its reduced dimensions restored) expanded to the input's shape
    const gk = this.keepdim ? g : unsqueezeDims(g, this.dims);
    return [expand(gk, this.inShape)];
  }
}

/** x.sum(dims, keepdim). d(sum x) = the gradient broadcast back (SumBackward0 all, SumBackward1 dims). */
export function sumDims(x: Tensor, dims: number | readonly number[] | null, keepdim = false): Tensor {
  const ds = normDims(dims, x.ndim);
  const y = sumKernel(x, ds, keepdim);
  if (needsGrad(x) && isFloat(x.dtype)) record(y, new SumBackward(dims === null ? 'SumBackward0' : 'SumBackward1', x.shape, ds, keepdim), [x]);
  return y;
}

class MeanBackward extends Node {
  constructor(readonly name: string, private readonly inShape: readonly number[], private readonly dims: readonly number[], private readonly keepdim: boolean, private readonly n: number) {
    super();
  }
  apply(g: Tensor): Grads {
    // grad.expand(sizes) / numel (the count of elements averaged)
    const gk = this.keepdim ? g : unsqueezeDims(g, this.dims);
    return [binaryScalar('div', expand(gk, this.inShape), this.n, 'int')];
  }
}

/** x.mean(dims, keepdim): the double sum divided by the count, rounded once (MeanBackward0 / 1). */
export function mean(x: Tensor, dims: number | readonly number[] | null, keepdim = false): Tensor {
  if (!isFloat(x.dtype)) throw new TorchError(`mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: ${pyName[x.dtype]}`);
  const ds = normDims(dims, x.ndim);
  const shape = keptShape(x.shape, ds, keepdim);
  const acc = new Float64Array(numelOf(shape));
  accumulate(x, ds, acc, null);
  const n = ds.reduce((p, d) => p * x.shape[d], 1);
  for (let i = 0; i < acc.length; i++) acc[i] /= n;
  const y = store(acc, shape, x.dtype);
  if (needsGrad(x)) record(y, new MeanBackward(dims === null ? 'MeanBackward0' : 'MeanBackward1', x.shape, ds, keepdim, n), [x]);
  return y;
}

/** x.var / x.std over dims with `correction` (1: Bessel's, unbiased): two passes in doubles, rounded once. */
export function variance(x: Tensor, dims: number | readonly number[] | null, correction: number, keepdim: boolean, std: boolean): Tensor {
  if (!isFloat(x.dtype)) throw new TorchError(`std and var only support floating point and complex dtypes`);
  const ds = normDims(dims, x.ndim);
  const shape = keptShape(x.shape, ds, keepdim);
  const mu = new Float64Array(numelOf(shape));
  accumulate(x, ds, mu, null);
  const n = ds.reduce((p, d) => p * x.shape[d], 1);
  for (let i = 0; i < mu.length; i++) mu[i] /= n;
  const acc = new Float64Array(mu.length);
  accumulate(x, ds, acc, mu);
  const dof = Math.max(0, n - correction);
  for (let i = 0; i < acc.length; i++) acc[i] = std ? Math.sqrt(acc[i] / dof) : acc[i] / dof;
  const y = store(acc, shape, x.dtype);
  if (needsGrad(x)) record(y, new VarBackward(std ? 'StdBackward0' : 'VarBackward0', x, y, ds, keepdim, n - correction, std), [x]);
  return y;
}

class VarBackward extends Node {
  private readonly sx: Saved;
  private readonly sy: Saved | null;
  constructor(readonly name: string, x: Tensor, y: Tensor, private readonly dims: readonly number[], private readonly keepdim: boolean, private readonly dof: number, private readonly std: boolean) {
    super();
    this.sx = save(x);
    this.sy = std ? save(y, name) : null;
  }
  apply(g: Tensor): Grads {
    const x = this.sx.get(this);
    let gr = g;
    if (this.std) {
      // std_backward: var_backward((grad / (result * 2)).masked_fill_(result == 0, 0), ...)
      const y = this.sy!.get(this);
      const q = binary('div', g, binaryScalar('mul', y, 2, 'int'));
      gr = where(binaryScalar('eq', y, 0, 'int'), zerosLike(q), q);
    }
    // var_backward: (2.0 / dof) * grad * (self - self.mean(dim, true))
    const gk = this.keepdim ? gr : unsqueezeDims(gr, this.dims);
    const centered = binary('sub', x, mean(x, this.dims, true));
    return [binary('mul', binaryScalar('mul', gk, 2.0 / this.dof, 'float'), centered)];
  }
}

/** values and indices of max/min along dim; ties give the first index, NaN wins (PyTorch's CPU kernels). */
export function maxMinDim(x: Tensor, dim: number, keepdim: boolean, isMax: boolean): [Tensor, Tensor] {
  const d = wrapDim(dim, x.ndim);
  if (x.ndim > 0 && x.shape[d] === 0) throw new TorchError(`${isMax ? 'max' : 'min'}(): Expected reduction dim ${d} to have non-zero size.`, 'IndexError');
  const perm = x.shape.map((_, i) => i).filter((i) => i !== d);
  perm.push(d);
  const xp = x.ndim === 0 ? x : withNoGrad(() => permute(x, perm));
  const n = x.ndim === 0 ? 1 : x.shape[d];
  const outShape = keptShape(x.shape, x.ndim === 0 ? [] : [d], keepdim);
  const rows = numelOf(outShape);
  const vals = empty(outShape, x.dtype);
  const idxs = empty(outShape, 'int64');
  const src = xp.data;
  const s = x.ndim === 0 ? 0 : xp.strides[xp.ndim - 1];
  rowOffsets(xp, (off, r) => {
    let best = src[off];
    let bi = 0;
    for (let i = 1; i < n; i++) {
      const v = src[off + i * s];
      if (best !== best) break;
      if (v !== v || (isMax ? v > best : v < best)) {
        best = v;
        bi = i;
      }
    }
    vals.data[r] = best;
    idxs.data[r] = bi;
  }, rows);
  if (needsGrad(x) && isFloat(x.dtype)) record(vals, new SelectReductionBackward(isMax ? 'MaxBackward0' : 'MinBackward0', x.shape, d, idxs, keepdim), [x]);
  return [vals, idxs];
}

/** Calls f(offset, row) for each row of x (all dims but the last), row-major. */
function rowOffsets(x: Tensor, f: (off: number, row: number) => void, rows: number): void {
  const nd = x.ndim;
  if (nd <= 1) {
    f(x.offset, 0);
    return;
  }
  const idx = new Int32Array(nd - 1);
  let off = x.offset;
  for (let r = 0; r < rows; r++) {
    f(off, r);
    for (let d = nd - 2; d >= 0; d--) {
      idx[d]++;
      off += x.strides[d];
      if (idx[d] < x.shape[d]) break;
      off -= x.strides[d] * x.shape[d];
      idx[d] = 0;
    }
  }
}

class SelectReductionBackward extends Node {
  constructor(readonly name: string, private readonly inShape: readonly number[], private readonly dim: number, private readonly idx: Tensor, private readonly keepdim: boolean) {
    super();
  }
  apply(g: Tensor): Grads {
    // value_selecting_reduction_backward: zeros, the gradient scattered at the indices
    const z = empty(this.inShape, g.dtype);
    const gk = this.keepdim || this.inShape.length === 0 ? g : unsqueezeDims(g, [this.dim]);
    const inner = numelOf(this.inShape.slice(this.dim + 1));
    const D = this.inShape.length === 0 ? 1 : this.inShape[this.dim];
    const gv = contiguousOf(gk);
    for (let o = 0; o < gv.length; o++) {
      const outer = Math.floor(o / inner);
      const i = o % inner;
      z.data[(outer * D + this.idx.data[o]) * inner + i] = gv[o];
    }
    return [z];
  }
}

function contiguousOf(t: Tensor): ArrayLike<number> {
  if (t.isContiguous) return t.data.subarray(t.offset, t.offset + t.numel);
  const out = new Float64Array(t.numel);
  let k = 0;
  const nd = t.ndim;
  const n = t.shape[nd - 1];
  const s = t.strides[nd - 1];
  rowOffsets(t, (off) => {
    for (let i = 0; i < n; i++) out[k++] = t.data[off + i * s];
  }, numelOf(t.shape.slice(0, -1)));
  return out;
}

/** x.max() / x.min() over everything (MaxBackward1: the gradient shared evenly among the maxima). */
export function maxMinAll(x: Tensor, isMax: boolean): Tensor {
  if (x.numel === 0) throw new TorchError(`${isMax ? 'max' : 'min'}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.`);
  const flat = contiguousOf(x);
  let best = flat[0];
  for (let i = 1; i < flat.length; i++) {
    const v = flat[i];
    if (best !== best) break;
    if (v !== v || (isMax ? v > best : v < best)) best = v;
  }
  const y = empty([], x.dtype);
  y.data[0] = best;
  if (needsGrad(x) && isFloat(x.dtype)) record(y, new EvenlyBackward(isMax ? 'MaxBackward1' : 'MinBackward1', x, y), [x]);
  return y;
}

class EvenlyBackward extends Node {
  private readonly sx: Saved;
  private readonly sy: Saved;
  constructor(readonly name: string, x: Tensor, y: Tensor) {
    super();
    this.sx = save(x);
    this.sy = save(y, name);
  }
  apply(g: Tensor): Grads {
    // zeros.masked_fill_(input == value, grad / mask.sum())
    const x = this.sx.get(this);
    const y = this.sy.get(this);
    const mask = y.data[y.offset] !== y.data[y.offset] ? binary('ne', x, x) : binary('eq', x, y);
    const share = binary('div', g, sumDims(mask, null));
    return [where(mask, share, zerosLike(x))];
  }
}

/** amax/amin over dims (AmaxBackward0: the gradient split among the maxima of each slice). */
export function amaxAmin(x: Tensor, dims: number | readonly number[] | null, keepdim: boolean, isMax: boolean): Tensor {
  const ds = normDims(dims, x.ndim);
  let y = x;
  for (let i = ds.length - 1; i >= 0; i--) y = maxMinDimNoGrad(y, ds[i], true, isMax);
  const shape = keptShape(x.shape, ds, keepdim);
  const out = empty(shape, x.dtype);
  out.data.set(contiguousOf(y) as never);
  if (needsGrad(x) && isFloat(x.dtype)) record(out, new AmaxBackward(isMax ? 'AmaxBackward0' : 'AminBackward0', x, out, ds, keepdim), [x]);
  return out;
}

function maxMinDimNoGrad(x: Tensor, d: number, keepdim: boolean, isMax: boolean): Tensor {
  return withNoGrad(() => maxMinDim(x, d, keepdim, isMax)[0]);
}

class AmaxBackward extends Node {
  private readonly sx: Saved;
  private readonly sy: Saved;
  constructor(readonly name: string, x: Tensor, y: Tensor, private readonly dims: readonly number[], private readonly keepdim: boolean) {
    super();
    this.sx = save(x);
    this.sy = save(y, name);
  }
  apply(g: Tensor): Grads {
    // scale_grad_by_count(restore(grad), restore(result) == self, dims) = (grad / mask.sum(dims, true)) * mask
    const x = this.sx.get(this);
    const y = this.sy.get(this);
    const gk = this.keepdim ? g : unsqueezeDims(g, this.dims);
    const yk = this.keepdim ? y : unsqueezeDims(y, this.dims);
    const mask = binary('eq', yk, x);
    return [binary('mul', binary('div', gk, sumDims(mask, this.dims, true)), mask)];
  }
}

/** argmax/argmin along dim, or of the flattened tensor (dim null). */
export function argMaxMin(x: Tensor, dim: number | null, keepdim: boolean, isMax: boolean): Tensor {
  if (dim === null) {
    const flat = contiguousOf(x);
    if (flat.length === 0) throw new TorchError(`${isMax ? 'argmax' : 'argmin'}(): Expected reduction dim to be specified for input.numel() == 0.`);
    let bi = 0;
    for (let i = 1; i < flat.length; i++) {
      const v = flat[i];
      const b = flat[bi];
      if (b !== b) break;
      if (v !== v || (isMax ? v > b : v < b)) bi = i;
    }
    const y = empty(keepdim ? x.shape.map(() => 1) : [], 'int64');
    y.data[0] = bi;
    return y;
  }
  return withNoGrad(() => maxMinDim(x, dim, keepdim, isMax)[1]);
}

/** all/any over dims (null: everything), as bool. */
export function allAny(x: Tensor, dims: number | readonly number[] | null, keepdim: boolean, isAll: boolean): Tensor {
  const ds = normDims(dims, x.ndim);
  const nz = binaryScalar('ne', x, 0, 'int');
  const cnt = sumKernel(nz, ds, keepdim);
  const n = ds.reduce((p, d) => p * x.shape[d], 1);
  const y = empty(cnt.shape, 'bool');
  for (let i = 0; i < y.numel; i++) y.data[i] = isAll ? (cnt.data[i] === n ? 1 : 0) : cnt.data[i] > 0 ? 1 : 0;
  return y;
}
