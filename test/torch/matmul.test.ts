// The library's float32 matmul runs in wasm past a size (assembly/kernels.ts matmulF32Ref); it must give
// the reference kernels' bits (reference/matmul.ts: double sums in ascending k), for every layout.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { wasmAvailable } from '../../src/core/wasm/module.js';
import { matmul as refMatmul } from '../../src/core/reference/matmul.js';
import * as T from '../../src/core/torch/index.js';

function mat(r: number, c: number, seed: number): Float32Array {
  return Float32Array.from({ length: r * c }, (_, i) => Math.sin(i * 0.37 + seed) * (1 + (i % 7)) * 1e-1);
}

test('float32 matmul (wasm past 4096 multiply-adds) equals the reference kernel bit for bit', { skip: wasmAvailable() ? false : 'no wasm SIMD here' }, () => {
  for (const [n, k, m] of [[32, 30, 200], [32, 200, 27], [200, 32, 27], [33, 17, 27], [5, 1000, 3], [64, 65, 31], [7, 9, 70]]) {
    const a = mat(n, k, 1);
    const b = mat(k, m, 2);
    const want = new Float32Array(n * m);
    refMatmul(want, a, b, n, k, m);
    const A = T.fromData(a, 'float32', [n, k]);
    const B = T.fromData(b, 'float32', [k, m]);
    const layouts: [string, T.Tensor, T.Tensor][] = [
      ['a @ b', A, B],
      ['(a^T)^T @ b', T.T(T.contiguous(T.T(A))), B],
      ['a @ (b^T)^T', A, T.T(T.contiguous(T.T(B)))],
    ];
    for (const [what, x, y] of layouts) {
      const got = T.values(T.matmul(x, y));
      for (let i = 0; i < want.length; i++) {
        if (!Object.is(got[i], want[i])) assert.fail(`${n}x${k}x${m} ${what}: [${i}] ${got[i]} vs reference ${want[i]}`);
      }
    }
  }
});
