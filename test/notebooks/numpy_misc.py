# Project-written notebook (issue 18, item 2): what learners write around the lectures: linear algebra,
# statistics of losses, masks and in-place updates, numpy scalars' types, rounding, histograms, negative-step
# slices (read and assigned), nan handling, and numpy's error messages.

# %% setup
import numpy as np
def err(f):
    try:
        r = f()
    except Exception as e:
        print(f'{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ""}')
    else:
        print('no error:', repr(r))


# %% statistics
rs = np.random.RandomState(3)
X = rs.randn(5, 3)
print(repr(X.T @ X), repr(np.linalg.norm(X)), repr(np.linalg.norm(X, axis=1)))
print(repr(np.mean([1, 2, 3, 4])), repr(np.std([1.0, 2.0, 4.0])), repr(np.var(np.arange(10), ddof=1)))
losses = [2.5, 2.25, 2.0, 1.75]
print(np.mean(losses[-2:]), np.array(losses).argmin(), np.exp(np.array(losses)).sum())
print(repr(np.zeros((2, 3), dtype=np.float32) + 1), repr(np.arange(6).reshape(2, 3).T.copy()))
a = np.arange(10)
a[a % 2 == 0] *= 10
print(a, a.dtype, a.max(), a.min(), a.mean(), a.std())
print(np.cumsum([1, 2, 3]), np.cumsum(np.ones((2, 2)), axis=0), np.histogram([1, 2, 2, 3, 3, 3], bins=3))

# %% scalars-rounding
print(np.round(2.675, 2), np.round(np.array([0.5, 1.5, 2.5])), np.around(123.456, -1), round(np.float64(2.5)))
print(np.abs(-3), np.abs(np.int8(-128)), np.sign(-2.0), np.floor(-1.5), -np.arange(3), ~np.array([True, False]))
print(np.linspace(0, 1, 3) * np.array([[1], [2]]), np.eye(2) @ np.ones(2), np.ones(3).dot(np.arange(3)))
print(np.percentile(np.arange(11), 50), np.quantile([1, 2, 3, 4], 0.25), np.median([[1, 3], [2, 4]]))
print(np.sum([[1, 2], [3, 4]], axis=1), np.prod([1.5, 2.0]), np.max([3, 1, 2]), np.argsort([3, 1, 2]))
print(np.isclose(0.1 + 0.2, 0.3), np.allclose([1, 2], [1, 2.0000001]), np.array_equal([1, 2], np.array([1, 2])))
print(type(np.float64(1.0) + 1).__name__, type(1 + np.int32(2)).__name__, type(np.float32(1) * 2).__name__, type(2.0 * np.float32(3)).__name__)
print(np.int32(5) / np.int32(2), np.uint8(250) + 10, np.int8(-100) - 100, 5 // np.int64(2), -7 % np.int64(3))

# %% updates-slices
b = np.zeros(3)
b[1] += 5
b += np.ones(3)
print(b, b.sum() / len(b), np.float64(b.sum()) == 7.0)
print(np.tile([1, 2], (2, 2)), np.repeat([[1, 2]], 2, axis=0), np.concatenate(([1], [2.5])))
x = np.arange(6.0)
x[::-1] = np.arange(6)
print(x, x[::-2], x[5:0:-2], np.arange(10)[8:2:-3])
print(np.where(np.arange(5) > 2)[0], np.diag([[1, 2], [3, 4]]), np.trace(np.eye(3)), np.triu(np.ones((3, 3))))
print(np.nan_to_num(np.array([np.nan, np.inf, -np.inf])), np.nansum([1, np.nan]), np.nanmax([1, np.nan, 3]))
print(np.ones((2, 3)).shape[::-1], np.zeros(3).tolist(), np.array(2.5).item(), np.array([7]).item(), float(np.array([3.5])))
print(np.bincount([0, 1, 1, 3]), np.interp(2.5, [1, 2, 3], [10, 20, 30]), np.convolve([1, 2, 3], [0, 1, 0.5]))
print(np.random.RandomState(0).normal(0, 1, (2, 2)).round(3))
print(str(np.float32(0.1) + np.float32(0.2)), np.float32(0.1) + np.float32(0.2) == np.float32(0.3), 0.1 + np.float32(0.2))

# %% errors
err(lambda: np.array([1, 2]) ** -1)
err(lambda: np.ones((2, 2)) @ np.ones((3, 2)))
err(lambda: np.zeros(3).reshape(2, -1))
err(lambda: np.array([1.0, 2.0])[np.array([1.0])])
print(np.array([[1.5, 2.5], [3.5, 4.5]]).astype(int), np.array([-1.5]).astype(np.uint8))
print(np.max(np.array([[1, 5], [7, 2]]), axis=0), np.argmax(np.array([[1, 5], [7, 2]]), axis=1), np.array([3, 1]).sort())
print(np.vstack([np.arange(3), np.arange(3)]).T, np.hstack(([1, 2], [3])), np.stack([[1, 2], [3, 4]], axis=-1))
