// The table of elementwise ops: one record per op (the derivatives.yaml / tinygrad habit), everything about it
// but its loop: PyTorch's CPU kernel name and the dtypes PyTorch 1.13 has no kernel for (the error names
// both), the result dtype, the autograd node's name, what the backward saves (inputs or its own output),
// and the backward formula, from derivatives.yaml with the operand order kept; a formula computes with the
// library's own ops, handed to it as F (grad mode off), so every intermediate rounds as a tensor would.
//
// The op codes are opcodes.json's (shared with the wasm kernels); the loops are kernels/pointwise.ts (one
// case per code). Adding an op: its name in opcodes.json, a record here, a case in the loop, a test.

import type { DType } from './dtype.js';
import type { BackwardFn, Grads, Node } from './graph.js';
import type { Tensor } from './tensor.js';
import type { OpSet } from './ops.js';
import type { BinaryOp, UnaryOp } from './kernels/pointwise.js';

/** What a backward saves, as data: its inputs (a, b) and/or its own output. */
export type Save = 'a' | 'b' | 'out';

/** The autograd part of a record. */
export interface Diff {
  /** PyTorch's node name (`MulBackward0`) */
  grad: string;
  saves: readonly Save[];
  /** the gradient of each input from the output's gradient g and the saved tensors, in `saves` order */
  backward: BackwardFn;
}

/**
 * result: 'same' keeps the common dtype (bool -> bool for the binary ops), 'float' gives float32 for integers
 * and bool (the default dtype), 'bool' for predicates. A unary 'same' op gives int64 for bool unless
 * boolTo says otherwise.
 */
export interface OpRecord extends Partial<Diff> {
  /** PyTorch's CPU kernel name, as its "... not implemented for 'Half'" error says it */
  kernel: string;
  result: 'same' | 'float' | 'bool';
  /** dtypes PyTorch 1.13's CPU kernel does not take */
  notFor?: readonly DType[];
  /** a message of its own for a dtype (relu on bool...) */
  refuse?: Partial<Record<DType, string>>;
  /** the result for bool inputs of a 'same' unary op (int64 by default: PyTorch's promotion of bool) */
  boolTo?: DType;
}

/** tensor (op) tensor. Comparisons and logical ops give bool and have no gradient. */
export const BINARY: Record<BinaryOp, OpRecord> = {
  // d(a + b) = da + db
  add: { kernel: 'add_cpu', result: 'same', notFor: [], grad: 'AddBackward0', saves: [], backward: (g, _s, _F, n) => [n.wants(0) ? g : null, n.wants(1) ? g : null] },
  // d(a - b) = da - db
  sub: { kernel: 'sub_cpu', result: 'same', notFor: [], grad: 'SubBackward0', saves: [], backward: (g, _s, F, n) => [n.wants(0) ? g : null, n.wants(1) ? F.neg(g) : null] },
  // d(a b) = b da + a db: self: grad * other; other: grad * self
  mul: { kernel: 'mul_cpu', result: 'same', notFor: [],
    grad: 'MulBackward0', saves: ['a', 'b'],
    backward: (g, [a, b], F, n) => [n.wants(0) ? F.mul(g, b) : null, n.wants(1) ? F.mul(g, a) : null],
  },
  // d(a / b) = da / b - a / b^2 db: self: grad / other; other: -grad * ((self / other) / other)
  div: { kernel: 'div_true_cpu', result: 'float', notFor: [],
    grad: 'DivBackward0', saves: ['a', 'b'],
    backward: (g, [a, b], F, n) => [n.wants(0) ? F.div(g, b) : null, n.wants(1) ? F.mul(F.neg(g), F.div(F.div(a, b), b)) : null],
  },
  // remainder(a, b) = a - b floor(a / b): self: grad; other: -grad * floor(self / other)
  remainder: { kernel: 'remainder_cpu', result: 'same', notFor: ['bool'],
    grad: 'RemainderBackward1', saves: ['a', 'b'],
    backward: (g, [a, b], F, n) => [n.wants(0) ? g : null, n.wants(1) ? F.mul(F.neg(g), F.unary('floor', F.div(a, b))) : null],
  },
  // d(a^b) = b a^(b-1) da + a^b log(a) db
  pow: { kernel: 'pow', result: 'same', notFor: ['bool'],
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
  maximum: { kernel: 'maximum_cpu', result: 'same', notFor: [], grad: 'MaximumBackward0', saves: ['a', 'b'], backward: (g, [a, b], F, n) => extremumBackward(g, a, b, F, n, true) },
  minimum: { kernel: 'minimum_cpu', result: 'same', notFor: [], grad: 'MinimumBackward0', saves: ['a', 'b'], backward: (g, [a, b], F, n) => extremumBackward(g, a, b, F, n, false) },
  // atan2(a, b): self: grad * other / (self^2 + other^2); other: grad * -self / (self^2 + other^2)
  atan2: { kernel: 'atan2_cpu', result: 'float', notFor: ['float16'],
    grad: 'Atan2Backward0', saves: ['a', 'b'],
    backward: (g, [a, b], F, n) => {
      const r = F.add(F.mul(a, a), F.mul(b, b));
      return [n.wants(0) ? F.mul(g, F.div(b, r)) : null, n.wants(1) ? F.mul(g, F.div(F.neg(a), r)) : null];
    },
  },
  // fmod(a, b) = a - b trunc(a / b): self: grad; other: -grad * trunc(self / other)
  fmod: { kernel: 'fmod_cpu', result: 'same', notFor: ['bool'],
    grad: 'FmodBackward1', saves: ['a', 'b'],
    backward: (g, [a, b], F, n) => [n.wants(0) ? g : null, n.wants(1) ? F.mul(F.neg(g), F.unary('trunc', F.div(a, b))) : null],
  },
  floor_divide: { kernel: 'div_floor_cpu', result: 'same', notFor: ['bool'] },
  eq: { kernel: 'eq_cpu', result: 'bool' }, ne: { kernel: 'ne_cpu', result: 'bool' }, lt: { kernel: 'lt_cpu', result: 'bool' },
  le: { kernel: 'le_cpu', result: 'bool' }, gt: { kernel: 'gt_cpu', result: 'bool' }, ge: { kernel: 'ge_cpu', result: 'bool' },
  logical_and: { kernel: 'logical_and_cpu', result: 'bool' }, logical_or: { kernel: 'logical_or_cpu', result: 'bool' },
  logical_xor: { kernel: 'logical_xor_cpu', result: 'bool' },
  bitwise_and: { kernel: 'bitwise_and_cpu', result: 'same', notFor: ['float32', 'float64', 'float16', 'bfloat16'] },
  bitwise_or: { kernel: 'bitwise_or_cpu', result: 'same', notFor: ['float32', 'float64', 'float16', 'bfloat16'] },
  bitwise_xor: { kernel: 'bitwise_xor_cpu', result: 'same', notFor: ['float32', 'float64', 'float16', 'bfloat16'] },
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

/** f(tensor). */
export const UNARY: Record<UnaryOp, OpRecord> = {
  // d(-x) = -dx
  neg: { kernel: 'neg_cpu', result: 'same', refuse: { bool: 'Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.' }, grad: 'NegBackward0', saves: [], backward: (g, _s, F) => [F.neg(g)] },
  // d exp(x) = exp(x) dx: grad * result
  exp: { kernel: 'exp_vml_cpu', result: 'float', notFor: ['float16'], grad: 'ExpBackward0', saves: ['out'], backward: (g, [y], F) => [F.mul(g, y)] },
  // d 2^x = 2^x ln2 dx: grad * result * ln(2)
  exp2: { kernel: 'exp2_cpu', result: 'float', grad: 'Exp2Backward0', saves: ['out'], backward: (g, [y], F) => [F.mul(g, F.binaryScalar('mul', y, Math.LN2, 'float'))] },
  // d expm1(x) = (expm1(x) + 1) dx: grad * (result + 1)
  expm1: { kernel: 'expm1_vml_cpu', result: 'float', notFor: ['float16'], grad: 'Expm1Backward0', saves: ['out'], backward: (g, [y], F) => [F.mul(g, F.binaryScalar('add', y, 1, 'int'))] },
  // d log(x) = dx / x: grad.div(self)
  log: { kernel: 'log_vml_cpu', result: 'float', notFor: ['float16'], grad: 'LogBackward0', saves: ['a'], backward: (g, [x], F) => [F.div(g, x)] },
  // d log10(x) = dx / (x ln 10): grad / (self * 2.3025850929940456)
  log10: { kernel: 'log10_vml_cpu', result: 'float', notFor: ['float16'], grad: 'Log10Backward0', saves: ['a'], backward: (g, [x], F) => [F.div(g, F.binaryScalar('mul', x, Math.LN10, 'float'))] },
  log2: { kernel: 'log2_vml_cpu', result: 'float', notFor: ['float16'], grad: 'Log2Backward0', saves: ['a'], backward: (g, [x], F) => [F.div(g, F.binaryScalar('mul', x, Math.LN2, 'float'))] },
  // d log1p(x) = dx / (1 + x)
  log1p: { kernel: 'log1p_vml_cpu', result: 'float', notFor: ['float16'], grad: 'Log1PBackward0', saves: ['a'], backward: (g, [x], F) => [F.div(g, F.binaryScalar('add', x, 1, 'int'))] },
  // d tanh(x) = (1 - tanh(x)^2) dx: tanh_backward(grad, result) = grad * (1 - y * y), each op rounded
  tanh: { kernel: 'tanh_vml_cpu', result: 'float', notFor: ['float16'], grad: 'TanhBackward0', saves: ['out'], backward: (g, [y], F) => [F.mul(g, F.binaryScalar('sub', F.mul(y, y), 1, 'int', true))] },
  // d sqrt(x) = dx / (2 sqrt(x)): grad / (2 * result)
  sqrt: { kernel: 'sqrt_vml_cpu', result: 'float', notFor: ['float16'], grad: 'SqrtBackward0', saves: ['out'], backward: (g, [y], F) => [F.div(g, F.binaryScalar('mul', y, 2, 'int'))] },
  // d x^-1/2 = -1/2 x^-3/2 dx: -0.5 * grad * result.pow(3)
  rsqrt: { kernel: 'rsqrt_cpu', result: 'float', notFor: ['float16'], grad: 'RsqrtBackward0', saves: ['out'], backward: (g, [y], F) => [F.mul(F.binaryScalar('mul', g, -0.5, 'float'), F.powScalar(y, 3, 'int'))] },
  // d |x| = sgn(x) dx
  abs: { kernel: 'abs_cpu', result: 'same', notFor: ['bool'], grad: 'AbsBackward0', saves: ['a'], backward: (g, [x], F) => [F.mul(g, F.unary('sign', x))] },
  // d (1/x) = -1/x^2 dx: -grad * (result * result)
  reciprocal: { kernel: 'reciprocal_cpu', result: 'float', grad: 'ReciprocalBackward0', saves: ['out'], backward: (g, [y], F) => [F.mul(F.neg(g), F.mul(y, y))] },
  // d sigmoid(x) = s (1 - s) dx: sigmoid_backward(grad, result) = grad * (1 - y) * y
  sigmoid: { kernel: 'sigmoid_cpu', result: 'float', notFor: ['float16'], grad: 'SigmoidBackward0', saves: ['out'], backward: (g, [y], F) => [F.mul(F.mul(g, F.binaryScalar('sub', y, 1, 'int', true)), y)] },
  // relu: threshold_backward(grad, result, 0): grad where result > 0
  relu: { kernel: 'clamp_min_cpu', result: 'same', notFor: ['float16'], refuse: { bool: 'Boolean inputs not supported for relu' }, grad: 'ReluBackward0', saves: ['out'], backward: (g, [y], F) => [F.where(F.binaryScalar('gt', y, 0, 'int'), g, F.zerosLike(g))] },
  sin: { kernel: 'sin_vml_cpu', result: 'float', notFor: ['float16'], grad: 'SinBackward0', saves: ['a'], backward: (g, [x], F) => [F.mul(g, F.unary('cos', x))] },
  cos: { kernel: 'cos_vml_cpu', result: 'float', notFor: ['float16'], grad: 'CosBackward0', saves: ['a'], backward: (g, [x], F) => [F.mul(g, F.neg(F.unary('sin', x)))] },
  // d tan(x) = (1 + tan^2 x) dx: grad * (1 + result.pow(2))
  tan: { kernel: 'tan_vml_cpu', result: 'float', notFor: ['float16'], grad: 'TanBackward0', saves: ['out'], backward: (g, [y], F) => [F.mul(g, F.binaryScalar('add', F.powScalar(y, 2, 'int'), 1, 'int'))] },
  // d atan(x) = dx / (1 + x^2)
  atan: { kernel: 'atan_vml_cpu', result: 'float', notFor: ['float16'], grad: 'AtanBackward0', saves: ['a'], backward: (g, [x], F) => [F.div(g, F.binaryScalar('add', F.mul(x, x), 1, 'int'))] },
  // d sinh = cosh dx, d cosh = sinh dx
  sinh: { kernel: 'sinh_cpu', result: 'float', notFor: ['float16'], grad: 'SinhBackward0', saves: ['a'], backward: (g, [x], F) => [F.mul(g, F.unary('cosh', x))] },
  cosh: { kernel: 'cosh_cpu', result: 'float', notFor: ['float16'], grad: 'CoshBackward0', saves: ['a'], backward: (g, [x], F) => [F.mul(g, F.unary('sinh', x))] },
  // d asin(x) = dx / sqrt(1 - x^2); d acos = -that
  asin: { kernel: 'asin_vml_cpu', result: 'float', notFor: ['float16'], grad: 'AsinBackward0', saves: ['a'], backward: (g, [x], F) => [F.mul(g, F.unary('rsqrt', F.binaryScalar('sub', F.mul(x, x), 1, 'int', true)))] },
  acos: { kernel: 'acos_vml_cpu', result: 'float', notFor: ['float16'], grad: 'AcosBackward0', saves: ['a'], backward: (g, [x], F) => [F.mul(g, F.neg(F.unary('rsqrt', F.binaryScalar('sub', F.mul(x, x), 1, 'int', true))))] },
  // d erf(x) = 2/sqrt(pi) exp(-x^2) dx
  erf: { kernel: 'erf_vml_cpu', result: 'float', notFor: ['float16'], grad: 'ErfBackward0', saves: ['a'], backward: (g, [x], F) => [F.mul(g, F.binaryScalar('mul', F.unary('exp', F.neg(F.mul(x, x))), 2 / Math.sqrt(Math.PI), 'float'))] },
  // piecewise constant: zero gradient
  sign: { kernel: 'sign_cpu', result: 'same', boolTo: 'bool', grad: 'SignBackward0', saves: [], backward: (g, _s, F) => [F.zerosLike(g)] },
  floor: { kernel: 'floor_vml_cpu', result: 'same', notFor: ['float16', 'bool'], grad: 'FloorBackward0', saves: [], backward: (g, _s, F) => [F.zerosLike(g)] },
  ceil: { kernel: 'ceil_vml_cpu', result: 'same', notFor: ['float16', 'bool'], grad: 'CeilBackward0', saves: [], backward: (g, _s, F) => [F.zerosLike(g)] },
  round: { kernel: 'round_vml_cpu', result: 'same', notFor: ['float16', 'bool'], grad: 'RoundBackward0', saves: [], backward: (g, _s, F) => [F.zerosLike(g)] },
  trunc: { kernel: 'trunc_vml_cpu', result: 'same', notFor: ['float16', 'bool'], grad: 'TruncBackward0', saves: [], backward: (g, _s, F) => [F.zerosLike(g)] },
  // frac(x) = x - trunc(x): grad
  frac: { kernel: 'frac_cpu', result: 'same', notFor: ['int64', 'int32', 'int16', 'int8', 'uint8', 'bool'], grad: 'FracBackward0', saves: [], backward: (g) => [g] },
  asinh: { kernel: 'asinh_cpu', result: 'float', notFor: ['float16'] },
  acosh: { kernel: 'acosh_cpu', result: 'float', notFor: ['float16'] },
  atanh: { kernel: 'atanh_cpu', result: 'float', notFor: ['float16'] },
  logical_not: { kernel: 'logical_not_cpu', result: 'bool' },
  bitwise_not: { kernel: 'bitwise_not_cpu', result: 'same', notFor: ['float32', 'float64', 'float16', 'bfloat16'], boolTo: 'bool' },
  // x.square() is pow(x, 2) (ops/pointwise.ts): its record is pow's
  square: { kernel: 'pow', result: 'same' },
  isnan: { kernel: 'isnan', result: 'bool' }, isinf: { kernel: 'isinf', result: 'bool' }, isfinite: { kernel: 'isfinite', result: 'bool' },
};
