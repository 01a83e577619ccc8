// Bit-level views for the libm translations (libm.ts, libm-sincos.ts): one scratch float and double, seen as
// their integer words. Single-threaded use only: a function writes a view and reads it back at once.

export const f32 = new Float32Array(1);
export const u32 = new Uint32Array(f32.buffer);
export const f64 = new Float64Array(1);
export const u64 = new BigUint64Array(f64.buffer);
/** [low, high] words of f64 (little-endian hosts) */
export const w32 = new Uint32Array(f64.buffer);

/** The double whose IEEE-754 bits are b. */
export function fromBits(b: bigint): number {
  u64[0] = b;
  return f64[0];
}
