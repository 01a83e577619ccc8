// The judge: a small tape-based autograd over tensors (micrograd, for tensors). Each primitive op computes
// its output and records a backward closure that ADDS its contribution into its parents' gradients;
// backward() orders the graph topologically and runs the closures in reverse. Every intermediate keeps its
// gradient (like retain_grad), so each of the 26 hand-written gradients has something to be compared with.
//
// Kept this small and this obvious on purpose: it is what `check` trusts. Arithmetic convention (the same as
// model.ts): values are computed in doubles and rounded once when an op stores its output; a backward
// contribution is computed per element in doubles, summed over broadcast dimensions in ascending order,
// rounded once, then added to the parent's gradient.

import { matmul as mmKernel, matmulNT, matmulTN } from '../reference/matmul.js';
import { allocFloat, broadcastShape, numel, shapeStr, type DType, type FloatArray, type Tensor } from '../reference/block.js';

export class Var implements Tensor {
  grad: FloatArray | null = null;
  backwardFn: (() => void) | null = null;
  constructor(
    readonly shape: readonly number[],
    readonly data: FloatArray,
    readonly op: string,
    readonly parents: readonly Var[],
  ) {}
  get dtype(): DType {
    return this.data instanceof Float32Array ? 'float32' : 'float64';
  }
}

/** A leaf: a parameter or an input. The data is shared, not copied. */
export function leaf(t: Tensor): Var {
  return new Var(t.shape, t.data, 'leaf', []);
}

function out(shape: readonly number[], dtype: DType, op: string, parents: Var[]): Var {
  return new Var(shape, allocFloat(dtype, numel(shape)), op, parents);
}

/** Adds a contribution (doubles, one per element of v) into v.grad, rounding it once to v's dtype first. */
function accumulate(v: Var, contrib: Float64Array | FloatArray): void {
  const rounded = allocFloat(v.dtype, contrib.length);
  rounded.set(contrib);
  if (v.grad === null) {
    v.grad = rounded;
    return;
  }
  for (let i = 0; i < rounded.length; i++) v.grad[i] += rounded[i];
}

// ---------------------------------------------------------------------------------------------------------
// broadcasting (PyTorch rules: align shapes on the right; a dimension of 1 stretches)

export { broadcastShape };

/** For each flat index of outShape, the flat index of the element of inShape it reads. */
export function broadcastIndex(outShape: readonly number[], inShape: readonly number[]): Int32Array {
  const n = numel(outShape);
  const idx = new Int32Array(n);
  const nd = outShape.length;
  const strides: number[] = new Array<number>(nd).fill(0);
  let s = 1;
  for (let i = inShape.length - 1; i >= 0; i--) {
    const od = nd - inShape.length + i;
    strides[od] = inShape[i] === 1 ? 0 : s;
    s *= inShape[i];
  }
  for (let f = 0; f < n; f++) {
    let rem = f;
    let off = 0;
    for (let d = nd - 1; d >= 0; d--) {
      const c = rem % outShape[d];
      rem = (rem - c) / outShape[d];
      off += c * strides[d];
    }
    idx[f] = off;
  }
  return idx;
}

/** z = f(a, b) elementwise with broadcasting; da, db give the local derivatives times the incoming g. */
function binary(
  a: Var, b: Var, op: string,
  f: (x: number, y: number) => number,
  da: (g: number, x: number, y: number) => number,
  db: (g: number, x: number, y: number) => number,
): Var {
  const shape = broadcastShape(a.shape, b.shape, op);
  const z = out(shape, a.dtype, op, [a, b]);
  const ia = broadcastIndex(shape, a.shape);
  const ib = broadcastIndex(shape, b.shape);
  for (let i = 0; i < z.data.length; i++) z.data[i] = f(a.data[ia[i]], b.data[ib[i]]);
  z.backwardFn = () => {
    const g = z.grad!;
    const ga = new Float64Array(a.data.length);
    const gb = new Float64Array(b.data.length);
    for (let i = 0; i < g.length; i++) {
      ga[ia[i]] += da(g[i], a.data[ia[i]], b.data[ib[i]]);
      gb[ib[i]] += db(g[i], a.data[ia[i]], b.data[ib[i]]);
    }
    accumulate(a, ga);
    accumulate(b, gb);
  };
  return z;
}

/** y = f(x) elementwise; d gives g * f'(x), from x and y. */
function unary(x: Var, op: string, f: (x: number) => number, d: (g: number, x: number, y: number) => number): Var {
  const y = out(x.shape, x.dtype, op, [x]);
  for (let i = 0; i < y.data.length; i++) y.data[i] = f(x.data[i]);
  y.backwardFn = () => {
    const g = y.grad!;
    const gx = new Float64Array(x.data.length);
    for (let i = 0; i < g.length; i++) gx[i] = d(g[i], x.data[i], y.data[i]);
    accumulate(x, gx);
  };
  return y;
}

// d(x + y) = dx + dy
export const add = (a: Var, b: Var): Var => binary(a, b, 'add', (x, y) => x + y, (g) => g, (g) => g);
// d(x - y) = dx - dy
export const sub = (a: Var, b: Var): Var => binary(a, b, 'sub', (x, y) => x - y, (g) => g, (g) => -g);
// d(x y) = y dx + x dy
export const mul = (a: Var, b: Var): Var => binary(a, b, 'mul', (x, y) => x * y, (g, _x, y) => g * y, (g, x) => g * x);
// d(c x) = c dx
export const mulScalar = (x: Var, c: number): Var => unary(x, 'mulScalar', (v) => c * v, (g) => g * c);
// d(x + c) = dx
export const addScalar = (x: Var, c: number): Var => unary(x, 'addScalar', (v) => v + c, (g) => g);
// d(x^p) = p x^(p-1) dx
export const pow = (x: Var, p: number): Var =>
  unary(x, `pow${p}`, (v) => Math.pow(v, p), (g, v) => g * (p * Math.pow(v, p - 1)));
// d(-x) = -dx
export const neg = (x: Var): Var => unary(x, 'neg', (v) => -v, (g) => -g);
// d exp(x) = exp(x) dx
export const exp = (x: Var): Var => unary(x, 'exp', Math.exp, (g, _x, y) => g * y);
// d log(x) = dx / x
export const log = (x: Var): Var => unary(x, 'log', Math.log, (g, v) => g / v);
// d tanh(x) = (1 - tanh(x)^2) dx
export const tanh = (x: Var): Var => unary(x, 'tanh', Math.tanh, (g, _x, y) => g * (1 - y * y));

/** Splits shape around `dim`: (outer, size of dim, inner), so element (o, d, i) is at (o*D + d)*I + i. */
function around(shape: readonly number[], dim: number): [number, number, number] {
  if (dim < 0 || dim >= shape.length) throw new Error(`dim ${dim} out of range for shape ${shapeStr(shape)}`);
  return [numel(shape.slice(0, dim)), shape[dim], numel(shape.slice(dim + 1))];
}

function reducedShape(shape: readonly number[], dim: number, keepdim: boolean): number[] {
  return keepdim ? shape.map((d, i) => (i === dim ? 1 : d)) : shape.filter((_, i) => i !== dim);
}

/** sum over one dim. d(sum_d x_d)/dx_d = 1: every summed element receives the gradient of the sum. */
export function sum(x: Var, dim: number, keepdim = false): Var {
  const [O, D, I] = around(x.shape, dim);
  const y = out(reducedShape(x.shape, dim, keepdim), x.dtype, 'sum', [x]);
  for (let o = 0; o < O; o++) {
    for (let i = 0; i < I; i++) {
      let acc = 0;
      for (let d = 0; d < D; d++) acc += x.data[(o * D + d) * I + i];
      y.data[o * I + i] = acc;
    }
  }
  y.backwardFn = () => {
    const gx = new Float64Array(x.data.length);
    for (let o = 0; o < O; o++) for (let d = 0; d < D; d++) for (let i = 0; i < I; i++) gx[(o * D + d) * I + i] = y.grad![o * I + i];
    accumulate(x, gx);
  };
  return y;
}

/** max over one dim (values). d max_d(x_d) = dx at the argmax (the first, on ties); zero elsewhere. */
export function max(x: Var, dim: number, keepdim = false): Var {
  const [O, D, I] = around(x.shape, dim);
  const y = out(reducedShape(x.shape, dim, keepdim), x.dtype, 'max', [x]);
  const arg = new Int32Array(O * I);
  for (let o = 0; o < O; o++) {
    for (let i = 0; i < I; i++) {
      let best = 0;
      for (let d = 1; d < D; d++) if (x.data[(o * D + d) * I + i] > x.data[(o * D + best) * I + i]) best = d;
      arg[o * I + i] = best;
      y.data[o * I + i] = x.data[(o * D + best) * I + i];
    }
  }
  y.backwardFn = () => {
    const gx = new Float64Array(x.data.length);
    for (let o = 0; o < O; o++) for (let i = 0; i < I; i++) gx[(o * D + arg[o * I + i]) * I + i] = y.grad![o * I + i];
    accumulate(x, gx);
  };
  return y;
}

/** The mean of all elements, a scalar (shape []). d(mean x)/dx_i = 1/n. */
export function mean(x: Var): Var {
  const n = x.data.length;
  const y = out([], x.dtype, 'mean', [x]);
  let acc = 0;
  for (let i = 0; i < n; i++) acc += x.data[i];
  y.data[0] = acc / n;
  y.backwardFn = () => {
    const gx = new Float64Array(n).fill(y.grad![0] / n);
    accumulate(x, gx);
  };
  return y;
}

/** a (n, k) @ b (k, m). d(A B) = dA B + A dB: dA = g @ B^T, dB = A^T @ g. */
export function matmul(a: Var, b: Var): Var {
  if (a.shape.length !== 2 || b.shape.length !== 2 || a.shape[1] !== b.shape[0]) {
    throw new Error(`matmul: shapes ${shapeStr(a.shape)} and ${shapeStr(b.shape)} do not chain`);
  }
  const [n, k] = a.shape;
  const m = b.shape[1];
  const y = out([n, m], a.dtype, 'matmul', [a, b]);
  mmKernel(y.data, a.data, b.data, n, k, m);
  y.backwardFn = () => {
    const ga = allocFloat(a.dtype, n * k);
    matmulNT(ga, y.grad!, b.data, n, m, k);
    accumulate(a, ga);
    const gb = allocFloat(b.dtype, k * m);
    matmulTN(gb, a.data, y.grad!, k, n, m);
    accumulate(b, gb);
  };
  return y;
}

/** A reshape: shares the data, so no numbers move; the gradient passes through unchanged. */
export function view(x: Var, shape: readonly number[]): Var {
  if (numel(shape) !== x.data.length) throw new Error(`view: cannot view ${shapeStr(x.shape)} as ${shapeStr(shape)}`);
  const y = new Var(shape, x.data, 'view', [x]);
  y.backwardFn = () => accumulate(x, y.grad!);
  return y;
}

/**
 * table[ids]: rows of table (V, E) picked by integer ids of shape idShape, giving (...idShape, E).
 * Backward scatters each row's gradient back, adding into the table's gradient one row at a time.
 */
export function indexRows(table: Var, ids: Int32Array, idShape: readonly number[]): Var {
  const E = table.shape[1];
  const y = out([...idShape, E], table.dtype, 'index', [table]);
  for (let r = 0; r < ids.length; r++) y.data.set(table.data.subarray(ids[r] * E, ids[r] * E + E), r * E);
  y.backwardFn = () => {
    if (table.grad === null) table.grad = allocFloat(table.dtype, table.data.length);
    for (let r = 0; r < ids.length; r++) for (let e = 0; e < E; e++) table.grad[ids[r] * E + e] += y.grad![r * E + e];
  };
  return y;
}

/** x[range(n), cols]: one element per row of x (n, m). Backward puts each row's gradient at its column. */
export function pick(x: Var, cols: Int32Array): Var {
  const [n, m] = x.shape;
  const y = out([n], x.dtype, 'pick', [x]);
  for (let i = 0; i < n; i++) y.data[i] = x.data[i * m + cols[i]];
  y.backwardFn = () => {
    const gx = new Float64Array(x.data.length);
    for (let i = 0; i < n; i++) gx[i * m + cols[i]] += y.grad![i];
    accumulate(x, gx);
  };
  return y;
}

/** Runs every recorded backward closure, from root (seeded with ones) back to the leaves. */
export function backward(root: Var): void {
  const topo: Var[] = [];
  const seen = new Set<Var>();
  const visit = (v: Var): void => {
    if (seen.has(v)) return;
    seen.add(v);
    for (const p of v.parents) visit(p);
    topo.push(v);
  };
  visit(root);
  root.grad = allocFloat(root.dtype, root.data.length).fill(1);
  for (let i = topo.length - 1; i >= 0; i--) {
    const v = topo[i];
    if (v.backwardFn !== null && v.grad !== null) v.backwardFn();
  }
}
