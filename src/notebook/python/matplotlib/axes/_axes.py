"""Axes: the drawing calls (plot, imshow, hist, bar, scatter, text) and the legend."""

import matplotlib as _mpl
from matplotlib._api import _check_kw
from matplotlib.axes._base import _TRANS_AXES, _AxesBase
from matplotlib.cbook import _finite, _mat, _ndim, _num, _plain, _strings, _vec
from matplotlib.cm import get_cmap
from matplotlib.colors import _color, _hex, _normalize
from matplotlib.container import BarContainer
from matplotlib.collections import PathCollection
from matplotlib.image import AxesImage
from matplotlib.legend import _LEGEND_LOCS, Legend
from matplotlib.lines import _LINESTYLES, _MARKERS, Line2D, _parse_fmt
from matplotlib.patches import Rectangle
from matplotlib.text import Text, _fontsize, _rotation

builtins_range = range  # hist has a parameter named range


class Axes(_AxesBase):
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
            ys = [self._convert('y', y, 'y')] if _strings(y) is not None else self._columns(y)
            if x is None:
                xs = [[float(i) for i in range(len(ys[0]) if ys else 0)]] * max(1, len(ys))
            else:
                xs = [self._convert('x', x, 'x')] if _strings(x) is not None else self._columns(x)
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

    def semilogx(self, *args, **kw):
        """plot() on a log x axis (set_xscale('log'); base=10, nonpositive= go to the scale)."""
        self.set_xscale('log', **_pop_scale_kw(kw))
        return self.plot(*args, **kw)

    def semilogy(self, *args, **kw):
        """plot() on a log y axis (set_yscale('log'); base=10, nonpositive= go to the scale)."""
        self.set_yscale('log', **_pop_scale_kw(kw))
        return self.plot(*args, **kw)

    def loglog(self, *args, **kw):
        """plot() with both axes log (base=10, nonpositive= go to both scales)."""
        skw = _pop_scale_kw(kw)
        self.set_xscale('log', **skw)
        self.set_yscale('log', **skw)
        return self.plot(*args, **kw)

    def axhline(self, y=0, xmin=0, xmax=1, **kw):
        """A horizontal line at y across the axes (xmin, xmax: fractions of its width). Its y counts for
        autoscaling only when it lies outside the current view or a later call autoscales, as matplotlib."""
        return self._axline('y', y, xmin, xmax, kw)

    def axvline(self, x=0, ymin=0, ymax=1, **kw):
        """A vertical line at x across the axes (ymin, ymax: fractions of its height)."""
        return self._axline('x', x, ymin, ymax, kw)

    def _axline(self, which, v, f0, f1, kw):
        name = 'axhline' if which == 'y' else 'axvline'
        sup = ['color', 'c', 'linestyle', 'ls', 'linewidth', 'lw', 'alpha', 'label']
        if 'transform' in kw:
            raise ValueError(f"'transform' is not allowed as a keyword argument; {name} generates its own "
                             "transform.")
        _check_kw(name, [k for k in kw if k not in sup], sup)
        v = _num(_plain(v))
        lo, hi = sorted(self.get_ylim() if which == 'y' else self.get_xlim())
        color = kw.get('color', kw.get('c'))
        css, a = _color(color) if color is not None else (_color(_mpl.rcParams.get('lines.color', 'C0')))
        ls = kw.get('linestyle', kw.get('ls', '-'))
        if ls not in _LINESTYLES:
            raise ValueError(f'{ls!r} is not a valid linestyle (- -- -. : or solid, dashed, dashdot, dotted, None)')
        lw = float(kw.get('linewidth', kw.get('lw', _mpl.rcParams.get('lines.linewidth', 1.5))))
        fr = [float(_plain(f0)), float(_plain(f1))]
        xs, ys = (fr, [v, v]) if which == 'y' else ([v, v], fr)
        line = Line2D(xs, ys, css, _LINESTYLES[ls], lw, None, 6.0, kw.get('alpha', a),
                      str(kw.get('label', f'_child{len(self._artists)}')))
        line._span = which
        line._autoscale = v < lo or v > hi
        return self._add(line)

    def matshow(self, Z, **kw):
        """imshow(Z) as matplotlib's matshow: row 0 at the top, square cells, x tick labels above, integer
        ticks (MaxNLocator(nbins=9, steps=[1, 2, 5, 10], integer=True))."""
        kw = {'origin': 'upper', 'aspect': 'equal', **kw}
        im = self.imshow(Z, **kw)
        self._ticks_top = True
        self._integer_ticks = True
        return im

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
        _check_kw('hist', kw, ['bins', 'range', 'density', 'weights', 'histtype', 'rwidth', 'log', 'color',
                               'label', 'alpha', 'edgecolor', 'linewidth'])
        for name, val, ok in (('cumulative', cumulative, False), ('bottom', bottom, None),
                              ('align', align, 'mid'), ('orientation', orientation, 'vertical'),
                              ('stacked', stacked, False)):
            if val != ok:
                raise NotImplementedError(f'matplotlib.pyplot.hist: {name}={val!r} is not available')
        if log:  # as matplotlib: the bars go on a log y axis
            self.set_yscale('log')
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
            edgecolor=None, linewidth=None, tick_label=None, log=False, **kw):
        """Vertical bars at x of the given heights. x may be numbers or strings (a category axis: each
        distinct string a position 0, 1, ... in the order first seen, labelled with it); tick_label= names
        the bars; log=True puts them on a log y axis."""
        return self._bars('bar', 'x', x, height, width, bottom, align, color, label, alpha, edgecolor, linewidth,
                          tick_label, log, kw)

    def barh(self, y, width, height=0.8, left=None, align='center', color=None, label=None, alpha=None,
             edgecolor=None, linewidth=None, tick_label=None, log=False, **kw):
        """Horizontal bars at y (numbers or strings, as bar's x) of the given widths; log=True: log x axis."""
        return self._bars('barh', 'y', y, width, height, left, align, color, label, alpha, edgecolor, linewidth,
                          tick_label, log, kw)

    def _bars(self, name, which, pos, length, thickness, base, align, color, label, alpha, edgecolor,
              linewidth, tick_label, log, kw):
        """bar (which='x': positions on x, lengths up) and barh (which='y': positions on y, lengths right)."""
        _check_kw(name, kw, ['width', 'height', 'bottom' if which == 'x' else 'left', 'align', 'color', 'label',
                             'alpha', 'edgecolor', 'linewidth', 'tick_label', 'log'])
        if log:
            self._set_scale('y' if which == 'x' else 'x', 'log', {})
        if align not in ('center', 'edge'):
            raise ValueError(f"{align!r} is not a valid value for align; supported values are 'center', 'edge'")
        ps = self._convert(which, pos, 'x' if which == 'x' else 'y')
        ls = _vec(length, 'height' if which == 'x' else 'width')
        n = max(len(ps), len(ls))
        if len(ps) == 1:
            ps = ps * n
        if len(ls) == 1:
            ls = ls * n
        if len(ps) != len(ls):
            raise ValueError(f'shape mismatch: objects cannot be broadcast to a single shape.  Mismatch is '
                             f'between arg 0 with shape ({len(ps)},) and arg 1 with shape ({len(ls)},).')
        ws = _vec(thickness) if not isinstance(thickness, (int, float)) else [float(thickness)] * n
        bs = _vec(base) if base is not None and not isinstance(base, (int, float)) else [float(base or 0.0)] * n
        css, a = _color(color) if color is not None else (self._next_patch_color(), None)
        patches = []
        for i, (pi, li) in enumerate(zip(ps, ls)):
            p0 = pi - ws[i] / 2 if align == 'center' else pi
            ec = _color(edgecolor)[0] if edgecolor is not None else None
            lw = float(linewidth) if linewidth is not None else (1.0 if edgecolor else 0.0)
            al = alpha if alpha is not None else a
            if which == 'x':
                patches.append(Rectangle(p0, bs[i], ws[i], li, css, al, ec, lw))
            else:
                patches.append(Rectangle(bs[i], p0, li, ws[i], css, al, ec, lw))
        bc = BarContainer(patches, str(label) if label is not None else f'_container{len(self._artists)}', css,
                          alpha if alpha is not None else a)
        bc.edges = None
        bc.orientation = 'vertical' if which == 'x' else 'horizontal'
        if tick_label is not None:
            labels = _strings(tick_label) or [str(v) for v in _plain(tick_label)]
            if len(labels) == 1:
                labels = labels * n
            (self.set_xticks if which == 'x' else self.set_yticks)(ps, labels)
        return self._add(bc)

    def scatter(self, x, y, s=None, c=None, marker='o', cmap=None, vmin=None, vmax=None, alpha=None,
                label=None, color=None, **kw):
        """Markers at (x, y). s: area in points^2 (default 36), scalar or per point; c/color: one colour or
        one number per point (mapped through cmap)."""
        _check_kw('scatter', kw, ['s', 'c', 'color', 'marker', 'cmap', 'vmin', 'vmax', 'alpha', 'label'])
        xs, ys = self._convert('x', x, 'x'), self._convert('y', y, 'y')
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


def _pop_scale_kw(kw):
    """The keywords semilogx/semilogy/loglog pass to set_*scale rather than to plot."""
    return {k: kw.pop(k) for k in ('base', 'subs', 'nonpositive') if k in kw}


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
