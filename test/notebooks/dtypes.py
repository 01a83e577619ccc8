# Project-written notebook (issue 18, item 1): every dtype PyTorch 1.13 prints, its promotion rules, the
# legacy constructors and type names. Run cell by cell by test/notebook/api.test.ts; expected outputs
# recorded from Debian's PyTorch by scripts/make_notebook_fixture.py (test/fixtures/notebook-golden.json).

# %% setup
import torch


def err(f):
    """Runs f; prints `ExceptionType: first line of the message` when it raises."""
    try:
        r = f()
    except Exception as e:
        print(f'{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ""}')
    else:
        print('no error:', r)


DTYPES = [torch.float32, torch.float64, torch.float16, torch.bfloat16, torch.int64, torch.int32, torch.int16,
          torch.int8, torch.uint8, torch.bool]
print(torch.int32, torch.half, torch.short, torch.long, torch.double, torch.float)

# %% create-and-print
for d in DTYPES:
    t = torch.tensor([[0, 1, 2], [3, 100, 7]], dtype=d)
    print(t)
    print(d, d.is_floating_point, d.is_signed, t.element_size(), t.type(), t.dtype == d)

# %% out-of-range-values
err(lambda: torch.tensor([250], dtype=torch.int8))
err(lambda: torch.tensor([256], dtype=torch.uint8))
print(torch.tensor([-1, -200, 255], dtype=torch.uint8), torch.tensor([True, 2.7], dtype=torch.int16))
err(lambda: torch.tensor([2 ** 31], dtype=torch.int32))
err(lambda: torch.zeros(2, dtype=torch.int8).fill_(300))
err(lambda: torch.full((2,), 70000, dtype=torch.int16))
err(lambda: torch.zeros(2, dtype=torch.int32).__setitem__(0, 2 ** 40))
print(torch.zeros(2, dtype=torch.int8) + 300, torch.zeros(2, dtype=torch.bool) + 5)

# %% values-round-to-the-dtype
print(torch.tensor([0.1, 1 / 3, 65504.0, 70000.0, 1e-8], dtype=torch.float16))
print(torch.tensor([0.1, 1 / 3, 3e38, 1e-40, 257.0], dtype=torch.bfloat16))
print(torch.tensor([3.9, -3.9, 300.0], dtype=torch.float32).to(torch.int32))
print(torch.tensor([300, -1, 255], dtype=torch.int64).to(torch.uint8))
print(torch.tensor([300, -129, 127], dtype=torch.int64).to(torch.int8))
print(torch.tensor([0.0, 0.5, -2.0]).bool(), torch.tensor([True, False]).half())
print(torch.tensor([1.5], dtype=torch.float16).item(), torch.tensor([7], dtype=torch.int8).item(),
      torch.tensor([[1, 2]], dtype=torch.int16).tolist(), torch.tensor([1.25], dtype=torch.bfloat16).tolist())

# %% promotion-tensor-tensor
pairs = [(torch.uint8, torch.int8), (torch.int8, torch.int16), (torch.int16, torch.int32), (torch.int32, torch.int64),
         (torch.int32, torch.float16), (torch.float16, torch.bfloat16), (torch.bfloat16, torch.float32),
         (torch.bool, torch.uint8), (torch.bool, torch.int8), (torch.uint8, torch.float64), (torch.int64, torch.bfloat16)]
for a, b in pairs:
    x = torch.tensor([3, 5], dtype=a)
    y = torch.tensor([2, 1], dtype=b)
    print(a, b, (x + y).dtype, (x * y), (x / y).dtype)

# %% promotion-with-numbers-and-0-dim
i8 = torch.tensor([100, -100, 7], dtype=torch.int8)
print(i8 + 1000, (i8 + 1000).dtype)
print(i8 * 2.5, (i8 * 2.5).dtype)
print(i8 + torch.tensor(1000), (i8 + torch.tensor(1000)).dtype)
print(i8 + torch.tensor(1.5, dtype=torch.float64))
h = torch.tensor([1.0, 2.0], dtype=torch.float16)
print(h + 1, h * 0.1, h + torch.tensor(0.1, dtype=torch.float64), (h + torch.tensor([0.1])).dtype)
u = torch.tensor([0, 1, 200], dtype=torch.uint8)
print(u - 1, u + u, u * 2, -torch.tensor([1, 2], dtype=torch.int16))
print(torch.tensor([True, False]) + torch.tensor([True, True]), torch.tensor([True]) + 1, torch.tensor([True]) * 1.5)

# %% integer-arithmetic
a = torch.tensor([7, -7, 2 ** 20], dtype=torch.int32)
b = torch.tensor([2, 2, 2 ** 12], dtype=torch.int32)
print(a // b, a % b, a * b, a / b, a ** 2)
print(torch.tensor([2 ** 31 - 1], dtype=torch.int32) + 1)
print(torch.tensor([5, 3], dtype=torch.int16) & torch.tensor([3, 6], dtype=torch.int16), torch.tensor([5], dtype=torch.uint8) | 2)
err(lambda: torch.tensor([1], dtype=torch.int32) // torch.tensor([0], dtype=torch.int32))
print(torch.tensor([1, 2, 3], dtype=torch.int8).sum(), torch.tensor([1, 2, 3], dtype=torch.int8).sum().dtype)
print(torch.tensor([200, 100], dtype=torch.uint8).sum(), torch.tensor([True, True, False]).sum())
err(lambda: torch.tensor([1, 2], dtype=torch.int32).mean())
print(torch.tensor([3, 1, 2], dtype=torch.int32).max(), torch.tensor([3, 1, 2], dtype=torch.int16).argmax())

# %% float16-and-bfloat16-math
h = torch.tensor([0.5, 1.0, 2.0], dtype=torch.float16)
b = torch.tensor([0.5, 1.0, 2.0], dtype=torch.bfloat16)
for name in ('exp', 'sqrt', 'tanh', 'sigmoid', 'relu', 'floor', 'exp2', 'reciprocal', 'abs', 'neg', 'sign', 'frac'):
    err(lambda: getattr(h, name)())
print(h.sum(), h.mean(), (h * h).dtype, h / 3, h ** 2, -h)
print(b.exp(), b.log(), b.sum(), b / 3, b.tanh(), b.sigmoid())
print(torch.tensor([1, 2], dtype=torch.int32).exp(), torch.tensor([4], dtype=torch.int16).sqrt())
for name in ('abs', 'relu', 'floor', 'frac', 'sign', 'square', 'exp'):
    err(lambda: getattr(torch.tensor([True, False]), name)())
for name in ('frac', 'bitwise_not', 'abs', 'neg', 'relu'):
    err(lambda: getattr(torch.tensor([5, -3], dtype=torch.int8), name)())
err(lambda: torch.tensor([1.5]).bitwise_not())
err(lambda: torch.tensor([1, 2]).softmax(0))
err(lambda: h.softmax(0))
err(lambda: torch.ones(2, 2, dtype=torch.float16) @ torch.ones(2, 2, dtype=torch.float16))
print(torch.ones(2, 2, dtype=torch.int32) @ torch.ones(2, 2, dtype=torch.int32), b.softmax(0))

# %% legacy-constructors
print(torch.Tensor([2.0]), torch.Tensor([[1, 2], [3, 4]]), torch.Tensor(), torch.Tensor(2, 3).shape)
print(torch.LongTensor([1, 2]), torch.FloatTensor([1, 2]), torch.DoubleTensor([1.5]), torch.IntTensor([3]))
print(torch.BoolTensor([True, False]), torch.ByteTensor([255]), torch.HalfTensor([1.5]).dtype)
x = torch.Tensor([2.0]).double()
x.requires_grad = True
print(x, x.dtype)
print(isinstance(torch.ones(2), torch.FloatTensor), isinstance(torch.ones(2), torch.LongTensor),
      isinstance(torch.ones(2, dtype=torch.int64), torch.LongTensor), isinstance(torch.ones(2), torch.Tensor))
print(torch.ones(2).type(torch.int32), torch.ones(2).type('torch.DoubleTensor'), torch.ones(2, dtype=torch.int8).type())
print(torch.ones(2).int().dtype, torch.ones(2).short().dtype, torch.ones(2).char().dtype, torch.ones(2).byte().dtype,
      torch.ones(2).half().dtype, torch.ones(2).bfloat16().dtype)

# %% factories-with-dtypes
print(torch.zeros(2, dtype=torch.int32), torch.ones(2, 2, dtype=torch.uint8), torch.full((2,), 7, dtype=torch.int16))
print(torch.arange(5, dtype=torch.int8), torch.arange(0, 1, 0.25, dtype=torch.float16), torch.eye(2, dtype=torch.bool))
print(torch.zeros_like(torch.ones(2, dtype=torch.int32)), torch.ones_like(torch.ones(2), dtype=torch.float64))
N = torch.zeros((27, 27), dtype=torch.int32)
N[1, 2] += 1
N[1, 2] += 1
print(N[1, 2], N[1].sum(), N.dtype, N[1, :5])
p = N[1].float()
p = p / p.sum()
print(p[:4])

# %% indexing-with-int-types
t = torch.arange(10) * 10
print(t[torch.tensor([1, 3], dtype=torch.int32)], t[torch.tensor([2], dtype=torch.int16)], t[torch.tensor([True] * 5 + [False] * 5)])
err(lambda: t[torch.tensor([1.0])])
