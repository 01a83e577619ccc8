// Elementwise ops: binary (with PyTorch's broadcasting and type promotion), with a Python scalar, unary,
// clamp, where. Each op is a forward kernel plus its backward node right below (formulas of PyTorch's
// tools/autograd/derivatives.yaml, operand order kept, every intermediate rounded as a tensor would be).
//
// Kernels: one loop per op over rows of the broadcast output (the last dimension innermost, any strides),
// the op chosen by a switch outside the inner loop; a same-shape contiguous pair is one flat loop.

import { Node, needsGrad, record, save, type Grads, type Saved } from './autograd.js';
import { canCast, pyName, resultType, type ScalarKind } from './dtype.js';
import {
  INT64_LIMIT, TorchError, alloc, contiguousStrides, empty, int64Overflow, isFloat, numelOf, roundTo,
  type DType, type Data, type Tensor,
} from './tensor.js';
import { castTo, expandTo, sumTo, unsqueezeDims, zerosLike } from './views.js';
import { sumDims } from './reduce.js';
import { SCRATCH_CHUNK, SCRATCH_MIN_ELEMS, scratchKernels, scratchLayout } from '../wasm/scratch.js';
import { tanhF32 } from './tanh32.js';

export type BinaryOp =
  | 'add' | 'sub' | 'mul' | 'div' | 'floor_divide' | 'remainder' | 'pow'
  | 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'maximum' | 'minimum'
  | 'logical_and' | 'logical_or' | 'bitwise_and' | 'bitwise_or' | 'bitwise_xor';

const OP: Record<BinaryOp, number> = {
  add: 0, sub: 1, mul: 2, div: 3, floor_divide: 4, remainder: 5, pow: 6,
  eq: 7, ne: 8, lt: 9, le: 10, gt: 11, ge: 12, maximum: 13, minimum: 14,
  logical_and: 15, logical_or: 16, bitwise_and: 17, bitwise_or: 18, bitwise_xor: 19,
};
const isCompare = (op: number): boolean => op >= 7 && op <= 12;

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

/** o[oi + i*so] = a[ai + i*sa] (op) b[bi + i*sb] for i < n. Stores round to o's dtype. */
function binLoop(op: number, intDiv: boolean, o: Data, oi: number, so: number, a: Data, ai: number, sa: number, b: Data, bi: number, sb: number, n: number): void {
  switch (op) {
    case 0: for (let i = 0; i < n; i++) o[oi + i * so] = a[ai + i * sa] + b[bi + i * sb]; return;
    case 1: for (let i = 0; i < n; i++) o[oi + i * so] = a[ai + i * sa] - b[bi + i * sb]; return;
    case 2: for (let i = 0; i < n; i++) o[oi + i * so] = a[ai + i * sa] * b[bi + i * sb]; return;
    case 3: for (let i = 0; i < n; i++) o[oi + i * so] = a[ai + i * sa] / b[bi + i * sb]; return;
    case 4:
      if (intDiv) {
        for (let i = 0; i < n; i++) {
          const y = b[bi + i * sb];
          if (y === 0) throw new TorchError('ZeroDivisionError');
          o[oi + i * so] = Math.floor(a[ai + i * sa] / y);
        }
      } else for (let i = 0; i < n; i++) o[oi + i * so] = floorDiv(a[ai + i * sa], b[bi + i * sb]);
      return;
    case 5:
      if (intDiv) {
        for (let i = 0; i < n; i++) {
          const y = b[bi + i * sb];
          if (y === 0) throw new TorchError('ZeroDivisionError');
          o[oi + i * so] = floorMod(a[ai + i * sa], y);
        }
      } else for (let i = 0; i < n; i++) o[oi + i * so] = floorMod(a[ai + i * sa], b[bi + i * sb]);
      return;
    case 6:
      for (let i = 0; i < n; i++) {
        const x = a[ai + i * sa];
        const y = b[bi + i * sb];
        o[oi + i * so] = y === 2 ? x * x : Math.pow(x, y);
      }
      return;
    case 7: for (let i = 0; i < n; i++) o[oi + i * so] = a[ai + i * sa] === b[bi + i * sb] ? 1 : 0; return;
    case 8: for (let i = 0; i < n; i++) o[oi + i * so] = a[ai + i * sa] !== b[bi + i * sb] ? 1 : 0; return;
    case 9: for (let i = 0; i < n; i++) o[oi + i * so] = a[ai + i * sa] < b[bi + i * sb] ? 1 : 0; return;
    case 10: for (let i = 0; i < n; i++) o[oi + i * so] = a[ai + i * sa] <= b[bi + i * sb] ? 1 : 0; return;
    case 11: for (let i = 0; i < n; i++) o[oi + i * so] = a[ai + i * sa] > b[bi + i * sb] ? 1 : 0; return;
    case 12: for (let i = 0; i < n; i++) o[oi + i * so] = a[ai + i * sa] >= b[bi + i * sb] ? 1 : 0; return;
    case 13:
      for (let i = 0; i < n; i++) {
        const x = a[ai + i * sa];
        const y = b[bi + i * sb];
        o[oi + i * so] = x !== x || y !== y ? NaN : x > y ? x : y;
      }
      return;
    case 14:
      for (let i = 0; i < n; i++) {
        const x = a[ai + i * sa];
        const y = b[bi + i * sb];
        o[oi + i * so] = x !== x || y !== y ? NaN : x < y ? x : y;
      }
      return;
    case 15: for (let i = 0; i < n; i++) o[oi + i * so] = a[ai + i * sa] !== 0 && b[bi + i * sb] !== 0 ? 1 : 0; return;
    case 16: for (let i = 0; i < n; i++) o[oi + i * so] = a[ai + i * sa] !== 0 || b[bi + i * sb] !== 0 ? 1 : 0; return;
    case 17: for (let i = 0; i < n; i++) o[oi + i * so] = Number(BigInt(a[ai + i * sa]) & BigInt(b[bi + i * sb])); return;
    case 18: for (let i = 0; i < n; i++) o[oi + i * so] = Number(BigInt(a[ai + i * sa]) | BigInt(b[bi + i * sb])); return;
    case 19: for (let i = 0; i < n; i++) o[oi + i * so] = Number(BigInt(a[ai + i * sa]) ^ BigInt(b[bi + i * sb])); return;
  }
}

/**
 * binLoop for float32 operands and output only (the arithmetic ops): the same loops with monomorphic
 * Float32Array accesses, which V8 compiles much tighter than the loops shared by every dtype.
 */
function binLoopF32(op: number, o: Float32Array, oi: number, so: number, a: Float32Array, ai: number, sa: number, b: Float32Array, bi: number, sb: number, n: number): boolean {
  if (so === 1 && sa === 1 && (sb === 1 || sb === 0)) {
    // the common layouts: contiguous, or contiguous with a scalar (or a broadcast value along the row)
    const oEnd = oi + n;
    const d = ai - oi;
    if (sb === 0) {
      const y = b[bi];
      switch (op) {
        case 0: for (let i = oi; i < oEnd; i++) o[i] = a[i + d] + y; return true;
        case 1: for (let i = oi; i < oEnd; i++) o[i] = a[i + d] - y; return true;
        case 2: for (let i = oi; i < oEnd; i++) o[i] = a[i + d] * y; return true;
        case 3: for (let i = oi; i < oEnd; i++) o[i] = a[i + d] / y; return true;
        default: return false;
      }
    }
    const e = bi - oi;
    switch (op) {
      case 0: for (let i = oi; i < oEnd; i++) o[i] = a[i + d] + b[i + e]; return true;
      case 1: for (let i = oi; i < oEnd; i++) o[i] = a[i + d] - b[i + e]; return true;
      case 2: for (let i = oi; i < oEnd; i++) o[i] = a[i + d] * b[i + e]; return true;
      case 3: for (let i = oi; i < oEnd; i++) o[i] = a[i + d] / b[i + e]; return true;
      default: return false;
    }
  }
  switch (op) {
    case 0: for (let i = 0; i < n; i++) o[oi + i * so] = a[ai + i * sa] + b[bi + i * sb]; return true;
    case 1: for (let i = 0; i < n; i++) o[oi + i * so] = a[ai + i * sa] - b[bi + i * sb]; return true;
    case 2: for (let i = 0; i < n; i++) o[oi + i * so] = a[ai + i * sa] * b[bi + i * sb]; return true;
    case 3: for (let i = 0; i < n; i++) o[oi + i * so] = a[ai + i * sa] / b[bi + i * sb]; return true;
    default: return false;
  }
}

/** binLoop, through the float32 loops when every array is a Float32Array. */
function binLoopAny(op: number, intDiv: boolean, o: Data, oi: number, so: number, a: Data, ai: number, sa: number, b: Data, bi: number, sb: number, n: number): void {
  if (o instanceof Float32Array && a instanceof Float32Array && b instanceof Float32Array && binLoopF32(op, o, oi, so, a, ai, sa, b, bi, sb, n)) return;
  binLoop(op, intDiv, o, oi, so, a, ai, sa, b, bi, sb, n);
}

const scalarBuf32 = new Float32Array(1);

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

/** Runs binLoop over every row of `shape`, for operands and output with arbitrary strides. */
function loop3(op: number, intDiv: boolean, shape: readonly number[],
  o: Data, oOff: number, oStr: readonly number[],
  a: Data, aOff: number, aStr: readonly number[],
  b: Data, bOff: number, bStr: readonly number[]): void {
  const nd = shape.length;
  if (nd === 0) {
    binLoopAny(op, intDiv, o, oOff, 0, a, aOff, 0, b, bOff, 0, 1);
    return;
  }
  const n = shape[nd - 1];
  let rows = 1;
  for (let d = 0; d < nd - 1; d++) rows *= shape[d];
  if (rows === 0 || n === 0) return;
  const so = oStr[nd - 1];
  const sa = aStr[nd - 1];
  const sb = bStr[nd - 1];
  if (nd === 1) {
    binLoopAny(op, intDiv, o, oOff, so, a, aOff, sa, b, bOff, sb, n);
    return;
  }
  if (nd === 2) {
    for (let r = 0; r < rows; r++) binLoopAny(op, intDiv, o, oOff + r * oStr[0], so, a, aOff + r * aStr[0], sa, b, bOff + r * bStr[0], sb, n);
    return;
  }
  const idx = new Int32Array(nd - 1);
  let oo = oOff;
  let ao = aOff;
  let bo = bOff;
  for (let r = 0; r < rows; r++) {
    binLoopAny(op, intDiv, o, oo, so, a, ao, sa, b, bo, sb, n);
    for (let d = nd - 2; d >= 0; d--) {
      idx[d]++;
      oo += oStr[d];
      ao += aStr[d];
      bo += bStr[d];
      if (idx[d] < shape[d]) break;
      oo -= oStr[d] * shape[d];
      ao -= aStr[d] * shape[d];
      bo -= bStr[d] * shape[d];
      idx[d] = 0;
    }
  }
}

function checkInt64(o: Data, n: number): void {
  for (let i = 0; i < n; i++) if (!(Math.abs(o[i]) <= INT64_LIMIT)) throw int64Overflow(o[i]);
}

/** The dtype the op computes in, and the dtype of its result. */
function opTypes(op: number, common: DType): [DType, DType] {
  if (isCompare(op) || op === 15 || op === 16) return [common, 'bool'];
  if (op === 3 && !isFloat(common)) return ['float32', 'float32'];
  if (op === 6 && common === 'bool') return ['int64', 'int64'];
  if ((op === 0 || op === 1) && common === 'bool') {
    if (op === 1) throw new TorchError('Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.');
    return ['bool', 'bool'];
  }
  return [common, common];
}

/** Reads t as dtype `to`: itself, or a rounded copy when int64/float64 values compute in float32. */
function operandAs(t: Tensor, to: DType): Tensor {
  if (t.dtype !== to && to === 'float32' && (t.dtype === 'int64' || t.dtype === 'float64')) return castTo(t, to);
  return t;
}

const scalarBuf = new Float64Array(1);

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

/**
 * a (op) b for float32 + - * / in wasm SIMD (assembly/kernels.ts binaryF32) when the layout is one that
 * kernel takes: contiguous operands of one shape, a Python number (rounded to float32 first, as below), or
 * a row broadcast over a contiguous tensor ([R, C] with [C] or [1, C], either side). f32x4 arithmetic is
 * IEEE single, so the bits are the JS loops'. Null when the layout is another, the tensor small, or wasm
 * missing: the caller's loops run.
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
  if (n < SCRATCH_MIN_ELEMS) return null;
  if (out !== null && (out.dtype !== 'float32' || !out.isContiguous || !sameShape(out.shape, shape))) return null;
  const k = scratchKernels();
  if (k === null) return null;
  // in pieces of whole rows (a row is c elements in the row modes, 1 otherwise) of about SCRATCH_CHUNK
  const row = mode >= 3 ? c : 1;
  const piece = Math.max(row, SCRATCH_CHUNK - (SCRATCH_CHUNK % row));
  // what each operand contributes to a piece: a range of it (full), its row (row), or the number (scalar)
  const fullX = mode === 0 || mode === 1 || mode === 3;
  const fullY = mode === 0 || mode === 2 || mode === 4;
  const xLen = x === null ? 1 : fullX ? Math.min(piece, n) : x.numel;
  const yLen = y === null ? 1 : fullY ? Math.min(piece, n) : y.numel;
  const [px, py, po] = scratchLayout(k, xLen * 4, yLen * 4, Math.min(piece, n) * 4);
  const buf = k.memory.buffer;
  const put = (p: number, t: Tensor | null, from: number, len: number): void => {
    const v = new Float32Array(buf, p, len);
    if (t === null) v[0] = Math.fround(b as number);
    else v.set((t.data as Float32Array).subarray(t.offset + from, t.offset + from + len));
  };
  if (!fullX) put(px, x, 0, xLen);
  if (!fullY) put(py, y, 0, yLen);
  const o = out ?? empty(shape, 'float32');
  const od = o.data as Float32Array;
  for (let at = 0; at < n; at += piece) {
    const len = Math.min(piece, n - at);
    if (fullX) put(px, x, at, len);
    if (fullY) put(py, y, at, len);
    k.binaryF32(po, px, py, len, c, code, mode);
    od.set(new Float32Array(buf, po, len), o.offset + at);
  }
  return o;
}

/**
 * The forward kernel: out = a (op) b, broadcast. `b` may be a Python number (bKind given), which takes
 * part in promotion as a weak scalar and is rounded to the computation dtype first. `out` (optional)
 * receives the result in place (its dtype must accept it).
 */
export function binaryKernel(op: BinaryOp, a: Tensor, b: Tensor | number, bKind: ScalarKind, reverse: boolean, out: Tensor | null): Tensor {
  const code = OP[op];
  const bt = typeof b === 'number' ? null : b;
  if (a.dtype === 'float32' && (code <= 3 || (code === 6 && b === 2 && !reverse))) {
    // x ** 2 is x * x here (binLoop's pow), and so in wasm
    const r = code === 6 ? binaryF32Wasm(2, a, a, false, out) : binaryF32Wasm(code, a, b, reverse, out);
    if (r !== null) return r;
  }
  // fast paths (most of a training step): a float tensor with a Python number, or with a tensor of its
  // dtype and shape, all contiguous; same arithmetic as the general path below
  if (isFloat(a.dtype) && a.isContiguous && code <= 16 && !(code === 6 && bt === null)) {
    const n = a.numel;
    const rdt: DType = isCompare(code) || code === 15 || code === 16 ? 'bool' : a.dtype;
    if (bt === null) {
      if (out === null || (out === a && rdt === a.dtype)) {
        const o = out ?? empty(a.shape, rdt);
        const sb: Data = a.dtype === 'float32' ? scalarBuf32 : scalarBuf;
        sb[0] = roundTo(a.dtype, b as number);
        if (reverse) binLoopAny(code, false, o.data, o.offset, 1, sb, 0, 0, a.data, a.offset, 1, n);
        else binLoopAny(code, false, o.data, o.offset, 1, a.data, a.offset, 1, sb, 0, 0, n);
        return o;
      }
    } else if (bt.dtype === a.dtype && bt.isContiguous && sameShape(a.shape, bt.shape) && (out === null || (out === a && rdt === a.dtype))) {
      const o = out ?? empty(a.shape, rdt);
      if (reverse) binLoopAny(code, false, o.data, o.offset, 1, bt.data, bt.offset, 1, a.data, a.offset, 1, n);
      else binLoopAny(code, false, o.data, o.offset, 1, a.data, a.offset, 1, bt.data, bt.offset, 1, n);
      return o;
    }
  }
  const common = bt !== null
    ? resultType([{ dtype: a.dtype, group: a.ndim === 0 ? 1 : 0 }, { dtype: bt.dtype, group: bt.ndim === 0 ? 1 : 0 }])
    : resultType([{ dtype: a.dtype, group: a.ndim === 0 ? 1 : 0 }, { dtype: bKind === 'bool' ? 'bool' : bKind === 'int' ? 'int64' : 'float64', group: 2 }]);
  const [cdt, rdt] = opTypes(code, common);
  if ((code >= 17 && code <= 19) && isFloat(cdt)) throw new TorchError(`"bitwise_${op.slice(8)}_cpu" not implemented for '${pyName[cdt]}'`);
  const shape = bt !== null ? broadcastShapes(a.shape, bt.shape) : a.shape;
  const A = operandAs(a, cdt);
  let bData: Data;
  let bOff: number;
  let bStr: readonly number[];
  if (bt === null) {
    if (cdt === 'int64' && !Number.isInteger(b as number)) throw new TorchError('result type Float can\'t be cast to the desired output type Long');
    scalarBuf[0] = roundTo(cdt, b as number);
    bData = scalarBuf;
    bOff = 0;
    bStr = new Array<number>(shape.length).fill(0);
  } else {
    const B = operandAs(bt, cdt);
    bData = B.data;
    bOff = B.offset;
    bStr = broadcastStrides(B, shape);
  }
  let o: Tensor;
  if (out !== null) {
    if (!canCast(rdt, out.dtype)) throw new TorchError(`result type ${pyName[rdt]} can't be cast to the desired output type ${pyName[out.dtype]}`);
    if (shape.length !== out.shape.length || shape.some((d, i) => d !== out.shape[i])) {
      throw new TorchError(`output with shape [${out.shape.join(', ')}] doesn't match the broadcast shape [${shape.join(', ')}]`);
    }
    o = out;
  } else o = empty(shape, rdt);
  const intDiv = !isFloat(cdt);
  let aData = A.data;
  let aOff = A.offset;
  let aStr: readonly number[] = broadcastStrides(A, shape);
  if (reverse) {
    const t1 = aData; aData = bData; bData = t1;
    const t2 = aOff; aOff = bOff; bOff = t2;
    const t3 = aStr; aStr = bStr; bStr = t3;
  }
  const rdtOut = o.dtype;
  if (rdtOut === 'int64' && !intDiv) {
    // a float result written into an int64 tensor truncates, as PyTorch's cast
    const tmp = empty(shape, 'float64');
    loop3(code, intDiv, shape, tmp.data, 0, tmp.strides, aData, aOff, aStr, bData, bOff, bStr);
    copyCast(o, tmp);
    return o;
  }
  if (out === null && o.numel > 0 && sameContig(aStr, shape) && sameContig(bStr, shape)) {
    binLoop(code, intDiv, o.data, 0, 1, aData, aOff, 1, bData, bOff, 1, o.numel);
  } else if (out === null && o.numel > 0 && sameContig(aStr, shape) && bStr.every((s) => s === 0)) {
    binLoop(code, intDiv, o.data, 0, 1, aData, aOff, 1, bData, bOff, 0, o.numel);
  } else {
    loop3(code, intDiv, shape, o.data, o.offset, o.strides, aData, aOff, aStr, bData, bOff, bStr);
  }
  if (rdtOut === 'int64' && out === null) checkInt64(o.data, o.numel);
  return o;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameContig(str: readonly number[], shape: readonly number[]): boolean {
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] !== 1 && str[i] !== acc) return false;
    acc *= shape[i];
  }
  return true;
}

/** dst[...] = src[...] (same shape, or src broadcast to dst), casting to dst's dtype. */
export function copyCast(dst: Tensor, src: Tensor): void {
  const shape = dst.shape;
  const sStr = broadcastStrides(src, shape);
  if (dst.dtype === 'int64' && isFloat(src.dtype)) {
    const tmp = empty(shape, 'float64');
    loop3(1, false, shape, tmp.data, 0, tmp.strides, src.data, src.offset, sStr, scalarZero, 0, new Array<number>(shape.length).fill(0));
    for (let i = 0; i < tmp.numel; i++) tmp.data[i] = roundTo('int64', tmp.data[i]);
    loop3(1, false, shape, dst.data, dst.offset, dst.strides, tmp.data, 0, tmp.strides, scalarZero, 0, new Array<number>(shape.length).fill(0));
    return;
  }
  if (dst.dtype === 'bool' && src.dtype !== 'bool') {
    loop3(8, false, shape, dst.data, dst.offset, dst.strides, src.data, src.offset, sStr, scalarZero, 0, new Array<number>(shape.length).fill(0));
    return;
  }
  loop3(1, false, shape, dst.data, dst.offset, dst.strides, src.data, src.offset, sStr, scalarZero, 0, new Array<number>(shape.length).fill(0));
}
// copies run as x - 0 (op 1), which is x for every x; x + 0 would turn -0 into 0
const scalarZero = new Float64Array(1);

/** Fills dst's elements (any strides) with a number, rounded to dst's dtype. */
export function fillKernel(dst: Tensor, x: number): void {
  const v = roundTo(dst.dtype, x);
  if (dst.isContiguous) {
    dst.data.fill(v, dst.offset, dst.offset + dst.numel);
    return;
  }
  const z = new Float64Array([v]);
  loop3(1, false, dst.shape, dst.data, dst.offset, dst.strides, z, 0, new Array<number>(dst.ndim).fill(0), scalarZero, 0, new Array<number>(dst.ndim).fill(0));
}

// ---------------------------------------------------------------------------------------------------------
// binary ops with autograd

const DIFF: Partial<Record<BinaryOp, string>> = { remainder: 'RemainderBackward1', add: 'AddBackward0', sub: 'SubBackward0', mul: 'MulBackward0', div: 'DivBackward0', pow: 'PowBackward1', maximum: 'MaximumBackward0', minimum: 'MinimumBackward0' };

/** z = a (op) b for two tensors; shapes (broadcast). */
export function binary(op: BinaryOp, a: Tensor, b: Tensor): Tensor {
  const z = binaryKernel(op, a, b, 'float', false, null);
  if (needsGrad(a, b) && isFloat(z.dtype)) {
    const name = DIFF[op];
    if (name === undefined) return z; // floor_divide, comparisons: not differentiable
    record(z, new BinaryBackward(name, op, a, b, z), [a, b]);
  }
  return z;
}

class BinaryBackward extends Node {
  private readonly sa: Saved | null;
  private readonly sb: Saved | null;
  private readonly sz: Saved | null;
  private readonly aDtype: DType;
  private readonly bDtype: DType;
  constructor(readonly name: string, private readonly op: BinaryOp, a: Tensor, b: Tensor, z: Tensor) {
    super();
    const needA = op === 'remainder' || op === 'mul' || op === 'div' || op === 'pow' || op === 'maximum' || op === 'minimum';
    const needB = op === 'remainder' || op === 'mul' || op === 'div' || op === 'pow' || op === 'maximum' || op === 'minimum';
    this.sa = needA ? save(a) : null;
    this.sb = needB ? save(b) : null;
    this.sz = op === 'pow' ? save(z, name) : null;
    this.aDtype = a.dtype;
    this.bDtype = b.dtype;
  }
  apply(g: Tensor): Grads {
    const wa = this.next[0] !== null;
    const wb = this.next[1] !== null;
    switch (this.op) {
      // d(a + b) = da + db
      case 'add': return [wa ? g : null, wb ? g : null];
      // d(a - b) = da - db
      case 'sub': return [wa ? g : null, wb ? neg(g) : null];
      // remainder(a, b) = a - b floor(a / b): self: grad; other: -grad * self.div(other, rounding_mode='floor')
      case 'remainder': {
        const a = this.sa!.get(this);
        const b = this.sb!.get(this);
        return [wa ? g : null, wb ? binary('mul', neg(g), unary('floor', binary('div', a, b))) : null];
      }
      // d(a b) = b da + a db: self: grad * other; other: grad * self
      case 'mul': {
        const a = this.sa!.get(this);
        const b = this.sb!.get(this);
        return [wa ? asType(binary('mul', g, b), this.aDtype) : null, wb ? asType(binary('mul', g, a), this.bDtype) : null];
      }
      // d(a / b) = da / b - a / b^2 db: self: grad / other; other: -grad * ((self / other) / other)
      case 'div': {
        const a = this.sa!.get(this);
        const b = this.sb!.get(this);
        return [
          wa ? binary('div', g, b) : null,
          wb ? binary('mul', neg(g), binary('div', binary('div', a, b), b)) : null,
        ];
      }
      // d(a^b) = b a^(b-1) da + a^b log(a) db
      case 'pow': {
        const a = this.sa!.get(this);
        const b = this.sb!.get(this);
        const z = this.sz!.get(this);
        let ga: Tensor | null = null;
        let gb: Tensor | null = null;
        if (wa) {
          // pow_backward_self: where(exponent == 0, 0, grad * (exponent * pow(self, exponent - 1)))
          const t = binary('mul', g, binary('mul', b, binary('pow', a, binaryScalar('sub', b, 1, 'int'))));
          ga = where(binaryScalar('eq', b, 0, 'int'), zerosLike(t), t);
        }
        if (wb) {
          // pow_backward_exponent: grad * where(self == 0 & exponent >= 0, 0, result * log(self))
          const cond = binary('logical_and', binaryScalar('eq', a, 0, 'int'), binaryScalar('ge', b, 0, 'int'));
          const rl = binary('mul', z, unary('log', a));
          gb = binary('mul', g, where(cond, zerosLike(rl), rl));
        }
        return [ga, gb];
      }
      // maximum: grad where a > b, half where equal (masked_fill(grad * (self >= other)) - ... ) PyTorch 1.13:
      // self: at::where(self == other, grad / 2, grad).masked_fill_(self < other, 0)
      case 'maximum':
      case 'minimum': {
        const a = this.sa!.get(this);
        const b = this.sb!.get(this);
        const lose = this.op === 'maximum' ? 'lt' : 'gt';
        const win = this.op === 'maximum' ? 'gt' : 'lt';
        const half = binaryScalar('div', g, 2, 'int');
        const eq = binary('eq', a, b);
        const ga = where(binary(lose, a, b), zerosLike(g), where(eq, half, g));
        const gb = where(binary(win, a, b), zerosLike(g), where(eq, half, g));
        return [wa ? ga : null, wb ? gb : null];
      }
      default: return [null, null];
    }
  }
}

function asType(t: Tensor, d: DType): Tensor {
  return t.dtype === d || !isFloat(d) ? t : castTo(t, d);
}

// ---------------------------------------------------------------------------------------------------------
// with a Python number

const SCALAR_DIFF: Partial<Record<BinaryOp, string>> = { remainder: 'RemainderBackward0', add: 'AddBackward0', sub: 'SubBackward0', mul: 'MulBackward0', div: 'DivBackward0', pow: 'PowBackward0' };

/**
 * z = a (op) x, or x (op) a when `reverse`, for a Python number x of kind `kind` (weak in promotion).
 * Reverse forms follow torch/_tensor.py: `x - a` is rsub (RsubBackward1), `x / a` is a.reciprocal() * x,
 * `x ** a` is pow(x, a) (PowBackward1 with a wrapped x).
 */
export function binaryScalar(op: BinaryOp, a: Tensor, x: number, kind: ScalarKind, reverse = false): Tensor {
  if (reverse && op === 'div') return binaryScalar('mul', unary('reciprocal', a), x, kind);
  if (reverse && (op === 'add' || op === 'mul' || op === 'eq' || op === 'ne' || op === 'logical_and' || op === 'logical_or' || op.startsWith('bitwise'))) reverse = false;
  if (op === 'pow' && !reverse && kind !== 'bool' && a.dtype !== 'bool') return powScalar(a, x, kind);
  const z = binaryKernel(op, a, x, kind, reverse, null);
  if (needsGrad(a) && isFloat(z.dtype)) {
    if (reverse && op === 'sub') return record(z, new ScalarBackward('RsubBackward1', 'rsub', roundTo(z.dtype, x)), [a]);
    if (reverse && op === 'pow') return record(z, new RpowBackward(roundTo(z.dtype, x), z), [a]);
    const name = SCALAR_DIFF[op];
    if (name !== undefined && !reverse) record(z, new ScalarBackward(name, op, roundTo(z.dtype, x)), [a]);
  }
  return z;
}

class ScalarBackward extends Node {
  constructor(readonly name: string, private readonly op: BinaryOp | 'rsub', private readonly x: number) {
    super();
  }
  apply(g: Tensor): Grads {
    switch (this.op) {
      case 'add': return [g];
      case 'sub': return [g];
      case 'remainder': return [g];
      // rsub(self, other) = other - self: self: -grad
      case 'rsub': return [neg(g)];
      // mul by a wrapped number: grad * other (the number, rounded to the tensor's dtype)
      case 'mul': return [binaryScalar('mul', g, this.x, 'float')];
      case 'div': return [binaryScalar('div', g, this.x, 'float')];
      default: return [null];
    }
  }
}

/** x ** a with a Python number base: d(x^a) = x^a log(x) da (pow_backward_exponent, result * log(self)). */
class RpowBackward extends Node {
  readonly name = 'PowBackward1';
  private readonly sz: Saved;
  constructor(private readonly x: number, z: Tensor) {
    super();
    this.sz = save(z, 'PowBackward1');
  }
  apply(g: Tensor): Grads {
    const z = this.sz.get(this);
    if (this.x === 0) return [binary('mul', g, where(binaryScalar('ge', z, 0, 'int'), zerosLike(z), binaryScalar('mul', z, Math.log(this.x), 'float')))];
    // result * log(self) with self the wrapped scalar: log computed as a float32 0-dim tensor would be
    const logx = roundTo(z.dtype, Math.log(roundTo(z.dtype, this.x)));
    return [binary('mul', g, binaryScalar('mul', z, logx, 'float'))];
  }
}

/** a ** p for a Python number p. d(a^p) = p a^(p-1) da. */
export function powScalar(a: Tensor, p: number, kind: ScalarKind): Tensor {
  const z = binaryKernel('pow', a, p, kind, false, null);
  if (needsGrad(a) && isFloat(z.dtype)) record(z, new PowScalarBackward(a, p), [a]);
  return z;
}

class PowScalarBackward extends Node {
  readonly name = 'PowBackward0';
  private readonly sa: Saved;
  constructor(a: Tensor, private readonly p: number) {
    super();
    this.sa = save(a);
  }
  apply(g: Tensor): Grads {
    // pow_backward: exponent == 0 ? zeros : grad * (exponent * self.pow(exponent - 1))
    if (this.p === 0) return [zerosLike(g)];
    const a = this.sa.get(this);
    return [binary('mul', g, binaryScalar('mul', powScalar(a, this.p - 1, 'float'), this.p, 'float'))];
  }
}

// ---------------------------------------------------------------------------------------------------------
// unary ops

export type UnaryOp = 'neg' | 'exp' | 'log' | 'log10' | 'log2' | 'tanh' | 'sqrt' | 'rsqrt' | 'abs' | 'reciprocal'
  | 'sigmoid' | 'relu' | 'sin' | 'cos' | 'sign' | 'floor' | 'ceil' | 'round' | 'trunc' | 'logical_not' | 'square';

const UCODE: Record<UnaryOp, number> = {
  neg: 0, exp: 1, log: 2, log10: 3, log2: 4, tanh: 5, sqrt: 6, rsqrt: 7, abs: 8, reciprocal: 9,
  sigmoid: 10, relu: 11, sin: 12, cos: 13, sign: 14, floor: 15, ceil: 16, round: 17, trunc: 18, logical_not: 19, square: 20,
};

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function unLoop(op: number, o: Data, oi: number, a: Data, ai: number, sa: number, n: number): void {
  switch (op) {
    case 0: for (let i = 0; i < n; i++) o[oi + i] = -a[ai + i * sa]; return;
    case 1: for (let i = 0; i < n; i++) o[oi + i] = Math.exp(a[ai + i * sa]); return;
    case 2: for (let i = 0; i < n; i++) o[oi + i] = Math.log(a[ai + i * sa]); return;
    case 3: for (let i = 0; i < n; i++) o[oi + i] = Math.log10(a[ai + i * sa]); return;
    case 4: for (let i = 0; i < n; i++) o[oi + i] = Math.log2(a[ai + i * sa]); return;
    case 5: for (let i = 0; i < n; i++) o[oi + i] = Math.tanh(a[ai + i * sa]); return;
    case 6: for (let i = 0; i < n; i++) o[oi + i] = Math.sqrt(a[ai + i * sa]); return;
    case 7: for (let i = 0; i < n; i++) o[oi + i] = 1 / Math.sqrt(a[ai + i * sa]); return;
    case 8: for (let i = 0; i < n; i++) o[oi + i] = Math.abs(a[ai + i * sa]); return;
    case 9: for (let i = 0; i < n; i++) o[oi + i] = 1 / a[ai + i * sa]; return;
    case 10: for (let i = 0; i < n; i++) o[oi + i] = 1 / (1 + Math.exp(-a[ai + i * sa])); return;
    case 11: for (let i = 0; i < n; i++) { const x = a[ai + i * sa]; o[oi + i] = x > 0 ? x : x !== x ? x : 0; } return;
    case 12: for (let i = 0; i < n; i++) o[oi + i] = Math.sin(a[ai + i * sa]); return;
    case 13: for (let i = 0; i < n; i++) o[oi + i] = Math.cos(a[ai + i * sa]); return;
    case 14: for (let i = 0; i < n; i++) { const x = a[ai + i * sa]; o[oi + i] = x > 0 ? 1 : x < 0 ? -1 : x === x ? 0 : x; } return;
    case 15: for (let i = 0; i < n; i++) o[oi + i] = Math.floor(a[ai + i * sa]); return;
    case 16: for (let i = 0; i < n; i++) o[oi + i] = Math.ceil(a[ai + i * sa]); return;
    case 17: for (let i = 0; i < n; i++) o[oi + i] = roundHalfEven(a[ai + i * sa]); return;
    case 18: for (let i = 0; i < n; i++) o[oi + i] = Math.trunc(a[ai + i * sa]); return;
    case 19: for (let i = 0; i < n; i++) o[oi + i] = a[ai + i * sa] === 0 ? 1 : 0; return;
    case 20: for (let i = 0; i < n; i++) { const x = a[ai + i * sa]; o[oi + i] = x * x; } return;
  }
}

/** o[i] = tanh(a[ai + i]) for float32: tanhF32, Math.tanh's float32 bits, faster. */
function tanhLoopF32(o: Float32Array, a: Float32Array, ai: number, n: number): void {
  for (let i = 0; i < n; i++) o[i] = tanhF32(a[ai + i]);
}

const FLOAT_ONLY = new Set<UnaryOp>(['exp', 'log', 'log10', 'log2', 'tanh', 'sqrt', 'rsqrt', 'reciprocal', 'sigmoid', 'sin', 'cos']);
const UNARY_NAMES: Partial<Record<UnaryOp, string>> = {
  neg: 'NegBackward0', exp: 'ExpBackward0', log: 'LogBackward0', log10: 'Log10Backward0', log2: 'Log2Backward0',
  tanh: 'TanhBackward0', sqrt: 'SqrtBackward0', rsqrt: 'RsqrtBackward0', abs: 'AbsBackward0',
  reciprocal: 'ReciprocalBackward0', sigmoid: 'SigmoidBackward0', relu: 'ReluBackward0', sin: 'SinBackward0',
  cos: 'CosBackward0', sign: 'SignBackward0', floor: 'FloorBackward0', ceil: 'CeilBackward0', round: 'RoundBackward0', trunc: 'TruncBackward0',
};

/** y = f(x) elementwise (ints go to float32 for the transcendental ones, as PyTorch). */
export function unary(op: UnaryOp, x: Tensor): Tensor {
  if (op === 'square') return powScalar(x, 2, 'int');
  if (op === 'neg' && x.dtype === 'bool') throw new TorchError('Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.');
  const rdt: DType = op === 'logical_not' ? 'bool' : FLOAT_ONLY.has(op) && !isFloat(x.dtype) ? 'float32' : x.dtype === 'bool' && op !== 'abs' ? 'int64' : x.dtype;
  const X = x.dtype !== rdt && rdt === 'float32' && x.dtype === 'int64' ? castTo(x, 'float32') : x;
  const y = empty(x.shape, rdt);
  const code = UCODE[op];
  if (code === 5 && X.dtype === 'float32' && X.isContiguous) tanhLoopF32(y.data as Float32Array, X.data as Float32Array, X.offset, y.numel);
  else if (X.isContiguous) unLoop(code, y.data, 0, X.data, X.offset, 1, y.numel);
  else {
    const nd = X.ndim;
    const n = X.shape[nd - 1];
    const s = X.strides[nd - 1];
    forRows(X, (off, row) => unLoop(code, y.data, row * n, X.data, off, s, n));
  }
  if (needsGrad(x) && isFloat(rdt)) {
    const name = UNARY_NAMES[op];
    if (name !== undefined) record(y, new UnaryBackward(name, op, x, y), [x]);
  }
  return y;
}

function forRows(t: Tensor, f: (off: number, row: number) => void): void {
  const nd = t.ndim;
  let rows = 1;
  for (let d = 0; d < nd - 1; d++) rows *= t.shape[d];
  if (rows === 0 || t.numel === 0) return;
  const idx = new Int32Array(Math.max(nd - 1, 0));
  let off = t.offset;
  for (let r = 0; r < rows; r++) {
    f(off, r);
    for (let d = nd - 2; d >= 0; d--) {
      idx[d]++;
      off += t.strides[d];
      if (idx[d] < t.shape[d]) break;
      off -= t.strides[d] * t.shape[d];
      idx[d] = 0;
    }
  }
}

class UnaryBackward extends Node {
  private readonly sx: Saved | null;
  private readonly sy: Saved | null;
  constructor(readonly name: string, private readonly op: UnaryOp, x: Tensor, y: Tensor) {
    super();
    const usesResult = op === 'exp' || op === 'tanh' || op === 'sqrt' || op === 'rsqrt' || op === 'sigmoid' || op === 'reciprocal' || op === 'relu';
    this.sx = usesResult ? null : save(x);
    this.sy = usesResult ? save(y, name) : null;
  }
  apply(g: Tensor): Grads {
    const x = (): Tensor => this.sx!.get(this);
    const y = (): Tensor => this.sy!.get(this);
    switch (this.op) {
      // d(-x) = -dx
      case 'neg': return [neg(g)];
      // d exp(x) = exp(x) dx: grad * result
      case 'exp': return [binary('mul', g, y())];
      // d log(x) = dx / x: grad.div(self)
      case 'log': return [binary('div', g, x())];
      // d log10(x) = dx / (x ln 10): grad / (self * 2.3025850929940456)
      case 'log10': return [binary('div', g, binaryScalar('mul', x(), Math.LN10, 'float'))];
      case 'log2': return [binary('div', g, binaryScalar('mul', x(), Math.LN2, 'float'))];
      // d tanh(x) = (1 - tanh(x)^2) dx: tanh_backward(grad, result) = grad * (1 - y * y), each op rounded
      case 'tanh': {
        const yy = y();
        return [binary('mul', g, binaryScalar('sub', binary('mul', yy, yy), 1, 'int', true))];
      }
      // d sqrt(x) = dx / (2 sqrt(x)): grad / (2 * result)
      case 'sqrt': return [binary('div', g, binaryScalar('mul', y(), 2, 'int'))];
      // d x^-1/2 = -1/2 x^-3/2 dx: -0.5 * grad * result.pow(3)
      case 'rsqrt': return [binary('mul', binaryScalar('mul', g, -0.5, 'float'), powScalar(y(), 3, 'int'))];
      // d |x| = sgn(x) dx
      case 'abs': return [binary('mul', g, unary('sign', x()))];
      // d (1/x) = -1/x^2 dx: -grad * (result * result)
      case 'reciprocal': {
        const yy = y();
        return [binary('mul', neg(g), binary('mul', yy, yy))];
      }
      // d sigmoid(x) = s (1 - s) dx: sigmoid_backward(grad, result) = grad * (1 - y) * y
      case 'sigmoid': {
        const yy = y();
        return [binary('mul', binary('mul', g, binaryScalar('sub', yy, 1, 'int', true)), yy)];
      }
      // relu: threshold_backward(grad, result, 0): grad where result > 0
      case 'relu': return [where(binaryScalar('gt', y(), 0, 'int'), g, zerosLike(g))];
      case 'sin': return [binary('mul', g, unary('cos', x()))];
      case 'cos': return [binary('mul', g, neg(unary('sin', x())))];
      case 'sign':
      case 'floor':
      case 'ceil':
      case 'round':
      case 'trunc': return [zerosLike(g)];
      default: return [null];
    }
  }
}

export function neg(x: Tensor): Tensor {
  return unary('neg', x);
}

// ---------------------------------------------------------------------------------------------------------
// clamp and where

/** clamp(x, min, max) with Python numbers (null: no bound). d clamp = dx inside [min, max], else 0. */
export function clamp(x: Tensor, min: number | null, max: number | null): Tensor {
  if (min === null && max === null) throw new TorchError('torch.clamp: At least one of \'min\' or \'max\' must not be None');
  const rdt: DType = isFloat(x.dtype) ? x.dtype : (min !== null && !Number.isInteger(min)) || (max !== null && !Number.isInteger(max)) ? 'float32' : x.dtype;
  const src = contiguousValues(x);
  const y = empty(x.shape, rdt);
  const lo = min === null ? -Infinity : roundTo(rdt, min);
  const hi = max === null ? Infinity : roundTo(rdt, max);
  for (let i = 0; i < y.numel; i++) {
    const v = src[i];
    y.data[i] = v !== v ? v : v < lo ? lo : v > hi ? hi : v;
  }
  if (needsGrad(x) && isFloat(rdt)) record(y, new ClampBackward(x, lo, hi), [x]);
  return y;
}

class ClampBackward extends Node {
  readonly name = 'ClampBackward1';
  private readonly sx: Saved;
  constructor(x: Tensor, private readonly lo: number, private readonly hi: number) {
    super();
    this.sx = save(x);
  }
  apply(g: Tensor): Grads {
    // where((self >= min).logical_and_(self <= max), grad, 0)
    const x = this.sx.get(this);
    const mask = binary('logical_and', binaryScalar('ge', x, this.lo, 'float'), binaryScalar('le', x, this.hi, 'float'));
    return [where(mask, g, zerosLike(g))];
  }
}

/** where(cond, a, b), broadcast. d where = da where cond, db elsewhere. */
export function where(cond: Tensor, a: Tensor, b: Tensor): Tensor {
  const shape = broadcastShapes(broadcastShapes(cond.shape, a.shape), b.shape);
  const rdt = resultType([{ dtype: a.dtype, group: a.ndim === 0 ? 1 : 0 }, { dtype: b.dtype, group: b.ndim === 0 ? 1 : 0 }]);
  const c = contiguousValues(expandTo(cond, shape));
  const av = contiguousValues(expandTo(a, shape));
  const bv = contiguousValues(expandTo(b, shape));
  const y = empty(shape, rdt);
  for (let i = 0; i < y.numel; i++) y.data[i] = c[i] !== 0 ? av[i] : bv[i];
  if (needsGrad(a, b) && isFloat(rdt)) record(y, new WhereBackward(cond), [a, b]);
  return y;
}

class WhereBackward extends Node {
  readonly name = 'WhereBackward0';
  constructor(private readonly cond: Tensor) {
    super();
  }
  apply(g: Tensor): Grads {
    const z = zerosLike(g);
    return [where(this.cond, g, z), where(this.cond, z, g)];
  }
}

/** t's values in row-major order (its own storage when contiguous at offset 0). */
export function contiguousValues(t: Tensor): Data {
  if (t.isContiguous) return t.offset === 0 && t.data.length === t.numel ? t.data : t.data.subarray(t.offset, t.offset + t.numel);
  const out = alloc(t.dtype, t.numel);
  const nd = t.ndim;
  const n = t.shape[nd - 1];
  const s = t.strides[nd - 1];
  const src = t.data;
  forRows(t, (off, row) => {
    for (let i = 0; i < n; i++) out[row * n + i] = src[off + i * s];
  });
  return out;
}

export { contiguousStrides, numelOf, sumDims, unsqueezeDims, sumTo };
