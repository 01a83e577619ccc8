"""Colours: matplotlib's colour specs ('C0', 'k', 'tab:blue', '#hex', grey levels, names, RGB(A) tuples) as
CSS colours, and the Colormap (a lookup table indexed as matplotlib does)."""

from matplotlib.cbook import _plain

_TAB10 = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd',
          '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf']
_TAB_NAMES = ['blue', 'orange', 'green', 'red', 'purple', 'brown', 'pink', 'gray', 'olive', 'cyan']
_BASE = {'b': '#0000ff', 'g': '#008000', 'r': '#ff0000', 'c': '#00bfbf', 'm': '#bf00bf',
         'y': '#bfbf00', 'k': '#000000', 'w': '#ffffff'}


def _hex(r, g, b):
    return '#%02x%02x%02x' % (r, g, b)


def _color(c):
    """(css colour, alpha or None) for a matplotlib colour: 'C0', 'k', 'tab:blue', '#hex', '0.5', names,
    (r, g, b[, a]) in 0..1."""
    if isinstance(c, str):
        s = c.strip()
        if s in _BASE:
            return _BASE[s], None
        if len(s) == 2 and s[0] == 'C' and s[1].isdigit():
            return _TAB10[int(s[1])], None
        low = s.lower()
        if low.startswith('tab:') and low[4:] in _TAB_NAMES:
            return _TAB10[_TAB_NAMES.index(low[4:])], None
        if low.startswith('xkcd:'):
            raise ValueError(f'{c!r}: xkcd colour names are not available; use a name, hex or C0-C9')
        if s.startswith('#') and len(s) in (4, 7) and all(ch in '0123456789abcdefABCDEF' for ch in s[1:]):
            return low, None
        if s.startswith('#') and len(s) == 9:
            return low[:7], int(s[7:9], 16) / 255
        try:
            g = float(s)
        except ValueError:
            g = None
        if g is not None:
            if not 0 <= g <= 1:
                raise ValueError(f'{c!r} is not a valid color (a grey level must be in 0..1)')
            v = round(g * 255)
            return _hex(v, v, v), None
        if s.isalpha():
            return low, None  # CSS named colours: matplotlib's names are the same
        raise ValueError(f'{c!r} is not a valid color')
    p = _plain(c)
    if isinstance(p, list) and len(p) in (3, 4) and all(not isinstance(v, list) for v in p):
        v = [float(x) for x in p]
        if any(not 0 <= x <= 1 for x in v):
            raise ValueError(f'RGBA values should be within 0-1 range, got {c!r}')
        return _hex(*(round(x * 255) for x in v[:3])), (v[3] if len(v) == 4 else None)
    raise ValueError(f'{c!r} is not a valid color')


# Colormaps: a 256-entry lookup table, indexed as matplotlib does (floor(x * N), 1.0 -> last entry)

class Colormap:
    """A colormap: maps a value in 0..1 to an (r, g, b) 8-bit triple through a lookup table of N colours."""

    def __init__(self, name, lut):
        self.name = name
        self._lut = lut
        self.N = len(lut)

    def _index(self, x):
        if x >= 1.0:
            return self.N - 1
        if x < 0.0:
            return 0
        return min(self.N - 1, int(x * self.N))

    def __call__(self, x):
        """(r, g, b, a) floats in 0..1, as matplotlib returns for a scalar."""
        r, g, b = self._lut[self._index(float(x))]
        return (r / 255, g / 255, b / 255, 1.0)

    def rgb8(self, x):
        return self._lut[self._index(x)]

    def reversed(self, name=None):
        return Colormap(name or (self.name[:-2] if self.name.endswith('_r') else self.name + '_r'),
                        list(reversed(self._lut)))

    def __repr__(self):
        return f'<matplotlib.colors.Colormap object: {self.name}>'


def _linear(name, colors, n=256):
    """Evenly spaced anchor colours (0..1 floats) interpolated linearly into n entries (from_list)."""
    m = len(colors) - 1
    lut = []
    for i in range(n):
        x = i / (n - 1) * m
        k = min(int(x), m - 1)
        f = x - k
        a, b = colors[k], colors[k + 1]
        lut.append(tuple(round((a[j] + (b[j] - a[j]) * f) * 255) for j in range(3)))
    return Colormap(name, lut)


def _h(s):
    return tuple(int(s[i:i + 2], 16) / 255 for i in (0, 2, 4))



def _normalize(v, vmin, vmax):
    if vmax == vmin:
        return 0.0
    return (v - vmin) / (vmax - vmin)
