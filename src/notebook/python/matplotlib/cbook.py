"""Data as plain Python: numbers and (nested) lists of floats from numbers, lists, tuples, ranges, and
tensor-likes or arrays (anything with ``.tolist()``; ``.detach()`` is called first when present)."""

import math


def _plain(x):
    if isinstance(x, (bool, int, float)):
        return x
    if isinstance(x, (list, tuple, range)):
        if set(map(type, x)) <= _NUMBER_TYPES:  # a flat list of numbers: no per-element call
            return list(x)
        return [_plain(v) for v in x]
    if isinstance(x, (str, bytes)):
        raise TypeError(f'expected numbers, got the string {x!r}')
    if hasattr(x, 'tolist'):
        if hasattr(x, 'detach'):
            x = x.detach()
        return _plain(x.tolist())
    if hasattr(x, 'item'):
        return _plain(x.item())
    if hasattr(x, '__float__'):
        return float(x)
    if hasattr(x, '__iter__') and not isinstance(x, dict):
        return [_plain(v) for v in x]
    raise TypeError(f'expected numbers, a list or a tensor, got {type(x).__name__}')


_NUMBER_TYPES = {float, int}


def _num(v):
    if isinstance(v, list):
        raise ValueError('expected a number, got a sequence')
    return float(v)


def _ndim(p):
    n = 0
    while isinstance(p, list):
        n += 1
        if not p:
            break
        p = p[0]
    return n


def _vec(x, what='data'):
    """A 1-D list of floats (a scalar becomes one value; an (N, 1) or (1, N) column/row is flattened)."""
    p = _plain(x)
    if not isinstance(p, list):
        return [float(p)]
    nd = _ndim(p)
    if nd == 2 and (all(len(r) == 1 for r in p) or len(p) == 1):
        p = [v for r in p for v in r]
        nd = 1
    if nd > 1:
        raise ValueError(f'{what} must be 1-D, got {nd}-D data (flatten it first, e.g. t.view(-1))')
    return list(map(float, p))


def _mat(x, what='data'):
    """A rectangular 2-D list of floats (rows), or of RGB(A) tuples when the data is H x W x 3/4."""
    p = _plain(x)
    nd = _ndim(p) if isinstance(p, list) else 0
    if nd == 3:
        return [[tuple(_num(c) for c in px) for px in row] for row in p], True
    if nd != 2:
        raise TypeError(f'Invalid shape for image data: {what} must be 2-D (rows x columns), got {nd}-D')
    w = len(p[0])
    for r in p:
        if len(r) != w:
            raise ValueError(f'{what} rows have different lengths ({w} and {len(r)})')
    return [[_num(v) for v in r] for r in p], False


def _strings(x):
    """The strings of a 1-D sequence (list, tuple, array) of strings, or None when x is not one."""
    if isinstance(x, str):
        return [x]
    if hasattr(x, 'tolist') and not hasattr(x, 'detach'):
        x = x.tolist()
    if isinstance(x, (list, tuple)) and x and all(isinstance(v, str) for v in x):
        return list(x)
    return None


def _finite(v):
    return not (math.isnan(v) or math.isinf(v))


def _bounds(xs, ys):
    """(xmin, xmax, ymin, ymax) over the points where both x and y are finite; None when there are none."""
    if xs and math.isfinite(sum(xs)) and math.isfinite(sum(ys)):  # all finite (NaN and inf propagate)
        return min(xs), max(xs), min(ys), max(ys)
    fx, fy = [], []
    for x, y in zip(xs, ys):
        if _finite(x) and _finite(y):
            fx.append(x)
            fy.append(y)
    return (min(fx), max(fx), min(fy), max(fy)) if fx else None
