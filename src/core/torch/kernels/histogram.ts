// torch.histogram and torch.histc, as PyTorch 1.13's CPU kernels compute them (Histogram.cpp,
// cpu/HistogramKernel.cpp): the bin edges from torch.linspace over the outer edges, each element's bin by
// linear interpolation in the input's own float arithmetic (histogram then checks the neighbouring edges,
// so an element sits in the bin its edges say; histc does not), the last bin closed on the right, elements
// outside the edges and NaN skipped, counts accumulated in the input's dtype.

import { pyName, type DType } from '../dtype.js';
import { TorchError } from '../errors.js';
import { Tensor, valuesOf, zerosOf } from '../tensor.js';
import { linspace } from '../factory.js';
import { roundResult } from './pointwise.js';

function floatInput(x: Tensor, what: string): void {
  if (x.dtype !== 'float32' && x.dtype !== 'float64') throw new TorchError(`"${what}" not implemented for '${pyName(x.dtype)}'`);
}

/** The bin of each value (or -1 to skip) by PyTorch's linear interpolation, optionally with its local search. */
function bin(v: number, edges: Float32Array | Float64Array, f32: boolean, search: boolean): number {
  const R = f32 ? Math.fround : (x: number): number => x;
  const n = edges.length;
  const left = edges[0];
  const right = edges[n - 1];
  if (!(v >= left && v <= right)) return -1;
  let pos = Math.trunc(R(R(R(v - left) * (n - 1)) / R(right - left)));
  if (search) {
    // std::upper_bound over edges[pos - 1 .. pos + 2): the first edge > v, minus one
    const lo = Math.max(0, pos - 1);
    const hi = Math.min(pos + 2, n);
    let k = lo;
    while (k < hi && edges[k] <= v) k++;
    pos = k - 1;
  }
  if (pos === n - 1) pos -= 1;
  return pos;
}

function count(x: Tensor, edges: Tensor, search: boolean): Tensor {
  const e = valuesOf(edges) as Float32Array | Float64Array;
  const vals = valuesOf(x);
  const hist = zerosOf([e.length - 1], x.dtype);
  const h = hist.data;
  const f32 = x.dtype === 'float32';
  for (let i = 0; i < vals.length; i++) {
    const p = bin(vals[i], e, f32, search);
    if (p >= 0) h[hist.offset + p] += 1;
  }
  return hist;
}

/** x's smallest and largest values ([NaN, NaN] when any is NaN): the range both histograms take by default. */
function extent(x: Tensor): [number, number] {
  const v = valuesOf(x);
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < v.length; i++) {
    const a = v[i];
    if (a !== a) return [NaN, NaN];
    if (a < lo) lo = a;
    if (a > hi) hi = a;
  }
  return [lo, hi];
}

/** torch.histogram(input, bins, range=None, density=False) -> [hist, bin_edges], both of input's dtype. */
export function histogram(x: Tensor, bins: number, range: [number, number] | null, density: boolean): [Tensor, Tensor] {
  floatInput(x, 'histogramdd');
  if (!(bins > 0)) throw new TorchError(`torch.histogram(): bins must be > 0, but got ${bins} for dimension 0`);
  let left = 0;
  let right = 1;
  if (range !== null) [left, right] = range;
  else if (x.numel > 0) {
    [left, right] = extent(x);
  }
  if (!Number.isFinite(left) || !Number.isFinite(right)) throw new TorchError(`torch.histogramdd: dimension 0's range [${fmt(left)}, ${fmt(right)}] is not finite`);
  if (!(left <= right)) throw new TorchError(`torch.histogramdd: min should not exceed max, but got min ${fmt(left)} max ${fmt(right)} for dimension 0`);
  if (left === right) {
    left -= 0.5;
    right += 0.5;
  }
  const edges = linspace(left, right, bins + 1, x.dtype);
  const hist = count(x, edges, true);
  if (density) normalize(hist, edges);
  return [hist, edges];
}

/** hist / hist.sum() / bin_lengths, each division in the dtype (PyTorch's div_ twice). */
function normalize(hist: Tensor, edges: Tensor): void {
  const R = hist.dtype === 'float32' ? Math.fround : (x: number): number => x;
  const h = hist.data;
  const e = edges.data;
  let sum = 0;
  for (let i = 0; i < hist.numel; i++) sum += h[hist.offset + i];
  sum = R(sum);
  for (let i = 0; i < hist.numel; i++) {
    const len = R(e[edges.offset + i + 1] - e[edges.offset + i]);
    h[hist.offset + i] = R(R(h[hist.offset + i] / sum) / len);
  }
}

/** torch.histc(input, bins=100, min=0, max=0): counts only, of input's dtype. */
export function histc(x: Tensor, bins: number, min: number, max: number): Tensor {
  floatInput(x, 'histogram_cpu');
  if (!(bins > 0)) throw new TorchError(`torch.histogram(): bins must be > 0, but got ${bins} for dimension 0`);
  let left = min;
  let right = max;
  if (left === right && x.numel > 0) {
    [left, right] = extent(x);
  }
  if (left === right) {
    left -= 1;
    right += 1;
  }
  if (!Number.isFinite(left) || !Number.isFinite(right)) throw new TorchError(`torch.histc: range of [${fmt(left)}, ${fmt(right)}] is not finite`);
  if (!(left < right)) throw new TorchError('torch.histc: max must be larger than min');
  const edges = linspace(left, right, bins + 1, x.dtype);
  const hist = count(x, edges, false);
  roundResult(hist);
  return hist;
}

/** A double as C++'s ostream prints it in PyTorch's messages (6 significant digits). */
function fmt(v: number): string {
  if (!Number.isFinite(v)) return v !== v ? 'nan' : v > 0 ? 'inf' : '-inf';
  return String(Number(v.toPrecision(6)));
}

export type { DType };
