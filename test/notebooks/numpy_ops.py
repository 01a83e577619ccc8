# Project-written notebook (issue 18, item 2): numpy's arithmetic and broadcasting, ufuncs (scalars give numpy
# scalars), comparisons, and reductions (sum, mean, std, var, min, max, argmax, argmin with axis and keepdims, in
# numpy's summation order: printed with full precision they show the bits).

# %% setup
import numpy as np


def err(f):
    try:
        r = f()
    except Exception as e:
        print(f'{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ""}')
    else:
        print('no error:', repr(r))


def show(*xs):
    for x in xs:
        print(repr(x), getattr(x, 'dtype', type(x).__name__))


a = np.array([[1.0, -2.0, 3.5], [0.25, 4.0, -1.5]])
b = np.array([10.0, 20.0, 30.0])
k = np.arange(6).reshape(2, 3)

# %% arithmetic
show(a + b, a - b, a * b, a / b, a // 2, a % 2, -a, +a, abs(a), a ** 2, a ** 0.5, a ** -1, 2 ** k, k ** 2, k ** 2.0)
show(1 - a, 3 / k, k // 2, k % 4, -k % 4, k / 0.5, 7 // k[:, 1:], np.array([-7, 7]) // 2, np.array([-7.5, 7.5]) % 2)
show(a @ a.T, a.T @ a, k @ np.array([1, 0, 2]), np.dot(b, b), np.dot(k, k.T), np.outer(b[:2], b))
c = a.copy()
c += 1
c *= 2
c -= b
c /= 4
show(c)
d = k.copy()
d += 1
d //= 2
show(d)
err(lambda: k.__iadd__(0.5))
show(np.array([1, 2, 3], dtype=np.uint8) - 2, np.array([250], dtype=np.uint8) + 10, np.array([120], dtype=np.int8) * 2)
show(np.int64(7) // 0, np.array([1, 0]) // 0, np.array([1.0, -1.0, 0.0]) / 0)

# %% broadcasting
x = np.arange(3).reshape(3, 1)
y = np.arange(4)
show(x + y, x * y, x - y.reshape(1, 4), np.ones((2, 1, 3)) + np.arange(3), np.zeros((2, 3)) + np.array([[1], [2]]))
err(lambda: np.ones((2, 3)) + np.ones((3, 2)))
err(lambda: np.ones(3) * np.ones(2))

# %% ufuncs
v = np.array([-1.5, -0.5, 0.0, 0.5, 2.0])
show(np.sqrt(np.abs(v)), np.abs(v), np.sign(v), np.floor(v), np.ceil(v), np.rint(v), np.round(v), np.trunc(v), np.square(v))
show(np.maximum(v, 0), np.minimum(v, 0.25), np.clip(v, -1, 1), np.maximum(k, 2), np.clip(k, 1, 4), np.round(v * 1.234, 2))
show(np.sqrt(2), np.maximum(3, 4.5), np.sqrt(np.int64(4)), np.sqrt(k), np.sqrt(np.arange(3, dtype=np.int8)), np.sqrt(np.float32(2)))
show(np.isnan(np.array([1.0, np.nan])), np.isinf(np.array([np.inf, -np.inf, 1])), np.isfinite(np.array([1, np.nan])))
show(np.maximum(np.array([1.0, np.nan]), 0), np.fmax(np.array([1.0, np.nan]), 0), np.sum(np.array([1.0, np.nan])))
show(np.exp(v).dtype, np.exp(np.float32(1)).dtype, np.tanh(np.arange(3, dtype=np.float16)).dtype, type(np.exp(1.0)).__name__)
print(np.add, np.add.nin, np.sqrt.types[:3], np.add(1, 2), np.multiply(np.arange(3), 3), np.add.reduce(np.arange(5)))

# %% transcendental
print(np.exp(v).tolist(), np.log(np.abs(v) + 1).tolist(), np.tanh(v).tolist())
print(np.sin(v).tolist(), np.cos(v).tolist(), np.exp(np.arange(3, dtype=np.float32)).tolist())
print(np.exp(1.0), np.tanh(0.5), np.log(10), np.exp(np.float32(1)), np.log10(100), np.log2(8))
print(np.arctan2(1.0, 1.0), np.hypot(3, 4), np.tan(0.5), np.arcsin(0.5), np.sinh(1.0), np.log1p(1e-10), np.expm1(1e-10))

# %% comparisons
show(a > 0, a == b[0] / 10, k != 2, k >= 3, a < b, np.equal(k, 1), np.array([1, 2]) == np.array([1.0, 2.5]))
show(np.logical_and(k > 1, k < 4), np.logical_or(k < 1, k > 4), np.logical_not(k > 2), (k > 1) & (k < 4), (k < 1) | (k > 4), ~(k > 2))
show(np.array_equal(k, k.copy()), np.allclose(a, a + 1e-9), np.isclose(a, a + 1e-3), np.any(k > 4), np.all(k >= 0))
show(k == None, np.float64(2) == 2.0, np.int64(3) < 2.5)

# %% reductions
show(a.sum(), a.sum(axis=0), a.sum(axis=1), a.sum(axis=-1, keepdims=True), np.sum(k), np.sum(k, axis=0), k.sum(dtype=np.float32))
show(a.mean(), a.mean(0), a.mean(axis=1, keepdims=True), k.mean(), np.mean(k, axis=1), a.std(), a.var(), k.std(axis=0), a.var(ddof=1))
show(a.min(), a.max(), a.min(axis=0), a.max(axis=1), np.max(k), np.min(k, axis=1), a.max(axis=0, keepdims=True), np.ptp(k))
show(a.argmax(), a.argmin(), a.argmax(axis=0), a.argmin(axis=1), np.argmax(k), np.argmax(np.array([1, 3, 3, 2])))
show(k.prod(), np.prod(a), k.cumsum(), a.cumsum(axis=1), np.cumprod(np.arange(1, 6)), np.diff(np.array([1, 4, 9, 16])))
show(np.all(a), np.any(a > 3, axis=0), np.count_nonzero(k), np.median(np.array([3, 1, 2, 4])), np.average(b, weights=[1, 2, 3]))
show(np.array([True, False, True]).sum(), np.arange(3, dtype=np.uint8).sum(), np.arange(3, dtype=np.int32).sum(), np.arange(4, dtype=np.float32).mean())
err(lambda: np.zeros((0, 2)).max())
err(lambda: np.argmax(np.zeros(0)))
err(lambda: k.sum(axis=2))

# %% summation-order
rs = np.random.RandomState(0)
for n in (7, 8, 100, 129, 1000, 9000, 20000):
    x = rs.standard_normal(n) * 1000
    x32 = x.astype(np.float32)
    print(n, repr(x.sum()), repr(x.mean()), repr(x.std()), repr(x32.sum()), repr(x32.mean()), repr(x32.var()))
m = rs.standard_normal((300, 7))
print(m.sum(axis=0).tolist())
print(m.sum(axis=1)[:4].tolist(), m.mean(axis=1)[:3].tolist(), m.std(axis=0)[:3].tolist())
m3 = rs.standard_normal((4, 50, 3)).astype(np.float32)
print(m3.sum(axis=(1, 2)).tolist(), m3.sum(axis=1)[0].tolist(), m3.sum(axis=(0, 2)).tolist()[:3], m3.mean().item())
print(np.arange(100000).sum(), np.arange(10, dtype=np.float64).sum(), (np.arange(1000) / 7).sum())
