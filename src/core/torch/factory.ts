// Tensor factories: from values, zeros/ones/full, arange, linspace, eye, and the random ones, which draw
// from a RandomSource (PyTorch's CPU generator lives in random/torch.ts; generator.ts adapts it).

import { checkFits, isFloat, roundTo, type DType } from './dtype.js';
import { TorchError } from './errors.js';
import { Tensor, empty, numelOf, valuesOf, zerosOf } from './tensor.js';
import { fma64, fmaf } from '../random/fma.js';
import { castKernel, fillKernel } from './kernels/pointwise.js';

/** What the random factories need from a generator (torch.Generator's streams, in PyTorch's draw order). */
export interface RandomSource {
  /** out[i] ~ N(mean, std), as torch.randn / normal_ fill a contiguous tensor of that dtype */
  normal(out: Float32Array | Float64Array, mean: number, std: number): void;
  /** out[i] ~ U[from, to), as torch.rand / uniform_ */
  uniform(out: Float32Array | Float64Array, from: number, to: number): void;
  /** out[i] = a draw of torch.randint(low, high) (int64) */
  randint(out: Float64Array, low: number, high: number): void;
  /** out = torch.randperm(out.length) (int64 values) */
  randperm(out: Float64Array): void;
  /** torch.multinomial over rows of `cols` probabilities: rows * numSamples indices, row-major */
  multinomial(probs: Float32Array | Float64Array, cols: number, numSamples: number, replacement: boolean): ArrayLike<number>;
}

export function checkShape(shape: readonly number[]): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new TorchError(`Trying to create tensor with negative dimension ${d}: [${shape.join(', ')}]`);
  }
}

/** torch.tensor(values) from flat row-major values and a shape (the caller flattens nested lists). */
export function fromValues(values: ArrayLike<number>, shape: readonly number[], dtype: DType): Tensor {
  checkShape(shape);
  const n = numelOf(shape);
  if (values.length !== n) throw new TorchError(`expected ${n} values for shape [${shape.join(', ')}], got ${values.length}`);
  for (let i = 0; i < n; i++) checkFits(dtype, values[i], false);
  const t = empty(shape, dtype);
  const d = t.data;
  for (let i = 0; i < n; i++) d[t.offset + i] = roundTo(dtype, values[i]);
  return t;
}

export function full(shape: readonly number[], value: number, dtype: DType): Tensor {
  checkShape(shape);
  checkFits(dtype, value, true);
  const t = empty(shape, dtype);
  fillKernel(t, value);
  return t;
}

export function zeros(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  checkShape(shape);
  return zerosOf(shape, dtype);
}

export function ones(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return full(shape, 1, dtype);
}

/** torch.arange(start, end, step): the count is ceil((end - start) / step), computed in doubles. */
export function arange(start: number, end: number, step: number, dtype: DType): Tensor {
  if (step === 0) throw new TorchError('step must be nonzero');
  if ((end - start) / step < 0) throw new TorchError('upper bound and larger bound inconsistent with step sign');
  const n = Math.ceil((end - start) / step);
  const t = empty([n], dtype);
  const d = t.data;
  for (let i = 0; i < n; i++) d[t.offset + i] = roundTo(dtype, start + i * step);
  return t;
}

export function eye(n: number, m: number = n, dtype: DType = 'float32'): Tensor {
  const t = zerosOf([n, m], dtype);
  const d = t.data;
  for (let i = 0; i < Math.min(n, m); i++) d[t.offset + i * m + i] = 1;
  return t;
}

/**
 * torch.linspace as PyTorch 1.13's CPU kernel computes it on an AVX2 build (RangeFactoriesKernel.cpp), so the
 * values are its to the bit: in the dtype's arithmetic, step = (end - start) / (steps - 1); the elements in
 * runs of two vectors (8 floats or 4 doubles each), each vector from its first index i as
 * Vectorized::arange(base, step) with base = start + step * i (fused: the kernel is compiled with FMA) below
 * the halfway index and end - step * (steps - i - 1) past it, then base + j * step; the tail that does not
 * fill two vectors by the scalar formula, element by element. Integer dtypes step in doubles.
 */
export function linspace(start: number, end: number, steps: number, dtype: DType = 'float32'): Tensor {
  if (steps < 0) throw new TorchError('number of steps must be non-negative');
  const t = empty([steps], dtype);
  const d = t.data;
  const f32 = dtype !== 'float64' && isFloat(dtype);
  const R = f32 ? Math.fround : (v: number): number => v;
  const fma = f32 ? fmaf : fma64;
  const s = isFloat(dtype) ? R(start) : roundTo(dtype, start);
  const e = isFloat(dtype) ? R(end) : roundTo(dtype, end);
  const step = steps > 1 ? R((e - s) / (steps - 1)) : 0;
  const half = Math.floor(steps / 2);
  const base = (i: number): number => (i < half ? fma(step, i, s) : fma(-step, steps - i - 1, e));
  const V = dtype === 'float64' ? 4 : 8;
  let i = 0;
  if (isFloat(dtype)) {
    for (; i <= steps - 2 * V; i += 2 * V) {
      for (const v of [i, i + V]) {
        const b = base(v);
        for (let j = 0; j < V; j++) d[t.offset + v + j] = roundTo(dtype, j === 0 ? b : R(b + R(j * step)));
      }
    }
  }
  for (; i < steps; i++) d[t.offset + i] = roundTo(dtype, isFloat(dtype) ? base(i) : i < half ? s + step * i : e - step * (steps - i - 1));
  return t;
}

function floatOnly(dtype: DType, what: string): void {
  if (!isFloat(dtype)) throw new TorchError(`"${what}" not implemented for '${dtype === 'int64' ? 'Long' : dtype === 'bool' ? 'Bool' : dtype}'`);
}

/** A contiguous float32/float64 tensor filled by `fill` (half and bfloat16: drawn in float32, then rounded). */
function drawn(shape: readonly number[], dtype: DType, fill: (out: Float32Array | Float64Array) => void): Tensor {
  const draw: DType = dtype === 'float64' ? 'float64' : 'float32';
  const t = empty(shape, draw);
  fill((t.data as Float32Array | Float64Array).subarray(t.offset, t.offset + t.numel));
  return draw === dtype ? t : castKernel(t, dtype);
}

export function randn(shape: readonly number[], gen: RandomSource, dtype: DType = 'float32'): Tensor {
  checkShape(shape);
  floatOnly(dtype, 'normal_kernel_cpu');
  return drawn(shape, dtype, (o) => gen.normal(o, 0, 1));
}

export function rand(shape: readonly number[], gen: RandomSource, dtype: DType = 'float32'): Tensor {
  checkShape(shape);
  floatOnly(dtype, 'check_uniform_bounds');
  return drawn(shape, dtype, (o) => gen.uniform(o, 0, 1));
}

export function randint(low: number, high: number, shape: readonly number[], gen: RandomSource, dtype: DType = 'int64'): Tensor {
  checkShape(shape);
  if (!(low < high)) throw new TorchError(`random_ expects 'from' to be less than 'to', but got from=${low} >= to=${high}`);
  const t = empty(shape, 'int64');
  gen.randint((t.data as Float64Array).subarray(t.offset, t.offset + t.numel), low, high);
  return dtype === 'int64' ? t : castKernel(t, dtype);
}

/** The largest n randperm takes for a dtype (check_supported_max_int_with_precision, the integer casts). */
const RANDPERM_MAX: Partial<Record<DType, [number, string]>> = {
  float32: [2 ** 24 + 1, 'n cannot be greater than 2^24+1 for Float type.'],
  float64: [2 ** 53 + 1, 'n cannot be greater than 2^53+1 for Double type.'],
  float16: [2049, 'n cannot be greater than 2049 for Half type.'],
  uint8: [256, 'value cannot be converted to type uint8_t without overflow'],
  int8: [128, 'value cannot be converted to type int8_t without overflow'],
  int16: [32768, 'value cannot be converted to type int16_t without overflow'],
  int32: [2 ** 31, 'value cannot be converted to type int32_t without overflow'],
};

/** torch.randperm(n, generator, dtype): a permutation of 0..n-1 drawn as PyTorch 1.13's CPU kernel does. */
export function randperm(n: number, gen: RandomSource, dtype: DType = 'int64'): Tensor {
  if (n < 0) throw new TorchError(`Trying to create tensor with negative dimension ${n}: [${n}]`);
  if (dtype === 'bool') throw new TorchError('"randperm" not implemented for \'Bool\'');
  const max = RANDPERM_MAX[dtype];
  if (max !== undefined && n > max[0]) throw new TorchError(max[1]);
  const t = empty([n], 'int64');
  gen.randperm((t.data as Float64Array).subarray(t.offset, t.offset + n));
  return dtype === 'int64' ? t : castKernel(t, dtype);
}

/** torch.multinomial(probs (C) or (R, C), n, replacement): int64 (n) or (R, n). */
export function multinomial(probs: Tensor, n: number, replacement: boolean, gen: RandomSource): Tensor {
  if (probs.ndim < 1 || probs.ndim > 2) throw new TorchError('prob_dist must be 1 or 2 dim');
  if (!isFloat(probs.dtype)) throw new TorchError('multinomial only supports floating-point dtypes for input');
  const cols = probs.shape[probs.ndim - 1];
  if (!replacement && n > cols) throw new TorchError('cannot sample n_sample > prob_dist.size(-1) samples without replacement');
  if (n <= 0) throw new TorchError('cannot sample n_sample <= 0 samples');
  const vals = valuesOf(probs.dtype === 'float64' || probs.dtype === 'float32' ? probs : castKernel(probs, 'float32')) as Float32Array | Float64Array;
  for (let i = 0; i < vals.length; i++) {
    if (!(vals[i] >= 0) || vals[i] === Infinity) throw new TorchError('probability tensor contains either `inf`, `nan` or element < 0');
  }
  const idx = gen.multinomial(vals, cols, n, replacement);
  const shape = probs.ndim === 1 ? [n] : [probs.shape[0], n];
  const t = empty(shape, 'int64');
  const d = t.data;
  for (let i = 0; i < t.numel; i++) d[t.offset + i] = idx[i];
  return t;
}

/** x.normal_(mean, std) / x.uniform_(from, to) in place (contiguous floating tensors). */
export function randomFill(x: Tensor, kind: 'normal' | 'uniform', a: number, b: number, gen: RandomSource): void {
  if (!x.isContiguous || (x.dtype !== 'float32' && x.dtype !== 'float64')) throw new TorchError(`${kind}_ here needs a contiguous float32 or float64 tensor`);
  const d = (x.data as Float32Array | Float64Array).subarray(x.offset, x.offset + x.numel);
  if (kind === 'normal') gen.normal(d, a, b);
  else gen.uniform(d, a, b);
  x.version.v++;
}
