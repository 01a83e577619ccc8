# Project-written notebook (issue 18, item 2): numpy indexing (basic, fancy, boolean, assignment; views share
# memory) and shape functions (reshape, T, transpose, flatten, ravel, squeeze, expand_dims, concatenate, stack,
# vstack, hstack, where, argmax, sort, unique).

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


x = np.arange(24).reshape(2, 3, 4)
v = np.array([5.0, -1.0, 3.0, 0.5, 2.0])

# %% basic
show(x[0], x[1, 2], x[1, 2, 3], x[-1, -1, -1], x[:, 1], x[..., 0], x[0, :, ::2], x[:, None, 0].shape, x[::-1, 0, 0])
show(v[1:4], v[::-2], v[-2:], v[10:], x[0][1][2], x[np.int64(1), 0], v[3], type(v[3]).__name__, x[0, 0].dtype)
err(lambda: v[5])
err(lambda: x[0, 3])
err(lambda: x[0, 0, 0, 0])
err(lambda: v[1.5])

# %% fancy-boolean
show(v[[0, 2, 4]], v[np.array([4, 0])], x[[0, 1], [1, 2]], x[0, [0, 2], 1:3], x[:, [2, 0]], v[[True, False, True, False, True]])
show(v[v > 1], x[x % 5 == 0], v[np.argsort(v)], x[0][x[0] > 5], v[np.array([], dtype=int)], x[1, :, [0, 1]])
err(lambda: v[[0, 7]])
err(lambda: v[np.array([True, False])])
err(lambda: v[np.array([0.5])])

# %% assignment
w = np.zeros((3, 4))
w[0] = 1
w[1, 2] = 7.5
w[:, 3] = [1, 2, 3]
w[2, :2] = np.array([9, 8])
w[w == 0] = -1
w[[0, 2], [1, 1]] = 42
print(repr(w))
u = np.arange(6)
u[u > 2] = 0
u[1:3] = 3.9
u[::2] += 10
print(repr(u))
s = np.arange(10)
view = s[2:5]
view[0] = 100
r = s.reshape(2, 5)
r[1, 1] = -1
t = s.T
print(s, view.base is s, np.shares_memory(s, view), np.shares_memory(s, np.arange(3)), r[0])
y = np.ones(3, dtype=np.uint8)
y[0] = 300
y[1] = -1
y[2] = 2.9
print(y)
z = np.zeros(2, dtype=np.float32)
z[0] = 0.1
print(z, z[0], repr(z[0]))

# %% shapes
show(x.reshape(6, 4), x.reshape(-1), x.reshape(4, -1).shape, x.T.shape, x.transpose(1, 0, 2).shape, np.transpose(x, (2, 0, 1)).shape)
show(v.reshape(5, 1).T, x.flatten()[:5], x.ravel()[-3:], np.ones((1, 3, 1)).squeeze(), np.ones((1, 3, 1)).squeeze(0).shape)
show(np.expand_dims(v, 0).shape, np.expand_dims(v, -1).shape, v[None, :].shape, v[:, np.newaxis].shape, x.swapaxes(0, 2).shape)
show(np.moveaxis(x, 0, -1).shape, np.atleast_2d(v).shape, x.T[1, 2, 0], x.transpose()[3, 2, 1], np.ravel(x.T)[:6])
err(lambda: x.reshape(5, 5))
err(lambda: x.reshape(-1, -1))
err(lambda: np.ones((2, 3)).squeeze(1))

# %% joining
p = np.array([[1, 2], [3, 4]])
q = np.array([[5, 6]])
show(np.concatenate([p, q]), np.concatenate([p, p], axis=1), np.concatenate([v, v]), np.concatenate([p, q], axis=None))
show(np.stack([v, v]), np.stack([v, v], axis=1).shape, np.vstack([v, v]).shape, np.hstack([v, v]), np.hstack([p, p]), np.vstack([p, q]))
show(np.concatenate([np.ones(2, np.float32), np.ones(2)]), np.concatenate([np.ones(2, np.uint8), [300]]), np.column_stack([v, v]).shape)
show(np.split(np.arange(6), 3), np.array_split(np.arange(7), 3), np.tile(np.array([1, 2]), 3), np.repeat(np.array([1, 2]), 2))
err(lambda: np.concatenate([np.ones(2), np.ones((2, 2))]))
err(lambda: np.stack([np.ones(2), np.ones(3)]))
err(lambda: np.concatenate([p, np.ones((1, 3))]))

# %% where-sort
show(np.where(v > 1, v, 0), np.where(v > 1), np.where([True, False], 1, 2.5), np.where(p > 2, p, -p), np.nonzero(p > 1))
show(np.sort(v), np.argsort(v), np.sort(x[0], axis=0), np.unique(np.array([3, 1, 2, 3, 1])), np.unique([2.5, 1.0, 2.5], return_counts=True))
show(np.unique(np.array([3, 1, 3]), return_index=True, return_inverse=True), np.searchsorted(np.array([1, 3, 5]), [0, 3, 6]), np.flip(v))
show(np.argmax(x, axis=2), np.argmin(x, axis=0), np.argwhere(p > 1), np.take(v, [0, 2]), np.roll(v, 2), np.diag(np.array([1, 2])))
it = [float(e) for e in v]
print(it, len(x), list(np.arange(3)), [type(e).__name__ for e in np.arange(2)], 3 in np.arange(5), np.arange(4).tolist())
