# Project-written notebook (issue 18, item 2): numpy's printing, several hundred reprs and strs: floats of every
# magnitude (positional and exponential formats, the shortest digits at precision 8), float32 and float16,
# integers of each width, bools, nan/inf and -0., 0-d and empty arrays, wrapping at 75 columns, summaries past
# 1000 elements, set_printoptions/printoptions (precision, suppress, sign, floatmode, threshold, edgeitems,
# linewidth), array2string, format_float_positional/scientific, and the scalars' reprs.

# %% setup
import numpy as np

rs = np.random.RandomState(2024)


def both(x):
    print(repr(x))
    print(str(x))


# %% magnitudes
for scale in (1e-12, 1e-6, 1e-4, 1e-3, 0.1, 1.0, 7.0, 123.456, 1e4, 1e7, 1e8, 1e12, 1e20):
    x = rs.standard_normal(5) * scale
    both(x)
    both(x.astype(np.float32))
both(np.array([1.0, 1000.0]))
both(np.array([1.0, 1000.1]))
both(np.array([0.0001, 1.0]))
both(np.array([0.00009999, 1.0]))
both(np.array([99999999.0, 1.0]))
both(np.array([1e8, 1.0]))
both(np.array([0.5, 0.25, 0.125]))
both(np.array([1 / 3, 2 / 3]))
both(np.array([1.0, 2.0, 3.0]))
both(np.array([100.0, 2.5]))
both(np.array([-1.5, 22.25, -333.125]))

# %% specials
both(np.array([np.nan, 1.0, -np.inf, np.inf]))
both(np.array([np.nan]))
both(np.array([-np.inf, 2.5]))
both(np.array([-0.0, 0.0, 1.0]))
both(np.array([0.0, 0.0]))
both(np.array([np.nan, np.nan], dtype=np.float32))
both(np.array([1e-300, 1e300]))
both(np.array([5e-324, 1.0]))
both(np.array([np.finfo(np.float64).max, np.finfo(np.float64).tiny]))
both(np.array([np.finfo(np.float32).max], dtype=np.float32))
both(np.array([0.1, 0.2, 0.30000000000000004]))

# %% dtypes
for d in (np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.float16, np.float32, np.float64, np.bool_):
    x = (rs.standard_normal(6) * 50).astype(d)
    both(x)
    both(x.reshape(2, 3))
both(np.array([-128, 127], dtype=np.int8))
both(np.array([0, 65535], dtype=np.uint16))
both(np.array([True]))
both(np.array([[True, False], [False, True]]))
both(np.array([0.1, 1.5, 65504], dtype=np.float16))
both(np.array([1e-7, 3.4e38], dtype=np.float32))
both(np.array([2 ** 40, -(2 ** 40)]))

# %% shapes
both(np.array(3.25))
both(np.array(7))
both(np.array(True))
both(np.array(1.5, dtype=np.float32))
both(np.array([]))
both(np.zeros((0, 3)))
both(np.zeros((2, 0), dtype=np.int32))
both(np.zeros(0, dtype=bool))
both(np.arange(24).reshape(2, 3, 4))
both(np.arange(24.0).reshape(2, 3, 4) / 7)
both(np.arange(16).reshape(2, 2, 2, 2))
both(rs.standard_normal((3, 1)))
both(np.ones((1, 1, 1)))

# %% wrapping
for n in (10, 11, 20, 40):
    both(np.arange(n) * 1000)
    both(rs.standard_normal(n))
both(rs.standard_normal((4, 12)))
both(np.linspace(0, 1, 30).astype(np.float32))
both(np.arange(30).reshape(3, 10) * 123456)
both(rs.standard_normal((2, 3, 9)) * 1e5)

# %% summaries
both(np.arange(1001))
both(np.arange(2000).reshape(40, 50))
both(rs.standard_normal(1500))
both(rs.standard_normal((30, 40, 2)))
both(np.arange(1000))
both(np.zeros((1001,), dtype=np.float32))
both(rs.standard_normal((1100, 1)))

# %% options
x = rs.standard_normal(6) * [1, 10, 100, 1e-3, 1e5, 0.5]
with np.printoptions(precision=3):
    both(x)
with np.printoptions(precision=2, suppress=True):
    both(x)
    both(np.array([1e-10, 1.0]))
with np.printoptions(sign='+'):
    both(x)
    both(np.array([1.0, np.nan, np.inf]))
with np.printoptions(sign=' '):
    both(np.array([1.0, 2.5]))
for mode in ('fixed', 'unique', 'maxprec', 'maxprec_equal'):
    with np.printoptions(floatmode=mode, precision=4):
        both(np.array([0.5, 1.0 / 3.0, 2.0]))
        both(np.array([1e-6, 1.0 / 3.0, 2e3]))
with np.printoptions(threshold=5, edgeitems=2):
    both(np.arange(10))
    both(np.arange(36).reshape(6, 6))
with np.printoptions(linewidth=30):
    both(np.arange(20))
    both(rs.standard_normal(8))
with np.printoptions(nanstr='NaN', infstr='Inf'):
    both(np.array([np.nan, -np.inf, 1.0]))
with np.printoptions(formatter={'float': lambda v: f'{v:.1f}'}):
    both(np.array([1.25, 2.5]))
np.set_printoptions(precision=4)
both(x)
np.set_printoptions(precision=8)
print(np.get_printoptions()['precision'], np.get_printoptions()['threshold'], np.get_printoptions()['linewidth'])
print(np.array2string(np.array([1.5, 2.25]), separator=', '), np.array2string(np.arange(5), max_line_width=8))
print(np.array_repr(np.array([1.0, 2.0])), np.array_str(np.array([[1, 2], [3, 4]])))

# %% scalars
for v in (0.0, -0.0, 1.0, 0.1, 1 / 3, 123456789.0, 1e15, 1e16, 1.5e16, 1e-4, 9.999e-5, 1e-5, 1e100, 5e-324, -2.5):
    print(repr(np.float64(v)), repr(np.float32(v)), repr(np.float16(v)), str(np.float32(v)))
for v in (0, 1, -1, 127, 255, 2 ** 31 - 1):
    print(repr(np.int8(v)), repr(np.uint8(v)), repr(np.int32(v)), repr(np.int64(v)))
print(repr(np.True_), repr(np.False_), repr(np.float64('nan')), repr(np.float32('inf')), repr(np.float64('-inf')))
print(np.format_float_positional(np.float32(0.1)), np.format_float_positional(0.1, precision=3), np.format_float_positional(1.0, trim='-'))
print(np.format_float_scientific(12345.678, precision=2), np.format_float_scientific(np.float32(1e-7)), np.format_float_scientific(1.5, exp_digits=3))
print(np.format_float_positional(2.5, precision=0), np.format_float_positional(0.125, precision=2), np.format_float_positional(1e20, trim='0'))
print(np.format_float_positional(-0.001, sign=True, pad_left=4, pad_right=5), np.format_float_positional(123.0, unique=False, precision=3))
print(f'{np.float64(1.5):.3f}', '%.2f' % np.float32(2.345), '{:>8}'.format(np.int64(42)), format(np.float64(0.1), 'e'))
