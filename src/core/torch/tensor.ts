// The n-d tensor of the `torch` library: a typed storage, a shape, strides and a storage offset, so views
// (`.data`, `view`, `.T`, slicing, `select`, `squeeze`...) share numbers with their base as in PyTorch.
//
// dtypes: float32 (the default), float64, int64 and bool. int64 is stored in a Float64Array of exact
// integers, so it is exact only up to 2^53 in magnitude: results past that raise instead of rounding.
// Arithmetic convention (the same as reference/model.ts and the judge): an elementwise result is computed
// in doubles from the stored operands and rounded once when stored, which equals IEEE float32 arithmetic
// for + - * / sqrt; no fused multiply-add anywhere; reductions accumulate in a double in ascending order and
// round once.

import type { Node } from './autograd.js';

export type DType = 'float32' | 'float64' | 'int64' | 'bool';
export type Data = Float32Array | Float64Array | Uint8Array;

/** The largest magnitude an int64 holds exactly here (a Float64Array of integers). */
export const INT64_LIMIT = 2 ** 53;

export class TorchError extends Error {
  constructor(message: string, readonly pyType: 'RuntimeError' | 'IndexError' | 'TypeError' | 'ValueError' = 'RuntimeError') {
    super(message);
    this.name = pyType;
  }
}

export function alloc(dtype: DType, n: number): Data {
  switch (dtype) {
    case 'float32': return new Float32Array(n);
    case 'float64':
    case 'int64': return new Float64Array(n);
    case 'bool': return new Uint8Array(n);
  }
}

export const isFloat = (d: DType): boolean => d === 'float32' || d === 'float64';

/** Rounds a double to what a `dtype` storage would keep (ints truncate toward zero as PyTorch's casts). */
export function roundTo(dtype: DType, x: number): number {
  switch (dtype) {
    case 'float32': return Math.fround(x);
    case 'float64': return x;
    case 'int64': {
      const v = Math.trunc(x);
      if (!(Math.abs(v) <= INT64_LIMIT)) throw int64Overflow(x);
      return v;
    }
    case 'bool': return x !== 0 ? 1 : 0;
  }
}

export function int64Overflow(x: number): TorchError {
  return new TorchError(`int64 value ${x} is past 2^53, the largest integer this library holds exactly`);
}

/** Shared by a tensor and its views; in-place ops bump it, and backward checks saved tensors against it. */
export class Version {
  v = 0;
}

export function numelOf(shape: readonly number[]): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  return n;
}

export function contiguousStrides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

export class Tensor {
  /** true for a leaf that requires grad, and for every output that has a grad_fn */
  requiresGrad = false;
  gradFn: Node | null = null;
  grad: Tensor | null = null;
  retainsGrad = false;
  /** the tensor that owns the storage when this is a view (contiguous, offset 0), else null */
  base: Tensor | null = null;
  /** the AccumulateGrad node of a leaf that requires grad, made once */
  accumulator: Node | null = null;
  readonly numel: number;

  constructor(
    readonly data: Data,
    readonly dtype: DType,
    readonly shape: readonly number[],
    readonly strides: readonly number[],
    readonly offset: number,
    readonly version: Version,
  ) {
    this.numel = numelOf(shape);
  }

  get ndim(): number {
    return this.shape.length;
  }

  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  /** strides are row-major for the shape (size-1 dimensions may have any stride) */
  get isContiguous(): boolean {
    let acc = 1;
    for (let i = this.shape.length - 1; i >= 0; i--) {
      if (this.shape[i] !== 1 && this.strides[i] !== acc) return false;
      acc *= this.shape[i];
    }
    return true;
  }

  /** the tensor whose storage this one reads: itself unless it is a view */
  get root(): Tensor {
    return this.base ?? this;
  }
}

/** A fresh contiguous tensor owning new zeroed storage. */
export function empty(shape: readonly number[], dtype: DType): Tensor {
  return new Tensor(alloc(dtype, numelOf(shape)), dtype, shape.slice(), contiguousStrides(shape), 0, new Version());
}

/** A contiguous tensor over existing data (no copy). */
export function fromData(data: Data, dtype: DType, shape: readonly number[]): Tensor {
  if (data.length !== numelOf(shape)) throw new TorchError(`shape '${shapeStr(shape)}' is invalid for input of size ${data.length}`);
  return new Tensor(data, dtype, shape.slice(), contiguousStrides(shape), 0, new Version());
}

/** A view of t's storage with another geometry; autograd is the caller's business. */
export function viewOf(t: Tensor, shape: readonly number[], strides: readonly number[], offset: number): Tensor {
  const v = new Tensor(t.data, t.dtype, shape, strides, offset, t.version);
  v.base = t.root;
  return v;
}

export function shapeStr(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** PyTorch's name for a storage type in messages: torch.FloatTensor etc. */
export function legacyTypeName(dtype: DType): string {
  return { float32: 'torch.FloatTensor', float64: 'torch.DoubleTensor', int64: 'torch.LongTensor', bool: 'torch.BoolTensor' }[dtype];
}

/**
 * Calls f(offset, rowIndex) for every "row" of t (all dimensions but the last), in row-major order; the
 * caller walks the last dimension itself with stride t.strides[last]. Walks with a counter, no allocation
 * past one small array.
 */
export function forEachRow(shape: readonly number[], strides: readonly number[], offset: number, f: (off: number, row: number) => void): void {
  const nd = shape.length;
  if (nd <= 1) {
    f(offset, 0);
    return;
  }
  let rows = 1;
  for (let d = 0; d < nd - 1; d++) rows *= shape[d];
  if (rows === 0) return;
  const idx = new Array<number>(nd - 1).fill(0);
  let off = offset;
  for (let r = 0; r < rows; r++) {
    f(off, r);
    for (let d = nd - 2; d >= 0; d--) {
      idx[d]++;
      off += strides[d];
      if (idx[d] < shape[d]) break;
      off -= strides[d] * shape[d];
      idx[d] = 0;
    }
  }
}

/** The flat storage offsets of t's elements in row-major order. */
export function offsets(t: Tensor): Int32Array {
  const out = new Int32Array(t.numel);
  if (t.isContiguous) {
    for (let i = 0; i < out.length; i++) out[i] = t.offset + i;
    return out;
  }
  const nd = t.ndim;
  const n = nd === 0 ? 1 : t.shape[nd - 1];
  const s = nd === 0 ? 0 : t.strides[nd - 1];
  forEachRow(t.shape, t.strides, t.offset, (off, row) => {
    for (let i = 0; i < n; i++) out[row * n + i] = off + i * s;
  });
  return out;
}

/** t's values in row-major order, in a new array of dtype `to` (t's own dtype by default). */
export function toContiguousData(t: Tensor, to: DType = t.dtype): Data {
  const out = alloc(to, t.numel);
  const src = t.data;
  if (t.isContiguous && to === t.dtype) {
    out.set(src.subarray(t.offset, t.offset + t.numel) as never);
    return out;
  }
  const conv = to === 'int64' ? (x: number) => roundTo('int64', x) : null;
  const nd = t.ndim;
  const n = nd === 0 ? 1 : t.shape[nd - 1];
  const s = nd === 0 ? 0 : t.strides[nd - 1];
  if (conv !== null) {
    forEachRow(t.shape, t.strides, t.offset, (off, row) => {
      for (let i = 0; i < n; i++) out[row * n + i] = conv(src[off + i * s]);
    });
  } else if (to === 'bool') {
    forEachRow(t.shape, t.strides, t.offset, (off, row) => {
      for (let i = 0; i < n; i++) out[row * n + i] = src[off + i * s] !== 0 ? 1 : 0;
    });
  } else {
    forEachRow(t.shape, t.strides, t.offset, (off, row) => {
      for (let i = 0; i < n; i++) out[row * n + i] = src[off + i * s];
    });
  }
  return out;
}

/** The contiguous data of t without copying when t already is contiguous at offset 0 and of dtype `to`. */
export function contiguousData(t: Tensor, to: DType = t.dtype): Data {
  if (to === t.dtype && t.isContiguous && t.offset === 0 && t.data.length === t.numel) return t.data;
  return toContiguousData(t, to);
}
