"""backprop-ninja's matplotlib.pyplot: the part of pyplot that the makemore lectures draw, as SVG.

Pure Python (standard library only), so it runs in the notebook runtime (CPython on Pyodide) without numpy.
Data may be Python numbers, (nested) lists, tuples, ranges, numpy arrays and scalars, or tensor-likes with
``.tolist()`` (``.detach()`` is called first when present); 1-D and 2-D.

Supported
---------
Module functions: figure, subplots, subplot, gcf, gca, plot, semilogx, semilogy, loglog, imshow, matshow,
hist, scatter, bar, barh (x or y may be strings: a category axis), axhline, axvline, text, title, suptitle,
xlabel, ylabel, legend, grid, colorbar, xlim, ylim, xscale, yscale ('linear', 'log'), xticks, yticks, axis,
show, close, clf, cla, savefig, tight_layout (no-op), ion/ioff (no-ops), get_cmap.
Axes methods: the same drawing calls plus set_title, set_xlabel, set_ylabel, set_xlim, set_ylim,
get_xlim, get_ylim, set_xscale, set_yscale, get_xscale, get_yscale, set_xticks, set_yticks,
set_xticklabels, set_yticklabels, set_aspect, invert_yaxis, axis, grid, legend, text, cla. Figure: add_subplot,
gca, suptitle, colorbar, savefig, tight_layout, get_size_inches, set_size_inches, axes.
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
labels from its ScalarFormatter (same decimals; 1eN scaling past 1e6 and under 1e-5; offsets are not used);
log axes: LogLocator's decades and minor ticks, LogFormatterSciNotation's 10^k labels (drawn as superscripts).

``show()`` displays every open figure that has something in it, then closes them (the inline backend's
behaviour). The runtime calls ``_flush_open_figures()`` at the end of each cell, which does the same for
figures the cell created but did not show. Displaying calls ``_bpn_display.svg(svg_text)``; when the
``_bpn_display`` module cannot be imported (plain CPython, tests) the SVG strings are appended to ``_shown``.
"""

import matplotlib as _mpl
from matplotlib import cm
from matplotlib._api import _check_kw, _unsupported
from matplotlib.axes import Axes
from matplotlib.cbook import _mat
from matplotlib.cm import get_cmap
from matplotlib.figure import Figure, _AxesArray, _grid_rect
from matplotlib.text import _rotation

__all__ = [
    'figure', 'subplots', 'subplot', 'gcf', 'gca', 'plot', 'imshow', 'hist', 'scatter', 'bar', 'text',
    'title', 'suptitle', 'xlabel', 'ylabel', 'legend', 'grid', 'colorbar', 'xlim', 'ylim', 'xticks',
    'yticks', 'axis', 'show', 'close', 'clf', 'cla', 'savefig', 'tight_layout', 'ion', 'ioff', 'get_cmap',
    'sca', 'get_fignums', 'rcParams', 'cm', 'xscale', 'yscale', 'semilogx', 'semilogy', 'loglog', 'axhline',
    'axvline', 'matshow', 'barh',
]

_shown = []  # SVG strings displayed when _bpn_display is not importable (plain CPython)


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


def barh(y, width, **kw):
    return _ax().barh(y, width, **kw)


bar.__doc__ = Axes.bar.__doc__
barh.__doc__ = Axes.barh.__doc__


def xscale(value, **kw):
    """The x axis' scale: 'linear' or 'log' (base 10)."""
    return _ax().set_xscale(value, **kw)


def yscale(value, **kw):
    """The y axis' scale: 'linear' or 'log' (base 10)."""
    return _ax().set_yscale(value, **kw)


def semilogx(*args, **kw):
    return _ax().semilogx(*args, **kw)


def semilogy(*args, **kw):
    return _ax().semilogy(*args, **kw)


def loglog(*args, **kw):
    return _ax().loglog(*args, **kw)


semilogx.__doc__, semilogy.__doc__, loglog.__doc__ = Axes.semilogx.__doc__, Axes.semilogy.__doc__, Axes.loglog.__doc__


def axhline(y=0, xmin=0, xmax=1, **kw):
    return _ax().axhline(y, xmin, xmax, **kw)


def axvline(x=0, ymin=0, ymax=1, **kw):
    return _ax().axvline(x, ymin, ymax, **kw)


axhline.__doc__, axvline.__doc__ = Axes.axhline.__doc__, Axes.axvline.__doc__


def matshow(A, fignum=None, **kw):
    """A matrix as an image in a new figure shaped like it (matplotlib's figaspect), row 0 at the top and
    the column numbers above; fignum=0 draws into the current Axes, fignum=n into figure n."""
    if fignum == 0:
        ax = gca()
    else:
        data, _ = _mat(A, 'matshow data')
        fig = figure(fignum, figsize=_figaspect(len(data) / len(data[0]) if data and data[0] else 1.0))
        ax = Axes(fig, (0.15, 0.09, 0.775, 0.775))
        fig.axes.append(ax)
        fig._current_ax = ax
    return ax.matshow(A, **kw)


def _figaspect(ratio):
    """matplotlib's figaspect(rows / columns): the default height, width to match, kept within 4x2..16x16
    inches."""
    h = rcParams.get('figure.figsize', (6.4, 4.8))[1]
    size = [h / ratio, h]
    k = min(1.0, size[0] / 4.0, size[1] / 2.0)
    size = [v / k for v in size]
    k = max(1.0, size[0] / 16.0, size[1] / 16.0)
    size = [v / k for v in size]
    return (min(16.0, max(4.0, size[0])), min(16.0, max(2.0, size[1])))


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
