// The tensor library against PyTorch 1.13 (test/fixtures/torchlib.json, from scripts/make_torchlib_fixture.py):
// per op, the output's values, shape, dtype and grad_fn name, and the gradient of every input from
// backward of (out * w).sum(). Tolerances come from float error: IEEE + - * / ops and integer ops must be
// bitwise equal; transcendental ones (exp, log, tanh, pow via Math rather than glibc/SLEEF) within 2 ulp
// of float32 relative to the tensor's magnitude; sums within n eps (our double accumulator vs PyTorch's
// float cascade); gradients, which chain several rounded ops (and Debian's kernels contract some with
// FMA), within 8 ulp of the gradient's magnitude.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import * as T from '../../src/core/torch/index.js';
import type { DType, IndexItem, Tensor } from '../../src/core/torch/index.js';
import { REPO } from '../helpers.js';

type Num = number | 'nan' | 'inf' | '-inf';
interface TJson { shape: number[]; dtype: DType; values: Num[]; requires_grad?: boolean }
interface Case { inputs: TJson[]; kind: 'exact' | 'ulp' | 'reduce' | 'int'; outs: TJson[]; grad_fn: (string | null)[]; grads?: (TJson | null)[] }
interface InplaceCase { inputs: TJson[]; out: TJson; grad_fn: string | null; grads?: (TJson | null)[]; grad_error?: string }
interface Fixture { torch: string; cases: Record<string, Case>; inplace: Record<string, InplaceCase>; errors: Record<string, { type: string; message: string } | null> }

const fx = JSON.parse(readFileSync(join(REPO, 'test', 'fixtures', 'torchlib.json'), 'utf8')) as Fixture;
const num = (v: Num): number => (v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v);

function load(j: TJson): Tensor {
  const t = T.fromValues(j.values.map(num), j.shape, j.dtype);
  if (j.requires_grad) T.setRequiresGrad(t, true);
  return t;
}

const EPS32 = 2 ** -24;

/** Compares a tensor with a recorded one: shape and dtype exactly, values within `ulps` of the magnitude. */
function expectTensor(what: string, got: Tensor, want: TJson, ulps: number): void {
  assert.deepEqual(got.shape, want.shape, `${what}: shape`);
  assert.equal(got.dtype, want.dtype, `${what}: dtype`);
  const v = T.values(got);
  const e = want.values.map(num);
  const eps = want.dtype === 'float64' ? 2 ** -53 : EPS32;
  let scale = 0;
  for (const x of e) if (Number.isFinite(x)) scale = Math.max(scale, Math.abs(x));
  const tol = ulps * eps * scale;
  for (let i = 0; i < e.length; i++) {
    const ok = Number.isNaN(e[i]) ? Number.isNaN(v[i]) : !Number.isFinite(e[i]) ? v[i] === e[i] : Math.abs(v[i] - e[i]) <= tol;
    if (!ok) assert.fail(`${what}: [${i}] ${v[i]} vs torch ${e[i]} (tolerance ${tol}, ${ulps} ulp of ${scale})`);
  }
}

const int = (i: number): IndexItem => ({ kind: 'int', i });
const sl = (start: number | null, stop: number | null, step: number | null = null): IndexItem => ({ kind: 'slice', start, stop, step });
const idx = (vals: number[], shape = [vals.length]): IndexItem => ({ kind: 'tensor', t: T.fromValues(vals, shape, 'int64') });
const b = T.binary;
const s = (op: T.BinaryOp, a: Tensor, x: number, reverse = false): Tensor => T.binaryScalar(op, a, x, Number.isInteger(x) && !String(x).includes('.') ? 'int' : 'float', reverse);
const sf = (op: T.BinaryOp, a: Tensor, x: number, reverse = false): Tensor => T.binaryScalar(op, a, x, 'float', reverse);

/** Each case of the fixture, written with the library (the Python lambda it mirrors in the comment). */
const OPS: Record<string, (...xs: Tensor[]) => Tensor | Tensor[]> = {
  add_bcast: (a, c) => b('add', a, c),
  sub_bcast: (a, c) => b('sub', a, c),
  mul_bcast: (a, c) => b('mul', a, c),
  div_bcast: (a, c) => b('div', a, c),
  pow_tensor: (a, c) => b('pow', a, c),
  maximum: (a, c) => b('maximum', a, c),
  mul_scalar_weak: (a) => sf('mul', a, 0.1),
  rmul_scalar: (a) => sf('mul', a, 0.3, true),
  add_scalar: (a) => sf('add', a, 1e-5),
  rsub_scalar: (a) => sf('sub', a, 1.0, true),
  sub_scalar: (a) => s('sub', a, 3),
  rdiv_scalar: (a) => sf('div', a, 3.0, true),
  div_scalar: (a) => s('div', a, 7),
  pow_2: (a) => s('pow', a, 2),
  pow_m05: (a) => sf('pow', a, -0.5),
  pow_m1: (a) => s('pow', a, -1),
  pow_m15: (a) => sf('pow', a, -1.5),
  rpow: (a) => s('pow', a, 2, true),
  neg: (a) => T.neg(a),
  exp: (a) => T.unary('exp', a),
  log: (a) => T.unary('log', a),
  log10: (a) => T.unary('log10', a),
  tanh: (a) => T.unary('tanh', a),
  sqrt: (a) => T.unary('sqrt', a),
  abs: (a) => T.unary('abs', a),
  square: (a) => T.unary('square', a),
  sigmoid: (a) => T.unary('sigmoid', a),
  relu: (a) => T.unary('relu', a),
  clamp: (a) => T.clamp(a, -1, 0.5),
  clamp_min: (a) => T.clamp(a, 0, null),
  f64_mul_f32: (a, c) => b('mul', a, c),
  f64_scalar: (a) => s('add', sf('mul', a, 0.1), 1),
  int_mul_float: (a) => sf('mul', a, 0.5),
  int_add_f32: (a, c) => b('add', a, c),
  int_add_int: (a, c) => b('add', a, s('mul', c, 3)),
  int_truediv: (a, c) => b('div', a, c),
  int_floordiv: (a, c) => b('floor_divide', a, c),
  int_floordiv_neg: (a) => s('floor_divide', a, -3),
  int_mod: (a, c) => b('remainder', a, c),
  int_mod_neg: (a) => s('remainder', a, -4),
  float_floordiv: (a) => sf('floor_divide', a, 0.3),
  float_mod: (a) => sf('remainder', a, 0.7),
  bool_add_int: (a) => s('add', s('gt', a, 0), 2),
  bool_sum: (a) => T.sumDims(s('gt', a, 0), null),
  compare: (a, c) => b('lt', a, c),
  compare_scalar: (a) => sf('ge', a, 0.5),
  eq_int: (a, c) => b('eq', a, c),
  sum_all: (a) => T.sumDims(a, null),
  sum_0: (a) => T.sumDims(a, 0),
  sum_1_keep: (a) => T.sumDims(a, 1, true),
  sum_01: (a) => T.sumDims(a, [0, 2]),
  mean_all: (a) => T.mean(a, null),
  mean_0_keep: (a) => T.mean(a, 0, true),
  var_0: (a) => T.variance(a, 0, 1, false, false),
  var_biased: (a) => T.variance(a, 1, 0, false, false),
  var_all: (a) => T.variance(a, null, 1, false, false),
  std_1: (a) => T.variance(a, 1, 1, true, true),
  max_all: (a) => T.maxMinAll(a, true),
  max_1: (a) => T.maxMinDim(a, 1, false, true),
  max_1_keep: (a) => T.maxMinDim(a, 1, true, true),
  min_0: (a) => T.maxMinDim(a, 0, false, false),
  amax_1: (a) => T.amaxAmin(a, 1, false, true),
  argmax_1: (a) => T.argMaxMin(a, 1, false, true),
  argmax_all: (a) => T.argMaxMin(a, null, false, true),
  all_any: (a) => T.stack([T.allAny(s('gt', a, -8), null, false, true), T.allAny(s('gt', a, 8), null, false, false), T.allAny(s('gt', a, 0), null, false, true)]),
  mm: (a, c) => T.matmul(a, c),
  mm_t: (a) => T.matmul(a, T.T(a)),
  mm_tt: (a, c) => T.matmul(T.t(a), T.t(c)),
  mv: (a, c) => T.matmul(a, c),
  dot: (a, c) => T.matmul(a, c),
  view: (a) => s('mul', T.view(a, [2, 6]), 1),
  view_infer: (a) => T.view(a, [-1]),
  reshape_copy: (a) => T.reshape(T.T(a), [12]),
  T: (a) => T.T(a),
  t: (a) => T.t(a),
  transpose: (a) => T.transpose(a, 0, 2),
  permute: (a) => T.permute(a, [2, 0, 1]),
  unsqueeze: (a) => T.unsqueeze(a, 1),
  squeeze_all: (a) => T.squeeze(a),
  squeeze_dim: (a) => T.squeeze(a, 1),
  expand: (a) => T.expand(a, [3, 5]),
  select: (a) => T.select(a, 1, 2),
  split: (a) => T.split(a, 2, 0)[2],
  split_sizes: (a) => T.split(a, [1, 3], 1)[1],
  tensor_split: (a) => T.tensorSplit(a, 3, 0)[1],
  cat: (a, c) => T.cat([a, c], 0),
  cat_1: (a, c) => T.cat([a, c], 1),
  stack: (a, c) => T.stack([a, c], 1),
  clone: (a) => T.clone(a),
  reshape_view: (a) => T.reshape(a, [2, 6]),
  where: (a, c) => T.where(b('gt', a, c), a, c),
  reciprocal: (a) => T.unary('reciprocal', a),
  contiguous: (a) => T.contiguous(T.T(a)),
  to_double: (a) => T.castTo(a, 'float64'),
  to_float: (a) => T.castTo(a, 'float32'),
  long: (a) => T.castTo(a, 'int64'),
  idx_int: (a) => T.getitem(a, [int(1)]),
  idx_neg: (a) => T.getitem(a, [int(-1), int(-2)]),
  idx_slice_step: (a) => T.getitem(a, [sl(1, 6, 2), sl(null, null, 3)]),
  idx_slice_neg: (a) => T.getitem(a, [sl(-3, null), sl(null, -1)]),
  idx_none_ellipsis: (a) => T.getitem(a, [{ kind: 'none' }, { kind: 'ellipsis' }, int(1)]),
  idx_list: (a) => T.getitem(a, [idx([0, 2, 2])]),
  idx_range_pairs: (a) => T.getitem(a, [{ kind: 'tensor', t: T.arange(0, 3, 1, 'int64') }, idx([1, 3, 0])]),
  idx_embed: (a) => T.getitem(a, [idx([0, 5, 2, 2, 2, 1], [2, 3])]),
  idx_mask: (a) => T.getitem(a, [{ kind: 'tensor', t: s('gt', a, 0) }]),
  idx_col_list: (a) => T.getitem(a, [sl(null, null), idx([3, 1])]),
  idx_int_list: (a) => T.getitem(a, [int(0), idx([1, 2])]),
  idx_split_adv: (a) => T.getitem(a, [idx([0, 1]), sl(null, null), idx([1, 3])]),
  idx_adj_adv: (a) => T.getitem(a, [sl(null, null), idx([0, 2]), idx([1, 3])]),
  idx_row_mask: (a) => T.getitem(a, [{ kind: 'tensor', t: T.fromValues([1, 0, 1], [3], 'bool') }]),
  softmax: (a) => T.softmax(a, 1),
  softmax_0: (a) => T.softmax(a, 0),
  log_softmax: (a) => T.logSoftmax(a, 1),
  cross_entropy: (a) => T.crossEntropy(a, T.fromValues([0, 3, 1, 1, 2], [5], 'int64')),
  one_hot: () => T.oneHot(T.fromValues([0, 3, 1], [3], 'int64'), 5),
  one_hot_infer: () => T.oneHot(T.fromValues([0, 2, 1, 1], [2, 2], 'int64')),
  arange: () => T.arange(0, 1, 0.1, 'float32'),
  arange_int: () => T.arange(0, 10, 1, 'int64'),
  eye: () => T.eye(3, 4),
  zeros_like: (a) => b('add', T.zeros(a.shape, a.dtype), T.ones(a.shape, a.dtype)),
  isclose: (a) => T.isclose(a, sf('add', a, 1e-6)),
  allclose: (a) => T.fromValues([+T.allclose(a, sf('add', a, 1e-6)), +T.allclose(a, sf('add', a, 1e-4)), +T.equal(a, s('mul', a, 1))], [3], 'bool'),
};

const ULPS = { exact: 0, int: 0, ulp: 2, reduce: 0 } as const;
/**
 * Gradients whose formula cancels: softmax's backward is y * (g - sum(g y)) with g - sum(g y) much smaller
 * than g, so the sum's rounding (our double vs torch's float accumulator) is amplified ~|g| / |g - s|.
 */
const GRAD_ULPS: Record<string, number> = { softmax: 64, softmax_0: 64 };

/** The (out * w).sum() the fixture differentiates, w = 0.5 + 0.25 cos(0.9 i). */
function weightedSum(out: Tensor): Tensor {
  const w = T.castTo(T.fromValues(Array.from({ length: out.numel }, (_, i) => 0.5 + 0.25 * Math.cos(i * 0.9)), out.shape, 'float64'), out.dtype);
  return T.sumDims(b('mul', out, w), null);
}

test('every fixture case has an implementation here, and the fixture was made by torch 1.13', () => {
  assert.match(fx.torch, /^1\.13/);
  assert.deepEqual(Object.keys(fx.cases).filter((k) => !(k in OPS)), []);
});

for (const [name, c] of Object.entries(fx.cases)) {
  test(`op ${name}: values, shape, dtype, grad_fn and gradients as torch`, () => {
    const xs = c.inputs.map(load);
    const r = OPS[name](...xs);
    const outs = Array.isArray(r) ? r : [r];
    assert.equal(outs.length, c.outs.length, 'number of outputs');
    const n = Math.max(...xs.map((x) => x.numel), 1);
    const ulps = c.kind === 'reduce' ? 2 * n : ULPS[c.kind];
    outs.forEach((o, i) => {
      expectTensor(`${name} out ${i}`, o, c.outs[i], ulps);
      assert.equal(T.gradFnName(o), c.grad_fn[i], `${name} out ${i}: grad_fn`);
    });
    if (c.grads !== undefined) {
      T.backward(weightedSum(outs[0]));
      c.grads.forEach((g, i) => {
        if (g === null) assert.equal(xs[i].grad, null, `${name}: input ${i} should get no grad`);
        else {
          assert.ok(xs[i].grad !== null, `${name}: input ${i} got no grad`);
          expectTensor(`${name} grad ${i}`, xs[i].grad!, g, GRAD_ULPS[name] ?? (c.kind === 'reduce' ? 2 * n : 8));
        }
      });
    }
  });
}

/** The in-place cases, mirroring the Python functions of the fixture script. */
const INPLACE: Record<string, (...xs: Tensor[]) => Tensor> = {
  iadd: (a, c) => {
    const x = s('mul', a, 1);
    return T.binaryInplace('add', x, c);
  },
  setitem_adv: (a) => {
    const x = T.softmax(a, 1);
    const ix: IndexItem[] = [{ kind: 'tensor', t: T.arange(0, 3, 1, 'int64') }, idx([1, 3, 0])];
    const tmp = T.getitem(x, ix);
    T.binaryInplace('sub', tmp, 1, 'int');
    T.setitem(x, ix, tmp);
    return T.binaryInplace('div', x, 3, 'int');
  },
  setitem_view: (a, c) => {
    const x = s('mul', a, 1);
    T.setitem(x, [int(1)], c);
    return x;
  },
  setitem_slice_scalar: (a) => {
    const x = T.clone(T.detach(a));
    T.setitem(x, [sl(null, null), sl(1, 3)], T.full([], 0.5, 'float32'));
    const e = T.getitem(x, [int(0), int(0)]);
    T.binaryInplace('add', e, 2, 'int');
    T.setitem(x, [int(0), int(0)], e);
    return x;
  },
  index_add: (a, c) => {
    const x = s('mul', a, 1);
    return T.indexAdd(x, 0, T.fromValues([2, 0, 2], [3], 'int64'), c);
  },
  dC_loop: (a) => {
    const dC = T.zeros([6, 3]);
    const ids = T.fromValues([0, 5, 2, 2, 2, 1], [2, 3], 'int64');
    for (let k = 0; k < 2; k++) {
      for (let j = 0; j < 3; j++) {
        const ix: IndexItem[] = [{ kind: 'tensor', t: T.getitem(ids, [int(k), int(j)]) }];
        const row = T.getitem(dC, ix);
        T.binaryInplace('add', row, T.getitem(a, [int(k), int(j)]));
        T.setitem(dC, ix, row);
      }
    }
    return dC;
  },
  fill: (a) => {
    const x = s('mul', a, 1);
    T.fill(T.getitem(x, [int(0)]), 3);
    T.zero(T.getitem(x, [int(2)]));
    return x;
  },
  clamp_: (a) => T.clampInplace(s('mul', a, 1), -1, 1),
  index_put: (a, c) => {
    const x = s('mul', a, 1);
    T.setitem(x, [idx([0, 2])], c);
    return x;
  },
  fill_whole: (a) => T.fill(s('mul', a, 1), 2),
  zero_whole: (a) => T.zero(s('mul', a, 1)),
  data_update: (a, c) => {
    const x = T.clone(T.detach(a));
    T.binaryInplace('add', T.dataOf(x), sf('mul', c, -0.1, true));
    return x;
  },
  mask_set: (a) => {
    const x = T.clone(T.detach(a));
    T.setitem(x, [{ kind: 'tensor', t: s('gt', x, 0) }], T.full([], 0, 'float32'));
    return x;
  },
};

for (const [name, c] of Object.entries(fx.inplace)) {
  test(`in place ${name}: values, grad_fn and gradients (or the backward error) as torch`, () => {
    const xs = c.inputs.map(load);
    const out = INPLACE[name](...xs);
    expectTensor(`${name} out`, out, c.out, 2);
    assert.equal(T.gradFnName(out), c.grad_fn, `${name}: grad_fn`);
    if (c.grad_error !== undefined) {
      assert.throws(() => T.backward(weightedSum(out)), (e: Error) => e.message === c.grad_error);
    } else if (c.grads !== undefined) {
      T.backward(weightedSum(out));
      c.grads.forEach((g, i) => {
        if (g !== null) expectTensor(`${name} grad ${i}`, xs[i].grad!, g, 8);
        else assert.equal(xs[i].grad, null);
      });
    }
  });
}

const ERRORS: Record<string, () => unknown> = {};
{
  const a = (): Tensor => T.setRequiresGrad(T.fromValues(Array.from({ length: 12 }, (_, i) => Math.sin(i * 1.37) * 2), [3, 4], 'float32'), true);
  const v = (shape: number[]): Tensor => T.fromValues(Array.from({ length: shape.reduce((p, q) => p * q, 1) }, (_, i) => Math.sin(i * 1.37) * 2), shape, 'float32');
  Object.assign(ERRORS, {
    broadcast: () => b('add', a(), v([5])),
    matmul: () => T.matmul(a(), v([5, 2])),
    view: () => T.view(a(), [5]),
    view_stride: () => T.view(T.T(a()), [12]),
    leaf_inplace: () => T.binaryInplace('add', a(), 1, 'int'),
    leaf_view_inplace: () => {
      const x = a();
      const r = T.getitem(x, [int(0)]);
      T.binaryInplace('add', r, 1, 'int');
    },
    index_oob: () => T.getitem(a(), [int(3)]),
    too_many: () => T.getitem(a(), [int(0), int(0), int(0)]),
    item: () => T.item(a()),
    backward_nonscalar: () => T.backward(s('mul', a(), 2)),
    retain_nograd: () => T.retainGrad(v([2])),
    int_requires_grad: () => T.setRequiresGrad(T.fromValues([1, 2], [2], 'int64'), true),
    inplace_cast: () => T.binaryInplace('add', T.fromValues([1, 2], [2], 'int64'), 0.5, 'float'),
    cat_mismatch: () => T.cat([v([2, 3]), v([2, 4])]),
    mean_int: () => T.mean(T.fromValues([1, 2], [2], 'int64'), null),
    modified_saved: () => {
      const y = T.unary('exp', s('mul', a(), 1));
      T.binaryInplace('add', y, 1, 'int');
      T.backward(T.sumDims(y, null));
    },
    backward_twice: () => {
      const x = a();
      const y = T.sumDims(b('mul', x, x), null);
      T.backward(y);
      T.backward(y);
    },
  });
}

for (const [name, want] of Object.entries(fx.errors)) {
  test(`error ${name}: the same exception type and message as torch`, () => {
    assert.ok(want !== null, `torch raised nothing for ${name}`);
    assert.ok(name in ERRORS, `no TS case for ${name}`);
    assert.throws(ERRORS[name], (e: Error) => {
      assert.equal(e.name, want.type);
      assert.equal(e.message.split('\n')[0], want.message);
      return true;
    });
  });
}
