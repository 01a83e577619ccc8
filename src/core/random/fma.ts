// Exact fused multiply-add in JavaScript (no I/O): the single rounding of x86's vfmadd*, in float and in
// double, which PyTorch's compiled kernels and glibc's FMA builds use wherever they compute a*b + c.

/**
 * fmaf(a, b, c) for floats a, b, c, rounded once to float. a*b is exact in double (24 + 24 bits); a + b in
 * double then to float could round twice, which only goes wrong when the double sum lands exactly on a
 * midpoint between two floats while the exact sum is not: the TwoSum error term says which side it was on.
 */
export function fmaf(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  const r = Math.fround(s);
  if (r === s) return r;
  const bb = s - p;
  const err = p - (s - bb) + (c - bb);
  if (err === 0) return r;
  const other = 2 * s - r;
  if (Math.fround(other) !== other) return r; // s is not a midpoint: rounding it to float is rounding the exact sum
  return err > 0 === other > r ? other : r;
}

const SPLITTER = 134217729; // 2**27 + 1, Veltkamp's split for doubles
const f64 = new Float64Array(1);
const w32 = new Uint32Array(f64.buffer); // [low word, high word] on little-endian hosts (all JS engines we run on)

/**
 * fma(a, b, c) in double, rounded once: Boldo & Melquiond's RN(th + RO(tl + pl)), where p + pl = a*b
 * exactly (Dekker) and th + tl = p + c exactly (Knuth's TwoSum), RO rounding to odd. Finite inputs whose
 * product neither overflows nor underflows (all the uses here).
 */
export function fma64(a: number, b: number, c: number): number {
  const p = a * b;
  if (p === 0 || !Number.isFinite(p) || !Number.isFinite(c)) return p + c;
  const ta = SPLITTER * a;
  const ah = ta - (ta - a);
  const al = a - ah;
  const tb = SPLITTER * b;
  const bh = tb - (tb - b);
  const bl = b - bh;
  const pl = ah * bh - p + ah * bl + al * bh + al * bl;
  if (pl === 0) return p + c;
  const th = p + c;
  const z = th - p;
  const tl = p - (th - z) + (c - z);
  let v = tl + pl;
  const vz = v - tl;
  const ve = tl - (v - vz) + (pl - vz);
  if (ve !== 0 && v !== 0) {
    f64[0] = v;
    if ((w32[0] & 1) === 0) {
      // v is even: step one ulp toward the exact value (away from zero when ve has v's sign)
      if (ve > 0 === v > 0) w32[0] += 1;
      else if (w32[0] === 0) {
        w32[0] = 0xffffffff;
        w32[1] -= 1;
      } else w32[0] -= 1;
      v = f64[0];
    }
  }
  return th + v;
}
