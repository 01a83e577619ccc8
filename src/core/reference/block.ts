// Tensors: a shape plus a view into a flat Float32Array or Float64Array.
//
// No tensor objects are created in the hot path: a `Block` lays out many named tensors in ONE flat
// allocation (llm.c style), so parameters, gradients and activations are views made once, up front.

export type DType = 'float32' | 'float64';
export type FloatArray = Float32Array | Float64Array;

export interface Tensor {
  readonly shape: readonly number[];
  readonly data: FloatArray;
}

export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function allocFloat(dtype: DType, n: number): FloatArray {
  return dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
}

export function dtypeOf(a: FloatArray): DType {
  return a instanceof Float32Array ? 'float32' : 'float64';
}

/**
 * The rounding a stored value goes through: float32 storage rounds every result once, float64 keeps it.
 * Code that must match a float32 tensor computation bit for bit (the exercise-1 backward against the
 * autograd) rounds where the tensor expression would have materialised an intermediate.
 */
export function rounder(dtype: DType): (x: number) => number {
  return dtype === 'float32' ? Math.fround : (x: number) => x;
}

export function tensor(shape: readonly number[], data: FloatArray): Tensor {
  if (numel(shape) !== data.length) {
    throw new Error(`tensor: shape [${shape.join(',')}] needs ${numel(shape)} values, got ${data.length}`);
  }
  return { shape: [...shape], data };
}

export function zeros(shape: readonly number[], dtype: DType): Tensor {
  return { shape: [...shape], data: allocFloat(dtype, numel(shape)) };
}

export function shapeStr(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/**
 * PyTorch's broadcasting rule: align the shapes on the right; sizes must be equal or 1, and a 1 stretches.
 * Throws, naming `op` and the first dimension that does not fit.
 */
export function broadcastShape(a: readonly number[], b: readonly number[], op = 'broadcast'): number[] {
  const n = Math.max(a.length, b.length);
  const res: number[] = [];
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new Error(`${op}: shapes ${shapeStr(a)} and ${shapeStr(b)} do not broadcast (dimension ${i - n}: ${da} vs ${db}; only equal sizes or 1 stretch)`);
    }
    res.push(da === 1 ? db : da);
  }
  return res;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Named tensors carved out of one flat allocation; `flat` is the whole buffer (e.g. for SGD or zeroing). */
export type Block<K extends string> = { readonly [P in K]: Tensor } & { readonly flat: FloatArray };

export function makeBlock<K extends string>(shapes: Readonly<Record<K, readonly number[]>>, dtype: DType): Block<K> {
  const names = Object.keys(shapes) as K[];
  let total = 0;
  for (const k of names) total += numel(shapes[k]);
  const flat = allocFloat(dtype, total);
  const out: Record<string, Tensor | FloatArray> = { flat };
  let off = 0;
  for (const k of names) {
    const n = numel(shapes[k]);
    out[k] = { shape: [...shapes[k]], data: flat.subarray(off, off + n) };
    off += n;
  }
  return out as Block<K>;
}
