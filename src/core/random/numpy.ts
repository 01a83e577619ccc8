// numpy 1.24's legacy RandomState (np.random.seed, rand, randn, randint, choice, shuffle, ...), bit for bit.
//
// The same MT19937 as CPython's and PyTorch's (mt19937.ts), seeded numpy's way: `seed(n)` for an int is
// mt19937_seed (Knuth's init_genrand over n, numpy/random/src/mt19937/mt19937.c), an array seed is
// init_by_array. On top of the 32-bit stream, numpy's own draws (numpy/random/src/distributions/
// distributions.c and legacy/legacy-distributions.c, numpy 1.24.2):
// - next_double: (a >> 5, b >> 6) -> (a * 2^26 + b) / 2^53, as CPython's random()
// - legacy_gauss: Marsaglia's polar method; each accepted pair gives two normals, the second kept for the
//   next call (has_gauss/gauss, part of the state), with glibc's log (libm.ts: numpy calls the system libm)
// - random_bounded_uint64_fill with use_masked (RandomState.randint always masks): draws below 2^32 take one
//   32-bit word each, others a 64-bit word (high word first), rejected until <= rng under the smallest mask
// - random_interval (shuffle/permutation): the same masked rejection on [0, max]
// No fused multiply-adds: Debian builds numpy's distributions for baseline x86-64, which has none.

import { logGlibc } from './libm.js';
import { N, initByArray, initGenrand, temper, twist } from './mt19937.js';

const TWO32 = 4294967296;

/** The legacy state as numpy's `get_state()` tuple holds it: ('MT19937', key, pos, has_gauss, gauss). */
export interface NumpyRandomStateData {
  key: number[];
  pos: number;
  hasGauss: boolean;
  gauss: number;
}

/** The smallest all-ones mask >= max, split in two 32-bit words (numpy's gen_mask). */
function maskOf(maxHi: number, maxLo: number): [number, number] {
  if (maxHi > 0) return [(2 ** (32 - Math.clz32(maxHi)) - 1) >>> 0, 0xffffffff];
  return [0, maxLo === 0 ? 0 : (2 ** (32 - Math.clz32(maxLo)) - 1) >>> 0];
}

export class NumpyRandomState {
  private readonly key = new Uint32Array(N);
  private pos = N;
  private hasGauss = false;
  private gaussNext = 0;

  /** A generator seeded with `seed(n)` (numpy's RandomState(n)). */
  constructor(seed = 0) {
    this.seed(seed);
  }

  /** RandomState.seed(n) for an int 0 <= n < 2^32: mt19937_seed, and the cached normal dropped. */
  seed(n: number): void {
    if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new RangeError('Seed must be between 0 and 2**32 - 1');
    initGenrand(this.key, n); // mt19937_seed: the same recurrence, written there as a loop over the seed
    this.pos = N;
    this.resetGauss();
  }

  /** RandomState.seed(array) (each word 0 <= w < 2^32, at least one): mt19937_init_by_array. */
  seedByArray(words: ArrayLike<number>): void {
    if (words.length === 0) throw new RangeError('Seed must be non-empty');
    for (let k = 0; k < words.length; k++) {
      const w = words[k];
      if (!Number.isInteger(w) || w < 0 || w > 0xffffffff) throw new RangeError('Seed must be between 0 and 2**32 - 1');
    }
    initByArray(this.key, words);
    this.pos = N;
    this.resetGauss();
  }

  /**
   * Seeding from OS entropy (RandomState() / seed(None)): numpy fills key[1..623] from a SeedSequence over OS
   * entropy and sets key[0] = 2^31; any 623 random words do the same job (the stream is unpredictable anyway).
   */
  seedFromWords(words: ArrayLike<number>): void {
    if (words.length < N - 1) throw new RangeError(`entropy seeding takes ${N - 1} words, got ${words.length}`);
    this.key[0] = 0x80000000;
    for (let i = 1; i < N; i++) this.key[i] = words[i - 1] >>> 0;
    this.pos = N;
    this.resetGauss();
  }

  private resetGauss(): void {
    this.hasGauss = false;
    this.gaussNext = 0;
  }

  /** mt19937_next32 */
  next32(): number {
    if (this.pos === N) {
      twist(this.key);
      this.pos = 0;
    }
    return temper(this.key[this.pos++]);
  }

  /** next_double: a 53-bit double in [0, 1) from two words */
  nextDouble(): number {
    const a = this.next32() >>> 5;
    const b = this.next32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** legacy_gauss: a standard normal by the polar method, the pair's second value cached for the next call */
  gauss(): number {
    if (this.hasGauss) {
      const t = this.gaussNext;
      this.resetGauss();
      return t;
    }
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2.0 * this.nextDouble() - 1.0;
      x2 = 2.0 * this.nextDouble() - 1.0;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1.0 || r2 === 0.0);
    const f = Math.sqrt((-2.0 * logGlibc(r2)) / r2);
    this.gaussNext = f * x1;
    this.hasGauss = true;
    return f * x2;
  }

  /** random_sample / rand / random: n doubles in [0, 1) */
  fillDouble(out: Float64Array): Float64Array {
    for (let i = 0; i < out.length; i++) out[i] = this.nextDouble();
    return out;
  }

  /** legacy_normal (normal, and standard_normal/randn with loc 0, scale 1): loc + scale * gauss() */
  fillNormal(out: Float64Array, loc = 0, scale = 1): Float64Array {
    for (let i = 0; i < out.length; i++) out[i] = loc + scale * this.gauss();
    return out;
  }

  /** random_uniform (uniform): low + range * next_double, range = high - low computed by the caller */
  fillUniform(out: Float64Array, low: number, range: number): Float64Array {
    for (let i = 0; i < out.length; i++) out[i] = low + range * this.nextDouble();
    return out;
  }

  /**
   * random_bounded_uint64_fill(off, rng, masked): out[i] = off + a uniform integer in [0, rng], for
   * 0 <= rng < 2^53 and off + rng within +-2^53 (the values a double holds exactly).
   */
  fillBounded(out: Float64Array, off: number, rng: number): Float64Array {
    if (!Number.isSafeInteger(rng) || rng < 0) throw new RangeError(`randint: range ${rng} is past 2^53`);
    if (!Number.isSafeInteger(off) || !Number.isSafeInteger(off + rng)) throw new RangeError(`randint: bounds past 2^53`);
    const n = out.length;
    if (rng === 0) {
      out.fill(off);
    } else if (rng === 0xffffffff) {
      for (let i = 0; i < n; i++) out[i] = off + this.next32();
    } else if (rng < 0xffffffff) {
      const mask = maskOf(0, rng)[1];
      for (let i = 0; i < n; i++) {
        let v: number;
        do v = (this.next32() & mask) >>> 0;
        while (v > rng);
        out[i] = off + v;
      }
    } else {
      for (let i = 0; i < n; i++) out[i] = off + this.masked64(rng);
    }
    return out;
  }

  /**
   * random_bounded_uint16/uint8/bool_fill (randint with dtype int16/uint16, int8/uint8, bool): bits-wide
   * draws taken from one 32-bit word at a time (two 16-bit, four 8-bit or thirty-two 1-bit pieces, low bits
   * first; the buffer starts empty at each call), masked and rejected as the wide fill. out[i] = off + value
   * for 0 <= rng < 2^bits (the caller wraps off + value into the signed type when it is one).
   */
  fillBoundedNarrow(out: Float64Array, off: number, rng: number, bits: 1 | 8 | 16): Float64Array {
    const n = out.length;
    if (rng === 0) return out.fill(off);
    const per = 32 / bits; // pieces per word
    const pieceMask = bits === 16 ? 0xffff : bits === 8 ? 0xff : 1;
    let buf = 0;
    let left = 0; // pieces left in buf after the current one
    const piece = (): number => {
      if (left === 0) {
        buf = this.next32();
        left = per - 1;
      } else {
        buf >>>= bits;
        left--;
      }
      return buf & pieceMask;
    };
    if (bits === 1) {
      for (let i = 0; i < n; i++) out[i] = piece(); // buffered_bounded_bool: one bit, no mask or rejection
      return out;
    }
    if (rng === pieceMask) {
      for (let i = 0; i < n; i++) out[i] = off + piece();
      return out;
    }
    const mask = maskOf(0, rng)[1];
    for (let i = 0; i < n; i++) {
      let v: number;
      do v = piece() & mask;
      while (v > rng);
      out[i] = off + v;
    }
    return out;
  }

  /** bounded_masked_uint64 for rng >= 2^32: a 64-bit word (high then low) under the mask, until <= rng */
  private masked64(rng: number): number {
    const rHi = Math.floor(rng / TWO32);
    const rLo = rng - rHi * TWO32;
    const [mHi, mLo] = maskOf(rHi, rLo);
    for (;;) {
      const hi = (this.next32() & mHi) >>> 0;
      const lo = (this.next32() & mLo) >>> 0;
      if (hi < rHi || (hi === rHi && lo <= rLo)) return hi * TWO32 + lo;
    }
  }

  /** random_interval(max): uniform in [0, max] by masked rejection (32-bit words while max < 2^32) */
  interval(max: number): number {
    if (max === 0) return 0;
    if (max <= 0xffffffff) {
      const mask = maskOf(0, max)[1];
      let v: number;
      do v = (this.next32() & mask) >>> 0;
      while (v > max);
      return v;
    }
    return this.masked64(max);
  }

  /**
   * The order shuffle(x) leaves n items in: shuffle's Fisher-Yates (for i = n-1 down to 1, swap x[i] with
   * x[random_interval(i)]) applied to 0..n-1, so that x_shuffled = x[perm] for any x (a list, an array along
   * its first axis).
   */
  shufflePermutation(n: number): Float64Array {
    const perm = new Float64Array(n);
    for (let i = 0; i < n; i++) perm[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.interval(i);
      const t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    return perm;
  }

  getState(): NumpyRandomStateData {
    return { key: Array.from(this.key), pos: this.pos, hasGauss: this.hasGauss, gauss: this.gaussNext };
  }

  /** set_state: the key's 624 words, pos in [0, 624], the cached normal */
  setState(s: NumpyRandomStateData): void {
    if (s.key.length !== N || !s.key.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffffffff)) {
      throw new RangeError(`state must be 624 32-bit unsigned integers`);
    }
    if (!Number.isInteger(s.pos) || s.pos < 0 || s.pos > N) throw new RangeError(`pos must be in [0, ${N}], got ${s.pos}`);
    this.key.set(s.key);
    this.pos = s.pos;
    this.hasGauss = s.hasGauss;
    this.gaussNext = s.gauss; // kept as given, as numpy keeps it (read only while hasGauss)
  }
}
