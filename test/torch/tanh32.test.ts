// The library's float32 tanh (src/core/torch/kernels/tanh32.ts, and the same algorithm in wasm:
// assembly/torch.ts tanhF32, which the library runs on tensors of 16 elements or more) must give
// Math.fround(Math.tanh(x)) for every float32 x. Here: every float32 in a dense band around each place its method changes (0, 0.35, 5, 10),
// specials, and 4 million float32 spread over the whole range by their bits; BPN_EXHAUSTIVE=1 checks all
// 2^32 (a few minutes).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tanhF32 } from '../../src/core/torch/kernels/tanh32.js';
import * as T from '../../src/core/torch/index.js';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

function checkBits(from: number, to: number, step: number): number {
  let n = 0;
  for (let b = from; b < to; b += step) {
    u32[0] = b;
    const x = f32[0];
    const got = Math.fround(tanhF32(x));
    const want = Math.fround(Math.tanh(x));
    if (!Object.is(got, want)) assert.fail(`tanh(${x}) (bits 0x${b.toString(16)}): ${got} vs Math.tanh's ${want}`);
    n++;
  }
  return n;
}

/** the float32 bit patterns of +v and -v */
function bitsOf(v: number): [number, number] {
  f32[0] = v;
  const p = u32[0];
  return [p, (p | 0x80000000) >>> 0];
}

test('tanhF32 is fround(Math.tanh(x)): specials, bands around every switch, 4M spread inputs', () => {
  for (const x of [0, -0, NaN, Infinity, -Infinity, 1e-45, -1e-45, 1e-38, 9.999999, 10, -10, 3.4e38]) {
    assert.ok(Object.is(Math.fround(tanhF32(x)), Math.fround(Math.tanh(x))), `tanh(${x})`);
  }
  let n = 0;
  for (const v of [0.35, 5, 10, 1e-20]) {
    for (const b of bitsOf(v)) n += checkBits(b - 100_000, b + 100_000, 1);
  }
  n += checkBits(0, 0x100000000, 1021); // 4.2M inputs, every exponent, both signs
  console.log(`# tanhF32: ${n} float32 inputs equal fround(Math.tanh)`);
});

// opt-in (not part of npm test): BPN_EXHAUSTIVE=1 node --test dist/test/torch/tanh32.test.js
if (process.env.BPN_EXHAUSTIVE === '1') {
  test('tanhF32 over every float32', () => {
    const n = checkBits(0, 0x100000000, 1);
    console.log(`# tanhF32: all ${n} float32 inputs equal fround(Math.tanh)`);
  });
}

/** The wasm kernel over the float32s with bit patterns from, from + step, ... below to: in batches of 1M. */
function checkWasmBits(from: number, to: number, step: number): number {
  let n = 0;
  const batch = new Float32Array(1 << 20);
  const bits = new Uint32Array(batch.buffer);
  for (let b = from; b < to;) {
    let k = 0;
    for (; k < batch.length && b < to; k++, b += step) bits[k] = b;
    const got = T.withScope(() => T.values(T.unary('tanh', T.fromData(batch.subarray(0, k), 'float32', [k]))));
    for (let i = 0; i < k; i++) {
      const want = Math.fround(Math.tanh(batch[i]));
      if (!Object.is(got[i], want)) assert.fail(`wasm tanh(${batch[i]}) (bits 0x${bits[i].toString(16)}): ${got[i]} vs Math.tanh's ${want}`);
    }
    n += k;
  }
  return n;
}

test('the wasm tanh (tensors of 16 or more) is fround(Math.tanh(x)) too: the same bands, 1M spread inputs', { skip: T.torchKernels() === null ? 'no wasm SIMD here' : false }, () => {
  let n = 0;
  for (const v of [0.35, 5, 10, 1e-20]) {
    for (const b of bitsOf(v)) n += checkWasmBits(b - 50_000, b + 50_000, 1);
  }
  n += checkWasmBits(0, 0x100000000, 4093);
  console.log(`# wasm tanhF32: ${n} float32 inputs equal fround(Math.tanh)`);
});

if (process.env.BPN_EXHAUSTIVE === '1') {
  test('the wasm tanh over every float32', () => {
    const n = checkWasmBits(0, 0x100000000, 1);
    console.log(`# wasm tanhF32: all ${n} float32 inputs equal fround(Math.tanh)`);
  });
}
