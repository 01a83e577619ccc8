// WebAssembly SIMD kernels of the tensor library (src/core/torch/): every tensor's storage lives in this
// module's linear memory (src/core/torch/heap.ts allocates it), so the kernels run in place on the tensors'
// own bytes, with no copy in or out. AssemblyScript, compiled by scripts/build-wasm.mjs into
// src/core/wasm/torchWasm.ts (base64 bytes).
//
// Conventions: outputs first, then inputs, then dimensions. A pointer is a byte offset into this memory.
// Each kernel states what it reads and writes; none reads or writes past the elements it is given. The
// arithmetic is the library's (src/core/torch/kernels/): float32 + - * / are IEEE single (the bits of the
// JS loops, which compute in double and round once), sums accumulate in a double in ascending order and
// round once, no fused multiply-add anywhere.

/** Where the JS allocator may start (past this module's static data). */
export function heapBase(): usize {
  return __heap_base;
}

// ---------------------------------------------------------------------------------------------------------
// the torch library's float32 matmul (src/core/torch/linalg.ts)

/**
 * out (n, m) = a (n, k) @ b (k, m), float32 in and out, with the reference kernels' arithmetic
 * (reference/matmul.ts) bit for bit: every dot product summed in a double, p = 0, 1, ..., k-1, products
 * of two floats exact in double, no fused multiply-add, rounded once to float32 when stored. SIMD runs
 * along j (two output columns per f64x2), which leaves each element's order of additions unchanged.
 *
 * Register-blocked: a tile of 2 rows x 8 columns keeps its 16 double sums in 8 f64x2 registers over the
 * whole k loop (each b row segment is loaded and widened once for both rows), so the sums never go through
 * memory; a last odd row takes 1 x 8 tiles, the columns past a multiple of 8 take scalar double sums in the
 * same order. Reads no more than it stores.
 */
export function matmulF32Ref(out: usize, a: usize, b: usize, n: i32, k: i32, m: i32): void {
  const m8 = m & ~7;
  const rowB = <usize>m << 2;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const a0 = a + (<usize>(i * k) << 2);
    const a1 = a0 + (<usize>k << 2);
    const o0 = out + (<usize>(i * m) << 2);
    const o1 = o0 + rowB;
    for (let j = 0; j < m8; j += 8) {
      let c00 = f64x2.splat(0), c01 = f64x2.splat(0), c02 = f64x2.splat(0), c03 = f64x2.splat(0);
      let c10 = f64x2.splat(0), c11 = f64x2.splat(0), c12 = f64x2.splat(0), c13 = f64x2.splat(0);
      let bp = b + (<usize>j << 2);
      for (let p = 0; p < k; p++) {
        const v0 = v128.load(bp);
        const v1 = v128.load(bp, 16);
        const b0 = f64x2.promote_low_f32x4(v0);
        const b1 = f64x2.promote_low_f32x4(v128.shuffle<f32>(v0, v0, 2, 3, 0, 1));
        const b2 = f64x2.promote_low_f32x4(v1);
        const b3 = f64x2.promote_low_f32x4(v128.shuffle<f32>(v1, v1, 2, 3, 0, 1));
        const s0 = f64x2.splat(<f64>load<f32>(a0 + (<usize>p << 2)));
        const s1 = f64x2.splat(<f64>load<f32>(a1 + (<usize>p << 2)));
        c00 = f64x2.add(c00, f64x2.mul(s0, b0));
        c01 = f64x2.add(c01, f64x2.mul(s0, b1));
        c02 = f64x2.add(c02, f64x2.mul(s0, b2));
        c03 = f64x2.add(c03, f64x2.mul(s0, b3));
        c10 = f64x2.add(c10, f64x2.mul(s1, b0));
        c11 = f64x2.add(c11, f64x2.mul(s1, b1));
        c12 = f64x2.add(c12, f64x2.mul(s1, b2));
        c13 = f64x2.add(c13, f64x2.mul(s1, b3));
        bp += rowB;
      }
      store8(o0 + (<usize>j << 2), c00, c01, c02, c03);
      store8(o1 + (<usize>j << 2), c10, c11, c12, c13);
    }
    for (let j = m8; j < m; j++) {
      let s0: f64 = 0;
      let s1: f64 = 0;
      let bp = b + (<usize>j << 2);
      for (let p = 0; p < k; p++) {
        const bv = <f64>load<f32>(bp);
        s0 += <f64>load<f32>(a0 + (<usize>p << 2)) * bv;
        s1 += <f64>load<f32>(a1 + (<usize>p << 2)) * bv;
        bp += rowB;
      }
      store<f32>(o0 + (<usize>j << 2), <f32>s0);
      store<f32>(o1 + (<usize>j << 2), <f32>s1);
    }
  }
  if (i < n) {
    const a0 = a + (<usize>(i * k) << 2);
    const o0 = out + (<usize>(i * m) << 2);
    for (let j = 0; j < m8; j += 8) {
      let c00 = f64x2.splat(0), c01 = f64x2.splat(0), c02 = f64x2.splat(0), c03 = f64x2.splat(0);
      let bp = b + (<usize>j << 2);
      for (let p = 0; p < k; p++) {
        const v0 = v128.load(bp);
        const v1 = v128.load(bp, 16);
        const s0 = f64x2.splat(<f64>load<f32>(a0 + (<usize>p << 2)));
        c00 = f64x2.add(c00, f64x2.mul(s0, f64x2.promote_low_f32x4(v0)));
        c01 = f64x2.add(c01, f64x2.mul(s0, f64x2.promote_low_f32x4(v128.shuffle<f32>(v0, v0, 2, 3, 0, 1))));
        c02 = f64x2.add(c02, f64x2.mul(s0, f64x2.promote_low_f32x4(v1)));
        c03 = f64x2.add(c03, f64x2.mul(s0, f64x2.promote_low_f32x4(v128.shuffle<f32>(v1, v1, 2, 3, 0, 1))));
        bp += rowB;
      }
      store8(o0 + (<usize>j << 2), c00, c01, c02, c03);
    }
    for (let j = m8; j < m; j++) {
      let s0: f64 = 0;
      let bp = b + (<usize>j << 2);
      for (let p = 0; p < k; p++) {
        s0 += <f64>load<f32>(a0 + (<usize>p << 2)) * <f64>load<f32>(bp);
        bp += rowB;
      }
      store<f32>(o0 + (<usize>j << 2), <f32>s0);
    }
  }
}

/** stores 8 double sums (4 f64x2) at p as 8 floats, each rounded once */
// @ts-ignore: decorator
@inline function store8(p: usize, c0: v128, c1: v128, c2: v128, c3: v128): void {
  v128.store(p, v128.shuffle<f32>(f32x4.demote_f64x2_zero(c0), f32x4.demote_f64x2_zero(c1), 0, 1, 4, 5));
  v128.store(p, v128.shuffle<f32>(f32x4.demote_f64x2_zero(c2), f32x4.demote_f64x2_zero(c3), 0, 1, 4, 5), 16);
}

// ---------------------------------------------------------------------------------------------------------
// the torch library's float32 elementwise + - * / (src/core/torch/elementwise.ts): f32x4 arithmetic is IEEE
// single precision, correctly rounded, so each result has the bits of the library's JS loops (the double
// result of two floats rounded once). Layouts (`mode`), n outputs:
//   0  a and b both n elements          1  b one scalar           2  a one scalar
//   3  b a row of c, repeated (n = rows * c)                      4  a a row of c, repeated
// Reads and stores exactly the elements named (scalar tails, no over-read).

// @ts-ignore: decorator
@inline function opv(op: i32, x: v128, y: v128): v128 {
  if (op == 0) return f32x4.add(x, y);
  if (op == 1) return f32x4.sub(x, y);
  if (op == 2) return f32x4.mul(x, y);
  return f32x4.div(x, y);
}

// @ts-ignore: decorator
@inline function ops(op: i32, x: f32, y: f32): f32 {
  if (op == 0) return x + y;
  if (op == 1) return x - y;
  if (op == 2) return x * y;
  return x / y;
}

/** out[i] = a[i] (op) b[i] over n (contiguous), a or b fixed when its step is 0 (a splat scalar) */
// @ts-ignore: decorator
@inline function binRun(op: i32, out: usize, a: usize, sa: i32, b: usize, sb: i32, n: i32): void {
  const n4 = n & ~3;
  let i = 0;
  if (sa == 0) {
    const x = v128.load32_splat(a);
    for (; i < n4; i += 4) v128.store(out + (<usize>i << 2), opv(op, x, v128.load(b + (<usize>i << 2))));
    for (; i < n; i++) store<f32>(out + (<usize>i << 2), ops(op, load<f32>(a), load<f32>(b + (<usize>i << 2))));
  } else if (sb == 0) {
    const y = v128.load32_splat(b);
    for (; i < n4; i += 4) v128.store(out + (<usize>i << 2), opv(op, v128.load(a + (<usize>i << 2)), y));
    for (; i < n; i++) store<f32>(out + (<usize>i << 2), ops(op, load<f32>(a + (<usize>i << 2)), load<f32>(b)));
  } else {
    for (; i < n4; i += 4) v128.store(out + (<usize>i << 2), opv(op, v128.load(a + (<usize>i << 2)), v128.load(b + (<usize>i << 2))));
    for (; i < n; i++) store<f32>(out + (<usize>i << 2), ops(op, load<f32>(a + (<usize>i << 2)), load<f32>(b + (<usize>i << 2))));
  }
}

// @ts-ignore: decorator
@inline function binMode(op: i32, out: usize, a: usize, b: usize, n: i32, c: i32, mode: i32): void {
  if (mode == 0) binRun(op, out, a, 1, b, 1, n);
  else if (mode == 1) binRun(op, out, a, 1, b, 0, n);
  else if (mode == 2) binRun(op, out, a, 0, b, 1, n);
  else {
    for (let r = 0; r < n; r += c) {
      const off = <usize>r << 2;
      if (mode == 3) binRun(op, out + off, a + off, 1, b, 1, c);
      else binRun(op, out + off, a, 1, b + off, 1, c);
    }
  }
}

export function binaryF32(out: usize, a: usize, b: usize, n: i32, c: i32, op: i32, mode: i32): void {
  if (op == 0) binMode(0, out, a, b, n, c, mode);
  else if (op == 1) binMode(1, out, a, b, n, c, mode);
  else if (op == 2) binMode(2, out, a, b, n, c, mode);
  else binMode(3, out, a, b, n, c, mode);
}

/**
 * The torch library's column sums (src/core/torch/reduce.ts accumulate, x.sum(0) of a contiguous float32
 * [r, c]): acc[j] += x[0, j], then x[1, j], ... in doubles, rows ascending, so each sum adds in the
 * library's order; with `center` (a pointer, 0 for none) adds (x[i, j] - center[j])^2 instead (var's
 * second pass). f64x2 along j; the last odd column in scalar doubles.
 */
export function colSumF32(acc: usize, x: usize, center: usize, r: i32, c: i32): void {
  const c2 = c & ~1;
  const rowX = <usize>c << 2;
  for (let j = 0; j < c2; j += 2) {
    const ap = acc + (<usize>j << 3);
    let s = v128.load(ap);
    let xp = x + (<usize>j << 2);
    if (center == 0) {
      for (let i = 0; i < r; i++) {
        s = f64x2.add(s, f64x2.promote_low_f32x4(v128.load64_zero(xp)));
        xp += rowX;
      }
    } else {
      const m = v128.load(center + (<usize>j << 3));
      for (let i = 0; i < r; i++) {
        const d = f64x2.sub(f64x2.promote_low_f32x4(v128.load64_zero(xp)), m);
        s = f64x2.add(s, f64x2.mul(d, d));
        xp += rowX;
      }
    }
    v128.store(ap, s);
  }
  if (c2 < c) {
    const ap = acc + (<usize>c2 << 3);
    let s = load<f64>(ap);
    let xp = x + (<usize>c2 << 2);
    const m: f64 = center == 0 ? 0 : load<f64>(center + (<usize>c2 << 3));
    for (let i = 0; i < r; i++) {
      const v = <f64>load<f32>(xp);
      if (center == 0) s += v;
      else {
        const d = v - m;
        s += d * d;
      }
      xp += rowX;
    }
    store<f64>(ap, s);
  }
}

// ---------------------------------------------------------------------------------------------------------
// float32 tanh with Math.tanh's bits (src/core/torch/kernels/tanh32.ts is the same algorithm in JS, and says
// why it is exact): tanh|x| = m / (m + 2), m = e^(2|x|) - 1 from our own series (relative error under 1e-13),
// accepted when everything within 2^-40 of it rounds to one float32; otherwise Math.tanh (imported) decides.

@external("env", "tanh")
declare function jsTanh(x: f64): f64;

const TANH_MARGIN: f64 = 9.094947017729282e-13; // 2^-40
const INV_LN2: f64 = 1.4426950408889634;
const LN2: f64 = 0.6931471805599453;

/** e^y - 1 for 0 < y < 20 (the series of tanh32.ts: Taylor to y^12 below 0.35, else 2^k e^r with |r| <= ln2/2). */
// @ts-ignore: decorator
@inline function expm1Series(y: f64): f64 {
  if (y < 0.35) {
    const y2 = y * y;
    const y4 = y2 * y2;
    const p = (1.0 + 0.5 * y) + (0.16666666666666666 + 0.041666666666666664 * y) * y2 +
      ((0.008333333333333333 + 0.001388888888888889 * y) + (0.0001984126984126984 + 0.0000248015873015873 * y) * y2) * y4 +
      ((0.0000027557319223985893 + 2.755731922398589e-7 * y) + (2.505210838544172e-8 + 2.08767569878681e-9 * y) * y2) * (y4 * y4);
    return y * p;
  }
  const k = Math.floor(y * INV_LN2 + 0.5);
  const r = y - k * LN2;
  const r2 = r * r;
  const r4 = r2 * r2;
  const e = (1.0 + r) + (0.5 + 0.16666666666666666 * r) * r2 +
    ((0.041666666666666664 + 0.008333333333333333 * r) + (0.001388888888888889 + 0.0001984126984126984 * r) * r2) * r4 +
    ((0.0000248015873015873 + 0.0000027557319223985893 * r) + (2.755731922398589e-7 + 2.505210838544172e-8 * r) * r2) * (r4 * r4);
  return e * reinterpret<f64>((<i64>k + 1023) << 52) - 1;
}

/** out[i] = float32(Math.tanh(inp[i])) for n float32s (out may be inp). */
export function tanhF32(out: usize, inp: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const x = <f64>load<f32>(inp + (<usize>i << 2));
    const ax = Math.abs(x);
    let y: f64;
    if (!(ax < 10)) y = x != x ? x : x > 0 ? 1 : -1;
    else if (ax == 0) y = x;
    else {
      const m = expm1Series(2 * ax);
      const t = m / (m + 2);
      const e = t * TANH_MARGIN;
      if (<f32>(t - e) != <f32>(t + e)) y = jsTanh(x);
      else y = x < 0 ? -t : t;
    }
    store<f32>(out + (<usize>i << 2), <f32>y);
  }
}

/** out (c, r) = inp (r, c) transposed, float32 (packs a transposed operand for matmulF32Ref). */
export function transposeF32(out: usize, inp: usize, r: i32, c: i32): void {
  for (let i = 0; i < r; i++) {
    const src = inp + (<usize>(i * c) << 2);
    for (let j = 0; j < c; j++) store<f32>(out + (<usize>(j * r + i) << 2), load<f32>(src + (<usize>j << 2)));
  }
}

// ---------------------------------------------------------------------------------------------------------
// exp with Math.exp's bits: V8's Math.exp is FreeBSD msun's e_exp.c (fdlibm's __ieee754_exp with exp(1) = e
// returned as is); this is the same code, operation for operation, so the same double for every input
// (test/torch/exp.test.ts compares the two on millions of doubles).

const EXP_HALF: f64 = 0.5;
const EXP_O_THRESHOLD: f64 = 7.09782712893383973096e+02;
const EXP_U_THRESHOLD: f64 = -7.45133219101941108420e+02;
const EXP_LN2HI: f64 = 6.93147180369123816490e-01;
const EXP_LN2LO: f64 = 1.90821492927058770002e-10;
const EXP_INVLN2: f64 = 1.44269504088896338700e+00;
const EXP_P1: f64 = 1.66666666666666019037e-01;
const EXP_P2: f64 = -2.77777777770155933842e-03;
const EXP_P3: f64 = 6.61375632143793436117e-05;
const EXP_P4: f64 = -1.65339022054652515390e-06;
const EXP_P5: f64 = 4.13813679705723846039e-08;
const EXP_TWOM1000: f64 = 9.33263618503218878990e-302;

/** Math.exp(x), bit for bit. */
export function expF64(x: f64): f64 {
  let hx = <u32>(reinterpret<u64>(x) >> 32);
  const xsb = <i32>(hx >> 31);
  hx &= 0x7fffffff;
  if (hx >= 0x40862E42) {
    if (hx >= 0x7ff00000) {
      if (((hx & 0xfffff) | <u32>reinterpret<u64>(x)) != 0) return x + x; // NaN
      return xsb == 0 ? x : 0.0; // exp(+-inf) = {inf, 0}
    }
    if (x > EXP_O_THRESHOLD) return Infinity;
    if (x < EXP_U_THRESHOLD) return 0.0;
  }
  if (x == 1.0) return 2.718281828459045235360;
  let hi: f64 = 0;
  let lo: f64 = 0;
  let k: i32 = 0;
  if (hx > 0x3fd62e42) {
    if (hx < 0x3FF0A2B2) {
      if (xsb == 0) {
        hi = x - EXP_LN2HI;
        lo = EXP_LN2LO;
        k = 1;
      } else {
        hi = x + EXP_LN2HI;
        lo = -EXP_LN2LO;
        k = -1;
      }
    } else {
      k = <i32>(EXP_INVLN2 * x + (xsb == 0 ? EXP_HALF : -EXP_HALF));
      const t = <f64>k;
      hi = x - t * EXP_LN2HI;
      lo = t * EXP_LN2LO;
    }
    x = hi - lo;
  } else if (hx < 0x3e300000) {
    return 1.0 + x;
  }
  const t = x * x;
  const twopk = k >= -1021
    ? reinterpret<f64>(<u64>(0x3ff00000 + (k << 20)) << 32)
    : reinterpret<f64>(<u64>(0x3ff00000 + ((k + 1000) << 20)) << 32);
  const c = x - t * (EXP_P1 + t * (EXP_P2 + t * (EXP_P3 + t * (EXP_P4 + t * EXP_P5))));
  if (k == 0) return 1.0 - ((x * c) / (c - 2.0) - x);
  const y = 1.0 - ((lo - (x * c) / (2.0 - c)) - hi);
  if (k >= -1021) {
    if (k == 1024) return y * 2.0 * 8.98846567431158e307; // 0x1p1023
    return y * twopk;
  }
  return y * twopk * EXP_TWOM1000;
}

/** out[i] = float32(Math.exp(inp[i])) for n float32s. */
export function expF32(out: usize, inp: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<f32>(out + (<usize>i << 2), <f32>expF64(<f64>load<f32>(inp + (<usize>i << 2))));
}

@external("env", "log")
declare function jsLog(x: f64): f64;

/**
 * softmax (log = 0) or log_softmax (log = 1) of each of `rows` contiguous float32 rows of `d` elements (`scratch`:
 * room for d doubles), the
 * library's arithmetic (kernels/softmax.ts): the row's max subtracted, exp and the sum in doubles, one
 * rounding per output; log_softmax's log is Math.log's (imported: one call a row).
 */
export function softmaxRowsF32(out: usize, inp: usize, rows: i32, d: i32, log: i32, scratch: usize): void {
  for (let r = 0; r < rows; r++) {
    const x = inp + (<usize>(r * d) << 2);
    const o = out + (<usize>(r * d) << 2);
    let m: f64 = -Infinity;
    for (let i = 0; i < d; i++) {
      const v = <f64>load<f32>(x + (<usize>i << 2));
      if (v > m || v != v) m = v;
    }
    // each exp once, kept in doubles in `scratch` (d doubles) for the second pass
    let sum: f64 = 0;
    for (let i = 0; i < d; i++) {
      const e = expF64(<f64>load<f32>(x + (<usize>i << 2)) - m);
      store<f64>(scratch + (<usize>i << 3), e);
      sum += e;
    }
    if (log != 0) {
      const ls = jsLog(sum);
      for (let i = 0; i < d; i++) store<f32>(o + (<usize>i << 2), <f32>(<f64>load<f32>(x + (<usize>i << 2)) - m - ls));
    } else {
      for (let i = 0; i < d; i++) store<f32>(o + (<usize>i << 2), <f32>(load<f64>(scratch + (<usize>i << 3)) / sum));
    }
  }
}
