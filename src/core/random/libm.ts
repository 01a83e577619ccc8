// glibc's libm, where PyTorch's random streams depend on it (no I/O). PyTorch's scalar float32 kernel calls
// glibc's logf, sinf and cosf; its float64 kernels and the Box-Muller path for small tensors call log, sin
// and cos; exponential_ (multinomial) calls log. On x86-64 with FMA (this machine), glibc 2.36 dispatches to
// its FMA builds (__logf_fma, __sincosf_fma, __log_fma, __sin_fma, __cos_fma), in which GCC fused every
// a*b + c into one fused multiply-add; the functions below follow those builds operation for operation.
// Checked against the machine's glibc: logf, sinf, cosf on all 2**24 float uniforms the generators feed
// them; log, sin, cos on 2,000,000 double uniforms: no difference (test/torch-rng.test.ts keeps a sample).
// V8's Math.log/sin/cos differ from glibc's on 7% / 3% / 3% of those arguments.
//
// Sources: ARM's optimized-routines (MIT; Copyright (c) 2017-2018, Arm Limited) as in glibc's
// sysdeps/ieee754/flt-32/e_logf.c, s_sincosf.h and dbl-64/e_log.c (the log table is ARM's log_data.c, the
// same numbers glibc and musl ship); IBM's Accurate Mathematical Library as in glibc's dbl-64/s_sin.c and
// usncs.h (its __sincostab, sin and cos of k/128 as double-doubles, read from this machine's libm.so.6).
// Licence note: ARM's routines are MIT; the sin/cos part follows glibc's LGPL-2.1-or-later IBM code and
// carries its table (18 of its 220 double-double splits differ from a plain RN(x), RN(x - RN(x)) split, so
// it cannot simply be recomputed). Without it, a correctly rounded double-double sin/cos (commit bfe6c0e)
// matches glibc on 99.86% of arguments and keeps float64 normals within 2 ULP.

import { fma64 } from './fma.js';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);
const w32 = new Uint32Array(f64.buffer); // [low, high] words (little-endian hosts)

function fromBits(b: bigint): number {
  u64[0] = b;
  return f64[0];
}

// ---------------------------------------------------------------------------------------------------------
// logf (e_logf.c, LOGF_TABLE_BITS = 4)

const LOGF_TAB = [
  0x3ff661ec79f8f3ben, 0xbfd57bf7808caaden, 0x3ff571ed4aaf883dn, 0xbfd2bef0a7c06ddbn,
  0x3ff49539f0f010b0n, 0xbfd01eae7f513a67n, 0x3ff3c995b0b80385n, 0xbfcb31d8a68224e9n,
  0x3ff30d190c8864a5n, 0xbfc6574f0ac07758n, 0x3ff25e227b0b8ea0n, 0xbfc1aa2bc79c8100n,
  0x3ff1bb4a4a1a343fn, 0xbfba4e76ce8c0e5en, 0x3ff12358f08ae5ban, 0xbfb1973c5a611cccn,
  0x3ff0953f419900a7n, 0xbfa252f438e10c1en, 0x3ff0000000000000n, 0x0000000000000000n,
  0x3fee608cfd9a47acn, 0x3faaa5aa5df25984n, 0x3feca4b31f026aa0n, 0x3fbc5e53aa362eb4n,
  0x3feb2036576afce6n, 0x3fc526e57720db08n, 0x3fe9c2d163a1aa2dn, 0x3fcbc2860d224770n,
  0x3fe886e6037841edn, 0x3fd1058bc8a07ee1n, 0x3fe767dcf5534862n, 0x3fd4043057b6ee09n,
].map(fromBits);
const LOGF_LN2 = fromBits(0x3fe62e42fefa39efn);
const LOGF_A0 = fromBits(0xbfd00ea348b88334n);
const LOGF_A1 = fromBits(0x3fd5575b0be00b6an);
const LOGF_A2 = fromBits(0xbfdffffef20a4123n);

/** glibc's logf (FMA build) for a float x (NaN for x < 0, -Infinity for 0). */
export function logfGlibc(x: number): number {
  f32[0] = x;
  let ix = u32[0];
  if (ix === 0x3f800000) return 0;
  if (ix - 0x00800000 >= 0x7f800000 - 0x00800000) {
    if ((ix & 0x7fffffff) === 0) return -Infinity;
    if (ix === 0x7f800000) return x;
    if (ix >>> 31 || ix >= 0x7f800000) return NaN;
    f32[0] = x * 2 ** 23; // subnormal: normalise
    ix = (u32[0] - (23 << 23)) >>> 0;
  }
  const tmp = (ix - 0x3f330000) | 0;
  const i = (tmp >>> 19) & 15;
  const k = tmp >> 23;
  u32[0] = (ix - (tmp & (0x1ff << 23))) >>> 0;
  const z = f32[0];
  const invc = LOGF_TAB[2 * i];
  const logc = LOGF_TAB[2 * i + 1];
  const r = fma64(z, invc, -1);
  const y0 = fma64(k, LOGF_LN2, logc);
  const r2 = r * r;
  let y = fma64(LOGF_A1, r, LOGF_A2);
  y = fma64(LOGF_A0, r2, y);
  y = fma64(y, r2, y0 + r);
  return Math.fround(y);
}

// ---------------------------------------------------------------------------------------------------------
// sincosf (s_sincosf.h / s_sincosf.c; __sincosf_table)

const SC_HPI_INV = fromBits(0x41645f306dc9c883n); // 2/pi * 2**24 (no TOINT_INTRINSICS on x86-64)
const SC_HPI = fromBits(0x3ff921fb54442d18n);
const SC_C = [0x3ff0000000000000n, 0xbfdffffffd0c621cn, 0x3fa55553e1068f19n, 0xbf56c087e89a359dn, 0x3ef99343027bf8c3n].map(fromBits);
const SC_S1 = fromBits(0xbfc555545995a603n);
const SC_S2 = fromBits(0x3f81107605230bc4n);
const SC_S3 = fromBits(0xbf2994eb3774cf24n);
const SC_SIGN = [1, -1, -1, 1];

const abstop12 = (bits: number): number => (bits >>> 20) & 0x7ff;
f32[0] = Math.fround(0.78539818525314331);
const TOP_PIO4 = abstop12(u32[0]);
f32[0] = 2 ** -12;
const TOP_TINY = abstop12(u32[0]);
f32[0] = 120;
const TOP_120 = abstop12(u32[0]);

let sinfOut = 0;
let cosfOut = 0;

/** sincosf_poly: the sine and cosine polynomials, swapped by quadrant parity; `neg` selects table entry 1. */
function sincosfPoly(x: number, x2: number, neg: boolean, n: number): void {
  const m = neg ? -1 : 1; // the second table entry negates the cosine polynomial (exactly)
  const x4 = x2 * x2;
  const x3 = x2 * x;
  const c2 = fma64(x2, m * SC_C[4], m * SC_C[3]);
  const s1 = fma64(x2, SC_S3, SC_S2);
  const c1 = fma64(x2, m * SC_C[1], m * SC_C[0]);
  const x5 = x3 * x2;
  const x6 = x4 * x2;
  const s = fma64(x3, SC_S1, x);
  const c = fma64(x4, m * SC_C[2], c1);
  const sv = Math.fround(fma64(x5, s1, s));
  const cv = Math.fround(fma64(x6, c2, c));
  if (n & 1) {
    sinfOut = cv;
    cosfOut = sv;
  } else {
    sinfOut = sv;
    cosfOut = cv;
  }
}

/** glibc's sincosf (FMA build) for a float |y| < 120; [sin, cos] land in sinfOut/cosfOut. */
function sincosfGlibc(y: number): void {
  f32[0] = y;
  const top = abstop12(u32[0]);
  if (top < TOP_PIO4) {
    if (top < TOP_TINY) {
      sinfOut = y;
      cosfOut = 1;
      return;
    }
    sincosfPoly(y, y * y, false, 0);
  } else if (top < TOP_120) {
    // reduce_fast: n = round(y * 2/pi) through a truncating conversion of the 2**24-scaled product
    const r = y * SC_HPI_INV;
    const n = (((r | 0) + 0x800000) | 0) >> 24;
    const x = fma64(-n, SC_HPI, y);
    sincosfPoly(x * SC_SIGN[n & 3], x * x, (n & 2) !== 0, n);
  } else {
    sinfOut = Math.fround(Math.sin(y)); // not reached by the generators (|theta| < 2 pi)
    cosfOut = Math.fround(Math.cos(y));
  }
}

export function sinfGlibc(x: number): number {
  sincosfGlibc(x);
  return sinfOut;
}

export function cosfGlibc(x: number): number {
  sincosfGlibc(x);
  return cosfOut;
}

/** [sinf(x), cosf(x)] in one reduction, as GCC merges them into sincosf. */
export function sincosfPair(x: number): [number, number] {
  sincosfGlibc(x);
  return [sinfOut, cosfOut];
}

// ---------------------------------------------------------------------------------------------------------
// log (e_log.c, LOG_TABLE_BITS = 7, __FP_FAST_FMA)

const LOG_TAB = [
  0x3ff734f0c3e0de9fn, 0xbfd7cc7f79e69000n, 0x3ff713786a2ce91fn, 0xbfd76feec20d0000n,
  0x3ff6f26008fab5a0n, 0xbfd713e31351e000n, 0x3ff6d1a61f138c7dn, 0xbfd6b85b38287800n,
  0x3ff6b1490bc5b4d1n, 0xbfd65d5590807800n, 0x3ff69147332f0cban, 0xbfd602d076180000n,
  0x3ff6719f18224223n, 0xbfd5a8ca86909000n, 0x3ff6524f99a51ed9n, 0xbfd54f4356035000n,
  0x3ff63356aa8f24c4n, 0xbfd4f637c36b4000n, 0x3ff614b36b9ddc14n, 0xbfd49da7fda85000n,
  0x3ff5f66452c65c4cn, 0xbfd445923989a800n, 0x3ff5d867b5912c4fn, 0xbfd3edf439b0b800n,
  0x3ff5babccb5b90den, 0xbfd396ce448f7000n, 0x3ff59d61f2d91a78n, 0xbfd3401e17bda000n,
  0x3ff5805612465687n, 0xbfd2e9e2ef468000n, 0x3ff56397cee76bd3n, 0xbfd2941b3830e000n,
  0x3ff54725e2a77f93n, 0xbfd23ec58cda8800n, 0x3ff52aff42064583n, 0xbfd1e9e129279000n,
  0x3ff50f22dbb2bddfn, 0xbfd1956d2b48f800n, 0x3ff4f38f4734ded7n, 0xbfd141679ab9f800n,
  0x3ff4d843cfde2840n, 0xbfd0edd094ef9800n, 0x3ff4bd3ec078a3c8n, 0xbfd09aa518db1000n,
  0x3ff4a27fc3e0258an, 0xbfd047e65263b800n, 0x3ff4880524d48434n, 0xbfcfeb224586f000n,
  0x3ff46dce1b192d0bn, 0xbfcf474a7517b000n, 0x3ff453d9d3391854n, 0xbfcea4443d103000n,
  0x3ff43a2744b4845an, 0xbfce020d44e9b000n, 0x3ff420b54115f8fbn, 0xbfcd60a22977f000n,
  0x3ff40782da3ef4b1n, 0xbfccc00104959000n, 0x3ff3ee8f5d57fe8fn, 0xbfcc202956891000n,
  0x3ff3d5d9a00b4ce9n, 0xbfcb81178d811000n, 0x3ff3bd60c010c12bn, 0xbfcae2c9ccd3d000n,
  0x3ff3a5242b75dab8n, 0xbfca45402e129000n, 0x3ff38d22cd9fd002n, 0xbfc9a877681df000n,
  0x3ff3755bc5847a1cn, 0xbfc90c6d69483000n, 0x3ff35dce49ad36e2n, 0xbfc87120a645c000n,
  0x3ff34679984dd440n, 0xbfc7d68fb4143000n, 0x3ff32f5cceffcb24n, 0xbfc73cb83c627000n,
  0x3ff3187775a10d49n, 0xbfc6a39a9b376000n, 0x3ff301c8373e3990n, 0xbfc60b3154b7a000n,
  0x3ff2eb4ebb95f841n, 0xbfc5737d76243000n, 0x3ff2d50a0219a9d1n, 0xbfc4dc7b8fc23000n,
  0x3ff2bef9a8b7fd2an, 0xbfc4462c51d20000n, 0x3ff2a91c7a0c1babn, 0xbfc3b08abc830000n,
  0x3ff293726014b530n, 0xbfc31b996b490000n, 0x3ff27dfa5757a1f5n, 0xbfc2875490a44000n,
  0x3ff268b39b1d3bbfn, 0xbfc1f3b9f879a000n, 0x3ff2539d838ff5bdn, 0xbfc160c8252ca000n,
  0x3ff23eb7aac9083bn, 0xbfc0ce7f57f72000n, 0x3ff22a012ba940b6n, 0xbfc03cdc49fea000n,
  0x3ff2157996cc4132n, 0xbfbf57bdbc4b8000n, 0x3ff201201dd2fc9bn, 0xbfbe370896404000n,
  0x3ff1ecf4494d480bn, 0xbfbd17983ef94000n, 0x3ff1d8f5528f6569n, 0xbfbbf9674ed8a000n,
  0x3ff1c52311577e7cn, 0xbfbadc79202f6000n, 0x3ff1b17c74cb26e9n, 0xbfb9c0c3e7288000n,
  0x3ff19e010c2c1ab6n, 0xbfb8a646b372c000n, 0x3ff18ab07bb670bdn, 0xbfb78d01b3ac0000n,
  0x3ff1778a25efbcb6n, 0xbfb674f145380000n, 0x3ff1648d354c31dan, 0xbfb55e0e6d878000n,
  0x3ff151b990275fddn, 0xbfb4485cdea1e000n, 0x3ff13f0ea432d24cn, 0xbfb333d94d6aa000n,
  0x3ff12c8b7210f9dan, 0xbfb22079f8c56000n, 0x3ff11a3028ecb531n, 0xbfb10e4698622000n,
  0x3ff107fbda8434afn, 0xbfaffa6c6ad20000n, 0x3ff0f5ee0f4e6bb3n, 0xbfadda8d4a774000n,
  0x3ff0e4065d2a9fcen, 0xbfabbcece4850000n, 0x3ff0d244632ca521n, 0xbfa9a1894012c000n,
  0x3ff0c0a77ce2981an, 0xbfa788583302c000n, 0x3ff0af2f83c636d1n, 0xbfa5715e67d68000n,
  0x3ff09ddb98a01339n, 0xbfa35c8a49658000n, 0x3ff08cabaf52e7dfn, 0xbfa149e364154000n,
  0x3ff07b9f2f4e28fbn, 0xbf9e72c082eb8000n, 0x3ff06ab58c358f19n, 0xbf9a55f152528000n,
  0x3ff059eea5ecf92cn, 0xbf963d62cf818000n, 0x3ff04949cdd12c90n, 0xbf9228fb8caa0000n,
  0x3ff038c6c6f0ada9n, 0xbf8c317b20f90000n, 0x3ff02865137932a9n, 0xbf8419355daa0000n,
  0x3ff0182427ea7348n, 0xbf781203c2ec0000n, 0x3ff008040614b195n, 0xbf60040979240000n,
  0x3fefe01ff726fa1an, 0x3f6feff384900000n, 0x3fefa11cc261ea74n, 0x3f87dc41353d0000n,
  0x3fef6310b081992en, 0x3f93cea3c4c28000n, 0x3fef25f63ceeadcdn, 0x3f9b9fc114890000n,
  0x3feee9c8039113e7n, 0x3fa1b0d8ce110000n, 0x3feeae8078cbb1abn, 0x3fa58a5bd001c000n,
  0x3fee741aa29d0c9bn, 0x3fa95c8340d88000n, 0x3fee3a91830a99b5n, 0x3fad276aef578000n,
  0x3fee01e009609a56n, 0x3fb07598e598c000n, 0x3fedca01e577bb98n, 0x3fb253f5e30d2000n,
  0x3fed92f20b7c9103n, 0x3fb42edd8b380000n, 0x3fed5cac66fb5ccen, 0x3fb606598757c000n,
  0x3fed272caa5ede9dn, 0x3fb7da76356a0000n, 0x3fecf26e3e6b2ccdn, 0x3fb9ab434e1c6000n,
  0x3fecbe6da2a77902n, 0x3fbb78c7bb0d6000n, 0x3fec8b266d37086dn, 0x3fbd431332e72000n,
  0x3fec5894bd5d5804n, 0x3fbf0a3171de6000n, 0x3fec26b533bb9f8cn, 0x3fc067152b914000n,
  0x3febf583eeece73fn, 0x3fc147858292b000n, 0x3febc4fd75db96c1n, 0x3fc2266ecdca3000n,
  0x3feb951e0c864a28n, 0x3fc303d7a6c55000n, 0x3feb65e2c5ef3e2cn, 0x3fc3dfc33c331000n,
  0x3feb374867c9888bn, 0x3fc4ba366b7a8000n, 0x3feb094b211d304an, 0x3fc5933928d1f000n,
  0x3feadbe885f2ef7en, 0x3fc66acd2418f000n, 0x3feaaf1d31603da2n, 0x3fc740f8ec669000n,
  0x3fea82e63fd358a7n, 0x3fc815c0f51af000n, 0x3fea5740ef09738bn, 0x3fc8e92954f68000n,
  0x3fea2c2a90ab4b27n, 0x3fc9bb3602f84000n, 0x3fea01a01393f2d1n, 0x3fca8bed1c2c0000n,
  0x3fe9d79f24db3c1bn, 0x3fcb5b515c01d000n, 0x3fe9ae2505c7b190n, 0x3fcc2967ccbcc000n,
  0x3fe9852ef297ce2fn, 0x3fccf635d5486000n, 0x3fe95cbaeea44b75n, 0x3fcdc1bd3446c000n,
  0x3fe934c69de74838n, 0x3fce8c01b8cfe000n, 0x3fe90d4f2f6752e6n, 0x3fcf5509c0179000n,
  0x3fe8e6528effd79dn, 0x3fd00e6c121fb800n, 0x3fe8bfce9fcc007cn, 0x3fd071b80e93d000n,
  0x3fe899c0dabec30en, 0x3fd0d46b9e867000n, 0x3fe87427aa2317fbn, 0x3fd13687334bd000n,
  0x3fe84f00acb39a08n, 0x3fd1980d67234800n, 0x3fe82a49e8653e55n, 0x3fd1f8ffe0cc8000n,
  0x3fe8060195f40260n, 0x3fd2595fd7636800n, 0x3fe7e22563e0a329n, 0x3fd2b9300914a800n,
  0x3fe7beb377dcb5adn, 0x3fd3187210436000n, 0x3fe79baa679725c2n, 0x3fd377266dec1800n,
  0x3fe77907f2170657n, 0x3fd3d54ffbaf3000n, 0x3fe756cadbd6130cn, 0x3fd432eee32fe000n,].map(fromBits);
const LOG_A = [0xbfe0000000000001n, 0x3fd555555551305bn, 0xbfcfffffffeb4590n, 0x3fc999b324f10111n, 0xbfc55575e506c89fn].map(fromBits);
const LOG_B = [
  0xbfe0000000000000n, 0x3fd5555555555577n, 0xbfcffffffffffdcbn, 0x3fc999999995dd0cn, 0xbfc55555556745a7n,
  0x3fc24924a344de30n, 0xbfbfffffa4423d65n, 0x3fbc7184282ad6can, 0xbfb999eb43b068ffn, 0x3fb78182f7afd085n,
  0xbfb5521375d145cdn,
].map(fromBits);
const LN2HI = fromBits(0x3fe62e42fefa3800n);
const LN2LO = fromBits(0x3d2ef35793c76730n);

/** glibc's log (FMA build). Bit manipulation on the two 32-bit words of x (no BigInt in the hot path). */
export function logGlibc(x: number): number {
  f64[0] = x;
  let hw = w32[1];
  if (hw >= 0x3fee0000 && hw < 0x3ff10900) {
    if (x === 1) return 0;
    const B = LOG_B;
    const r = x - 1;
    const r2 = r * r;
    const r3 = r * r2;
    const p3 = fma64(r3, B[10], fma64(r2, B[9], fma64(r, B[8], B[7])));
    const p2 = fma64(r3, p3, fma64(r2, B[6], fma64(r, B[5], B[4])));
    const p1 = fma64(r3, p2, fma64(r2, B[3], fma64(r, B[2], B[1])));
    // Worst-case error around 0.507 ULP: r + r*r*B0 in extra precision (B0 == -0.5).
    const w = r * 134217728;
    const rhi = r + w - w;
    const rlo = r - rhi;
    const t = rhi * rhi;
    const hi = fma64(t, B[0], r);
    let lo = fma64(t, B[0], r - hi);
    lo = fma64(B[0] * rlo, rhi + r, lo);
    return fma64(r3, p1, lo) + hi;
  }
  if (hw - 0x00100000 >= 0x7ff00000 - 0x00100000 || hw < 0x00100000) {
    if (x === 0) return -Infinity;
    if (x === Infinity) return x;
    if (!(x > 0)) return NaN;
    f64[0] = x * 2 ** 52; // subnormal: normalise
    w32[1] -= 52 << 20;
    hw = w32[1];
  }
  const tmp = (hw - 0x3fe60000) | 0;
  const i = (tmp >> 13) & 127;
  const k = tmp >> 20;
  w32[1] = (hw - (tmp & 0xfff00000)) >>> 0;
  const z = f64[0];
  const invc = LOG_TAB[2 * i];
  const logc = LOG_TAB[2 * i + 1];
  const r = fma64(z, invc, -1);
  const A = LOG_A;
  const w = fma64(k, LN2HI, logc);
  const hi = w + r;
  const lo = fma64(k, LN2LO, w - hi + r);
  const r2 = r * r;
  const p = fma64(r2, fma64(r, A[4], A[3]), fma64(r, A[2], A[1]));
  return fma64(r * r2, p, fma64(r2, A[0], lo)) + hi;
}

// ---------------------------------------------------------------------------------------------------------
// sin and cos in double (IBM's s_sin.c as glibc 2.36 ships it, FMA build), for |x| < 105414350

// __sincostab: for k = 0..109, sin(k/128) and cos(k/128) as double-doubles (sn, ssn, cs, ccs), the numbers in
// this machine's libm.so.6 (each pair within 3e-33 of the true value).
const SINCOSTAB = [
  0x0000000000000000n, 0x0000000000000000n, 0x3ff0000000000000n, 0x0000000000000000n,
  0x3f7fffeaaaaeeeefn, 0xbc1e45e2ec67b77cn, 0x3fefffc000155552n, 0x3c8f4a01a0196daen,
  0x3f8fffaaaaeeeed5n, 0xbc02ab639a9f0777n, 0x3fefff000155549fn, 0x3c828a28a03a5ef3n,
  0x3f97ff7001033255n, 0x3bfefe2b51527336n, 0x3feffdc006bff7e6n, 0x3c8ae6dae86977bdn,
  0x3f9ffeaaaeeee86fn, 0xbc3cd406fb224ae2n, 0x3feffc00155527d3n, 0xbc83b54492d89b5bn,
  0x3fa3feb2b12d45d5n, 0x3c34ec54203d1c11n, 0x3feff9c03414a7ban, 0x3c6991f4be6c59bfn,
  0x3fa7fdc01032fba9n, 0xbc4599bdf46e997an, 0x3feff7006bfdf99fn, 0xbc78b3b560648d5fn,
  0x3fabfc6d78586dacn, 0x3c18e4fd03dbf236n, 0x3feff3c0c8103a31n, 0x3c74856dbddc0e66n,
  0x3faffaaaeeed4edbn, 0xbc42d16d32684b69n, 0x3feff0015549f4d3n, 0x3c8328387b99426fn,
  0x3fb1fc343d808befn, 0xbc5f3d32e6f3be4fn, 0x3fefebc222a8ef9fn, 0x3c57934934f54c77n,
  0x3fb3facb12d1755bn, 0xbc5921915299468cn, 0x3fefe7034129ef6fn, 0xbc6cbf4337c96f97n,
  0x3fb5f911fd10b737n, 0xbc50184f02be9102n, 0x3fefe1c4c3c873ebn, 0xbc35a9c9057c4a02n,
  0x3fb7f701032550e4n, 0x3c3afc2d1800501an, 0x3fefdc06bf7e6b9bn, 0x3c831902b535f8dbn,
  0x3fb9f4902d55d1f9n, 0x3c52696d7eac1dc1n, 0x3fefd5c94b43e000n, 0xbc62e768cb4f92f9n,
  0x3fbbf1b78568391dn, 0x3c5e91841dea4cc8n, 0x3fefcf0c800e99b1n, 0x3c6ea3d786d186acn,
  0x3fbdee6f16c1cce6n, 0xbc450f8e2fb71673n, 0x3fefc7d078d1bc88n, 0x3c8075d2447db685n,
  0x3fbfeaaeee86ee36n, 0xbc4afcb2bcc6f03bn, 0x3fefc015527d5bd3n, 0x3c8b68f35094efb8n,
  0x3fc0f3378ddd71d1n, 0x3c6d8468724f0f9en, 0x3fefb7db2bfe0695n, 0x3c821dadf4f65ab1n,
  0x3fc1f0d3d7afceafn, 0xbc66ef95099769a5n, 0x3fefaf22263c4bd3n, 0xbc552ace133a2769n,
  0x3fc2ee285e4ab88fn, 0xbc6e4d0f05dee058n, 0x3fefa5ea641c36f2n, 0x3c404da6ed17cc7cn,
  0x3fc3eb312c5d66cbn, 0x3c647d666b66cb91n, 0x3fef9c340a7cc428n, 0x3c8c5b6b063b7462n,
  0x3fc4e7ea4dc5f27bn, 0x3c5949db2ac072fcn, 0x3fef91ff40374d01n, 0xbc67d03f4d3a9e4cn,
  0x3fc5e44fcfa126f3n, 0xbc66f443063f89b6n, 0x3fef874c2e1eecf6n, 0xbc8c6514e1332b16n,
  0x3fc6e05dc05a4d4cn, 0xbbd32c5c8b81c940n, 0x3fef7c1afeffde24n, 0xbc78f55bc47540b1n,
  0x3fc7dc102fbaf2b5n, 0x3c45ab50e23c97c3n, 0x3fef706bdf9ece1cn, 0xbc8698c80c36dcb4n,
  0x3fc8d7632efaa944n, 0xbc620fa262cbb953n, 0x3fef643efeb82acdn, 0x3c76b00ac1fe28acn,
  0x3fc9d252d0cec312n, 0x3c59c43d80b1137dn, 0x3fef57948cff6797n, 0x3c6e3a0d3e03b1d5n,
  0x3fcaccdb297a0765n, 0xbc59883b57d6cdebn, 0x3fef4a6cbd1e3a79n, 0x3c813df0edaebb57n,
  0x3fcbc6f84edc6199n, 0x3c69c1a56a7b0cabn, 0x3fef3cc7c3b3d16en, 0xbc621a3ad28a3494n,
  0x3fccc0a6588289a3n, 0xbc6868d09bc87c6bn, 0x3fef2ea5d753ffedn, 0x3c8cc4215f56d583n,
  0x3fcdb9e15fb5a5d0n, 0xbc632e20d6cc6fc2n, 0x3fef20073086649fn, 0x3c7b940416c1984bn,
  0x3fceb2a57f8ae5a3n, 0xbc60be06af572cebn, 0x3fef10ec09c5873bn, 0x3c8d9072762c1283n,
  0x3fcfaaeed4f31577n, 0xbc615d88508e32b8n, 0x3fef01549f7deea1n, 0x3c8d3c1e99e5cafdn,
  0x3fd0515cbf65155cn, 0xbc79b8c29dfd8ec8n, 0x3feef141300d2f26n, 0xbc82aa1b08ded372n,
  0x3fd0cd00cef36436n, 0xbc79fb0a0c93e2b5n, 0x3feee0b1fbc0f11cn, 0xbc4bfd2380bbc3b1n,
  0x3fd14861aa94ddebn, 0xbc6be881b5b615a4n, 0x3feecfa744d5efa1n, 0xbc556d0a4af541d0n,
  0x3fd1c37d64c6b876n, 0x3c746076fe0dcff5n, 0x3feebe214f76efa8n, 0xbc802f9f12ba543en,
  0x3fd23e52111aaf36n, 0xbc74f080334eff18n, 0x3feeac2061bbaf4fn, 0x3c62c1d53e94658dn,
  0x3fd2b8ddc43eb49fn, 0x3c61553899f2d807n, 0x3fee99a4c3a7cd83n, 0xbc82264b1bc53ce8n,
  0x3fd3331e94049f87n, 0x3c7e0cb6b40c302cn, 0x3fee86aebf29a9edn, 0x3c89397afdbb58a7n,
  0x3fd3ad129769d3d8n, 0x3c003d5504878398n, 0x3fee733ea0193d40n, 0xbc86428b3546ce13n,
  0x3fd426b7e69ee697n, 0xbc7f09c75705c59fn, 0x3fee5f54b436e9d0n, 0x3c87eb0fd02fc8bcn,
  0x3fd4a00c9b0f3d20n, 0x3c7823ba6bb08eadn, 0x3fee4af14b2a449cn, 0xbc868ca02e8a6833n,
  0x3fd5190ecf68a77an, 0x3c7b357155eef0f3n, 0x3fee3614b680d6a5n, 0xbc727793aa015237n,
  0x3fd591bc9fa2f597n, 0x3c67c74bac3fe0cbn, 0x3fee20bf49acd6c1n, 0xbc5660aec7ef636cn,
  0x3fd60a1429078775n, 0x3c5b1fd80ba89133n, 0x3fee0af15a03dbcen, 0x3c5fe8e702771ae6n,
  0x3fd682138a38d7f7n, 0xbc7d889202444aadn, 0x3fedf4ab3ebd875en, 0xbc8e2d8a7e6736c4n,
  0x3fd6f9b8e33a0255n, 0x3c742bc14ee9da0dn, 0x3feddded50f228d6n, 0xbc6e80c8d42ba2bfn,
  0x3fd7710255764214n, 0xbc66ead7314bb6cen, 0x3fedc6b7eb995912n, 0x3c54b364776dcd35n,
  0x3fd7e7ee03c86d4en, 0xbc7b63bcdabf5af2n, 0x3fedaf0b6b888e83n, 0x3c8a249e2b5e5cean,
  0x3fd85e7a12826949n, 0x3c78a40e9b5face0n, 0x3fed96e82f71a9dcn, 0x3c8ff61bd5d2039dn,
  0x3fd8d4a4a774992fn, 0x3c744a02ea766326n, 0x3fed7e4e97e17b4an, 0xbc63b770352bed94n,
  0x3fd94a6be9f546c5n, 0xbc769ce13e683f58n, 0x3fed653f073e4040n, 0xbc876236434bec37n,
  0x3fd9bfce02e80510n, 0x3c709e39a320b0a4n, 0x3fed4bb9e1c619e0n, 0x3c8f34bb77858f61n,
  0x3fda34c91cc50ccan, 0xbc5a310e3b50cecdn, 0x3fed31bf8d8d7c06n, 0x3c7e60dd3089cbddn,
  0x3fdaa95b63a09277n, 0xbc66293eb13c0381n, 0x3fed1750727d94f0n, 0x3c80d52b1ec1a48en,
  0x3fdb1d8305321617n, 0xbc7ae242cb99f519n, 0x3fecfc6cfa52ad9fn, 0x3c88b5b5508f2a0dn,
  0x3fdb913e30dbac43n, 0xbc7e38ad2f6c3ff1n, 0x3fece115909a82e5n, 0x3c81f139bb31109an,
  0x3fdc048b17b140a3n, 0x3c619fe6757e9fa7n, 0x3fecc54aa2b2972en, 0x3c64ee162ba83a98n,
  0x3fdc7767ec7fd19en, 0xbc5eb14d1a3d5826n, 0x3feca90c9fc67d0bn, 0xbc646a81485e3462n,
  0x3fdce9d2e3d4a51fn, 0xbc62fc8a12dae298n, 0x3fec8c5bf8ce1a84n, 0x3c7ab3d1a1590123n,
  0x3fdd5bca34047661n, 0x3c728a44a75fc29cn, 0x3fec6f39208be53bn, 0xbc8741dbfbaadb42n,
  0x3fddcd4c15329c9an, 0x3c70d4c6e171fd9an, 0x3fec51a48b8b175en, 0xbc61bbb43b9aa880n,
  0x3fde3e56c1582a69n, 0xbc50a4821099f88fn, 0x3fec339eb01ddd81n, 0xbc8caaf5ee82c5c0n,
  0x3fdeaee8744b05f0n, 0xbc5789b43c9b027dn, 0x3fec1528065b7d50n, 0xbc8892111312e828n,
  0x3fdf1eff6bc4f97bn, 0x3c717212f8a7525cn, 0x3febf641081e7536n, 0x3c8b7bd71628a9a1n,
  0x3fdf8e99e76abc97n, 0x3c59d950af2d00a3n, 0x3febd6ea310294f5n, 0x3c731bbcc88c109dn,
  0x3fdffdb628d2f57an, 0x3c6f4a992e905b6an, 0x3febb723fe630f32n, 0x3c772bd2452d0a39n,
  0x3fe0362939c69955n, 0xbc82d8cd78397b01n, 0x3feb96eeef58840en, 0x3c545a3cc78fade0n,
  0x3fe06d3686946e5bn, 0x3c83f5ae4538ff1bn, 0x3feb764b84b704c2n, 0xbc8f5848c21b389bn,
  0x3fe0a4021e9e1001n, 0xbc86f643a13914f6n, 0x3feb553a410c104en, 0x3c58ff7947027a16n,
  0x3fe0da8b26b5672en, 0xbc8a58def0bee909n, 0x3feb33bba89c8948n, 0x3c8ea6a51d1f6ca9n,
  0x3fe110d0c4b69c3bn, 0x3c8d918998809981n, 0x3feb11d04162a4c6n, 0x3c71dd561efbc0c2n,
  0x3fe146d21f8b7f82n, 0x3c7bf9535e2739a8n, 0x3feaef78930bd275n, 0xbc7f836279746f94n,
  0x3fe17c8e5f2eedb0n, 0x3c635e57102e2488n, 0x3feaccb526f69de5n, 0x3c88fb6a8dd6b6ccn,
  0x3fe1b204acb02fddn, 0xbc5f190c70cbb5ffn, 0x3feaa98688308913n, 0xbc0b83d607cd5070n,
  0x3fe1e7343236574cn, 0x3c722a3fa4f41d5an, 0x3fea85ed4373e02dn, 0x3c69be06385ec792n,
  0x3fe21c1c1b0394cfn, 0x3c5e5b324b23aa31n, 0x3fea61e9e72586afn, 0x3c858330e2fd453fn,
  0x3fe250bb93788bbbn, 0x3c7ea3d02457bccen, 0x3fea3d7d0352bdcfn, 0xbc868dbaeca19669n,
  0x3fe28511c917a067n, 0xbc801df1d9a16b70n, 0x3fea18a729aee445n, 0x3c395e25736c0358n,
  0x3fe2b91dea88421en, 0xbc8fa371db216ab0n, 0x3fe9f368ed912f85n, 0xbc81d200c5791606n,
  0x3fe2ecdf279a3082n, 0x3c8d3557e0e7e37en, 0x3fe9cdc2e3f25e5cn, 0x3c83f99112993f62n,
  0x3fe32054b148bc4fn, 0x3c8f6b42095a135bn, 0x3fe9a7b5a36a6514n, 0x3c8722cfcc9fa7a9n,
  0x3fe3537db9be0367n, 0x3c6b327e7af040f0n, 0x3fe98141c42e1310n, 0x3c8d1ff80488f08dn,
  0x3fe386597456282bn, 0xbc710fada93b07a8n, 0x3fe95a67e00cb1fdn, 0xbc80befda21f862dn,
  0x3fe3b8e715a2840an, 0xbc797653a7d2f07bn, 0x3fe93328926d9e92n, 0xbc8bb77003600cdan,
  0x3fe3eb25d36cd53an, 0xbc5be570e1570fc0n, 0x3fe90b84784ddaf7n, 0xbc70feb10ab93b87n,
  0x3fe41d14e4ba6790n, 0x3c84608fd287ecf5n, 0x3fe8e37c303d9ad1n, 0xbc6463a4b53d4bf8n,
  0x3fe44eb381cf386bn, 0xbc83ed6c1e6a5505n, 0x3fe8bb105a5dc900n, 0x3c8863e03e9474c1n,
  0x3fe48000e431159fn, 0xbc8b194a7463ed10n, 0x3fe89241985d871fn, 0x3c8c48d9c413ed84n,
  0x3fe4b0fc46aab761n, 0x3c20da05738cc59an, 0x3fe869108d77a6c6n, 0x3c7338ffe2bfe9ddn,
  0x3fe4e1a4e54ed51bn, 0xbc8a492f89b7c76an, 0x3fe83f7dde701ca0n, 0xbc4152cf609bc6e8n,
  0x3fe511f9fd7b351cn, 0xbc85c0e861c48831n, 0x3fe8158a31916d5dn, 0xbc6de8b90b8228den,
  0x3fe541facddbb724n, 0x3c7232c28520d391n, 0x3fe7eb362eaa1488n, 0x3c5a1d65a4a5959fn,
  0x3fe571a6966d59b3n, 0x3c5c843b4d0fb198n, 0x3fe7c0827f09e54fn, 0xbc6c73d6d72aee68n,
  0x3fe5a0fc98813a12n, 0xbc8d82e2b7d4227bn, 0x3fe7956fcd7f6543n, 0xbc8ab276e9d45ae4n,
  0x3fe5cffc16bf8f0dn, 0x3c896cb370eb578an, 0x3fe769fec655211fn, 0xbc6827d5cf8c68c5n,
  0x3fe5fea4552a9e57n, 0x3c80b6cef7ee20b7n, 0x3fe73e30174efba1n, 0xbc65d3ae3d94ad5fn,
  0x3fe62cf49921ac79n, 0xbc8edd9855b6241an, 0x3fe712046fa77678n, 0x3c8425b0a5029c81n,
  0x3fe65aec2963e755n, 0x3c8126f96b71053cn, 0x3fe6e57c800cf55en, 0x3c860286dedbd0a6n,
  0x3fe6888a4e134b2fn, 0xbc86b7d37644d5e6n, 0x3fe6b898fa9efb5dn, 0x3c715ac786ccf4b2n,
  0x3fe6b5ce50b7821an, 0xbc65d5158f702e0fn, 0x3fe68b5a92eb6253n, 0xbc89a91ad985f89cn,
  0x3fe6e2b77c40bde1n, 0xbc70e729857fad53n, 0x3fe65dc1fdeb8cban, 0xbc597c1b47337c77n,
  0x3fe70f451d0a8c40n, 0x3c697ede3885770dn, 0x3fe62fcff20191c7n, 0x3c6d9143895756efn,
  0x3fe73b7680dea578n, 0xbc72248306dc12a2n, 0x3fe6018526f563dfn, 0x3c846ca5e0e432d0n,
  0x3fe7674af6f7b524n, 0x3c7e9d3f94ac84a8n, 0x3fe5d2e255f1f17an, 0x3c80314104c8892bn,
  0x3fe792c1d0041d52n, 0xbc8abf05eeb354ebn, 0x3fe5a3e839824077n, 0x3c8428aa2759be62n,
  0x3fe7bdda5e28b3c2n, 0x3c4ad1197ccd0393n, 0x3fe574978d8e83f2n, 0x3c8f4714af282d23n,
  0x3fe7e893f5037959n, 0x3c80eefbaa650c4cn, 0x3fe544f10f592ca5n, 0xbc8e7ae8e6c7a62fn,
  0x3fe812ede9ae4ba4n, 0xbc87830adf402ddan, 0x3fe514f57d7bf3dan, 0x3c747a108073c259n,
].map(fromBits);

const S1 = fromBits(0xbfc5555555555555n);
const S2 = fromBits(0x3f81111111110ecen);
const S3 = fromBits(0xbf2a01a019db08b8n);
const S4 = fromBits(0x3ec71de27b9a7ed9n);
const S5 = fromBits(0xbe5addffc2fcdf59n);
const SN3 = -1.66666666666664880952546298448555e-1;
const SN5 = 8.33333214285722277379541354343671e-3;
const CS2 = 4.99999999999999999999950396842453e-1;
const CS4 = -4.16666666666664434524222570944589e-2;
const CS6 = 1.38888874007937613028114285595617e-3;
const BIG = fromBits(0x42c8000000000000n); // 1.5 * 2**45: big + |x| rounds |x| to a multiple of 1/128
const HP0 = fromBits(0x3ff921fb54442d18n);
const HP1 = fromBits(0x3c91a62633145c07n);
const MP1 = fromBits(0x3ff921fb58000000n);
const MP2 = fromBits(0xbe4dde973c000000n);
const PP3 = fromBits(0xbc8cb3b398000000n);
const PP4 = fromBits(0xbacd747f23e32ed7n);
const HPINV = fromBits(0x3fe45f306dc9c883n);
const TOINT = fromBits(0x4338000000000000n);

/** The index into __sincostab that big + |x| encodes: round(|x| * 128) (its low word). */
function tableIndex(ux: number): number {
  f64[0] = ux;
  return w32[0] << 2;
}

function doCos(x: number, dx: number): number {
  if (x < 0) dx = -dx;
  const ax = Math.abs(x);
  const u = BIG + ax;
  const k = tableIndex(u);
  x = ax - (u - BIG) + dx;
  const xx = x * x;
  const s = fma64(x * xx, fma64(xx, SN5, SN3), x);
  const c = xx * fma64(xx, fma64(xx, CS6, CS4), CS2);
  const sn = SINCOSTAB[k];
  const ssn = SINCOSTAB[k + 1];
  const cs = SINCOSTAB[k + 2];
  const ccs = SINCOSTAB[k + 3];
  const cor = fma64(-sn, s, fma64(-cs, c, fma64(-s, ssn, ccs)));
  return cs + cor;
}

function doSin(x: number, dx: number): number {
  const xold = x;
  if (Math.abs(x) < 0.126) {
    // TAYLOR_SIN(x*x, x, dx)
    const xx = x * x;
    let p = fma64(S5, xx, S4);
    p = fma64(p, xx, S3);
    p = fma64(p, xx, S2);
    const poly = fma64(p, xx, S1);
    const t = fma64(fma64(poly, x, -(0.5 * dx)), xx, dx);
    return x + t;
  }
  if (x <= 0) dx = -dx;
  const ax = Math.abs(x);
  const u = BIG + ax;
  const k = tableIndex(u);
  x = ax - (u - BIG);
  const xx = x * x;
  const s = x + fma64(x * xx, fma64(xx, SN5, SN3), dx);
  const c = fma64(x, dx, xx * fma64(xx, fma64(xx, CS6, CS4), CS2));
  const sn = SINCOSTAB[k];
  const ssn = SINCOSTAB[k + 1];
  const cs = SINCOSTAB[k + 2];
  const ccs = SINCOSTAB[k + 3];
  const cor = fma64(cs, s, fma64(-sn, c, fma64(s, ccs, ssn)));
  const r = sn + cor;
  return xold < 0 || Object.is(xold, -0) ? -Math.abs(r) : Math.abs(r);
}

let redA = 0;
let redDa = 0;

/** reduce_sincos: x = n*pi/2 + a + da; returns n & 3. */
function reduceSincos(x: number): number {
  const t = fma64(x, HPINV, TOINT);
  const xn = t - TOINT;
  f64[0] = t;
  const n = w32[0] & 3;
  const y = fma64(-xn, MP2, fma64(-xn, MP1, x));
  const t2 = fma64(-xn, PP3, y);
  let db = fma64(-xn, PP3, y - t2);
  const b = fma64(-xn, PP4, t2);
  db += fma64(-xn, PP4, t2 - b);
  redA = b;
  redDa = db;
  return n;
}

function doSincos(a: number, da: number, n: number): number {
  const r = n & 1 ? doCos(a, da) : doSin(a, da);
  return n & 2 ? -r : r;
}

function highWord(x: number): number {
  f64[0] = x;
  return w32[1] & 0x7fffffff;
}

/** glibc's sin (FMA build) for |x| < 105414350 (beyond: V8's, not reached by the generators). */
export function sinGlibc(x: number): number {
  const k = highWord(x);
  if (k < 0x3e500000) return x;
  if (k < 0x3feb6000) return doSin(x, 0);
  if (k < 0x400368fd) {
    const r = doCos(HP0 - Math.abs(x), HP1);
    return x < 0 ? -Math.abs(r) : Math.abs(r);
  }
  if (k < 0x419921fb) {
    const n = reduceSincos(x);
    return doSincos(redA, redDa, n);
  }
  return Math.sin(x);
}

/** glibc's cos (FMA build) for |x| < 105414350. */
export function cosGlibc(x: number): number {
  const k = highWord(x);
  if (k < 0x3e400000) return 1;
  if (k < 0x3feb6000) return doCos(x, 0);
  if (k < 0x400368fd) {
    const y = HP0 - Math.abs(x);
    const a = y + HP1;
    const da = y - a + HP1;
    return doSin(a, da);
  }
  if (k < 0x419921fb) {
    const n = reduceSincos(x);
    return doSincos(redA, redDa, n + 1);
  }
  return Math.cos(x);
}
