// The op set: every differentiable primitive of the library by name, one object. Backward formulas compute
// with it (they receive it from the engine as `F`), so an op file never imports another op file for its
// backward and the import graph stays a tree: kernels below ops, ops below this, the engine above.

import * as P from './ops/pointwise.js';
import * as R from './ops/reduce.js';
import * as S from './ops/shape.js';
import * as I from './ops/index.js';
import * as L from './ops/linalg.js';
import * as N from './ops/nn.js';

export const F = {
  // elementwise (ops/pointwise.ts)
  binary: P.binary, binaryScalar: P.binaryScalar, powScalar: P.powScalar, unary: P.unary, clamp: P.clamp,
  where: P.where, castTo: P.castTo, add: P.add, sub: P.sub, mul: P.mul, div: P.div, neg: P.neg,
  // reductions (ops/reduce.ts)
  sumDims: R.sumDims, mean: R.mean, variance: R.variance, maxMinDim: R.maxMinDim, maxMinAll: R.maxMinAll,
  amaxAmin: R.amaxAmin, argMaxMin: R.argMaxMin, allAny: R.allAny,
  // shapes and views (ops/shape.ts)
  view: S.view, reshape: S.reshape, permute: S.permute, transpose: S.transpose, t: S.t, T: S.T,
  unsqueeze: S.unsqueeze, unsqueezeDims: S.unsqueezeDims, squeeze: S.squeeze, expand: S.expand,
  expandTo: S.expandTo, sumTo: S.sumTo, select: S.select, slice: S.slice, split: S.split,
  tensorSplit: S.tensorSplit, cat: S.cat, stack: S.stack, clone: S.clone, contiguous: S.contiguous,
  detach: S.detach, dataOf: S.dataOf, zerosLike: S.zerosLike,
  // indexing by tensors (ops/index.ts)
  index: I.index,
  // matrix products (ops/linalg.ts)
  mm: L.mm, mv: L.mv, dot: L.dot, bmm: L.bmm, addmm: L.addmm,
  // torch.nn.functional primitives (ops/nn.ts)
  softmax: N.softmax, logSoftmax: N.logSoftmax, nllLoss: N.nllLoss, embedding: N.embedding, batchNorm: N.batchNorm,
  layerNorm: N.layerNorm,
};

export type OpSet = typeof F;
