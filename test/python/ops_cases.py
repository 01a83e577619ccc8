"""The tensor ops learners of the zero-to-hero series reach for beyond the lectures (issue 18: tril/triu and
masked_fill, sort/argsort/topk, cumsum/cumprod, flip/roll/repeat/outer, norm/logsumexp, unique/bincount,
randperm), each case run the same way by Debian's PyTorch 1.13 (scripts/make_ops_fixture.py ->
test/fixtures/torch_ops.json) and by the notebook runtime (test/torch/ops.test.ts), which compares the two.

run() returns {case: record}. A record of a tensor: its repr, dtype, shape, values (exact floats; 'nan',
'inf', '-inf') and grad_fn name; of a tuple (return_types too): its repr and a record per item; of an
exception: 'Type: message'. Cases named approx_* are compared within float error (PyTorch accumulates
some reductions in float32, we in a double; softmax's float32 exp is Sleef's there); every other case exactly. Data are formulas (no generator),
except randperm's, whose streams are the point.
"""
import math

import torch


def enc(v):
    v = float(v)
    if math.isnan(v):
        return 'nan'
    if math.isinf(v):
        return 'inf' if v > 0 else '-inf'
    return v


def rec(v):
    if isinstance(v, torch.Tensor):
        gf = v.grad_fn
        return {'repr': repr(v), 'dtype': str(v.dtype), 'shape': list(v.shape),
                'values': [enc(x) for x in v.detach().reshape(-1).tolist()],
                'grad_fn': None if gf is None else type(gf).__name__}
    if isinstance(v, tuple):
        return {'repr': repr(v), 'items': [rec(x) for x in v]}
    return {'repr': repr(v)}


def ties(n, k=5, shift=0):
    """n float32 values with many ties: (i * 7 + shift) mod k, scrambled by a multiplier."""
    return torch.tensor([float((i * 7919 + shift) % k) for i in range(n)])


def smooth(*shape, k=0):
    n = 1
    for s in shape:
        n *= s
    return torch.tensor([math.sin(i * 1.37 + k * 0.71) * 2 for i in range(n)]).reshape(shape).clone()


def leaf(*shape, k=0, dtype=torch.float32):
    return smooth(*shape, k=k).to(dtype).requires_grad_()


def weights(shape):
    n = 1
    for s in shape:
        n *= s
    return torch.tensor([0.5 + 0.25 * math.cos(i * 0.9) for i in range(n)]).reshape(shape)


def grad_of(f, x):
    """x.grad after backward of (f(x) * w).sum(), w a fixed formula of the output's shape."""
    y = f(x)
    (y * weights(y.shape)).sum().backward()
    return (y, x.grad)


def cases():
    T = 5
    c = {}
    # -- 1. tril / triu and masked_fill (the attention mask of makemore's transformer and nanoGPT)
    c['tril_ones'] = lambda: torch.tril(torch.ones(T, T))
    c['tril_diag1'] = lambda: torch.tril(smooth(3, 4), diagonal=1)
    c['tril_diag_m1'] = lambda: smooth(4, 3).tril(-1)
    c['triu_ones'] = lambda: torch.triu(torch.ones(3, 5))
    c['triu_diag2_batched'] = lambda: torch.triu(smooth(2, 3, 4), 2)
    c['tril_int'] = lambda: torch.tril(torch.arange(9).reshape(3, 3))
    c['tril_bool'] = lambda: torch.ones(3, 3, dtype=torch.bool).tril()
    c['tril_1d_error'] = lambda: torch.tril(torch.ones(3))
    c['tril_grad'] = lambda: grad_of(lambda x: x.tril(), leaf(3, 3))
    c['triu_grad'] = lambda: grad_of(lambda x: torch.triu(x, 1), leaf(2, 3, 3))
    c['attention_mask'] = lambda: smooth(2, T, T).masked_fill(torch.tril(torch.ones(T, T)) == 0, float('-inf'))
    c['approx_attention_softmax'] = lambda: torch.softmax(smooth(T, T).masked_fill(torch.tril(torch.ones(T, T)) == 0, float('-inf')), dim=-1)
    c['masked_fill_grad'] = lambda: grad_of(lambda x: x.masked_fill(torch.tril(torch.ones(T, T)) == 0, float('-inf')), leaf(2, T, T))
    c['masked_fill_scalar'] = lambda: smooth(2, 3).masked_fill(smooth(2, 3) > 0, 0.0)
    c['masked_fill_int'] = lambda: torch.arange(4).masked_fill(torch.tensor([True, False, True, False]), 1.7)
    c['masked_fill_tensor_value'] = lambda: smooth(2, 3).masked_fill(smooth(2, 3) > 0, torch.tensor(2.0))
    c['masked_fill_broadcast_up'] = lambda: smooth(3).masked_fill(torch.tensor([[True, False, True], [False, False, True]]), -1.0)
    c['masked_fill_grad_broadcast'] = lambda: grad_of(lambda x: x.masked_fill(torch.tensor([[True, False, True], [False, False, True]]), -1.0), leaf(3))
    c['masked_fill_int_mask'] = lambda: torch.arange(4.0).masked_fill(torch.tensor([1, 0, 256, 1]), 9.0)
    c['masked_fill_int_mask_error'] = lambda: torch.arange(4.0).masked_fill(torch.tensor([1, 0, 256, -1]), 9.0)
    c['masked_fill_uint8_mask'] = lambda: torch.arange(3.0).masked_fill(torch.tensor([1, 0, 1], dtype=torch.uint8), 9.0)
    c['masked_fill_float_mask'] = lambda: torch.arange(4.0).masked_fill(torch.tensor([1.0, 0.0, 1.5, 2.0 ** -23 + 1]), 9.0)
    c['masked_fill_double_mask'] = lambda: torch.arange(3.0).masked_fill(torch.tensor([1.0, 0.1, 0.0], dtype=torch.float64), 9.0)
    c['masked_fill_half_mask'] = lambda: torch.arange(3.0).masked_fill(torch.tensor([1.0, 1.0009765625, 0.0], dtype=torch.float16), 9.0)
    c['masked_fill_overflow_error'] = lambda: torch.arange(4, dtype=torch.int8).masked_fill(torch.tensor([True, False, True, False]), 300)
    c['masked_fill_value_error'] = lambda: smooth(2, 3).masked_fill(smooth(2, 3) > 0, torch.tensor([2.0]))
    c['masked_fill_shape_error'] = lambda: smooth(2, 3).masked_fill(torch.ones(3, 3, dtype=torch.bool), 1.0)

    def inplace():
        x = smooth(3, 3)
        r = x.masked_fill_(torch.eye(3) == 1, 9.0)
        return (x, r)
    c['masked_fill_inplace'] = inplace

    def inplace_grad():
        x = leaf(3, 3)
        y = x * 2
        y.masked_fill_(torch.tril(torch.ones(3, 3)) == 0, 0.0)
        (y * weights(y.shape)).sum().backward()
        return (y, x.grad)
    c['masked_fill_inplace_grad'] = inplace_grad
    c['masked_fill_inplace_shape_error'] = lambda: smooth(2, 3).masked_fill_(torch.ones(2, 2, 3, dtype=torch.bool), 1.0)

    # -- 2. sort, argsort, topk: ties in the order libstdc++'s algorithms leave them
    for n in (5, 16, 17, 40, 100, 1000):
        c[f'sort_ties_{n}'] = lambda n=n: torch.sort(ties(n))
        c[f'sort_ties_desc_{n}'] = lambda n=n: torch.sort(ties(n, 7, 3), descending=True)
    c['sort_zeros_40'] = lambda: torch.sort(torch.zeros(40))
    c['sort_expanded_40'] = lambda: torch.sort(torch.zeros(1).expand(40))
    c['sort_expanded_rows'] = lambda: torch.sort(torch.zeros(3, 1).expand(3, 20), dim=1)
    c['sort_stable_100'] = lambda: torch.sort(ties(100), stable=True)
    c['sort_stable_desc_100'] = lambda: torch.sort(ties(100), descending=True, stable=True)
    c['sort_dim0'] = lambda: torch.sort(ties(60, 3).reshape(20, 3), dim=0)
    c['sort_dim1_desc'] = lambda: smooth(3, 4).sort(1, descending=True)
    c['sort_nan'] = lambda: torch.sort(torch.tensor([2.0, float('nan'), -1.0, float('inf'), float('nan'), 0.0]))
    c['sort_nan_desc'] = lambda: torch.sort(torch.tensor([2.0, float('nan'), -1.0, float('inf'), float('nan'), 0.0]), descending=True)
    c['sort_int'] = lambda: torch.sort(torch.tensor([3, 1, 2, 3, 1]))
    c['sort_0d'] = lambda: torch.sort(torch.tensor(3.0))
    c['sort_grad'] = lambda: grad_of(lambda x: x.sort(descending=True).values, leaf(2, 5))
    c['sort_dim_error'] = lambda: torch.sort(smooth(2, 3), dim=2)
    c['argsort'] = lambda: torch.argsort(ties(40))
    c['argsort_desc'] = lambda: smooth(2, 6).argsort(dim=1, descending=True)
    for n, k in ((5, 5), (17, 3), (100, 1), (100, 2), (200, 3), (1000, 10), (64, 1)):
        c[f'topk_ties_{n}_{k}'] = lambda n=n, k=k: torch.topk(ties(n), k)
        c[f'topk_ties_smallest_{n}_{k}'] = lambda n=n, k=k: torch.topk(ties(n, 7, 2), k, largest=False)
    c['topk_unsorted'] = lambda: torch.topk(ties(50, 9), 6, sorted=False)
    c['topk_dim0'] = lambda: smooth(6, 3).topk(2, dim=0)
    c['topk_logits'] = lambda: torch.topk(smooth(2, 27), 5, dim=-1)
    c['topk_grad'] = lambda: grad_of(lambda x: x.topk(2).values, leaf(3, 4))
    c['topk_k_error'] = lambda: torch.topk(smooth(2, 3), 4)
    c['topk_0d'] = lambda: torch.topk(torch.tensor(3.0), 1)

    # -- 3. cumsum, cumprod
    c['cumsum'] = lambda: torch.cumsum(smooth(2, 5), dim=1)
    c['cumsum_dim0'] = lambda: smooth(4, 3).cumsum(0)
    c['cumsum_int'] = lambda: torch.tensor([1, 2, 3], dtype=torch.int32).cumsum(0)
    c['cumsum_bool'] = lambda: torch.cumsum(torch.tensor([True, False, True]), 0)
    c['cumsum_dtype'] = lambda: torch.cumsum(torch.tensor([1.0, 2.5]), 0, dtype=torch.float64)
    c['cumsum_neg_dim'] = lambda: torch.arange(12).reshape(3, 4).cumsum(-1)
    c['cumsum_grad'] = lambda: grad_of(lambda x: x.cumsum(1), leaf(2, 4))
    c['cumsum_dim_error'] = lambda: torch.cumsum(smooth(2, 3), 2)
    c['cumprod'] = lambda: torch.cumprod(smooth(2, 4), 1)
    c['cumprod_int8'] = lambda: torch.cumprod(torch.tensor([1, 2, 3], dtype=torch.int8), 0)
    c['cumprod_grad'] = lambda: grad_of(lambda x: x.cumprod(1), leaf(2, 4))
    c['approx_cumprod_grad_zero'] = lambda: grad_of(lambda x: x.cumprod(1), torch.tensor([[1.5, 0.0, 2.0, -0.5], [0.0, 3.0, 0.0, 1.25]], requires_grad=True))

    # -- 4. flip, roll, repeat, outer, norm, logsumexp, unique, bincount
    c['flip'] = lambda: smooth(2, 3).flip(0)
    c['flip_dims'] = lambda: torch.flip(torch.arange(24).reshape(2, 3, 4), [0, 2])
    c['flip_kw'] = lambda: torch.flip(smooth(2, 3), dims=(1,))
    c['flip_grad'] = lambda: grad_of(lambda x: x.flip(1), leaf(2, 3))
    c['flip_dup_error'] = lambda: smooth(2, 3).flip(0, 0)
    c['roll'] = lambda: torch.roll(torch.arange(10), 3)
    c['roll_neg'] = lambda: torch.arange(10).roll(-2, 0)
    c['roll_flat'] = lambda: torch.arange(6.0).reshape(2, 3).roll(1)
    c['roll_dims'] = lambda: torch.roll(torch.arange(12).reshape(3, 4), (1, -1), (0, 1))
    c['roll_grad'] = lambda: grad_of(lambda x: x.roll(1, 1), leaf(2, 3))
    c['roll_align_error'] = lambda: smooth(2, 3).roll((1, 2), (0,))
    c['repeat'] = lambda: torch.tensor([1, 2, 3]).repeat(2, 2)
    c['repeat_same'] = lambda: smooth(2, 3).repeat(1, 2)
    c['repeat_3d'] = lambda: smooth(2, 2).repeat(2, 1, 3)
    c['repeat_grad_2'] = lambda: grad_of(lambda x: x.repeat(2, 1), leaf(2, 2))
    c['approx_repeat_grad'] = lambda: grad_of(lambda x: x.repeat(2, 3), leaf(2, 2))
    c['approx_repeat_grad_lead'] = lambda: grad_of(lambda x: x.repeat(3, 1, 2), leaf(2, 2))
    c['repeat_error'] = lambda: smooth(2, 3).repeat(2)
    c['outer'] = lambda: torch.outer(torch.arange(1.0, 4.0), torch.arange(1.0, 3.0))
    c['outer_grad'] = lambda: grad_of(lambda x: torch.outer(x, x), leaf(3))
    c['outer_error'] = lambda: torch.outer(smooth(2, 3), smooth(3))
    c['approx_norm'] = lambda: smooth(3, 4).norm()
    c['approx_norm_dim'] = lambda: torch.norm(smooth(3, 4), dim=1)
    c['approx_norm_keepdim'] = lambda: smooth(3, 4).norm(dim=0, keepdim=True)
    c['approx_norm_p1'] = lambda: smooth(3, 4).norm(p=1)
    c['approx_norm_inf'] = lambda: smooth(3, 4).norm(p=float('inf'), dim=1)
    c['approx_norm_grad'] = lambda: grad_of(lambda x: x.norm(dim=1), leaf(3, 4))
    c['approx_norm_grad_all'] = lambda: grad_of(lambda x: x.norm(), leaf(3, 4))
    c['approx_norm_p3'] = lambda: smooth(3, 4).norm(p=3, dim=1)
    c['approx_norm_p05'] = lambda: smooth(3, 4).norm(p=0.5)
    c['norm_p0'] = lambda: torch.tensor([[1.0, 0.0, -2.0], [0.0, 0.0, 3.0]]).norm(p=0, dim=1)
    c['approx_norm_fro'] = lambda: torch.norm(smooth(3, 4), p='fro', dim=(0, 1))
    c['approx_norm_grad_p3'] = lambda: grad_of(lambda x: x.norm(p=3, dim=0), leaf(3, 4))
    c['approx_norm_grad_p15'] = lambda: grad_of(lambda x: x.norm(p=1.5), leaf(3, 4))
    c['approx_norm_grad_p05'] = lambda: grad_of(lambda x: x.norm(p=0.5, dim=1), leaf(3, 4, k=1))
    c['approx_norm_grad_inf'] = lambda: grad_of(lambda x: x.norm(p=float('inf'), dim=1), leaf(3, 4))
    c['norm_grad_p0'] = lambda: grad_of(lambda x: x.norm(p=0), leaf(3, 4))
    c['approx_norm_grad_p1'] = lambda: grad_of(lambda x: x.norm(p=1, dim=0), leaf(3, 4))
    c['norm_int_error'] = lambda: torch.norm(torch.arange(3))
    c['norm_int_p1_error'] = lambda: torch.arange(3).norm(p=1, dim=0)
    c['approx_logsumexp'] = lambda: torch.logsumexp(smooth(3, 5), dim=1)
    c['approx_logsumexp_keepdim'] = lambda: smooth(3, 5).logsumexp(0, keepdim=True)
    c['approx_logsumexp_inf'] = lambda: torch.logsumexp(torch.tensor([[float('-inf'), float('-inf')], [1.0, float('inf')]]), 1)
    c['approx_logsumexp_int'] = lambda: torch.logsumexp(torch.arange(3), 0)
    c['approx_logsumexp_grad'] = lambda: grad_of(lambda x: x.logsumexp(1), leaf(3, 5))
    c['unique'] = lambda: torch.unique(torch.tensor([3, 1, 2, 3, 1]))
    c['unique_counts'] = lambda: torch.unique(torch.tensor([3, 1, 2, 3, 1]), return_counts=True)
    c['unique_inverse_counts'] = lambda: torch.unique(torch.tensor([[2.5, 1.0], [1.0, 2.5]]), return_inverse=True, return_counts=True)
    c['unique_bool'] = lambda: torch.tensor([True, False, True]).unique()
    c['bincount'] = lambda: torch.bincount(torch.tensor([0, 2, 2, 5]))
    c['bincount_weights'] = lambda: torch.bincount(torch.tensor([0, 2, 2]), weights=torch.tensor([0.5, 1.0, 2.0]))
    c['bincount_weights_f64'] = lambda: torch.bincount(torch.tensor([1, 2, 2]), weights=torch.tensor([1, 3, 4]))
    c['bincount_minlength'] = lambda: torch.tensor([0, 2]).bincount(minlength=5)
    c['bincount_empty'] = lambda: torch.bincount(torch.tensor([], dtype=torch.long))
    c['bincount_negative_error'] = lambda: torch.bincount(torch.tensor([-1, 2]))
    c['bincount_float_error'] = lambda: torch.bincount(torch.tensor([1.0, 2.0]))
    c['bincount_minlength_error'] = lambda: torch.bincount(torch.tensor([1, 2]), minlength=-1)
    c['bincount_weights_error'] = lambda: torch.bincount(torch.tensor([1, 2]), weights=torch.tensor([1.0]))

    # -- 5. randperm on PyTorch's CPU stream
    for seed in (0, 42, 2147483647):
        for n in (1, 2, 10, 27, 1000):
            c[f'randperm_{seed}_{n}'] = lambda seed=seed, n=n: torch.randperm(n, generator=torch.Generator().manual_seed(seed))

    def large(seed, n):
        # the head, the tail and a position-weighted sum stand for a long permutation (2**24 + 5 was checked the
        # same way by hand: randperm_cpu has one algorithm for every n in PyTorch 1.13)
        p = torch.randperm(n, generator=torch.Generator().manual_seed(seed))
        return (p[:8], p[-8:], (p * torch.arange(n)).sum())
    c['randperm_large_200003'] = lambda: large(5, 200003)

    def then_randn():
        g = torch.Generator().manual_seed(7)
        p = torch.randperm(5, generator=g)
        return (p, torch.randn(3, generator=g))
    c['randperm_then_randn'] = then_randn

    def default_gen():
        torch.manual_seed(1337)
        return torch.randperm(8)
    c['randperm_default_generator'] = default_gen
    zeros_p = torch.tensor([0.0, 0.3, 0.0, 0.0, 0.2, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0, 0.1, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0])
    for n in (6, 12, 20):
        # more samples than non-zero probabilities: the zeros come in topk's order
        c[f'multinomial_zeros_{n}'] = lambda n=n: torch.multinomial(zeros_p, n, generator=torch.Generator().manual_seed(11))
    c['multinomial_zeros_rows'] = lambda: torch.multinomial(torch.stack([zeros_p, zeros_p.flip(0)]).double(), 9, generator=torch.Generator().manual_seed(3))
    c['multinomial_zeros_wide'] = lambda: torch.multinomial(torch.cat([zeros_p] * 20), 3, generator=torch.Generator().manual_seed(5))
    c['randperm_float'] = lambda: torch.randperm(6, dtype=torch.float32, generator=torch.Generator().manual_seed(3))
    c['randperm_0'] = lambda: torch.randperm(0)
    c['randperm_negative_error'] = lambda: torch.randperm(-1)
    c['randperm_uint8_error'] = lambda: torch.randperm(257, dtype=torch.uint8)
    c['randperm_half_error'] = lambda: torch.randperm(3000, dtype=torch.float16)
    c['randperm_bool_error'] = lambda: torch.randperm(3, dtype=torch.bool)
    return c


def run():
    out = {}
    for name, f in cases().items():
        try:
            out[name] = rec(f())
        except Exception as e:  # noqa: BLE001 (the error is the case)
            out[name] = {'error': f'{type(e).__name__}: {e}'}
    return out
