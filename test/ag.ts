// The lecture's chunked ops as small functions over the torch library (src/core/torch) in float64: the
// autograd that the fused layers (ops.test.ts) and the finite differences (autograd.test.ts) check.

import * as T from '../src/core/torch/index.js';

export type Var = T.Tensor;
const ids = (X: Int32Array, shape: number[]): T.IndexItem => ({ kind: 'tensor', t: T.fromValues(X, shape, 'int64') });
export const ag = {
  leaf: (t: { shape: number[]; data: Float64Array }): Var => T.setRequiresGrad(T.fromData(t.data, 'float64', t.shape), true),
  add: (a: Var, b: Var): Var => T.binary('add', a, b),
  sub: (a: Var, b: Var): Var => T.binary('sub', a, b),
  mul: (a: Var, b: Var): Var => T.binary('mul', a, b),
  mulScalar: (x: Var, c: number): Var => T.binaryScalar('mul', x, c, 'float'),
  addScalar: (x: Var, c: number): Var => T.binaryScalar('add', x, c, 'float'),
  pow: (x: Var, p: number): Var => T.binaryScalar('pow', x, p, 'float'),
  sum: (x: Var, dim: number, keepdim = false): Var => T.sumDims(x, dim, keepdim),
  mean: (x: Var): Var => T.mean(x, null),
  max: (x: Var, dim: number, keepdim: boolean): Var => T.maxMinDim(x, dim, keepdim, true)[0],
  tanh: (x: Var): Var => T.unary('tanh', x),
  exp: (x: Var): Var => T.unary('exp', x),
  log: (x: Var): Var => T.unary('log', x),
  neg: (x: Var): Var => T.neg(x),
  view: (x: Var, shape: number[]): Var => T.view(x, shape),
  matmul: (a: Var, b: Var): Var => T.matmul(a, b),
  indexRows: (C: Var, X: Int32Array, shape: number[]): Var => T.getitem(C, [ids(X, shape)]),
  pick: (x: Var, Y: Int32Array): Var => T.getitem(x, [{ kind: 'tensor', t: T.arange(0, x.shape[0], 1, 'int64') }, ids(Y, [Y.length])]),
  backward: (x: Var): void => T.backward(x),
};
/** a tensor's gradient values (row-major) */
export const gradOf = (v: Var): ArrayLike<number> => T.values(v.grad!);
/** a tensor's values (row-major) */
export const valuesOf = (v: Var): ArrayLike<number> => T.values(v);
