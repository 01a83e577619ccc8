// MT19937's core, shared by CPython's random (python.ts) and PyTorch's CPU generator (torch.ts): the same
// generator, seeded differently (init_by_array there, init_genrand here). Matsumoto and Nishimura's
// reference mt19937ar.c: the twist of all N words at once, and the tempering of one.

export const N = 624;
export const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

/** Regenerates all N state words in place (genrand_int32's refill); the caller resets its index to 0. */
export function twist(mt: Uint32Array): void {
  let kk = 0;
  for (; kk < N - M; kk++) {
    const y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
    mt[kk] = mt[kk + M] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
  }
  for (; kk < N - 1; kk++) {
    const y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
    mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
  }
  const y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
  mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
}

/** The tempering of one state word: the generator's 32-bit output. */
export function temper(word: number): number {
  let y = word;
  y ^= y >>> 11;
  y ^= (y << 7) & 0x9d2c5680;
  y ^= (y << 15) & 0xefc60000;
  y ^= y >>> 18;
  return y >>> 0;
}
