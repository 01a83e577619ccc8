// The judge of an exercise: the learner's answer (its dtype, shape and values, copied out of the code runner)
// against the autograd's gradient, in the page. Never a verdict reported by the code under test.

import { ATOL, RTOL, compare, type CheckRow } from '../judge/check.js';
import { allocFloat, dtypeOf, numel, sameShape, shapeStr, type FloatArray, type Tensor } from '../reference/block.js';

/** An answer as the runner hands it back: plain values, row-major. */
export interface Answer {
  dtype: string;
  shape: number[];
  data: Float64Array;
}

export type VerdictKind = 'exact' | 'approximate' | 'wrong' | 'shape' | 'error';

export interface Verdict {
  kind: VerdictKind;
  /** one line for the page */
  message: string;
  maxdiff: number;
  row: CheckRow | null;
  /** |yours - reference| per element, when the element counts agree (for the error heatmap) */
  error: Float64Array | null;
  /** how many values are off by more than allclose's tolerance (element by element, in order), when the counts agree */
  bad?: number;
}

/** A flat index as the index of a tensor of this shape: 10 in [32, 27] is [0, 10]; in [64] it is [10]. */
export function unravel(flat: number, shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length).fill(0);
  let r = flat;
  for (let d = shape.length - 1; d >= 0; d--) {
    out[d] = shape[d] === 0 ? 0 : r % shape[d];
    r = shape[d] === 0 ? 0 : Math.floor(r / shape[d]);
  }
  return out;
}

/** Values off by more than allclose's tolerance (|a - b| > atol + rtol |b|, NaN included), and the first of them. */
function offCount(ours: ArrayLike<number>, ref: ArrayLike<number>): { bad: number; first: number } {
  let bad = 0;
  let first = -1;
  for (let i = 0; i < ref.length; i++) {
    if (!(Math.abs(ours[i] - ref[i]) <= ATOL + RTOL * Math.abs(ref[i]))) {
      bad++;
      if (first < 0) first = i;
    }
  }
  return { bad, first };
}

/** Why a gradient's shape is wrong, in the words of the lecture's usual mistakes. */
export function shapeHint(ours: readonly number[], ref: readonly number[]): string {
  const squeeze = (s: readonly number[]): number[] => s.filter((d) => d !== 1);
  if (numel(ours) === numel(ref) && sameShape(squeeze(ours), squeeze(ref))) return ': keepdim?';
  if (ours.length === 2 && ref.length === 2 && ours[0] === ref[1] && ours[1] === ref[0]) return ': transposed?';
  if (ours.length === ref.length && numel(ours) > numel(ref) && ref.every((d, i) => d === ours[i] || d === 1)) {
    const dims = ref.map((d, i) => (d === 1 && ours[i] !== 1 ? i : -1)).filter((i) => i >= 0);
    return `: it was broadcast along dim ${dims.join(', ')} in the forward, so sum over it (keepdim: true)?`;
  }
  return '';
}

/**
 * Judges the learner's gradient against the autograd's, after rounding it once to the model's dtype (a
 * float16 or bfloat16 answer is judged on its values, which rarely pass). An integer or bool answer is wrong
 * whatever its values (a gradient is floating point).
 */
export function judge(name: string, yours: Answer, ref: Tensor): Verdict {
  if (!['float32', 'float64', 'float16', 'bfloat16'].includes(yours.dtype)) {
    return { kind: 'wrong', message: `dtype torch.${yours.dtype}: a gradient is a float tensor (torch.${dtypeOf(ref.data)})`, maxdiff: NaN, row: null, error: null };
  }
  if (!sameShape(yours.shape, ref.shape)) {
    const ours = rounded(yours.data, ref.data);
    const row = compare(name, { shape: yours.shape, data: ours }, ref);
    const error = errorMap(ours, ref.data);
    // the same count of values: say whether they are right in order, so the map and the message agree
    const off = error === null ? null : offCount(ours, ref.data);
    const values = off === null ? '' : off.bad === 0
      ? ' (your values are right, in order: only the shape is wrong)'
      : ` (and ${off.bad} of ${ref.data.length} values differ, in order)`;
    const message = `shape ${shapeStr(yours.shape)} but the tensor is ${shapeStr(ref.shape)}${shapeHint(yours.shape, ref.shape)}${values}`;
    return { kind: 'shape', message, maxdiff: row.maxdiff, row, error, bad: off?.bad };
  }
  const ours = rounded(yours.data, ref.data);
  const row = compare(name, { shape: yours.shape, data: ours }, ref);
  const error = errorMap(ours, ref.data) ?? new Float64Array(0);
  const { bad, first } = offCount(ours, ref.data);
  if (row.exact) return { kind: 'exact', message: 'every value equals the autograd\'s', maxdiff: row.maxdiff, row, error, bad };
  if (row.approximate) return { kind: 'approximate', message: `maxdiff ${row.maxdiff.toExponential(2)}: correct, up to float rounding`, maxdiff: row.maxdiff, row, error, bad };
  const where = first >= 0 ? `; ${bad} of ${ref.data.length} values are off, the first at [${unravel(first, ref.shape).join(', ')}]: yours ${fmt(ours[first])}, autograd ${fmt(ref.data[first])}` : '';
  return { kind: 'wrong', message: `maxdiff ${fmt(row.maxdiff)}${where}`, maxdiff: row.maxdiff, row, error, bad };
}

function fmt(x: number): string {
  return Number.isNaN(x) ? 'NaN' : Number(x.toPrecision(4)).toString();
}

function rounded(data: Float64Array, like: FloatArray): FloatArray {
  if (data.length !== like.length) return Float64Array.from(data);
  const out = allocFloat(dtypeOf(like), data.length);
  out.set(data);
  return out;
}

function errorMap(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array | null {
  if (a.length !== b.length) return null;
  const e = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) e[i] = Math.abs(a[i] - b[i]);
  return e;
}
