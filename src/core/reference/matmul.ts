// Reference matmul kernels: each dot product accumulated in a double in ascending index order and rounded
// once when stored. The reference forward, the exercise-1 backward and the autograd all use these, so a
// float32 "exact: True" means the same arithmetic, not merely the same math.
//
// The loops are ordered for memory access (a row of double accumulators swept along contiguous rows), which
// changes no result: every output element still receives its products one by one, p = 0, 1, ..., k-1.

import type { FloatArray } from './block.js';

let scratch = new Float64Array(1024);
/** A zeroed double accumulator of n elements (reused across calls; the kernels are not re-entrant). */
function acc(n: number): Float64Array {
  if (scratch.length < n) scratch = new Float64Array(Math.max(n, 2 * scratch.length));
  const s = scratch.subarray(0, n);
  s.fill(0);
  return s;
}

/** out (n, m) = a (n, k) @ b (k, m). Overwrites out. */
export function matmul(out: FloatArray, a: FloatArray, b: FloatArray, n: number, k: number, m: number): void {
  const row = acc(m);
  for (let i = 0; i < n; i++) {
    row.fill(0);
    for (let p = 0; p < k; p++) {
      const av = a[i * k + p];
      const bo = p * m;
      for (let j = 0; j < m; j++) row[j] += av * b[bo + j];
    }
    const oo = i * m;
    for (let j = 0; j < m; j++) out[oo + j] = row[j];
  }
}

/** out (n, m) = a (n, k) @ b^T, with b stored (m, k). Overwrites out. The backward of x @ W for dx. */
export function matmulNT(out: FloatArray, a: FloatArray, b: FloatArray, n: number, k: number, m: number): void {
  for (let i = 0; i < n; i++) {
    const ao = i * k;
    let j = 0;
    for (; j + 3 < m; j += 4) {
      const b0 = j * k;
      const b1 = b0 + k;
      const b2 = b1 + k;
      const b3 = b2 + k;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let p = 0; p < k; p++) {
        const av = a[ao + p];
        s0 += av * b[b0 + p];
        s1 += av * b[b1 + p];
        s2 += av * b[b2 + p];
        s3 += av * b[b3 + p];
      }
      out[i * m + j] = s0;
      out[i * m + j + 1] = s1;
      out[i * m + j + 2] = s2;
      out[i * m + j + 3] = s3;
    }
    for (; j < m; j++) {
      let s = 0;
      const bo = j * k;
      for (let p = 0; p < k; p++) s += a[ao + p] * b[bo + p];
      out[i * m + j] = s;
    }
  }
}

/** out (n, m) = a^T @ b, with a stored (k, n) and b (k, m). Overwrites out. The backward of x @ W for dW. */
export function matmulTN(out: FloatArray, a: FloatArray, b: FloatArray, n: number, k: number, m: number): void {
  const s = acc(n * m);
  for (let p = 0; p < k; p++) {
    const ao = p * n;
    const bo = p * m;
    for (let i = 0; i < n; i++) {
      const av = a[ao + i];
      const so = i * m;
      for (let j = 0; j < m; j++) s[so + j] += av * b[bo + j];
    }
  }
  for (let i = 0; i < n * m; i++) out[i] = s[i];
}
