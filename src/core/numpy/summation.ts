// numpy 1.24's float summation order (np.sum, and the sums inside mean/var/std), for the notebook runtime's numpy.
//
// numpy's add.reduce does not add left to right: its inner loop is pairwise_sum (numpy/core/src/umath/
// loops_utils.h.src): under 8 values a plain loop from 0; up to 128, eight running sums over blocks of 8,
// combined ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)), then the rest; above, the two halves (split at a multiple of
// 8) recursively. The reduction's iterator hands the inner loop at most 8192 values at a time (its buffer),
// each chunk's pairwise sum added to the running total; reduced axes before the last add row by row. Checked
// against Debian's numpy 1.24.2 (test/notebooks/numpy_ops.py prints sums bit for bit).

const BUFSIZE = 8192;

/** numpy's pairwise_sum of v[i .. i+n) in float64, or in float32 when f32 (every addition rounded). */
export function pairwiseSum(v: ArrayLike<number>, i: number, n: number, f32: boolean): number {
  const r = f32 ? Math.fround : (x: number): number => x;
  if (n < 8) {
    let s = 0;
    for (let k = i; k < i + n; k++) s = r(s + v[k]);
    return s;
  }
  if (n <= 128) {
    let r0 = v[i], r1 = v[i + 1], r2 = v[i + 2], r3 = v[i + 3];
    let r4 = v[i + 4], r5 = v[i + 5], r6 = v[i + 6], r7 = v[i + 7];
    let j = i + 8;
    const end = i + n - (n % 8);
    for (; j < end; j += 8) {
      r0 = r(r0 + v[j]);
      r1 = r(r1 + v[j + 1]);
      r2 = r(r2 + v[j + 2]);
      r3 = r(r3 + v[j + 3]);
      r4 = r(r4 + v[j + 4]);
      r5 = r(r5 + v[j + 5]);
      r6 = r(r6 + v[j + 6]);
      r7 = r(r7 + v[j + 7]);
    }
    let res = r(r(r(r0 + r1) + r(r2 + r3)) + r(r(r4 + r5) + r(r6 + r7)));
    for (; j < i + n; j++) res = r(res + v[j]);
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return r(pairwiseSum(v, i, n2, f32) + pairwiseSum(v, i + n2, n - n2, f32));
}

/**
 * Sums over reduced axes in numpy's order. v holds the array in C order with its axes permuted to
 * (kept..., outer reduced..., trailing reduced...): nKept outputs, each over nOuter rows of nTrail values
 * (nTrail = 1 when the last axis is not reduced: then the rows add value by value). Returns nKept sums.
 */
export function reduceSum(v: ArrayLike<number>, nKept: number, nOuter: number, nTrail: number, trailing: boolean, f32: boolean): Float64Array {
  const out = new Float64Array(nKept);
  const r = f32 ? Math.fround : (x: number): number => x;
  let pos = 0;
  for (let o = 0; o < nKept; o++) {
    let acc = 0;
    for (let q = 0; q < nOuter; q++) {
      if (!trailing) {
        acc = r(acc + v[pos]);
        pos++;
        continue;
      }
      for (let c = 0; c < nTrail; c += BUFSIZE) acc = r(acc + pairwiseSum(v, pos + c, Math.min(BUFSIZE, nTrail - c), f32));
      pos += nTrail;
    }
    out[o] = acc;
  }
  return out;
}
