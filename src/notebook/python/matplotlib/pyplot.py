"""backprop-ninja's matplotlib.pyplot: the part of pyplot that the makemore lectures draw, as SVG.

Pure Python (standard library only), so it runs in the notebook runtime (CPython on Pyodide) with no numpy.
Data may be Python numbers, (nested) lists, tuples, ranges, or tensor-likes with ``.tolist()`` (``.detach()``
is called first when present); 1-D and 2-D.

Supported
---------
Module functions: figure, subplots, subplot, gcf, gca, plot, imshow, hist, scatter, bar, text, title,
suptitle, xlabel, ylabel, legend, grid, colorbar, xlim, ylim, xticks, yticks, axis, show, close, clf, cla,
savefig, tight_layout (no-op), ion/ioff (no-ops), get_cmap.
Axes methods: the same drawing calls plus set_title, set_xlabel, set_ylabel, set_xlim, set_ylim,
get_xlim, get_ylim, set_xticks, set_yticks, set_xticklabels, set_yticklabels, set_aspect, invert_yaxis,
axis, grid, legend, text, cla. Figure: add_subplot, gca, suptitle, colorbar, savefig, tight_layout,
get_size_inches, set_size_inches, axes.
Colormaps (each also reversed with ``_r``): viridis (default), gray/grey, binary, Greys, Blues, RdBu, bwr,
seismic, coolwarm. Format strings: colours ``bgrcmykw`` and ``C0``-``C9``, markers ``. o x + s ^ v * D d``,
line styles ``- -- -. :``.

Keyword arguments that only change looks and are ignored here: interpolation, resample, filternorm,
antialiased/aa, rasterized, zorder, dpi, facecolor (figure), edgecolor (figure), frameon, bbox_inches,
pad_inches, transparent, fontweight, fontfamily, family, weight, loc (title), pad, labelpad, framealpha,
fancybox, shadow, borderpad, ncol (legend), clip_on, snap, markeredgewidth/mew, markeredgecolor/mec,
markerfacecolor/mfc, solid_capstyle, solid_joinstyle, dash_capstyle, which (grid), block (show),
layout, constrained_layout, tight_layout (figure), num (figure, accepted as a number or name),
sharex/sharey (subplots: each Axes keeps its own limits), squeeze (honoured), width_ratios/height_ratios
(equal sizes are used). Any other keyword, and any pyplot function not listed above, raises
NotImplementedError naming what is available.

Sizes and display
-----------------
A figure of ``figsize=(w, h)`` inches is drawn on a canvas of ``w*72`` x ``h*72`` points: the SVG has
``viewBox="0 0 w*72 h*72"`` and ``width``/``height`` in ``pt``, exactly as matplotlib's own SVG backend
writes them (so it shows at the size a matplotlib SVG would; 1 pt = 4/3 CSS px). The default figsize is
matplotlib's (6.4, 4.8). Layout follows matplotlib's defaults: subplot box left=0.125, right=0.9,
bottom=0.11, top=0.88, wspace=hspace=0.2; 10 pt tick labels, 12 pt titles, tab10 colour cycle, white
background, black 0.8 pt spines, ticks from matplotlib's MaxNLocator algorithm (steps 1, 2, 2.5, 5, 10) and
labels from its ScalarFormatter (same decimals; 1eN scaling past 1e6 and under 1e-5; offsets are not used).

``show()`` displays every open figure that has something in it, then closes them (the inline backend's
behaviour). The runtime calls ``_flush_open_figures()`` at the end of each cell, which does the same for
figures the cell created but did not show. Displaying calls ``_bpn_display.svg(svg_text)``; when the
``_bpn_display`` module cannot be imported (plain CPython, tests) the SVG strings are appended to ``_shown``.
"""

import base64
import math
import struct
import sys
import zlib

import matplotlib as _mpl

__all__ = [
    'figure', 'subplots', 'subplot', 'gcf', 'gca', 'plot', 'imshow', 'hist', 'scatter', 'bar', 'text',
    'title', 'suptitle', 'xlabel', 'ylabel', 'legend', 'grid', 'colorbar', 'xlim', 'ylim', 'xticks',
    'yticks', 'axis', 'show', 'close', 'clf', 'cla', 'savefig', 'tight_layout', 'ion', 'ioff', 'get_cmap',
    'sca', 'get_fignums', 'rcParams', 'cm',
]

_SUPPORTED = ', '.join(__all__)

_shown = []  # SVG strings displayed when _bpn_display is not importable (plain CPython)


# ---------------------------------------------------------------------------------------------------------
# Errors

def _unsupported(name, what='matplotlib.pyplot'):
    return NotImplementedError(
        f"{what}.{name} is not available in backprop-ninja's notebook runtime; supported: {_SUPPORTED}")


# Keywords that only change looks; accepted everywhere and ignored (listed in the module docstring).
_COSMETIC = frozenset([
    'interpolation', 'resample', 'filternorm', 'filterrad', 'antialiased', 'aa', 'rasterized', 'zorder',
    'dpi', 'frameon', 'bbox_inches', 'pad_inches', 'transparent', 'fontweight', 'fontfamily', 'family',
    'weight', 'pad', 'labelpad', 'framealpha', 'fancybox', 'shadow', 'borderpad', 'ncol', 'ncols',
    'clip_on', 'snap', 'markeredgewidth', 'mew', 'markeredgecolor', 'mec', 'markerfacecolor', 'mfc',
    'solid_capstyle', 'solid_joinstyle', 'dash_capstyle', 'dash_joinstyle', 'which', 'block', 'layout',
    'constrained_layout', 'tight_layout', 'sharex', 'sharey', 'width_ratios', 'height_ratios',
    'metadata', 'orientation_ignored', 'visible_ignored', 'url', 'gid', 'picker', 'animated', 'fontstyle',
    'style', 'verticalalignment_ignored', 'edgecolors', 'linewidths', 'rwidth_ignored', 'handlelength',
    'borderaxespad', 'columnspacing', 'labelspacing', 'handletextpad', 'markerscale', 'numpoints',
    'scatterpoints', 'title_fontsize', 'wrap', 'linespacing', 'bbox', 'subplot_kw', 'gridspec_kw',
])


def _check_kw(fname, kw, supported):
    """Raise for a keyword that is neither supported by fname nor purely cosmetic."""
    for k in kw:
        if k not in _COSMETIC:
            raise NotImplementedError(
                f"matplotlib.pyplot.{fname}: keyword argument {k!r} is not available in backprop-ninja's "
                f"notebook runtime; supported: {', '.join(supported)}")


# ---------------------------------------------------------------------------------------------------------
# Data: Python numbers and (nested) lists from lists, tuples, ranges and tensor-likes

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


# ---------------------------------------------------------------------------------------------------------
# Colours

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


# ---------------------------------------------------------------------------------------------------------
# Colormaps: a 256-entry lookup table, indexed as matplotlib does (floor(x * N), 1.0 -> last entry)

_VIRIDIS = (
    '44015444025645045745055946075a46085c460a5d460b5e470d60470e61471063471164471365481467481668481769'
    '48186a481a6c481b6d481c6e481d6f481f70482071482173482374482475482576482677482878482979472a7a472c7a'
    '472d7b472e7c472f7d46307e46327e46337f463480453581453781453882443983443a83443b84433d84433e85423f85'
    '4240864241864142874144874045884046883f47883f48893e49893e4a893e4c8a3d4d8a3d4e8a3c4f8a3c508b3b518b'
    '3b528b3a538b3a548c39558c39568c38588c38598c375a8c375b8d365c8d365d8d355e8d355f8d34608d34618d33628d'
    '33638d32648e32658e31668e31678e31688e30698e306a8e2f6b8e2f6c8e2e6d8e2e6e8e2e6f8e2d708e2d718e2c718e'
    '2c728e2c738e2b748e2b758e2a768e2a778e2a788e29798e297a8e297b8e287c8e287d8e277e8e277f8e27808e26818e'
    '26828e26828e25838e25848e25858e24868e24878e23888e23898e238a8d228b8d228c8d228d8d218e8d218f8d21908d'
    '21918c20928c20928c20938c1f948c1f958b1f968b1f978b1f988b1f998a1f9a8a1e9b8a1e9c891e9d891f9e891f9f88'
    '1fa0881fa1881fa1871fa28720a38620a48621a58521a68522a78522a88423a98324aa8325ab8225ac8226ad8127ad81'
    '28ae8029af7f2ab07f2cb17e2db27d2eb37c2fb47c31b57b32b67a34b67935b77937b87838b9773aba763bbb753dbc74'
    '3fbc7340bd7242be7144bf7046c06f48c16e4ac16d4cc26c4ec36b50c46a52c56954c56856c66758c7655ac8645cc863'
    '5ec96260ca6063cb5f65cb5e67cc5c69cd5b6ccd5a6ece5870cf5773d05675d05477d1537ad1517cd2507fd34e81d34d'
    '84d44b86d54989d5488bd6468ed64590d74393d74195d84098d83e9bd93c9dd93ba0da39a2da37a5db36a8db34aadc32'
    'addc30b0dd2fb2dd2db5de2bb8de29bade28bddf26c0df25c2df23c5e021c8e020cae11fcde11dd0e11cd2e21bd5e21a'
    'd8e219dae319dde318dfe318e2e418e5e419e7e419eae51aece51befe51cf1e51df4e61ef6e620f8e621fbe723fde725'
)


def _viridis_lut():
    # 256 colours from matplotlib's _viridis_data (CC0), as 8-bit hex triples.
    return [(int(_VIRIDIS_HEX[i:i + 2], 16), int(_VIRIDIS_HEX[i + 2:i + 4], 16), int(_VIRIDIS_HEX[i + 4:i + 6], 16))
            for i in range(0, len(_VIRIDIS_HEX), 6)]


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


def _build_cmaps():
    cm = {}
    cm['gray'] = _linear('gray', [(0, 0, 0), (1, 1, 1)])
    cm['grey'] = _linear('grey', [(0, 0, 0), (1, 1, 1)])
    cm['binary'] = _linear('binary', [(1, 1, 1), (0, 0, 0)])
    cm['Greys'] = _linear('Greys', [_h(s) for s in (
        'ffffff', 'f0f0f0', 'd9d9d9', 'bdbdbd', '969696', '737373', '525252', '252525', '000000')])
    cm['Blues'] = _linear('Blues', [_h(s) for s in (
        'f7fbff', 'deebf7', 'c6dbef', '9ecae1', '6baed6', '4292c6', '2171b5', '08519c', '08306b')])
    cm['RdBu'] = _linear('RdBu', [_h(s) for s in (
        '67001f', 'b2182b', 'd6604d', 'f4a582', 'fddbc7', 'f7f7f7', 'd1e5f0', '92c5de', '4393c3', '2166ac',
        '053061')])
    cm['bwr'] = _linear('bwr', [(0, 0, 1), (1, 1, 1), (1, 0, 0)])
    cm['seismic'] = _linear('seismic', [(0, 0, 0.3), (0, 0, 1), (1, 1, 1), (1, 0, 0), (0.5, 0, 0)])
    cm['coolwarm'] = _linear('coolwarm', [_h(s) for s in (
        '3b4cc0', '6788ee', '9abbff', 'c9d7f0', 'edd1c2', 'f7a889', 'e26952', 'b40426')])
    cm['viridis'] = Colormap('viridis', _viridis_lut())
    for k in list(cm):
        cm[k + '_r'] = cm[k].reversed(k + '_r')
    return cm


_VIRIDIS_HEX = ''  # filled below
_CMAPS = None


def get_cmap(name=None, lut=None):
    """The named colormap (a Colormap passes through); None gives rcParams['image.cmap'] (viridis)."""
    global _CMAPS
    if isinstance(name, Colormap):
        return name
    if _CMAPS is None:
        _CMAPS = _build_cmaps()
    if name is None:
        name = _mpl.rcParams.get('image.cmap', 'viridis')
    if name not in _CMAPS:
        raise ValueError(f'{name!r} is not a valid colormap name here; available: '
                         + ', '.join(sorted(_CMAPS, key=str.lower)))
    return _CMAPS[name]


# ---------------------------------------------------------------------------------------------------------
# Ticks: matplotlib's MaxNLocator (steps 1, 2, 2.5, 5, 10) and ScalarFormatter

_EXTENDED_STEPS = [0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10, 20]


def _nonsingular(vmin, vmax, expander=0.05, tiny=1e-15):
    if not (_finite(vmin) and _finite(vmax)):
        return -expander, expander
    if vmax < vmin:
        vmin, vmax = vmax, vmin
    maxabs = max(abs(vmin), abs(vmax))
    if maxabs < (1e6 / tiny) * sys.float_info.min:
        return -expander, expander
    if vmax - vmin <= maxabs * tiny:
        if vmax == 0 and vmin == 0:
            return -expander, expander
        return vmin - expander * abs(vmin), vmax + expander * abs(vmax)
    return vmin, vmax


def _scale_range(vmin, vmax, n):
    dv = abs(vmax - vmin)
    meanv = (vmax + vmin) / 2
    if abs(meanv) / dv < 100:
        offset = 0.0
    else:
        offset = math.copysign(10 ** (math.log10(abs(meanv)) // 1), meanv)
    scale = 10 ** (math.log10(dv / n) // 1)
    return scale, offset


def _nice_ticks(vmin, vmax, nbins, min_n_ticks=2):
    """Tick locations for the view interval [vmin, vmax], by matplotlib's MaxNLocator._raw_ticks: the
    smallest 'nice' step (1, 2, 2.5, 5 or 10 times a power of ten) giving at most nbins intervals, stepping
    down while fewer than min_n_ticks ticks would be visible. May include one tick past each end."""
    vmin, vmax = _nonsingular(min(vmin, vmax), max(vmin, vmax), expander=1e-13, tiny=1e-14)
    scale, offset = _scale_range(vmin, vmax, nbins)
    _vmin, _vmax = vmin - offset, vmax - offset
    raw_step = (_vmax - _vmin) / nbins
    steps = [s * scale for s in _EXTENDED_STEPS]
    istep = next((i for i, s in enumerate(steps) if s >= raw_step), len(steps) - 1)
    if offset > 0:
        tol = lambda step: min(0.4999, max(1e-10, 10 ** (math.log10(offset / step) - 12)))  # noqa: E731
    else:
        tol = lambda step: 1e-10  # noqa: E731
    ticks = []
    for step in reversed(steps[:istep + 1]):
        best_vmin = (_vmin // step) * step
        d, m = divmod(_vmin - best_vmin, step)
        low = int(d + 1) if abs(m / step - 1) < tol(step) else int(d)
        d, m = divmod(_vmax - best_vmin, step)
        high = int(d) if abs(m / step) < tol(step) else int(d + 1)
        ticks = [k * step + best_vmin for k in range(low, high + 1)]
        if sum(1 for t in ticks if _vmin <= t <= _vmax) >= min_n_ticks:
            break
    return [t + offset for t in ticks]


def _format_ticks(locs, view):
    """(labels, offset text) as matplotlib's ScalarFormatter writes them: a common number of decimals,
    and a 1eN scale when the largest visible tick is >= 1e6 or < 1e-5 (offsets are not used)."""
    if not locs:
        return [], ''
    vmin, vmax = sorted(view)
    vis = [abs(t) for t in locs if vmin <= t <= vmax]
    oom = 0
    if vis:
        val = max(vis)
        o = 0 if val == 0 else math.floor(math.log10(val))
        if o <= -5 or o >= 6:
            oom = o
    use = list(locs) if len(locs) >= 2 else list(locs) + [vmin, vmax]
    scaled = [t / 10.0 ** oom for t in use]
    loc_range = max(scaled) - min(scaled)
    if loc_range == 0:
        loc_range = max(abs(t) for t in scaled)
    if loc_range == 0:
        loc_range = 1
    if len(locs) < 2:
        scaled = scaled[:-2]
    rng_oom = int(math.floor(math.log10(loc_range)))
    sigfigs = max(0, 3 - rng_oom)
    thresh = 1e-3 * 10 ** rng_oom
    while sigfigs >= 0:
        if max(abs(t - round(t, sigfigs)) for t in scaled) < thresh:
            sigfigs -= 1
        else:
            break
    sigfigs += 1
    labels = []
    for t in locs:
        x = t / 10.0 ** oom
        if abs(x) < 1e-8:
            x = 0.0
        labels.append(_minus('%1.*f' % (sigfigs, x)))
    return labels, (_minus('1e%d' % oom) if oom else '')


def _minus(s):
    return s.replace('-', '\u2212')


def _fmt_value(v):
    """A tick label for a user-given tick without labels."""
    if float(v).is_integer():
        return _minus('%d' % v)
    return _minus('%g' % v)


# ---------------------------------------------------------------------------------------------------------
# SVG helpers

def _esc(s):
    """Text for an XML text node or attribute (control characters, which XML 1.0 forbids, are dropped)."""
    s = str(s)
    if any(ord(c) < 32 for c in s):
        s = ''.join(c for c in s if ord(c) >= 32 or c in '\t\n')
    return s.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;').replace('"', '&quot;')


def _f(v):
    """A coordinate with at most 2 decimals and no trailing zeros."""
    s = '%.2f' % v
    if '.' in s:
        s = s.rstrip('0').rstrip('.')
    return '0' if s == '-0' else s


_FONT = "DejaVu Sans, Bitstream Vera Sans, Arial, Helvetica, sans-serif"


# DejaVu Sans advance widths (1/1000 em) of the printable ASCII characters 32..126, from the font's metrics
_WIDTHS = [318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636,
           636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775,
           752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390,
           337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612,
           635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838]


def _text_width(s, size):
    """Width in points of one line of s in DejaVu Sans at size (for layout: legends, label offsets)."""
    w = 0
    for ch in str(s):
        o = ord(ch)
        w += _WIDTHS[o - 32] if 32 <= o <= 126 else (838 if ch == '\u2212' else 650)
    return w * size / 1000


def _svg_text(x, y, s, size=10, anchor='middle', va='baseline', color='#000000', rotate=0, alpha=None):
    """A <text> at (x, y) aligned like matplotlib's ha (anchor) and va (baseline offsets from the font's
    ascent 0.76 em and descent 0.24 em, so that no renderer-specific baseline attribute is needed)."""
    lines = str(s).split('\n')
    lh = size * 1.2
    if va == 'top':
        dy0 = size * 0.76
    elif va == 'center':
        dy0 = size * 0.38 - (len(lines) - 1) * lh / 2
    elif va == 'bottom':
        dy0 = -size * 0.24 - (len(lines) - 1) * lh
    else:  # baseline
        dy0 = -(len(lines) - 1) * lh
    if anchor == 'left':
        anchor = 'start'
    elif anchor == 'right':
        anchor = 'end'
    elif anchor == 'center':
        anchor = 'middle'
    tr = f' transform="rotate({_f(-rotate)} {_f(x)} {_f(y)})"' if rotate else ''
    op = f' fill-opacity="{_f(alpha)}"' if alpha is not None else ''
    out = []
    for i, line in enumerate(lines):
        out.append(f'<text x="{_f(x)}" y="{_f(y + dy0 + i * lh)}" font-size="{_f(size)}" '
                   f'text-anchor="{anchor}" fill="{color}"{op}{tr}>{_esc(line)}</text>')
    return ''.join(out)


def _png(width, height, rows):
    """A PNG (8-bit RGBA) from rows of bytes (each 4*width long)."""
    def chunk(tag, data):
        return struct.pack('>I', len(data)) + tag + data + struct.pack('>I', zlib.crc32(tag + data) & 0xffffffff)
    raw = b''.join(b'\x00' + r for r in rows)
    return (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', width, height, 8, 6, 0, 0, 0))
            + chunk(b'IDAT', zlib.compress(raw, 6)) + chunk(b'IEND', b''))


# ---------------------------------------------------------------------------------------------------------
# Artists: what the drawing calls return (matplotlib's class names in the reprs, as Jupyter shows them)

class _Artist:
    _module = 'matplotlib.artist'
    _cls = 'Artist'

    def __repr__(self):
        return f'<{self._module}.{self._cls} at 0x{id(self):x}>'

    def set_label(self, s):
        self.label = str(s)

    def get_label(self):
        return getattr(self, 'label', '')

    def remove(self):
        ax = getattr(self, 'axes', None)
        if ax is not None and self in ax._artists:
            ax._artists.remove(self)


class Line2D(_Artist):
    _module = 'matplotlib.lines'
    _cls = 'Line2D'

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


class AxesImage(_Artist):
    _module = 'matplotlib.image'
    _cls = 'AxesImage'

    def __init__(self, data, rgb, cmap, vmin, vmax, alpha, extent):
        self.data, self.rgb, self.cmap, self.vmin, self.vmax = data, rgb, cmap, vmin, vmax
        self.alpha, self.extent, self.label = alpha, extent, '_image'

    def get_clim(self):
        return (self.vmin, self.vmax)

    def set_clim(self, vmin=None, vmax=None):
        if isinstance(vmin, (tuple, list)):
            vmin, vmax = vmin
        if vmin is not None:
            self.vmin = float(vmin)
        if vmax is not None:
            self.vmax = float(vmax)

    def set_cmap(self, cmap):
        self.cmap = get_cmap(cmap)

    def get_array(self):
        return [list(r) for r in self.data]


class Rectangle(_Artist):
    _module = 'matplotlib.patches'
    _cls = 'Rectangle'

    def __init__(self, x, y, w, h, color, alpha, edgecolor=None, linewidth=0.0):
        self.xy, self.width, self.height = (x, y), w, h
        self.color, self.alpha, self.edgecolor, self.linewidth = color, alpha, edgecolor, linewidth

    def get_height(self):
        return self.height

    def get_width(self):
        return self.width

    def get_x(self):
        return self.xy[0]


class BarContainer(tuple):
    """The patches of one hist/bar call (a tuple of Rectangles, as matplotlib's container is iterable)."""

    def __new__(cls, patches, label, color, alpha, step=None):
        self = super().__new__(cls, patches)
        self.label, self.color, self.alpha, self.step = label, color, alpha, step
        return self

    def __repr__(self):
        return f'<BarContainer object of {len(self)} artists>'

    def get_label(self):
        return self.label

    def set_label(self, s):
        self.label = str(s)

    patches = property(lambda self: list(self))


class PathCollection(_Artist):
    _module = 'matplotlib.collections'
    _cls = 'PathCollection'

    def __init__(self, x, y, sizes, colors, marker, alpha, label, cmap=None, vmin=None, vmax=None, values=None):
        self.x, self.y, self.sizes, self.colors, self.marker = x, y, sizes, colors, marker
        self.alpha, self.label, self.cmap, self.vmin, self.vmax, self.values = alpha, label, cmap, vmin, vmax, values

    def _bounds(self):
        return _bounds(self.x, self.y)


class Text(_Artist):
    _module = 'matplotlib.text'
    _cls = 'Text'

    def __init__(self, x, y, s, size=10, ha='left', va='baseline', color='#000000', rotation=0, alpha=None,
                 coords='data'):
        self.x, self.y, self.s, self.size, self.ha, self.va = x, y, str(s), size, ha, va
        self.color, self.rotation, self.alpha, self.coords = color, rotation, alpha, coords
        self.label = '_text'

    def __repr__(self):
        return f'Text({self.x!r}, {self.y!r}, {self.s!r})'

    def get_text(self):
        return self.s

    def set_text(self, s):
        self.s = str(s)


class Legend(_Artist):
    _module = 'matplotlib.legend'
    _cls = 'Legend'

    def __init__(self, entries, loc, fontsize, title):
        self.entries, self.loc, self.fontsize, self.title = entries, loc, fontsize, title


class Colorbar:
    def __init__(self, ax, mappable, label):
        self.ax, self.mappable, self.label = ax, mappable, label

    def set_label(self, s, **kw):
        self.label = str(s)

    def __repr__(self):
        return f'<matplotlib.colorbar.Colorbar at 0x{id(self):x}>'


# ---------------------------------------------------------------------------------------------------------
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


def _dasharray(style, lw):
    if style == 'dashed':
        return f'{_f(3.7 * lw)},{_f(1.6 * lw)}'
    if style == 'dashdot':
        return f'{_f(6.4 * lw)},{_f(1.6 * lw)},{_f(lw)},{_f(1.6 * lw)}'
    if style == 'dotted':
        return f'{_f(lw)},{_f(1.65 * lw)}'
    return None


def _marker_svg(m, x, y, size, fill, alpha=None):
    """One marker of diameter size (points) centred at (x, y)."""
    r = size / 2
    op = f' fill-opacity="{_f(alpha)}" stroke-opacity="{_f(alpha)}"' if alpha is not None else ''
    if m in ('o', '.'):
        if m == '.':
            r = r / 2
        return f'<circle cx="{_f(x)}" cy="{_f(y)}" r="{_f(r)}" fill="{fill}"{op}/>'
    if m == 's':
        return f'<rect x="{_f(x - r)}" y="{_f(y - r)}" width="{_f(2 * r)}" height="{_f(2 * r)}" fill="{fill}"{op}/>'
    if m in ('^', 'v'):
        s = -1 if m == '^' else 1
        return (f'<path d="M{_f(x)} {_f(y + s * r)}L{_f(x - r)} {_f(y - s * r)}L{_f(x + r)} {_f(y - s * r)}Z" '
                f'fill="{fill}"{op}/>')
    if m in ('D', 'd'):
        r = r * math.sqrt(2)  # matplotlib's diamond is a size x size square turned 45 degrees
        w = r if m == 'D' else r * 0.6
        return (f'<path d="M{_f(x)} {_f(y - r)}L{_f(x + w)} {_f(y)}L{_f(x)} {_f(y + r)}L{_f(x - w)} {_f(y)}Z" '
                f'fill="{fill}"{op}/>')
    if m == '*':
        pts = []
        for k in range(10):
            a = math.pi / 2 + k * math.pi / 5
            rr = r if k % 2 == 0 else r * 0.4
            pts.append(f'{_f(x + rr * math.cos(a))} {_f(y - rr * math.sin(a))}')
        return f'<path d="M{"L".join(pts)}Z" fill="{fill}"{op}/>'
    if m == '+':
        return (f'<path d="M{_f(x - r)} {_f(y)}H{_f(x + r)}M{_f(x)} {_f(y - r)}V{_f(y + r)}" stroke="{fill}" '
                f'stroke-width="1"{op}/>')
    if m == 'x':
        return (f'<path d="M{_f(x - r)} {_f(y - r)}L{_f(x + r)} {_f(y + r)}M{_f(x - r)} {_f(y + r)}'
                f'L{_f(x + r)} {_f(y - r)}" stroke="{fill}" stroke-width="1"{op}/>')
    raise ValueError(f'marker {m!r} is not available; markers: {" ".join(_MARKERS)}')


# ---------------------------------------------------------------------------------------------------------
# Axes

_LEGEND_LOCS = {
    'best': 0, 'upper right': 1, 'upper left': 2, 'lower left': 3, 'lower right': 4, 'right': 5,
    'center left': 6, 'center right': 7, 'lower center': 8, 'upper center': 9, 'center': 10,
}


class Axes:
    """One plotting area: its artists, limits, ticks, labels and legend. Drawn by its Figure."""

    def __init__(self, fig, rect):
        self.figure = fig
        self._rect = rect  # (left, bottom, width, height) as fractions of the figure
        self.cla()

    def __repr__(self):
        return '<Axes: >' if not self._title[1] else f'<Axes: title={{"center": {self._title[1]!r}}}>'

    def __getattr__(self, name):
        if name.startswith('_'):
            raise AttributeError(name)
        raise _unsupported(name, 'matplotlib.axes.Axes')

    # -- state
    def cla(self):
        self._artists = []
        self._line_cycle = 0
        self._patch_cycle = 0
        self._title = ['', '', '']  # left, center, right
        self._xlabel = self._ylabel = ''
        self._xlim = self._ylim = None  # user limits (either end may be None)
        self._xticks = self._yticks = None  # (locs, labels or None)
        self._xrot = self._yrot = 0
        self._grid = bool(_mpl.rcParams.get('axes.grid', False))
        self._grid_axis = 'both'
        self._axis_on = True
        self._aspect = 'auto'
        self._yinverted = False
        self._legend = None
        self._colorbar_of = None  # the mappable, when this Axes is a colorbar
        self._colorbar_label = ''

    clear = cla

    def _next_line_color(self):
        c = _TAB10[self._line_cycle % 10]
        self._line_cycle += 1
        return c

    def _next_patch_color(self):
        c = _TAB10[self._patch_cycle % 10]
        self._patch_cycle += 1
        return c

    def _add(self, a):
        a.axes = self
        self._artists.append(a)
        return a

    # -- drawing calls
    def plot(self, *args, scalex=True, scaley=True, data=None, **kw):
        """plot(y), plot(x, y), plot(x, y, fmt), several groups: plot(x1, y1, 'r', x2, y2, 'b--').
        Keywords: color/c, linestyle/ls, linewidth/lw, marker, markersize/ms, alpha, label."""
        sup = ['color', 'c', 'linestyle', 'ls', 'linewidth', 'lw', 'marker', 'markersize', 'ms', 'alpha',
               'label']
        _check_kw('plot', [k for k in kw if k not in sup], sup)
        if data is not None:
            raise NotImplementedError('matplotlib.pyplot.plot: data= is not available; pass the values')
        groups = []
        args = list(args)
        while args:
            if len(args) >= 2 and isinstance(args[1], str):
                groups.append((None, args[0], args[1]))
                args = args[2:]
            elif len(args) >= 3 and isinstance(args[2], str):
                groups.append((args[0], args[1], args[2]))
                args = args[3:]
            elif len(args) >= 2 and not isinstance(args[0], str):
                groups.append((args[0], args[1], None))
                args = args[2:]
            else:
                if isinstance(args[0], str):
                    raise ValueError(f'plot: format string {args[0]!r} must follow the data')
                groups.append((None, args[0], None))
                args = args[1:]
        lines = []
        for x, y, fmt in groups:
            fc, fm, fls = _parse_fmt(fmt) if fmt else (None, None, None)
            ys = self._columns(y)
            if x is None:
                xs = [[float(i) for i in range(len(ys[0]) if ys else 0)]] * max(1, len(ys))
            else:
                xs = self._columns(x)
                if len(xs) == 1 and len(ys) > 1:
                    xs = xs * len(ys)
                if len(ys) == 1 and len(xs) > 1:
                    ys = ys * len(xs)
            if len(xs) != len(ys):
                raise ValueError(f'x and y must have the same number of columns, got {len(xs)} and {len(ys)}')
            for xc, yc in zip(xs, ys):
                if len(xc) != len(yc):
                    raise ValueError(f'x and y must have same first dimension, but have shapes ({len(xc)},) '
                                     f'and ({len(yc)},)')
                color = kw.get('color', kw.get('c', fc))
                css, a = _color(color) if color is not None else (self._next_line_color(), None)
                ls = kw.get('linestyle', kw.get('ls', fls if fls is not None else '-'))
                if ls not in _LINESTYLES:
                    raise ValueError(f'{ls!r} is not a valid linestyle (- -- -. : or solid, dashed, dashdot, '
                                     'dotted, None)')
                marker = kw.get('marker', fm)
                if marker in ('', 'None', 'none'):
                    marker = None
                if marker is not None and marker not in _MARKERS:
                    raise ValueError(f'marker {marker!r} is not available; markers: {" ".join(_MARKERS)}')
                lw = float(kw.get('linewidth', kw.get('lw', _mpl.rcParams.get('lines.linewidth', 1.5))))
                ms = float(kw.get('markersize', kw.get('ms', 6.0)))
                alpha = kw.get('alpha', a)
                label = kw.get('label', f'_child{len(self._artists)}')
                lines.append(self._add(Line2D(xc, yc, css, _LINESTYLES[ls], lw, marker, ms, alpha,
                                              str(label))))
        return lines

    @staticmethod
    def _columns(v):
        """Columns of v as lists of floats: a 1-D sequence is one column, a 2-D one (N, M) gives M."""
        p = _plain(v)
        if not isinstance(p, list):
            return [[float(p)]]
        nd = _ndim(p)
        if nd == 1 or (nd == 0):
            return [list(map(float, p))]
        if nd == 2:
            m = len(p[0])
            return [[_num(r[j]) for r in p] for j in range(m)]
        raise ValueError(f'plot: data must be 1-D or 2-D, got {nd}-D')

    def imshow(self, X, cmap=None, norm=None, aspect=None, interpolation=None, alpha=None, vmin=None,
               vmax=None, origin=None, extent=None, **kw):
        """Show a 2-D array (rows x columns) as an image, one cell per element, row 0 at the top.
        cmap: a name or Colormap (default viridis); vmin/vmax default to the data's min/max;
        aspect: 'equal' (default, square cells), 'auto' or a number. H x W x 3/4 data is RGB(A) in 0..1.
        interpolation is ignored (cells are always drawn as sharp squares)."""
        _check_kw('imshow', kw, ['cmap', 'aspect', 'interpolation', 'alpha', 'vmin', 'vmax', 'origin'])
        if norm is not None:
            raise NotImplementedError('matplotlib.pyplot.imshow: norm= is not available; use vmin= and vmax=')
        if extent is not None:
            raise NotImplementedError('matplotlib.pyplot.imshow: extent= is not available')
        data, rgb = _mat(X, 'imshow data')
        nr, nc = len(data), len(data[0]) if data else 0
        if nr == 0 or nc == 0:
            raise TypeError('Invalid shape for image data: it is empty')
        if not rgb:
            vals = [v for r in data for v in r if _finite(v)]
            lo = min(vals) if vals else 0.0
            hi = max(vals) if vals else 0.0
            vmin = lo if vmin is None else float(vmin)
            vmax = hi if vmax is None else float(vmax)
        if origin not in (None, 'upper', 'lower'):
            raise ValueError("origin must be 'upper' or 'lower'")
        im = AxesImage(data, rgb, get_cmap(cmap), vmin, vmax, alpha, (-0.5, nc - 0.5, nr - 0.5, -0.5))
        im.origin = origin or 'upper'
        self._add(im)
        self._aspect = 'equal' if aspect is None else aspect
        if aspect not in (None, 'equal', 'auto') and not isinstance(aspect, (int, float)):
            raise ValueError("aspect must be 'equal', 'auto' or a number")
        self._yinverted = im.origin == 'upper'
        self._last_mappable = im
        return im

    def hist(self, x, bins=10, range=None, density=False, weights=None, cumulative=False, bottom=None,
             histtype='bar', align='mid', orientation='vertical', rwidth=None, log=False, color=None,
             label=None, stacked=False, alpha=None, edgecolor=None, ec=None, linewidth=None, lw=None, **kw):
        """Histogram of x. As matplotlib: 1-D data is one dataset; a Python list of sequences is one dataset
        per element, a 2-D tensor one per column (flatten it, h.view(-1), for a single histogram); several
        datasets are drawn side by side. bins: a count (equal widths over range, by default the data's
        min..max, the last bin closed, as numpy.histogram) or the bin edges. Returns (counts, edges,
        patches); counts is a list (a list of lists for several datasets)."""
        _check_kw('hist', kw, ['bins', 'range', 'density', 'weights', 'histtype', 'rwidth', 'color', 'label',
                               'alpha', 'edgecolor', 'linewidth'])
        for name, val, ok in (('cumulative', cumulative, False), ('bottom', bottom, None),
                              ('align', align, 'mid'), ('orientation', orientation, 'vertical'),
                              ('log', log, False), ('stacked', stacked, False)):
            if val != ok:
                raise NotImplementedError(f'matplotlib.pyplot.hist: {name}={val!r} is not available')
        if histtype not in ('bar', 'step', 'stepfilled'):
            raise NotImplementedError(f"matplotlib.pyplot.hist: histtype={histtype!r} is not available; "
                                      "use 'bar', 'step' or 'stepfilled'")
        p = _plain(x)
        if isinstance(x, (list, tuple)) and p and isinstance(p[0], list):
            datasets = [_vec(v, 'hist data') for v in p]  # a list of datasets
        elif isinstance(p, list) and _ndim(p) == 2:
            m = len(p[0]) if p else 0
            datasets = [[float(r[j]) for r in p] for j in builtins_range(m)]  # columns, as matplotlib
        else:
            datasets = [_vec(p, 'hist data')]
        wsets = None
        if weights is not None:
            wsets = [_vec(weights, 'weights')] if len(datasets) == 1 else [_vec(w) for w in _plain(weights)]
        if isinstance(bins, str):
            raise NotImplementedError(f'matplotlib.pyplot.hist: bins={bins!r} is not available; pass a count '
                                      'or the bin edges')
        if isinstance(bins, (int,)) and not isinstance(bins, bool):
            if bins < 1:
                raise ValueError('`bins` must be positive, when an integer')
            if range is not None:
                first, last = float(range[0]), float(range[1])
            else:
                allv = [v for d in datasets for v in d if _finite(v)]
                first, last = (min(allv), max(allv)) if allv else (0.0, 1.0)
            if first > last:
                raise ValueError('max must be larger than min in range parameter.')
            if first == last:
                first, last = first - 0.5, last + 0.5
            step = (last - first) / bins
            edges = [first + i * step for i in builtins_range(bins)] + [last]
            uniform = True
        else:
            edges = _vec(bins, 'bins')
            if any(b2 < b1 for b1, b2 in zip(edges, edges[1:])):
                raise ValueError('bins must increase monotonically, when an array')
            uniform = False
        counts = []
        for di, d in enumerate(datasets):
            w = wsets[di] if wsets else None
            counts.append(_histogram(d, edges, uniform, w))
        if density:
            for di, c in enumerate(counts):
                total = sum(c)
                counts[di] = [ci / total / (edges[i + 1] - edges[i]) if total else float('nan')
                              for i, ci in enumerate(c)]
        colors = color if isinstance(color, (list, tuple)) and len(datasets) > 1 and not isinstance(
            color[0], (int, float)) else [color] * len(datasets)
        labels = label if isinstance(label, (list, tuple)) else [label] + [None] * (len(datasets) - 1)
        nd = len(datasets)
        dr = float(rwidth) if rwidth is not None else (0.8 if nd > 1 else 1.0)
        containers = []
        ec_ = edgecolor if edgecolor is not None else ec
        lw_ = linewidth if linewidth is not None else lw
        for di, c in enumerate(counts):
            css, a = _color(colors[di]) if colors[di] is not None else (self._next_patch_color(), None)
            al = alpha if alpha is not None else a
            patches = []
            for i, ci in enumerate(c):
                w = (edges[i + 1] - edges[i])
                bw = w * dr / nd
                x0 = edges[i] + w * (1 - dr) / 2 + di * bw
                patches.append(Rectangle(x0, 0.0, bw, ci, css, al,
                                         _color(ec_)[0] if ec_ is not None else None,
                                         float(lw_) if lw_ is not None else (1.0 if ec_ is not None else 0.0)))
            lab = labels[di] if di < len(labels) and labels[di] is not None else f'_container{len(self._artists)}'
            bc = BarContainer(patches, str(lab), css, al, step=histtype if histtype != 'bar' else None)
            bc.edges = edges
            self._add(bc)
            containers.append(bc)
        if nd == 1:
            return counts[0], edges, containers[0]
        return counts, edges, containers

    def bar(self, x, height, width=0.8, bottom=None, align='center', color=None, label=None, alpha=None,
            edgecolor=None, linewidth=None, **kw):
        """Vertical bars at x (numbers) of the given heights."""
        _check_kw('bar', kw, ['width', 'bottom', 'align', 'color', 'label', 'alpha', 'edgecolor', 'linewidth'])
        xs, hs = _vec(x, 'x'), _vec(height, 'height')
        if len(hs) == 1 and len(xs) > 1:
            hs = hs * len(xs)
        ws = _vec(width) if not isinstance(width, (int, float)) else [float(width)] * len(xs)
        bs = _vec(bottom) if bottom is not None and not isinstance(bottom, (int, float)) else [
            float(bottom or 0.0)] * len(xs)
        css, a = _color(color) if color is not None else (self._next_patch_color(), None)
        patches = []
        for i, (xi, hi) in enumerate(zip(xs, hs)):
            x0 = xi - ws[i] / 2 if align == 'center' else xi
            patches.append(Rectangle(x0, bs[i], ws[i], hi, css, alpha if alpha is not None else a,
                                     _color(edgecolor)[0] if edgecolor is not None else None,
                                     float(linewidth) if linewidth is not None else (1.0 if edgecolor else 0.0)))
        bc = BarContainer(patches, str(label) if label is not None else f'_container{len(self._artists)}', css,
                          alpha if alpha is not None else a)
        bc.edges = None
        return self._add(bc)

    def scatter(self, x, y, s=None, c=None, marker='o', cmap=None, vmin=None, vmax=None, alpha=None,
                label=None, color=None, **kw):
        """Markers at (x, y). s: area in points^2 (default 36), scalar or per point; c/color: one colour or
        one number per point (mapped through cmap)."""
        _check_kw('scatter', kw, ['s', 'c', 'color', 'marker', 'cmap', 'vmin', 'vmax', 'alpha', 'label'])
        xs, ys = _vec(x, 'x'), _vec(y, 'y')
        if len(xs) != len(ys):
            raise ValueError('x and y must be the same size')
        n = len(xs)
        if s is None:
            sizes = [36.0] * n
        else:
            sv = _vec(s, 's')
            sizes = sv * n if len(sv) == 1 else sv
        cc = c if c is not None else color
        values = None
        cm = None
        if cc is None:
            colors = [self._next_patch_color()] * n
        elif isinstance(cc, str) or (isinstance(cc, (tuple, list)) and len(cc) in (3, 4) and n != len(cc)
                                     and all(isinstance(v, (int, float)) for v in cc)):
            colors = [_color(cc)[0]] * n
        else:
            p = _plain(cc)
            if isinstance(p, list) and len(p) == n and all(isinstance(v, str) for v in p):
                colors = [_color(v)[0] for v in p]
            else:
                values = _vec(p, 'c')
                if len(values) != n:
                    raise ValueError(f"'c' argument has {len(values)} elements, which is inconsistent with "
                                     f"'x' and 'y' with size {n}")
                cm = get_cmap(cmap)
                fv = [v for v in values if _finite(v)]
                vmin = min(fv) if vmin is None and fv else (vmin if vmin is not None else 0.0)
                vmax = max(fv) if vmax is None and fv else (vmax if vmax is not None else 1.0)
                colors = [_hex(*cm.rgb8(_normalize(v, vmin, vmax))) if _finite(v) else 'none' for v in values]
        if marker not in _MARKERS:
            raise ValueError(f'marker {marker!r} is not available; markers: {" ".join(_MARKERS)}')
        pc = PathCollection(xs, ys, sizes, colors, marker, alpha,
                            str(label) if label is not None else f'_child{len(self._artists)}', cm, vmin, vmax,
                            values)
        if values is not None:
            self._last_mappable = pc
        return self._add(pc)

    def text(self, x, y, s, fontsize=None, size=None, ha=None, horizontalalignment=None, va=None,
             verticalalignment=None, color=None, c=None, rotation=0, alpha=None, transform=None, **kw):
        """Text at data coordinates (x, y); ha left/center/right, va baseline/bottom/center/top."""
        _check_kw('text', kw, ['fontsize', 'size', 'ha', 'va', 'color', 'rotation', 'alpha'])
        coords = 'data'
        if transform is not None:
            if transform is getattr(self, 'transAxes', None):
                coords = 'axes'
            else:
                raise NotImplementedError('matplotlib.pyplot.text: transform= is only available as '
                                          'ax.transAxes')
        col = color if color is not None else c
        t = Text(_num(_plain(x)), _num(_plain(y)), s, _fontsize(fontsize if fontsize is not None else size, 10),
                 ha or horizontalalignment or 'left', va or verticalalignment or 'baseline',
                 _color(col)[0] if col is not None else '#000000', _rotation(rotation), alpha, coords)
        return self._add(t)

    @property
    def transAxes(self):
        return _TRANS_AXES

    def set(self, **kw):
        """ax.set(title=..., xlabel=..., ylabel=..., xlim=..., ylim=..., xticks=..., yticks=..., aspect=...)."""
        for k, v in kw.items():
            if k not in ('title', 'xlabel', 'ylabel', 'xlim', 'ylim', 'xticks', 'yticks', 'xticklabels',
                         'yticklabels', 'aspect'):
                _check_kw('Axes.set', [k], ['title', 'xlabel', 'ylabel', 'xlim', 'ylim', 'xticks', 'yticks',
                                            'xticklabels', 'yticklabels', 'aspect'])
            getattr(self, 'set_' + k)(v)

    # -- labels, limits, ticks
    def set_title(self, label, fontdict=None, loc=None, fontsize=None, **kw):
        _check_kw('title', kw, ['label', 'loc', 'fontsize'])
        i = {'left': 0, 'center': 1, None: 1, 'right': 2}.get(loc)
        if i is None:
            raise ValueError("loc must be 'left', 'center' or 'right'")
        self._title[i] = str(label)
        self._title_size = _fontsize(fontsize, 12)
        return Text(0.5, 1.0, label, self._title_size)

    def get_title(self, loc='center'):
        return self._title[{'left': 0, 'center': 1, 'right': 2}[loc]]

    def set_xlabel(self, xlabel, fontdict=None, labelpad=None, fontsize=None, **kw):
        _check_kw('xlabel', kw, ['xlabel', 'fontsize'])
        self._xlabel = str(xlabel)
        self._xlabel_size = _fontsize(fontsize, 10)
        return Text(0.5, 0.0, xlabel)

    def set_ylabel(self, ylabel, fontdict=None, labelpad=None, fontsize=None, **kw):
        _check_kw('ylabel', kw, ['ylabel', 'fontsize'])
        self._ylabel = str(ylabel)
        self._ylabel_size = _fontsize(fontsize, 10)
        return Text(0.0, 0.5, ylabel)

    def get_xlabel(self):
        return self._xlabel

    def get_ylabel(self):
        return self._ylabel

    def _set_lim(self, which, left, right, kw):
        _check_kw(f'{which}lim', [k for k in kw if k not in ('emit', 'auto', 'xmin', 'xmax', 'ymin', 'ymax',
                                                             'left', 'right', 'bottom', 'top')],
                  ['left/right', 'bottom/top', 'xmin/xmax', 'ymin/ymax'])
        if isinstance(left, (tuple, list)):
            left, right = left
        left = kw.get('xmin', kw.get('ymin', kw.get('bottom', left)))
        right = kw.get('xmax', kw.get('ymax', kw.get('top', right)))
        cur = self._xlim if which == 'x' else self._ylim
        old = list(cur) if cur else [None, None]
        new = (float(_plain(left)) if left is not None else old[0],
               float(_plain(right)) if right is not None else old[1])
        if which == 'x':
            self._xlim = new
        else:
            self._ylim = new
        return self.get_xlim() if which == 'x' else self.get_ylim()

    def set_xlim(self, left=None, right=None, **kw):
        return self._set_lim('x', left, right, kw)

    def set_ylim(self, bottom=None, top=None, **kw):
        return self._set_lim('y', bottom, top, kw)

    def get_xlim(self):
        return tuple(self._limits()[0])

    def get_ylim(self):
        return tuple(self._limits()[1])

    def set_xticks(self, ticks, labels=None, minor=False, rotation=None, **kw):
        _check_kw('xticks', kw, ['ticks', 'labels', 'rotation'])
        locs = _vec(ticks, 'ticks') if ticks is not None and len(_plain(ticks)) else []
        if labels is not None and len(labels) != len(locs):
            raise ValueError(f'The number of FixedLocator locations ({len(locs)}), usually from a call to '
                             f'set_ticks, does not match the number of labels ({len(labels)}).')
        self._xticks = (locs, [str(l) for l in labels] if labels is not None else None)
        if rotation is not None:
            self._xrot = _rotation(rotation)

    def set_yticks(self, ticks, labels=None, minor=False, rotation=None, **kw):
        _check_kw('yticks', kw, ['ticks', 'labels', 'rotation'])
        locs = _vec(ticks, 'ticks') if ticks is not None and len(_plain(ticks)) else []
        if labels is not None and len(labels) != len(locs):
            raise ValueError(f'The number of FixedLocator locations ({len(locs)}), usually from a call to '
                             f'set_ticks, does not match the number of labels ({len(labels)}).')
        self._yticks = (locs, [str(l) for l in labels] if labels is not None else None)
        if rotation is not None:
            self._yrot = _rotation(rotation)

    def set_xticklabels(self, labels, rotation=None, **kw):
        locs = self._xticks[0] if self._xticks else self._ticks_for('x')[0]
        self._xticks = (locs, [str(l) for l in labels])
        if rotation is not None:
            self._xrot = _rotation(rotation)

    def set_yticklabels(self, labels, rotation=None, **kw):
        locs = self._yticks[0] if self._yticks else self._ticks_for('y')[0]
        self._yticks = (locs, [str(l) for l in labels])
        if rotation is not None:
            self._yrot = _rotation(rotation)

    def get_xticks(self):
        return list(self._ticks_for('x')[0])

    def get_yticks(self):
        return list(self._ticks_for('y')[0])

    def set_aspect(self, aspect, **kw):
        if aspect not in ('equal', 'auto') and not isinstance(aspect, (int, float)):
            raise ValueError("aspect must be 'equal', 'auto' or a number")
        self._aspect = aspect

    def invert_yaxis(self):
        self._yinverted = not self._yinverted

    def axis(self, arg=None, **kw):
        """axis('off'), axis('on'), axis('equal'), axis('tight'), axis('auto'),
        axis([xmin, xmax, ymin, ymax]); returns (xmin, xmax, ymin, ymax)."""
        _check_kw('axis', kw, ['arg'])
        if arg is None or arg is True:
            if arg is True:
                self._axis_on = True
        elif arg is False or arg == 'off':
            self._axis_on = False
        elif arg == 'on':
            self._axis_on = True
        elif arg in ('equal', 'scaled', 'image', 'square'):
            self._aspect = 'equal'
        elif arg in ('auto', 'normal'):
            self._aspect = 'auto'
        elif arg == 'tight':
            self._tight = True
        elif isinstance(arg, str):
            raise ValueError(f"axis({arg!r}): use 'off', 'on', 'equal', 'auto', 'tight' or [xmin, xmax, ymin, "
                             "ymax]")
        else:
            v = _vec(arg, 'axis limits')
            if len(v) != 4:
                raise TypeError('axis() takes a 4-element list [xmin, xmax, ymin, ymax]')
            self._xlim, self._ylim = (v[0], v[1]), (v[2], v[3])
        (x0, x1), (y0, y1) = self._limits()
        return (x0, x1, y0, y1)

    def grid(self, visible=None, which='major', axis='both', **kw):
        """Grid lines at the major ticks; grid() toggles, grid(True/False) sets, any other first argument
        (e.g. the lecture's grid('minor')) turns it on. color/linestyle/linewidth/alpha are ignored."""
        for k in kw:
            if k not in _COSMETIC and k not in ('color', 'c', 'linestyle', 'ls', 'linewidth', 'lw', 'alpha',
                                                'b'):
                _check_kw('grid', [k], ['visible', 'axis', 'color', 'linestyle', 'linewidth', 'alpha'])
        if visible is None and 'b' in kw:
            visible = kw['b']
        if visible is None and not kw:
            self._grid = not self._grid
        elif visible is None:
            self._grid = True
        else:
            self._grid = bool(visible)
        if axis not in ('both', 'x', 'y'):
            raise ValueError("axis must be 'both', 'x' or 'y'")
        self._grid_axis = axis

    def legend(self, *args, loc='best', fontsize=None, title=None, **kw):
        """legend() uses the labels given to plot/hist/scatter; legend(labels) labels the artists in order;
        legend(handles, labels). loc: 'best' (fewest covered points among the corners and edges) or one of
        matplotlib's location names or codes 0-10."""
        _check_kw('legend', kw, ['handles', 'labels', 'loc', 'fontsize', 'title'])
        handles = kw.pop('handles', None)
        labels = kw.pop('labels', None)
        if len(args) == 1:
            labels = args[0]
        elif len(args) == 2:
            handles, labels = args
        elif len(args) > 2:
            raise TypeError('legend() takes at most 2 positional arguments')
        cands = [a for a in self._artists if isinstance(a, (Line2D, BarContainer, PathCollection))]
        if handles is not None:
            handles = [h[0] if isinstance(h, list) and len(h) == 1 else h for h in handles]
            if labels is None:
                labels = [h.get_label() for h in handles]
        elif labels is not None:
            if isinstance(labels, str):
                raise TypeError('legend(labels): labels must be a list of strings, e.g. legend(["loss"])')
            handles = cands[:len(labels)]
        else:
            handles = [a for a in cands if not a.get_label().startswith('_')]
            labels = [a.get_label() for a in handles]
        entries = [(h, str(l)) for h, l in zip(handles, labels)]
        if isinstance(loc, int):
            if not 0 <= loc <= 10:
                raise ValueError('loc must be 0..10')
        elif loc not in _LEGEND_LOCS:
            raise ValueError(f'{loc!r} is not a valid value for loc; supported values are '
                             + ', '.join(repr(k) for k in _LEGEND_LOCS))
        else:
            loc = _LEGEND_LOCS[loc]
        self._legend = Legend(entries, loc, _fontsize(fontsize, 10), title)
        return self._legend

    def get_legend(self):
        return self._legend

    # -- layout and drawing

    def _datalim(self):
        """Bounds of every artist's data ((x0, x1, y0, y1) each) and the sticky edges margins may not cross."""
        bounds, sx, sy = [], [], []
        for a in self._artists:
            if isinstance(a, (Line2D, PathCollection)):
                b = a._bounds()
                if b is not None:
                    bounds.append(b)
            elif isinstance(a, AxesImage):
                x0, x1, y0, y1 = a.extent
                bounds.append((min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1)))
                sx += [x0, x1]
                sy += [y0, y1]
            elif isinstance(a, BarContainer):
                for r in a:
                    if _finite(r.height):
                        xa, xb = r.xy[0], r.xy[0] + r.width
                        ya, yb = r.xy[1], r.xy[1] + r.height
                        bounds.append((min(xa, xb), max(xa, xb), min(ya, yb), max(ya, yb)))
                        sy.append(r.xy[1])
        return bounds, sx, sy

    def _limits(self):
        """((x0, x1), (y0, y1)): the view limits in drawing order (y0 at the bottom)."""
        bounds, sx, sy = self._datalim()
        tight = getattr(self, '_tight', False)
        out = []
        for k, sticky, user in ((0, sx, self._xlim), (2, sy, self._ylim)):
            if bounds:
                lo, hi = min(b[k] for b in bounds), max(b[k + 1] for b in bounds)
                lo, hi = _nonsingular(lo, hi)
                if not tight:
                    tol = 1e-5 * max(abs(lo), abs(hi), abs(hi - lo))
                    below = [s for s in sticky if s < lo + tol]
                    above = [s for s in sticky if s > hi - tol]
                    d = (hi - lo) * 0.05
                    nlo, nhi = lo - d, hi + d
                    if below:
                        nlo = max(nlo, max(below))
                    if above:
                        nhi = min(nhi, min(above))
                    lo, hi = nlo, nhi
            else:
                lo, hi = 0.0, 1.0
            if user is not None:
                # a user limit is taken as given (in the user's order: set_ylim(5, 0) flips the axis)
                lo2 = user[0] if user[0] is not None else lo
                hi2 = user[1] if user[1] is not None else hi
                if lo2 == hi2:
                    lo2, hi2 = _nonsingular(lo2, hi2)
                out.append((lo2, hi2))
            else:
                out.append((lo, hi))
        (x0, x1), (y0, y1) = out
        if self._yinverted and self._ylim is None:
            y0, y1 = max(y0, y1), min(y0, y1)
        elif self._yinverted and self._ylim is not None:
            y0, y1 = y1, y0
        return (x0, x1), (y0, y1)

    def _box(self):
        """The axes box in canvas points (x, y_top, w, h), after applying the aspect ratio."""
        W, H = self.figure._size_pt()
        l, b, w, h = self._rect
        bx, by, bw, bh = l * W, (1 - b - h) * H, w * W, h * H
        if self._aspect != 'auto' and self._colorbar_of is None:
            (x0, x1), (y0, y1) = self._limits()
            a = 1.0 if self._aspect == 'equal' else float(self._aspect)
            want = abs(y1 - y0) / abs(x1 - x0) * a  # height / width of the box
            if bh / bw > want:
                nh = bw * want
                ay = getattr(self, '_anchor_y', 0.5)
                by += (bh - nh) * ay
                bh = nh
            else:
                nw = bh / want
                ax_ = getattr(self, '_anchor_x', 0.5)
                bx += (bw - nw) * ax_
                bw = nw
        return bx, by, bw, bh

    def _ticks_for(self, which, box=None):
        """(locs, labels, offset text) of the visible ticks on axis 'x' or 'y'."""
        (x0, x1), (y0, y1) = self._limits()
        lo, hi = (x0, x1) if which == 'x' else (y0, y1)
        user = self._xticks if which == 'x' else self._yticks
        vmin, vmax = min(lo, hi), max(lo, hi)
        eps = 1e-10 * (vmax - vmin)
        if user is not None:
            locs, labels = user
            if labels is None:
                labels = [_fmt_value(v) for v in locs]
            if len(labels) != len(locs):
                raise ValueError(f'The number of FixedLocator locations ({len(locs)}), usually from a call to '
                                 f'set_ticks, does not match the number of labels ({len(labels)}).')
            keep = [(t, s) for t, s in zip(locs, labels) if vmin - eps <= t <= vmax + eps]
            return [t for t, _ in keep], [s for _, s in keep], ''
        if box is None:
            box = self._box()
        if self._colorbar_of is not None:
            nbins = max(1, min(9, int(box[3] / 20)))
        elif which == 'x':
            nbins = max(1, min(9, int(box[2] / 30)))
        else:
            nbins = max(1, min(9, int(box[3] / 20)))
        locs = _nice_ticks(vmin, vmax, nbins)
        labels, offset = _format_ticks(locs, (vmin, vmax))
        keep = [(t, s) for t, s in zip(locs, labels) if vmin - eps <= t <= vmax + eps]
        return [t for t, _ in keep], [s for _, s in keep], offset

    def _render(self, out, clip_id):
        bx, by, bw, bh = self._box()
        (x0, x1), (y0, y1) = self._limits()
        sxf = bw / (x1 - x0)
        syf = bh / (y1 - y0)

        def px(x):
            return bx + (x - x0) * sxf

        def py(y):
            return by + bh - (y - y0) * syf

        if self._axis_on:
            out.append(f'<rect x="{_f(bx)}" y="{_f(by)}" width="{_f(bw)}" height="{_f(bh)}" fill="#ffffff"/>')
        out.append(f'<clipPath id="{clip_id}"><rect x="{_f(bx)}" y="{_f(by)}" width="{_f(bw)}" '
                   f'height="{_f(bh)}"/></clipPath>')
        xt = self._ticks_for('x', (bx, by, bw, bh))
        yt = self._ticks_for('y', (bx, by, bw, bh))
        if self._colorbar_of is not None:
            self._render_colorbar(out, bx, by, bw, bh, yt)
            return
        body = [f'<g clip-path="url(#{clip_id})">']
        # zorder as matplotlib: images 0, patches and scatter 1, grid 1.5, lines 2, text 3
        for a in self._artists:
            if isinstance(a, AxesImage):
                self._render_image(body, a, px, py)
        for a in self._artists:
            if isinstance(a, BarContainer):
                self._render_bars(body, a, px, py)
            elif isinstance(a, PathCollection):
                for i, (x, y) in enumerate(zip(a.x, a.y)):
                    if _finite(x) and _finite(y) and a.colors[i] != 'none':
                        body.append(_marker_svg(a.marker, px(x), py(y), math.sqrt(a.sizes[i]), a.colors[i],
                                                a.alpha))
        if self._grid and self._axis_on:
            g = []
            if self._grid_axis in ('both', 'x'):
                g += [f'M{_f(px(t))} {_f(by)}V{_f(by + bh)}' for t in xt[0]]
            if self._grid_axis in ('both', 'y'):
                g += [f'M{_f(bx)} {_f(py(t))}H{_f(bx + bw)}' for t in yt[0]]
            if g:
                body.append(f'<path d="{"".join(g)}" stroke="#b0b0b0" stroke-width="0.8" fill="none"/>')
        for a in self._artists:
            if isinstance(a, Line2D):
                self._render_line(body, a, px, py, bw)
        body.append('</g>')
        out.extend(body)
        for a in self._artists:
            if isinstance(a, Text):
                if a.coords == 'axes':
                    tx, ty = bx + a.x * bw, by + bh - a.y * bh
                else:
                    tx, ty = px(a.x), py(a.y)
                out.append(_svg_text(tx, ty, a.s, a.size, a.ha, a.va, a.color, a.rotation, a.alpha))
        if self._axis_on:
            self._render_axes_frame(out, bx, by, bw, bh, px, py, xt, yt)
        self._render_titles(out, bx, by, bw)
        if self._legend is not None and self._legend.entries:
            self._render_legend(out, bx, by, bw, bh, px, py)

    def _render_titles(self, out, bx, by, bw):
        size = getattr(self, '_title_size', 12)
        for i, (t, x, anchor) in enumerate(zip(self._title, (bx, bx + bw / 2, bx + bw),
                                              ('start', 'middle', 'end'))):
            if t:
                out.append(_svg_text(x, by - 6, t, size, anchor, 'baseline'))  # baseline 6 pt above (titlepad)

    def _render_axes_frame(self, out, bx, by, bw, bh, px, py, xt, yt):
        # ticks: 3.5 pt outwards, 0.8 pt wide; labels 3.5 pt beyond
        d = [f'M{_f(px(t))} {_f(by + bh)}v3.5' for t in xt[0]]
        d += [f'M{_f(bx)} {_f(py(t))}h-3.5' for t in yt[0]]
        if d:
            out.append(f'<path d="{"".join(d)}" stroke="#000000" stroke-width="0.8" fill="none"/>')
        for t, s in zip(xt[0], xt[1]):
            if self._xrot:
                # matplotlib's default rotation mode: rotate, then centre the rotated box under the tick
                _, bh_rot = _rotated_box(s, 10, self._xrot)
                out.append(_svg_text(px(t), by + bh + 7 + bh_rot / 2, s, 10, 'middle', 'center',
                                     rotate=self._xrot))
            else:
                out.append(_svg_text(px(t), by + bh + 7, s, 10, 'middle', 'top'))
        for t, s in zip(yt[0], yt[1]):
            out.append(_svg_text(bx - 7, py(t), s, 10, 'end', 'center', rotate=self._yrot))
        if xt[2]:
            out.append(_svg_text(bx + bw, by + bh + 7 + 12 + 2, xt[2], 10, 'end', 'top'))
        if yt[2]:
            out.append(_svg_text(bx, by - 3, yt[2], 10, 'start', 'bottom'))
        # spines
        out.append(f'<rect x="{_f(bx)}" y="{_f(by)}" width="{_f(bw)}" height="{_f(bh)}" fill="none" '
                   f'stroke="#000000" stroke-width="0.8" stroke-linejoin="miter"/>')
        xl_h = 10 * 1.0 if xt[1] else 0
        if self._xrot and xt[1]:
            xl_h = max(_rotated_box(s, 10, self._xrot)[1] for s in xt[1])
        if self._xlabel:
            out.append(_svg_text(bx + bw / 2, by + bh + 7 + xl_h + 4, self._xlabel,
                                 getattr(self, '_xlabel_size', 10), 'middle', 'top'))
        if self._ylabel:
            wmax = max((_text_width(s, 10) for s in yt[1]), default=0)
            x = bx - 7 - wmax - 4
            size = getattr(self, '_ylabel_size', 10)
            out.append(_svg_text(x, by + bh / 2, self._ylabel, size, 'middle', 'bottom', rotate=90))

    def _render_line(self, body, a, px, py, bw):
        xs, ys = a.x, a.y
        if len(xs) > 8 * bw and a.marker is None:
            (x0, x1), _ = self._limits()
            xs, ys = _m4(xs, ys, (x1 - x0) / (2 * bw))  # buckets of half a point
        pts = [(px(x), py(y)) if _finite(x) and _finite(y) else None for x, y in zip(xs, ys)]
        op = f' stroke-opacity="{_f(a.alpha)}"' if a.alpha is not None else ''
        segs = _segments(pts)
        a._drawn = segs  # for the legend's 'best' placement
        if a.linestyle != 'none':
            # (a lone point draws nothing without a marker, as in matplotlib)
            d = ''.join('M' + 'L'.join(f'{_f(x)} {_f(y)}' for x, y in seg) for seg in segs if len(seg) > 1)
            if d:
                dash = _dasharray(a.linestyle, a.linewidth)
                da = f' stroke-dasharray="{dash}"' if dash else ''
                body.append(f'<path d="{d}" fill="none" stroke="{a.color}" stroke-width="{_f(a.linewidth)}" '
                            f'stroke-linejoin="round" stroke-linecap="square"{da}{op}/>')
        if a.marker is not None:
            for p in pts:
                if p is not None:
                    body.append(_marker_svg(a.marker, p[0], p[1], a.markersize, a.color, a.alpha))

    def _render_bars(self, body, bc, px, py):
        op = f' fill-opacity="{_f(bc.alpha)}"' if bc.alpha is not None else ''
        if bc.step:
            # one outline (step) or one filled polygon (stepfilled) over the bin tops
            d = []
            e = bc.edges
            base = py(0.0)
            d.append(f'M{_f(px(e[0]))} {_f(base)}')
            for i, r in enumerate(bc):
                y = py(r.height) if _finite(r.height) else base
                d.append(f'L{_f(px(e[i]))} {_f(y)}L{_f(px(e[i + 1]))} {_f(y)}')
            d.append(f'L{_f(px(e[-1]))} {_f(base)}')
            if bc.step == 'stepfilled':
                body.append(f'<path d="{"".join(d)}Z" fill="{bc.color}"{op}/>')
            else:
                body.append(f'<path d="{"".join(d)}" fill="none" stroke="{bc.color}" stroke-width="1.5"'
                            f'{op.replace("fill-", "stroke-")}/>')
            return
        rects = []
        for r in bc:
            if not _finite(r.height):
                continue
            xa, xb = px(r.xy[0]), px(r.xy[0] + r.width)
            ya, yb = py(r.xy[1]), py(r.xy[1] + r.height)
            x, w = min(xa, xb), abs(xb - xa)
            y, h = min(ya, yb), abs(yb - ya)
            stroke = (f' stroke="{r.edgecolor}" stroke-width="{_f(r.linewidth)}"' if r.edgecolor and r.linewidth
                      else '')
            rects.append(f'<rect x="{_f(x)}" y="{_f(y)}" width="{_f(w)}" height="{_f(h)}"{stroke}/>')
        body.append(f'<g fill="{bc.color}"{op}>{"".join(rects)}</g>')

    def _render_image(self, body, im, px, py):
        nr, nc = len(im.data), len(im.data[0])
        x0, x1, yb, yt_ = im.extent
        X0, X1 = px(x0), px(x1)
        Y0, Y1 = py(yt_), py(yb)  # row 0 edge, last row edge
        left, top = min(X0, X1), min(Y0, Y1)
        w, h = abs(X1 - X0), abs(Y1 - Y0)
        # upscale by an integer factor (nearest neighbour, about one pixel per point) so that cells stay sharp
        # in viewers that smooth images despite image-rendering: pixelated
        k = max(1, math.ceil(max(w / nc, h / nr)))
        k = max(1, min(k, int(math.sqrt(1_000_000 / (nr * nc)))))
        rows_top_first = im.data if (Y0 <= Y1) else list(reversed(im.data))
        flip_x = X1 < X0
        alpha = 255 if im.alpha is None else max(0, min(255, round(float(im.alpha) * 255)))
        cmap = im.cmap
        rows = []
        for row in rows_top_first:
            if flip_x:
                row = list(reversed(row))
            cells = []
            for v in row:
                if im.rgb:
                    c = [min(1.0, max(0.0, t)) for t in v]
                    a = round(c[3] * 255) if len(c) == 4 else alpha
                    cells.append(bytes((round(c[0] * 255), round(c[1] * 255), round(c[2] * 255), a)) * k)
                elif not _finite(v):
                    cells.append(b'\x00\x00\x00\x00' * k)  # NaN: transparent, as matplotlib's 'bad' colour
                else:
                    r, g, b = cmap.rgb8(_normalize(v, im.vmin, im.vmax))
                    cells.append(bytes((r, g, b, alpha)) * k)
            line = b''.join(cells)
            rows.extend([line] * k)
        png = _png(nc * k, nr * k, rows)
        uri = 'data:image/png;base64,' + base64.b64encode(png).decode('ascii')
        body.append(f'<image x="{_f(left)}" y="{_f(top)}" width="{_f(w)}" height="{_f(h)}" '
                    f'preserveAspectRatio="none" style="image-rendering:optimizeSpeed;image-rendering:pixelated" '
                    f'xlink:href="{uri}"/>')

    def _render_colorbar(self, out, bx, by, bw, bh, yt):
        m = self._colorbar_of
        cm = m.cmap
        rows = []
        n = 256
        for i in range(n):
            r, g, b = cm.rgb8((n - 1 - i + 0.5) / n)
            rows.append(bytes((r, g, b, 255)) * 4)
        uri = 'data:image/png;base64,' + base64.b64encode(_png(4, n, rows)).decode('ascii')
        out.append(f'<image x="{_f(bx)}" y="{_f(by)}" width="{_f(bw)}" height="{_f(bh)}" preserveAspectRatio="none" '
                   f'xlink:href="{uri}"/>')
        (_, _), (y0, y1) = self._limits()
        ticks = [f'M{_f(bx + bw)} {_f(by + bh - (t - y0) / (y1 - y0) * bh)}h3.5' for t in yt[0]]
        if ticks:
            out.append(f'<path d="{"".join(ticks)}" stroke="#000000" stroke-width="0.8" fill="none"/>')
        for t, s in zip(yt[0], yt[1]):
            out.append(_svg_text(bx + bw + 7, by + bh - (t - y0) / (y1 - y0) * bh, s, 10, 'start', 'center'))
        if yt[2]:
            out.append(_svg_text(bx + bw, by - 3, yt[2], 10, 'start', 'bottom'))
        out.append(f'<rect x="{_f(bx)}" y="{_f(by)}" width="{_f(bw)}" height="{_f(bh)}" fill="none" '
                   f'stroke="#000000" stroke-width="0.8"/>')
        if self._colorbar_label:
            wmax = max((_text_width(s, 10) for s in yt[1]), default=0)
            out.append(_svg_text(bx + bw + 7 + wmax + 4, by + bh / 2, self._colorbar_label, 10, 'middle', 'top',
                                 rotate=90))

    def _render_legend(self, out, bx, by, bw, bh, px, py):
        lg = self._legend
        fs = lg.fontsize
        # matplotlib's legend metrics: borderpad 0.4, labelspacing 0.5, handlelength 2, handletextpad 0.8 em
        text_h = fs * 1.0  # the height matplotlib lays a one-line label out with
        row_h = text_h + 0.5 * fs
        hl = 2.0 * fs  # handle length
        pad = 0.4 * fs
        tw = max(_text_width(l, fs) for _, l in lg.entries)
        if lg.title:
            tw = max(tw, _text_width(lg.title, fs))
        w = pad + hl + 0.8 * fs + tw + pad
        n_rows = len(lg.entries) + (1 if lg.title else 0)
        h = 2 * pad + n_rows * text_h + (n_rows - 1) * 0.5 * fs
        m = 0.5 * fs  # borderaxespad
        spots = {
            1: (bx + bw - m - w, by + m), 2: (bx + m, by + m), 3: (bx + m, by + bh - m - h),
            4: (bx + bw - m - w, by + bh - m - h), 5: (bx + bw - m - w, by + (bh - h) / 2),
            6: (bx + m, by + (bh - h) / 2), 7: (bx + bw - m - w, by + (bh - h) / 2),
            8: (bx + (bw - w) / 2, by + bh - m - h), 9: (bx + (bw - w) / 2, by + m),
            10: (bx + (bw - w) / 2, by + (bh - h) / 2),
        }
        loc = lg.loc
        if loc == 0:
            loc = self._best_legend_loc(spots, w, h, px, py)
        lx, ly = spots[loc]
        out.append(f'<rect x="{_f(lx)}" y="{_f(ly)}" width="{_f(w)}" height="{_f(h)}" rx="2" fill="#ffffff" '
                   f'fill-opacity="0.8" stroke="#cccccc" stroke-width="0.8"/>')
        y = ly + pad
        if lg.title:
            out.append(_svg_text(lx + w / 2, y + text_h / 2, lg.title, fs, 'middle', 'center'))
            y += row_h
        for handle, label in lg.entries:
            cy = y + text_h / 2
            hx = lx + pad
            if isinstance(handle, Line2D):
                if handle.linestyle != 'none':
                    dash = _dasharray(handle.linestyle, handle.linewidth)
                    da = f' stroke-dasharray="{dash}"' if dash else ''
                    op = '' if handle.alpha is None else f' stroke-opacity="{_f(handle.alpha)}"'
                    out.append(f'<path d="M{_f(hx)} {_f(cy)}H{_f(hx + hl)}" stroke="{handle.color}" '
                               f'stroke-width="{_f(handle.linewidth)}" fill="none"{da}{op}/>')
                if handle.marker is not None:
                    out.append(_marker_svg(handle.marker, hx + hl / 2, cy, handle.markersize, handle.color,
                                           handle.alpha))
            elif isinstance(handle, BarContainer):
                op = '' if handle.alpha is None else f' fill-opacity="{_f(handle.alpha)}"'
                if handle.step == 'step':
                    out.append(f'<rect x="{_f(hx)}" y="{_f(cy - 0.35 * fs)}" width="{_f(hl)}" '
                               f'height="{_f(0.7 * fs)}" fill="none" stroke="{handle.color}" stroke-width="1.5"'
                               f'{op.replace("fill-", "stroke-")}/>')
                else:
                    out.append(f'<rect x="{_f(hx)}" y="{_f(cy - 0.35 * fs)}" width="{_f(hl)}" '
                               f'height="{_f(0.7 * fs)}" fill="{handle.color}"{op}/>')
            elif isinstance(handle, PathCollection):
                c = handle.colors[0] if handle.colors else _TAB10[0]
                out.append(_marker_svg(handle.marker, hx + hl / 2, cy, 6.0, c))
            out.append(_svg_text(hx + hl + 0.8 * fs, cy, label, fs, 'start', 'center'))
            y += row_h

    def _best_legend_loc(self, spots, w, h, px, py):
        """matplotlib's loc='best': for codes 1..10 in order, badness = line vertices inside the box + lines
        crossing it + scatter points inside + bars overlapping it; the first with badness 0, else the least
        (lower code on ties). Long lines count their decimated vertices (the ones drawn)."""
        lines = [getattr(a, '_drawn', []) for a in self._artists if isinstance(a, Line2D)]
        points = [(px(x), py(y)) for a in self._artists if isinstance(a, PathCollection)
                  for x, y in zip(a.x, a.y) if _finite(x) and _finite(y)]
        bars = []
        for a in self._artists:
            if isinstance(a, BarContainer):
                rs = [(sorted((px(r.xy[0]), px(r.xy[0] + r.width))), sorted((py(r.xy[1]), py(r.xy[1] + r.height))))
                      for r in a if _finite(r.height)]
                if a.step and rs:  # a step histogram is one polygon: one box around all of it
                    rs = [((min(x[0] for x, _ in rs), max(x[1] for x, _ in rs)),
                           (min(y[0] for _, y in rs), max(y[1] for _, y in rs)))]
                bars += [(x[0], y[0], x[1], y[1]) for x, y in rs]
        best = None
        for code in range(1, 11):
            x0, y0 = spots[code]
            x1, y1 = x0 + w, y0 + h
            bad = 0
            for segs in lines:
                crossed = False
                for seg in segs:
                    bad += sum(1 for (x, y) in seg if x0 < x < x1 and y0 < y < y1)
                    if not crossed and _path_crosses_box(seg, x0, y0, x1, y1):
                        crossed = True
                bad += crossed
            bad += sum(1 for (x, y) in points if x0 < x < x1 and y0 < y < y1)
            bad += sum(1 for (a0, b0, a1, b1) in bars if a0 < x1 and x0 < a1 and b0 < y1 and y0 < b1)
            if bad == 0:
                return code
            if best is None or bad < best[0]:
                best = (bad, code)
        return best[1]


def _path_crosses_box(seg, x0, y0, x1, y1):
    """Whether the polyline seg touches the box [x0, x1] x [y0, y1] (Liang-Barsky clipping per segment)."""
    for (ax, ay), (bx, by) in zip(seg, seg[1:]):
        if max(ax, bx) < x0 or min(ax, bx) > x1 or max(ay, by) < y0 or min(ay, by) > y1:
            continue
        t0, t1 = 0.0, 1.0
        dx, dy = bx - ax, by - ay
        ok = True
        for p, q in ((-dx, ax - x0), (dx, x1 - ax), (-dy, ay - y0), (dy, y1 - ay)):
            if p == 0:
                if q < 0:
                    ok = False
                    break
            else:
                t = q / p
                if p < 0:
                    t0 = max(t0, t)
                else:
                    t1 = min(t1, t)
                if t0 > t1:
                    ok = False
                    break
        if ok:
            return True
    return False


class _TransAxes:
    def __repr__(self):
        return '<transAxes>'


_TRANS_AXES = _TransAxes()

builtins_range = range  # hist has a parameter named range


def _normalize(v, vmin, vmax):
    if vmax == vmin:
        return 0.0
    return (v - vmin) / (vmax - vmin)


def _rotated_box(s, size, degrees):
    """(width, height) of the box around one line of text rotated by degrees."""
    w, h = _text_width(s, size), size * 1.0
    a = math.radians(degrees)
    return abs(w * math.cos(a)) + abs(h * math.sin(a)), abs(w * math.sin(a)) + abs(h * math.cos(a))


def _fontsize(v, default):
    if v is None:
        return default
    named = {'xx-small': 0.579, 'x-small': 0.694, 'small': 0.833, 'medium': 1.0, 'large': 1.2,
             'x-large': 1.44, 'xx-large': 1.728}
    if isinstance(v, str):
        if v in named:
            return 10 * named[v]
        raise ValueError(f'{v!r} is not a valid font size')
    return float(v)


def _rotation(r):
    if r in (None, 'horizontal'):
        return 0.0
    if r == 'vertical':
        return 90.0
    return float(r)


def _histogram(data, edges, uniform, weights=None):
    """Counts per bin as numpy.histogram: bins [e_i, e_{i+1}), the last one closed; values outside ignored.
    Equal-width bins find the bin by arithmetic and then correct it against the edges, as numpy does."""
    nb = len(edges) - 1
    counts = [0.0 if weights is not None else 0] * nb
    first, last = edges[0], edges[-1]
    if nb <= 0:
        return counts
    import bisect
    norm = nb / (last - first) if last > first else 0.0
    for j, v in enumerate(data):
        if not (first <= v <= last):
            continue
        if uniform:
            i = int((v - first) * norm)
            if i == nb:
                i -= 1
            if v < edges[i]:
                i -= 1
            elif i != nb - 1 and v >= edges[i + 1]:
                i += 1
        else:
            i = bisect.bisect_right(edges, v) - 1
            if i == nb:
                i -= 1
        counts[i] += weights[j] if weights is not None else 1
    return counts


def _segments(pts):
    """The runs of points between missing (non-finite) ones: a line breaks at NaN, as in matplotlib."""
    segs, cur = [], []
    for p in pts:
        if p is None:
            if cur:
                segs.append(cur)
            cur = []
        else:
            cur.append(p)
    if cur:
        segs.append(cur)
    return segs


def _m4(xs, ys, bucket):
    """For a long line whose x never decreases: per x bucket of the given width, keep the first, lowest,
    highest and last point (M4 decimation), which draws the same picture with a bounded number of vertices.
    Non-finite points are kept (they break the line). Lines whose x goes back are returned unchanged."""
    if not all(map(float.__le__, xs[:-1], xs[1:])):
        return xs, ys
    ox, oy = [], []
    n = len(xs)
    x_start = xs[0]
    inv = 1.0 / bucket if bucket > 0 else 0.0
    i = 0
    while i < n:
        y = ys[i]
        if y != y or y in (math.inf, -math.inf):
            ox.append(xs[i])
            oy.append(y)
            i += 1
            continue
        key = int((xs[i] - x_start) * inv)
        lo = hi = i
        ylo = yhi = y
        j = i + 1
        while j < n and int((xs[j] - x_start) * inv) == key:
            yj = ys[j]
            if yj != yj or yj in (math.inf, -math.inf):
                break
            if yj < ylo:
                lo, ylo = j, yj
            elif yj > yhi:
                hi, yhi = j, yj
            j += 1
        for k in sorted({i, lo, hi, j - 1}):
            ox.append(xs[k])
            oy.append(ys[k])
        i = j
    return ox, oy


# ---------------------------------------------------------------------------------------------------------
# Figure

class Figure:
    """A figure: a canvas of figsize inches (72 points each) holding Axes, rendered to SVG."""

    dpi = 72.0  # canvas units per inch (SVG points)

    def __init__(self, figsize=None, number=None):
        fs = figsize if figsize is not None else _mpl.rcParams.get('figure.figsize', (6.4, 4.8))
        self._figsize = (float(fs[0]), float(fs[1]))
        if not (self._figsize[0] > 0 and self._figsize[1] > 0):
            raise ValueError(f'figure size must be positive finite not {fs}')
        self.axes = []
        self.number = number
        self._suptitle = ''
        self._cax = None

    def __repr__(self):
        w, h = self._figsize
        return f'<Figure size {round(w * 72)}x{round(h * 72)} with {len(self.axes)} Axes>'

    def __getattr__(self, name):
        if name.startswith('_'):
            raise AttributeError(name)
        raise _unsupported(name, 'matplotlib.figure.Figure')

    def _size_pt(self):
        return self._figsize[0] * 72, self._figsize[1] * 72

    def get_size_inches(self):
        return self._figsize

    def set_size_inches(self, w, h=None, forward=True):
        if h is None:
            w, h = w
        self._figsize = (float(w), float(h))

    def add_subplot(self, *args, **kw):
        _check_kw('add_subplot', kw, ['nrows, ncols, index'])
        if not args:
            args = (1, 1, 1)
        if len(args) == 1 and isinstance(args[0], int) and 111 <= args[0] <= 999:
            args = tuple(int(c) for c in str(args[0]))
        if len(args) != 3:
            raise TypeError('add_subplot takes (nrows, ncols, index) or a three-digit number like 111')
        nrows, ncols, index = (int(a) for a in args)
        if not 1 <= index <= nrows * ncols:
            raise ValueError(f'num must be an integer with 1 <= num <= {nrows * ncols}, not {index}')
        rect = _grid_rect(nrows, ncols, (index - 1) // ncols, (index - 1) % ncols)
        for ax in self.axes:
            if ax._rect == rect and ax._colorbar_of is None:
                return ax
        ax = Axes(self, rect)
        self.axes.append(ax)
        return ax

    def gca(self):
        for ax in reversed(self.axes):
            if ax._colorbar_of is None:
                return getattr(self, '_current_ax', None) or ax
        return self.add_subplot(1, 1, 1)

    def suptitle(self, t, fontsize=None, **kw):
        _check_kw('suptitle', kw, ['t', 'fontsize'])
        self._suptitle = str(t)
        self._suptitle_size = _fontsize(fontsize, 12)
        return Text(0.5, 0.98, t)

    def tight_layout(self, *a, **kw):
        return None

    def colorbar(self, mappable=None, ax=None, cax=None, label=None, fraction=0.15, pad=0.05, shrink=1.0,
                 **kw):
        _check_kw('colorbar', kw, ['mappable', 'ax', 'label', 'fraction', 'pad', 'shrink'])
        if cax is not None:
            raise NotImplementedError('matplotlib.pyplot.colorbar: cax= is not available; use ax=')
        parent = ax if ax is not None else self.gca()
        if mappable is None:
            mappable = getattr(parent, '_last_mappable', None)
        if mappable is None or not hasattr(mappable, 'cmap') or mappable.cmap is None:
            raise RuntimeError('No mappable was found to use for colorbar creation. First define a mappable '
                               'such as an image (with imshow) or a scatter with c= numbers.')
        l, b, w, h = parent._rect
        pw = w * (1 - fraction - pad)
        parent._rect = (l, b, pw, h)
        parent._anchor_x = 1.0  # the shrunk image hugs its colorbar, as matplotlib's panchor
        cw = w * fraction
        # the bar is as tall as the parent's drawn box, 1/20 as wide as tall (aspect 20), shrunk about centre
        cax_ = Axes(self, (l + w - cw, b, cw, h))
        cax_._colorbar_of = mappable
        cax_._colorbar_parent = parent
        cax_._shrink = float(shrink)
        cax_._ylim = (float(mappable.vmin), float(mappable.vmax))
        cax_._xlim = (0.0, 1.0)
        if label:
            cax_._colorbar_label = str(label)
        self.axes.append(cax_)
        return Colorbar(cax_, mappable, label)

    def savefig(self, fname, format=None, **kw):
        _check_kw('savefig', kw, ['fname', 'format'])
        fmt = format
        if fmt is None and isinstance(fname, str):
            fmt = fname.rsplit('.', 1)[-1].lower() if '.' in fname.rsplit('/', 1)[-1] else 'svg'
        if fmt not in (None, 'svg'):
            raise NotImplementedError(f"matplotlib.pyplot.savefig: only SVG is available in backprop-ninja's "
                                      f"notebook runtime, not {fmt!r}; save to a .svg file")
        svg = self._to_svg()
        if isinstance(fname, str):
            with open(fname, 'w', encoding='utf-8') as f:
                f.write(svg)
        elif hasattr(fname, 'write'):
            try:
                fname.write(svg)
            except TypeError:
                fname.write(svg.encode('utf-8'))
        else:
            raise TypeError('savefig: fname must be a path or a file object')

    def _repr_svg_(self):
        return self._to_svg()

    def _layout_colorbars(self):
        for cax in self.axes:
            if cax._colorbar_of is None:
                continue
            parent = cax._colorbar_parent
            W, H = self._size_pt()
            pl, pb, pw, ph = parent._rect
            pbh = ph * H  # the bar spans the parent's layout box (not the image shrunk to its aspect)
            pby = (1 - pb - ph) * H
            l, b, w, h = cax._rect
            bh = pbh * cax._shrink
            top = pby + (pbh - bh) / 2
            bw = min(w * W, bh / 20)
            cax._rect = (l, 1 - (top + bh) / H, bw / W, bh / H)
            cax._rect_fixed = True

    def _to_svg(self):
        W, H = self._size_pt()
        saved = [(ax, ax._rect) for ax in self.axes]
        try:
            self._layout_colorbars()
            parts = []
            for i, ax in enumerate(self.axes):
                ax._render(parts, f'@ID@c{i}')
        finally:
            for ax, r in saved:
                ax._rect = r
        if self._suptitle:
            size = getattr(self, '_suptitle_size', 12)
            parts.append(_svg_text(W / 2, 0.02 * H, self._suptitle, size, 'middle', 'top'))
        body = ''.join(parts)
        uid = 'bpn%08x' % (zlib.crc32(body.encode('utf-8')) & 0xffffffff)
        body = body.replace('@ID@', uid)
        return (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
                f'width="{_f(W)}pt" height="{_f(H)}pt" viewBox="0 0 {_f(W)} {_f(H)}" version="1.1" '
                f'font-family="{_FONT}">'
                f'<rect width="100%" height="100%" fill="#ffffff"/>{body}</svg>')


def _grid_rect(nrows, ncols, row, col, left=0.125, right=0.9, bottom=0.11, top=0.88, wspace=0.2, hspace=0.2):
    """(left, bottom, width, height) of cell (row, col) in a GridSpec with matplotlib's default spacing."""
    cw = (right - left) / (ncols + wspace * (ncols - 1))
    ch = (top - bottom) / (nrows + hspace * (nrows - 1))
    x = left + col * cw * (1 + wspace)
    y = top - (row + 1) * ch - row * ch * hspace
    return (x, y, cw, ch)


class _AxesArray:
    """What subplots returns for several Axes: indexable like numpy's object array (a[i], a[i, j],
    a.flat, a.ravel(), a.flatten(), a.shape, iteration over rows)."""

    def __init__(self, rows, ndim):
        self._rows = rows  # list of lists
        self.ndim = ndim
        self.shape = (len(rows), len(rows[0])) if ndim == 2 else (len(rows[0]) if len(rows) == 1 else len(rows),)

    def _items(self):
        return [a for r in self._rows for a in r]

    def __getitem__(self, key):
        if self.ndim == 1:
            items = self._items()
            if isinstance(key, slice):
                return _AxesArray([items[key]], 1)
            return items[key]
        if isinstance(key, tuple):
            r, c = key
            if isinstance(r, slice) or isinstance(c, slice):
                rows = self._rows[r] if isinstance(r, slice) else [self._rows[r]]
                sub = [row[c] if isinstance(c, slice) else [row[c]] for row in rows]
                flat = [a for row in sub for a in row]
                return _AxesArray([flat], 1)
            return self._rows[r][c]
        if isinstance(key, slice):
            return _AxesArray(self._rows[key], 2)
        return _AxesArray([self._rows[key]], 1)

    def __iter__(self):
        if self.ndim == 1:
            return iter(self._items())
        return iter(_AxesArray([r], 1) for r in self._rows)

    def __len__(self):
        return self.shape[0]

    @property
    def flat(self):
        return iter(self._items())

    def ravel(self):
        return _AxesArray([self._items()], 1)

    flatten = ravel

    def tolist(self):
        return [list(r) for r in self._rows] if self.ndim == 2 else self._items()

    def __repr__(self):
        return f'array({self.tolist()!r}, dtype=object)'


# ---------------------------------------------------------------------------------------------------------
# pyplot state: the open figures, the current one

_figures = {}  # number -> Figure, in creation order
_current = None


def figure(num=None, figsize=None, dpi=None, facecolor=None, edgecolor=None, frameon=True, clear=False, **kw):
    """A new figure (or the open figure numbered num), made current. figsize=(w, h) in inches."""
    global _current
    _check_kw('figure', kw, ['num', 'figsize', 'dpi', 'facecolor', 'edgecolor', 'frameon', 'clear'])
    if isinstance(num, Figure):
        _current = num
        return num
    if num is not None and num in _figures:
        fig = _figures[num]
        if clear:
            fig.axes = []
        _current = fig
        return fig
    if num is None:
        num = max([k for k in _figures if isinstance(k, int)], default=0) + 1
    fig = Figure(figsize, num)
    _figures[num] = fig
    _current = fig
    return fig


def gcf():
    """The current figure (a new one when none is open)."""
    if _current is None or _current not in _figures.values():
        return figure()
    return _current


def gca():
    """The current Axes of the current figure (made when there is none)."""
    return gcf().gca()


def subplots(nrows=1, ncols=1, figsize=None, squeeze=True, sharex=False, sharey=False, **kw):
    """(fig, axes): a new figure with an nrows x ncols grid of Axes. axes is one Axes for 1x1, indexable
    1-D for one row or column, 2-D (axes[i, j]) otherwise; squeeze=False always gives 2-D."""
    _check_kw('subplots', kw, ['nrows', 'ncols', 'figsize', 'squeeze'])
    fkw = {k: kw[k] for k in ('dpi', 'num') if k in kw}
    fig = figure(figsize=figsize, **fkw)
    rows = []
    for r in range(int(nrows)):
        row = []
        for c in range(int(ncols)):
            ax = Axes(fig, _grid_rect(int(nrows), int(ncols), r, c))
            fig.axes.append(ax)
            row.append(ax)
        rows.append(row)
    fig._current_ax = rows[0][0]
    if squeeze and nrows == 1 and ncols == 1:
        return fig, rows[0][0]
    if squeeze and (nrows == 1 or ncols == 1):
        return fig, _AxesArray([[a for r in rows for a in r]], 1)
    return fig, _AxesArray(rows, 2)


def subplot(*args, **kw):
    """subplot(nrows, ncols, index) or subplot(221): that Axes of the current figure, made current."""
    fig = gcf()
    ax = fig.add_subplot(*args, **kw)
    fig._current_ax = ax
    return ax


def _ax():
    return gca()


rcParams = _mpl.rcParams


class _ColormapNamespace:
    """plt.cm.gray, plt.cm.RdBu, ...: the colormaps by attribute."""

    def __getattr__(self, name):
        if name.startswith('_'):
            raise AttributeError(name)
        try:
            return get_cmap(name)
        except ValueError as e:
            raise AttributeError(str(e)) from None

    def get_cmap(self, name=None, lut=None):
        return get_cmap(name, lut)


cm = _ColormapNamespace()


def sca(ax):
    """Make ax the current Axes (and its figure the current figure)."""
    global _current
    _current = ax.figure
    ax.figure._current_ax = ax
    return ax


def plot(*args, **kw):
    return _ax().plot(*args, **kw)


plot.__doc__ = Axes.plot.__doc__


def imshow(X, **kw):
    return _ax().imshow(X, **kw)


imshow.__doc__ = Axes.imshow.__doc__


def hist(x, bins=10, **kw):
    return _ax().hist(x, bins, **kw)


hist.__doc__ = Axes.hist.__doc__


def bar(x, height, **kw):
    return _ax().bar(x, height, **kw)


def scatter(x, y, s=None, c=None, **kw):
    return _ax().scatter(x, y, s, c, **kw)


scatter.__doc__ = Axes.scatter.__doc__


def text(x, y, s, **kw):
    return _ax().text(x, y, s, **kw)


text.__doc__ = Axes.text.__doc__


def title(label, **kw):
    return _ax().set_title(label, **kw)


def suptitle(t, **kw):
    return gcf().suptitle(t, **kw)


def xlabel(xlabel, **kw):
    return _ax().set_xlabel(xlabel, **kw)


def ylabel(ylabel, **kw):
    return _ax().set_ylabel(ylabel, **kw)


def legend(*args, **kw):
    return _ax().legend(*args, **kw)


legend.__doc__ = Axes.legend.__doc__


def grid(visible=None, which='major', axis='both', **kw):
    return _ax().grid(visible, which, axis, **kw)


grid.__doc__ = Axes.grid.__doc__


def colorbar(mappable=None, ax=None, **kw):
    """A colour scale beside the Axes for its last image (or a mappable given)."""
    return gcf().colorbar(mappable, ax=ax, **kw)


def xlim(*args, **kw):
    """xlim() returns (left, right); xlim(left, right) or xlim((left, right)) sets them."""
    ax = _ax()
    if not args and not kw:
        return ax.get_xlim()
    return ax.set_xlim(*args, **kw)


def ylim(*args, **kw):
    """ylim() returns (bottom, top); ylim(bottom, top) or ylim((bottom, top)) sets them."""
    ax = _ax()
    if not args and not kw:
        return ax.get_ylim()
    return ax.set_ylim(*args, **kw)


def xticks(ticks=None, labels=None, *, rotation=None, **kw):
    """xticks() returns (locs, labels); xticks(ticks[, labels], rotation=...) sets them; xticks([]) hides."""
    ax = _ax()
    _check_kw('xticks', kw, ['ticks', 'labels', 'rotation', 'fontsize'])
    if ticks is not None:
        ax.set_xticks(ticks, labels)
    if rotation is not None:
        ax._xrot = _rotation(rotation)
    t = ax._ticks_for('x')
    return t[0], t[1]


def yticks(ticks=None, labels=None, *, rotation=None, **kw):
    """yticks() returns (locs, labels); yticks(ticks[, labels]) sets them; yticks([]) hides them."""
    ax = _ax()
    _check_kw('yticks', kw, ['ticks', 'labels', 'rotation', 'fontsize'])
    if ticks is not None:
        ax.set_yticks(ticks, labels)
    if rotation is not None:
        ax._yrot = _rotation(rotation)
    t = ax._ticks_for('y')
    return t[0], t[1]


def axis(arg=None, **kw):
    return _ax().axis(arg, **kw)


axis.__doc__ = Axes.axis.__doc__


def cla():
    _ax().cla()


def clf():
    """Clear the current figure (its Axes are removed)."""
    fig = gcf()
    fig.axes = []
    fig._suptitle = ''
    if hasattr(fig, '_current_ax'):
        del fig._current_ax


def tight_layout(*args, **kw):
    """Accepted; the layout is fixed (matplotlib's default subplot parameters)."""
    return None


def ion():
    return None


def ioff():
    return None


def isinteractive():
    return False


def savefig(fname, **kw):
    """Write the current figure as SVG to a path (or a file object); only SVG is available."""
    return gcf().savefig(fname, **kw)


def close(fig=None):
    """close() the current figure, close('all'), close(number) or close(fig)."""
    global _current
    if fig == 'all':
        _figures.clear()
        _current = None
        return
    if fig is None:
        target = _current
    elif isinstance(fig, Figure):
        target = fig
    else:
        target = _figures.get(fig)
    for k, v in list(_figures.items()):
        if v is target:
            del _figures[k]
    if _current is target:
        _current = list(_figures.values())[-1] if _figures else None


def get_fignums():
    return [k for k in _figures if isinstance(k, int)]


def _display(fig):
    svg = fig._to_svg()
    try:
        import _bpn_display
    except ImportError:
        _shown.append(svg)
        return
    _bpn_display.svg(svg)


def show(*args, block=None, **kw):
    """Display every open figure that has Axes, then close them all (the inline backend's show)."""
    _flush_open_figures()


def _flush_open_figures():
    """Display the open figures that have something drawn (Axes or a suptitle), then close all figures.
    The runtime calls this at the end of each cell. Returns how many figures were displayed."""
    global _current
    figs = list(_figures.values())
    _figures.clear()
    _current = None
    n = 0
    error = None
    for fig in figs:
        if fig.axes or fig._suptitle:
            try:
                _display(fig)
                n += 1
            except Exception as e:  # the other figures still show; the first error is raised after them
                error = error or e
    if error is not None:
        raise error
    return n


def __getattr__(name):
    if name.startswith('_'):
        raise AttributeError(name)
    raise _unsupported(name)


_VIRIDIS_HEX = _VIRIDIS
