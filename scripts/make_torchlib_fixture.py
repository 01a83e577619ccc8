#!/usr/bin/python3
"""PyTorch reference for the TypeScript tensor library (src/core/torch), used by test/torch/library.test.ts.

Regenerate from the repo root with Debian's python3 and python3-torch (1.13):

    /usr/bin/python3 scripts/make_torchlib_fixture.py

For each case: inputs built from formulas (no RNG), the op run in torch, and recorded: the output's values,
shape, dtype and grad_fn name; for differentiable cases, the gradient of every input that requires grad,
from backward of (out * w).sum() with w a fixed formula of out's shape (so gradients are not all ones).
Error cases record the exception type and message. The TypeScript test runs the same case by name.
Values are exact decimal reprs of the stored numbers; non-finite ones are the strings "nan", "inf", "-inf".
"""
import json
import math
import os

import torch
import torch.nn.functional as F

torch.set_printoptions(precision=8)


def vals(shape, k=0, scale=2.0, dtype=torch.float32, positive=False, ints=None):
    n = 1
    for s in shape:
        n *= s
    if ints is not None:
        lo, hi = ints
        data = [lo + (i * 7 + k * 3 + (i * i) % 5) % (hi - lo) for i in range(n)]
        return torch.tensor(data, dtype=dtype).reshape(shape).clone()
    data = [math.sin(i * 1.37 + k * 0.71) * scale for i in range(n)]
    if positive:
        data = [abs(v) + 0.1 for v in data]
    return torch.tensor(data, dtype=torch.float64).to(dtype).reshape(shape).clone()  # a leaf, not a view


def weights(shape):
    n = 1
    for s in shape:
        n *= s
    return torch.tensor([0.5 + 0.25 * math.cos(i * 0.9) for i in range(n)], dtype=torch.float64).reshape(shape)


def enc(x):
    if isinstance(x, bool):
        return 1.0 if x else 0.0
    x = float(x)
    if math.isnan(x):
        return 'nan'
    if math.isinf(x):
        return 'inf' if x > 0 else '-inf'
    return x


def tensor_json(t):
    return {'shape': list(t.shape), 'dtype': str(t.dtype).replace('torch.', ''), 'values': [enc(v) for v in t.detach().reshape(-1).tolist()]}


f32 = torch.float32
f64 = torch.float64
i64 = torch.int64

# name -> (inputs: list of (shape, kwargs for vals, requires_grad), fn(*inputs) -> tensor or tuple, kind)
# kind: 'exact' (IEEE + - * /), 'ulp' (transcendental), 'reduce' (sums: n eps), 'int' (integers, bools)
CASES = {}


def case(name, inputs, kind='exact'):
    def deco(fn):
        CASES[name] = (inputs, fn, kind)
        return fn
    return deco


A = ([3, 4], {}, True)
B = ([4], {'k': 1}, True)
Bcol = ([3, 1], {'k': 2}, True)
P = ([3, 4], {'positive': True, 'k': 3}, True)
I = ([3, 4], {'ints': (-7, 9), 'dtype': i64}, False)
J = ([3, 4], {'ints': (1, 6), 'dtype': i64, 'k': 1}, False)
D = ([3, 4], {'dtype': f64, 'k': 4}, True)

case('add_bcast', [A, B])(lambda a, b: a + b)
case('sub_bcast', [A, Bcol])(lambda a, b: a - b)
case('mul_bcast', [Bcol, B])(lambda a, b: a * b)
case('div_bcast', [A, ([3, 4], {'positive': True, 'k': 5}, True)])(lambda a, b: a / b)
case('pow_tensor', [P, ([3, 4], {'k': 6, 'scale': 1.5}, True)], 'ulp')(lambda a, b: a ** b)
case('maximum', [A, ([3, 4], {'k': 7}, True)])(lambda a, b: torch.maximum(a, b))
case('mul_scalar_weak', [A])(lambda a: a * 0.1)
case('rmul_scalar', [A])(lambda a: 0.3 * a)
case('add_scalar', [A])(lambda a: a + 1e-5)
case('rsub_scalar', [A])(lambda a: 1.0 - a)
case('sub_scalar', [A])(lambda a: a - 3)
case('rdiv_scalar', [P])(lambda a: 3.0 / a)
case('div_scalar', [A])(lambda a: a / 7)
case('pow_2', [A])(lambda a: a ** 2)
case('pow_m05', [P], 'ulp')(lambda a: a ** -0.5)
case('pow_m1', [P])(lambda a: a ** -1)
case('pow_m15', [P], 'ulp')(lambda a: a ** -1.5)
case('rpow', [A], 'ulp')(lambda a: 2 ** a)
case('neg', [A])(lambda a: -a)
case('exp', [A], 'ulp')(lambda a: a.exp())
case('log', [P], 'ulp')(lambda a: a.log())
case('log10', [P], 'ulp')(lambda a: a.log10())
case('tanh', [A], 'ulp')(lambda a: torch.tanh(a))
case('sqrt', [P])(lambda a: a.sqrt())
case('abs', [A])(lambda a: a.abs())
case('square', [A])(lambda a: a.square())
case('sigmoid', [A], 'ulp')(lambda a: torch.sigmoid(a))
case('relu', [A])(lambda a: torch.relu(a))
case('clamp', [A])(lambda a: a.clamp(-1, 0.5))
case('clamp_min', [A])(lambda a: a.clamp(min=0))
case('f64_mul_f32', [D, A])(lambda a, b: a * b)
case('f64_scalar', [D], 'exact')(lambda a: a * 0.1 + 1)
case('int_mul_float', [I])(lambda a: a * 0.5)
case('int_add_f32', [I, A])(lambda a, b: a + b)
case('int_add_int', [I, J], 'int')(lambda a, b: a + b * 3)
case('int_truediv', [I, J])(lambda a, b: a / b)
case('int_floordiv', [I, J], 'int')(lambda a, b: a // b)
case('int_floordiv_neg', [I], 'int')(lambda a: a // -3)
case('int_mod', [I, J], 'int')(lambda a, b: a % b)
case('int_mod_neg', [I], 'int')(lambda a: a % -4)
case('float_floordiv', [([3, 4], {}, False)], 'exact')(lambda a: a // 0.3)
case('float_mod', [A])(lambda a: a % 0.7)
case('bool_add_int', [I], 'int')(lambda a: (a > 0) + 2)
case('bool_sum', [I], 'int')(lambda a: (a > 0).sum())
case('compare', [A, B], 'int')(lambda a, b: a < b)
case('compare_scalar', [A], 'int')(lambda a: a >= 0.5)
case('eq_int', [I, J], 'int')(lambda a, b: a == b)

case('sum_all', [A], 'reduce')(lambda a: a.sum())
case('sum_0', [A], 'reduce')(lambda a: a.sum(0))
case('sum_1_keep', [A], 'reduce')(lambda a: a.sum(1, keepdim=True))
case('sum_01', [([2, 3, 4], {}, True)], 'reduce')(lambda a: a.sum((0, 2)))
case('mean_all', [A], 'reduce')(lambda a: a.mean())
case('mean_0_keep', [A], 'reduce')(lambda a: a.mean(0, keepdim=True))
case('var_0', [A], 'reduce')(lambda a: a.var(0))
case('var_biased', [A], 'reduce')(lambda a: a.var(1, unbiased=False))
case('var_all', [A], 'reduce')(lambda a: a.var())
case('std_1', [A], 'reduce')(lambda a: a.std(1, keepdim=True))
case('max_all', [A])(lambda a: a.max())
case('max_1', [A])(lambda a: a.max(1))
case('max_1_keep', [A])(lambda a: a.max(1, keepdim=True))
case('min_0', [A])(lambda a: a.min(0))
case('amax_1', [A])(lambda a: a.amax(1))
case('argmax_1', [A], 'int')(lambda a: a.argmax(1))
case('argmax_all', [A], 'int')(lambda a: a.argmax())
case('all_any', [I], 'int')(lambda a: torch.stack([(a > -8).all(), (a > 8).any(), (a > 0).all()]))

case('mm', [A, ([4, 5], {'k': 8}, True)], 'reduce')(lambda a, b: a @ b)
case('mm_t', [A], 'reduce')(lambda a: a @ a.T)
case('mm_tt', [([4, 3], {}, True), ([5, 4], {'k': 2}, True)], 'reduce')(lambda a, b: a.t() @ b.t())
case('mv', [A, B], 'reduce')(lambda a, b: a @ b)
case('dot', [B, ([4], {'k': 3}, True)], 'reduce')(lambda a, b: a @ b)

case('view', [A])(lambda a: a.view(2, 6) * 1)
case('view_infer', [A])(lambda a: a.view(-1))
case('reshape_copy', [A])(lambda a: a.T.reshape(12))
case('T', [A])(lambda a: a.T)
case('t', [A])(lambda a: a.t())
case('transpose', [([2, 3, 4], {}, True)])(lambda a: a.transpose(0, 2))
case('permute', [([2, 3, 4], {}, True)])(lambda a: a.permute(2, 0, 1))
case('unsqueeze', [A])(lambda a: a.unsqueeze(1))
case('squeeze_all', [([3, 1, 4], {}, True)])(lambda a: a.squeeze())
case('squeeze_dim', [([3, 1, 4], {}, True)])(lambda a: a.squeeze(1))
case('expand', [Bcol])(lambda a: a.expand(3, 5))
case('select', [A])(lambda a: a.select(1, 2))
case('split', [([5, 4], {}, True)])(lambda a: a.split(2, 0)[2])
case('split_sizes', [([5, 4], {}, True)])(lambda a: a.split([1, 3], 1)[1])
case('tensor_split', [([5, 4], {}, True)])(lambda a: a.tensor_split(3, 0)[1])
case('cat', [A, ([2, 4], {'k': 1}, True)])(lambda a, b: torch.cat([a, b], 0))
case('cat_1', [A, Bcol])(lambda a, b: torch.cat([a, b], 1))
case('stack', [A, ([3, 4], {'k': 1}, True)])(lambda a, b: torch.stack([a, b], 1))
case('clone', [A])(lambda a: a.clone())
case('reshape_view', [A])(lambda a: a.reshape(2, 6))
case('where', [A, ([3, 4], {'k': 1}, True)])(lambda a, b: torch.where(a > b, a, b))
case('reciprocal', [P])(lambda a: a.reciprocal())
case('contiguous', [A])(lambda a: a.T.contiguous())
case('to_double', [A])(lambda a: a.double())
case('to_float', [D])(lambda a: a.float())
case('long', [A], 'int')(lambda a: a.long())

case('idx_int', [A])(lambda a: a[1])
case('idx_neg', [A])(lambda a: a[-1, -2])
case('idx_slice_step', [([7, 4], {}, True)])(lambda a: a[1:6:2, ::3])
case('idx_slice_neg', [([7, 4], {}, True)])(lambda a: a[-3:, :-1])
case('idx_none_ellipsis', [([2, 3, 4], {}, True)])(lambda a: a[None, ..., 1])
case('idx_list', [A])(lambda a: a[[0, 2, 2]])
case('idx_range_pairs', [A])(lambda a: a[range(3), torch.tensor([1, 3, 0])])
case('idx_embed', [([6, 3], {}, True)])(lambda a: a[torch.tensor([[0, 5, 2], [2, 2, 1]])])
case('idx_mask', [A])(lambda a: a[a > 0])
case('idx_col_list', [A])(lambda a: a[:, [3, 1]])
case('idx_int_list', [A])(lambda a: a[0, [1, 2]])
case('idx_split_adv', [([2, 3, 4], {}, True)])(lambda a: a[[0, 1], :, [1, 3]])
case('idx_adj_adv', [([2, 3, 4], {}, True)])(lambda a: a[:, [0, 2], [1, 3]])
case('idx_row_mask', [A])(lambda a: a[torch.tensor([True, False, True])])

case('softmax', [A], 'ulp')(lambda a: F.softmax(a, 1))
case('softmax_0', [A], 'ulp')(lambda a: a.softmax(0))
case('log_softmax', [A], 'ulp')(lambda a: F.log_softmax(a, 1))
case('cross_entropy', [([5, 4], {}, True)], 'ulp')(lambda a: F.cross_entropy(a, torch.tensor([0, 3, 1, 1, 2])))
case('one_hot', [], 'int')(lambda: F.one_hot(torch.tensor([0, 3, 1]), num_classes=5))
case('one_hot_infer', [], 'int')(lambda: F.one_hot(torch.tensor([[0, 2], [1, 1]])))

case('arange', [], 'exact')(lambda: torch.arange(0, 1, 0.1))
case('arange_int', [], 'int')(lambda: torch.arange(10))
case('eye', [], 'exact')(lambda: torch.eye(3, 4))
case('zeros_like', [A], 'exact')(lambda a: torch.zeros_like(a) + torch.ones_like(a))
case('isclose', [A], 'int')(lambda a: torch.isclose(a, a + 1e-6))
case('allclose', [A], 'int')(lambda a: torch.tensor([torch.allclose(a, a + 1e-6), torch.allclose(a, a + 1e-4), torch.equal(a, a * 1)]))


def inplace_cases():
    """In-place ops and setitem, values only (and grads through non-leaf in-place ops)."""
    out = {}

    def rec(name, fn, inputs):
        ts = [vals(shape, **kw).requires_grad_(rg) for shape, kw, rg in inputs]
        res = fn(*ts)
        entry = {'inputs': [tensor_json(t) | {'requires_grad': t.requires_grad} for t in ts],
                 'out': tensor_json(res), 'grad_fn': type(res.grad_fn).__name__ if res.grad_fn is not None else None, 'kind': 'exact'}
        if res.requires_grad:
            w = weights(res.shape).to(res.dtype)
            try:
                (res * w).sum().backward()
                entry['grads'] = [tensor_json(t.grad) if t.grad is not None else None for t in ts]
            except RuntimeError as e:
                entry['grad_error'] = str(e)
        out[name] = entry

    def iadd(a, b):
        x = a * 1
        x += b
        return x

    def setitem_adv(a):
        x = F.softmax(a, 1)
        x[range(3), torch.tensor([1, 3, 0])] -= 1
        x /= 3
        return x

    def setitem_view(a, b):
        x = a * 1
        x[1] = b
        return x

    def setitem_slice_scalar(a):
        x = a.detach().clone()
        x[:, 1:3] = 0.5
        x[0, 0] += 2
        return x

    def index_add(a, b):
        x = a * 1
        x.index_add_(0, torch.tensor([2, 0, 2]), b)
        return x

    def dC_loop(a):
        dC = torch.zeros(6, 3)
        idx = torch.tensor([[0, 5, 2], [2, 2, 1]])
        for k in range(2):
            for j in range(3):
                ix = idx[k, j]
                dC[ix] += a[k, j]
        return dC

    def fill(a):
        x = a * 1
        x[0].fill_(3)
        x[2].zero_()
        return x

    def index_put(a, b):
        x = a * 1
        x[[0, 2]] = b
        return x

    def fill_whole(a):
        x = a * 1
        x.fill_(2)
        return x

    def zero_whole(a):
        x = a * 1
        x.zero_()
        return x

    def clamp_(a):
        x = a * 1
        x.clamp_(-1, 1)
        return x

    def data_update(a, b):
        x = a.detach().clone()
        x.data += -0.1 * b
        return x

    def mask_set(a):
        x = a.detach().clone()
        x[x > 0] = 0
        return x

    rec('iadd', iadd, [A, B])
    rec('setitem_adv', setitem_adv, [A])
    rec('setitem_view', setitem_view, [A, B])
    rec('setitem_slice_scalar', setitem_slice_scalar, [([3, 4], {}, False)])
    rec('index_add', index_add, [A, ([3, 4], {'k': 1}, True)])
    rec('dC_loop', dC_loop, [([2, 3, 3], {}, True)])
    rec('fill', fill, [A])
    rec('clamp_', clamp_, [A])
    rec('index_put', index_put, [A, B])
    rec('fill_whole', fill_whole, [A])
    rec('zero_whole', zero_whole, [A])
    rec('data_update', data_update, [([3, 4], {}, False), ([3, 4], {'k': 1}, False)])
    rec('mask_set', mask_set, [([3, 4], {}, False)])
    return out


def errors():
    a = vals([3, 4]).requires_grad_()
    out = {}

    def rec(name, fn):
        try:
            fn()
            out[name] = None
        except Exception as e:  # noqa: BLE001
            out[name] = {'type': type(e).__name__, 'message': str(e).split('\n')[0]}

    def leaf_inplace():
        a.add_(1)

    def leaf_view_inplace():
        a[0] += 1

    rec('broadcast', lambda: a + vals([5]))
    rec('matmul', lambda: a @ vals([5, 2]))
    rec('view', lambda: a.view(5))
    rec('view_stride', lambda: a.T.view(12))
    rec('leaf_inplace', leaf_inplace)
    rec('leaf_view_inplace', leaf_view_inplace)
    rec('index_oob', lambda: a[3])
    rec('too_many', lambda: a[0, 0, 0])
    rec('item', lambda: a.item())
    rec('backward_nonscalar', lambda: (a * 2).backward())
    rec('retain_nograd', lambda: vals([2]).retain_grad())
    rec('int_requires_grad', lambda: torch.tensor([1, 2]).requires_grad_())
    rec('inplace_cast', lambda: torch.tensor([1, 2]).add_(0.5))
    rec('cat_mismatch', lambda: torch.cat([vals([2, 3]), vals([2, 4])]))
    rec('mean_int', lambda: torch.tensor([1, 2]).mean())

    def modified():
        x = a * 1
        y = x.exp()
        y += 1
        y.sum().backward()

    def twice():
        y = (a * a).sum()
        y.backward()
        y.backward()

    rec('modified_saved', modified)
    rec('backward_twice', twice)
    return out


def main():
    cases = {}
    for name, (inputs, fn, kind) in CASES.items():
        ts = [vals(shape, **kw).requires_grad_(rg) for shape, kw, rg in inputs]
        res = fn(*ts)
        if isinstance(res, tuple):
            outs = list(res)
        else:
            outs = [res]
        entry = {'inputs': [tensor_json(t) | {'requires_grad': t.requires_grad} for t in ts], 'kind': kind,
                 'outs': [tensor_json(o) for o in outs],
                 'grad_fn': [type(o.grad_fn).__name__ if o.grad_fn is not None else None for o in outs]}
        main_out = outs[0]
        if main_out.requires_grad:
            w = weights(main_out.shape).to(main_out.dtype)
            (main_out * w).sum().backward()
            entry['grads'] = [tensor_json(t.grad) if t.grad is not None else None for t in ts]
        cases[name] = entry
    doc = {'torch': torch.__version__, 'cases': cases, 'inplace': inplace_cases(), 'errors': errors()}
    path = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'torchlib.json')
    with open(path, 'w') as f:
        json.dump(doc, f, separators=(',', ':'))
        f.write('\n')
    print(f'wrote {path}: {len(cases)} op cases, {len(doc["inplace"])} in-place cases, {len(doc["errors"])} error cases')


if __name__ == '__main__':
    main()
