// MT19937, bit-compatible with CPython's `random` module.
//
// Why CPython's generator: the lecture splits the names with `random.seed(42); random.shuffle(words)`, and
// reproducing that split exactly (182625 / 22655 / 22866 rows on names.txt) needs the same generator, the
// same seeding (`init_by_array` over the seed's 32-bit words) and the same `_randbelow` (rejection sampling
// on `getrandbits(n.bit_length())`). The same generator also draws our init and our training batches:
// `normal()` is Box–Muller over two `random()` doubles (our own, documented; not torch's generator).

import { N, initByArray, temper, twist } from './mt19937.js';

/** Serializable generator state, for checkpoints that resume bit for bit. */
export interface RngState {
  mt: number[];
  index: number;
}

export class MT19937 {
  private readonly mt = new Uint32Array(N);
  private index = N + 1;

  constructor(seed: number) {
    this.seed(seed);
  }

  /** CPython `random.seed(n)` for a non-negative integer n < 2**53: init_by_array over its 32-bit words. */
  seed(seed: number): void {
    if (!Number.isSafeInteger(seed) || seed < 0) {
      throw new RangeError(`seed must be a non-negative integer, got ${seed}`);
    }
    const key: number[] = [];
    let s = seed;
    do {
      key.push(s % 0x100000000);
      s = Math.floor(s / 0x100000000);
    } while (s > 0);
    this.initByArray(key);
  }

  private initByArray(key: readonly number[]): void {
    initByArray(this.mt, key);
    this.index = N;
  }

  /** Next 32-bit unsigned integer (genrand_uint32). */
  uint32(): number {
    const mt = this.mt;
    if (this.index >= N) {
      twist(mt);
      this.index = 0;
    }
    return temper(mt[this.index++]);
  }

  /** CPython `random.random()`: a 53-bit double in [0, 1). */
  random(): number {
    const a = this.uint32() >>> 5;
    const b = this.uint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** CPython `getrandbits(k)` for 1 <= k <= 32. */
  getrandbits(k: number): number {
    if (k < 1 || k > 32) throw new RangeError(`getrandbits: k must be in [1, 32], got ${k}`);
    return this.uint32() >>> (32 - k);
  }

  /** CPython `_randbelow(n)`: uniform in [0, n) by rejection on `getrandbits(n.bit_length())`. */
  randbelow(n: number): number {
    if (n <= 0 || n > 0xffffffff) throw new RangeError(`randbelow: n must be in [1, 2**32), got ${n}`);
    const k = 32 - Math.clz32(n);
    let r = this.getrandbits(k);
    while (r >= n) r = this.getrandbits(k);
    return r;
  }

  /** CPython `random.shuffle(x)` (Fisher–Yates from the end), in place. */
  shuffle<T>(x: T[]): void {
    for (let i = x.length - 1; i > 0; i--) {
      const j = this.randbelow(i + 1);
      const t = x[i];
      x[i] = x[j];
      x[j] = t;
    }
  }

  /** A standard normal sample: Box–Muller, z = sqrt(-2 ln(1 - u1)) cos(2 pi u2). Uses two random() draws. */
  normal(): number {
    const u1 = this.random();
    const u2 = this.random();
    return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
  }

  getState(): RngState {
    return { mt: Array.from(this.mt), index: this.index };
  }

  setState(state: RngState): void {
    if (state.mt.length !== N || !Number.isInteger(state.index) || state.index < 0 || state.index > N) {
      throw new RangeError('rng state: expected 624 words and an index in [0, 624]');
    }
    this.mt.set(state.mt);
    this.index = state.index;
  }
}
