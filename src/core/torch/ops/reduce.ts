// Reductions with autograd: sum, mean, var/std, max/min (values and indices), amax/amin, argmax/argmin,
// all/any. Kernels in kernels/reduce.ts; each op's backward beside it.

import { isFloat, pyName } from '../dtype.js';
import { TorchError } from '../errors.js';
import { Node, needsGrad, record, saveInput, saveOutput } from '../graph.js';
import { Tensor, zerosOf } from '../tensor.js';
import {
  allAnyKernel, argFlatKernel, maxMinAllKernel, maxMinDimKernel, meanKernel, normDims, reducedCount, sumKernel,
  varKernel, wrapDim,
} from '../kernels/reduce.js';

/** x.sum(dims, keepdim). d(sum x) = the gradient broadcast back (SumBackward0 all, SumBackward1 dims). */
export function sumDims(x: Tensor, dims: number | readonly number[] | null, keepdim = false): Tensor {
  const ds = normDims(dims, x.ndim);
  const y = sumKernel(x, ds, keepdim);
  if (needsGrad(x) && isFloat(x.dtype)) {
    const inShape = x.shape;
    // sum_backward: the gradient (its reduced dimensions restored) expanded to the input's shape
    record(y, new Node(dims === null ? 'SumBackward0' : 'SumBackward1', (g, _s, F) => [F.expand(keepdim ? g : F.unsqueezeDims(g, ds), inShape)]), [x]);
  }
  return y;
}

/** x.mean(dims, keepdim): the double sum divided by the count, rounded once (MeanBackward0 / 1). */
export function mean(x: Tensor, dims: number | readonly number[] | null, keepdim = false): Tensor {
  if (!isFloat(x.dtype)) throw new TorchError(`mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: ${pyName(x.dtype)}`);
  const ds = normDims(dims, x.ndim);
  const y = meanKernel(x, ds, keepdim);
  if (needsGrad(x)) {
    const inShape = x.shape;
    const n = reducedCount(x.shape, ds);
    // grad.expand(sizes) / numel (the count of elements averaged)
    record(y, new Node(dims === null ? 'MeanBackward0' : 'MeanBackward1', (g, _s, F) => [F.binaryScalar('div', F.expand(keepdim ? g : F.unsqueezeDims(g, ds), inShape), n, 'int')]), [x]);
  }
  return y;
}

/** x.var / x.std over dims with `correction` (1: Bessel's, unbiased). */
export function variance(x: Tensor, dims: number | readonly number[] | null, correction: number, keepdim: boolean, std: boolean): Tensor {
  if (!isFloat(x.dtype)) throw new TorchError('std and var only support floating point and complex dtypes');
  const ds = normDims(dims, x.ndim);
  const y = varKernel(x, ds, correction, keepdim, std);
  if (needsGrad(x)) {
    const name = std ? 'StdBackward0' : 'VarBackward0';
    const dof = reducedCount(x.shape, ds) - correction;
    const saved = std ? [saveInput(x), saveOutput(y, name)] : [saveInput(x)];
    record(y, new Node(name, (g, [s, r], F) => {
      let gr = g;
      if (std) {
        // std_backward: var_backward((grad / (result * 2)).masked_fill_(result == 0, 0), ...)
        const q = F.div(g, F.binaryScalar('mul', r, 2, 'int'));
        gr = F.where(F.binaryScalar('eq', r, 0, 'int'), F.zerosLike(q), q);
      }
      // var_backward: (2.0 / dof) * grad * (self - self.mean(dim, true))
      const gk = keepdim ? gr : F.unsqueezeDims(gr, ds);
      return [F.mul(F.binaryScalar('mul', gk, 2.0 / dof, 'float'), F.sub(s, F.mean(s, ds, true)))];
    }, saved), [x]);
  }
  return y;
}

/** values and indices of max/min along dim (MaxBackward0: the gradient scattered at the indices). */
export function maxMinDim(x: Tensor, dim: number, keepdim: boolean, isMax: boolean): [Tensor, Tensor] {
  const d = wrapDim(dim, x.ndim);
  if (x.ndim > 0 && x.shape[d] === 0) throw new TorchError(`${isMax ? 'max' : 'min'}(): Expected reduction dim ${d} to have non-zero size.`, 'IndexError');
  const [vals, idxs] = maxMinDimKernel(x, d, keepdim, isMax);
  if (needsGrad(x) && isFloat(x.dtype)) {
    const inShape = x.shape;
    // value_selecting_reduction_backward: zeros, the gradient scattered at the indices along dim
    record(vals, new Node(isMax ? 'MaxBackward0' : 'MinBackward0', (g, [ix], F) => {
      const gk = F.contiguous(g);
      const z = zerosOf(inShape, g.dtype);
      const inner = inShape.slice(d + 1).reduce((p, q) => p * q, 1);
      const D = inShape.length === 0 ? 1 : inShape[d];
      const zd = z.data;
      const gd = gk.data;
      const id = ix.data;
      for (let o = 0; o < gk.numel; o++) {
        const outer = Math.floor(o / inner);
        zd[z.offset + (outer * D + id[ix.offset + o]) * inner + (o % inner)] = gd[gk.offset + o];
      }
      return [z];
    }, [saveInput(idxs)]), [x]);
  }
  return [vals, idxs];
}

/** x.max() / x.min() over everything (MaxBackward1: the gradient shared evenly among the maxima). */
export function maxMinAll(x: Tensor, isMax: boolean): Tensor {
  const y = maxMinAllKernel(x, isMax);
  if (needsGrad(x) && isFloat(x.dtype)) {
    const name = isMax ? 'MaxBackward1' : 'MinBackward1';
    record(y, new Node(name, (g, [s, r], F) => {
      // zeros.masked_fill_(input == value, grad / mask.sum())
      const rv = r.data[r.offset];
      const mask = rv !== rv ? F.binary('ne', s, s) : F.binary('eq', s, r);
      const share = F.div(g, F.sumDims(mask, null));
      return [F.where(mask, share, F.zerosLike(s))];
    }, [saveInput(x), saveOutput(y, name)]), [x]);
  }
  return y;
}

/** amax/amin over dims (AmaxBackward0: the gradient split among the maxima of each slice). */
export function amaxAmin(x: Tensor, dims: number | readonly number[] | null, keepdim: boolean, isMax: boolean): Tensor {
  const ds = normDims(dims, x.ndim);
  let y = x;
  for (let i = ds.length - 1; i >= 0; i--) y = maxMinDimKernel(y, ds[i], true, isMax)[0];
  const out = keepdim || ds.length === 0 ? y : reshapeKeep(y, ds);
  if (needsGrad(x) && isFloat(x.dtype)) {
    const name = isMax ? 'AmaxBackward0' : 'AminBackward0';
    record(out, new Node(name, (g, [s, r], F) => {
      // scale_grad_by_count(restore(grad), restore(result) == self, dims) = (grad / mask.sum(dims, true)) * mask
      const gk = keepdim ? g : F.unsqueezeDims(g, ds);
      const yk = keepdim ? r : F.unsqueezeDims(r, ds);
      const mask = F.binary('eq', yk, s);
      return [F.mul(F.div(gk, F.sumDims(mask, ds, true)), mask)];
    }, [saveInput(x), saveOutput(out, name)]), [x]);
  }
  return out;
}

/** y (keepdim shape) with the reduced dims dropped: a fresh contiguous tensor of the same values. */
function reshapeKeep(y: Tensor, ds: readonly number[]): Tensor {
  const shape = y.shape.filter((_, i) => !ds.includes(i));
  const out = zerosOf(shape, y.dtype);
  out.data.set(y.data.subarray(y.offset, y.offset + y.numel) as never, out.offset);
  return out;
}

/** argmax/argmin along dim, or of the flattened tensor (dim null). */
export function argMaxMin(x: Tensor, dim: number | null, keepdim: boolean, isMax: boolean): Tensor {
  if (dim === null) return argFlatKernel(x, keepdim, isMax);
  const d = wrapDim(dim, x.ndim);
  if (x.ndim > 0 && x.shape[d] === 0) throw new TorchError(`${isMax ? 'argmax' : 'argmin'}(): Expected reduction dim ${d} to have non-zero size.`, 'IndexError');
  return maxMinDimKernel(x, d, keepdim, isMax)[1];
}

/** all/any over dims (null: everything), as bool. */
export function allAny(x: Tensor, dims: number | readonly number[] | null, keepdim: boolean, isAll: boolean): Tensor {
  return allAnyKernel(x, normDims(dims, x.ndim), keepdim, isAll);
}

export { normDims, wrapDim };
