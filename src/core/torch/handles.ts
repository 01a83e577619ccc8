// The flat surface the Python binding calls: every tensor lives in a handle table (an integer per tensor,
// released by free() from Python's __del__), and every function takes and returns handles, numbers and
// strings, so one Python operation is one call across the boundary (each costs ~2 us under Pyodide).
//
// Conventions: dtype names 'float32' | 'float64' | 'int64' | 'bool'; a Python number comes with its kind
// 'int' | 'float' | 'bool' (weak promotion); dims lists are arrays, null for "all"; -1 as a handle means
// None. Errors are TorchError whose .name is the Python exception type (RuntimeError, IndexError...).
//
// Index specs are flat number arrays, one item after another:
//   0 i            an int                      3              Ellipsis
//   1 a b c        a slice (NaN for None)       4 h            a tensor (int64 or bool) by handle
//   2              None                         5 a b c        range(a, b, c) (an int64 index)
//   6 k v1 .. vk   a list of k ints (an int64 index)

import { isGradEnabled as gradOn, setGradEnabled as setGrad } from './autograd.js';
import type { ScalarKind } from './dtype.js';
import { binary as binaryOp, binaryScalar as binaryScalarOp, clamp as clampOp, unary as unaryOp, where as whereOp, type BinaryOp, type UnaryOp } from './elementwise.js';
import { arange as arangeOp, eye as eyeOp, fromValues as fromValuesOp, full as fullOp, linspace as linspaceOp, multinomial as multinomialOp, rand as randOp, randint as randintOp, randn as randnOp, type RandomSource } from './factory.js';
import { copyInto, getitem as getitemOp, indexAdd, setitem as setitemOp, type IndexItem } from './indexing.js';
import { matmul as matmulOp } from './linalg.js';
import { crossEntropy as ceOp, logSoftmax as logSoftmaxOp, nllLoss as nllOp, oneHot as oneHotOp, softmax as softmaxOp, type Reduction } from './nn.js';
import * as O from './ops.js';
import { allAny, amaxAmin, argMaxMin, maxMinAll, maxMinDim, mean as meanOp, sumDims, variance } from './reduce.js';
import { formatTensor, type PrintOptions } from './format.js';
import { Tensor as TensorClass, TorchError, empty, type DType, type Tensor } from './tensor.js';
import * as V from './views.js';

const table: (Tensor | undefined)[] = [];
const freeList: number[] = [];
let live = 0;

// Memory pressure: the binding frees handles in batches, so a tensor its program has dropped lives on
// until the batch is handed over. Counting the bytes of new storage registered lets the binding hand its
// batch over early when they add up (a notebook's full-split forward makes 146 MB tensors, a few a cell).
// One watcher per process, like the table itself: a process (or worker) holds one runtime.
let registeredBytes = 0;
let pressureBytes = Infinity;
let onPressure: (() => void) | null = null;

/** Calls `cb` each time tensors with `bytes` of new storage in all have been registered since the last call (null: stop). */
export function watchAllocations(bytes: number, cb: (() => void) | null): void {
  pressureBytes = bytes;
  onPressure = cb;
  registeredBytes = 0;
}

/** Puts a tensor in the table and returns its handle. */
export function register(t: Tensor): number {
  if (onPressure !== null && t.base === null) {
    registeredBytes += t.data.byteLength;
    if (registeredBytes >= pressureBytes) {
      registeredBytes = 0;
      onPressure();
    }
  }
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

/** Releases a handle (Python's __del__). The tensor lives on while other handles or graphs hold it. */
export function free(h: number): void {
  if (table[h] === undefined) return;
  table[h] = undefined;
  freeList.push(h);
  live--;
}

/** How many handles are live (for leak tests). */
export function liveHandles(): number {
  return live;
}

const R = register;

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
/** PyTorch's node name of grad_fn ('MulBackward0'), or null for None. */
export function gradFn(h: number): string | null {
  return O.gradFnName(get(h));
}
export function isContiguous(h: number): boolean {
  return get(h).isContiguous;
}
/** Whether two handles are the same tensor object (Python `is` on tensors from several handles). */
export function same(a: number, b: number): boolean {
  return get(a) === get(b);
}
/** Whether two tensors share storage (x.data_ptr() comparisons, views). */
export function sharesStorage(a: number, b: number): boolean {
  return get(a).data === get(b).data;
}
export function version(h: number): number {
  return get(h).version.v;
}

// ---------------------------------------------------------------------------------------------------------
// creation

export function fromValues(values: ArrayLike<number>, shp: ArrayLike<number>, dt: DType): number {
  return R(fromValuesOp(values, Array.from(shp), dt));
}
export function full(shp: ArrayLike<number>, value: number, dt: DType): number {
  return R(fullOp(Array.from(shp), value, dt));
}
/** zeros_like(x): x's shape and dtype. */
export function zerosLikeHandle(h: number): number {
  const x = get(h);
  return R(fullOp(x.shape, 0, x.dtype));
}
/** zeros/ones/full/empty_like: x's shape, dtype dt (x's when null). */
export function fullLike(h: number, value: number, dt: DType | null): number {
  const x = get(h);
  return R(fullOp(x.shape, value, dt ?? x.dtype));
}
export function arange(start: number, end: number, step: number, dt: DType): number {
  return R(arangeOp(start, end, step, dt));
}
export function eye(n: number, m: number, dt: DType): number {
  return R(eyeOp(n, m, dt));
}
export function linspace(start: number, end: number, steps: number, dt: DType): number {
  return R(linspaceOp(start, end, steps, dt));
}

// random: generators are registered objects, by integer id
const generators: RandomSource[] = [];
export function registerGenerator(g: RandomSource): number {
  generators.push(g);
  return generators.length - 1;
}
function gen(id: number): RandomSource {
  const g = generators[id];
  if (g === undefined) throw new TorchError(`generator ${id} is not registered`);
  return g;
}
export function randn(shp: ArrayLike<number>, dt: DType, g: number): number {
  return R(randnOp(Array.from(shp), gen(g), dt));
}
export function rand(shp: ArrayLike<number>, dt: DType, g: number): number {
  return R(randOp(Array.from(shp), gen(g), dt));
}
export function randint(low: number, high: number, shp: ArrayLike<number>, dt: DType, g: number): number {
  return R(randintOp(low, high, Array.from(shp), gen(g), dt));
}
export function multinomial(h: number, n: number, replacement: boolean, g: number): number {
  return R(multinomialOp(get(h), n, replacement, gen(g)));
}
/** x.normal_(mean, std) / x.uniform_(from, to) in place (contiguous float tensors). */
export function randomFill(h: number, kind: 'normal' | 'uniform', a: number, b: number, g: number): number {
  const x = get(h);
  if (!x.isContiguous || (x.dtype !== 'float32' && x.dtype !== 'float64')) throw new TorchError(`${kind}_ here needs a contiguous float tensor`);
  const d = x.data.subarray(x.offset, x.offset + x.numel) as Float32Array | Float64Array;
  if (kind === 'normal') gen(g).normal(d, a, b);
  else gen(g).uniform(d, a, b);
  x.version.v++;
  return h;
}

// ---------------------------------------------------------------------------------------------------------
// arithmetic

/** a (op) b for tensors: add sub mul div floor_divide remainder pow eq ne lt le gt ge maximum minimum logical_and logical_or bitwise_*. */
export function binary(op: BinaryOp, a: number, b: number): number {
  return R(binaryOp(op, get(a), get(b)));
}
/** a (op) x, or x (op) a when reverse (Python's __rsub__ etc.), for a Python number x of `kind`. */
export function binaryScalar(op: BinaryOp, a: number, x: number, kind: ScalarKind, reverse: boolean): number {
  return R(binaryScalarOp(op, get(a), x, kind, reverse));
}
/** a (op)= b in place; returns a's handle (Python's __iadd__ returns self). */
export function binaryInplace(op: BinaryOp, a: number, b: number): number {
  O.binaryInplace(op, get(a), get(b));
  return a;
}
export function binaryScalarInplace(op: BinaryOp, a: number, x: number, kind: ScalarKind): number {
  O.binaryInplace(op, get(a), x, kind);
  return a;
}
/** neg exp log log10 log2 tanh sqrt rsqrt abs reciprocal sigmoid relu sin cos sign floor ceil round trunc logical_not square. */
export function unary(op: UnaryOp, a: number): number {
  return R(unaryOp(op, get(a)));
}
export function unaryInplace(op: UnaryOp, a: number): number {
  O.unaryInplace(op, get(a));
  return a;
}
/** clamp(min, max), NaN for a missing bound. */
export function clamp(a: number, min: number, max: number): number {
  return R(clampOp(get(a), Number.isNaN(min) ? null : min, Number.isNaN(max) ? null : max));
}
export function clampInplace(a: number, min: number, max: number): number {
  O.clampInplace(get(a), Number.isNaN(min) ? null : min, Number.isNaN(max) ? null : max);
  return a;
}
export function where(c: number, a: number, b: number): number {
  return R(whereOp(get(c), get(a), get(b)));
}
export function matmul(a: number, b: number): number {
  return R(matmulOp(get(a), get(b)));
}

// ---------------------------------------------------------------------------------------------------------
// reductions

export type ReduceOp = 'sum' | 'mean' | 'var' | 'std' | 'amax' | 'amin' | 'all' | 'any' | 'max' | 'min' | 'argmax' | 'argmin';

/**
 * One reduction over dims (null: all). `correction` is var/std's (1 unbiased, 0 biased). max/min with
 * dims null is the full reduction (a value); with a dim use maxDim. argmax/argmin take one dim or null.
 */
export function reduce(op: ReduceOp, a: number, dims: number | ArrayLike<number> | null, keepdim: boolean, correction = 1): number {
  const x = get(a);
  const ds = dims === null ? null : typeof dims === 'number' ? dims : Array.from(dims);
  switch (op) {
    case 'sum': return R(sumDims(x, ds, keepdim));
    case 'mean': return R(meanOp(x, ds, keepdim));
    case 'var': return R(variance(x, ds, correction, keepdim, false));
    case 'std': return R(variance(x, ds, correction, keepdim, true));
    case 'amax': return R(amaxAmin(x, ds, keepdim, true));
    case 'amin': return R(amaxAmin(x, ds, keepdim, false));
    case 'all': return R(allAny(x, ds, keepdim, true));
    case 'any': return R(allAny(x, ds, keepdim, false));
    case 'max':
    case 'min':
      if (ds !== null) throw new TorchError(`${op} over a dim returns (values, indices): use maxDim`);
      return R(maxMinAll(x, op === 'max'));
    case 'argmax':
    case 'argmin': {
      if (ds !== null && typeof ds !== 'number' && ds.length !== 1) throw new TorchError(`${op} takes one dim`);
      const d = ds === null ? null : typeof ds === 'number' ? ds : ds[0];
      return R(argMaxMin(x, d, keepdim, op === 'argmax'));
    }
  }
}

/** x.max(dim) / x.min(dim): [values handle, indices handle]. */
export function maxDim(op: 'max' | 'min', a: number, dim: number, keepdim: boolean): [number, number] {
  const [v, i] = maxMinDim(get(a), dim, keepdim, op === 'max');
  return [R(v), R(i)];
}

// ---------------------------------------------------------------------------------------------------------
// shapes and views

export function view(a: number, shp: ArrayLike<number>): number {
  return R(V.view(get(a), Array.from(shp)));
}
export function reshape(a: number, shp: ArrayLike<number>): number {
  return R(V.reshape(get(a), Array.from(shp)));
}
export function permute(a: number, dims: ArrayLike<number>): number {
  return R(V.permute(get(a), Array.from(dims)));
}
export function transpose(a: number, d0: number, d1: number): number {
  return R(V.transpose(get(a), d0, d1));
}
/** x.t() */
export function t(a: number): number {
  return R(V.t(get(a)));
}
/** x.T */
export function T(a: number): number {
  return R(V.T(get(a)));
}
/** squeeze(dim), null for all */
export function squeeze(a: number, dim: number | null): number {
  return R(V.squeeze(get(a), dim));
}
export function unsqueeze(a: number, dim: number): number {
  return R(V.unsqueeze(get(a), dim));
}
export function expand(a: number, shp: ArrayLike<number>): number {
  return R(V.expand(get(a), Array.from(shp)));
}
export function select(a: number, dim: number, index: number): number {
  return R(V.select(get(a), dim, index));
}
export function contiguous(a: number): number {
  return R(V.contiguous(get(a)));
}
export function clone(a: number): number {
  return R(V.clone(get(a)));
}
export function detach(a: number): number {
  return R(V.detach(get(a)));
}
/** x.data */
export function data(a: number): number {
  return R(V.dataOf(get(a)));
}
/**
 * `x.data = y`: handle a now reads y's storage, shape and dtype, keeping x's autograd identity (requires_grad,
 * grad, grad_fn, retain_grad) and version counter, as PyTorch's set_data does. Graphs recorded before keep
 * the old tensor (PyTorch's do too: their saved values were taken before).
 */
export function setData(a: number, b: number): void {
  const x = get(a);
  const y = get(b);
  if (x.data === y.data && x.offset === y.offset && x.dtype === y.dtype && x.shape.length === y.shape.length
    && x.shape.every((d, i) => d === y.shape[i] && x.strides[i] === y.strides[i])) return;
  const t = new TensorClass(y.data, y.dtype, y.shape.slice(), y.strides.slice(), y.offset, x.version);
  t.requiresGrad = x.requiresGrad;
  t.gradFn = x.gradFn;
  t.grad = x.grad;
  t.retainsGrad = x.retainsGrad;
  table[a] = t;
}
/** x.to(dtype), .float(), .double(), .long(), .bool(): the same tensor's new handle when already dt. */
export function to(a: number, dt: DType): number {
  return R(V.castTo(get(a), dt));
}
/** x.split(size or sizes, dim): handles. */
export function split(a: number, sizes: number | ArrayLike<number>, dim: number): number[] {
  return V.split(get(a), typeof sizes === 'number' ? sizes : Array.from(sizes), dim).map(R);
}
export function tensorSplit(a: number, sections: number | ArrayLike<number>, dim: number): number[] {
  return V.tensorSplit(get(a), typeof sections === 'number' ? sections : Array.from(sections), dim).map(R);
}
export function cat(hs: ArrayLike<number>, dim: number): number {
  return R(V.cat(Array.from(hs, get), dim));
}
export function stack(hs: ArrayLike<number>, dim: number): number {
  return R(V.stack(Array.from(hs, get), dim));
}

// ---------------------------------------------------------------------------------------------------------
// indexing

const NONE = (v: number): number | null => (Number.isNaN(v) ? null : v);

/** Decodes a flat index spec (see the header). */
export function decodeSpec(spec: ArrayLike<number>): IndexItem[] {
  const items: IndexItem[] = [];
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
        const t = empty([n], 'int64');
        for (let k = 0; k < n; k++) t.data[k] = a + k * c;
        items.push({ kind: 'tensor', t });
        break;
      }
      case 6: {
        const k = spec[i++];
        const t = empty([k], 'int64');
        for (let j = 0; j < k; j++) t.data[j] = spec[i + j];
        i += k;
        items.push({ kind: 'tensor', t });
        break;
      }
      default: throw new TorchError(`bad index spec code ${code}`);
    }
  }
  return items;
}

export function getitem(a: number, spec: ArrayLike<number>): number {
  return R(getitemOp(get(a), decodeSpec(spec)));
}
export function setitem(a: number, spec: ArrayLike<number>, v: number): void {
  setitemOp(get(a), decodeSpec(spec), get(v));
}
/** getitem with the items already decoded (the binding's common subscripts). */
export function getitemItems(a: number, items: readonly IndexItem[]): number {
  return R(getitemOp(get(a), items));
}
export function setitemItems(a: number, items: readonly IndexItem[], v: number): void {
  setitemOp(get(a), items, get(v));
}
/** x[spec] = number: the number takes x's dtype. */
export function setitemScalar(a: number, spec: ArrayLike<number>, x: number): void {
  const t = get(a);
  setitemOp(t, decodeSpec(spec), fullOp([], x, t.dtype));
}
export function copy_(a: number, b: number): number {
  copyInto(get(a), get(b));
  return a;
}
export function indexAdd_(a: number, dim: number, index: number, source: number, alpha: number): number {
  indexAdd(get(a), dim, get(index), get(source), alpha);
  return a;
}
export function fill_(a: number, x: number): number {
  O.fill(get(a), x);
  return a;
}
export function zero_(a: number): number {
  O.zero(get(a));
  return a;
}

// ---------------------------------------------------------------------------------------------------------
// values

/** x.item() as a number (float32 values exactly as stored; bool 0/1). */
export function item(a: number): number {
  return O.item(get(a));
}
/** The values in row-major order (a copy in the dtype's array: Float32Array, Float64Array, Uint8Array). */
export function values(a: number): Float32Array | Float64Array | Uint8Array {
  return O.values(get(a));
}
export function allclose(a: number, b: number, rtol: number, atol: number, equalNan: boolean): boolean {
  return O.allclose(get(a), get(b), rtol, atol, equalNan);
}
export function isclose(a: number, b: number, rtol: number, atol: number, equalNan: boolean): number {
  return R(O.isclose(get(a), get(b), rtol, atol, equalNan));
}
export function equal(a: number, b: number): boolean {
  return O.equal(get(a), get(b));
}
/** What format.ts's formatTensor takes: shape, dtype, values, requiresGrad, gradFn. */
export function formatInput(a: number): { shape: number[]; dtype: DType; data: Float32Array | Float64Array | Uint8Array; requiresGrad: boolean; gradFn: string | null } {
  const x = get(a);
  return { shape: x.shape.slice(), dtype: x.dtype, data: O.values(x), requiresGrad: x.requiresGrad, gradFn: O.gradFnName(x) };
}

/** repr(x) as PyTorch 1.13 prints it (format.ts), in one call. */
export function repr(a: number, opts?: PrintOptions): string {
  return formatTensor(formatInput(a), opts);
}

// ---------------------------------------------------------------------------------------------------------
// autograd

export function setRequiresGrad(a: number, flag: boolean): number {
  O.setRequiresGrad(get(a), flag);
  return a;
}
export function retainGrad(a: number): void {
  O.retainGrad(get(a));
}
/** x.backward(gradient (handle or -1), retain_graph). */
export function backward(a: number, gradient: number, retainGraph: boolean): void {
  O.backward(get(a), opt(gradient), retainGraph);
}
/** x.grad as a new handle, or -1 for None. */
export function grad(a: number): number {
  const g = get(a).grad;
  return g === null ? -1 : R(g);
}
export function setGradOf(a: number, g: number): void {
  O.setGrad(get(a), opt(g));
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
  return R(softmaxOp(get(a), dim));
}
export function logSoftmax(a: number, dim: number): number {
  return R(logSoftmaxOp(get(a), dim));
}
export function crossEntropy(a: number, target: number, reduction: Reduction, ignoreIndex: number): number {
  return R(ceOp(get(a), get(target), reduction, ignoreIndex));
}
export function nllLoss(a: number, target: number, reduction: Reduction, ignoreIndex: number): number {
  return R(nllOp(get(a), get(target), reduction, ignoreIndex));
}
export function oneHot(a: number, numClasses: number): number {
  return R(oneHotOp(get(a), numClasses));
}
