// Elementwise ops with autograd: the forward kernel (kernels/pointwise.ts, by op code) and the node its record
// in optable.ts describes (its name, what it saves, its backward formula). The scalar forms (a tensor with a
// Python number), clamp, where, masked_fill and casts have their small records here, beside their forwards.

import { checkFits, isFloat, roundTo, type DType, type ScalarKind } from '../dtype.js';
import { TorchError } from '../errors.js';
import { Node, needsGrad, record, saveInput, saveOutput, type Saved } from '../graph.js';
import { BINARY, UNARY, type Diff, type OpRecord } from '../optable.js';
import { Tensor, empty, valuesOf } from '../tensor.js';
import {
  binaryKernel, binaryResultType, castKernel, clampKernel, unaryKernel, whereKernel, commonType,
  type BinaryOp, type UnaryOp,
} from '../kernels/pointwise.js';
import { resultType } from '../dtype.js';

type Def = Diff;

/** Builds the node of an op from its record: saves what the record says, records the edges. */
function node(def: Def, a: Tensor, b: Tensor | null, out: Tensor): Node {
  const saved: Saved[] = def.saves.map((s) => (s === 'a' ? saveInput(a) : s === 'b' ? saveInput(b!) : saveOutput(out, def.grad)));
  return new Node(def.grad, def.backward, saved);
}

/** The autograd part of an op's record, when it has one. */
function diffOf(r: OpRecord): Def | undefined {
  return r.grad !== undefined && r.saves !== undefined && r.backward !== undefined ? { grad: r.grad, saves: r.saves, backward: r.backward } : undefined;
}

// ---------------------------------------------------------------------------------------------------------
// tensor (op) tensor

/** z = a (op) b for two tensors, broadcast, with PyTorch's promotion. */
export function binary(op: BinaryOp, a: Tensor, b: Tensor): Tensor {
  if (op === 'floor_divide' && needsGrad(a, b) && isFloat(binaryResultType(op, a, b, 'float'))) throw new TorchError('derivative for aten::floor_divide is not implemented');
  const z = binaryKernel(op, a, b, 'float', false, null);
  if (needsGrad(a, b) && isFloat(z.dtype)) {
    const def = diffOf(BINARY[op]);
    if (def !== undefined) record(z, node(def, a, b, z), [a, b]);
  }
  return z;
}

export const add = (a: Tensor, b: Tensor): Tensor => binary('add', a, b);
export const sub = (a: Tensor, b: Tensor): Tensor => binary('sub', a, b);
export const mul = (a: Tensor, b: Tensor): Tensor => binary('mul', a, b);
export const div = (a: Tensor, b: Tensor): Tensor => binary('div', a, b);

// ---------------------------------------------------------------------------------------------------------
// tensor (op) Python number: the number is a constant (wrapped, weak in promotion)

/** The scalar forms' records; `x` is the number rounded to the result's dtype. */
const SCALAR: Partial<Record<BinaryOp, (x: number) => Def>> = {
  add: () => ({ grad: 'AddBackward0', saves: [], backward: (g) => [g] }),
  sub: () => ({ grad: 'SubBackward0', saves: [], backward: (g) => [g] }),
  remainder: () => ({ grad: 'RemainderBackward0', saves: [], backward: (g) => [g] }),
  fmod: () => ({ grad: 'FmodBackward0', saves: [], backward: (g) => [g] }),
  // mul by a wrapped number: grad * other (the number, rounded to the tensor's dtype)
  mul: (x) => ({ grad: 'MulBackward0', saves: [], backward: (g, _s, F) => [F.binaryScalar('mul', g, x, 'float')] }),
  div: (x) => ({ grad: 'DivBackward0', saves: [], backward: (g, _s, F) => [F.binaryScalar('div', g, x, 'float')] }),
};

/** rsub(self, other) = other - self: self: -grad. */
const RSUB: Def = { grad: 'RsubBackward1', saves: [], backward: (g, _s, F) => [F.neg(g)] };

/** x ** a with a Python number base x: d(x^a) = x^a log(x) da (pow_backward_exponent, result * log(self)). */
function rpowDef(x: number, dtype: DType): Def {
  return {
    grad: 'PowBackward1', saves: ['out'],
    backward: (g, [z], F) => {
      if (x === 0) return [F.mul(g, F.where(F.binaryScalar('ge', z, 0, 'int'), F.zerosLike(z), F.binaryScalar('mul', z, Math.log(x), 'float')))];
      // result * log(self) with self the wrapped number: log computed as a 0-dim tensor of the dtype would be
      const logx = roundTo(dtype, Math.log(roundTo(dtype, x)));
      return [F.mul(g, F.binaryScalar('mul', z, logx, 'float'))];
    },
  };
}

/** a ** p for a Python number p: d(a^p) = p a^(p-1) da (pow_backward: exponent == 0 ? zeros : ...). */
function powScalarDef(p: number): Def {
  return {
    grad: 'PowBackward0', saves: ['a'],
    backward: (g, [a], F) => (p === 0 ? [F.zerosLike(g)] : [F.mul(g, F.binaryScalar('mul', F.powScalar(a, p - 1, 'float'), p, 'float'))]),
  };
}

/**
 * z = a (op) x, or x (op) a when `reverse`, for a Python number x of kind `kind` (weak in promotion).
 * Reverse forms follow torch/_tensor.py: `x - a` is rsub (RsubBackward1), `x / a` is a.reciprocal() * x,
 * `x ** a` is pow(x, a) (PowBackward1 with a wrapped x).
 */
export function binaryScalar(op: BinaryOp, a: Tensor, x: number, kind: ScalarKind, reverse = false): Tensor {
  if (reverse && op === 'div') return binaryScalar('mul', unary('reciprocal', a), x, kind);
  if (reverse && (op === 'add' || op === 'mul' || op === 'eq' || op === 'ne' || op === 'logical_and' || op === 'logical_or' || op === 'logical_xor' || op.startsWith('bitwise'))) reverse = false;
  if (op === 'pow' && !reverse && kind !== 'bool' && a.dtype !== 'bool') return powScalar(a, x, kind);
  if (op === 'floor_divide' && needsGrad(a) && isFloat(binaryResultType(op, a, null, kind))) throw new TorchError('derivative for aten::floor_divide is not implemented');
  const z = binaryKernel(op, a, x, kind, reverse, null);
  if (needsGrad(a) && isFloat(z.dtype)) {
    const v = roundTo(z.dtype, x);
    if (reverse && op === 'sub') record(z, node(RSUB, a, null, z), [a]);
    else if (reverse && op === 'pow') record(z, node(rpowDef(x, z.dtype), a, null, z), [a]);
    else if (!reverse) {
      const def = SCALAR[op]?.(v);
      if (def !== undefined) record(z, node(def, a, null, z), [a]);
    }
  }
  return z;
}

/** a ** p for a Python number p. */
export function powScalar(a: Tensor, p: number, kind: ScalarKind): Tensor {
  const z = binaryKernel('pow', a, p, kind, false, null);
  if (needsGrad(a) && isFloat(z.dtype)) record(z, node(powScalarDef(p), a, null, z), [a]);
  return z;
}

// ---------------------------------------------------------------------------------------------------------
// unary ops

/** Unary records: d f(x) from g and x or f(x) (the result, when the formula is cheaper in it). */
/** y = f(x) elementwise (integers go to float32 for the floating ops, as PyTorch). */
export function unary(op: UnaryOp, x: Tensor): Tensor {
  if (op === 'square') return powScalar(x, 2, 'int');
  const y = unaryKernel(op, x);
  if (needsGrad(x) && isFloat(y.dtype)) {
    const def = diffOf(UNARY[op]);
    if (def !== undefined) record(y, node(def, x, null, y), [x]);
  }
  return y;
}

export const neg = (x: Tensor): Tensor => unary('neg', x);

// ---------------------------------------------------------------------------------------------------------
// clamp and where

/** clamp(x, min, max) with Python numbers (null: no bound). d clamp = dx inside [min, max], else 0. */
export function clamp(x: Tensor, min: number | null, max: number | null): Tensor {
  if (min === null && max === null) throw new TorchError('torch.clamp: At least one of \'min\' or \'max\' must not be None');
  const intBound = (v: number | null): boolean => v === null || Number.isInteger(v);
  const rdt: DType = isFloat(x.dtype) ? x.dtype : intBound(min) && intBound(max) ? x.dtype : 'float32';
  const lo = min === null ? -Infinity : roundTo(rdt, min);
  const hi = max === null ? Infinity : roundTo(rdt, max);
  const y = clampKernel(x, lo, hi, rdt);
  if (needsGrad(x) && isFloat(rdt)) {
    // where((self >= min).logical_and_(self <= max), grad, 0)
    const def: Def = {
      grad: 'ClampBackward1', saves: ['a'],
      backward: (g, [s], F) => [F.where(F.binary('logical_and', F.binaryScalar('ge', s, lo, 'float'), F.binaryScalar('le', s, hi, 'float')), g, F.zerosLike(g))],
    };
    record(y, node(def, x, null, y), [x]);
  }
  return y;
}

/** where(cond, a, b), broadcast. d where = da where cond, db elsewhere (cond is saved: WhereBackward0). */
export function where(cond: Tensor, a: Tensor, b: Tensor): Tensor {
  if (cond.dtype !== 'bool' && cond.dtype !== 'uint8') throw new TorchError(`where expected condition to be a boolean tensor, but got a tensor with dtype ${cond.dtype === 'float32' ? 'Float' : cond.dtype}`);
  const rdt = resultType([{ dtype: a.dtype, group: a.ndim === 0 ? 1 : 0 }, { dtype: b.dtype, group: b.ndim === 0 ? 1 : 0 }]);
  const y = whereKernel(cond, a, b, rdt);
  if (needsGrad(a, b) && isFloat(rdt)) {
    const def: Def = {
      grad: 'WhereBackward0', saves: [],
      backward: (g, [c], F) => {
        const z = F.zerosLike(g);
        return [F.where(c, g, z), F.where(c, z, g)];
      },
    };
    const n = new Node(def.grad, def.backward, [saveInput(cond)]);
    record(y, n, [a, b]);
  }
  return y;
}

/** x cast to dtype (a copy; x itself when already of it). d = the gradient cast back (ToCopyBackward0). */
export function castTo(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return x;
  const y = castKernel(x, dtype);
  if (needsGrad(x) && isFloat(dtype) && isFloat(x.dtype)) {
    const from = x.dtype;
    record(y, new Node('ToCopyBackward0', (g, _s, F) => [F.castTo(g, from)]), [x]);
  }
  return y;
}

export { commonType };

/**
 * x.masked_fill(mask, value): x's values with `value` (cast to x's dtype) where mask is true, both broadcast
 * (expand_outplace). d = the gradient with zeros where mask is true (MaskedFillBackward0), summed back to x.
 */
export function maskedFill(x: Tensor, mask: Tensor, value: number): Tensor {
  checkFits(x.dtype, value, true);
  const m = mask.dtype === 'bool' ? mask : maskBytes(mask);
  const v = fullTensor([], x.dtype, value);
  const y = whereKernel(m, v, x, x.dtype);
  if (needsGrad(x)) {
    const def: Def = { grad: 'MaskedFillBackward0', saves: [], backward: (g, [m], F) => [F.where(m, F.zerosLike(g), g)] };
    record(y, new Node(def.grad, def.backward, [saveInput(mask)]), [x]);
  }
  return y;
}

/**
 * PyTorch 1.13's masked_fill reads any other mask's memory as bools: each element's first (low) byte, which
 * must be 0 or 1. An integer mask of 0/1 works as a bool one; a float mask of 1.0 (low byte 0) masks nothing.
 */
function maskBytes(mask: Tensor): Tensor {
  const vals = valuesOf(mask);
  const out = empty(mask.shape, 'bool');
  const scratch = new DataView(new ArrayBuffer(8));
  for (let i = 0; i < vals.length; i++) {
    const v = vals[i];
    let low: number;
    if (mask.dtype === 'float64') {
      scratch.setFloat64(0, v, true);
      low = scratch.getUint8(0);
    } else if (mask.dtype === 'float16') low = halfBits(v) & 0xff;
    else if (isFloat(mask.dtype)) {
      // float32, and bfloat16: float32's upper half
      scratch.setFloat32(0, v, true);
      low = mask.dtype === 'float32' ? scratch.getUint8(0) : scratch.getUint8(2);
    } else low = Number(BigInt.asUintN(8, BigInt(v)));
    if (low > 1) throw new TorchError('Mask tensor can take 0 and 1 values only');
    out.data[out.offset + i] = low;
  }
  return out;
}

/** The mantissa bits of a half value (its low byte is what a float16 mask's element reads as). */
function halfBits(v: number): number {
  const a = Math.abs(v);
  if (a === 0 || !Number.isFinite(a)) return v !== v ? 0x200 : 0;
  const e = Math.floor(Math.log2(a));
  return e < -14 ? Math.round(a / 2 ** -24) : Math.round(a / 2 ** (e - 10)) - 1024;
}

/** A tensor of `shape` filled with x converted to dtype as C++ converts (ints truncate toward zero). */
function fullTensor(shape: readonly number[], dtype: DType, x: number): Tensor {
  const t = empty(shape, dtype);
  t.data.fill(isFloat(dtype) ? roundTo(dtype, x) : dtype === 'bool' ? (x !== 0 ? 1 : 0) : Math.trunc(x), t.offset, t.offset + t.numel);
  return t;
}
