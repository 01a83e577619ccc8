// Elementwise ops with autograd: one record per op, its forward kernel (kernels/pointwise.ts, by op code
// from opcodes.json) and its backward side by side. A record names PyTorch's node, says what the backward
// saves (inputs or the result), and gives the backward formula from PyTorch's derivatives.yaml, operand
// order kept, every intermediate rounded as a tensor would be (the formula runs the library's own ops,
// passed in as F, with grad mode off).

import { isFloat, roundTo, type DType, type ScalarKind } from '../dtype.js';
import { TorchError } from '../errors.js';
import { Node, needsGrad, record, saveInput, saveOutput, type BackwardFn, type Grads, type Saved } from '../graph.js';
import { Tensor } from '../tensor.js';
import {
  binaryKernel, binaryResultType, castKernel, clampKernel, unaryKernel, whereKernel, commonType,
  type BinaryOp, type UnaryOp,
} from '../kernels/pointwise.js';
import { resultType } from '../dtype.js';
import type { OpSet } from '../ops.js';

/** What a backward saves, as data: its inputs (a, b) and/or its own output. */
type Save = 'a' | 'b' | 'out';

interface Def {
  /** PyTorch's node name (`MulBackward0`) */
  grad: string;
  saves: readonly Save[];
  /** the gradient of each input from the output's gradient g and the saved tensors, in `saves` order */
  backward: BackwardFn;
}

/** Builds the node of an op from its record: saves what the record says, records the edges. */
function node(def: Def, a: Tensor, b: Tensor | null, out: Tensor): Node {
  const saved: Saved[] = def.saves.map((s) => (s === 'a' ? saveInput(a) : s === 'b' ? saveInput(b!) : saveOutput(out, def.grad)));
  return new Node(def.grad, def.backward, saved);
}

// ---------------------------------------------------------------------------------------------------------
// tensor (op) tensor

const BINARY: Partial<Record<BinaryOp, Def>> = {
  // d(a + b) = da + db
  add: { grad: 'AddBackward0', saves: [], backward: (g, _s, _F, n) => [n.wants(0) ? g : null, n.wants(1) ? g : null] },
  // d(a - b) = da - db
  sub: { grad: 'SubBackward0', saves: [], backward: (g, _s, F, n) => [n.wants(0) ? g : null, n.wants(1) ? F.neg(g) : null] },
  // d(a b) = b da + a db: self: grad * other; other: grad * self
  mul: {
    grad: 'MulBackward0', saves: ['a', 'b'],
    backward: (g, [a, b], F, n) => [n.wants(0) ? F.mul(g, b) : null, n.wants(1) ? F.mul(g, a) : null],
  },
  // d(a / b) = da / b - a / b^2 db: self: grad / other; other: -grad * ((self / other) / other)
  div: {
    grad: 'DivBackward0', saves: ['a', 'b'],
    backward: (g, [a, b], F, n) => [n.wants(0) ? F.div(g, b) : null, n.wants(1) ? F.mul(F.neg(g), F.div(F.div(a, b), b)) : null],
  },
  // remainder(a, b) = a - b floor(a / b): self: grad; other: -grad * floor(self / other)
  remainder: {
    grad: 'RemainderBackward1', saves: ['a', 'b'],
    backward: (g, [a, b], F, n) => [n.wants(0) ? g : null, n.wants(1) ? F.mul(F.neg(g), F.unary('floor', F.div(a, b))) : null],
  },
  // d(a^b) = b a^(b-1) da + a^b log(a) db
  pow: {
    grad: 'PowBackward1', saves: ['a', 'b', 'out'],
    backward: (g, [a, b, z], F, n): Grads => {
      let ga: Tensor | null = null;
      let gb: Tensor | null = null;
      if (n.wants(0)) {
        // pow_backward_self: where(exponent == 0, 0, grad * (exponent * pow(self, exponent - 1)))
        const t = F.mul(g, F.mul(b, F.binary('pow', a, F.binaryScalar('sub', b, 1, 'int'))));
        ga = F.where(F.binaryScalar('eq', b, 0, 'int'), F.zerosLike(t), t);
      }
      if (n.wants(1)) {
        // pow_backward_exponent: grad * where(self == 0 & exponent >= 0, 0, result * log(self))
        const cond = F.binary('logical_and', F.binaryScalar('eq', a, 0, 'int'), F.binaryScalar('ge', b, 0, 'int'));
        const rl = F.mul(z, F.unary('log', a));
        gb = F.mul(g, F.where(cond, F.zerosLike(rl), rl));
      }
      return [ga, gb];
    },
  },
  // maximum: self: at::where(self == other, grad / 2, grad).masked_fill_(self < other, 0); other alike
  maximum: { grad: 'MaximumBackward0', saves: ['a', 'b'], backward: (g, [a, b], F, n) => extremumBackward(g, a, b, F, n, true) },
  minimum: { grad: 'MinimumBackward0', saves: ['a', 'b'], backward: (g, [a, b], F, n) => extremumBackward(g, a, b, F, n, false) },
  // atan2(a, b): self: grad * other / (self^2 + other^2); other: grad * -self / (self^2 + other^2)
  atan2: {
    grad: 'Atan2Backward0', saves: ['a', 'b'],
    backward: (g, [a, b], F, n) => {
      const r = F.add(F.mul(a, a), F.mul(b, b));
      return [n.wants(0) ? F.mul(g, F.div(b, r)) : null, n.wants(1) ? F.mul(g, F.div(F.neg(a), r)) : null];
    },
  },
  // fmod(a, b) = a - b trunc(a / b): self: grad; other: -grad * trunc(self / other)
  fmod: {
    grad: 'FmodBackward1', saves: ['a', 'b'],
    backward: (g, [a, b], F, n) => [n.wants(0) ? g : null, n.wants(1) ? F.mul(F.neg(g), F.unary('trunc', F.div(a, b))) : null],
  },
};

function extremumBackward(g: Tensor, a: Tensor, b: Tensor, F: OpSet, n: Node, isMax: boolean): Grads {
  const lose = isMax ? 'lt' : 'gt';
  const win = isMax ? 'gt' : 'lt';
  const half = F.binaryScalar('div', g, 2, 'int');
  const eq = F.binary('eq', a, b);
  const ga = F.where(F.binary(lose, a, b), F.zerosLike(g), F.where(eq, half, g));
  const gb = F.where(F.binary(win, a, b), F.zerosLike(g), F.where(eq, half, g));
  return [n.wants(0) ? ga : null, n.wants(1) ? gb : null];
}

/** z = a (op) b for two tensors, broadcast, with PyTorch's promotion. */
export function binary(op: BinaryOp, a: Tensor, b: Tensor): Tensor {
  if (op === 'floor_divide' && needsGrad(a, b) && isFloat(binaryResultType(op, a, b, 'float'))) throw new TorchError('derivative for aten::floor_divide is not implemented');
  const z = binaryKernel(op, a, b, 'float', false, null);
  if (needsGrad(a, b) && isFloat(z.dtype)) {
    const def = BINARY[op];
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
const UNARY: Partial<Record<UnaryOp, Def>> = {
  // d(-x) = -dx
  neg: { grad: 'NegBackward0', saves: [], backward: (g, _s, F) => [F.neg(g)] },
  // d exp(x) = exp(x) dx: grad * result
  exp: { grad: 'ExpBackward0', saves: ['out'], backward: (g, [y], F) => [F.mul(g, y)] },
  // d 2^x = 2^x ln2 dx: grad * result * ln(2)
  exp2: { grad: 'Exp2Backward0', saves: ['out'], backward: (g, [y], F) => [F.mul(g, F.binaryScalar('mul', y, Math.LN2, 'float'))] },
  // d expm1(x) = (expm1(x) + 1) dx: grad * (result + 1)
  expm1: { grad: 'Expm1Backward0', saves: ['out'], backward: (g, [y], F) => [F.mul(g, F.binaryScalar('add', y, 1, 'int'))] },
  // d log(x) = dx / x: grad.div(self)
  log: { grad: 'LogBackward0', saves: ['a'], backward: (g, [x], F) => [F.div(g, x)] },
  // d log10(x) = dx / (x ln 10): grad / (self * 2.3025850929940456)
  log10: { grad: 'Log10Backward0', saves: ['a'], backward: (g, [x], F) => [F.div(g, F.binaryScalar('mul', x, Math.LN10, 'float'))] },
  log2: { grad: 'Log2Backward0', saves: ['a'], backward: (g, [x], F) => [F.div(g, F.binaryScalar('mul', x, Math.LN2, 'float'))] },
  // d log1p(x) = dx / (1 + x)
  log1p: { grad: 'Log1PBackward0', saves: ['a'], backward: (g, [x], F) => [F.div(g, F.binaryScalar('add', x, 1, 'int'))] },
  // d tanh(x) = (1 - tanh(x)^2) dx: tanh_backward(grad, result) = grad * (1 - y * y), each op rounded
  tanh: { grad: 'TanhBackward0', saves: ['out'], backward: (g, [y], F) => [F.mul(g, F.binaryScalar('sub', F.mul(y, y), 1, 'int', true))] },
  // d sqrt(x) = dx / (2 sqrt(x)): grad / (2 * result)
  sqrt: { grad: 'SqrtBackward0', saves: ['out'], backward: (g, [y], F) => [F.div(g, F.binaryScalar('mul', y, 2, 'int'))] },
  // d x^-1/2 = -1/2 x^-3/2 dx: -0.5 * grad * result.pow(3)
  rsqrt: { grad: 'RsqrtBackward0', saves: ['out'], backward: (g, [y], F) => [F.mul(F.binaryScalar('mul', g, -0.5, 'float'), F.powScalar(y, 3, 'int'))] },
  // d |x| = sgn(x) dx
  abs: { grad: 'AbsBackward0', saves: ['a'], backward: (g, [x], F) => [F.mul(g, F.unary('sign', x))] },
  // d (1/x) = -1/x^2 dx: -grad * (result * result)
  reciprocal: { grad: 'ReciprocalBackward0', saves: ['out'], backward: (g, [y], F) => [F.mul(F.neg(g), F.mul(y, y))] },
  // d sigmoid(x) = s (1 - s) dx: sigmoid_backward(grad, result) = grad * (1 - y) * y
  sigmoid: { grad: 'SigmoidBackward0', saves: ['out'], backward: (g, [y], F) => [F.mul(F.mul(g, F.binaryScalar('sub', y, 1, 'int', true)), y)] },
  // relu: threshold_backward(grad, result, 0): grad where result > 0
  relu: { grad: 'ReluBackward0', saves: ['out'], backward: (g, [y], F) => [F.where(F.binaryScalar('gt', y, 0, 'int'), g, F.zerosLike(g))] },
  sin: { grad: 'SinBackward0', saves: ['a'], backward: (g, [x], F) => [F.mul(g, F.unary('cos', x))] },
  cos: { grad: 'CosBackward0', saves: ['a'], backward: (g, [x], F) => [F.mul(g, F.neg(F.unary('sin', x)))] },
  // d tan(x) = (1 + tan^2 x) dx: grad * (1 + result.pow(2))
  tan: { grad: 'TanBackward0', saves: ['out'], backward: (g, [y], F) => [F.mul(g, F.binaryScalar('add', F.powScalar(y, 2, 'int'), 1, 'int'))] },
  // d atan(x) = dx / (1 + x^2)
  atan: { grad: 'AtanBackward0', saves: ['a'], backward: (g, [x], F) => [F.div(g, F.binaryScalar('add', F.mul(x, x), 1, 'int'))] },
  // d sinh = cosh dx, d cosh = sinh dx
  sinh: { grad: 'SinhBackward0', saves: ['a'], backward: (g, [x], F) => [F.mul(g, F.unary('cosh', x))] },
  cosh: { grad: 'CoshBackward0', saves: ['a'], backward: (g, [x], F) => [F.mul(g, F.unary('sinh', x))] },
  // d asin(x) = dx / sqrt(1 - x^2); d acos = -that
  asin: { grad: 'AsinBackward0', saves: ['a'], backward: (g, [x], F) => [F.mul(g, F.unary('rsqrt', F.binaryScalar('sub', F.mul(x, x), 1, 'int', true)))] },
  acos: { grad: 'AcosBackward0', saves: ['a'], backward: (g, [x], F) => [F.mul(g, F.neg(F.unary('rsqrt', F.binaryScalar('sub', F.mul(x, x), 1, 'int', true))))] },
  // d erf(x) = 2/sqrt(pi) exp(-x^2) dx
  erf: { grad: 'ErfBackward0', saves: ['a'], backward: (g, [x], F) => [F.mul(g, F.binaryScalar('mul', F.unary('exp', F.neg(F.mul(x, x))), 2 / Math.sqrt(Math.PI), 'float'))] },
  // piecewise constant: zero gradient
  sign: { grad: 'SignBackward0', saves: [], backward: (g, _s, F) => [F.zerosLike(g)] },
  floor: { grad: 'FloorBackward0', saves: [], backward: (g, _s, F) => [F.zerosLike(g)] },
  ceil: { grad: 'CeilBackward0', saves: [], backward: (g, _s, F) => [F.zerosLike(g)] },
  round: { grad: 'RoundBackward0', saves: [], backward: (g, _s, F) => [F.zerosLike(g)] },
  trunc: { grad: 'TruncBackward0', saves: [], backward: (g, _s, F) => [F.zerosLike(g)] },
  // frac(x) = x - trunc(x): grad
  frac: { grad: 'FracBackward0', saves: [], backward: (g) => [g] },
};

/** y = f(x) elementwise (integers go to float32 for the floating ops, as PyTorch). */
export function unary(op: UnaryOp, x: Tensor): Tensor {
  if (op === 'square') return powScalar(x, 2, 'int');
  const y = unaryKernel(op, x);
  if (needsGrad(x) && isFloat(y.dtype)) {
    const def = UNARY[op];
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
