// PyTorch 1.13's CPU random streams, reproduced bit for bit (no I/O: Node and the browser share it).
//
// Written from PyTorch 1.13's sources (aten/src/ATen/core/MT19937RNGEngine.h, CPUGeneratorImpl.cpp,
// TransformationHelper.h, DistributionsHelper.h, native/cpu/DistributionTemplates.h, native/cpu/avx_mathfun.h,
// native/Distributions.cpp's multinomial, native/cpu/MultinomialKernel.cpp) and checked draw by draw against
// Debian's python3-torch 1.13 (test/core/torch-rng.test.ts, fixture from scripts/make_torch_rng_fixture.py).
// Which builds and CPUs these streams hold for: docs/torch-rng.md.
//
// The API is a generator plus free functions that fill a contiguous buffer of n elements, consuming the
// generator exactly as PyTorch does for a contiguous tensor of n elements of that dtype:
//   const g = new TorchGenerator().manualSeed(2147483647);
//   const W = new Float32Array(27 * 10); normal32(g, W);          // torch.randn((27, 10), generator=g)
//   const ix = randintArray(g, 0, 182625, 32);                    // torch.randint(0, 182625, (32,), generator=g)
//   const s = multinomial(g, probs, 27, 1, false);                // torch.multinomial(probs, 1, generator=g)
// Integers come back as numbers (int64 values beyond 2**53 are refused).

import { N, temper, twist } from './mt19937.js';
import { fma64, fmaf } from './fma.js';
import { cosGlibc, cosfGlibc, logGlibc, logfGlibc, sinGlibc, sinfGlibc } from './libm.js';

export { fma64, fmaf };

const TWO_32 = 4294967296;
const TWO_M24 = 2 ** -24;
const TWO_M53 = 2 ** -53;
const UINT64_MOD = 1n << 64n;

/** The size of `g.get_state()`: sizeof(CPUGeneratorImplState) on x86-64. */
export const TORCH_STATE_BYTES = 5056;

/** `torch.Generator()`'s seed before any manual_seed (c10's default_rng_seed_val). */
export const TORCH_DEFAULT_SEED = 67280421310721n;

/**
 * Which compiled kernel to reproduce for float32 `normal_` of 16 or more contiguous elements (and for the
 * fused multiply-adds elsewhere): 'avx2' is PyTorch's AVX2 build (x86-64 CPUs with AVX2+FMA, the default
 * there), 'scalar' its DEFAULT build (no AVX2: other CPUs, ATEN_CPU_CAPABILITY=default). See docs/torch-rng.md.
 */
export type TorchKernel = 'avx2' | 'scalar';

/** Serialisable generator state (JSON-safe), for checkpoints that resume the same stream. */
export interface TorchGeneratorState {
  kind: 'torch-cpu';
  /** The seed given to manual_seed, as a decimal uint64 (initial_seed()). */
  seed: string;
  /** MT19937's 624 state words. */
  mt: number[];
  /** Index of the next word to temper, in [0, 624]; 624 means the state is twisted before the next draw. */
  index: number;
  /** The cached second Box-Muller sample of the scalar normal path (next_double_normal_sample), or null. */
  nextDoubleNormal: number | null;
  /** next_float_normal_sample (unused by CPU kernels in 1.13, kept so a state round-trips). */
  nextFloatNormal: number | null;
  /** seeded and not drawn from yet (only getTorchState's `next` field depends on it) */
  fresh?: boolean;
}

/** PyTorch's CPUGeneratorImpl: MT19937 seeded with the low 32 bits of a uint64 seed, plus the normal cache. */
export class TorchGenerator {
  private readonly mt = new Uint32Array(N);
  private index = N;
  /** seeded and not drawn from yet: PyTorch's engine then says next_ = 0 (after 624 draws it says 624) */
  private fresh = true;
  private seedValue = TORCH_DEFAULT_SEED;
  /** Cached r*sin(theta) of the scalar Box-Muller path (double), cleared by manualSeed. */
  nextDoubleNormal: number | null = null;
  nextFloatNormal: number | null = null;

  constructor(seed: number | bigint = TORCH_DEFAULT_SEED) {
    this.manualSeed(seed);
  }

  /**
   * `g.manual_seed(s)`: s is read as a uint64 (negative int64 seeds wrap, e.g. -1 -> 2**64-1); only its low
   * 32 bits reach MT19937 (init_genrand); the cached normal samples are cleared. Returns this, like PyTorch.
   */
  manualSeed(seed: number | bigint): this {
    let s: bigint;
    if (typeof seed === 'number') {
      if (!Number.isSafeInteger(seed)) throw new RangeError(`manual_seed: expected an integer seed, got ${seed}`);
      s = BigInt(seed);
    } else s = seed;
    if (s < -(1n << 63n) || s >= UINT64_MOD) throw new RangeError(`manual_seed: seed ${s} is outside the 64-bit range`);
    s = BigInt.asUintN(64, s);
    this.seedValue = s;
    const mt = this.mt;
    mt[0] = Number(s & 0xffffffffn);
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    this.index = N;
    this.fresh = true;
    this.nextDoubleNormal = null;
    this.nextFloatNormal = null;
    return this;
  }

  /** `g.initial_seed()`: the uint64 last given to manualSeed. */
  initialSeed(): bigint {
    return this.seedValue;
  }

  /** One tempered MT19937 output: CPUGeneratorImpl::random(), a uint32. */
  random(): number {
    const mt = this.mt;
    this.fresh = false;
    if (this.index >= N) {
      twist(mt);
      this.index = 0;
    }
    return temper(mt[this.index++]);
  }

  /** CPUGeneratorImpl::random64(): (first << 32) | second, as a bigint. */
  random64(): bigint {
    const hi = this.random();
    const lo = this.random();
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  /** uniform_real_distribution<float>(0, 1): (random() & (2**24-1)) * 2**-24, one 32-bit draw. */
  uniformFloat(): number {
    return (this.random() & 0xffffff) * TWO_M24;
  }

  /** uniform_real_distribution<double>(0, 1): (random64() & (2**53-1)) * 2**-53, two 32-bit draws. */
  uniformDouble(): number {
    const hi = this.random();
    const lo = this.random();
    return ((hi & 0x1fffff) * TWO_32 + lo) * TWO_M53;
  }

  getState(): TorchGeneratorState {
    return {
      kind: 'torch-cpu',
      seed: this.seedValue.toString(),
      mt: Array.from(this.mt),
      index: this.index,
      nextDoubleNormal: this.nextDoubleNormal,
      nextFloatNormal: this.nextFloatNormal,
      fresh: this.fresh,
    };
  }

  setState(state: TorchGeneratorState): void {
    const ok =
      state !== null &&
      typeof state === 'object' &&
      state.kind === 'torch-cpu' &&
      Array.isArray(state.mt) &&
      state.mt.length === N &&
      state.mt.every((w) => Number.isInteger(w) && w >= 0 && w < TWO_32) &&
      Number.isInteger(state.index) &&
      state.index >= 0 &&
      state.index <= N &&
      typeof state.seed === 'string' &&
      /^[0-9]+$/.test(state.seed) &&
      BigInt(state.seed) < UINT64_MOD &&
      (state.nextDoubleNormal === null || typeof state.nextDoubleNormal === 'number') &&
      (state.nextFloatNormal === null || typeof state.nextFloatNormal === 'number');
    if (!ok) throw new RangeError('torch generator state: expected kind torch-cpu, 624 uint32 words, an index in [0, 624] and a uint64 seed');
    this.mt.set(state.mt);
    this.index = state.index;
    this.seedValue = BigInt(state.seed);
    this.nextDoubleNormal = state.nextDoubleNormal;
    this.nextFloatNormal = state.nextFloatNormal;
    this.fresh = state.fresh === true && state.index === N;
  }

  /**
   * `g.get_state()`: the 5056 bytes of PyTorch's CPUGeneratorImplState (x86-64 layout, little-endian):
   *   u64 the_initial_seed | i32 left | i32 seeded | u64 next | u64 state[624] | f64 normal_x, normal_y,
   *   normal_rho | i32 normal_is_valid | pad | f32 next_float_normal_sample | u8 is_valid | pad
   * (the cached double normal is normal_y; left counts down to the next twist: 625 - next, 1 when due).
   */
  getTorchState(): Uint8Array {
    const bytes = new Uint8Array(TORCH_STATE_BYTES);
    const v = new DataView(bytes.buffer);
    const next = this.fresh ? 0 : this.index;
    v.setBigUint64(0, this.seedValue, true);
    v.setInt32(8, this.index >= N ? 1 : N + 1 - this.index, true);
    v.setInt32(12, 1, true);
    v.setBigUint64(16, BigInt(next), true);
    for (let i = 0; i < N; i++) v.setUint32(24 + 8 * i, this.mt[i], true);
    if (this.nextDoubleNormal !== null) {
      v.setFloat64(5024, this.nextDoubleNormal, true);
      v.setInt32(5040, 1, true);
    }
    if (this.nextFloatNormal !== null) {
      v.setFloat32(5048, this.nextFloatNormal, true);
      v.setUint8(5052, 1);
    }
    return bytes;
  }

  /** `g.set_state(bytes)` for the bytes getTorchState (or PyTorch's get_state) gives. */
  setTorchState(bytes: Uint8Array): void {
    if (bytes.length !== TORCH_STATE_BYTES) {
      throw new RangeError(`torch generator state: expected ${TORCH_STATE_BYTES} bytes (CPUGeneratorImplState), got ${bytes.length}`);
    }
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const left = v.getInt32(8, true);
    const seeded = v.getInt32(12, true);
    const next = Number(v.getBigUint64(16, true));
    if (seeded !== 1 || !(left >= 1 && left <= N) || next > N || (left !== 1 && left + next !== N + 1)) {
      throw new RangeError('torch generator state: invalid mt19937 state (seeded, left, next)');
    }
    this.seedValue = v.getBigUint64(0, true);
    for (let i = 0; i < N; i++) this.mt[i] = v.getUint32(24 + 8 * i, true);
    this.index = left === 1 ? N : next;
    this.fresh = left === 1 && next === 0;
    this.nextDoubleNormal = v.getInt32(5040, true) !== 0 ? v.getFloat64(5024, true) : null;
    this.nextFloatNormal = v.getUint8(5052) !== 0 ? v.getFloat32(5048, true) : null;
  }

  clone(): TorchGenerator {
    const g = new TorchGenerator();
    g.setState(this.getState());
    return g;
  }
}

// ---------------------------------------------------------------------------------------------------------
// avx_mathfun's log256_ps and sincos256_ps, one lane at a time, with the FMAs GCC formed in Debian's build.

const fround = Math.fround;
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

const MIN_NORM_POS = 2 ** -126;
const SQRTHF = fround(0.707106781186547524);
const LOG_P = [
  7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1, 1.4249322787e-1, -1.6668057665e-1,
  2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1,
].map(fround);
const LOG_Q1 = fround(-2.12194440e-4);
const LOG_Q2 = fround(0.693359375);
const MINUS_DP1 = fround(-0.78515625);
const MINUS_DP2 = fround(-2.4187564849853515625e-4);
const MINUS_DP3 = fround(-3.77489497744594108e-8);
const SINCOF_P0 = fround(-1.9515295891e-4);
const SINCOF_P1 = fround(8.3321608736e-3);
const SINCOF_P2 = fround(-1.6666654611e-1);
const COSCOF_P0 = fround(2.443315711809948e-5);
const COSCOF_P1 = fround(-1.388731625493765e-3);
const COSCOF_P2 = fround(4.166664568298827e-2);
const FOPI = fround(1.27323954473516);
/** `_mm256_set1_ps(2.0f * c10::pi<double>)`: 2*pi in double, then to float. */
const TWO_PI_F = fround(2 * Math.PI);

/** log256_ps for one lane x > 0 (float in, float out). */
export function logAvx2(x: number): number {
  x = Math.max(x, MIN_NORM_POS);
  f32[0] = x;
  const bits = u32[0];
  let e = fround((bits >>> 23) - 0x7f + 1);
  u32[0] = (bits & ~0x7f800000) | 0x3f000000;
  x = f32[0];
  const lt = x < SQRTHF;
  const tmp = lt ? x : 0;
  x = fround(x - 1);
  if (lt) e = fround(e - 1);
  x = fround(x + tmp);
  const z = fround(x * x);
  let y = fmaf(LOG_P[0], x, LOG_P[1]);
  for (let k = 2; k <= 8; k++) y = fmaf(y, x, LOG_P[k]);
  y = fround(y * x);
  y = fmaf(y, z, fround(e * LOG_Q1));
  y = fmaf(-z, 0.5, y);
  x = fround(x + y);
  return fmaf(e, LOG_Q2, x);
}

let sinOut = 0;
let cosOut = 0;

/** sincos256_ps for one lane (float in); results in sinOut / cosOut. */
function sincosAvx2(xIn: number): void {
  let x = Math.abs(xIn);
  const negIn = xIn < 0 || Object.is(xIn, -0);
  let y = fround(x * FOPI);
  let j = Math.trunc(y) | 0;
  j = (j + 1) & ~1;
  y = j;
  const swapSin = (j & 4) !== 0;
  const polyMask = (j & 2) === 0;
  x = fmaf(y, MINUS_DP1, x);
  x = fmaf(y, MINUS_DP2, x);
  x = fmaf(y, MINUS_DP3, x);
  const signCos = ((j - 2) & 4) === 0;
  const signSin = negIn !== swapSin;
  const z = fround(x * x);
  let yc = fmaf(fmaf(COSCOF_P0, z, COSCOF_P1), z, COSCOF_P2);
  yc = fround(yc * z);
  yc = fmaf(yc, z, -fround(z * 0.5));
  yc = fround(yc + 1);
  let ys = fmaf(fmaf(SINCOF_P0, z, SINCOF_P1), z, SINCOF_P2);
  ys = fround(ys * z);
  ys = fmaf(ys, x, x);
  const ysin2 = polyMask ? ys : 0;
  const ysin1 = polyMask ? 0 : yc;
  const y2 = fround(ys - ysin2);
  const y1 = fround(yc - ysin1);
  const s = fround(ysin1 + ysin2);
  const c = fround(y1 + y2);
  sinOut = signSin ? -s : s;
  cosOut = signCos ? -c : c;
}

/** sincos256_ps for one float lane, as [sin, cos] (for tests). */
export function sincosAvx2Pair(x: number): [number, number] {
  sincosAvx2(x);
  return [sinOut, cosOut];
}

// ---------------------------------------------------------------------------------------------------------
// normal_ / randn

/** normal_fill_16_AVX2: 16 float uniforms at d[o..o+16) become 8 Box-Muller pairs (j, j + 8). */
function normal16Avx2(d: Float32Array, o: number, mean: number, std: number): void {
  for (let j = 0; j < 8; j++) {
    const u1 = fround(1 - d[o + j]);
    const u2 = d[o + j + 8];
    const radius = fround(Math.sqrt(fround(-2 * logAvx2(u1))));
    const theta = fround(TWO_PI_F * u2);
    sincosAvx2(theta);
    d[o + j] = fmaf(fround(radius * cosOut), std, mean);
    d[o + j + 8] = fmaf(fround(radius * sinOut), std, mean);
  }
}

/**
 * normal_fill_16<float> of the DEFAULT build: glibc's logf and sincosf (FMA builds, ported in libm.ts),
 * theta computed in double and stored to float, no fused multiply-add in the kernel itself.
 */
function normal16Scalar32(d: Float32Array, o: number, mean: number, std: number): void {
  for (let j = 0; j < 8; j++) {
    const u1 = fround(1 - d[o + j]);
    const u2 = d[o + j + 8];
    const radius = fround(Math.sqrt(fround(-2 * logfGlibc(u1))));
    const theta = fround(2 * Math.PI * u2);
    d[o + j] = fround(fround(fround(radius * cosfGlibc(theta)) * std) + mean);
    d[o + j + 8] = fround(fround(fround(radius * sinfGlibc(theta)) * std) + mean);
  }
}

/**
 * normal_fill_16<double>: glibc's log, sin and cos (ported in libm.ts). `* std + mean` is not fused in either build (the recorded streams
 * with mean 0.5, std 2 agree between the AVX2 and DEFAULT builds).
 */
function normal16Double(d: Float64Array, o: number, mean: number, std: number): void {
  for (let j = 0; j < 8; j++) {
    const u1 = 1 - d[o + j];
    const u2 = d[o + j + 8];
    const radius = Math.sqrt(-2 * logGlibc(u1));
    const theta = 2 * Math.PI * u2;
    d[o + j] = radius * cosGlibc(theta) * std + mean;
    d[o + j + 8] = radius * sinGlibc(theta) * std + mean;
  }
}

/**
 * at::normal_distribution<double> (the path for fewer than 16 elements, any dtype): a cached sample if there
 * is one, else Box-Muller on two double uniforms, caching r*sin(theta). Returns a double. `* std + mean` is
 * not fused in either build (as for normal_fill_16<double>).
 */
export function normalScalar(g: TorchGenerator, mean = 0, std = 1): number {
  if (g.nextDoubleNormal !== null) {
    const cached = g.nextDoubleNormal;
    g.nextDoubleNormal = null;
    return cached * std + mean;
  }
  const u1 = g.uniformDouble();
  const u2 = g.uniformDouble();
  const r = Math.sqrt(-2 * logGlibc(1 - u2));
  const theta = 2 * Math.PI * u1;
  g.nextDoubleNormal = r * sinGlibc(theta);
  return r * cosGlibc(theta) * std + mean;
}

export interface KernelOption {
  kernel?: TorchKernel;
}

/**
 * `t.normal_(mean, std, generator=g)` / `torch.randn(..., generator=g)` for a contiguous float32 tensor of
 * out.length elements. n >= 16: n float uniforms, Box-Muller in blocks of 16; if n % 16 != 0 the last 16
 * outputs are redrawn from 16 new uniforms (n + 16 draws). n < 16: the scalar double path, element by element.
 */
export function normal32(g: TorchGenerator, out: Float32Array, mean = 0, std = 1, opts: KernelOption = {}): Float32Array {
  const kernel = opts.kernel ?? 'avx2';
  const n = out.length;
  if (n < 16) {
    for (let i = 0; i < n; i++) out[i] = normalScalar(g, mean, std);
    return out;
  }
  const m = fround(mean);
  const s = fround(std);
  const block = kernel === 'avx2' ? normal16Avx2 : normal16Scalar32;
  for (let i = 0; i < n; i++) out[i] = g.uniformFloat();
  for (let i = 0; i + 16 <= n; i += 16) block(out, i, m, s);
  if (n % 16 !== 0) {
    const o = n - 16;
    for (let i = 0; i < 16; i++) out[o + i] = g.uniformFloat();
    block(out, o, m, s);
  }
  return out;
}

/** The same for a contiguous float64 tensor (glibc's double log/sin/cos in PyTorch; V8's here). */
export function normal64(g: TorchGenerator, out: Float64Array, mean = 0, std = 1): Float64Array {
  const n = out.length;
  if (n < 16) {
    for (let i = 0; i < n; i++) out[i] = normalScalar(g, mean, std);
    return out;
  }
  for (let i = 0; i < n; i++) out[i] = g.uniformDouble();
  for (let i = 0; i + 16 <= n; i += 16) normal16Double(out, i, mean, std);
  if (n % 16 !== 0) {
    const o = n - 16;
    for (let i = 0; i < 16; i++) out[o + i] = g.uniformDouble();
    normal16Double(out, o, mean, std);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// uniform_ / rand

/** `t.uniform_(from, to, generator=g)` / `torch.rand` for float32: u * (to - from) + from per element. */
export function uniform32(g: TorchGenerator, out: Float32Array, from = 0, to = 1, opts: KernelOption = {}): Float32Array {
  const f = fround(from);
  const range = fround(fround(to) - f);
  const fused = (opts.kernel ?? 'avx2') === 'avx2';
  for (let i = 0; i < out.length; i++) {
    const u = g.uniformFloat();
    out[i] = fused ? fmaf(u, range, f) : fround(fround(u * range) + f);
  }
  return out;
}

/** The same for float64 (one random64 per element). */
export function uniform64(g: TorchGenerator, out: Float64Array, from = 0, to = 1, opts: KernelOption = {}): Float64Array {
  const range = to - from;
  const fused = (opts.kernel ?? 'avx2') === 'avx2';
  for (let i = 0; i < out.length; i++) {
    const u = g.uniformDouble();
    out[i] = fused ? fma64(u, range, from) : u * range + from;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// randint / random_(from, to)

function checkIntRange(low: number, high: number): void {
  const ok = (x: number): boolean => Number.isInteger(x) && Math.abs(x) <= 2 ** 53;
  if (!ok(low) || !ok(high)) throw new RangeError(`randint: bounds must be integers within +-2**53, got ${low}, ${high}`);
  if (!(high > low)) throw new RangeError(`randint: expected low < high, got low=${low}, high=${high}`);
}

/**
 * One draw of `torch.randint(low, high, ..., generator=g)` (int64, random_from_to): range = high - low;
 * range >= 2**32 takes random64() % range, else random() % range (PyTorch keeps the modulo bias).
 * Bounds within +-2**53, so that every result is a number.
 */
export function randint(g: TorchGenerator, low: number, high: number): number {
  checkIntRange(low, high);
  const range = BigInt(high) - BigInt(low);
  if (range >= 4294967296n) return Number((g.random64() % range) + BigInt(low));
  return (g.random() % Number(range)) + low;
}

/**
 * `torch.randperm(n, generator=g)` into out (length n): ATen's randperm_cpu, 0..n-1 then for i < n - 1 a swap
 * of out[i] with out[i + random() % (n - i)], one 32-bit draw each.
 */
export function randperm(g: TorchGenerator, out: Float64Array): Float64Array {
  const n = out.length;
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = 0; i < n - 1; i++) {
    const z = g.random() % (n - i);
    const sav = out[i];
    out[i] = out[z + i];
    out[z + i] = sav;
  }
  return out;
}

/** `torch.randint(low, high, (n,), generator=g)`: n draws in element order. */
export function randintArray(g: TorchGenerator, low: number, high: number, n: number): number[] {
  checkIntRange(low, high);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = randint(g, low, high);
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// exponential_ and multinomial

/**
 * `t.exponential_(lambd, generator=g)` without MKL (Debian's build): -1/lambd * log(1 - u) in double per
 * element (u a double uniform: two 32-bit draws), cast to float32.
 */
export function exponential32(g: TorchGenerator, out: Float32Array, lambd = 1): Float32Array {
  const k = -1 / lambd;
  for (let i = 0; i < out.length; i++) out[i] = k * logGlibc(1 - g.uniformDouble());
  return out;
}

export function exponential64(g: TorchGenerator, out: Float64Array, lambd = 1): Float64Array {
  const k = -1 / lambd;
  for (let i = 0; i < out.length; i++) out[i] = k * logGlibc(1 - g.uniformDouble());
  return out;
}

/**
 * `torch.multinomial(probs, numSamples, replacement, generator=g)` for contiguous probs of shape
 * [rows, cols] (rows = probs.length / cols; a 1-D probs is one row). Returns rows * numSamples indices,
 * row-major. Rows need not sum to 1.
 * - replacement false (the default, also for numSamples == 1 as in the lecture's sampling loop): q =
 *   exponential_(1) over all of probs (in element order), q = p/q in the dtype, then the first maximum per row
 *   (numSamples == 1) or the top numSamples (largest first).
 * - replacement true (in 1.13 also for numSamples == 1): per row, the running sum in the dtype divided by the total (last bucket
 *   forced to 1), one double uniform per sample, binary search for the first bucket >= u.
 */
/**
 * torch.topk(keys, k)'s indices: multinomial without replacement takes the topk of p / q, so which of equal
 * keys (zero probabilities) come first is topk's (libstdc++'s selection; the tensor library's kernels/sort.ts
 * has it, and passes it in). Without one, equal keys keep their index order.
 */
export type TopK = (keys: Float32Array | Float64Array, k: number) => ArrayLike<number>;

/** Indices by descending key, equal keys in index order. */
function stableOrder(keys: Float32Array | Float64Array): number[] {
  const idx = Array.from({ length: keys.length }, (_, c) => c);
  return idx.sort((a, b) => keys[b] - keys[a] || a - b);
}

export function multinomial(
  g: TorchGenerator,
  probs: Float32Array | Float64Array,
  cols: number,
  numSamples: number,
  replacement = false,
  topk?: TopK,
): Int32Array {
  if (!Number.isInteger(cols) || cols <= 0 || probs.length % cols !== 0) throw new RangeError(`multinomial: ${probs.length} probabilities do not form rows of ${cols}`);
  if (!Number.isInteger(numSamples) || numSamples <= 0) throw new RangeError('multinomial: cannot sample n_sample <= 0 samples');
  if (!replacement && numSamples > cols) throw new RangeError('multinomial: cannot sample n_sample > prob_dist.size(-1) samples without replacement');
  const rows = probs.length / cols;
  const single = probs instanceof Float32Array;
  const round = single ? fround : (x: number): number => x;
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i];
    if (!(p >= 0) || p === Infinity) throw new RangeError('multinomial: probability tensor contains either `inf`, `nan` or element < 0');
  }
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let c = 0; c < cols; c++) s += probs[r * cols + c];
    if (s === 0) throw new RangeError('multinomial: invalid multinomial distribution (sum of probabilities <= 0)');
  }
  const out = new Int32Array(rows * numSamples);
  if (!replacement) {
    const q = single ? exponential32(g, new Float32Array(probs.length)) : exponential64(g, new Float64Array(probs.length));
    for (let i = 0; i < q.length; i++) q[i] = round(probs[i] / q[i]);
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      if (numSamples === 1) {
        let best = 0;
        for (let c = 1; c < cols; c++) {
          const v = q[o + c];
          const b = q[o + best];
          if (Number.isNaN(b)) break;
          if (v > b || Number.isNaN(v)) best = c;
        }
        out[r] = best;
      } else {
        const row = q.subarray(o, o + cols);
        const idx = topk === undefined ? stableOrder(row).slice(0, numSamples) : topk(row, numSamples);
        for (let k = 0; k < numSamples; k++) out[r * numSamples + k] = idx[k];
      }
    }
    return out;
  }
  const cum = single ? new Float32Array(cols) : new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let c = 0; c < cols; c++) {
      sum = round(sum + probs[r * cols + c]);
      cum[c] = sum;
    }
    for (let c = 0; c < cols; c++) cum[c] = round(cum[c] / sum);
    cum[cols - 1] = 1;
    for (let k = 0; k < numSamples; k++) {
      const u = g.uniformDouble();
      let left = 0;
      let right = cols;
      while (right - left > 0) {
        const mid = left + ((right - left) >> 1);
        if (cum[mid] < u) left = mid + 1;
        else right = mid;
      }
      out[r * numSamples + k] = left;
    }
  }
  return out;
}
