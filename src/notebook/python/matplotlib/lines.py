"""Line2D (what plot returns) and the format strings plot reads: 'k', 'r--', 'o', 'C1-.', '.-'."""

from matplotlib.artist import Artist
from matplotlib.cbook import _bounds, _vec
from matplotlib.colors import _BASE


class Line2D(Artist):
    def __init__(self, x, y, color, linestyle, linewidth, marker, markersize, alpha, label):
        self.x, self.y = x, y
        self.color, self.linestyle, self.linewidth = color, linestyle, linewidth
        self.marker, self.markersize, self.alpha, self.label = marker, markersize, alpha, label
        self._lim = None

    def _bounds(self):
        if self._lim is None:
            self._lim = (_bounds(self.x, self.y),)
        return self._lim[0]

    def get_color(self):
        return self.color

    def get_xdata(self):
        return list(self.x)

    def get_ydata(self):
        return list(self.y)

    def set_data(self, x, y):
        self.x, self.y = _vec(x), _vec(y)
        self._lim = None


# Format strings: 'k', 'r--', 'o', 'C1-.', '.-'

_MARKERS = '.ox+s^v*Dd'
_LINESTYLES = {'-': 'solid', '--': 'dashed', '-.': 'dashdot', ':': 'dotted',
               'solid': 'solid', 'dashed': 'dashed', 'dashdot': 'dashdot', 'dotted': 'dotted',
               'None': 'none', 'none': 'none', ' ': 'none', '': 'none'}


def _parse_fmt(fmt):
    """(color, marker, linestyle) from a format string; None where the string does not say."""
    color = marker = ls = None
    i = 0
    while i < len(fmt):
        two = fmt[i:i + 2]
        if two in ('--', '-.'):
            ls = two
            i += 2
            continue
        ch = fmt[i]
        if ch == 'C' and i + 1 < len(fmt) and fmt[i + 1].isdigit():
            color = fmt[i:i + 2]
            i += 2
            continue
        if ch in ('-', ':'):
            ls = ch
        elif ch in _BASE:
            color = ch
        elif ch in _MARKERS:
            marker = ch
        else:
            raise ValueError(f'{fmt!r} is not a valid format string (colours bgrcmykw C0-C9, markers '
                             f'{" ".join(_MARKERS)}, line styles - -- -. :)')
        i += 1
    if marker is not None and ls is None:
        ls = 'None'
    return color, marker, ls
