// The float32 tanh of the tensor library, about twice as fast as Math.tanh and with its bits: the result
// is always Math.fround(Math.tanh(x)).
//
// Why it can be both: a float32 result only needs the double tanh to within the gap to the nearest
// float32 rounding boundary. So tanh is computed here from our own series (below, relative error under
// 1e-13, far inside the 2^-40 margin), and accepted when everything within 2^-40 of it rounds to one
// float32; Math.tanh's own error (an ulp or two of a double, ~1e-16) is far inside that margin too, so
// its float32 rounding is the same value. Otherwise (a result within 2^-40 of a boundary, about 3 inputs
// in 100,000) Math.tanh itself decides. test/torch/tanh32.test.ts compares the two over millions of
// inputs (every float32, with BPN_EXHAUSTIVE=1).
//
// The series: tanh|x| = m / (m + 2) with m = e^(2|x|) - 1, which has no cancellation. For 2|x| < 0.35,
// m is the Taylor series of e^y - 1 to y^12; past that, e^y = 2^k e^r with k = round(y / ln 2) and
// |r| <= ln2 / 2, e^r by its Taylor series to r^11.

/** 2^k for k = -1 .. 30 (2|x| < 20 gives k <= 29) */
const POW2 = Float64Array.from({ length: 32 }, (_, i) => 2 ** (i - 1));
const MARGIN = 2 ** -40;
const INV_LN2 = 1 / Math.LN2;
const fact = (j: number): number => (j <= 1 ? 1 : j * fact(j - 1));
// e^y - 1 = y (A0 + A1 y + ... + A11 y^11) with Aj = 1/(j+1)!; e^r = B0 + B1 r + ... + B11 r^11, Bj = 1/j!
const [A0, A1, A2, A3, A4, A5, A6, A7, A8, A9, A10, A11] = Array.from({ length: 12 }, (_, j) => 1 / fact(j + 1));
const [B0, B1, B2, B3, B4, B5, B6, B7, B8, B9, B10, B11] = Array.from({ length: 12 }, (_, j) => 1 / fact(j));

/**
 * e^y - 1 for 0 < y < 20, relative error under 1e-13 (the series' remainders: < 2e-14 below 0.35, < 7e-15
 * past it, with |r| <= ln2 / 2). Estrin's scheme: the terms in pairs, so the multiplications overlap.
 */
function expm1Series(y: number): number {
  if (y < 0.35) {
    const y2 = y * y;
    const y4 = y2 * y2;
    const p = (A0 + A1 * y) + (A2 + A3 * y) * y2 + ((A4 + A5 * y) + (A6 + A7 * y) * y2) * y4 +
      ((A8 + A9 * y) + (A10 + A11 * y) * y2) * (y4 * y4);
    return y * p;
  }
  const k = Math.round(y * INV_LN2);
  const r = y - k * Math.LN2;
  const r2 = r * r;
  const r4 = r2 * r2;
  const e = (B0 + B1 * r) + (B2 + B3 * r) * r2 + ((B4 + B5 * r) + (B6 + B7 * r) * r2) * r4 +
    ((B8 + B9 * r) + (B10 + B11 * r) * r2) * (r4 * r4);
  return e * POW2[k + 1] - 1;
}

/** Math.fround(Math.tanh(x)), as a double (the caller's float32 store rounds it). */
export function tanhF32(x: number): number {
  const ax = Math.abs(x);
  if (!(ax < 10)) return x !== x ? x : x > 0 ? 1 : -1; // NaN; |x| >= 10 rounds to +-1
  if (ax === 0) return x; // keeps -0
  const m = expm1Series(2 * ax);
  const t = m / (m + 2);
  const e = t * MARGIN;
  if (Math.fround(t - e) !== Math.fround(t + e)) return Math.fround(Math.tanh(x));
  return x < 0 ? -t : t;
}
