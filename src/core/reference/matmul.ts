// Reference matmul kernels: plain loops, each dot product accumulated in a double in ascending index
// order and rounded once when stored. The reference forward, the exercise-1 backward and the autograd all
// use these, so a float32 "exact: True" means the same arithmetic, not merely the same math.

import type { FloatArray } from './block.js';

/** out (n, m) = a (n, k) @ b (k, m). Overwrites out. */
export function matmul(out: FloatArray, a: FloatArray, b: FloatArray, n: number, k: number, m: number): void {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let acc = 0;
      for (let p = 0; p < k; p++) acc += a[i * k + p] * b[p * m + j];
      out[i * m + j] = acc;
    }
  }
}

/** out (n, m) = a (n, k) @ b^T, with b stored (m, k). Overwrites out. The backward of x @ W for dx. */
export function matmulNT(out: FloatArray, a: FloatArray, b: FloatArray, n: number, k: number, m: number): void {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let acc = 0;
      for (let p = 0; p < k; p++) acc += a[i * k + p] * b[j * k + p];
      out[i * m + j] = acc;
    }
  }
}

/** out (n, m) = a^T @ b, with a stored (k, n) and b (k, m). Overwrites out. The backward of x @ W for dW. */
export function matmulTN(out: FloatArray, a: FloatArray, b: FloatArray, n: number, k: number, m: number): void {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let acc = 0;
      for (let p = 0; p < k; p++) acc += a[p * n + i] * b[p * m + j];
      out[i * m + j] = acc;
    }
  }
}
