# Project-written notebook (issue 18, item 2): numpy's creation functions, dtypes and their promotion (numpy
# 1.24's value-based casting of scalars), scalars, astype, and printing of every dtype.

# %% setup
import numpy as np


def err(f):
    """Runs f; prints `ExceptionType: first line of the message` when it raises."""
    try:
        r = f()
    except Exception as e:
        print(f'{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ""}')
    else:
        print('no error:', repr(r))


def show(*xs):
    for x in xs:
        print(repr(x), getattr(x, 'dtype', type(x).__name__))


# %% creation
show(np.array([1, 2, 3]), np.array([1.0, 2, 3]), np.array([True, False]), np.array([[1, 2], [3, 4]]))
show(np.array(5), np.array(2.5), np.array([]), np.array([[]]), np.array([1, 2], dtype=np.float32))
show(np.zeros(3), np.zeros((2, 3), dtype=int), np.ones((2, 2)), np.ones(3, dtype=bool), np.empty(0))
show(np.full((2, 2), 7), np.full(3, 2.5), np.full((2,), True), np.full(2, 3, dtype=np.float32))
show(np.zeros_like(np.arange(4)), np.ones_like(np.zeros((2, 2), dtype=np.float32)), np.full_like([1, 2, 3], 9))
show(np.eye(3), np.eye(2, 3, k=1), np.identity(2, dtype=int))
print(np.array([[1, 2], [3, 4]]).shape, np.array(5).ndim, np.zeros((2, 3, 4)).size, np.zeros(3).itemsize)

# %% arange-linspace
show(np.arange(5), np.arange(2, 10, 3), np.arange(-5, 5, 0.25), np.arange(-5, 5, 0.2))
show(np.arange(0, 1, 0.1), np.arange(10, 0, -3), np.arange(3.0), np.arange(0, 5, dtype=np.float32))
show(np.arange(1, 2, 0.3, dtype=np.float32), np.arange(0), np.arange(5, 2))
print(np.arange(-5, 5, 0.2).tolist()[:8])
show(np.linspace(0, 1, 5), np.linspace(-6, 6, 100)[:7], np.linspace(0, 1, 5, endpoint=False), np.linspace(2, 3, 1))
show(np.linspace(0, 10, 4, dtype=int), np.linspace(0, 1, 0))
print(np.linspace(0, 1, 11).tolist())
print(np.linspace(0, 1, 5, retstep=True))
xs, ys = np.meshgrid(np.arange(3), np.linspace(0, 1, 2))
show(xs, ys)
a, b = np.meshgrid([1, 2], [3, 4, 5], indexing='ij')
show(a, b)

# %% dtypes
for d in [np.float64, np.float32, np.int64, np.int32, np.uint8, np.bool_, float, int, bool, 'f4', 'i8', 'u1', 'float', 'int16']:
    dt = np.dtype(d)
    print(repr(dt), str(dt), dt.name, dt.kind, dt.itemsize, dt.char, dt == d, dt.type)
print(np.dtype('float64') == np.float64, np.dtype(float) is np.dtype('f8'), np.float64 == np.dtype('float64'))
err(lambda: np.dtype('foo'))
print(np.issubdtype(np.float32, np.floating), np.issubdtype(np.int8, np.integer), np.issubdtype('i4', np.signedinteger),
      np.issubdtype(np.uint8, np.signedinteger), np.issubdtype(np.bool_, np.number))
print(np.iinfo(np.int32).max, np.iinfo(np.uint8).min, np.finfo(np.float32).eps, np.finfo(np.float64).eps)
print(repr(np.finfo(np.float32)), repr(np.finfo(np.float64)), repr(np.iinfo(np.int16)))

# %% promotion
for pair in [(np.int8, np.uint8), (np.int32, np.float32), (np.int64, np.float32), (np.uint8, np.int16),
             (np.bool_, np.int8), (np.float16, np.int16), (np.uint32, np.int32), (np.int64, np.uint64)]:
    print(np.promote_types(*pair), end=' ')
print()
f32 = np.arange(3, dtype=np.float32)
u8 = np.arange(3, dtype=np.uint8)
i64 = np.arange(3)
show(f32 + 1, f32 + 2.5, f32 + 1e300, f32 + np.float64(2.5), f32 * np.array(2.5), f32 + i64, f32 + np.arange(3, dtype=np.int16))
show(u8 + 1, u8 + 300, u8 + (-1), u8 * 1.5, u8 + np.int64(5), u8 + i64, u8 + True)
show(i64 / 2, i64 // 2, i64 * 2.0, i64 + True, np.array([True, False]) + 1, np.array([True]) + np.array([True]))
print(np.result_type(np.int8, 300), np.result_type(u8, -1), np.result_type(f32, 1e300), np.min_scalar_type(10),
      np.min_scalar_type(-300), np.min_scalar_type(1.5), np.min_scalar_type(1e39), np.can_cast(np.int32, np.float64),
      np.can_cast(np.float64, np.float32), np.can_cast(np.float64, np.float32, 'same_kind'))

# %% scalars
show(np.float64(1.5) + 1, np.float32(1) + 2.5, np.float32(2) * np.float32(3), np.int8(1) + 1, np.int8(100) + np.int8(100))
show(np.int64(7) / np.int64(2), np.int64(7) // 2, np.int64(-7) % 3, np.float64(7) % -3, 2 ** np.int64(10), np.uint8(3) - np.uint8(5))
show(np.bool_(True) + np.bool_(True), np.True_ & False, np.float64(3) > 2, np.float32(0.1), np.float32(1e-5), np.float32(3.4e38))
show(np.float64(1e16), np.float64(1e-5), np.float64(123456789.0), np.float32(1.0), np.float16(0.1), np.int32(3.9), np.uint8(300))
print(np.float64(0.1), np.float32(0.1), np.float16(0.1), np.int64(3), np.bool_(0), str(np.float32(2.5)), f'{np.float32(0.3)}')
print(isinstance(np.float64(1), float), type(np.float64(1) + np.float64(2)).__name__, np.float64(2).item(), type(np.float32(1).item()).__name__)
print(np.float32(0.1).dtype, np.int16(1).dtype, np.float64(1).shape, np.float64(1).ndim, np.array(3.5)[()], type(np.array(3)[()]).__name__)
print(np.float64(1) == 1, type(np.float64(1) == 1).__name__, hash(np.float64(1.5)) == hash(1.5), np.int64(5) in {5: 1})

# %% astype
x = np.array([1.7, -2.5, 3.5, -0.5])
show(x.astype(int), x.astype(np.int8), x.astype(np.uint8), x.astype(bool), x.astype(np.float32), x.astype(np.float16))
show(np.array([300, -1, 70000]).astype(np.uint8), np.array([300, -129]).astype(np.int8), np.array([2**31]).astype(np.int32))
show(np.array([1, 0, 2]).astype(bool), np.array([True, False]).astype(float), np.array([0.1, 0.2], dtype=np.float32).astype(np.float64))
err(lambda: x.astype(np.int32, casting='safe'))
show(np.array([1.5, 2.5], dtype='float32'), np.array([1, 2], dtype='i2'), np.array([1, 2], np.uint16))
show(np.array([np.float32(1), 2]), np.array([np.int32(1), 2]), np.array([1, 2.5, True]), np.array([np.float32(0.1), np.float32(2)]))

# %% errors
err(lambda: np.array([[1, 2], [3]]))
err(lambda: np.zeros(-1))
err(lambda: np.arange(0, 5, 0))
err(lambda: np.frobnicate)
err(lambda: np.array([1, 2]).frobnicate)
err(lambda: np.array([1, 2]).reshape(3))
err(lambda: np.ones(3) + np.ones(4))
