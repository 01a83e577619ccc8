// Reference matmul kernels: every output element is a dot product accumulated in a double in ascending
// index order (p = 0, 1, ..., k-1) and rounded once when stored. The reference forward, the exercise-1
// backward, the judge and the tensor library all use these, so a float32 "exact: True" means the same
// arithmetic, not merely the same math.
//
// How, for speed: both operands are first copied (exactly: float32 -> double is exact) into double scratch
// laid out as rows of length k (A (n, k), B (m, k)), so that one monomorphic kernel computes every
// product as contiguous dot products, 2 rows x 4 columns at a time. Each accumulator still receives its k
// terms in ascending p, so the results are bit for bit those of the naive loops (test/core/matmul.test.ts).

import type { FloatArray } from './block.js';

/** Double scratch, grown on demand and reused: the kernels allocate nothing per call once warm. */
let sa: Float64Array<ArrayBuffer> = new Float64Array(1024);
let sb: Float64Array<ArrayBuffer> = new Float64Array(1024);
let so: Float64Array<ArrayBuffer> = new Float64Array(1024);

function grow(buf: Float64Array, n: number): Float64Array<ArrayBuffer> {
  return buf.length >= n ? (buf as Float64Array<ArrayBuffer>) : new Float64Array(Math.max(n, buf.length * 2));
}

/** o (n, m) = A (n, k) . B (m, k)^T over double rows: o[i, j] = sum_p A[i, p] B[j, p], p ascending. */
function dotRows(o: Float64Array, A: Float64Array, B: Float64Array, n: number, k: number, m: number): void {
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const a0 = i * k;
    const a1 = a0 + k;
    let j = 0;
    for (; j + 4 <= m; j += 4) {
      const b0 = j * k;
      const b1 = b0 + k;
      const b2 = b1 + k;
      const b3 = b2 + k;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      for (let p = 0; p < k; p++) {
        const x0 = A[a0 + p];
        const x1 = A[a1 + p];
        const y0 = B[b0 + p];
        const y1 = B[b1 + p];
        const y2 = B[b2 + p];
        const y3 = B[b3 + p];
        s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3;
        s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3;
      }
      const o0 = i * m + j;
      const o1 = o0 + m;
      o[o0] = s00; o[o0 + 1] = s01; o[o0 + 2] = s02; o[o0 + 3] = s03;
      o[o1] = s10; o[o1 + 1] = s11; o[o1 + 2] = s12; o[o1 + 3] = s13;
    }
    for (; j < m; j++) {
      const bj = j * k;
      let s0 = 0, s1 = 0;
      for (let p = 0; p < k; p++) {
        const y = B[bj + p];
        s0 += A[a0 + p] * y;
        s1 += A[a1 + p] * y;
      }
      o[i * m + j] = s0;
      o[(i + 1) * m + j] = s1;
    }
  }
  for (; i < n; i++) {
    const a0 = i * k;
    for (let j = 0; j < m; j++) {
      const bj = j * k;
      let s = 0;
      for (let p = 0; p < k; p++) s += A[a0 + p] * B[bj + p];
      o[i * m + j] = s;
    }
  }
}

/** x (r, c) row-major -> dst as rows of length c (a copy) or, transposed, as rows of length r. */
function rows(dst: Float64Array, x: FloatArray, r: number, c: number, transpose: boolean): void {
  if (!transpose) {
    for (let i = 0; i < r * c; i++) dst[i] = x[i];
    return;
  }
  for (let i = 0; i < r; i++) {
    const xi = i * c;
    for (let j = 0; j < c; j++) dst[j * r + i] = x[xi + j];
  }
}

function run(out: FloatArray, a: FloatArray, aT: boolean, b: FloatArray, bT: boolean, n: number, k: number, m: number): void {
  sa = grow(sa, n * k);
  sb = grow(sb, m * k);
  so = grow(so, n * m);
  // A must be (n, k) rows: a is (n, k) unless aT (stored (k, n)); B must be (m, k): b is (k, m) unless bT
  rows(sa, a, aT ? k : n, aT ? n : k, aT);
  rows(sb, b, bT ? m : k, bT ? k : m, !bT);
  dotRows(so, sa, sb, n, k, m);
  for (let i = 0; i < n * m; i++) out[i] = so[i];
}

/** out (n, m) = a (n, k) @ b (k, m). Overwrites out. */
export function matmul(out: FloatArray, a: FloatArray, b: FloatArray, n: number, k: number, m: number): void {
  run(out, a, false, b, false, n, k, m);
}

/** out (n, m) = a (n, k) @ b^T, with b stored (m, k). Overwrites out. The backward of x @ W for dx. */
export function matmulNT(out: FloatArray, a: FloatArray, b: FloatArray, n: number, k: number, m: number): void {
  run(out, a, false, b, true, n, k, m);
}

/** out (n, m) = a^T @ b, with a stored (k, n) and b (k, m). Overwrites out. The backward of x @ W for dW. */
export function matmulTN(out: FloatArray, a: FloatArray, b: FloatArray, n: number, k: number, m: number): void {
  run(out, a, true, b, false, n, k, m);
}
