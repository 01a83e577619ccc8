// The fast tanh and exp (f32x4 in the wasm kernels; scalar in bench/fast32.ts, the bench's 'ts' baseline) against Math.tanh / Math.exp over
// their whole input range, with the max errors their doc comments state; edge cases: +-300, +-Infinity, NaN.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fastExp, fastTanh } from '../../bench/fast32.js';
import { Arena } from '../../src/core/wasm/module.js';

/** n points evenly over [lo, hi], as float32 (the kernels' inputs are float32) */
function sweep(lo: number, hi: number, n: number): Float32Array {
  const xs = new Float32Array(n);
  for (let i = 0; i < n; i++) xs[i] = lo + ((hi - lo) * i) / (n - 1);
  return xs;
}

const EDGES = [0, -0, 1e-30, -1e-30, 3e-4, -3e-4, 5e-4, 7.9, -7.9, 8, -8, 20, -20, 88, -88, 300, -300, 1e30, -1e30, Infinity, -Infinity];

function wasmMap(kernel: 'tanhForward' | 'expForward', xs: Float32Array): Float32Array {
  const a = new Arena(xs.length * 8 + 1024);
  const inp = a.f32(xs.length);
  const out = a.f32(xs.length);
  inp.data.set(xs);
  a.k[kernel](out.ptr, inp.ptr, xs.length);
  return out.data.slice();
}

const tanhInputs = (): Float32Array => {
  const dense = sweep(-10, 10, 400_001);
  const wide = sweep(-300, 300, 60_001);
  const xs = new Float32Array(dense.length + wide.length + EDGES.length);
  xs.set(dense);
  xs.set(wide, dense.length);
  xs.set(EDGES, dense.length + wide.length);
  return xs;
};

function maxAbsErr(xs: Float32Array, f: (x: number, i: number) => number, ref: (x: number) => number): number {
  let m = 0;
  for (let i = 0; i < xs.length; i++) {
    const y = f(xs[i], i);
    assert.ok(!Number.isNaN(y), `NaN at x = ${xs[i]}`);
    m = Math.max(m, Math.abs(y - ref(xs[i])));
  }
  return m;
}

test('fastTanh (ts): max abs error <= 3e-7 over [-300, 300], exact +-1 at +-300 and +-Infinity', () => {
  const xs = tanhInputs();
  const err = maxAbsErr(xs, (x) => fastTanh(x), Math.tanh);
  assert.ok(err <= 3e-7, `max abs error ${err}`);
  assert.equal(fastTanh(300), 1);
  assert.equal(fastTanh(-300), -1);
  assert.equal(fastTanh(Infinity), 1);
  assert.equal(fastTanh(-Infinity), -1);
  assert.equal(fastTanh(1e-30), 1e-30);
  assert.ok(Number.isNaN(fastTanh(NaN)));
});

test('wasm tanh: max abs error <= 4e-7 over [-300, 300], exact +-1 at +-300, odd, no NaN', () => {
  const xs = tanhInputs();
  const ys = wasmMap('tanhForward', xs);
  const err = maxAbsErr(xs, (_x, i) => ys[i], Math.tanh);
  assert.ok(err <= 4e-7, `max abs error ${err}`);
  const e = wasmMap('tanhForward', new Float32Array([300, -300, Infinity, -Infinity, 0, 7]));
  assert.deepEqual([...e.subarray(0, 5)], [1, -1, 1, -1, 0]);
  const neg = wasmMap('tanhForward', new Float32Array([-7]));
  assert.equal(neg[0], -e[5]);
});

test('fastExp (ts) and wasm exp: max relative error <= 1e-8 / 1e-7 on [-87.33, 88]; 0 far below', () => {
  const xs = sweep(-87.3, 88, 400_001);
  const ys = wasmMap('expForward', xs);
  let rt = 0;
  let rw = 0;
  for (let i = 0; i < xs.length; i++) {
    const r = Math.exp(xs[i]);
    rt = Math.max(rt, Math.abs(fastExp(xs[i]) - r) / r);
    rw = Math.max(rw, Math.abs(ys[i] - r) / r);
  }
  assert.ok(rt <= 1e-8, `ts max relative error ${rt}`);
  assert.ok(rw <= 1e-7, `wasm max relative error ${rw}`);
  for (const x of [-88, -300, -1e30, -Infinity]) assert.equal(fastExp(x), 0, `fastExp(${x})`);
  assert.equal(fastExp(0), 1);
  assert.deepEqual([...wasmMap('expForward', new Float32Array([-88, -300, -Infinity, 0]))], [0, 0, 0, 1]);
  const big = wasmMap('expForward', new Float32Array([300, Infinity]));
  assert.ok(Number.isFinite(big[0]) && big[0] > 1e38 && big[1] === big[0], 'clamped at exp(88), never Infinity or NaN');
});
