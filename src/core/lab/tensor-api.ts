// The learner's tensor API for the exercises (no autograd): PyTorch-like functions over small tensors with
// broadcasting, so a gradient can be written as in the lecture: `dprobs = div(dlogprobs, probs)`,
// `sum(x, 1, {keepdim: true})`, `matmul(dlogits, transpose(W2))`.
//
// A thin layer over the torch library (src/core/torch) in float64: this file checks the learner's arguments
// and words the mistakes for the lab (one clear message naming the op and the shapes; a shape error is the
// most common one); the arithmetic, broadcasting, reductions, matmul and indexing are the library's.
// Every value is computed in float64 (Float64Array) and the lab rounds the final answer once to the model's
// dtype. So a correct answer written as the lecture writes it is usually `exact`, as in the lecture.
//
// Shapes in comments: x (B, V) etc. as in the model; `Operand` is a tensor or a plain number (a scalar).

import * as T from '../torch/index.js';
import { broadcastShape, numel, shapeStr } from '../reference/block.js';

/** A tensor of the exercise API: a shape and row-major float64 values. Integer ids (Xb, Yb) are tensors too. */
export interface NdArray {
  readonly shape: readonly number[];
  readonly data: Float64Array;
  /**
   * 'float32' for the model's float32 tensors (and what is computed from them): ops then compute as
   * PyTorch does on float32 tensors (each op rounded to float32, numbers rounded first), so the lecture's
   * lines come out exact as in the lecture. Absent: float64.
   */
  readonly dtype?: 'float32';
}

export type Operand = NdArray | number;

/** A mistake in the learner's code: wrong shapes, wrong arguments. The message says which op and why. */
export class TensorApiError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TensorApiError';
  }
}

function fail(msg: string): never {
  throw new TensorApiError(msg);
}

export function isNdArray(x: unknown): x is NdArray {
  return typeof x === 'object' && x !== null && 'shape' in x && 'data' in x
    && Array.isArray((x as NdArray).shape) && (x as NdArray).data instanceof Float64Array;
}

function describe(x: unknown): string {
  if (x === undefined) return 'undefined (a misspelled name, or a variable not assigned yet?)';
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'a plain array (wrap it with tensor(...))';
  return typeof x === 'object' ? 'an object that is not a tensor' : `a ${typeof x}`;
}

function asTensor(op: string, x: unknown, argNo: number): NdArray {
  if (isNdArray(x)) return x;
  return fail(`${op}: argument ${argNo} is ${describe(x)}, expected a tensor`);
}

function asOperand(op: string, x: unknown, argNo: number): Operand {
  if (typeof x === 'number') return x;
  if (isNdArray(x)) return x;
  return fail(`${op}: argument ${argNo} is ${describe(x)}, expected a tensor or a number`);
}

function make(shape: readonly number[], data?: Float64Array, dtype?: 'float32'): NdArray {
  const d = data ?? new Float64Array(numel(shape));
  if (d.length !== numel(shape)) fail(`tensor: shape ${shapeStr(shape)} needs ${numel(shape)} values, got ${d.length}`);
  return dtype === undefined ? { shape: [...shape], data: d } : { shape: [...shape], data: d, dtype };
}

// ---------------------------------------------------------------------------------------------------------
// creation

/** A tensor from nested arrays (`tensor([[1, 2], [3, 4]])`) or from flat values and a shape. */
export function tensor(values: number | readonly unknown[] | ArrayLike<number>, shape?: readonly number[]): NdArray {
  if (typeof values === 'number') return make(shape ?? [], new Float64Array(numel(shape ?? [])).fill(values));
  if (shape !== undefined) return make(shape, Float64Array.from(values as ArrayLike<number>));
  const dims: number[] = [];
  let v: unknown = values;
  while (Array.isArray(v)) {
    dims.push(v.length);
    v = v[0];
  }
  const flat = (values as unknown[]).flat(Infinity) as unknown[];
  if (flat.some((x) => typeof x !== 'number')) fail('tensor: every value must be a number');
  if (flat.length !== numel(dims)) fail(`tensor: ragged nested arrays (shape ${shapeStr(dims)} needs ${numel(dims)} values, got ${flat.length})`);
  return make(dims, Float64Array.from(flat as number[]));
}

export function zeros(shape: readonly number[]): NdArray {
  return make(shape);
}

export function ones(shape: readonly number[]): NdArray {
  return full(shape, 1);
}

export function full(shape: readonly number[], value: number): NdArray {
  return make(shape, new Float64Array(numel(shape)).fill(value));
}

export const zerosLike = (x: NdArray): NdArray => make(asTensor('zerosLike', x, 1).shape, undefined, x.dtype);
export const onesLike = (x: NdArray): NdArray => make(asTensor('onesLike', x, 1).shape, new Float64Array(numel(x.shape)).fill(1), x.dtype);
export const clone = (x: NdArray): NdArray => make(asTensor('clone', x, 1).shape, Float64Array.from(x.data), x.dtype);

/** [0, 1, ..., n-1] */
export function arange(n: number): NdArray {
  return make([n], Float64Array.from({ length: n }, (_, i) => i));
}

/** oneHot(ids, k) (…ids, k): 1 at each id's column, like F.one_hot(ids, num_classes=k).float(). */
export function oneHot(ids: NdArray, k: number): NdArray {
  asTensor('oneHot', ids, 1);
  if (!Number.isInteger(k) || k < 1) fail(`oneHot: the number of classes must be a positive integer, got ${k}`);
  const o = zeros([...ids.shape, k]);
  for (let i = 0; i < ids.data.length; i++) {
    const c = ids.data[i];
    if (!Number.isInteger(c) || c < 0 || c >= k) fail(`oneHot: id ${c} at index ${i} is not in [0, ${k})`);
    o.data[i * k + c] = 1;
  }
  return o;
}

// ---------------------------------------------------------------------------------------------------------
// elementwise with broadcasting (PyTorch rules: align shapes on the right; a dimension of 1 stretches)

function broadcast2(op: string, a: readonly number[], b: readonly number[]): number[] {
  try {
    return broadcastShape(a, b, op);
  } catch (e) {
    return fail((e as Error).message);
  }
}

/** The library's tensor of x: float64 over x's values (no copy), or float32 for a float32 NdArray. */
const lib = (x: NdArray): T.Tensor => {
  const t = T.fromData(x.data, 'float64', x.shape);
  return x.dtype === 'float32' ? T.castTo(t, 'float32') : t;
};
/** A library tensor's values as an NdArray (row-major, a copy); a float32 result stays marked float32. */
const back = (t: T.Tensor): NdArray =>
  make(t.shape, T.values(t.dtype === 'float64' ? t : T.castTo(t, 'float64')) as Float64Array, t.dtype === 'float32' ? 'float32' : undefined);
/** Integer ids (validated by the caller) as the library's int64 tensor: the same Float64Array. */
const ids64 = (x: NdArray): T.Tensor => T.fromData(x.data, 'int64', x.shape);

function binary(op: string, a: unknown, b: unknown, top: T.BinaryOp, f: (x: number, y: number) => number): NdArray {
  const x = asOperand(op, a, 1);
  const y = asOperand(op, b, 2);
  if (typeof x === 'number' && typeof y === 'number') return make([], Float64Array.of(f(x, y)));
  if (typeof x !== 'number' && typeof y !== 'number') broadcast2(op, x.shape, y.shape);
  // a number is a float64 0-dim tensor here: x / v stays one division (not reciprocal then multiply)
  const tx = typeof x === 'number' ? T.full([], x, 'float64') : lib(x);
  const ty = typeof y === 'number' ? T.full([], y, 'float64') : lib(y);
  return back(T.binary(top, tx, ty));
}

/** a + b */
export const add = (a: Operand, b: Operand): NdArray => binary('add', a, b, 'add', (x, y) => x + y);
/** a - b */
export const sub = (a: Operand, b: Operand): NdArray => binary('sub', a, b, 'sub', (x, y) => x - y);
/** a * b (elementwise, not matmul) */
export const mul = (a: Operand, b: Operand): NdArray => binary('mul', a, b, 'mul', (x, y) => x * y);
/** a / b */
export const div = (a: Operand, b: Operand): NdArray => binary('div', a, b, 'div', (x, y) => x / y);
/** 1.0 where a == b, else 0.0 (like (a == b).float()) */
export const eq = (a: Operand, b: Operand): NdArray => binary('eq', a, b, 'eq', (x, y) => (x === y ? 1 : 0));

function unary(op: string, x: unknown, top: T.UnaryOp): NdArray {
  return back(T.unary(top, lib(asTensor(op, x, 1))));
}

export const neg = (x: NdArray): NdArray => unary('neg', x, 'neg');
export const exp = (x: NdArray): NdArray => unary('exp', x, 'exp');
export const log = (x: NdArray): NdArray => unary('log', x, 'log');
export const tanh = (x: NdArray): NdArray => unary('tanh', x, 'tanh');
export const sqrt = (x: NdArray): NdArray => unary('sqrt', x, 'sqrt');

/** x ** p for a number p (x ** -1, x ** 2, x ** -0.5 ...) */
export function pow(x: NdArray, p: number): NdArray {
  if (typeof p !== 'number') fail(`pow: the exponent must be a number, got ${describe(p)}`);
  return back(T.binaryScalar('pow', lib(asTensor('pow', x, 1)), p, 'float'));
}

// ---------------------------------------------------------------------------------------------------------
// reductions over one dim (negative dims count from the end); without a dim, over everything

export interface ReduceOpts {
  keepdim?: boolean;
}

function normDim(op: string, shape: readonly number[], dim: number): number {
  if (!Number.isInteger(dim)) fail(`${op}: dim must be an integer, got ${describe(dim)}`);
  const d = dim < 0 ? dim + shape.length : dim;
  if (d < 0 || d >= shape.length) fail(`${op}: dim ${dim} is out of range for shape ${shapeStr(shape)}`);
  return d;
}

/** Checks a reduction's arguments; returns the library tensor and the wrapped dim (null: everything). */
function reduceArgs(op: string, x: unknown, dim: number | undefined, opts: ReduceOpts | undefined): [T.Tensor, number | null, boolean] {
  const t = asTensor(op, x, 1);
  if (opts !== undefined && (typeof opts !== 'object' || opts === null)) {
    fail(`${op}: the third argument is options like {keepdim: true}, got ${describe(opts)}`);
  }
  return [lib(t), dim === undefined ? null : normDim(op, t.shape, dim), opts?.keepdim === true];
}

/** sum over dim (ascending order, in doubles), e.g. sum(x, 1, {keepdim: true}) (B, V) -> (B, 1) */
export function sum(x: NdArray, dim?: number, opts?: ReduceOpts): NdArray {
  const [t, d, keep] = reduceArgs('sum', x, dim, opts);
  return back(T.sumDims(t, d, keep));
}

export function mean(x: NdArray, dim?: number, opts?: ReduceOpts): NdArray {
  const [t, d, keep] = reduceArgs('mean', x, dim, opts);
  return back(T.mean(t, d, keep));
}

/** Reshapes a full reduction's scalar to all-ones dims when keepdim. */
function keepAll(t: T.Tensor, like: T.Tensor, keep: boolean): T.Tensor {
  return keep ? T.reshape(t, like.shape.map(() => 1)) : t;
}

/** the values of the max over dim (first on ties) */
export function max(x: NdArray, dim?: number, opts?: ReduceOpts): NdArray {
  const [t, d, keep] = reduceArgs('max', x, dim, opts);
  return back(d === null ? keepAll(T.maxMinAll(t, true), t, keep) : T.maxMinDim(t, d, keep, true)[0]);
}

/** the index of the max over dim (first on ties), as a float tensor of ids */
export function argmax(x: NdArray, dim?: number, opts?: ReduceOpts): NdArray {
  const [t, d, keep] = reduceArgs('argmax', x, dim, opts);
  return back(T.argMaxMin(t, d, keep, true));
}

/** softmax over dim: exp(x - max) / sum(exp(x - max)); the max only keeps exp from overflowing */
export function softmax(x: NdArray, dim: number): NdArray {
  const t = asTensor('softmax', x, 1);
  return back(T.softmax(lib(t), normDim('softmax', t.shape, dim)));
}

// ---------------------------------------------------------------------------------------------------------
// shapes and linear algebra

/** a (n, k) @ b (k, m) -> (n, m) */
export function matmul(a: NdArray, b: NdArray): NdArray {
  asTensor('matmul', a, 1);
  asTensor('matmul', b, 2);
  if (a.shape.length !== 2 || b.shape.length !== 2) {
    fail(`matmul: needs two 2-D tensors, got ${shapeStr(a.shape)} @ ${shapeStr(b.shape)} (view() them first?)`);
  }
  const [n, k] = a.shape;
  const [k2, m] = b.shape;
  if (k !== k2) {
    const hint = k === m ? '; transpose the second one?' : n === k2 ? '; transpose the first one?' : '';
    fail(`matmul: ${shapeStr(a.shape)} @ ${shapeStr(b.shape)}: the inner dimensions differ (${k} vs ${k2})${hint}`);
  }
  return back(T.matmul(lib(a), lib(b)));
}

/** x (n, m) -> x^T (m, n) */
export function transpose(x: NdArray): NdArray {
  asTensor('transpose', x, 1);
  if (x.shape.length !== 2) fail(`transpose: needs a 2-D tensor, got ${shapeStr(x.shape)}`);
  return back(T.t(lib(x)));
}

/** the same values under a new shape; one dimension may be -1 (inferred), as in torch's view */
export function view(x: NdArray, shape: readonly number[]): NdArray {
  asTensor('view', x, 1);
  if (!Array.isArray(shape)) fail(`view: the shape must be an array like [32, 30], got ${describe(shape)}`);
  const free = shape.filter((d) => d === -1).length;
  if (free > 1) fail(`view: only one dimension can be -1, got ${shapeStr(shape)}`);
  const known = numel(shape.filter((d) => d !== -1));
  const out = free === 1 ? shape.map((d) => (d === -1 ? x.data.length / known : d)) : [...shape];
  if (out.some((d) => !Number.isInteger(d) || d < 0) || numel(out) !== x.data.length) {
    fail(`view: cannot view ${shapeStr(x.shape)} (${x.data.length} values) as ${shapeStr(shape)}`);
  }
  return make(out, x.data, x.dtype);
}

export const reshape = view;

function idsOf(op: string, ids: unknown, n: number): Float64Array {
  const t = asTensor(op, ids, 2);
  for (let i = 0; i < t.data.length; i++) {
    const v = t.data[i];
    if (!Number.isInteger(v) || v < 0 || v >= n) fail(`${op}: id ${v} at index ${i} is not in [0, ${n})`);
  }
  return t.data;
}

/** table[ids]: rows of table (V, E) picked by ids of any shape, giving (...ids, E); like C[Xb] */
export function indexRows(table: NdArray, ids: NdArray): NdArray {
  asTensor('indexRows', table, 1);
  if (table.shape.length !== 2) fail(`indexRows: the table must be 2-D, got ${shapeStr(table.shape)}`);
  idsOf('indexRows', ids, table.shape[0]);
  return back(T.getitem(lib(table), [{ kind: 'tensor', t: ids64(ids) }]));
}

/**
 * A copy of target (V, ...) with row ids[r] += src row r, for every r (ids flattened; src seen as
 * (ids.numel, row size)); rows picked several times add up, like torch's index_add_ on dim 0.
 */
export function indexAdd(target: NdArray, ids: NdArray, src: NdArray): NdArray {
  asTensor('indexAdd', target, 1);
  asTensor('indexAdd', src, 3);
  const V = target.shape[0];
  const id = idsOf('indexAdd', ids, V);
  const row = target.data.length / V;
  if (src.data.length !== id.length * row) {
    fail(`indexAdd: ${id.length} ids of rows of ${row} values need a source of ${id.length * row} values, got ${shapeStr(src.shape)}`);
  }
  const o = lib(clone(target));
  const flatIds = T.fromData(id, 'int64', [id.length]);
  return back(T.indexAdd(o, 0, flatIds, T.reshape(lib(src), [id.length, ...target.shape.slice(1)])));
}

/** x[range(n), cols]: one value per row of x (n, m) -> (n); like logprobs[range(n), Yb] */
export function pick(x: NdArray, cols: NdArray): NdArray {
  asTensor('pick', x, 1);
  if (x.shape.length !== 2) fail(`pick: needs a 2-D tensor, got ${shapeStr(x.shape)}`);
  const [n, m] = x.shape;
  const c = idsOf('pick', cols, m);
  if (c.length !== n) fail(`pick: ${shapeStr(x.shape)} has ${n} rows but ${c.length} column ids were given`);
  return back(T.getitem(lib(x), [{ kind: 'tensor', t: T.arange(0, n, 1, 'int64') }, { kind: 'tensor', t: T.fromData(c, 'int64', [n]) }]));
}

/** the value at a multi-index, e.g. at(Xb, 0, 2) */
export function at(x: NdArray, ...idx: number[]): number {
  asTensor('at', x, 1);
  if (idx.length !== x.shape.length) fail(`at: ${shapeStr(x.shape)} needs ${x.shape.length} indices, got ${idx.length}`);
  let off = 0;
  for (let d = 0; d < idx.length; d++) {
    if (!Number.isInteger(idx[d]) || idx[d] < 0 || idx[d] >= x.shape[d]) fail(`at: index ${idx[d]} is out of range for dim ${d} of ${shapeStr(x.shape)}`);
    off = off * x.shape[d] + idx[d];
  }
  return x.data[off];
}

/** Every function the learner's code can call, by name (the exercise runner passes these in scope). */
export const API = {
  tensor, zeros, ones, full, zerosLike, onesLike, clone, arange, oneHot,
  add, sub, mul, div, eq, neg, exp, log, tanh, sqrt, pow,
  sum, mean, max, argmax, softmax,
  matmul, transpose, view, reshape, indexRows, indexAdd, pick, at,
} as const;

export type ApiName = keyof typeof API;
