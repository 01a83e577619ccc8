// The dtypes PyTorch 1.13 prints, what each is stored as here, and PyTorch's type promotion (c10's
// promoteTypes table and at::native::result_type).
//
// Storage: every tensor lives in the library's wasm memory (heap.ts), read through one typed view per
// representation. float32, float64, int32, int16, int8 and uint8 are stored as themselves, so the typed
// array's store does the rounding (IEEE single, two's-complement wrap-around, as C++'s casts in PyTorch's
// kernels on in-range values). The others are stored wider and rounded by `rounder` when a kernel stores:
// int64 as exact integers in a double (exact up to 2^53; past that an error, never a silent rounding),
// bool as a byte 0/1, float16 and bfloat16 as float32 values already rounded to half / bfloat16 precision
// (PyTorch computes half arithmetic in float and rounds each result to half: the same values).

import { TorchError } from './errors.js';

export type DType = 'float32' | 'float64' | 'float16' | 'bfloat16' | 'int64' | 'int32' | 'int16' | 'int8' | 'uint8' | 'bool';
/** The typed view a dtype is stored in. */
export type Repr = 'f32' | 'f64' | 'i32' | 'i16' | 'i8' | 'u8';

interface Info {
  repr: Repr;
  /** bytes per element as PyTorch counts them (element_size()) */
  itemsize: number;
  /** 0 bool, 1 integral, 2 floating */
  category: 0 | 1 | 2;
  /** PyTorch's scalar type name in messages: 'Float', 'Long' */
  scalar: string;
  /** the legacy tensor type: 'torch.FloatTensor' */
  legacy: string;
  /** column in c10's promotion table */
  col: number;
}

export const DTYPES: Readonly<Record<DType, Info>> = {
  uint8: { repr: 'u8', itemsize: 1, category: 1, scalar: 'Byte', legacy: 'torch.ByteTensor', col: 0 },
  int8: { repr: 'i8', itemsize: 1, category: 1, scalar: 'Char', legacy: 'torch.CharTensor', col: 1 },
  int16: { repr: 'i16', itemsize: 2, category: 1, scalar: 'Short', legacy: 'torch.ShortTensor', col: 2 },
  int32: { repr: 'i32', itemsize: 4, category: 1, scalar: 'Int', legacy: 'torch.IntTensor', col: 3 },
  int64: { repr: 'f64', itemsize: 8, category: 1, scalar: 'Long', legacy: 'torch.LongTensor', col: 4 },
  float16: { repr: 'f32', itemsize: 2, category: 2, scalar: 'Half', legacy: 'torch.HalfTensor', col: 5 },
  float32: { repr: 'f32', itemsize: 4, category: 2, scalar: 'Float', legacy: 'torch.FloatTensor', col: 6 },
  float64: { repr: 'f64', itemsize: 8, category: 2, scalar: 'Double', legacy: 'torch.DoubleTensor', col: 7 },
  bool: { repr: 'u8', itemsize: 1, category: 0, scalar: 'Bool', legacy: 'torch.BoolTensor', col: 8 },
  bfloat16: { repr: 'f32', itemsize: 2, category: 2, scalar: 'BFloat16', legacy: 'torch.BFloat16Tensor', col: 9 },
};

export const DTYPE_NAMES = Object.keys(DTYPES) as DType[];

/** Bytes per element of each representation in the heap. */
export const REPR_BYTES: Readonly<Record<Repr, number>> = { f32: 4, f64: 8, i32: 4, i16: 2, i8: 1, u8: 1 };

export const isFloat = (d: DType): boolean => DTYPES[d].category === 2;
export const isIntegral = (d: DType): boolean => DTYPES[d].category === 1;
export const pyName = (d: DType): string => DTYPES[d].scalar;
export const legacyTypeName = (d: DType): string => DTYPES[d].legacy;

// c10::promoteTypes, the rows and columns in DTYPES' `col` order (u1 i1 i2 i4 i8 f2 f4 f8 b1 bf)
const P: readonly (readonly DType[])[] = (() => {
  const [u1, i1, i2, i4, i8, f2, f4, f8, b1, bf]: DType[] = ['uint8', 'int8', 'int16', 'int32', 'int64', 'float16', 'float32', 'float64', 'bool', 'bfloat16'];
  return [
    /* u1 */ [u1, i2, i2, i4, i8, f2, f4, f8, u1, bf],
    /* i1 */ [i2, i1, i2, i4, i8, f2, f4, f8, i1, bf],
    /* i2 */ [i2, i2, i2, i4, i8, f2, f4, f8, i2, bf],
    /* i4 */ [i4, i4, i4, i4, i8, f2, f4, f8, i4, bf],
    /* i8 */ [i8, i8, i8, i8, i8, f2, f4, f8, i8, bf],
    /* f2 */ [f2, f2, f2, f2, f2, f2, f4, f8, f2, f4],
    /* f4 */ [f4, f4, f4, f4, f4, f4, f4, f8, f4, f4],
    /* f8 */ [f8, f8, f8, f8, f8, f8, f8, f8, f8, f8],
    /* b1 */ [u1, i1, i2, i4, i8, f2, f4, f8, b1, bf],
    /* bf */ [bf, bf, bf, bf, bf, f4, f4, f8, bf, bf],
  ];
})();

/** c10::promoteTypes. */
export function promoteTypes(a: DType, b: DType): DType {
  return P[DTYPES[a].col][DTYPES[b].col];
}

type Maybe = DType | null;
const promoteSkip = (a: Maybe, b: Maybe): Maybe => (a === null ? b : b === null ? a : promoteTypes(a, b));

/** c10's combine_categories(higher, lower). */
function combine(higher: Maybe, lower: Maybe): Maybe {
  if (higher !== null && isFloat(higher)) return higher;
  if (higher === 'bool' || (lower !== null && isFloat(lower))) return promoteSkip(higher, lower);
  return higher ?? lower;
}

export interface Operand {
  dtype: DType;
  /** 0 for a tensor with dims, 1 for a zero-dim tensor, 2 for a Python number */
  group: 0 | 1 | 2;
}

/**
 * at::native::result_type: operands fall in three groups with falling priority (tensors with dimensions,
 * zero-dim tensors, Python numbers: "wrapped numbers", weak, a Python float counting as the default dtype
 * float32 and a Python int as int64); a lower group only changes the result when it is of a higher category
 * (bool < integral < floating): int64 tensor * 0.5 is float32, an int8 tensor + 1000 stays int8.
 */
export function resultType(ops: readonly Operand[]): DType {
  const st: Maybe[] = [null, null, null];
  for (const o of ops) {
    let d = o.dtype;
    if (o.group === 2 && isFloat(d)) d = 'float32';
    st[o.group] = promoteSkip(st[o.group], d);
  }
  return combine(st[0], combine(st[1], st[2])) ?? 'float32';
}

export type ScalarKind = 'bool' | 'int' | 'float';

/** The dtype a Python number of this kind has as an operand (before the weak-scalar rule). */
export function scalarDType(kind: ScalarKind): DType {
  return kind === 'bool' ? 'bool' : kind === 'int' ? 'int64' : 'float64';
}

/** Whether PyTorch lets an op whose result is `from` write into a tensor of dtype `to` (canCast). */
export function canCast(from: DType, to: DType): boolean {
  return DTYPES[from].category <= DTYPES[to].category;
}

/** The largest magnitude an int64 holds exactly here (an integer stored in a double). */
export const INT64_LIMIT = 2 ** 53;

export function int64Overflow(x: number): TorchError {
  return new TorchError(`int64 value ${x} is past 2^53, the largest integer this library holds exactly`);
}

// ---------------------------------------------------------------------------------------------------------
// rounding a double to what a dtype holds

const f32buf = new Float32Array(1);
const u32buf = new Uint32Array(f32buf.buffer);

/** Rounds to the nearest IEEE half (binary16) value, ties to even, as c10::Half's float -> half. */
export function roundHalf(x: number): number {
  x = Math.fround(x); // PyTorch converts to half from float: round to float32 first, as it does
  if (x !== x || x === 0 || !Number.isFinite(x)) return x;
  const a = Math.abs(x);
  if (a >= 65520) return x > 0 ? Infinity : -Infinity; // past the largest half + half an ulp
  // the spacing of halves around a: 2^(e-10) for normal e >= -14, 2^-24 below (subnormals)
  const e = Math.max(Math.floor(Math.log2(a)), -14);
  let ulp = 2 ** (e - 10);
  // Math.log2 may be off by one near powers of two: fix e so that 2^e <= a < 2^(e+1) (or a subnormal)
  if (e > -14 && a < 2 ** e) ulp /= 2;
  else if (a >= 2 ** (e + 1)) ulp *= 2;
  const q = a / ulp; // exact: a power-of-two scaling
  let r = Math.round(q);
  if (r - q === 0.5 && r % 2 !== 0) r -= 1; // Math.round rounds ties up: to even instead
  const v = r * ulp;
  return x < 0 ? -v : v;
}

/** Rounds to the nearest bfloat16 value (the top 16 bits of a float32), ties to even, as c10::BFloat16. */
export function roundBFloat16(x: number): number {
  if (x !== x) return x;
  f32buf[0] = x; // first to float32 (PyTorch converts from float), then RNE on the low 16 bits
  const u = u32buf[0];
  const rounded = (u + 0x7fff + ((u >>> 16) & 1)) >>> 0;
  u32buf[0] = rounded & 0xffff0000;
  return f32buf[0];
}

/**
 * A double rounded to what a `dtype` storage keeps when PyTorch converts a value: floats to nearest, ints
 * truncated toward zero then wrapped to the width (int64 past 2^53 is an error here), bool nonzero -> 1.
 */
export function roundTo(dtype: DType, x: number): number {
  switch (dtype) {
    case 'float32': return Math.fround(x);
    case 'float64': return x;
    case 'float16': return roundHalf(x);
    case 'bfloat16': return roundBFloat16(x);
    case 'int64': {
      const v = Math.trunc(x);
      if (!(Math.abs(v) <= INT64_LIMIT)) throw int64Overflow(x);
      return v;
    }
    case 'int32': return Math.trunc(x) | 0;
    case 'int16': return (Math.trunc(x) << 16) >> 16;
    case 'int8': return (Math.trunc(x) << 24) >> 24;
    case 'uint8': return Math.trunc(x) & 0xff;
    case 'bool': return x !== 0 ? 1 : 0;
  }
}

/**
 * Whether a kernel storing results of this dtype must round them itself: the typed view of the others
 * (Float32Array, Float64Array, Int32Array...) rounds on store the way PyTorch's cast does. For the integer
 * views that holds for values already integral; a float value stored into an int dtype goes through roundTo.
 */
export function needsRounding(dtype: DType): boolean {
  return dtype === 'int64' || dtype === 'bool' || dtype === 'float16' || dtype === 'bfloat16';
}

const INT_RANGE: Partial<Record<DType, [number, number, string]>> = {
  uint8: [0, 255, 'uint8_t'], int8: [-128, 127, 'int8_t'], int16: [-32768, 32767, 'int16_t'],
  int32: [-2147483648, 2147483647, 'int'], int64: [-INT64_LIMIT, INT64_LIMIT, 'int64_t'],
};

/**
 * c10's overflow check when a Python number becomes an element of an integer dtype (torch.tensor(data),
 * fill_, full, x[i] = number): out of range is PyTorch's "value cannot be converted" error (arithmetic with
 * a number wraps instead). An unsigned dtype also takes negatives down to -max (two's complement wrap).
 * `cName`: name the C type (fill_, full, setitem: 'int8_t') instead of the dtype (torch.tensor: 'int8').
 */
export function checkFits(dtype: DType, x: number, cName: boolean): void {
  const r = INT_RANGE[dtype];
  if (r === undefined || x !== x) return;
  const [lo, hi, c] = r;
  const bad = dtype === 'uint8' ? x > hi || x < -hi : x < lo || x > hi;
  if (bad) throw new TorchError(`value cannot be converted to type ${cName ? c : dtype} without overflow`);
}
