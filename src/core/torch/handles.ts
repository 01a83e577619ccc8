// The flat surface a language binding calls: every tensor lives in a handle table (an integer per tensor,
// owned by its handle and released by free() when the other language drops it), and every function takes
// and returns handles, numbers and strings. `scoped` wraps functions so each call runs in a lifetime scope
// (tensor.ts): what a call makes and no one owns when it returns is freed then.
//
// Conventions: dtype names as dtype.ts; a Python number comes with its kind 'int' | 'float' | 'bool' (weak
// promotion); dims lists are arrays, null for "all"; -1 as a handle means None. Errors are TorchErrors
// whose pyType is the Python exception type (RuntimeError, IndexError...).
//
// Index specs are flat number arrays, one item after another:
//   0 i            an int                      3              Ellipsis
//   1 a b c        a slice (NaN for None)       4 h            a tensor (integer or bool) by handle
//   2              None                         5 a b c        range(a, b, c) (an int64 index)
//   6 k v1 .. vk   a list of k ints (an int64 index)

import type { DType, ScalarKind } from './dtype.js';
import { TorchError } from './errors.js';
import { isGradEnabled as gradOn, setGradEnabled as setGrad } from './graph.js';
import { Tensor, closeScope, disown, empty, openScope, own, sameShape, setGradFn, setGradField, valuesOf, type Data } from './tensor.js';
import { BINARY_OPS, UNARY_OPS, type BinaryOp, type UnaryOp } from './kernels/pointwise.js';
import * as P from './ops/pointwise.js';
import * as R from './ops/reduce.js';
import * as S from './ops/shape.js';
import * as N from './ops/nn.js';
import { addmm as addmmOp, bmm as bmmOp } from './ops/linalg.js';
import { backward as runBackward } from './engine.js';
import * as IP from './inplace.js';
import * as FN from './functional.js';
import * as FA from './factory.js';
import type { Reduction } from './kernels/softmax.js';
import { formatTensor, type PrintOptions } from './format.js';

const table: (Tensor | undefined)[] = [];
const freeList: number[] = [];
let live = 0;

// Memory pressure: a binding frees handles in batches, so a tensor its program has dropped lives on until
// the batch is handed over. Counting the bytes of new storage registered lets the binding hand its batch
// over early when they add up. One watcher per process, like the table itself.
let registeredBytes = 0;
let pressureBytes = Infinity;
let onPressure: (() => void) | null = null;

/** Calls `cb` each time tensors with `bytes` of new storage in all have been registered since the last call (null: stop). */
export function watchAllocations(bytes: number, cb: (() => void) | null): void {
  pressureBytes = bytes;
  onPressure = cb;
  registeredBytes = 0;
}

/** Puts a tensor in the table (the handle owns it) and returns its handle. */
export function register(t: Tensor): number {
  if (onPressure !== null && t.base === null) {
    registeredBytes += t.numel * 4;
    if (registeredBytes >= pressureBytes) {
      registeredBytes = 0;
      onPressure();
    }
  }
  own(t);
  live++;
  const h = freeList.pop();
  if (h !== undefined) {
    table[h] = t;
    return h;
  }
  table.push(t);
  return table.length - 1;
}

/** The tensor of a handle (throws on a freed or unknown handle). */
export function get(h: number): Tensor {
  const t = table[h];
  if (t === undefined) throw new TorchError(`tensor handle ${h} is not live (freed or never made)`);
  return t;
}

function opt(h: number): Tensor | null {
  return h < 0 ? null : get(h);
}

/** Releases a handle (the binding's object was dropped). The tensor lives on while something else owns it. */
export function free(h: number): void {
  const t = table[h];
  if (t === undefined) return;
  table[h] = undefined;
  freeList.push(h);
  live--;
  disown(t);
}

/** How many handles are live (for leak tests). */
export function liveHandles(): number {
  return live;
}

/**
 * The same functions, each call in a lifetime scope: tensors a call makes that no handle (or tensor, or
 * node) owns when it returns are freed then.
 */
export function scoped<T extends Record<string, unknown>>(fns: T): T {
  const out = {} as Record<string, unknown>;
  for (const [k, v] of Object.entries(fns)) {
    if (typeof v !== 'function') {
      out[k] = v;
      continue;
    }
    const f = v as (...a: unknown[]) => unknown;
    out[k] = (...a: unknown[]): unknown => {
      const prev = openScope();
      try {
        return f(...a);
      } finally {
        closeScope(prev);
      }
    };
  }
  return out as T;
}

const Rg = register;

// ---------------------------------------------------------------------------------------------------------
// metadata

export function shape(h: number): number[] {
  return get(h).shape.slice();
}
export function dtype(h: number): DType {
  return get(h).dtype;
}
export function ndim(h: number): number {
  return get(h).ndim;
}
export function numel(h: number): number {
  return get(h).numel;
}
export function requiresGrad(h: number): boolean {
  return get(h).requiresGrad;
}
export function isLeaf(h: number): boolean {
  return get(h).gradFn === null;
}
export function retainsGrad(h: number): boolean {
  return get(h).retainsGrad;
}
/** PyTorch's node name of grad_fn ('MulBackward0'), or null for None. */
export function gradFn(h: number): string | null {
  return FN.gradFnName(get(h));
}
export function isContiguous(h: number): boolean {
  return get(h).isContiguous;
}
export function strides(h: number): number[] {
  return get(h).strides.slice();
}
export function storageOffset(h: number): number {
  return get(h).storageOffset;
}
/** Whether two handles are the same tensor object (Python `is` on tensors from several handles). */
export function same(a: number, b: number): boolean {
  return get(a) === get(b);
}
/** A number identifying the storage (x.data_ptr(): equal for views of one storage). */
export function dataPtr(h: number): number {
  const t = get(h);
  return t.offset * (t.data.BYTES_PER_ELEMENT);
}
export function version(h: number): number {
  return get(h).version.v;
}

// ---------------------------------------------------------------------------------------------------------
// creation

export function fromValues(values: ArrayLike<number>, shp: ArrayLike<number>, dt: DType): number {
  return Rg(FA.fromValues(values, Array.from(shp), dt));
}
export function full(shp: ArrayLike<number>, value: number, dt: DType): number {
  return Rg(FA.full(Array.from(shp), value, dt));
}
/** zeros/ones/full/empty_like: x's shape, dtype dt (x's when null). */
export function fullLike(h: number, value: number, dt: DType | null): number {
  const x = get(h);
  return Rg(FA.full(x.shape, value, dt ?? x.dtype));
}
export function arange(start: number, end: number, step: number, dt: DType): number {
  return Rg(FA.arange(start, end, step, dt));
}
export function eye(n: number, m: number, dt: DType): number {
  return Rg(FA.eye(n, m, dt));
}
export function linspace(start: number, end: number, steps: number, dt: DType): number {
  return Rg(FA.linspace(start, end, steps, dt));
}

// random: generators are registered objects, by integer id
const generators: FA.RandomSource[] = [];
export function registerGenerator(g: FA.RandomSource): number {
  generators.push(g);
  return generators.length - 1;
}
function gen(id: number): FA.RandomSource {
  const g = generators[id];
  if (g === undefined) throw new TorchError(`generator ${id} is not registered`);
  return g;
}
export function randn(shp: ArrayLike<number>, dt: DType, g: number): number {
  return Rg(FA.randn(Array.from(shp), gen(g), dt));
}
export function rand(shp: ArrayLike<number>, dt: DType, g: number): number {
  return Rg(FA.rand(Array.from(shp), gen(g), dt));
}
export function randint(low: number, high: number, shp: ArrayLike<number>, dt: DType, g: number): number {
  return Rg(FA.randint(low, high, Array.from(shp), gen(g), dt));
}
export function multinomial(h: number, n: number, replacement: boolean, g: number): number {
  return Rg(FA.multinomial(get(h), n, replacement, gen(g)));
}
/** x.normal_(mean, std) / x.uniform_(from, to) in place. */
export function randomFill(h: number, kind: 'normal' | 'uniform', a: number, b: number, g: number): number {
  FA.randomFill(get(h), kind, a, b, gen(g));
  return h;
}

// ---------------------------------------------------------------------------------------------------------
// arithmetic

/** The op names in code order (the binding passes codes, not strings). */
export { BINARY_OPS, UNARY_OPS };
/** An op by code (what a binding passes: a number crosses the boundary cheaper than a string) or by name. */
const binOp = (op: number | BinaryOp): BinaryOp => {
  const name = typeof op === 'string' ? (BINARY_OPS.includes(op) ? op : undefined) : BINARY_OPS[op];
  if (name === undefined) throw new TorchError(`bad binary op ${op}`);
  return name;
};
const unOp = (op: number | UnaryOp): UnaryOp => {
  const name = typeof op === 'string' ? (UNARY_OPS.includes(op) ? op : undefined) : UNARY_OPS[op];
  if (name === undefined) throw new TorchError(`bad unary op ${op}`);
  return name;
};

/** a (op) b for tensors, op by code (BINARY_OPS). */
export function binary(op: number | BinaryOp, a: number, b: number): number {
  return Rg(P.binary(binOp(op), get(a), get(b)));
}
/** a (op) x, or x (op) a when reverse (Python's __rsub__ etc.), for a Python number x of `kind`. */
export function binaryScalar(op: number | BinaryOp, a: number, x: number, kind: ScalarKind, reverse: boolean): number {
  return Rg(P.binaryScalar(binOp(op), get(a), x, kind, reverse));
}
/** a (op)= b in place; returns a's handle (Python's __iadd__ returns self). */
export function binaryInplace(op: number | BinaryOp, a: number, b: number): number {
  IP.binaryInplace(binOp(op), get(a), get(b));
  return a;
}
export function binaryScalarInplace(op: number | BinaryOp, a: number, x: number, kind: ScalarKind): number {
  IP.binaryInplace(binOp(op), get(a), x, kind);
  return a;
}
/** f(a) elementwise, op by code (UNARY_OPS). */
export function unary(op: number | UnaryOp, a: number): number {
  return Rg(P.unary(unOp(op), get(a)));
}
export function unaryInplace(op: number | UnaryOp, a: number): number {
  IP.unaryInplace(unOp(op), get(a));
  return a;
}
/** clamp(min, max), NaN for a missing bound. */
export function clamp(a: number, min: number, max: number): number {
  return Rg(P.clamp(get(a), Number.isNaN(min) ? null : min, Number.isNaN(max) ? null : max));
}
export function clampInplace(a: number, min: number, max: number): number {
  IP.clampInplace(get(a), Number.isNaN(min) ? null : min, Number.isNaN(max) ? null : max);
  return a;
}
export function where(c: number, a: number, b: number): number {
  return Rg(P.where(get(c), get(a), get(b)));
}
export function matmul(a: number, b: number): number {
  return Rg(FN.matmul(get(a), get(b)));
}
export function bmm(a: number, b: number): number {
  return Rg(bmmOp(get(a), get(b)));
}
/** torch.addmm(bias, a, b) (beta = alpha = 1). */
export function addmm(bias: number, a: number, b: number): number {
  return Rg(addmmOp(get(bias), get(a), get(b)));
}
/** F.embedding(indices, weight, padding_idx (NaN for None)). */
export function embedding(w: number, idx: number, paddingIdx: number): number {
  return Rg(N.embedding(get(w), get(idx), Number.isNaN(paddingIdx) ? null : paddingIdx));
}
/** native_batch_norm's normalisation with the given statistics (-1 for no weight / bias). */
export function batchNorm(x: number, w: number, b: number, mean: number, variance: number, eps: number, training: boolean): number {
  return Rg(N.batchNorm(get(x), opt(w), opt(b), get(mean), get(variance), eps, training));
}
/** native_layer_norm over the last k dims (-1 for no weight / bias). */
export function layerNorm(x: number, k: number, w: number, b: number, eps: number): number {
  return Rg(N.layerNorm(get(x), k, opt(w), opt(b), eps));
}
/** torch.einsum(equation, a[, b]). */
export function einsum(equation: string, hs: ArrayLike<number>): number {
  return Rg(FN.einsum(equation, Array.from(hs, get)));
}
/** torch.histogram(x, bins, range=(lo, hi) or NaNs for None, density) -> [hist, bin_edges]. */
export function histogram(a: number, bins: number, lo: number, hi: number, density: boolean): [number, number] {
  const [h, e] = FN.histogram(get(a), bins, Number.isNaN(lo) ? null : [lo, hi], density);
  return [Rg(h), Rg(e)];
}
export function histc(a: number, bins: number, min: number, max: number): number {
  return Rg(FN.histc(get(a), bins, min, max));
}

// ---------------------------------------------------------------------------------------------------------
// reductions

export type ReduceOp = 'sum' | 'mean' | 'var' | 'std' | 'amax' | 'amin' | 'all' | 'any' | 'max' | 'min' | 'argmax' | 'argmin';

/**
 * One reduction over dims (null: all). `correction` is var/std's (1 unbiased, 0 biased). max/min with dims
 * null is the full reduction (a value); with a dim use maxDim. argmax/argmin take one dim or null.
 */
export function reduce(op: ReduceOp, a: number, dims: number | ArrayLike<number> | null, keepdim: boolean, correction = 1): number {
  const x = get(a);
  const ds = dims === null ? null : typeof dims === 'number' ? dims : Array.from(dims);
  switch (op) {
    case 'sum': return Rg(R.sumDims(x, ds, keepdim));
    case 'mean': return Rg(R.mean(x, ds, keepdim));
    case 'var': return Rg(R.variance(x, ds, correction, keepdim, false));
    case 'std': return Rg(R.variance(x, ds, correction, keepdim, true));
    case 'amax': return Rg(R.amaxAmin(x, ds, keepdim, true));
    case 'amin': return Rg(R.amaxAmin(x, ds, keepdim, false));
    case 'all': return Rg(R.allAny(x, ds, keepdim, true));
    case 'any': return Rg(R.allAny(x, ds, keepdim, false));
    case 'max':
    case 'min':
      if (ds !== null) throw new TorchError(`${op} over a dim returns (values, indices): use maxDim`);
      return Rg(R.maxMinAll(x, op === 'max'));
    case 'argmax':
    case 'argmin': {
      if (ds !== null && typeof ds !== 'number' && ds.length !== 1) throw new TorchError(`${op} takes one dim`);
      const d = ds === null ? null : typeof ds === 'number' ? ds : ds[0];
      return Rg(R.argMaxMin(x, d, keepdim, op === 'argmax'));
    }
  }
}

/** x.max(dim) / x.min(dim): [values handle, indices handle]. */
export function maxDim(op: 'max' | 'min', a: number, dim: number, keepdim: boolean): [number, number] {
  const [v, i] = R.maxMinDim(get(a), dim, keepdim, op === 'max');
  return [Rg(v), Rg(i)];
}

// ---------------------------------------------------------------------------------------------------------
// shapes and views

export function view(a: number, shp: ArrayLike<number>): number {
  return Rg(S.view(get(a), Array.from(shp)));
}
export function reshape(a: number, shp: ArrayLike<number>): number {
  return Rg(S.reshape(get(a), Array.from(shp)));
}
export function permute(a: number, dims: ArrayLike<number>): number {
  return Rg(S.permute(get(a), Array.from(dims)));
}
export function transpose(a: number, d0: number, d1: number): number {
  return Rg(S.transpose(get(a), d0, d1));
}
/** x.t() */
export function t(a: number): number {
  return Rg(S.t(get(a)));
}
/** x.T */
export function T(a: number): number {
  return Rg(S.T(get(a)));
}
/** squeeze(dim), null for all */
export function squeeze(a: number, dim: number | null): number {
  return Rg(S.squeeze(get(a), dim));
}
export function unsqueeze(a: number, dim: number): number {
  return Rg(S.unsqueeze(get(a), dim));
}
export function expand(a: number, shp: ArrayLike<number>): number {
  return Rg(S.expand(get(a), Array.from(shp)));
}
export function select(a: number, dim: number, index: number): number {
  return Rg(S.select(get(a), dim, index));
}
export function contiguous(a: number): number {
  return Rg(S.contiguous(get(a)));
}
export function clone(a: number): number {
  return Rg(S.clone(get(a)));
}
export function detach(a: number): number {
  return Rg(S.detach(get(a)));
}
/** x.data */
export function data(a: number): number {
  return Rg(S.dataOf(get(a)));
}
/**
 * `x.data = y`: handle a now reads y's storage, shape and dtype, keeping x's autograd identity (requires_grad,
 * grad, grad_fn, retain_grad) and version counter, as PyTorch's set_data does. Graphs recorded before keep
 * the old tensor (PyTorch's do too: their saved values were taken before).
 */
export function setData(a: number, b: number): void {
  const x = get(a);
  const y = get(b);
  if (x.storage === y.storage && x.offset === y.offset && x.dtype === y.dtype && sameShape(x.shape, y.shape) && x.strides.every((s, i) => s === y.strides[i])) return;
  const t = new Tensor(y.storage, y.dtype, y.shape.slice(), y.strides.slice(), y.offset, x.version);
  t.requiresGrad = x.requiresGrad;
  if (x.gradFn !== null) setGradFn(t, x.gradFn);
  if (x.grad !== null) setGradField(t, x.grad);
  t.retainsGrad = x.retainsGrad;
  own(t);
  table[a] = t;
  disown(x);
}
/** x.to(dtype), .float(), .double(), .long(), .bool(): the same tensor's new handle when already dt. */
export function to(a: number, dt: DType): number {
  return Rg(P.castTo(get(a), dt));
}
/** x.split(size or sizes, dim): handles. */
export function split(a: number, sizes: number | ArrayLike<number>, dim: number): number[] {
  return S.split(get(a), typeof sizes === 'number' ? sizes : Array.from(sizes), dim).map(Rg);
}
export function tensorSplit(a: number, sections: number | ArrayLike<number>, dim: number): number[] {
  return S.tensorSplit(get(a), typeof sections === 'number' ? sections : Array.from(sections), dim).map(Rg);
}
export function cat(hs: ArrayLike<number>, dim: number): number {
  return Rg(S.cat(Array.from(hs, get), dim));
}
export function stack(hs: ArrayLike<number>, dim: number): number {
  return Rg(S.stack(Array.from(hs, get), dim));
}

// ---------------------------------------------------------------------------------------------------------
// indexing

const NONE = (v: number): number | null => (Number.isNaN(v) ? null : v);

/** Decodes a flat index spec (see the header). */
export function decodeSpec(spec: ArrayLike<number>): IP.IndexItem[] {
  const items: IP.IndexItem[] = [];
  let i = 0;
  while (i < spec.length) {
    const code = spec[i++];
    switch (code) {
      case 0: items.push({ kind: 'int', i: spec[i++] }); break;
      case 1: items.push({ kind: 'slice', start: NONE(spec[i]), stop: NONE(spec[i + 1]), step: NONE(spec[i + 2]) }); i += 3; break;
      case 2: items.push({ kind: 'none' }); break;
      case 3: items.push({ kind: 'ellipsis' }); break;
      case 4: items.push({ kind: 'tensor', t: get(spec[i++]) }); break;
      case 5: {
        const [a, b, c] = [spec[i], spec[i + 1], spec[i + 2]];
        i += 3;
        const n = Math.max(0, Math.ceil((b - a) / c));
        items.push({ kind: 'tensor', t: FA.fromValues(Array.from({ length: n }, (_, k) => a + k * c), [n], 'int64') });
        break;
      }
      case 6: {
        const k = spec[i++];
        const vals = Array.from({ length: k }, (_, j) => spec[i + j]);
        i += k;
        items.push({ kind: 'tensor', t: FA.fromValues(vals, [k], 'int64') });
        break;
      }
      default: throw new TorchError(`bad index spec code ${code}`);
    }
  }
  return items;
}

export function getitem(a: number, spec: ArrayLike<number>): number {
  return Rg(IP.getitem(get(a), decodeSpec(spec)));
}
export function setitem(a: number, spec: ArrayLike<number>, v: number): void {
  IP.setitem(get(a), decodeSpec(spec), get(v));
}
/** getitem with the items already decoded (the binding's common subscripts). */
export function getitemItems(a: number, items: readonly IP.IndexItem[]): number {
  return Rg(IP.getitem(get(a), items));
}
export function setitemItems(a: number, items: readonly IP.IndexItem[], v: number): void {
  IP.setitem(get(a), items, get(v));
}
/** x[spec] = number: the number takes x's dtype. */
export function setitemScalar(a: number, spec: ArrayLike<number>, x: number): void {
  const t = get(a);
  IP.setitem(t, decodeSpec(spec), FA.full([], x, t.dtype));
}
export function copy_(a: number, b: number): number {
  IP.copyInto(get(a), get(b));
  return a;
}
export function indexAdd_(a: number, dim: number, index: number, source: number, alpha: number): number {
  IP.indexAdd(get(a), dim, get(index), get(source), alpha);
  return a;
}
export function fill_(a: number, x: number): number {
  IP.fill(get(a), x);
  return a;
}
export function zero_(a: number): number {
  IP.zero(get(a));
  return a;
}

// ---------------------------------------------------------------------------------------------------------
// values

/** x.item() as a number (float32 values exactly as stored; bool 0/1). */
export function item(a: number): number {
  return FN.item(get(a));
}
/** The values in row-major order (a copy, in the dtype's representation). */
export function values(a: number): Data {
  return valuesOf(get(a));
}
export function allclose(a: number, b: number, rtol: number, atol: number, equalNan: boolean): boolean {
  return FN.allclose(get(a), get(b), rtol, atol, equalNan);
}
export function isclose(a: number, b: number, rtol: number, atol: number, equalNan: boolean): number {
  return Rg(FN.isclose(get(a), get(b), rtol, atol, equalNan));
}
export function equal(a: number, b: number): boolean {
  return FN.equal(get(a), get(b));
}
/** What format.ts's formatTensor takes: shape, dtype, values, requiresGrad, gradFn. */
export function formatInput(a: number): { shape: number[]; dtype: DType; data: Data; requiresGrad: boolean; gradFn: string | null } {
  const x = get(a);
  return { shape: x.shape.slice(), dtype: x.dtype, data: valuesOf(x), requiresGrad: x.requiresGrad, gradFn: FN.gradFnName(x) };
}

/** repr(x) as PyTorch 1.13 prints it (format.ts), in one call. */
export function repr(a: number, opts?: PrintOptions): string {
  return formatTensor(formatInput(a), opts);
}

// ---------------------------------------------------------------------------------------------------------
// autograd

export function setRequiresGrad(a: number, flag: boolean): number {
  FN.setRequiresGrad(get(a), flag);
  return a;
}
export function retainGrad(a: number): void {
  FN.retainGrad(get(a));
}
/** x.backward(gradient (handle or -1), retain_graph). */
export function backward(a: number, gradient: number, retainGraph: boolean): void {
  runBackward(get(a), opt(gradient), retainGraph);
}
/** x.grad as a new handle, or -1 for None. */
export function grad(a: number): number {
  const g = get(a).grad;
  return g === null ? -1 : Rg(g);
}
export function setGradOf(a: number, g: number): void {
  FN.setGrad(get(a), opt(g));
}
/** torch.set_grad_enabled / no_grad: sets the mode, returns the previous one. */
export function setGradEnabled(on: boolean): boolean {
  return setGrad(on);
}
export function isGradEnabled(): boolean {
  return gradOn();
}

// ---------------------------------------------------------------------------------------------------------
// torch.nn.functional

export function softmax(a: number, dim: number): number {
  return Rg(N.softmax(get(a), dim));
}
export function logSoftmax(a: number, dim: number): number {
  return Rg(N.logSoftmax(get(a), dim));
}
export function crossEntropy(a: number, target: number, reduction: Reduction, ignoreIndex: number): number {
  return Rg(FN.crossEntropy(get(a), get(target), reduction, ignoreIndex));
}
export function nllLoss(a: number, target: number, reduction: Reduction, ignoreIndex: number): number {
  return Rg(N.nllLoss(get(a), get(target), reduction, ignoreIndex));
}
export function oneHot(a: number, numClasses: number): number {
  return Rg(FN.oneHot(get(a), numClasses));
}

export { empty };
