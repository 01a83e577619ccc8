# Project-written notebook (issue 18, item 2): np.random's legacy RandomState streams, bit for bit (values printed
# with repr's 17 digits through tolist()), for several seeds and every function: seed, rand, randn, randint,
# choice (with and without p and replace), shuffle, permutation, normal, uniform, random/random_sample, state.

# %% setup
import numpy as np


def err(f):
    try:
        r = f()
    except Exception as e:
        print(f'{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ""}')
    else:
        print('no error:', repr(r))


def bits(x):
    """The values, exactly (repr of Python floats round-trips), with the type and dtype."""
    if isinstance(x, np.ndarray):
        return f'{x.dtype} {x.shape} {x.tolist()}'
    return f'{type(x).__name__} {x!r}'


# %% floats
for s in (0, 1, 42, 2 ** 32 - 1):
    np.random.seed(s)
    print(s, bits(np.random.rand()), bits(np.random.rand(3)), bits(np.random.rand(2, 2)))
    print(bits(np.random.randn()), bits(np.random.randn(5)), bits(np.random.randn(1, 3)))
    print(bits(np.random.random()), bits(np.random.random((2,))), bits(np.random.random_sample(2)), bits(np.random.ranf()))
    print(bits(np.random.normal()), bits(np.random.normal(2.0, 0.5, 3)), bits(np.random.normal(size=(2, 1))))
    print(bits(np.random.uniform()), bits(np.random.uniform(-1, 1, 4)), bits(np.random.uniform(5, 2, size=2)))
    print(bits(np.random.standard_normal(3)), bits(np.random.normal([0, 10], [1, 2])), bits(np.random.uniform([0, 1], 3)))

# %% integers
for s in (0, 7, 123456):
    np.random.seed(s)
    print(s, bits(np.random.randint(10)), bits(np.random.randint(5, size=6)), bits(np.random.randint(-3, 3, size=(2, 3))))
    print(bits(np.random.randint(0, 2 ** 32, size=3)), bits(np.random.randint(0, 2 ** 40, size=2)), bits(np.random.randint(1, 2)))
    print(bits(np.random.randint(0, 256, 4, dtype=np.uint8)), bits(np.random.randint(-5, 5, 5, dtype=np.int8)), bits(np.random.randint(0, 1000, 3, dtype=np.int16)))
    print(bits(np.random.randint(0, 2, 6, dtype=bool)), bits(np.random.randint(0, 7, 3, dtype=np.int32)), bits(np.random.randint(3, dtype=np.int64)))
err(lambda: np.random.randint(0))
err(lambda: np.random.randint(5, 2))
err(lambda: np.random.randint(0, 300, dtype=np.uint8))

# %% choice
for s in (0, 3, 99):
    np.random.seed(s)
    print(s, bits(np.random.choice(5)), bits(np.random.choice(5, 3)), bits(np.random.choice(10, 4, replace=False)))
    print(bits(np.random.choice(['a', 'b', 'c'] if False else [10, 20, 30], 5)), bits(np.random.choice(np.arange(4) * 1.5)))
    print(bits(np.random.choice(4, 6, p=[0.1, 0.2, 0.3, 0.4])), bits(np.random.choice(4, p=[0.5, 0.0, 0.25, 0.25])))
    print(bits(np.random.choice(6, 3, replace=False, p=[0.05, 0.3, 0.15, 0.2, 0.1, 0.2])), bits(np.random.choice(5, (2, 2))))
    print(bits(np.random.choice(7, (2, 3), replace=False)), bits(np.random.choice(3, 3, replace=False, p=[0.2, 0.3, 0.5])))
np.random.seed(8)
print([np.random.choice(['emma', 'olivia', 'ava']) for _ in range(4)], bits(np.random.rand()))
err(lambda: np.random.choice(5, 6, replace=False))
err(lambda: np.random.choice(3, p=[0.5, 0.6, 0.1]))
err(lambda: np.random.choice(3, p=[0.5, 0.5]))
err(lambda: np.random.choice(0))
err(lambda: np.random.choice([[1, 2], [3, 4]]))

# %% permutations
for s in (0, 5, 2024):
    np.random.seed(s)
    a = np.arange(10)
    np.random.shuffle(a)
    l = list(range(8))
    np.random.shuffle(l)
    m = np.arange(12).reshape(4, 3)
    np.random.shuffle(m)
    print(s, a.tolist(), l, m.tolist())
    print(bits(np.random.permutation(7)), bits(np.random.permutation(np.array([1.5, 2.5, 3.5]))), bits(np.random.permutation(np.arange(6).reshape(3, 2))))
    words = ['emma', 'olivia', 'ava', 'isabella', 'sophia']
    np.random.shuffle(words)
    print(words, bits(np.random.rand()))

# %% state
np.random.seed(11)
np.random.randn(3)
st = np.random.get_state()
print(st[0], st[1].dtype, st[1].shape, st[1][:3].tolist(), st[2], st[3], repr(st[4]))
x1 = np.random.randn(4).tolist()
np.random.set_state(st)
print(x1 == np.random.randn(4).tolist())
rs = np.random.RandomState(5)
rs2 = np.random.RandomState([1, 2, 3])
print(bits(rs.rand(2)), bits(rs.randint(0, 9, 3)), bits(rs2.randn(2)), bits(rs2.choice(9, 2)), str(rs))
err(lambda: np.random.seed(-1))
err(lambda: np.random.seed(2 ** 32))
err(lambda: np.random.normal(0, -1))
err(lambda: np.random.RandomState(1.5))
