// The library's float32 exp, softmax and log_softmax run in wasm (assembly/torch.ts expF64: FreeBSD msun's
// exp, the code V8's Math.exp is, operation for operation) and must give exactly what the JS loops give:
// Math.exp's double, rounded once. Checked here on millions of doubles (every range of the code: tiny,
// reduced once, reduced by k, near overflow and underflow, specials) and through the tensor ops.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as T from '../../src/core/torch/index.js';

const k = T.torchKernels();
const skip = k === null ? 'no wasm SIMD here' : false;

test('expF64 is Math.exp bit for bit: specials, every branch, 9M doubles', { skip }, () => {
  let n = 0;
  const check = (x: number): void => {
    n++;
    const a = k!.expF64(x);
    const b = Math.exp(x);
    if (!Object.is(a, b)) assert.fail(`exp(${x}): ${a} vs Math.exp's ${b}`);
  };
  for (const x of [0, -0, 1, -1, 0.5, 709.78, 709.79, -745.13, -745.14, -708.5, -720, 1e-300, -1e-300, 2 ** -28, 2 ** -29,
    0.34657359, 1.0397, NaN, Infinity, -Infinity, 700, -700, 1e-10]) check(x);
  let s = 12345;
  const rnd = (): number => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 4294967296;
  };
  for (let i = 0; i < 3e6; i++) check((rnd() - 0.5) * 1460);
  for (let i = 0; i < 3e6; i++) check((rnd() - 0.5) * 4);
  const f64 = new Float64Array(1);
  const u32 = new Uint32Array(f64.buffer);
  for (let i = 0; i < 1.5e6; i++) {
    u32[0] = (rnd() * 4294967296) >>> 0;
    u32[1] = (rnd() * 4294967296) >>> 0;
    check(f64[0]);
  }
  for (let i = 0; i < 1.5e6; i++) check(Math.fround((rnd() - 0.5) * 200));
  console.log(`# expF64: ${n} doubles equal Math.exp`);
});

test('float32 exp, softmax and log_softmax in wasm equal the JS formulas', { skip }, () => {
  T.withScope(() => {
    const vals = new Float32Array(32 * 27);
    for (let i = 0; i < vals.length; i++) vals[i] = Math.sin(i * 0.37) * (i % 5 === 0 ? 30 : 3);
    vals[5] = NaN;
    vals[40] = Infinity;
    vals[80] = -Infinity;
    const x = T.fromData(vals, 'float32', [32, 27]);
    const e = T.values(T.unary('exp', x));
    vals.forEach((v, i) => assert.ok(Object.is(e[i], Math.fround(Math.exp(v))), `exp(${v})`));
    for (const log of [false, true]) {
      const y = T.values(log ? T.logSoftmax(x, 1) : T.softmax(x, 1));
      for (let r = 0; r < 32; r++) {
        const row = vals.subarray(r * 27, r * 27 + 27);
        let m = -Infinity;
        for (const v of row) if (v > m || v !== v) m = v;
        let sum = 0;
        for (const v of row) sum += Math.exp(v - m);
        row.forEach((v, i) => {
          const want = Math.fround(log ? v - m - Math.log(sum) : Math.exp(v - m) / sum);
          assert.ok(Object.is(y[r * 27 + i], want), `${log ? 'log_' : ''}softmax row ${r} [${i}]: ${y[r * 27 + i]} vs ${want}`);
        });
      }
    }
  });
});
