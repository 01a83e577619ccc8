"""numpy 1.24's printing: repr/str of arrays and float scalars, set_printoptions, array2string.

What numpy prints comes from two pieces, reproduced here:
- Dragon4 (numpy/core/src/multiarray/dragon4.c), the digit generator behind every float numpy prints: the
  shortest digits that read back as the same float ("unique") or exactly ``precision`` digits, with numpy's
  cutoffs (``min_digits``, fraction or total length), round-half-even on the exact binary value, and its
  positional and scientific layouts (trim modes ``k . 0 -``, left and right padding, exponent digits). Ported
  with Python's integers in place of its bignums; float16 and float32 are formatted from their own bits.
- arrayprint.py's layout (FloatingFormat, IntegerFormat, BoolFormat, _formatArray): one format per array
  (exponential when the largest magnitude is >= 1e8 or, unless suppress, the smallest < 1e-4 or the ratio
  > 1000; the widest integer and fraction parts pad every element), lines wrapped at ``linewidth`` (75),
  ``...`` summaries past ``threshold`` (1000) elements with ``edgeitems`` (3) at each end, ``array(...)``
  with ``dtype=`` for dtypes other than int64, float64 and bool.
Legacy modes ('1.13', '1.21') are not reproduced.
"""

import contextlib
import math
import struct
import sys

from numpy import _dtypes as _d

_format_options = {
    'edgeitems': 3, 'threshold': 1000, 'floatmode': 'maxprec', 'precision': 8, 'suppress': False,
    'linewidth': 75, 'nanstr': 'nan', 'infstr': 'inf', 'sign': '-', 'formatter': None, 'legacy': sys.maxsize,
}

# -- Dragon4 -----------------------------------------------------------------------------------------------------
_LOG10_2 = 0.30102999566398119521373889472449


def _dragon4(mantissa, exponent, mantissa_bit, unequal_margins, unique, total_length, cutoff_max, cutoff_min):
    """(digits, exponent of the first digit) of mantissa * 2**exponent, as numpy's Dragon4()."""
    if mantissa == 0:
        return '0', 0
    is_even = mantissa % 2 == 0
    if unequal_margins:
        if exponent > 0:
            value, scale, mlow = mantissa << (exponent + 2), 4, 1 << exponent
        else:
            value, scale, mlow = mantissa << 2, 1 << (-exponent + 2), 1
        hf = 2
    else:
        if exponent > 0:
            value, scale, mlow = mantissa << (exponent + 1), 2, 1 << exponent
        else:
            value, scale, mlow = mantissa << 1, 1 << (-exponent + 1), 1
        hf = 1
    digit_exp = math.ceil(float(mantissa_bit + exponent) * _LOG10_2 - 0.69)
    if cutoff_max >= 0 and not total_length and digit_exp <= -cutoff_max:
        digit_exp = -cutoff_max + 1
    if digit_exp > 0:
        scale *= 10 ** digit_exp
    elif digit_exp < 0:
        p = 10 ** (-digit_exp)
        value *= p
        mlow *= p
    if value >= scale:
        digit_exp += 1
    else:
        value *= 10
        mlow *= 10
    cutoff_max_exp = -(1 << 30)  # numpy's buffer bound: never reached here
    if cutoff_max >= 0:
        desired = digit_exp - cutoff_max if total_length else -cutoff_max
        if desired > cutoff_max_exp:
            cutoff_max_exp = desired
    cutoff_min_exp = digit_exp
    if cutoff_min >= 0:
        desired = digit_exp - cutoff_min if total_length else -cutoff_min
        if desired < cutoff_min_exp:
            cutoff_min_exp = desired
    out_exp = digit_exp - 1
    digits = []
    if unique:
        while True:
            digit_exp -= 1
            digit, value = divmod(value, scale)
            mhigh = mlow * hf
            low = value <= mlow if is_even else value < mlow
            high = value + mhigh >= scale if is_even else value + mhigh > scale
            if ((low or high) and digit_exp <= cutoff_min_exp) or digit_exp == cutoff_max_exp:
                break
            digits.append(digit)
            value *= 10
            mlow *= 10
    else:
        low = high = False
        while True:
            digit_exp -= 1
            digit, value = divmod(value, scale)
            if value == 0 or digit_exp == cutoff_max_exp:
                break
            digits.append(digit)
            value *= 10
    round_down = low
    if low == high:
        c = 2 * value - scale
        round_down = c < 0
        if c == 0:
            round_down = digit % 2 == 0
    if round_down:
        digits.append(digit)
    elif digit == 9:
        while True:
            if not digits:
                digits.append(1)
                out_exp += 1
                break
            last = digits.pop()
            if last != 9:
                digits.append(last + 1)
                break
    else:
        digits.append(digit + 1)
    return ''.join(map(str, digits)), out_exp


_BITS = {'d': (struct.Struct('<d'), struct.Struct('<Q'), 52, 11),
         'f': (struct.Struct('<f'), struct.Struct('<I'), 23, 8),
         'e': (struct.Struct('<e'), struct.Struct('<H'), 10, 5)}


def _decompose(x, char):
    """(negative, mantissa, exponent, mantissa_bit, unequal_margins) of a finite x in the type `char`, or
    (negative, None, 'inf'/'nan', ...) for a non-finite one."""
    fs, us, mbits, ebits = _BITS[char]
    u = us.unpack(fs.pack(x))[0]
    frac = u & ((1 << mbits) - 1)
    e = (u >> mbits) & ((1 << ebits) - 1)
    neg = (u >> (mbits + ebits)) != 0
    bias = (1 << (ebits - 1)) - 1
    if e == (1 << ebits) - 1:
        return neg, None, 'inf' if frac == 0 else 'nan', 0, False
    if e != 0:
        return neg, (1 << mbits) | frac, e - bias - mbits, mbits, e != 1 and frac == 0
    return neg, frac, 1 - bias - mbits, max(frac.bit_length() - 1, 0), False


_TRIMS = ('k', '.', '0', '-')


def _sign_char(neg, sign):
    return '-' if neg else '+' if sign else ''


def _positional(x, char, precision=-1, min_digits=-1, unique=True, fractional=True, trim='k', sign=False,
                pad_left=-1, pad_right=-1):
    """numpy's dragon4_positional (FormatPositional) for x of the float type `char` ('d', 'f' or 'e')."""
    neg, mant, exp, mbit, unequal = _decompose(x, char)
    sc = _sign_char(neg, sign)
    if mant is None:
        return (sc + 'inf') if exp == 'inf' else 'nan'
    digits, pexp = _dragon4(mant, exp, mbit, unequal, unique, not fractional, precision, min_digits)
    has_sign = 1 if sc else 0
    nd = len(digits)
    if pexp >= 0:
        whole = pexp + 1
        if nd <= whole:
            s = digits + '0' * (whole - nd)
            frac = 0
        else:
            s = digits[:whole] + '.' + digits[whole:]
            frac = nd - whole
    else:
        zeros = -(pexp + 1)
        s = '0.' + '0' * zeros + digits
        frac = zeros + nd
        whole = 1
    if trim != '-' and frac == 0:
        s += '.'
    add = min_digits if unique else precision
    desired = 0 if add < 0 else add
    if not fractional:
        desired = add - whole
    if trim == '0':
        if frac == 0:
            s += '0'
            frac += 1
    elif trim == 'k' and desired > frac:
        s += '0' * (desired - frac)
        frac = desired
    if trim != 'k' and frac > 0:
        while s[-1] == '0':
            s = s[:-1]
            frac -= 1
        if s[-1] == '.':
            if trim == '0':
                s += '0'
                frac += 1
            elif trim == '-':
                s = s[:-1]
    s = sc + s
    if pad_right >= frac:
        if trim == '-' and frac == 0:
            s += ' '
        s += ' ' * (pad_right - frac)
    if pad_left > whole + has_sign:
        s = ' ' * (pad_left - (whole + has_sign)) + s
    return s


def _scientific(x, char, precision=-1, min_digits=-1, unique=True, trim='k', sign=False, pad_left=-1,
                exp_digits=-1):
    """numpy's dragon4_scientific (FormatScientific)."""
    neg, mant, exp, mbit, unequal = _decompose(x, char)
    sc = _sign_char(neg, sign)
    if mant is None:
        return (sc + 'inf') if exp == 'inf' else 'nan'
    s = ''
    left = 1 + (1 if sc else 0)
    if pad_left > left:
        s += ' ' * (pad_left - left)
    s += sc
    digits, pexp = _dragon4(mant, exp, mbit, unequal, unique, True, -1 if precision < 0 else precision + 1,
                            -1 if min_digits < 0 else min_digits + 1)
    s += digits[0]
    frac = len(digits) - 1
    if frac > 0:
        s += '.' + digits[1:]
    if trim != '-' and frac == 0:
        s += '.'
    add = min_digits if unique else precision
    add = 0 if add < 0 else add
    if trim == '0':
        if frac == 0:
            s += '0'
            frac += 1
    elif trim == 'k' and add > frac:
        s += '0' * (add - frac)
        frac = add
    if trim != 'k' and frac > 0:
        while s[-1] == '0':
            s = s[:-1]
            frac -= 1
        if trim == '0' and s[-1] == '.':
            s += '0'
            frac += 1
    if exp_digits > 5:
        exp_digits = 5
    if exp_digits < 0:
        exp_digits = 2
    e = abs(pexp)
    s += 'e' + ('+' if pexp >= 0 else '-') + str(e).zfill(exp_digits)
    return s


def _none_or_positive_arg(x, name):
    if x is None:
        return -1
    if x < 0:
        raise ValueError(f'{name} must be >= 0')
    return x


def _float_char(x):
    d = getattr(type(x), '_dtype', None)
    return d.char if d is not None and d.kind == 'f' else 'd'


def format_float_positional(x, precision=None, unique=True, fractional=True, trim='k', sign=False, pad_left=None,
                            pad_right=None, min_digits=None):
    """np.format_float_positional: a float (numpy float scalar or Python float) in positional notation."""
    precision = _none_or_positive_arg(precision, 'precision')
    pad_left = _none_or_positive_arg(pad_left, 'pad_left')
    pad_right = _none_or_positive_arg(pad_right, 'pad_right')
    min_digits = _none_or_positive_arg(min_digits, 'min_digits')
    if not fractional and precision == 0:
        raise ValueError('precision must be greater than 0 if fractional=False')
    if min_digits > 0 and precision > 0 and min_digits > precision:
        raise ValueError('min_digits must be less than or equal to precision')
    if trim not in _TRIMS:
        raise ValueError("trim must be one of 'k', '.', '0', '-'")
    return _positional(float(x), _float_char(x), precision, min_digits, unique, fractional, trim, sign, pad_left,
                       pad_right)


def format_float_scientific(x, precision=None, unique=True, trim='k', sign=False, pad_left=None, exp_digits=None,
                            min_digits=None):
    """np.format_float_scientific."""
    precision = _none_or_positive_arg(precision, 'precision')
    pad_left = _none_or_positive_arg(pad_left, 'pad_left')
    exp_digits = _none_or_positive_arg(exp_digits, 'exp_digits')
    min_digits = _none_or_positive_arg(min_digits, 'min_digits')
    if min_digits > 0 and precision > 0 and min_digits > precision:
        raise ValueError('min_digits must be less than or equal to precision')
    if trim not in _TRIMS:
        raise ValueError("trim must be one of 'k', '.', '0', '-'")
    return _scientific(float(x), _float_char(x), precision, min_digits, unique, trim, sign, pad_left, exp_digits)


def _scalar_repr(x, char):
    """repr/str of a numpy float scalar (numpy 1.24, non-legacy): positional for 1e-4 <= |x| < 1e16 (and 0),
    scientific otherwise; the shortest digits that read back as x."""
    if x != x:
        return 'nan'
    if x in (math.inf, -math.inf):
        return 'inf' if x > 0 else '-inf'
    a = abs(x)
    if a == 0 or 1.e-4 <= a < 1.e16:
        return _positional(x, char, trim='0')
    return _scientific(x, char, trim='-')


# -- options -------------------------------------------------------------------------------------------------------
def _make_options_dict(precision=None, threshold=None, edgeitems=None, linewidth=None, suppress=None, nanstr=None,
                       infstr=None, sign=None, formatter=None, floatmode=None, legacy=None):
    options = {k: v for k, v in dict(precision=precision, threshold=threshold, edgeitems=edgeitems,
                                     linewidth=linewidth, suppress=suppress, nanstr=nanstr, infstr=infstr,
                                     sign=sign, formatter=formatter, floatmode=floatmode).items() if v is not None}
    if suppress is not None:
        options['suppress'] = bool(suppress)
    modes = ['fixed', 'unique', 'maxprec', 'maxprec_equal']
    if floatmode not in modes + [None]:
        raise ValueError('floatmode option must be one of ' + ', '.join(f'"{m}"' for m in modes))
    if sign not in [None, '-', '+', ' ']:
        raise ValueError("sign option must be one of ' ', '+', or '-'")
    if legacy is False:
        options['legacy'] = sys.maxsize
    elif legacy is not None:
        raise NotImplementedError(f"np.set_printoptions(legacy={legacy!r}) is not available in backprop-ninja's numpy")
    if threshold is not None:
        if not isinstance(threshold, (int, float)):
            raise TypeError('threshold must be numeric')
        if threshold != threshold:
            raise ValueError('threshold must be non-NAN, try sys.maxsize for untruncated representation')
    if precision is not None:
        import operator
        try:
            options['precision'] = operator.index(precision)
        except TypeError as e:
            raise TypeError('precision must be an integer') from e
    return options


def set_printoptions(precision=None, threshold=None, edgeitems=None, linewidth=None, suppress=None, nanstr=None,
                     infstr=None, formatter=None, sign=None, floatmode=None, *, legacy=None):
    """np.set_printoptions: precision (8), threshold (1000), edgeitems (3), linewidth (75), suppress (False),
    nanstr, infstr, formatter (reset by every call), sign ('-'), floatmode ('maxprec')."""
    opt = _make_options_dict(precision, threshold, edgeitems, linewidth, suppress, nanstr, infstr, sign,
                             formatter, floatmode, legacy)
    opt['formatter'] = formatter
    _format_options.update(opt)


def get_printoptions():
    opts = _format_options.copy()
    opts['legacy'] = False
    return opts


@contextlib.contextmanager
def printoptions(*args, **kwargs):
    opts = get_printoptions()
    try:
        set_printoptions(*args, **kwargs)
        yield get_printoptions()
    finally:
        opts.pop('legacy')
        set_printoptions(**opts)


# -- formats -------------------------------------------------------------------------------------------------------
class FloatingFormat:
    """One format for every float of an array (numpy's FloatingFormat): data is a flat list of Python floats."""

    def __init__(self, data, char, precision, floatmode, suppress_small, sign='-', is_0d=False):
        if isinstance(sign, bool):
            sign = '+' if sign else '-'
        self.char = char
        self.floatmode = floatmode
        self.precision = _none_or_positive_arg(None if floatmode == 'unique' else precision, 'precision')
        self.suppress_small = suppress_small
        self.sign = sign
        self.exp_format = False
        self.large_exponent = False
        self.fill_format(data)

    def _div(self, a, b):
        try:
            q = a / b
        except ZeroDivisionError:
            return math.inf
        if self.char == 'f':
            return _d.round32(q)
        if self.char == 'e':
            return _d.round16(q)
        return q

    def fill_format(self, data):
        finite_vals = [x for x in data if math.isfinite(x)]
        abs_non_zero = [abs(x) for x in finite_vals if x != 0]
        if abs_non_zero:
            max_val = max(abs_non_zero)
            min_val = min(abs_non_zero)
            if max_val >= 1.e8 or (not self.suppress_small and (min_val < 0.0001 or self._div(max_val, min_val) > 1000.)):
                self.exp_format = True
        sign_plus = self.sign == '+'
        if not finite_vals:
            self.pad_left = 0
            self.pad_right = 0
            self.trim = '.'
            self.exp_size = -1
            self.unique = True
            self.min_digits = None
        elif self.exp_format:
            trim, unique = '.', True
            if self.floatmode == 'fixed':
                trim, unique = 'k', False
            strs = [_scientific(x, self.char, precision=self.precision, unique=unique, trim=trim, sign=sign_plus)
                    for x in finite_vals]
            parts = [s.partition('e') for s in strs]
            frac_strs = [p[0] for p in parts]
            exp_strs = [p[2] for p in parts]
            int_part = [s.split('.')[0] for s in frac_strs]
            frac_part = [s.split('.')[1] for s in frac_strs]
            self.exp_size = max(len(s) for s in exp_strs) - 1
            self.trim = 'k'
            self.precision = max(len(s) for s in frac_part)
            self.min_digits = self.precision
            self.unique = unique
            self.pad_left = max(len(s) for s in int_part)
            self.pad_right = self.exp_size + 2 + self.precision
        else:
            trim, unique = '.', True
            if self.floatmode == 'fixed':
                trim, unique = 'k', False
            strs = [_positional(x, self.char, precision=self.precision, fractional=True, unique=unique, trim=trim,
                                sign=sign_plus) for x in finite_vals]
            int_part = [s.split('.')[0] for s in strs]
            frac_part = [s.split('.')[1] for s in strs]
            self.pad_left = max(len(s) for s in int_part)
            self.pad_right = max(len(s) for s in frac_part)
            self.exp_size = -1
            self.unique = unique
            if self.floatmode in ['fixed', 'maxprec_equal']:
                self.precision = self.min_digits = self.pad_right
                self.trim = 'k'
            else:
                self.trim = '.'
                self.min_digits = 0
        if self.sign == ' ' and not any(math.copysign(1.0, x) < 0 for x in finite_vals):
            self.pad_left += 1
        if len(data) != len(finite_vals):
            neginf = self.sign != '-' or any(x == -math.inf for x in data)
            nanlen = len(_format_options['nanstr'])
            inflen = len(_format_options['infstr']) + neginf
            offset = self.pad_right + 1
            self.pad_left = max(self.pad_left, nanlen - offset, inflen - offset)

    def __call__(self, x):
        if not math.isfinite(x):
            if x != x:
                ret = ('+' if self.sign == '+' else '') + _format_options['nanstr']
            else:
                ret = ('-' if x < 0 else '+' if self.sign == '+' else '') + _format_options['infstr']
            return ' ' * (self.pad_left + self.pad_right + 1 - len(ret)) + ret
        if self.exp_format:
            return _scientific(x, self.char, precision=self.precision, min_digits=self.min_digits,
                               unique=self.unique, trim=self.trim, sign=self.sign == '+', pad_left=self.pad_left,
                               exp_digits=self.exp_size)
        return _positional(x, self.char, precision=self.precision, min_digits=self.min_digits, unique=self.unique,
                           fractional=True, trim=self.trim, sign=self.sign == '+', pad_left=self.pad_left,
                           pad_right=self.pad_right)


class IntegerFormat:
    def __init__(self, data):
        n = max(len(str(max(data))), len(str(min(data)))) if data else 0
        self.format = '%{}d'.format(n)

    def __call__(self, x):
        return self.format % x


class BoolFormat:
    def __init__(self, data, is_0d=False):
        self.truestr = 'True' if is_0d else ' True'

    def __call__(self, x):
        return self.truestr if x else 'False'


def _get_format_function(flat, dtype, is_0d, options):
    fmt = options.get('formatter')
    kind = dtype.kind
    key = 'bool' if kind == 'b' else 'int' if kind in 'iu' else 'float'
    if fmt:
        for k in (key, 'int_kind' if key == 'int' else 'float_kind' if key == 'float' else None, 'all'):
            if k and fmt.get(k) is not None:
                f = fmt[k]
                return lambda x, f=f, dt=dtype: f(_d.scalar(x, dt))
    if kind == 'b':
        return BoolFormat(flat, is_0d)
    if kind in 'iu':
        return IntegerFormat(flat)
    return FloatingFormat(flat, dtype.char, options['precision'], options['floatmode'], options['suppress'],
                          options['sign'], is_0d)


# -- layout --------------------------------------------------------------------------------------------------------
def _extend_line(s, line, word, line_width, next_line_prefix):
    needs_wrap = len(line) + len(word) > line_width
    if len(line) <= len(next_line_prefix):
        needs_wrap = False
    if needs_wrap:
        s += line.rstrip() + '\n'
        line = next_line_prefix
    line += word
    return s, line


def _extend_line_pretty(s, line, word, line_width, next_line_prefix):
    words = word.splitlines()
    if len(words) == 1:
        return _extend_line(s, line, word, line_width, next_line_prefix)
    max_word_length = max(len(w) for w in words)
    if len(line) + max_word_length > line_width and len(line) > len(next_line_prefix):
        s += line.rstrip() + '\n'
        line = next_line_prefix + words[0]
        indent = next_line_prefix
    else:
        indent = len(line) * ' '
        line += words[0]
    for w in words[1:]:
        s += line.rstrip() + '\n'
        line = indent + w
    line += (max_word_length - len(words[-1])) * ' '
    return s, line


def _format_array(data, shape, format_function, line_width, next_line_prefix, separator, edge_items,
                  summary_insert):
    """numpy's _formatArray over nested lists `data` (summarized: each axis longer than 2 * edge_items holds its
    edge items only) of the array's real `shape`."""
    ndim = len(shape)

    def get(index):
        v = data
        for i in index:
            v = v[i]
        return v

    def recurser(index, hanging_indent, curr_width):
        axis = len(index)
        axes_left = ndim - axis
        if axes_left == 0:
            return format_function(get(index))
        next_hanging_indent = hanging_indent + ' '
        next_width = curr_width - len(']')
        a_len = shape[axis]
        show_summary = summary_insert and 2 * edge_items < a_len
        if show_summary:
            leading_items = edge_items
            trailing_items = edge_items
        else:
            leading_items = 0
            trailing_items = a_len
        s = ''
        if axes_left == 1:
            elem_width = curr_width - max(len(separator.rstrip()), len(']'))
            line = hanging_indent
            for i in range(leading_items):
                word = recurser(index + (i,), next_hanging_indent, next_width)
                s, line = _extend_line_pretty(s, line, word, elem_width, hanging_indent)
                line += separator
            if show_summary:
                s, line = _extend_line(s, line, summary_insert, elem_width, hanging_indent)
                line += separator
            for i in range(trailing_items, 1, -1):
                word = recurser(index + (-i,), next_hanging_indent, next_width)
                s, line = _extend_line_pretty(s, line, word, elem_width, hanging_indent)
                line += separator
            word = recurser(index + (-1,), next_hanging_indent, next_width)
            s, line = _extend_line_pretty(s, line, word, elem_width, hanging_indent)
            s += line
        else:
            s = ''
            line_sep = separator.rstrip() + '\n' * (axes_left - 1)
            for i in range(leading_items):
                nested = recurser(index + (i,), next_hanging_indent, next_width)
                s += hanging_indent + nested + line_sep
            if show_summary:
                s += hanging_indent + summary_insert + line_sep
            for i in range(trailing_items, 1, -1):
                nested = recurser(index + (-i,), next_hanging_indent, next_width)
                s += hanging_indent + nested + line_sep
            nested = recurser(index + (-1,), next_hanging_indent, next_width)
            s += hanging_indent + nested
        return '[' + s[len(hanging_indent):] + ']'

    return recurser((), next_line_prefix, line_width)


def _summarized(a, edgeitems):
    """The array's tensor with each axis longer than 2 * edgeitems cut to its edge items (numpy's
    _leading_trailing)."""
    import torch
    t = a._t
    for axis, n in enumerate(t.shape):
        if n > 2 * edgeitems:
            lead = t[(slice(None),) * axis + (slice(0, edgeitems),)]
            trail = t[(slice(None),) * axis + (slice(n - edgeitems, n),)]
            t = torch.cat([lead, trail], axis)
    return t


def _array2string(a, options, separator=' ', prefix=''):
    if a.size > options['threshold']:
        summary_insert = '...'
        t = _summarized(a, options['edgeitems'])
    else:
        summary_insert = ''
        t = a._t
    data = t.tolist()
    flat = t.reshape(-1).tolist()
    format_function = _get_format_function(flat, a.dtype, a.ndim == 0, options)
    next_line_prefix = ' ' + ' ' * len(prefix)
    return _format_array(data, a.shape, format_function, options['linewidth'], next_line_prefix, separator,
                         options['edgeitems'], summary_insert)


def array2string(a, max_line_width=None, precision=None, suppress_small=None, separator=' ', prefix='',
                 style=None, formatter=None, threshold=None, edgeitems=None, sign=None, floatmode=None, suffix='',
                 *, legacy=None):
    """np.array2string: the array's elements as numpy lays them out (see the module docstring)."""
    from numpy._multiarray import asarray
    a = asarray(a)
    overrides = _make_options_dict(precision, threshold, edgeitems, max_line_width, suppress_small, None, None, sign,
                                   formatter, floatmode, legacy)
    options = _format_options.copy()
    options.update(overrides)
    options['linewidth'] -= len(suffix)
    if a.size == 0:
        return '[]'
    return _array2string(a, options, separator, prefix)


def dtype_is_implied(dtype):
    return dtype.name in ('int64', 'float64', 'bool')


def dtype_short_repr(dtype):
    return dtype.name


def array_repr(arr, max_line_width=None, precision=None, suppress_small=None):
    """repr of an array: array([...]) with dtype=... for other dtypes than int64, float64 and bool."""
    if max_line_width is None:
        max_line_width = _format_options['linewidth']
    class_name = 'array'
    skipdtype = dtype_is_implied(arr.dtype) and arr.size > 0
    prefix = class_name + '('
    suffix = ')' if skipdtype else ','
    if arr.size > 0 or arr.shape == (0,):
        lst = array2string(arr, max_line_width, precision, suppress_small, ', ', prefix, suffix=suffix)
    else:
        lst = '[], shape=%s' % (repr(arr.shape),)
    arr_str = prefix + lst + suffix
    if skipdtype:
        return arr_str
    dtype_str = 'dtype={})'.format(dtype_short_repr(arr.dtype))
    last_line_len = len(arr_str) - (arr_str.rfind('\n') + 1)
    spacer = ' '
    if last_line_len + len(dtype_str) + 1 > max_line_width:
        spacer = '\n' + ' ' * len(class_name + '(')
    return arr_str + spacer + dtype_str


def array_str(a, max_line_width=None, precision=None, suppress_small=None):
    """str of an array: its elements separated by spaces; a 0-d array prints as its scalar."""
    if a.shape == ():
        return str(a[()])
    return array2string(a, max_line_width, precision, suppress_small, ' ', '')
