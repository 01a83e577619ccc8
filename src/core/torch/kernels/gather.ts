// Advanced-indexing kernels (no autograd: ops/index.ts records the nodes): the plan of an index by integer
// tensors (which storage elements the result reads), the gather that reads them, the scatter that writes
// or adds into them in element order, and nonzero.

import { TorchError } from '../errors.js';
import { Tensor, empty, forEachRowN, numelOf, valuesOf, zerosOf } from '../tensor.js';
import { broadcastStrides, castKernel } from './pointwise.js';
import { flatValues } from './reduce.js';

/** The geometry of an advanced index: result shape and, per result element, the heap index read. */
export interface Gather {
  shape: number[];
  offsets: Int32Array;
}

function broadcastIndex(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const da = i - n + a.length >= 0 ? a[i - n + a.length] : 1;
    const db = i - n + b.length >= 0 ? b[i - n + b.length] : 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new TorchError(`shape mismatch: indexing tensors could not be broadcast together with shapes [${a.join(', ')}], [${b.join(', ')}]`, 'IndexError');
    }
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** The storage offsets (relative) of every combination of the given dimensions, row-major. */
function dimOffsets(y: Tensor, dims: readonly number[]): Int32Array {
  let offs = new Int32Array([0]);
  for (const d of dims) {
    const n = y.shape[d];
    const next = new Int32Array(offs.length * n);
    for (let i = 0; i < offs.length; i++) for (let j = 0; j < n; j++) next[i * n + j] = offs[i] + j * y.strides[d];
    offs = next;
  }
  return offs;
}

/**
 * y[adv] for per-dimension integer index tensors (null: the whole dimension): PyTorch's placement, the
 * broadcast index shape where the indexed dimensions were when they are adjacent, else first.
 */
export function gatherPlan(y: Tensor, adv: readonly (Tensor | null)[]): Gather {
  const advDims: number[] = [];
  for (let d = 0; d < y.ndim; d++) if (adv[d] !== null && adv[d] !== undefined) advDims.push(d);
  let bshape: number[] = [];
  for (const d of advDims) bshape = broadcastIndex(bshape, adv[d]!.shape);
  const bn = numelOf(bshape);
  const offB = new Int32Array(bn);
  for (const d of advDims) {
    const t = adv[d]!;
    const size = y.shape[d];
    const st = y.strides[d];
    // the index values broadcast to bshape, read through broadcast strides, in row-major order
    const str = broadcastStrides(t, bshape);
    const tv = t.data;
    const nd = bshape.length;
    const last = nd === 0 ? 1 : bshape[nd - 1];
    const ls = nd === 0 ? 0 : str[nd - 1];
    forEachRowN(bshape, [str], [t.offset], (o, row) => {
      for (let j = 0; j < last; j++) {
        let k = tv[o[0] + j * ls];
        if (k < -size || k >= size) throw new TorchError(`index ${k} is out of bounds for dimension ${d} with size ${size}`, 'IndexError');
        if (k < 0) k += size;
        offB[row * last + j] += k * st;
      }
    });
  }
  const adjacent = advDims.length > 0 && advDims[advDims.length - 1] - advDims[0] === advDims.length - 1;
  const rest = y.shape.map((_, d) => d).filter((d) => !advDims.includes(d));
  const pre = adjacent ? rest.filter((d) => d < advDims[0]) : [];
  const post = adjacent ? rest.filter((d) => d > advDims[0]) : rest;
  const offPre = dimOffsets(y, pre);
  const offPost = dimOffsets(y, post);
  const shape = [...pre.map((d) => y.shape[d]), ...bshape, ...post.map((d) => y.shape[d])];
  const offsets = new Int32Array(offPre.length * bn * offPost.length);
  let k = 0;
  for (let a = 0; a < offPre.length; a++) {
    for (let b = 0; b < bn; b++) {
      const base = y.offset + offPre[a] + offB[b];
      for (let c = 0; c < offPost.length; c++) offsets[k++] = base + offPost[c];
    }
  }
  return { shape, offsets };
}

/** A new contiguous tensor of y's elements at the plan's offsets. */
export function gatherKernel(y: Tensor, plan: Gather): Tensor {
  const out = empty(plan.shape, y.dtype);
  const src = y.data;
  const o = out.data;
  const offs = plan.offsets;
  const base = out.offset;
  for (let i = 0; i < offs.length; i++) o[base + i] = src[offs[i]];
  return out;
}

/** y's elements at the plan's offsets set to (or, accumulating, increased by) v's, v already of the plan's shape. */
export function scatterKernel(y: Tensor, plan: Gather, v: Tensor, accumulate: boolean): void {
  const V = v.dtype === y.dtype ? v : castKernel(v, y.dtype);
  const { data: vals, offset } = flatValues(V);
  const d = y.data;
  const offs = plan.offsets;
  if (accumulate) for (let i = 0; i < offs.length; i++) d[offs[i]] += vals[offset + i];
  else for (let i = 0; i < offs.length; i++) d[offs[i]] = vals[offset + i];
}

/** The indices of the true elements of a bool tensor, one int64 tensor per dimension. */
export function nonzeroKernel(mask: Tensor): Tensor[] {
  const { data: v, offset } = flatValues(mask);
  const idx: number[] = [];
  for (let i = 0; i < mask.numel; i++) if (v[offset + i] !== 0) idx.push(i);
  const nd = mask.ndim;
  const out = Array.from({ length: nd }, () => empty([idx.length], 'int64'));
  for (let j = 0; j < idx.length; j++) {
    let rem = idx[j];
    for (let k = nd - 1; k >= 0; k--) {
      const o = out[k];
      o.data[o.offset + j] = rem % mask.shape[k];
      rem = Math.floor(rem / mask.shape[k]);
    }
  }
  return out;
}

/**
 * Zeros of `shape` with g's values put at idx along d (idx and g of one shape, equal to `shape` but along d):
 * value_selecting_reduction_backward, the backward of max/min along a dim, sort and topk.
 */
export function scatterAlongDim(shape: readonly number[], d: number, idx: Tensor, g: Tensor): Tensor {
  const z = zerosOf(shape, g.dtype);
  const gv = valuesOf(g);
  const iv = valuesOf(idx);
  const D = shape.length === 0 ? 1 : shape[d];
  const k = idx.ndim === 0 ? 1 : idx.shape[d];
  let inner = 1;
  for (let i = d + 1; i < shape.length; i++) inner *= shape[i];
  const zd = z.data;
  for (let o = 0; o < iv.length; o++) {
    const outer = Math.floor(o / (k * inner));
    zd[z.offset + (outer * D + iv[o]) * inner + (o % inner)] = gv[o];
  }
  return z;
}
