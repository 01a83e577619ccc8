// glibc's libm, where PyTorch's random streams depend on it (no I/O). PyTorch's scalar float32 kernel calls
// glibc's logf, sinf and cosf; its float64 kernels and the Box-Muller path for small tensors call log, sin
// and cos; exponential_ (multinomial) calls log. On x86-64 with FMA (this machine), glibc 2.36 dispatches to
// its FMA builds (__logf_fma, __sincosf_fma, __log_fma, __sin_fma, __cos_fma), in which GCC fused every
// a*b + c into one fused multiply-add; the functions below follow those builds operation for operation.
// Checked against the machine's glibc: logf, sinf, cosf on all 2**24 float uniforms the generators feed
// them; log, sin, cos on 2,000,000 double uniforms: no difference (test/core/torch-rng.test.ts keeps a sample).
// V8's Math.log/sin/cos differ from glibc's on 7% / 3% / 3% of those arguments.
//
// Sources: ARM's optimized-routines (MIT; Copyright (c) 2017-2018, Arm Limited) as in glibc's
// sysdeps/ieee754/flt-32/e_logf.c, s_sincosf.h and dbl-64/e_log.c (the log table is ARM's log_data.c, the
// same numbers glibc and musl ship); IBM's Accurate Mathematical Library as in glibc's dbl-64/s_sin.c and
// usncs.h (its __sincostab, sin and cos of k/128 as double-doubles, read from this machine's libm.so.6).
// Licence: ARM's routines are MIT. The double sin and cos follow glibc's LGPL-2.1-or-later IBM code and
// live apart, under that licence, in libm-sincos.ts (re-exported here).

import { f32, f64, fromBits, u32, w32 } from './bits.js';
import { fma64 } from './fma.js';


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

export { cosGlibc, sinGlibc } from './libm-sincos.js';
