// The n-d tensor: a block of the heap (heap.ts), a dtype, a shape, strides and an offset, so views (`.data`,
// `view`, `.T`, slicing, `select`...) share numbers with their base as in PyTorch.
//
// Arithmetic convention (the same as reference/model.ts and the judge): an elementwise result is computed in
// doubles from the stored operands and rounded once when stored, which equals IEEE float32 arithmetic for
// + - * / sqrt; no fused multiply-add anywhere; reductions accumulate in a double in ascending order and
// round once.
//
// Lifetime. A tensor made inside a scope (every call of the handle surface the Python binding uses opens
// one; TypeScript callers use withScope) is *scoped*: it lives while something owns it (a handle, an
// autograd node's saved value, another tensor's .grad, a view of it) and dies when the last owner lets go;
// one that no one owns when its scope closes dies then. Dying returns its storage to the heap at once, and
// lets go of what it owned in turn (its .grad, its base, its grad_fn's graph). A tensor made outside any
// scope is left to the JavaScript garbage collector, which returns its storage when the object is collected.

import { DTYPES, REPR_BYTES, type DType, type Repr } from './dtype.js';
import { TorchError } from './errors.js';
import { allocStorage, releaseStorage, viewByRepr, type Storage } from './heap.js';
import type { Node } from './graph.js';

export type Data = Float32Array | Float64Array | Int32Array | Int16Array | Int8Array | Uint8Array;

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

export function shapeStr(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------------------
// scopes

let scope: Tensor[] | null = null;

/** GC-managed tensors give their storage back when collected. */
const collected = new FinalizationRegistry<Storage>((s) => releaseStorage(s));

/** Opens a scope; returns what closeScope needs to restore the enclosing one. */
export function openScope(): Tensor[] | null {
  const prev = scope;
  scope = [];
  return prev;
}

/** Closes the innermost scope: its tensors that nothing owns die now. */
export function closeScope(prev: Tensor[] | null): void {
  const list = scope;
  scope = prev;
  if (list === null) return;
  for (let i = 0; i < list.length; i++) {
    const t = list[i];
    if (t.owners === 0) kill(t);
  }
}

/**
 * Runs f in a scope: every tensor it makes and does not leave owned (by a tensor or node that outlives the
 * scope) dies when it returns. f must return plain values, not tensors made inside (copy values out).
 */
export function withScope<T>(f: () => T): T {
  const prev = openScope();
  try {
    const r = f();
    if (r instanceof Tensor && r.scoped && r.owners === 0) throw new Error('internal error: withScope would return a tensor that dies with its scope');
    return r;
  } finally {
    closeScope(prev);
  }
}

export function inScope(): boolean {
  return scope !== null;
}

/** Takes one ownership of t (a handle, a saved value, a .grad, a view's base). */
export function own(t: Tensor): Tensor {
  if (t.dead) throw new Error('internal error: a dead tensor was used');
  t.owners++;
  return t;
}

/** Lets go of one ownership; a scoped tensor no one owns dies. */
export function disown(t: Tensor): void {
  if (--t.owners === 0 && t.scoped) kill(t);
}

/** A scoped tensor's death: its storage back to the heap, and what it owned let go of. */
function kill(t: Tensor): void {
  if (t.dead) return;
  t.dead = true;
  releaseStorage(t.storage);
  const { base, grad, gradFn } = t;
  t.grad = null;
  t.gradFn = null;
  if (base !== null) disown(base);
  if (grad !== null) disown(grad);
  if (gradFn !== null) gradFn.unref();
}

// ---------------------------------------------------------------------------------------------------------
// the tensor

export class Tensor {
  /** true for a leaf that requires grad, and for every output that has a grad_fn */
  requiresGrad = false;
  /** the node that made it (owned: set it with setGradFn) */
  gradFn: Node | null = null;
  /** its gradient (owned: set it with setGradField) */
  grad: Tensor | null = null;
  retainsGrad = false;
  /** the tensor that owns the storage when this is a view (contiguous, offset 0), else null (owned) */
  base: Tensor | null = null;
  /** the AccumulateGrad node of a leaf that requires grad (a cache: the graph owns it) */
  accumulator: Node | null = null;
  /** how many things own it (scoped tensors die at zero) */
  owners = 0;
  dead = false;
  /** made inside a scope: dies deterministically; else the garbage collector frees its storage */
  readonly scoped: boolean;
  readonly numel: number;
  readonly repr: Repr;

  constructor(
    readonly storage: Storage,
    readonly dtype: DType,
    readonly shape: readonly number[],
    readonly strides: readonly number[],
    /** the first element's index in the dtype's typed view of the whole heap (t.data[t.offset]) */
    readonly offset: number,
    readonly version: Version,
  ) {
    this.numel = numelOf(shape);
    this.repr = DTYPES[dtype].repr;
    storage.refs++;
    if (scope !== null) {
      this.scoped = true;
      scope.push(this);
    } else {
      this.scoped = false;
      collected.register(this, storage);
    }
  }

  /** The typed view of the whole heap this tensor's elements are in: t.data[t.offset + ...]. */
  get data(): Data {
    return viewByRepr[this.repr];
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

  /** The storage offset PyTorch reports (x.storage_offset()), in elements. */
  get storageOffset(): number {
    return this.offset - this.storage.ptr / REPR_BYTES[this.repr];
  }
}

/** Sets t.gradFn, keeping the nodes' reference counts. */
export function setGradFn(t: Tensor, node: Node | null): void {
  const old = t.gradFn;
  if (node !== null) node.ref();
  t.gradFn = node;
  if (old !== null) old.unref();
}

/** Sets t.grad, keeping ownership. */
export function setGradField(t: Tensor, g: Tensor | null): void {
  const old = t.grad;
  if (g !== null) own(g);
  t.grad = g;
  if (old !== null) disown(old);
}

/** A fresh contiguous tensor over new storage whose contents are undefined: the caller writes every element. */
export function empty(shape: readonly number[], dtype: DType): Tensor {
  const n = numelOf(shape);
  const rb = REPR_BYTES[DTYPES[dtype].repr];
  if (n * rb > 2 ** 32) tooLarge(shape, dtype);
  const s = allocStorage(n * rb);
  return new Tensor(s, dtype, shape.slice(), contiguousStrides(shape), s.ptr / rb, new Version());
}

/** PyTorch's messages for a tensor no memory holds: past int64 bytes, or past what the allocator gets. */
function tooLarge(shape: readonly number[], dtype: DType): never {
  const bytes = shape.reduce((p, d) => p * BigInt(d), 1n) * BigInt(DTYPES[dtype].itemsize);
  if (bytes > 2n ** 63n - 1n) throw new TorchError(`Storage size calculation overflowed with sizes=[${shape.join(', ')}]`);
  throw new TorchError(`[enforce fail at alloc_cpu.cpp:75] err == 0. DefaultCPUAllocator: can't allocate memory: you tried to allocate ${bytes} bytes. Error code 12 (Cannot allocate memory)`);
}

/** A fresh contiguous tensor of zeros. */
export function zerosOf(shape: readonly number[], dtype: DType): Tensor {
  const t = empty(shape, dtype);
  t.data.fill(0, t.offset, t.offset + t.numel);
  return t;
}

/** A contiguous tensor holding a copy of `values` (already of the dtype's values: no rounding here). */
export function fromData(values: ArrayLike<number>, dtype: DType, shape: readonly number[]): Tensor {
  if (values.length !== numelOf(shape)) throw new TorchError(`shape '${shapeStr(shape)}' is invalid for input of size ${values.length}`);
  const t = empty(shape, dtype);
  t.data.set(values, t.offset);
  return t;
}

/** A view of t's storage with another geometry (offset in heap elements); autograd is the caller's business. */
export function viewOf(t: Tensor, shape: readonly number[], strides: readonly number[], offset: number): Tensor {
  const v = new Tensor(t.storage, t.dtype, shape, strides, offset, t.version);
  v.base = own(t.root);
  return v;
}

/**
 * The library's one n-d walk. For every "row" of `shape` (all dimensions but the last) in row-major order,
 * calls f(offs, row) with offs[k] the row's first element in operand k (start starts[k], strides strides[k]);
 * the caller walks the last dimension itself with each operand's last stride. `offs` is one array reused
 * for every row: read it, do not keep it. A 0-d shape is one row of one element.
 */
export function forEachRowN(shape: readonly number[], strides: readonly (readonly number[])[], starts: readonly number[], f: (offs: Float64Array, row: number) => void): void {
  const nd = shape.length;
  const K = starts.length;
  const offs = Float64Array.from(starts);
  if (nd <= 1) {
    if (nd === 0 || shape[0] > 0) f(offs, 0);
    return;
  }
  let rows = 1;
  for (let d = 0; d < nd - 1; d++) rows *= shape[d];
  if (rows === 0 || shape[nd - 1] === 0) return;
  const idx = new Int32Array(nd - 1);
  for (let r = 0; r < rows; r++) {
    f(offs, r);
    for (let d = nd - 2; d >= 0; d--) {
      idx[d]++;
      for (let k = 0; k < K; k++) offs[k] += strides[k][d];
      if (idx[d] < shape[d]) break;
      for (let k = 0; k < K; k++) offs[k] -= strides[k][d] * shape[d];
      idx[d] = 0;
    }
  }
}

/** forEachRowN for one operand: f(offset, row). */
export function forEachRow(shape: readonly number[], strides: readonly number[], offset: number, f: (off: number, row: number) => void): void {
  forEachRowN(shape, [strides], [offset], (o, r) => f(o[0], r));
}

/** t's values in row-major order, copied out of the heap into a new array of its representation. */
export function valuesOf(t: Tensor): Data {
  const src = t.data;
  const out = new (src.constructor as new (n: number) => Data)(t.numel);
  if (t.isContiguous) {
    out.set(src.subarray(t.offset, t.offset + t.numel) as never);
    return out;
  }
  const nd = t.ndim;
  const n = t.shape[nd - 1];
  const s = t.strides[nd - 1];
  forEachRow(t.shape, t.strides, t.offset, (off, row) => {
    for (let i = 0; i < n; i++) out[row * n + i] = src[off + i * s];
  });
  return out;
}
