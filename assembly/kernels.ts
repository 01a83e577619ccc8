// WebAssembly SIMD (f32x4) kernels for the float32 training step and the evaluation forward.
// AssemblyScript, compiled by scripts/build-wasm.mjs into src/core/wasm/kernelsWasm.ts (base64 bytes).
//
// Conventions, as ops.ts: outputs first, then inputs, then dimensions. Every pointer is a byte offset
// into this module's linear memory, pointing at row-major float32 (ids: int32) data. JS (src/core/wasm/module.ts, an Arena) owns
// the layout; this module allocates nothing. Kernels may READ up to 3 floats past the end of a tensor
// (the last partial f32x4 of a row); those lanes are never stored, and the JS side keeps 64 bytes of
// padding after its buffers so the over-read stays inside memory. Stores never go past a row.
//
// Backward kernels ACCUMULATE into parameter gradients (zeroing is its own step) and OVERWRITE activation
// gradients, as in ops.ts. Accumulation is in float32, in a different order than the reference (which sums
// in a double): results agree with ops.ts to float32 rounding (the tests bound the max abs diff).

// ---------------------------------------------------------------------------------------------------------
// small helpers

/** where JS may start laying out buffers */
export function heapBase(): usize {
  return __heap_base;
}

/** stores the first n (1..4) lanes of v at p: the tail of a row whose length is not a multiple of 4 */
// @ts-ignore: decorator
@inline function storeN(p: usize, v: v128, n: i32): void {
  if (n >= 4) {
    v128.store(p, v);
  } else {
    store<f32>(p, f32x4.extract_lane(v, 0));
    if (n > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
    if (n > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
  }
}

/** lanes [0, n) all ones, the rest zero (n in 1..4) */
// @ts-ignore: decorator
@inline function laneMask(n: i32): v128 {
  return i32x4.gt_s(i32x4.splat(n), i32x4(0, 1, 2, 3));
}

// @ts-ignore: decorator
@inline function hsum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

// @ts-ignore: decorator
@inline function madd(acc: v128, a: v128, b: v128): v128 {
  return f32x4.add(acc, f32x4.mul(a, b));
}

// ---------------------------------------------------------------------------------------------------------
// fast exp and tanh, 4 lanes at a time

// The constants live in a table in memory, each splatted to 4 lanes, and are loaded where used: V8 rebuilds
// a v128.const inside a loop each time (several instructions), a load is one. For the same reason clamps use
// pmin/pmax (minps/maxps) instead of min/max (IEEE NaN and -0 handling, ~7 instructions each), and exp
// rounds with the 1.5 * 2^23 trick instead of nearest + trunc_sat.
const K = memory.data<f32>([
  // 0: exp: lower clamp, upper clamp, log2(e), 1.5 * 2^23
  -87.33654, -87.33654, -87.33654, -87.33654, 88.0, 88.0, 88.0, 88.0,
  1.44269504088896341, 1.44269504088896341, 1.44269504088896341, 1.44269504088896341,
  12582912.0, 12582912.0, 12582912.0, 12582912.0,
  // 64: ln2 hi, ln2 lo, p0..p5, 1
  0.693359375, 0.693359375, 0.693359375, 0.693359375, -2.12194440e-4, -2.12194440e-4, -2.12194440e-4, -2.12194440e-4,
  1.9875691500e-4, 1.9875691500e-4, 1.9875691500e-4, 1.9875691500e-4, 1.3981999507e-3, 1.3981999507e-3, 1.3981999507e-3, 1.3981999507e-3,
  8.3334519073e-3, 8.3334519073e-3, 8.3334519073e-3, 8.3334519073e-3, 4.1665795894e-2, 4.1665795894e-2, 4.1665795894e-2, 4.1665795894e-2,
  1.6666665459e-1, 1.6666665459e-1, 1.6666665459e-1, 1.6666665459e-1, 5.0000001201e-1, 5.0000001201e-1, 5.0000001201e-1, 5.0000001201e-1,
  1.0, 1.0, 1.0, 1.0,
  // 208: tanh: clamp, small, alpha 13..1, beta 6..0
  7.90531110763549805, 7.90531110763549805, 7.90531110763549805, 7.90531110763549805, 0.0004, 0.0004, 0.0004, 0.0004,
  -2.76076847742355e-16, -2.76076847742355e-16, -2.76076847742355e-16, -2.76076847742355e-16,
  2.00018790482477e-13, 2.00018790482477e-13, 2.00018790482477e-13, 2.00018790482477e-13,
  -8.60467152213735e-11, -8.60467152213735e-11, -8.60467152213735e-11, -8.60467152213735e-11,
  5.12229709037114e-08, 5.12229709037114e-08, 5.12229709037114e-08, 5.12229709037114e-08,
  1.48572235717979e-05, 1.48572235717979e-05, 1.48572235717979e-05, 1.48572235717979e-05,
  6.37261928875436e-04, 6.37261928875436e-04, 6.37261928875436e-04, 6.37261928875436e-04,
  4.89352455891786e-03, 4.89352455891786e-03, 4.89352455891786e-03, 4.89352455891786e-03,
  1.19825839466702e-06, 1.19825839466702e-06, 1.19825839466702e-06, 1.19825839466702e-06,
  1.18534705686654e-04, 1.18534705686654e-04, 1.18534705686654e-04, 1.18534705686654e-04,
  2.26843463243900e-03, 2.26843463243900e-03, 2.26843463243900e-03, 2.26843463243900e-03,
  4.89352518554385e-03, 4.89352518554385e-03, 4.89352518554385e-03, 4.89352518554385e-03,
]);

/**
 * exp(x), Cephes expf: x = n ln2 + r, |r| <= ln2/2, exp(r) by a degree-6 polynomial, 2^n put into the
 * exponent bits. Max relative error 1e-7 (measured 8.1e-8, ~1.4 ulp) for x in [-87.33, 88]; exp(x) = 0 below -87.33
 * (the true value is under 1.2e-38, the smallest normal float); x is clamped to 88 above (exp(88) = 1.65e38).
 */
// @ts-ignore: decorator
@inline function expv(x: v128): v128 {
  const lo = v128.load(K, 0);
  const tiny = f32x4.lt(x, lo);
  x = f32x4.pmin(f32x4.pmax(x, lo), v128.load(K, 16));
  // n = round(x log2 e): adding 1.5 * 2^23 leaves n in the low mantissa bits
  const magic = v128.load(K, 48);
  const big = f32x4.add(f32x4.mul(x, v128.load(K, 32)), magic);
  const fx = f32x4.sub(big, magic);
  // r = x - n ln2, with ln2 split in two so that n * 0.693359375 is exact
  let r = f32x4.sub(x, f32x4.mul(fx, v128.load(K, 64)));
  r = f32x4.sub(r, f32x4.mul(fx, v128.load(K, 80)));
  let y = v128.load(K, 96);
  y = madd(v128.load(K, 112), y, r);
  y = madd(v128.load(K, 128), y, r);
  y = madd(v128.load(K, 144), y, r);
  y = madd(v128.load(K, 160), y, r);
  y = madd(v128.load(K, 176), y, r);
  y = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(y, r), r), r), v128.load(K, 192));
  // 2^n: (n + 127) << 23 is the float32 with exponent n and mantissa 1; n = bits(big) - bits(magic)
  const pow2n = i32x4.shl(i32x4.sub(big, i32x4.splat(0x4b400000 - 127)), 23);
  return v128.andnot(f32x4.mul(y, pow2n), tiny);
}

/**
 * tanh(x): the rational approximation of Eigen's ptanh_float (odd degree-13 over even degree-6), on x
 * clamped to +-7.9053 where float32 tanh is +-1 already. Max abs error 4e-7
 * (measured 3.5e-7, test/core/fastmath.test.ts), no NaN for any finite input or +-Infinity, tanh(+-300) = +-1.
 */
// @ts-ignore: decorator
@inline function tanhv(x0: v128): v128 {
  const cl = v128.load(K, 208);
  const x = f32x4.pmin(f32x4.pmax(x0, f32x4.neg(cl)), cl);
  const x2 = f32x4.mul(x, x);
  let p = v128.load(K, 240);
  p = madd(v128.load(K, 256), p, x2);
  p = madd(v128.load(K, 272), p, x2);
  p = madd(v128.load(K, 288), p, x2);
  p = madd(v128.load(K, 304), p, x2);
  p = madd(v128.load(K, 320), p, x2);
  p = madd(v128.load(K, 336), p, x2);
  p = f32x4.mul(p, x);
  let q = v128.load(K, 352);
  q = madd(v128.load(K, 368), q, x2);
  q = madd(v128.load(K, 384), q, x2);
  q = madd(v128.load(K, 400), q, x2);
  // no small-x branch: p/q -> x * alpha1/beta0 = 0.99999987 x near 0 (relative error 1.3e-7)
  return f32x4.div(p, q);
}

/** out (n) = exp(inp (n)), the vector exp above. Overwrites out. */
export function expForward(out: usize, inp: usize, n: i32): void {
  for (let i = 0; i < n; i += 4) {
    const o = <usize>i << 2;
    storeN(out + o, expv(v128.load(inp + o)), n - i);
  }
}

/** out (n) = tanh(inp (n)), the vector tanh above. Overwrites out. */
export function tanhForward(out: usize, inp: usize, n: i32): void {
  for (let i = 0; i < n; i += 4) {
    const o = <usize>i << 2;
    storeN(out + o, tanhv(v128.load(inp + o)), n - i);
  }
}

/** dinp (n) = (1 - out^2) * dout: d tanh(x) = (1 - tanh(x)^2) dx. Overwrites dinp. */
export function tanhBackward(dinp: usize, dout: usize, out: usize, n: i32): void {
  const one = f32x4.splat(1.0);
  for (let i = 0; i < n; i += 4) {
    const o = <usize>i << 2;
    const h = v128.load(out + o);
    storeN(dinp + o, f32x4.mul(f32x4.sub(one, f32x4.mul(h, h)), v128.load(dout + o)), n - i);
  }
}

// ---------------------------------------------------------------------------------------------------------
// embedding

/** out (B*T, E) <- rows X (B*T) of C (V, E). Overwrites out. */
export function embeddingForward(out: usize, X: usize, C: usize, BT: i32, E: i32): void {
  const eb = <usize>E << 2;
  for (let bt = 0; bt < BT; bt++) {
    memory.copy(out + <usize>bt * eb, C + <usize>load<i32>(X + (<usize>bt << 2)) * eb, eb);
  }
}

/** dC (V, E) += dout (B*T, E) scattered to rows X (B*T). Accumulates. */
export function embeddingBackward(dC: usize, dout: usize, X: usize, BT: i32, E: i32): void {
  const eb = <usize>E << 2;
  for (let bt = 0; bt < BT; bt++) {
    const dst = dC + <usize>load<i32>(X + (<usize>bt << 2)) * eb;
    const src = dout + <usize>bt * eb;
    for (let e: usize = 0; e < eb; e += 4) store<f32>(dst + e, load<f32>(dst + e) + load<f32>(src + e));
  }
}

// ---------------------------------------------------------------------------------------------------------
// linear: out = inp @ W + bias, W stored (IC, OC)

/**
 * out (B, OC) = inp (B, IC) @ W (IC, OC) + bias (OC); bias 0 means none. Overwrites out.
 * Register tile: 4 rows of out x 8 columns (8 f32x4 accumulators); W's row i is streamed once per tile,
 * each inp[b, i] is broadcast to 4 lanes.
 */
export function linearForward(out: usize, inp: usize, W: usize, bias: usize, B: i32, IC: i32, OC: i32): void {
  const ocb = <usize>OC << 2;
  const icb = <usize>IC << 2;
  const zero = f32x4.splat(0);
  let b = 0;
  for (; b + 4 <= B; b += 4) {
    const x0 = inp + <usize>b * icb;
    const x1 = x0 + icb;
    const x2 = x1 + icb;
    const x3 = x2 + icb;
    const o0 = out + <usize>b * ocb;
    const o1 = o0 + ocb;
    const o2 = o1 + ocb;
    const o3 = o2 + ocb;
    let j = 0;
    for (; j + 8 <= OC; j += 8) {
      const jb = <usize>j << 2;
      const c0 = bias ? v128.load(bias + jb) : zero;
      const c1 = bias ? v128.load(bias + jb, 16) : zero;
      let a00 = c0, a01 = c1, a10 = c0, a11 = c1, a20 = c0, a21 = c1, a30 = c0, a31 = c1;
      let w = W + jb;
      for (let i: usize = 0; i < icb; i += 4) {
        const w0 = v128.load(w);
        const w1 = v128.load(w, 16);
        let s = f32x4.splat(load<f32>(x0 + i));
        a00 = madd(a00, s, w0); a01 = madd(a01, s, w1);
        s = f32x4.splat(load<f32>(x1 + i));
        a10 = madd(a10, s, w0); a11 = madd(a11, s, w1);
        s = f32x4.splat(load<f32>(x2 + i));
        a20 = madd(a20, s, w0); a21 = madd(a21, s, w1);
        s = f32x4.splat(load<f32>(x3 + i));
        a30 = madd(a30, s, w0); a31 = madd(a31, s, w1);
        w += ocb;
      }
      v128.store(o0 + jb, a00); v128.store(o0 + jb, a01, 16);
      v128.store(o1 + jb, a10); v128.store(o1 + jb, a11, 16);
      v128.store(o2 + jb, a20); v128.store(o2 + jb, a21, 16);
      v128.store(o3 + jb, a30); v128.store(o3 + jb, a31, 16);
    }
    for (; j < OC; j += 4) {
      const jb = <usize>j << 2;
      const c0 = bias ? v128.load(bias + jb) : zero;
      let a0 = c0, a1 = c0, a2 = c0, a3 = c0;
      let w = W + jb;
      for (let i: usize = 0; i < icb; i += 4) {
        const w0 = v128.load(w);
        a0 = madd(a0, f32x4.splat(load<f32>(x0 + i)), w0);
        a1 = madd(a1, f32x4.splat(load<f32>(x1 + i)), w0);
        a2 = madd(a2, f32x4.splat(load<f32>(x2 + i)), w0);
        a3 = madd(a3, f32x4.splat(load<f32>(x3 + i)), w0);
        w += ocb;
      }
      const n = OC - j;
      storeN(o0 + jb, a0, n); storeN(o1 + jb, a1, n); storeN(o2 + jb, a2, n); storeN(o3 + jb, a3, n);
    }
  }
  for (; b < B; b++) {
    const x0 = inp + <usize>b * icb;
    const o0 = out + <usize>b * ocb;
    for (let j = 0; j < OC; j += 4) {
      const jb = <usize>j << 2;
      let a0 = bias ? v128.load(bias + jb) : zero;
      let w = W + jb;
      for (let i: usize = 0; i < icb; i += 4) {
        a0 = madd(a0, f32x4.splat(load<f32>(x0 + i)), v128.load(w));
        w += ocb;
      }
      storeN(o0 + jb, a0, OC - j);
    }
  }
}

/**
 * dW (IC, OC) += inp (B, IC)^T @ dout (B, OC). Accumulates.
 * Register tile: 4 rows of dW x 8 columns, loaded once, accumulated over the whole batch, stored once.
 */
export function matmulTNAcc(dW: usize, inp: usize, dout: usize, B: i32, IC: i32, OC: i32): void {
  const ocb = <usize>OC << 2;
  const icb = <usize>IC << 2;
  let i = 0;
  for (; i + 4 <= IC; i += 4) {
    const r0 = dW + <usize>i * ocb;
    const r1 = r0 + ocb;
    const r2 = r1 + ocb;
    const r3 = r2 + ocb;
    const xi = inp + (<usize>i << 2);
    let j = 0;
    for (; j + 8 <= OC; j += 8) {
      const jb = <usize>j << 2;
      let a00 = v128.load(r0 + jb), a01 = v128.load(r0 + jb, 16);
      let a10 = v128.load(r1 + jb), a11 = v128.load(r1 + jb, 16);
      let a20 = v128.load(r2 + jb), a21 = v128.load(r2 + jb, 16);
      let a30 = v128.load(r3 + jb), a31 = v128.load(r3 + jb, 16);
      let d = dout + jb;
      let x = xi;
      for (let b = 0; b < B; b++) {
        const d0 = v128.load(d);
        const d1 = v128.load(d, 16);
        let s = f32x4.splat(load<f32>(x));
        a00 = madd(a00, s, d0); a01 = madd(a01, s, d1);
        s = f32x4.splat(load<f32>(x, 4));
        a10 = madd(a10, s, d0); a11 = madd(a11, s, d1);
        s = f32x4.splat(load<f32>(x, 8));
        a20 = madd(a20, s, d0); a21 = madd(a21, s, d1);
        s = f32x4.splat(load<f32>(x, 12));
        a30 = madd(a30, s, d0); a31 = madd(a31, s, d1);
        d += ocb;
        x += icb;
      }
      v128.store(r0 + jb, a00); v128.store(r0 + jb, a01, 16);
      v128.store(r1 + jb, a10); v128.store(r1 + jb, a11, 16);
      v128.store(r2 + jb, a20); v128.store(r2 + jb, a21, 16);
      v128.store(r3 + jb, a30); v128.store(r3 + jb, a31, 16);
    }
    for (; j < OC; j += 4) {
      const jb = <usize>j << 2;
      let a0 = v128.load(r0 + jb), a1 = v128.load(r1 + jb), a2 = v128.load(r2 + jb), a3 = v128.load(r3 + jb);
      let d = dout + jb;
      let x = xi;
      for (let b = 0; b < B; b++) {
        const d0 = v128.load(d);
        a0 = madd(a0, f32x4.splat(load<f32>(x)), d0);
        a1 = madd(a1, f32x4.splat(load<f32>(x, 4)), d0);
        a2 = madd(a2, f32x4.splat(load<f32>(x, 8)), d0);
        a3 = madd(a3, f32x4.splat(load<f32>(x, 12)), d0);
        d += ocb;
        x += icb;
      }
      const n = OC - j;
      storeN(r0 + jb, a0, n); storeN(r1 + jb, a1, n); storeN(r2 + jb, a2, n); storeN(r3 + jb, a3, n);
    }
  }
  for (; i < IC; i++) {
    const r0 = dW + <usize>i * ocb;
    const xi = inp + (<usize>i << 2);
    for (let j = 0; j < OC; j += 4) {
      const jb = <usize>j << 2;
      let a0 = v128.load(r0 + jb);
      let d = dout + jb;
      let x = xi;
      for (let b = 0; b < B; b++) {
        a0 = madd(a0, f32x4.splat(load<f32>(x)), v128.load(d));
        d += ocb;
        x += icb;
      }
      storeN(r0 + jb, a0, OC - j);
    }
  }
}

/**
 * dinp (B, IC) = dout (B, OC) @ W (IC, OC)^T: each entry a dot product along a row of dout and a row of W.
 * Overwrites dinp. Register tile: 4 rows of dout x 2 rows of W, 8 f32x4 partial sums, summed across lanes
 * at the end; the last partial vector of a row is masked so the over-read lanes add zero.
 */
export function matmulNT(dinp: usize, dout: usize, W: usize, B: i32, IC: i32, OC: i32): void {
  const ocb = <usize>OC << 2;
  const icb = <usize>IC << 2;
  const full = <usize>(OC & ~3) << 2;
  const rem = OC & 3;
  const mask = laneMask(rem);
  let b = 0;
  for (; b + 4 <= B; b += 4) {
    const d0 = dout + <usize>b * ocb;
    const d1 = d0 + ocb;
    const d2 = d1 + ocb;
    const d3 = d2 + ocb;
    const o0 = dinp + <usize>b * icb;
    let i = 0;
    for (; i + 2 <= IC; i += 2) {
      const w0 = W + <usize>i * ocb;
      const w1 = w0 + ocb;
      let a00 = f32x4.splat(0), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00;
      for (let j: usize = 0; j < full; j += 16) {
        const u0 = v128.load(w0 + j);
        const u1 = v128.load(w1 + j);
        let v = v128.load(d0 + j);
        a00 = madd(a00, v, u0); a01 = madd(a01, v, u1);
        v = v128.load(d1 + j);
        a10 = madd(a10, v, u0); a11 = madd(a11, v, u1);
        v = v128.load(d2 + j);
        a20 = madd(a20, v, u0); a21 = madd(a21, v, u1);
        v = v128.load(d3 + j);
        a30 = madd(a30, v, u0); a31 = madd(a31, v, u1);
      }
      if (rem) {
        const u0 = v128.and(v128.load(w0 + full), mask);
        const u1 = v128.and(v128.load(w1 + full), mask);
        let v = v128.load(d0 + full);
        a00 = madd(a00, v, u0); a01 = madd(a01, v, u1);
        v = v128.load(d1 + full);
        a10 = madd(a10, v, u0); a11 = madd(a11, v, u1);
        v = v128.load(d2 + full);
        a20 = madd(a20, v, u0); a21 = madd(a21, v, u1);
        v = v128.load(d3 + full);
        a30 = madd(a30, v, u0); a31 = madd(a31, v, u1);
      }
      const o = o0 + (<usize>i << 2);
      store<f32>(o, hsum(a00)); store<f32>(o, hsum(a01), 4);
      store<f32>(o + icb, hsum(a10)); store<f32>(o + icb, hsum(a11), 4);
      store<f32>(o + 2 * icb, hsum(a20)); store<f32>(o + 2 * icb, hsum(a21), 4);
      store<f32>(o + 3 * icb, hsum(a30)); store<f32>(o + 3 * icb, hsum(a31), 4);
    }
    for (; i < IC; i++) {
      const w0 = W + <usize>i * ocb;
      let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0;
      for (let j: usize = 0; j < full; j += 16) {
        const u0 = v128.load(w0 + j);
        a0 = madd(a0, v128.load(d0 + j), u0);
        a1 = madd(a1, v128.load(d1 + j), u0);
        a2 = madd(a2, v128.load(d2 + j), u0);
        a3 = madd(a3, v128.load(d3 + j), u0);
      }
      if (rem) {
        const u0 = v128.and(v128.load(w0 + full), mask);
        a0 = madd(a0, v128.load(d0 + full), u0);
        a1 = madd(a1, v128.load(d1 + full), u0);
        a2 = madd(a2, v128.load(d2 + full), u0);
        a3 = madd(a3, v128.load(d3 + full), u0);
      }
      const o = o0 + (<usize>i << 2);
      store<f32>(o, hsum(a0)); store<f32>(o + icb, hsum(a1));
      store<f32>(o + 2 * icb, hsum(a2)); store<f32>(o + 3 * icb, hsum(a3));
    }
  }
  for (; b < B; b++) {
    const d0 = dout + <usize>b * ocb;
    const o0 = dinp + <usize>b * icb;
    for (let i = 0; i < IC; i++) {
      const w0 = W + <usize>i * ocb;
      let a0 = f32x4.splat(0);
      for (let j: usize = 0; j < full; j += 16) a0 = madd(a0, v128.load(d0 + j), v128.load(w0 + j));
      if (rem) a0 = madd(a0, v128.load(d0 + full), v128.and(v128.load(w0 + full), mask));
      store<f32>(o0 + (<usize>i << 2), hsum(a0));
    }
  }
}

/** out (C, R) = inp (R, C)^T. Overwrites out. Writes in order, reads with a stride of C floats. */
export function transpose(out: usize, inp: usize, R: i32, C: i32): void {
  const cb = <usize>C << 2;
  let dst = out;
  for (let j = 0; j < C; j++) {
    let src = inp + (<usize>j << 2);
    for (let i = 0; i < R; i++) {
      store<f32>(dst, load<f32>(src));
      src += cb;
      dst += 4;
    }
  }
}

/** dbias (OC) += dout (B, OC).sum(0). Accumulates. */
export function biasBackward(dbias: usize, dout: usize, B: i32, OC: i32): void {
  const ocb = <usize>OC << 2;
  for (let j = 0; j < OC; j += 4) {
    const jb = <usize>j << 2;
    let a = v128.load(dbias + jb);
    let d = dout + jb;
    for (let b = 0; b < B; b++) {
      a = f32x4.add(a, v128.load(d));
      d += ocb;
    }
    storeN(dbias + jb, a, OC - j);
  }
}

/**
 * d(x W + b) = dx W + x dW + db:
 *   dinp (B, IC) = dout @ W^T        overwrites (skipped when dinp is 0: the first layer's input is data)
 *   dW  (IC, OC) += inp^T @ dout     accumulates
 *   dbias (OC)   += dout.sum(0)      accumulates
 */
export function linearBackward(
  dinp: usize, dW: usize, dbias: usize, dout: usize, inp: usize, W: usize, B: i32, IC: i32, OC: i32,
): void {
  biasBackward(dbias, dout, B, OC);
  matmulTNAcc(dW, inp, dout, B, IC, OC);
  if (dinp) matmulNT(dinp, dout, W, B, IC, OC);
}

// ---------------------------------------------------------------------------------------------------------
// batchnorm (batch statistics, Bessel's n-1) fused with the tanh that follows it

/**
 * Training-mode batchnorm then tanh:
 *   bnmean (H), bnvar (H) = mean and Bessel-corrected variance of inp (B, H) over the batch
 *   bnvarInv (H) = (bnvar + eps)^-1/2;  bnraw (B, H) = (inp - bnmean) * bnvarInv
 *   hpreact (B, H) = gain * bnraw + bias;  h (B, H) = tanh(hpreact)  (the vector tanh)
 * Overwrites all outputs. Every pass walks the rows in order (the column sums accumulate in bnmean and
 * bnvar): walking a column instead strides H floats, and at H = 512 (a 2 KiB stride) the cache sets alias.
 */
export function batchnormTanhForward(
  h: usize, hpreact: usize, bnraw: usize, bnmean: usize, bnvar: usize, bnvarInv: usize,
  inp: usize, gain: usize, bias: usize, B: i32, H: i32, eps: f32,
): void {
  const hb = <usize>H << 2;
  memory.fill(bnmean, 0, hb);
  memory.fill(bnvar, 0, hb);
  // sum over the batch
  for (let b = 0; b < B; b++) {
    const row = inp + <usize>b * hb;
    for (let j = 0; j < H; j += 4) {
      const jb = <usize>j << 2;
      storeN(bnmean + jb, f32x4.add(v128.load(bnmean + jb), v128.load(row + jb)), H - j);
    }
  }
  const invN = f32x4.splat(<f32>1 / <f32>B);
  for (let j = 0; j < H; j += 4) {
    const jb = <usize>j << 2;
    storeN(bnmean + jb, f32x4.mul(v128.load(bnmean + jb), invN), H - j);
  }
  // sum of squared deviations (two passes: exact where the mean is large against the spread)
  for (let b = 0; b < B; b++) {
    const row = inp + <usize>b * hb;
    for (let j = 0; j < H; j += 4) {
      const jb = <usize>j << 2;
      const d = f32x4.sub(v128.load(row + jb), v128.load(bnmean + jb));
      storeN(bnvar + jb, madd(v128.load(bnvar + jb), d, d), H - j);
    }
  }
  const invN1 = f32x4.splat(<f32>1 / <f32>(B - 1));
  const epsv = f32x4.splat(eps);
  const one = f32x4.splat(1);
  for (let j = 0; j < H; j += 4) {
    const jb = <usize>j << 2;
    const v = f32x4.mul(v128.load(bnvar + jb), invN1); // Bessel: the unbiased estimate, as the lecture uses
    storeN(bnvar + jb, v, H - j);
    storeN(bnvarInv + jb, f32x4.div(one, f32x4.sqrt(f32x4.add(v, epsv))), H - j);
  }
  for (let b = 0; b < B; b++) {
    const o = <usize>b * hb;
    for (let j = 0; j < H; j += 4) {
      const jb = <usize>j << 2;
      const k = o + jb;
      const n = H - j;
      const xr = f32x4.mul(f32x4.sub(v128.load(inp + k), v128.load(bnmean + jb)), v128.load(bnvarInv + jb));
      const hp = madd(v128.load(bias + jb), v128.load(gain + jb), xr);
      storeN(bnraw + k, xr, n);
      storeN(hpreact + k, hp, n);
      storeN(h + k, tanhv(hp), n);
    }
  }
}

/**
 * The tanh backward then exercise 3 (the whole batchnorm backward in one formula):
 *   dhpreact (B, H) = (1 - h^2) * dh                                                   overwrites
 *   dinp (B, H) = gain * bnvarInv / n * (n dhpreact - dhpreact.sum(0) - n/(n-1) bnraw (dhpreact bnraw).sum(0))
 *                                                                                    overwrites
 *   dgain (H) += (bnraw * dhpreact).sum(0);  dbias (H) += dhpreact.sum(0)              accumulate
 * scratch: 3 H floats (the column sums, then the per-column factors), overwritten. Row-order passes, as
 * the forward.
 */
export function tanhBatchnormBackward(
  dinp: usize, dhpreact: usize, dgain: usize, dbias: usize,
  dh: usize, h: usize, bnraw: usize, bnvarInv: usize, gain: usize, scratch: usize, B: i32, H: i32,
): void {
  const hb = <usize>H << 2;
  const sumD = scratch;
  const sumDR = scratch + hb;
  const scale = scratch + 2 * hb;
  memory.fill(scratch, 0, 2 * hb);
  const one = f32x4.splat(1);
  for (let b = 0; b < B; b++) {
    const o = <usize>b * hb;
    for (let j = 0; j < H; j += 4) {
      const jb = <usize>j << 2;
      const k = o + jb;
      const n = H - j;
      const hv = v128.load(h + k);
      const d = f32x4.mul(f32x4.sub(one, f32x4.mul(hv, hv)), v128.load(dh + k));
      storeN(dhpreact + k, d, n);
      storeN(sumD + jb, f32x4.add(v128.load(sumD + jb), d), n);
      storeN(sumDR + jb, madd(v128.load(sumDR + jb), d, v128.load(bnraw + k)), n);
    }
  }
  const nf = <f32>B;
  const nv = f32x4.splat(nf);
  const bessel = f32x4.splat(nf / (nf - 1));
  for (let j = 0; j < H; j += 4) {
    const jb = <usize>j << 2;
    const n = H - j;
    const sd = v128.load(sumD + jb);
    const sdr = v128.load(sumDR + jb);
    storeN(dgain + jb, f32x4.add(v128.load(dgain + jb), sdr), n);
    storeN(dbias + jb, f32x4.add(v128.load(dbias + jb), sd), n);
    storeN(scale + jb, f32x4.div(f32x4.mul(v128.load(gain + jb), v128.load(bnvarInv + jb)), nv), n);
    storeN(sumDR + jb, f32x4.mul(bessel, sdr), n); // now c = n/(n-1) * sum(dhpreact * bnraw)
  }
  for (let b = 0; b < B; b++) {
    const o = <usize>b * hb;
    for (let j = 0; j < H; j += 4) {
      const jb = <usize>j << 2;
      const k = o + jb;
      const t = f32x4.sub(
        f32x4.sub(f32x4.mul(nv, v128.load(dhpreact + k)), v128.load(sumD + jb)),
        f32x4.mul(v128.load(bnraw + k), v128.load(sumDR + jb)),
      );
      storeN(dinp + k, f32x4.mul(v128.load(scale + jb), t), H - j);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// softmax + cross-entropy

/**
 * probs (B, V) = softmax(logits (B, V)) row by row (the row max subtracted for numerical stability; the
 * vector exp). Returns the SUM over rows of -log probs[b, Y[b]] = log(sum) - (logit_y - max), exact even
 * where p_y underflows. Overwrites probs.
 */
export function crossEntropyForwardSum(probs: usize, logits: usize, Y: usize, B: i32, V: i32): f64 {
  return crossEntropyRows(probs, logits, Y, B, V, true);
}

/** crossEntropyForwardSum; with normalize false, probs is left unwritten (the evaluation needs only the loss) */
// @ts-ignore: decorator
@inline function crossEntropyRows(probs: usize, logits: usize, Y: usize, B: i32, V: i32, normalize: bool): f64 {
  const vb = <usize>V << 2;
  const full = <usize>(V & ~3) << 2;
  const rem = V & 3;
  const mask = laneMask(rem);
  const ninf = f32x4.splat(-Infinity);
  let loss: f64 = 0;
  for (let b = 0; b < B; b++) {
    const row = logits + <usize>b * vb;
    const prow = probs + <usize>b * vb;
    let mv = ninf;
    for (let j: usize = 0; j < full; j += 16) mv = f32x4.max(mv, v128.load(row + j));
    if (rem) mv = f32x4.max(mv, v128.bitselect(v128.load(row + full), ninf, mask));
    const m = max(max(f32x4.extract_lane(mv, 0), f32x4.extract_lane(mv, 1)), max(f32x4.extract_lane(mv, 2), f32x4.extract_lane(mv, 3)));
    const ms = f32x4.splat(m);
    let sv = f32x4.splat(0);
    for (let j: usize = 0; j < full; j += 16) {
      const e = expv(f32x4.sub(v128.load(row + j), ms));
      if (normalize) v128.store(prow + j, e);
      sv = f32x4.add(sv, e);
    }
    if (rem) {
      const e = v128.and(expv(f32x4.sub(v128.load(row + full), ms)), mask);
      if (normalize) storeN(prow + full, e, rem);
      sv = f32x4.add(sv, e);
    }
    const s = hsum(sv);
    if (normalize) {
      const inv = f32x4.splat(<f32>1 / s);
      for (let j: usize = 0; j < full; j += 16) v128.store(prow + j, f32x4.mul(v128.load(prow + j), inv));
      if (rem) storeN(prow + full, f32x4.mul(v128.load(prow + full), inv), rem);
    }
    const y = <usize>load<i32>(Y + (<usize>b << 2));
    loss += Math.log(<f64>s) - (<f64>load<f32>(row + (y << 2)) - <f64>m);
  }
  return loss;
}

/** Exercise 2: dlogits (B, V) = (probs - onehot(Y)) / n. Overwrites dlogits. */
export function crossEntropyBackward(dlogits: usize, probs: usize, Y: usize, B: i32, V: i32): void {
  const vb = <usize>V << 2;
  const nf = <f32>B;
  const nv = f32x4.splat(nf);
  for (let b = 0; b < B; b++) {
    const o = <usize>b * vb;
    for (let j = 0; j < V; j += 4) {
      const jb = <usize>j << 2;
      storeN(dlogits + o + jb, f32x4.div(v128.load(probs + o + jb), nv), V - j);
    }
    const y = <usize>load<i32>(Y + (<usize>b << 2)) << 2;
    store<f32>(dlogits + o + y, (load<f32>(probs + o + y) - 1) / nf);
  }
}

// ---------------------------------------------------------------------------------------------------------
// SGD

/** p (n) -= lr * g (n). */
export function sgdUpdate(p: usize, g: usize, n: i32, lr: f32): void {
  const l = f32x4.splat(lr);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(p + o, f32x4.sub(v128.load(p + o), f32x4.mul(l, v128.load(g + o))));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(p + o, load<f32>(p + o) - lr * load<f32>(g + o));
  }
}

// ---------------------------------------------------------------------------------------------------------
// evaluation forward (inference: given bnmean, bnvar), for a whole split

/**
 * Folds the embedding, W1, b1 and the batchnorm with fixed statistics into a table, so that a row's
 * pre-activation is T vector adds instead of a (T*E) x H matmul:
 *   s (H) = gain / sqrt(bnvar + eps)
 *   Q (T, V, H)[t, v] = s * (C[v] @ W1[t*E:(t+1)*E, :])
 *   c (H) = s * (b1 - bnmean) + bias
 * so hpreact[b] = c + sum_t Q[t, X[b, t]]. Overwrites Q and c.
 */
export function evalFold(
  Q: usize, c: usize, C: usize, W1: usize, b1: usize, gain: usize, bias: usize, bnmean: usize, bnvar: usize,
  V: i32, E: i32, T: i32, H: i32, eps: f32,
): void {
  const hb = <usize>H << 2;
  for (let t = 0; t < T; t++) {
    // Q[t] (V, H) = C (V, E) @ W1[t*E:(t+1)*E] (E, H)
    linearForward(Q + <usize>t * <usize>V * hb, C, W1 + <usize>t * <usize>E * hb, 0, V, E, H);
  }
  for (let j = 0; j < H; j += 4) {
    const jb = <usize>j << 2;
    const s = f32x4.div(v128.load(gain + jb), f32x4.sqrt(f32x4.add(v128.load(bnvar + jb), f32x4.splat(eps))));
    storeN(c + jb, madd(v128.load(bias + jb), s, f32x4.sub(v128.load(b1 + jb), v128.load(bnmean + jb))), H - j);
    const TV = T * V;
    for (let r = 0; r < TV; r++) {
      const k = Q + <usize>r * hb + jb;
      storeN(k, f32x4.mul(v128.load(k), s), H - j);
    }
  }
}

/**
 * The evaluation forward of n rows: h (n, H) = tanh(c + sum_t Q[t, X[b, t]]), logits = h @ W2 + b2, and
 * returns the SUM of -log softmax(logits)[b, Y[b]]. h (n, H) and logits (n, V) are scratch; probs unused.
 */
export function evalChunk(
  h: usize, logits: usize, probs: usize, Q: usize, c: usize, W2: usize, b2: usize, X: usize, Y: usize,
  n: i32, V: i32, T: i32, H: i32,
): f64 {
  const hb = <usize>H << 2;
  const vhb = <usize>V * hb;
  for (let b = 0; b < n; b++) {
    const x = X + <usize>b * <usize>T * 4;
    const hrow = h + <usize>b * hb;
    if (T == 3) {
      const q0 = Q + <usize>load<i32>(x) * hb;
      const q1 = Q + vhb + <usize>load<i32>(x, 4) * hb;
      const q2 = Q + 2 * vhb + <usize>load<i32>(x, 8) * hb;
      for (let j = 0; j < H; j += 4) {
        const jb = <usize>j << 2;
        const a = f32x4.add(f32x4.add(v128.load(c + jb), v128.load(q0 + jb)), f32x4.add(v128.load(q1 + jb), v128.load(q2 + jb)));
        storeN(hrow + jb, tanhv(a), H - j);
      }
    } else {
      for (let j = 0; j < H; j += 4) {
        const jb = <usize>j << 2;
        let a = v128.load(c + jb);
        for (let t = 0; t < T; t++) {
          a = f32x4.add(a, v128.load(Q + <usize>t * vhb + <usize>load<i32>(x + (<usize>t << 2)) * hb + jb));
        }
        storeN(hrow + jb, tanhv(a), H - j);
      }
    }
  }
  linearForward(logits, h, W2, b2, n, H, V);
  return crossEntropyRows(probs, logits, Y, n, V, false);
}
