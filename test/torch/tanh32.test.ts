// The library's float32 tanh (src/core/torch/tanh32.ts) must give Math.fround(Math.tanh(x)) for every
// float32 x. Here: every float32 in a dense band around each place its method changes (0, 0.35, 5, 10),
// specials, and 4 million float32 spread over the whole range by their bits; BPN_EXHAUSTIVE=1 checks all
// 2^32 (a few minutes).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tanhF32 } from '../../src/core/torch/kernels/tanh32.js';

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
