// Elementwise kernels (no autograd: ops/pointwise.ts records the nodes): binary ops with PyTorch's
// broadcasting and type promotion, with a Python number, unary ops, where, clamp, copies with casts, fill.
//
// A kernel allocates its output first, then fetches the heap's typed views (an allocation may grow the
// memory, which detaches views fetched before it), then loops. Arithmetic: each result is computed in
// doubles from the stored operands and rounded once by the output's store (float32, int32...: the typed
// view rounds as PyTorch's cast does) or by roundTo for the dtypes stored wider (int64, bool, float16,
// bfloat16). float32 + - * / over more than a few elements run in wasm SIMD (IEEE single: the same bits).

import codes from '../opcodes.json' with { type: 'json' };
import {
  DTYPES, INT64_LIMIT, canCast, int64Overflow, isFloat, isIntegral, needsRounding, pyName, resultType,
  roundTo, scalarDType, type DType, type ScalarKind,
} from '../dtype.js';
import { TorchError } from '../errors.js';
import { PARAMS, views, wasm } from '../heap.js';
import { Tensor, empty, forEachRow, forEachRowN, numelOf, sameShape, type Data } from '../tensor.js';
import { tanhF32 } from './tanh32.js';
import { BINARY, UNARY, type OpRecord } from '../optable.js';

export type BinaryOp = (typeof codes.bin)[number];
export type UnaryOp = (typeof codes.un)[number];

function codeTable<K extends string>(names: readonly K[]): Readonly<Record<K, number>> {
  const t = {} as Record<K, number>;
  names.forEach((n, i) => (t[n] = i));
  return t;
}
/** Binary op codes (assembly/opcodes.ts has the same numbers, from opcodes.json). */
export const BIN = codeTable(codes.bin as BinaryOp[]);
/** Unary op codes. */
export const UN = codeTable(codes.un as UnaryOp[]);
export const BINARY_OPS = codes.bin as readonly BinaryOp[];
export const UNARY_OPS = codes.un as readonly UnaryOp[];


// ---------------------------------------------------------------------------------------------------------
// broadcasting

/** The broadcast shape of a and b, with PyTorch's message when they do not broadcast. */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = n - 1; i >= 0; i--) {
    // from the last dimension, as PyTorch's infer_size: its message names the last mismatch first
    const da = i - n + a.length >= 0 ? a[i - n + a.length] : 1;
    const db = i - n + b.length >= 0 ? b[i - n + b.length] : 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new TorchError(`The size of tensor a (${da}) must match the size of tensor b (${db}) at non-singleton dimension ${i}`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** t's strides for reading it broadcast to `shape` (0 along stretched or missing dimensions). */
export function broadcastStrides(t: Tensor, shape: readonly number[]): number[] {
  const n = shape.length;
  const s = new Array<number>(n).fill(0);
  for (let i = 0; i < t.shape.length; i++) {
    const d = n - t.shape.length + i;
    s[d] = t.shape[i] === 1 && shape[d] !== 1 ? 0 : t.strides[i];
  }
  return s;
}

/**
 * Merges adjacent dimensions that every operand walks as one (stride[d] == stride[d+1] * shape[d+1] for
 * all), drops size-1 dimensions: a same-shape contiguous op becomes one flat run, a row broadcast two
 * dimensions. Returns the merged shape and each operand's merged strides.
 */
export function collapse(shape: readonly number[], strides: readonly (readonly number[])[]): [number[], number[][]] {
  const sh: number[] = [];
  const st: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const last = sh.length - 1;
    if (last >= 0 && strides.every((s, k) => st[k][last] === s[d] * shape[d])) {
      sh[last] *= shape[d];
      for (let k = 0; k < strides.length; k++) st[k][last] = strides[k][d];
    } else {
      sh.push(shape[d]);
      for (let k = 0; k < strides.length; k++) st[k].push(strides[k][d]);
    }
  }
  return [sh, st];
}

// ---------------------------------------------------------------------------------------------------------
// binary

/** Python's float floor division, as PyTorch's div_floor (fmod based, so 7.0 // 0.1 is 69.0). */
function floorDiv(a: number, b: number): number {
  if (b === 0) return a / b;
  const mod = a % b;
  let div = (a - mod) / b;
  if (mod !== 0 && (b < 0) !== (mod < 0)) div -= 1;
  if (div === 0) return 0 * (a / b);
  let fl = Math.floor(div);
  if (div - fl > 0.5) fl += 1;
  return fl;
}
/** Python's float %, as PyTorch's remainder: the sign of the divisor. */
function floorMod(a: number, b: number): number {
  let m = a % b;
  if (m !== 0 && (b < 0) !== (m < 0)) m += b;
  return m;
}
function intCheckZero(y: number): void {
  if (y === 0) throw new TorchError('ZeroDivisionError');
}
const big = (x: number): bigint => BigInt(x);

/**
 * o[oi + i*so] = a[ai + i*sa] (op) b[bi + i*sb] for i < n. `int`: the computation dtype is integral (integer
 * division rules, bitwise ops; int32 products wrap as C's). Stores round as the output's view does.
 */
function binLoop(op: number, int: boolean, o: Data, oi: number, so: number, a: Data | Float64Array, ai: number, sa: number, b: Data | Float64Array, bi: number, sb: number, n: number, i32: boolean): void {
  switch (op) {
    case BIN.add: for (let i = 0; i < n; i++) o[oi + i * so] = a[ai + i * sa] + b[bi + i * sb]; return;
    case BIN.sub: for (let i = 0; i < n; i++) o[oi + i * so] = a[ai + i * sa] - b[bi + i * sb]; return;
    case BIN.mul:
      if (i32) for (let i = 0; i < n; i++) o[oi + i * so] = Math.imul(a[ai + i * sa], b[bi + i * sb]);
      else for (let i = 0; i < n; i++) o[oi + i * so] = a[ai + i * sa] * b[bi + i * sb];
      return;
    case BIN.div: for (let i = 0; i < n; i++) o[oi + i * so] = a[ai + i * sa] / b[bi + i * sb]; return;
    case BIN.floor_divide:
      if (int) for (let i = 0; i < n; i++) { const y = b[bi + i * sb]; intCheckZero(y); o[oi + i * so] = Math.floor(a[ai + i * sa] / y); }
      else for (let i = 0; i < n; i++) o[oi + i * so] = floorDiv(a[ai + i * sa], b[bi + i * sb]);
      return;
    case BIN.remainder:
      if (int) for (let i = 0; i < n; i++) { const y = b[bi + i * sb]; intCheckZero(y); o[oi + i * so] = floorMod(a[ai + i * sa], y); }
      else for (let i = 0; i < n; i++) o[oi + i * so] = floorMod(a[ai + i * sa], b[bi + i * sb]);
      return;
    case BIN.fmod:
      if (int) for (let i = 0; i < n; i++) { const y = b[bi + i * sb]; intCheckZero(y); o[oi + i * so] = a[ai + i * sa] % y; }
      else for (let i = 0; i < n; i++) o[oi + i * so] = a[ai + i * sa] % b[bi + i * sb];
      return;
    case BIN.pow:
      for (let i = 0; i < n; i++) {
        const x = a[ai + i * sa];
        const y = b[bi + i * sb];
        if (int && y < 0 && x !== 1 && x !== -1) throw new TorchError('Integers to negative integer powers are not allowed.');
        o[oi + i * so] = y === 2 ? x * x : Math.pow(x, y);
      }
      return;
    case BIN.atan2: for (let i = 0; i < n; i++) o[oi + i * so] = Math.atan2(a[ai + i * sa], b[bi + i * sb]); return;
    case BIN.eq: for (let i = 0; i < n; i++) o[oi + i * so] = a[ai + i * sa] === b[bi + i * sb] ? 1 : 0; return;
    case BIN.ne: for (let i = 0; i < n; i++) o[oi + i * so] = a[ai + i * sa] !== b[bi + i * sb] ? 1 : 0; return;
    case BIN.lt: for (let i = 0; i < n; i++) o[oi + i * so] = a[ai + i * sa] < b[bi + i * sb] ? 1 : 0; return;
    case BIN.le: for (let i = 0; i < n; i++) o[oi + i * so] = a[ai + i * sa] <= b[bi + i * sb] ? 1 : 0; return;
    case BIN.gt: for (let i = 0; i < n; i++) o[oi + i * so] = a[ai + i * sa] > b[bi + i * sb] ? 1 : 0; return;
    case BIN.ge: for (let i = 0; i < n; i++) o[oi + i * so] = a[ai + i * sa] >= b[bi + i * sb] ? 1 : 0; return;
    case BIN.maximum:
      for (let i = 0; i < n; i++) {
        const x = a[ai + i * sa];
        const y = b[bi + i * sb];
        o[oi + i * so] = x !== x || y !== y ? NaN : x > y ? x : y;
      }
      return;
    case BIN.minimum:
      for (let i = 0; i < n; i++) {
        const x = a[ai + i * sa];
        const y = b[bi + i * sb];
        o[oi + i * so] = x !== x || y !== y ? NaN : x < y ? x : y;
      }
      return;
    case BIN.logical_and: for (let i = 0; i < n; i++) o[oi + i * so] = a[ai + i * sa] !== 0 && b[bi + i * sb] !== 0 ? 1 : 0; return;
    case BIN.logical_or: for (let i = 0; i < n; i++) o[oi + i * so] = a[ai + i * sa] !== 0 || b[bi + i * sb] !== 0 ? 1 : 0; return;
    case BIN.logical_xor: for (let i = 0; i < n; i++) o[oi + i * so] = (a[ai + i * sa] !== 0) !== (b[bi + i * sb] !== 0) ? 1 : 0; return;
    case BIN.bitwise_and: for (let i = 0; i < n; i++) o[oi + i * so] = Number(big(a[ai + i * sa]) & big(b[bi + i * sb])); return;
    case BIN.bitwise_or: for (let i = 0; i < n; i++) o[oi + i * so] = Number(big(a[ai + i * sa]) | big(b[bi + i * sb])); return;
    case BIN.bitwise_xor: for (let i = 0; i < n; i++) o[oi + i * so] = Number(big(a[ai + i * sa]) ^ big(b[bi + i * sb])); return;
    default: throw new Error(`internal error: binary op code ${op}`);
  }
}

/** The float32 arithmetic ops' loop with monomorphic Float32Array accesses (V8 compiles these much tighter). */
function binLoopF32(op: number, o: Float32Array, oi: number, so: number, a: Float32Array, ai: number, sa: number, b: Float32Array, bi: number, sb: number, n: number): void {
  switch (op) {
    case BIN.add: for (let i = 0; i < n; i++) o[oi + i * so] = a[ai + i * sa] + b[bi + i * sb]; return;
    case BIN.sub: for (let i = 0; i < n; i++) o[oi + i * so] = a[ai + i * sa] - b[bi + i * sb]; return;
    case BIN.mul: for (let i = 0; i < n; i++) o[oi + i * so] = a[ai + i * sa] * b[bi + i * sb]; return;
    case BIN.div: for (let i = 0; i < n; i++) o[oi + i * so] = a[ai + i * sa] / b[bi + i * sb]; return;
    default: throw new Error(`internal error: float32 op code ${op}`);
  }
}

/** The error PyTorch raises when its CPU kernel for an op takes no tensor of this dtype. */
function notImplemented(r: OpRecord, d: DType): TorchError {
  return new TorchError(r.refuse?.[d] ?? `"${r.kernel}" not implemented for '${pyName(d)}'`);
}

/** The dtype the op computes in, and the dtype of its result, from the operands' common dtype (optable.ts). */
function opTypes(op: BinaryOp, common: DType): [DType, DType] {
  const r = BINARY[op];
  if (r.notFor?.includes(common)) throw notImplemented(r, common);
  if (r.result === 'bool') return [common, 'bool'];
  if (r.result === 'float' && !isFloat(common)) return ['float32', 'float32'];
  if (op === 'sub' && common === 'bool') throw new TorchError('Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.');
  return [common, common];
}

/** Whether values of dtype `from` are exactly the computation's when computing in `to` (no cast copy needed). */
function exactIn(from: DType, to: DType): boolean {
  if (from === to) return true;
  if (to === 'float64') return true; // every other dtype's values are doubles already (int64 here is exact)
  if (to === 'int64') return isIntegral(from) || from === 'bool';
  if (to === 'float32') return from === 'float16' || from === 'bfloat16' || from === 'bool' || from === 'uint8' || from === 'int8' || from === 'int16';
  if (isIntegral(to)) return from === 'bool' || (from === 'uint8' && to !== 'int8') || (from === 'int8' && to !== 'uint8') || (from === 'int16' && to === 'int32');
  return from === 'bool';
}

const scalarBuf = new Float64Array(1);
const scalarBuf32 = new Float32Array(1);

/**
 * One pass over a result of a dtype whose view does not round (int64, bool, float16, bfloat16): what
 * PyTorch's store keeps. `fromFloat`: values computed in floating point being stored into an integer dtype.
 */
export function roundResult(o: Tensor): void {
  const d = o.dtype;
  if (!needsRounding(d)) return;
  const v = o.data;
  const end = o.offset + o.numel;
  if (o.isContiguous) {
    if (d === 'int64') {
      for (let i = o.offset; i < end; i++) if (!(Math.abs(v[i]) <= INT64_LIMIT)) throw int64Overflow(v[i]);
    } else for (let i = o.offset; i < end; i++) v[i] = roundTo(d, v[i]);
    return;
  }
  const nd = o.ndim;
  const n = nd === 0 ? 1 : o.shape[nd - 1];
  const s = nd === 0 ? 0 : o.strides[nd - 1];
  forEachRow(o.shape, o.strides, o.offset, (off) => {
    for (let i = 0; i < n; i++) v[off + i * s] = roundTo(d, v[off + i * s]);
  });
}

/** Whether r, broadcast, is a row of t repeated: r's shape without leading 1s ends t's shape, >= 4 long. */
function isRowOf(r: Tensor, t: Tensor): boolean {
  if (r.ndim > t.ndim || r.numel >= t.numel || r.numel < 4) return false;
  let lead = 0;
  while (lead < r.ndim && r.shape[lead] === 1) lead++;
  const k = r.ndim - lead;
  if (k === 0) return false;
  for (let i = 0; i < k; i++) if (r.shape[lead + i] !== t.shape[t.ndim - k + i]) return false;
  return true;
}

/** Below this many outputs a wasm call costs more than the JS loop it replaces. */
const WASM_MIN_ELEMS = 64;

/**
 * a (op) b for float32 + - * / in wasm SIMD, in place in the heap, when the layout is one the kernel takes:
 * contiguous operands of one shape, a Python number (rounded to float32 first), or a row broadcast over a
 * contiguous tensor ([R, C] with [C] or [1, C], either side). Null otherwise (the JS loops run).
 */
function binaryF32Wasm(code: number, a: Tensor, b: Tensor | number, reverse: boolean, out: Tensor | null): Tensor | null {
  if (!a.isContiguous) return null;
  let x: Tensor | null = a; // the computation is x (op) y; null stands for the Python number
  let y: Tensor | null = typeof b === 'number' ? null : b;
  let mode: number;
  let shape: readonly number[];
  let c = 0;
  if (y === null) {
    mode = reverse ? 2 : 1;
    shape = a.shape;
    if (reverse) {
      y = a;
      x = null;
    }
  } else {
    if (y.dtype !== 'float32' || !y.isContiguous) return null;
    if (reverse) [x, y] = [y, a];
    if (sameShape(x.shape, y.shape)) {
      mode = 0;
      shape = x.shape;
    } else if (isRowOf(y, x)) {
      mode = 3;
      shape = x.shape;
      c = y.numel;
    } else if (isRowOf(x, y)) {
      mode = 4;
      shape = y.shape;
      c = x.numel;
    } else return null;
  }
  const n = numelOf(shape);
  if (n < WASM_MIN_ELEMS) return null;
  if (out !== null && (out.dtype !== 'float32' || !out.isContiguous || !sameShape(out.shape, shape))) return null;
  const k = wasm();
  if (k === null) return null;
  const o = out ?? empty(shape, 'float32');
  let px: number;
  let py: number;
  if (x === null || y === null) {
    // the number goes in the heap's parameter area: the kernel splats it
    views.f32[PARAMS >> 2] = b as number;
    px = x === null ? PARAMS : x.offset * 4;
    py = y === null ? PARAMS : y.offset * 4;
  } else {
    px = x.offset * 4;
    py = y.offset * 4;
  }
  k.binaryF32(o.offset * 4, px, py, n, c, code, mode);
  return o;
}

/** Runs binLoop over every row of the collapsed shape, for operands and output with arbitrary strides. */
function loop3(op: number, int: boolean, i32: boolean, shape: readonly number[],
  o: Data, oOff: number, oStr: readonly number[],
  a: Data | Float64Array, aOff: number, aStr: readonly number[],
  b: Data | Float64Array, bOff: number, bStr: readonly number[]): void {
  const [sh, [os, as, bs]] = collapse(shape, [oStr, aStr, bStr]);
  const nd = sh.length;
  const f32 = o instanceof Float32Array && a instanceof Float32Array && b instanceof Float32Array && op <= BIN.div;
  const run = (oi: number, ai: number, bi: number, n: number, so: number, sa: number, sb: number): void => {
    if (f32) binLoopF32(op, o, oi, so, a, ai, sa, b, bi, sb, n);
    else binLoop(op, int, o, oi, so, a, ai, sa, b, bi, sb, n, i32);
  };
  if (nd === 0) {
    run(oOff, aOff, bOff, 1, 0, 0, 0);
    return;
  }
  const n = sh[nd - 1];
  const [so, sa, sb] = [os[nd - 1], as[nd - 1], bs[nd - 1]];
  if (nd === 1) {
    run(oOff, aOff, bOff, n, so, sa, sb);
    return;
  }
  forEachRowN(sh, [os, as, bs], [oOff, aOff, bOff], (o) => run(o[0], o[1], o[2], n, so, sa, sb));
}

/** The common dtype of a binary op's operands (a Python number of kind bKind when b is a number). */
export function commonType(a: Tensor, b: Tensor | null, bKind: ScalarKind): DType {
  return b !== null
    ? resultType([{ dtype: a.dtype, group: a.ndim === 0 ? 1 : 0 }, { dtype: b.dtype, group: b.ndim === 0 ? 1 : 0 }])
    : resultType([{ dtype: a.dtype, group: a.ndim === 0 ? 1 : 0 }, { dtype: scalarDType(bKind), group: 2 }]);
}

/** The result dtype of `a (op) b` (no computation). */
export function binaryResultType(op: BinaryOp, a: Tensor, b: Tensor | null, bKind: ScalarKind): DType {
  return opTypes(op, commonType(a, b, bKind))[1];
}

/**
 * The forward kernel: out = a (op) b, broadcast. `b` may be a Python number (bKind given), which takes part
 * in promotion as a weak scalar and is rounded to the computation dtype first. `out` (optional) receives
 * the result in place (its dtype must accept it, its shape be the broadcast shape).
 */
export function binaryKernel(op: BinaryOp, a: Tensor, b: Tensor | number, bKind: ScalarKind, reverse: boolean, out: Tensor | null): Tensor {
  const code = BIN[op];
  const bt = typeof b === 'number' ? null : b;
  if (a.dtype === 'float32' && (code <= BIN.div || (code === BIN.pow && b === 2 && !reverse)) && (bt === null ? bKind !== 'bool' : true)) {
    // x ** 2 is x * x here (binLoop's pow), and so in wasm
    const r = code === BIN.pow ? binaryF32Wasm(BIN.mul, a, a, false, out) : binaryF32Wasm(code, a, b, reverse, out);
    if (r !== null) return r;
  }
  // the common case of a training step: a float32/float64 tensor with a Python number, or with a contiguous
  // tensor of its dtype and shape; the same arithmetic as the general path below, without its broadcasting
  // (or that in place: out is a, the caller having ruled out b reading a's storage)
  if ((out === null || out === a) && (a.dtype === 'float32' || a.dtype === 'float64') && a.isContiguous && a.numel > 0
    && (bt === null ? bKind !== 'bool' : bt.dtype === a.dtype && bt.isContiguous && sameShape(a.shape, bt.shape))) {
    const rec = BINARY[op];
    if ((rec.notFor === undefined || !rec.notFor.includes(a.dtype)) && (out === null || rec.result !== 'bool')) {
      const o = out ?? empty(a.shape, rec.result === 'bool' ? 'bool' : a.dtype);
      const n = a.numel;
      const od = o.data;
      const ad = a.data;
      let bd: Data | Float64Array;
      let bo: number;
      let sb: number;
      if (bt === null) {
        bd = a.dtype === 'float32' ? scalarBuf32 : scalarBuf;
        bd[0] = roundTo(a.dtype, b as number);
        bo = 0;
        sb = 0;
      } else {
        bd = bt.data;
        bo = bt.offset;
        sb = 1;
      }
      const f32 = od instanceof Float32Array && ad instanceof Float32Array && bd instanceof Float32Array && code <= BIN.div;
      if (reverse) {
        if (f32) binLoopF32(code, od as Float32Array, o.offset, 1, bd as Float32Array, bo, sb, ad as Float32Array, a.offset, 1, n);
        else binLoop(code, false, od, o.offset, 1, bd, bo, sb, ad, a.offset, 1, n, false);
      } else if (f32) binLoopF32(code, od as Float32Array, o.offset, 1, ad as Float32Array, a.offset, 1, bd as Float32Array, bo, sb, n);
      else binLoop(code, false, od, o.offset, 1, ad, a.offset, 1, bd, bo, sb, n, false);
      return o;
    }
  }
  const common = commonType(a, bt, bKind);
  const [cdt, rdt] = opTypes(op, common);
  const shape = bt !== null ? broadcastShapes(a.shape, bt.shape) : a.shape.slice();
  let o: Tensor;
  if (out !== null) {
    if (!canCast(rdt, out.dtype)) throw new TorchError(`result type ${pyName(rdt)} can't be cast to the desired output type ${pyName(out.dtype)}`);
    if (!sameShape(shape, out.shape)) throw new TorchError(`output with shape [${out.shape.join(', ')}] doesn't match the broadcast shape [${shape.join(', ')}]`);
    o = out;
  } else o = empty(shape, rdt);
  // operands whose values are not already the computation dtype's are cast first (a float64 0-dim tensor
  // with a float32 tensor: its value rounded to float32, as PyTorch's TensorIterator does)
  const A = exactIn(a.dtype, cdt) ? a : castKernel(a, cdt);
  const B = bt === null ? null : exactIn(bt.dtype, cdt) ? bt : castKernel(bt, cdt);
  if (bt === null) {
    if (isIntegral(cdt) && !Number.isInteger(b as number)) throw new TorchError(`result type Float can't be cast to the desired output type ${pyName(cdt)}`);
    scalarBuf[0] = roundTo(cdt, b as number);
  }
  // a float result stored into an integer output truncates, as PyTorch's cast: compute into a float64
  // temporary first when the output's view would not (int64's double view keeps fractions)
  const direct = !(o.dtype === 'int64' && isFloat(rdt));
  const target = direct ? o : empty(shape, 'float64');
  const int = !isFloat(cdt);
  const i32 = cdt === 'int32';
  const od = target.data;
  const aData = A.data;
  const bData: Data | Float64Array = B === null ? (cdt === 'float32' ? scalarBuf32 : scalarBuf) : B.data;
  if (B === null && cdt === 'float32') scalarBuf32[0] = scalarBuf[0];
  const aStr = broadcastStrides(A, shape);
  const bStr = B === null ? new Array<number>(shape.length).fill(0) : broadcastStrides(B, shape);
  const bOff = B === null ? 0 : B.offset;
  if (reverse) loop3(code, int, i32, shape, od, target.offset, target.strides, bData, bOff, bStr, aData, A.offset, aStr);
  else loop3(code, int, i32, shape, od, target.offset, target.strides, aData, A.offset, aStr, bData, bOff, bStr);
  if (!direct) copyCast(o, target);
  else if (out === null || needsRounding(o.dtype)) roundResult(o);
  return o;
}

// ---------------------------------------------------------------------------------------------------------
// unary

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** erf(x) to double precision (W. J. Cody's rational approximations, as glibc's erf derives from fdlibm's). */
function erf(x: number): number {
  // fdlibm s_erf.c, transcribed
  const ax = Math.abs(x);
  if (x !== x) return x;
  if (ax >= 6) return x > 0 ? 1 : -1;
  if (ax < 0.84375) {
    if (ax < 2 ** -28) return x + 0.128379167095512558561 * x;
    const z = x * x;
    const r = 1.28379167095512558561e-01 + z * (-3.25042107247001499370e-01 + z * (-2.84817495755985104766e-02 + z * (-5.77027029648944159157e-03 + z * -2.37630166566501626084e-05)));
    const s = 1 + z * (3.97917223959155352819e-01 + z * (6.50222499887672944485e-02 + z * (5.08130628187576562776e-03 + z * (1.32494738004321644526e-04 + z * -3.96022827877536812320e-06))));
    return x + x * (r / s);
  }
  if (ax < 1.25) {
    const s = ax - 1;
    const P = -2.36211856075265944077e-03 + s * (4.14856118683748331666e-01 + s * (-3.72207876035701323847e-01 + s * (3.18346619901161753674e-01 + s * (-1.10894694282396677476e-01 + s * (3.54783043256182359371e-02 + s * -2.16637559486879084300e-03)))));
    const Q = 1 + s * (1.06420880400844228286e-01 + s * (5.40397917702171048937e-01 + s * (7.18286544141962662868e-02 + s * (1.26171219808761642112e-01 + s * (1.36370839120290507362e-02 + s * 1.19844998467991074170e-02)))));
    const erx = 8.45062911510467529297e-01;
    return x >= 0 ? erx + P / Q : -erx - P / Q;
  }
  const s = 1 / (ax * ax);
  let R: number;
  let S: number;
  if (ax < 1 / 0.35) {
    R = -9.86494403484714822705e-03 + s * (-6.93858572707181764372e-01 + s * (-1.05586262253232909814e+01 + s * (-6.23753324503260060396e+01 + s * (-1.62396669462573470355e+02 + s * (-1.84605092906711035994e+02 + s * (-8.12874355063065934246e+01 + s * -9.81432934416914548592e+00))))));
    S = 1 + s * (1.96512716674392571292e+01 + s * (1.37657754143519042600e+02 + s * (4.34565877475229228821e+02 + s * (6.45387271733267880336e+02 + s * (4.29008140027567833386e+02 + s * (1.08635005541779435134e+02 + s * (6.57024977031928170135e+00 + s * -6.04244152148580987438e-02)))))));
  } else {
    R = -9.86494292470009928597e-03 + s * (-7.99283237680523006574e-01 + s * (-1.77579549177547519889e+01 + s * (-1.60636384855821916062e+02 + s * (-6.37566443368389627722e+02 + s * (-1.02509513161107724954e+03 + s * -4.83519191608651397019e+02)))));
    S = 1 + s * (3.03380607434824582924e+01 + s * (3.25792512996573918826e+02 + s * (1.53672958608443695994e+03 + s * (3.19985821950859553908e+03 + s * (2.55305040643316442583e+03 + s * (4.74528541206955367215e+02 + s * -2.24409524465858183362e+01))))));
  }
  // z: ax with its low 32 bits cleared, as fdlibm (so exp(-z*z) is exact-ish)
  const f = new Float64Array([ax]);
  new Uint32Array(f.buffer)[0] = 0;
  const z = f[0];
  const r = Math.exp(-z * z - 0.5625) * Math.exp((z - ax) * (z + ax) + R / S);
  return x >= 0 ? 1 - r / ax : r / ax - 1;
}

function unLoop(op: number, o: Data, oi: number, a: Data, ai: number, sa: number, n: number): void {
  switch (op) {
    case UN.neg: for (let i = 0; i < n; i++) o[oi + i] = -a[ai + i * sa]; return;
    case UN.exp: for (let i = 0; i < n; i++) o[oi + i] = Math.exp(a[ai + i * sa]); return;
    case UN.exp2: for (let i = 0; i < n; i++) o[oi + i] = 2 ** a[ai + i * sa]; return;
    case UN.expm1: for (let i = 0; i < n; i++) o[oi + i] = Math.expm1(a[ai + i * sa]); return;
    case UN.log: for (let i = 0; i < n; i++) o[oi + i] = Math.log(a[ai + i * sa]); return;
    case UN.log10: for (let i = 0; i < n; i++) o[oi + i] = Math.log10(a[ai + i * sa]); return;
    case UN.log2: for (let i = 0; i < n; i++) o[oi + i] = Math.log2(a[ai + i * sa]); return;
    case UN.log1p: for (let i = 0; i < n; i++) o[oi + i] = Math.log1p(a[ai + i * sa]); return;
    case UN.tanh: for (let i = 0; i < n; i++) o[oi + i] = Math.tanh(a[ai + i * sa]); return;
    case UN.sqrt: for (let i = 0; i < n; i++) o[oi + i] = Math.sqrt(a[ai + i * sa]); return;
    case UN.rsqrt: for (let i = 0; i < n; i++) o[oi + i] = 1 / Math.sqrt(a[ai + i * sa]); return;
    case UN.abs: for (let i = 0; i < n; i++) o[oi + i] = Math.abs(a[ai + i * sa]); return;
    case UN.reciprocal: for (let i = 0; i < n; i++) o[oi + i] = 1 / a[ai + i * sa]; return;
    case UN.sigmoid: for (let i = 0; i < n; i++) o[oi + i] = 1 / (1 + Math.exp(-a[ai + i * sa])); return;
    case UN.relu: for (let i = 0; i < n; i++) { const x = a[ai + i * sa]; o[oi + i] = x > 0 ? x : x !== x ? x : 0; } return;
    case UN.sin: for (let i = 0; i < n; i++) o[oi + i] = Math.sin(a[ai + i * sa]); return;
    case UN.cos: for (let i = 0; i < n; i++) o[oi + i] = Math.cos(a[ai + i * sa]); return;
    case UN.tan: for (let i = 0; i < n; i++) o[oi + i] = Math.tan(a[ai + i * sa]); return;
    case UN.asin: for (let i = 0; i < n; i++) o[oi + i] = Math.asin(a[ai + i * sa]); return;
    case UN.acos: for (let i = 0; i < n; i++) o[oi + i] = Math.acos(a[ai + i * sa]); return;
    case UN.atan: for (let i = 0; i < n; i++) o[oi + i] = Math.atan(a[ai + i * sa]); return;
    case UN.sinh: for (let i = 0; i < n; i++) o[oi + i] = Math.sinh(a[ai + i * sa]); return;
    case UN.cosh: for (let i = 0; i < n; i++) o[oi + i] = Math.cosh(a[ai + i * sa]); return;
    case UN.asinh: for (let i = 0; i < n; i++) o[oi + i] = Math.asinh(a[ai + i * sa]); return;
    case UN.acosh: for (let i = 0; i < n; i++) o[oi + i] = Math.acosh(a[ai + i * sa]); return;
    case UN.atanh: for (let i = 0; i < n; i++) o[oi + i] = Math.atanh(a[ai + i * sa]); return;
    case UN.erf: for (let i = 0; i < n; i++) o[oi + i] = erf(a[ai + i * sa]); return;
    case UN.sign: for (let i = 0; i < n; i++) { const x = a[ai + i * sa]; o[oi + i] = x > 0 ? 1 : x < 0 ? -1 : x === x ? 0 : x; } return;
    case UN.floor: for (let i = 0; i < n; i++) o[oi + i] = Math.floor(a[ai + i * sa]); return;
    case UN.ceil: for (let i = 0; i < n; i++) o[oi + i] = Math.ceil(a[ai + i * sa]); return;
    case UN.round: for (let i = 0; i < n; i++) o[oi + i] = roundHalfEven(a[ai + i * sa]); return;
    case UN.trunc: for (let i = 0; i < n; i++) o[oi + i] = Math.trunc(a[ai + i * sa]); return;
    case UN.frac: for (let i = 0; i < n; i++) { const x = a[ai + i * sa]; o[oi + i] = x - Math.trunc(x); } return;
    case UN.logical_not: for (let i = 0; i < n; i++) o[oi + i] = a[ai + i * sa] === 0 ? 1 : 0; return;
    case UN.bitwise_not: for (let i = 0; i < n; i++) o[oi + i] = -a[ai + i * sa] - 1; return;
    case UN.square: for (let i = 0; i < n; i++) { const x = a[ai + i * sa]; o[oi + i] = x * x; } return;
    case UN.isnan: for (let i = 0; i < n; i++) { const x = a[ai + i * sa]; o[oi + i] = x !== x ? 1 : 0; } return;
    case UN.isinf: for (let i = 0; i < n; i++) { const x = a[ai + i * sa]; o[oi + i] = x === Infinity || x === -Infinity ? 1 : 0; } return;
    case UN.isfinite: for (let i = 0; i < n; i++) o[oi + i] = Number.isFinite(a[ai + i * sa]) ? 1 : 0; return;
    default: throw new Error(`internal error: unary op code ${op}`);
  }
}

/** The result dtype of a unary op on dtype d (optable.ts: floating ops on integers give float32). */
export function unaryResultType(op: UnaryOp, d: DType): DType {
  const r = UNARY[op];
  if (r.notFor?.includes(d) || r.refuse?.[d] !== undefined) throw notImplemented(r, d);
  if (r.result === 'bool') return 'bool';
  if (r.result === 'float') return isFloat(d) ? d : 'float32';
  if (d === 'bool') return r.boolTo ?? 'int64';
  return d;
}

/** y = f(x) elementwise, a new contiguous tensor. */
export function unaryKernel(op: UnaryOp, x: Tensor): Tensor {
  const code = UN[op];
  const rdt = unaryResultType(op, x.dtype);
  // inputs compute in the result's float dtype when the op is floating (int64 -> float32 values first)
  const X = UNARY[op].result === 'float' && !exactIn(x.dtype, rdt) ? castKernel(x, rdt) : x;
  const y = empty(x.shape, rdt);
  const yd = y.data;
  const xd = X.data;
  if (code === UN.bitwise_not && x.dtype === 'bool') {
    // ~True is False: logical not on bools
    unLoopRows(UN.logical_not, X, yd, y.offset, xd);
  } else if (code === UN.tanh && X.dtype === 'float32' && X.isContiguous && y.numel >= 16 && wasm() !== null) {
    wasm()!.tanhF32(y.offset * 4, X.offset * 4, y.numel);
  } else if (code === UN.exp && X.dtype === 'float32' && X.isContiguous && y.numel >= 16 && wasm() !== null) {
    wasm()!.expF32(y.offset * 4, X.offset * 4, y.numel); // Math.exp's bits (the same code, test/torch/exp.test.ts)
  } else if (code === UN.tanh && X.dtype === 'float32' && X.isContiguous) {
    const o = yd as Float32Array;
    const a = xd as Float32Array;
    const d = X.offset - y.offset;
    for (let i = y.offset, end = y.offset + y.numel; i < end; i++) o[i] = tanhF32(a[i + d]);
  } else unLoopRows(code, X, yd, y.offset, xd);
  roundResult(y);
  return y;
}

function unLoopRows(code: number, X: Tensor, yd: Data, yOff: number, xd: Data): void {
  if (X.isContiguous) {
    unLoop(code, yd, yOff, xd, X.offset, 1, X.numel);
    return;
  }
  const nd = X.ndim;
  const n = X.shape[nd - 1];
  const s = X.strides[nd - 1];
  forEachRow(X.shape, X.strides, X.offset, (off, row) => unLoop(code, yd, yOff + row * n, xd, off, s, n));
}

// ---------------------------------------------------------------------------------------------------------
// copies, casts, fill

/** dst[...] = src[...] (same shape, or src broadcast to dst), converted to dst's dtype as PyTorch's copy_. */
export function copyCast(dst: Tensor, src: Tensor): void {
  const shape = dst.shape;
  const sStr = broadcastStrides(src, shape);
  const [sh, [ds, ss]] = collapse(shape, [dst.strides, sStr]);
  const d = dst.data;
  const s = src.data;
  const nd = sh.length;
  const round = needsRounding(dst.dtype) || (isIntegral(dst.dtype) && isFloat(src.dtype));
  const dt = dst.dtype;
  if (nd <= 1 && !round && (dst.storage !== src.storage || nd === 0 || (ds[0] === 1 && ss[0] === 1))) {
    const n = nd === 0 ? 1 : sh[0];
    const so = nd === 0 ? 0 : ds[0];
    const si = nd === 0 ? 0 : ss[0];
    if (so === 1 && si === 1 && d === s) {
      d.copyWithin(dst.offset, src.offset, src.offset + n); // same view: a memmove (overlap-safe)
      return;
    }
    if (so === 1 && si === 1 && d.constructor === s.constructor) {
      d.set(s.subarray(src.offset, src.offset + n) as never, dst.offset);
      return;
    }
    // a copy reads through x - 0 semantics: the value itself (-0 stays -0)
    for (let i = 0; i < n; i++) d[dst.offset + i * so] = s[src.offset + i * si];
    return;
  }
  const n = nd === 0 ? 1 : sh[nd - 1];
  const so = nd === 0 ? 0 : ds[nd - 1];
  const si = nd === 0 ? 0 : ss[nd - 1];
  // overlapping source and destination (x[1:] = x[:-1]): read everything first
  const from = dst.storage === src.storage ? valuesCopy(s, src, shape) : null;
  if (from === null && !round && so === 1 && si === 1 && d.constructor === s.constructor) {
    // rows of the same representation, each contiguous on both sides (cat, a slice's copy): a block copy a row
    forEachRowN(sh, [ds, ss], [dst.offset, src.offset], (o) => d.set(s.subarray(o[1], o[1] + n) as never, o[0]));
    return;
  }
  let k = 0;
  forEachRowN(sh, [ds, ss], [dst.offset, src.offset], (o) => {
    const oo = o[0];
    const sOff = o[1];
    for (let i = 0; i < n; i++) {
      const v = from !== null ? from[k++] : s[sOff + i * si];
      d[oo + i * so] = round ? roundTo(dt, v) : v;
    }
  });
}

/** src's values broadcast to `shape`, in row-major order, copied out (for overlapping copies). */
function valuesCopy(s: Data, src: Tensor, shape: readonly number[]): Float64Array {
  const str = broadcastStrides(src, shape);
  const out = new Float64Array(numelOf(shape));
  const nd = shape.length;
  if (nd === 0) {
    out[0] = s[src.offset];
    return out;
  }
  const n = shape[nd - 1];
  const st = str[nd - 1];
  forEachRow(shape, str, src.offset, (off, row) => {
    for (let i = 0; i < n; i++) out[row * n + i] = s[off + i * st];
  });
  return out;
}

/** A contiguous copy of x in dtype `dt` (no autograd). */
export function castKernel(x: Tensor, dt: DType): Tensor {
  const y = empty(x.shape, dt);
  copyCast(y, x);
  return y;
}

/** Fills dst's elements (any strides) with a number, rounded to dst's dtype. */
export function fillKernel(dst: Tensor, x: number): void {
  const v = roundTo(dst.dtype, x);
  const d = dst.data;
  if (dst.isContiguous) {
    d.fill(v, dst.offset, dst.offset + dst.numel);
    return;
  }
  const nd = dst.ndim;
  const n = dst.shape[nd - 1];
  const s = dst.strides[nd - 1];
  forEachRow(dst.shape, dst.strides, dst.offset, (off) => {
    for (let i = 0; i < n; i++) d[off + i * s] = v;
  });
}

/** where(cond, a, b) broadcast, into a new tensor of dtype rdt (a and b already of rdt's values or castable). */
export function whereKernel(cond: Tensor, a: Tensor, b: Tensor, rdt: DType): Tensor {
  const shape = broadcastShapes(broadcastShapes(cond.shape, a.shape), b.shape);
  const A = a.dtype === rdt ? a : castKernel(a, rdt);
  const B = b.dtype === rdt ? b : castKernel(b, rdt);
  const y = empty(shape, rdt);
  const [sh, [ys, cs, as, bs]] = collapse(shape, [y.strides, broadcastStrides(cond, shape), broadcastStrides(A, shape), broadcastStrides(B, shape)]);
  const yd = y.data;
  const cd = cond.data;
  const ad = A.data;
  const bd = B.data;
  const nd = sh.length;
  const n = nd === 0 ? 1 : sh[nd - 1];
  const [so, sc, sa, sb] = nd === 0 ? [0, 0, 0, 0] : [ys[nd - 1], cs[nd - 1], as[nd - 1], bs[nd - 1]];
  forEachRowN(sh, [ys, cs, as, bs], [y.offset, cond.offset, A.offset, B.offset], (o) => {
    const [oo, co, ao, bo] = o;
    for (let i = 0; i < n; i++) yd[oo + i * so] = cd[co + i * sc] !== 0 ? ad[ao + i * sa] : bd[bo + i * sb];
  });
  return y;
}

/** clamp(x, lo, hi) into a new tensor of dtype rdt (NaN stays NaN; the bounds already rounded to rdt). */
export function clampKernel(x: Tensor, lo: number, hi: number, rdt: DType): Tensor {
  const X = x.dtype === rdt ? x : castKernel(x, rdt);
  const y = empty(x.shape, rdt);
  const yd = y.data;
  const xd = X.data;
  const nd = X.ndim;
  const n = nd === 0 ? 1 : X.shape[nd - 1];
  const s = nd === 0 ? 0 : X.strides[nd - 1];
  forEachRow(nd === 0 ? [1] : X.shape, nd === 0 ? [0] : X.strides, X.offset, (off, row) => {
    for (let i = 0; i < n; i++) {
      const v = xd[off + i * s];
      yd[y.offset + row * n + i] = v !== v ? v : v < lo ? lo : v > hi ? hi : v;
    }
  });
  return y;
}

export { DTYPES };
