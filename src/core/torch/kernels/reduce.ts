// Reduction kernels (no autograd: ops/reduce.ts records the nodes). Every sum accumulates in a double over
// the reduced elements in ascending (row-major) order and rounds once; the autograd's sum_to calls the same
// kernel, so a learner's `db2 = dlogits.sum(0)` equals the autograd's db2 bit for bit. Column sums of a
// contiguous float32 matrix (`.sum(0)`, `.mean(0)`, `.var(0)`) run in wasm: the same additions in the same
// order, so the same bits.

import { isFloat, type DType } from '../dtype.js';
import { TorchError } from '../errors.js';
import { wasm } from '../heap.js';
import { Tensor, empty, forEachRow, forEachRowN, numelOf, zerosOf, type Data } from '../tensor.js';
import { copyCast, roundResult } from './pointwise.js';

/** Wraps a dimension index like PyTorch (negative counts from the end), with its error message. */
export function wrapDim(dim: number, ndim: number): number {
  const n = Math.max(ndim, 1);
  if (!Number.isInteger(dim) || dim < -n || dim >= n) {
    throw new TorchError(`Dimension out of range (expected to be in range of [${-n}, ${n - 1}], but got ${dim})`, 'IndexError');
  }
  return dim < 0 ? dim + n : dim;
}

/** Normalises a dims argument: null means all dimensions; sorted, unique, wrapped. */
export function normDims(dims: number | readonly number[] | null, ndim: number): number[] {
  if (dims === null) return Array.from({ length: ndim }, (_, i) => i);
  const list = typeof dims === 'number' ? [dims] : dims;
  const out = list.map((d) => wrapDim(d, ndim));
  if (new Set(out).size !== out.length) throw new TorchError(`dim ${out.find((d, i) => out.indexOf(d) !== i)} appears multiple times in the list of dims`);
  return out.filter((d) => d < Math.max(ndim, 0) || ndim === 0).sort((a, b) => a - b);
}

export function keptShape(shape: readonly number[], dims: readonly number[], keepdim: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (dims.includes(i)) {
      if (keepdim) out.push(1);
    } else out.push(shape[i]);
  }
  return out;
}

/** The number of elements each output of a reduction over `dims` combines. */
export function reducedCount(shape: readonly number[], dims: readonly number[]): number {
  return dims.reduce((p, d) => p * shape[d], 1);
}

/**
 * acc[o] += x (or (x - center[o])^2 with `center`) over x's elements in row-major order, o being the
 * element's output position; acc and center are contiguous float64 tensors of the output's size.
 */
function accumulate(x: Tensor, dims: readonly number[], acc: Tensor, center: Tensor | null): void {
  if (columnSumsWasm(x, dims, acc, center)) return;
  const nd = x.ndim;
  const xs = x.data;
  const a = acc.data as Float64Array;
  const ab = acc.offset;
  const c = center === null ? null : (center.data as Float64Array);
  const cb = center === null ? 0 : center.offset;
  if (nd === 0 || (dims.length === nd && x.isContiguous)) {
    // everything into acc[0]
    let s = a[ab];
    const m = c === null ? 0 : c[cb];
    const end = x.offset + x.numel;
    if (c === null) for (let i = x.offset; i < end; i++) s += xs[i];
    else for (let i = x.offset; i < end; i++) { const d = xs[i] - m; s += d * d; }
    a[ab] = s;
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
  forEachRowN(x.shape, [x.strides, ostr], [x.offset, 0], (o) => {
    const xo = o[0];
    const oo = o[1];
    if (so === 0) {
      let s = a[ab + oo];
      if (c === null) for (let i = 0; i < n; i++) s += xs[xo + i * sx];
      else {
        const mu = c[cb + oo];
        for (let i = 0; i < n; i++) { const d = xs[xo + i * sx] - mu; s += d * d; }
      }
      a[ab + oo] = s;
    } else if (c === null) {
      for (let i = 0; i < n; i++) a[ab + oo + i * so] += xs[xo + i * sx];
    } else {
      for (let i = 0; i < n; i++) { const d = xs[xo + i * sx] - c[cb + oo + i * so]; a[ab + oo + i * so] += d * d; }
    }
  });
}

/**
 * accumulate for a contiguous float32 tensor reduced over its leading dimensions (column sums of an [r, c]
 * matrix) in wasm (assembly/torch.ts colSumF32), in place in the heap. False when the case is another.
 */
function columnSumsWasm(x: Tensor, dims: readonly number[], acc: Tensor, center: Tensor | null): boolean {
  const q = dims.length;
  if (x.dtype !== 'float32' || q === 0 || q >= x.ndim || x.numel < 256 || !x.isContiguous) return false;
  for (let i = 0; i < q; i++) if (dims[i] !== i) return false;
  const c = acc.numel;
  if (c < 2) return false;
  const k = wasm();
  if (k === null) return false;
  k.colSumF32(acc.offset * 8, x.offset * 4, center === null ? 0 : center.offset * 8, x.numel / c, c);
  return true;
}

/** The sums over dims (float64, contiguous, of the kept shape). */
function sums(x: Tensor, dims: readonly number[], shape: readonly number[]): Tensor {
  const acc = zerosOf(shape, 'float64');
  accumulate(x, dims, acc, null);
  return acc;
}

/** acc (float64) rounded into a new tensor of dtype dt. */
function store(acc: Tensor, dtype: DType): Tensor {
  if (dtype === 'float64') return acc;
  const y = empty(acc.shape, dtype);
  copyCast(y, acc);
  return y;
}

/** x.sum(dims, keepdim): floats keep their dtype, integers and bools sum to int64 (PyTorch's rule). */
export function sumKernel(x: Tensor, dims: readonly number[], keepdim: boolean): Tensor {
  const shape = keptShape(x.shape, dims, keepdim);
  return store(sums(x, dims, shape), isFloat(x.dtype) ? x.dtype : 'int64');
}

/** x.mean(dims, keepdim): the double sum divided by the count, rounded once. */
export function meanKernel(x: Tensor, dims: readonly number[], keepdim: boolean): Tensor {
  const shape = keptShape(x.shape, dims, keepdim);
  const acc = sums(x, dims, shape);
  const n = reducedCount(x.shape, dims);
  const a = acc.data as Float64Array;
  for (let i = acc.offset, end = acc.offset + acc.numel; i < end; i++) a[i] /= n;
  return store(acc, x.dtype);
}

/** var/std with `correction`: two passes in doubles (the mean, then the centered squares), rounded once. */
export function varKernel(x: Tensor, dims: readonly number[], correction: number, keepdim: boolean, std: boolean): Tensor {
  const shape = keptShape(x.shape, dims, keepdim);
  const mu = sums(x, dims, shape);
  const n = reducedCount(x.shape, dims);
  const mv = mu.data as Float64Array;
  for (let i = mu.offset, end = mu.offset + mu.numel; i < end; i++) mv[i] /= n;
  const acc = zerosOf(shape, 'float64');
  accumulate(x, dims, acc, mu);
  const dof = Math.max(0, n - correction);
  const a = acc.data as Float64Array;
  for (let i = acc.offset, end = acc.offset + acc.numel; i < end; i++) a[i] = std ? Math.sqrt(a[i] / dof) : a[i] / dof;
  return store(acc, x.dtype);
}

/**
 * Values and indices of max/min along dim d (already wrapped); ties give the first index, NaN wins (PyTorch's
 * CPU kernels).
 */
export function maxMinDimKernel(x: Tensor, d: number, keepdim: boolean, isMax: boolean): [Tensor, Tensor] {
  const nd = x.ndim;
  const n = nd === 0 ? 1 : x.shape[d];
  const outShape = keptShape(x.shape, nd === 0 ? [] : [d], keepdim);
  const vals = empty(outShape, x.dtype);
  const idxs = empty(outShape, 'int64');
  const src = x.data;
  const vd = vals.data;
  const id = idxs.data;
  forEachLane(x, d, (off, s, r) => {
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
    vd[vals.offset + r] = best;
    id[idxs.offset + r] = bi;
  });
  return [vals, idxs];
}

// ---------------------------------------------------------------------------------------------------------
// lanes: the 1-d slices of a tensor along one dimension (max/min along a dim, cumsum, sort...)

/**
 * Calls f(off, stride, lane) for every lane of x along d (d already wrapped; a 0-d tensor is one lane of
 * one element), lanes in row-major order of the other dimensions.
 */
export function forEachLane(x: Tensor, d: number, f: (off: number, stride: number, lane: number) => void): void {
  if (x.ndim === 0) {
    f(x.offset, 0, 0);
    return;
  }
  const s = x.strides[d];
  const restShape = x.shape.filter((_, i) => i !== d);
  const restStr = x.strides.filter((_, i) => i !== d);
  if (restShape.length === 0) {
    f(x.offset, s, 0);
    return;
  }
  const m = restShape.length;
  const last = restShape[m - 1];
  const ls = restStr[m - 1];
  let r = 0;
  forEachRow(restShape, restStr, x.offset, (off) => {
    for (let j = 0; j < last; j++) f(off + j * ls, s, r++);
  });
}

/** Where lane r along d starts in a contiguous tensor of `shape`, and its stride. */
export function laneOf(shape: readonly number[], d: number, r: number): [number, number] {
  if (shape.length === 0) return [0, 1];
  let inner = 1;
  for (let i = d + 1; i < shape.length; i++) inner *= shape[i];
  return [Math.floor(r / inner) * shape[d] * inner + (r % inner), inner];
}

/**
 * cumsum / cumprod along d (wrapped) into a new tensor of dtype dt: each lane accumulated in a double (ATen's
 * cpu_cum_base_kernel accumulates in acc_type, double for float) and each partial result stored (rounded);
 * `reverse` runs each lane from its end (the backward's reversed cumsum).
 */
export function cumKernel(x: Tensor, d: number, op: 'sum' | 'prod', dt: DType, reverse = false): Tensor {
  const y = empty(x.shape, dt);
  const n = x.ndim === 0 ? 1 : x.shape[d];
  const src = x.data;
  const yd = y.data;
  forEachLane(x, d, (off, s, r) => {
    const [o, os] = laneOf(x.shape, d, r);
    let acc = op === 'sum' ? 0 : 1;
    for (let j = 0; j < n; j++) {
      const i = reverse ? n - 1 - j : j;
      const v = src[off + i * s];
      acc = op === 'sum' ? acc + v : acc * v;
      yd[y.offset + o + i * os] = acc;
    }
  });
  roundResult(y);
  return y;
}

/** The values of t in row-major order as a plain array (a copy when t is not contiguous). */
export function flatValues(t: Tensor): { data: Data | Float64Array; offset: number } {
  if (t.isContiguous) return { data: t.data, offset: t.offset };
  const out = new Float64Array(t.numel);
  const src = t.data;
  const nd = t.ndim;
  const n = t.shape[nd - 1];
  const s = t.strides[nd - 1];
  forEachRow(t.shape, t.strides, t.offset, (off, row) => {
    for (let i = 0; i < n; i++) out[row * n + i] = src[off + i * s];
  });
  return { data: out, offset: 0 };
}

/** max() / min() over everything: the value (NaN wins). */
export function maxMinAllKernel(x: Tensor, isMax: boolean): Tensor {
  if (x.numel === 0) throw new TorchError(`${isMax ? 'max' : 'min'}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.`);
  const { data, offset } = flatValues(x);
  let best = data[offset];
  for (let i = 1; i < x.numel; i++) {
    const v = data[offset + i];
    if (best !== best) break;
    if (v !== v || (isMax ? v > best : v < best)) best = v;
  }
  const y = empty([], x.dtype);
  y.data[y.offset] = best;
  return y;
}

/** argmax/argmin of the flattened tensor (the first index of the extreme, NaN wins). */
export function argFlatKernel(x: Tensor, keepdim: boolean, isMax: boolean): Tensor {
  if (x.numel === 0) throw new TorchError(`${isMax ? 'argmax' : 'argmin'}(): Expected reduction dim to be specified for input.numel() == 0.`);
  const { data, offset } = flatValues(x);
  let bi = 0;
  for (let i = 1; i < x.numel; i++) {
    const v = data[offset + i];
    const b = data[offset + bi];
    if (b !== b) break;
    if (v !== v || (isMax ? v > b : v < b)) bi = i;
  }
  const y = empty(keepdim ? x.shape.map(() => 1) : [], 'int64');
  y.data[y.offset] = bi;
  return y;
}

/** all/any over dims, as bool. */
export function allAnyKernel(x: Tensor, dims: readonly number[], keepdim: boolean, isAll: boolean): Tensor {
  const shape = keptShape(x.shape, dims, keepdim);
  // count the nonzero elements per output (a 0/1 float64 copy summed)
  const nz = empty(x.shape, 'float64');
  {
    const src = x.data;
    const d = nz.data as Float64Array;
    const nd = x.ndim;
    const n = nd === 0 ? 1 : x.shape[nd - 1];
    const s = nd === 0 ? 0 : x.strides[nd - 1];
    forEachRow(nd === 0 ? [1] : x.shape, nd === 0 ? [0] : x.strides, x.offset, (off, row) => {
      for (let i = 0; i < n; i++) d[nz.offset + row * n + i] = src[off + i * s] !== 0 ? 1 : 0;
    });
  }
  const cnt = sums(nz, dims, shape);
  const n = reducedCount(x.shape, dims);
  const y = empty(shape, 'bool');
  const yd = y.data;
  const cd = cnt.data as Float64Array;
  for (let i = 0; i < y.numel; i++) {
    const c = cd[cnt.offset + i];
    yd[y.offset + i] = isAll ? (c === n ? 1 : 0) : c > 0 ? 1 : 0;
  }
  return y;
}

export { numelOf };
