// Tensor factories: from values, zeros/ones/full/empty(_like), arange, eye, and the random ones, which
// draw from a RandomSource (PyTorch's CPU generator lives in random/torch.ts; a source adapts it).

import { TorchError, empty, fromData, isFloat, roundTo, type DType, type Tensor } from './tensor.js';
import { contiguousValues } from './elementwise.js';

/** What the random factories need from a generator (torch.Generator's streams, in PyTorch's draw order). */
export interface RandomSource {
  /** out[i] ~ N(mean, std), as torch.randn / normal_ fill a contiguous tensor of that dtype */
  normal(out: Float32Array | Float64Array, mean: number, std: number): void;
  /** out[i] ~ U[from, to), as torch.rand / uniform_ */
  uniform(out: Float32Array | Float64Array, from: number, to: number): void;
  /** out[i] = a draw of torch.randint(low, high) (int64) */
  randint(out: Float64Array, low: number, high: number): void;
  /** torch.multinomial over rows of `cols` probabilities: rows * numSamples indices, row-major */
  multinomial(probs: Float32Array | Float64Array, cols: number, numSamples: number, replacement: boolean): ArrayLike<number>;
}

function checkShape(shape: readonly number[]): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new TorchError(`Trying to create tensor with negative dimension ${d}: [${shape.join(', ')}]`);
  }
}

/** torch.tensor(values) from flat row-major values and a shape (the caller flattens nested lists). */
export function fromValues(values: ArrayLike<number>, shape: readonly number[], dtype: DType): Tensor {
  checkShape(shape);
  const t = empty(shape, dtype);
  if (values.length !== t.numel) throw new TorchError(`expected ${t.numel} values for shape [${shape.join(', ')}], got ${values.length}`);
  for (let i = 0; i < values.length; i++) t.data[i] = roundTo(dtype, values[i]);
  return t;
}

export function full(shape: readonly number[], value: number, dtype: DType): Tensor {
  checkShape(shape);
  const t = empty(shape, dtype);
  if (value !== 0) t.data.fill(roundTo(dtype, value));
  return t;
}

export function zeros(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return full(shape, 0, dtype);
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
  for (let i = 0; i < n; i++) t.data[i] = roundTo(dtype, start + i * step);
  return t;
}

export function eye(n: number, m: number = n, dtype: DType = 'float32'): Tensor {
  const t = full([n, m], 0, dtype);
  for (let i = 0; i < Math.min(n, m); i++) t.data[i * m + i] = 1;
  return t;
}

export function linspace(start: number, end: number, steps: number, dtype: DType = 'float32'): Tensor {
  const t = empty([steps], dtype);
  const step = steps > 1 ? (end - start) / (steps - 1) : 0;
  const half = Math.floor(steps / 2);
  for (let i = 0; i < steps; i++) t.data[i] = roundTo(dtype, i < half ? start + step * i : end - step * (steps - i - 1));
  return t;
}

function floatOnly(dtype: DType, what: string): void {
  if (!isFloat(dtype)) throw new TorchError(`"${what}" not implemented for '${dtype === 'int64' ? 'Long' : 'Bool'}'`);
}

export function randn(shape: readonly number[], gen: RandomSource, dtype: DType = 'float32'): Tensor {
  checkShape(shape);
  floatOnly(dtype, 'normal_kernel_cpu');
  const t = empty(shape, dtype);
  gen.normal(t.data as Float32Array | Float64Array, 0, 1);
  return t;
}

export function rand(shape: readonly number[], gen: RandomSource, dtype: DType = 'float32'): Tensor {
  checkShape(shape);
  floatOnly(dtype, 'check_uniform_bounds');
  const t = empty(shape, dtype);
  gen.uniform(t.data as Float32Array | Float64Array, 0, 1);
  return t;
}

export function randint(low: number, high: number, shape: readonly number[], gen: RandomSource, dtype: DType = 'int64'): Tensor {
  checkShape(shape);
  if (!(low < high)) throw new TorchError(`random_ expects 'from' to be less than 'to', but got from=${low} >= to=${high}`);
  const t = empty(shape, 'float64');
  gen.randint(t.data as Float64Array, low, high);
  if (dtype === 'float64' || dtype === 'int64') return fromData(t.data, dtype, shape);
  const out = empty(shape, dtype);
  out.data.set(t.data as never);
  return out;
}

/** torch.multinomial(probs (C) or (R, C), n, replacement): int64 (n) or (R, n). */
export function multinomial(probs: Tensor, n: number, replacement: boolean, gen: RandomSource): Tensor {
  if (probs.ndim < 1 || probs.ndim > 2) throw new TorchError('prob_dist must be 1 or 2 dim');
  if (!isFloat(probs.dtype)) throw new TorchError('multinomial only supports floating-point dtypes for input');
  const cols = probs.shape[probs.ndim - 1];
  if (!replacement && n > cols) throw new TorchError('cannot sample n_sample > prob_dist.size(-1) samples without replacement');
  if (n <= 0) throw new TorchError('cannot sample n_sample <= 0 samples');
  const vals = contiguousValues(probs) as Float32Array | Float64Array;
  for (let i = 0; i < vals.length; i++) {
    if (!(vals[i] >= 0) || vals[i] === Infinity) throw new TorchError('probability tensor contains either `inf`, `nan` or element < 0');
  }
  const idx = gen.multinomial(vals, cols, n, replacement);
  const shape = probs.ndim === 1 ? [n] : [probs.shape[0], n];
  const t = empty(shape, 'int64');
  for (let i = 0; i < t.numel; i++) t.data[i] = idx[i];
  return t;
}
