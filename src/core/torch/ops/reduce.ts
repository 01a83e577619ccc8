// Reductions with autograd: sum, mean, var/std, max/min (values and indices), amax/amin, argmax/argmin,
// all/any, and the cumulative cumsum/cumprod. Kernels in kernels/reduce.ts; each op's backward beside it.

import { isFloat, pyName, roundTo, type DType } from '../dtype.js';
import { TorchError } from '../errors.js';
import { Node, needsGrad, record, saveInput, saveOutput } from '../graph.js';
import { Tensor, empty, valuesOf, zerosOf } from '../tensor.js';
import { scatterAlongDim } from '../kernels/gather.js';
import {
  allAnyKernel, argFlatKernel, cumKernel, forEachLane, laneOf, maxMinAllKernel, maxMinDimKernel, meanKernel, normDims,
  reducedCount, sumKernel, varKernel, wrapDim,
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
    record(vals, new Node(isMax ? 'MaxBackward0' : 'MinBackward0', (g, [ix], F) => [
      keepdim ? scatterAlongDim(inShape, d, ix, g) : scatterAlongDim(inShape, d, F.unsqueeze(ix, d), F.unsqueeze(g, d)),
    ], [saveInput(idxs)]), [x]);
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

// ---------------------------------------------------------------------------------------------------------
// cumulative ops, logsumexp, norm

/** The dtype of cumsum/cumprod: `dtype` when given, else integers and bool give int64, floats their own. */
function cumType(x: Tensor, dtype: DType | null): DType {
  return dtype ?? (isFloat(x.dtype) ? x.dtype : 'int64');
}

/** x.cumsum(dim, dtype). d cumsum = the reversed cumsum of the gradient (CumsumBackward0). */
export function cumsum(x: Tensor, dim: number, dtype: DType | null = null): Tensor {
  const d = wrapDim(dim, x.ndim);
  const dt = cumType(x, dtype);
  const y = cumKernel(x, d, 'sum', dt);
  if (needsGrad(x) && isFloat(dt) && isFloat(x.dtype)) {
    const from = x.dtype;
    // cumsum_backward(grad.to(self.scalar_type()), dim): grad.flip(dim).cumsum(dim).flip(dim)
    record(y, new Node('CumsumBackward0', (g, _s, F) => {
      const gc = F.castTo(g, from);
      return [gc.numel <= 1 || (gc.ndim > 0 && gc.shape[d] === 1) ? gc : cumKernel(gc, d, 'sum', from, true)];
    }), [x]);
  }
  return y;
}

/**
 * x.cumprod(dim, dtype) (CumprodBackward0). Its backward is cumprod_backward's: for an input without zeros
 * reversed_cumsum(result * grad).div(input), else cumprodGradWithZeros.
 */
export function cumprod(x: Tensor, dim: number, dtype: DType | null = null): Tensor {
  const d = wrapDim(dim, x.ndim);
  const dt = cumType(x, dtype);
  const y = cumKernel(x, d, 'prod', dt);
  if (needsGrad(x) && isFloat(dt) && isFloat(x.dtype)) {
    const name = 'CumprodBackward0';
    record(y, new Node(name, (g, [s, r], F) => {
      const gc = F.castTo(g, s.dtype);
      if (s.numel <= 1 || (s.ndim > 0 && s.shape[d] === 1)) return [gc];
      const w = F.mul(r, gc);
      const anyZero = allAnyKernel(F.binaryScalar('eq', s, 0, 'int'), normDims(null, s.ndim), false, false);
      if (anyZero.data[anyZero.offset] === 0) return [F.div(cumKernel(w, d, 'sum', s.dtype, true), s)];
      return [cumprodGradWithZeros(s, gc, w, d)];
    }, [saveInput(x), saveOutput(y, name)]), [x]);
  }
  return y;
}

/**
 * d cumprod for an input with zeros, per lane with its first zero at z1 (cumprod_backward's cases): before z1,
 * the reversed cumsum of w = output * grad up to z1 divided by the input, as PyTorch computes it; at z1, the
 * product rule sum over z1 <= j < z2 of grad[j] * prod(x[i], i <= j, i != z1) in doubles (PyTorch's masked
 * cumprods may differ in the last bit); after z1, zero.
 */
function cumprodGradWithZeros(x: Tensor, g: Tensor, w: Tensor, d: number): Tensor {
  const out = zerosOf(x.shape, x.dtype);
  const n = x.ndim === 0 ? 1 : x.shape[d];
  const xv = new Float64Array(n);
  const gc = g.isContiguous ? g : clonePlain(g);
  const wc = w.isContiguous ? w : clonePlain(w);
  const od = out.data;
  const R = (v: number): number => roundTo(x.dtype, v);
  forEachLane(x, d, (off, s, r) => {
    const [o, os] = laneOf(x.shape, d, r);
    let z1 = n;
    for (let i = 0; i < n; i++) {
      xv[i] = x.data[off + i * s];
      if (xv[i] === 0 && z1 === n) z1 = i;
    }
    let acc = 0;
    for (let k = z1 - 1; k >= 0; k--) {
      acc += wc.data[wc.offset + o + k * os];
      od[out.offset + o + k * os] = R(R(acc) / xv[k]);
    }
    if (z1 === n) return;
    let sum = 0;
    let p = 1;
    for (let i = 0; i < z1; i++) p *= xv[i];
    for (let j = z1; j < n && (j === z1 || xv[j] !== 0); j++) {
      if (j > z1) p *= xv[j];
      sum += gc.data[gc.offset + o + j * os] * p;
    }
    od[out.offset + o + z1 * os] = R(sum);
  });
  return out;
}

function clonePlain(t: Tensor): Tensor {
  const c = empty(t.shape, t.dtype);
  c.data.set(valuesOf(t) as never, c.offset);
  return c;
}
