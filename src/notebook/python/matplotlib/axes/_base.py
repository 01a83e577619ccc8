"""The Axes' state and layout: labels, limits, ticks, aspect, grid; the view limits and the box the
renderer draws into. The drawing calls (plot, imshow, hist, ...) are in ``_axes``."""

import math

import matplotlib as _mpl
from matplotlib._api import _COSMETIC, _check_kw, _unsupported
from matplotlib.cbook import _finite, _plain, _strings, _vec
from matplotlib.colors import _TAB10
from matplotlib.container import BarContainer
from matplotlib.collections import PathCollection
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D
from matplotlib.text import Text, _fontsize, _rotation
from matplotlib.ticker import (_fmt_value, _format_ticks, _log_labels, _log_nonsingular, _log_ticks,
                               _nice_ticks, _nonsingular)

_SCALES = ('asinh', 'function', 'functionlog', 'linear', 'log', 'logit', 'mercator', 'symlog')


class _AxesBase:
    """One plotting area: its artists, limits, ticks, labels and legend. Drawn by its Figure's renderer."""

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
        self._scale = {'x': 'linear', 'y': 'linear'}
        self._nonpositive = {'x': 'clip', 'y': 'clip'}  # a log axis' values <= 0: 'clip' or 'mask'
        self._cats = {'x': None, 'y': None}  # a category axis: {string: position}, in first-seen order
        self._ticks_top = False  # matshow: x tick labels above the image
        self._integer_ticks = False  # matshow: MaxNLocator(nbins=9, steps=[1, 2, 5, 10], integer=True)

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

    # -- scales
    def _set_scale(self, which, value, kw):
        if value not in _SCALES:
            raise ValueError(f"{value!r} is not a valid value for scale; supported values are "
                             + ', '.join(repr(v) for v in _SCALES))
        if value not in ('linear', 'log'):
            raise NotImplementedError(f"matplotlib.axes.Axes.set_{which}scale({value!r}) is not available in "
                                      "backprop-ninja's notebook runtime; scales: 'linear', 'log'")
        for k, v in kw.items():
            ok = {'base': (10,), 'nonpositive': ('clip', 'mask'), 'subs': (None,)}.get(k)
            if value == 'linear' or ok is None or v not in ok:
                raise NotImplementedError(f"matplotlib.axes.Axes.set_{which}scale: {k}={v!r} is not available "
                                          "in backprop-ninja's notebook runtime; log axes take base=10, "
                                          "nonpositive='clip' or 'mask'")
        self._scale[which] = value
        self._nonpositive[which] = kw.get('nonpositive', 'clip')

    def set_xscale(self, value, **kw):
        """'linear' or 'log' (base 10; values <= 0 are clipped far below the axis, or with
        nonpositive='mask' left out, as matplotlib does)."""
        self._set_scale('x', value, kw)

    def set_yscale(self, value, **kw):
        self._set_scale('y', value, kw)

    set_yscale.__doc__ = set_xscale.__doc__

    def get_xscale(self):
        return self._scale['x']

    def get_yscale(self):
        return self._scale['y']

    def _transform(self, which):
        """The scale's transform of data to the axis' linear space: identity, or log10 with values <= 0 at
        -1000 ('clip', matplotlib's LogTransform) or NaN ('mask')."""
        if self._scale[which] != 'log':
            return None
        low = -1000.0 if self._nonpositive[which] == 'clip' else math.nan
        log10 = math.log10
        return lambda v: log10(v) if v > 0 else (low if v == v else v)

    # -- categories
    def _convert(self, which, values, what):
        """Numbers as floats; strings make a category axis: each distinct string a position 0, 1, ... in the
        order first seen (matplotlib's StrCategoryConverter), and the strings its tick labels."""
        strs = _strings(values)
        if strs is None:
            return _vec(values, what)
        cats = self._cats[which]
        if cats is None:
            cats = self._cats[which] = {}
        for v in strs:
            cats.setdefault(v, len(cats))
        return [float(cats[v]) for v in strs]

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

    # -- layout and drawing

    def _datalim(self):
        """Per axis ('x', 'y'): the (lo, hi) data bounds of each artist, the sticky edges margins may not
        cross, and the smallest positive value (for log axes: matplotlib's minpos)."""
        out = {'x': ([], [], []), 'y': ([], [], [])}  # bounds, sticky, positive values' minima
        # an axhline/axvline inside the view when drawn does not ask for autoscaling (matplotlib): it counts
        # only when a later artist does
        last = max((i for i, a in enumerate(self._artists) if getattr(a, '_autoscale', True)), default=-1)

        def add(which, lo, hi, pos):
            out[which][0].append((lo, hi))
            if pos is not None:
                out[which][2].append(pos)

        for i, a in enumerate(self._artists):
            if isinstance(a, (Line2D, PathCollection)):
                span = getattr(a, '_span', None)  # axhline 'y' / axvline 'x': data on that axis only
                if span is not None:
                    if i <= last:
                        v = a.y[0] if span == 'y' else a.x[0]
                        if _finite(v):
                            add(span, v, v, v if v > 0 else None)
                    continue
                b = a._bounds()
                if b is not None:
                    add('x', b[0], b[1], _minpos(a.x) if self._scale['x'] == 'log' else None)
                    add('y', b[2], b[3], _minpos(a.y) if self._scale['y'] == 'log' else None)
            elif isinstance(a, AxesImage):
                x0, x1, y0, y1 = a.extent
                add('x', min(x0, x1), max(x0, x1), _minpos([x0, x1]))
                add('y', min(y0, y1), max(y0, y1), _minpos([y0, y1]))
                out['x'][1].extend([x0, x1])
                out['y'][1].extend([y0, y1])
            elif isinstance(a, BarContainer):
                horizontal = getattr(a, 'orientation', 'vertical') == 'horizontal'
                for r in a:
                    if _finite(r.height) and _finite(r.width):
                        xa, xb = r.xy[0], r.xy[0] + r.width
                        ya, yb = r.xy[1], r.xy[1] + r.height
                        add('x', min(xa, xb), max(xa, xb), _minpos([xa, xb]))
                        add('y', min(ya, yb), max(ya, yb), _minpos([ya, yb]))
                        out['x' if horizontal else 'y'][1].append(r.xy[0] if horizontal else r.xy[1])
        return out

    def _limits(self):
        """((x0, x1), (y0, y1)): the view limits in drawing order (y0 at the bottom)."""
        d = self._datalim()
        tight = getattr(self, '_tight', False)
        out = []
        for which, user in (('x', self._xlim), ('y', self._ylim)):
            bounds, sticky, pos = d[which]
            log = self._scale[which] == 'log'
            minpos = min(pos, default=math.inf)
            if bounds or log:
                lo = min((b[0] for b in bounds), default=-math.inf)
                hi = max((b[1] for b in bounds), default=math.inf)
                lo, hi = _log_nonsingular(lo, hi, minpos) if log else _nonsingular(lo, hi)
                if not tight:
                    tol = 1e-5 * max(abs(lo), abs(hi), abs(hi - lo))
                    below = [s for s in sticky if s < lo + tol]
                    above = [s for s in sticky if s > hi - tol]
                    if log:  # the margins are 5% of the axis in log space (limit_range_for_scale first)
                        mp = minpos if _finite(minpos) else 1e-300
                        lt, ht = math.log10(mp if lo <= 0 else lo), math.log10(mp if hi <= 0 else hi)
                        dt = (ht - lt) * 0.05
                        nlo, nhi = 10.0 ** (lt - dt), 10.0 ** (ht + dt)
                    else:
                        dv = (hi - lo) * 0.05
                        nlo, nhi = lo - dv, hi + dv
                    if below:
                        nlo = max(nlo, max(below))
                    if above:
                        nhi = min(nhi, min(above))
                    lo, hi = nlo, nhi
                    if log:
                        lo, hi = _log_nonsingular(lo, hi, minpos)
            else:
                lo, hi = 0.0, 1.0
            if user is not None:
                # a user limit is taken as given (in the user's order: set_ylim(5, 0) flips the axis); on a
                # log axis a limit <= 0 is ignored, as matplotlib does (with a warning)
                lo2 = user[0] if user[0] is not None and not (log and user[0] <= 0) else lo
                hi2 = user[1] if user[1] is not None and not (log and user[1] <= 0) else hi
                if lo2 == hi2:
                    lo2, hi2 = _log_nonsingular(lo2, hi2, minpos) if log else _nonsingular(lo2, hi2)
                out.append((lo2, hi2))
            else:
                out.append((lo, hi))
        (x0, x1), (y0, y1) = out
        if self._yinverted and self._ylim is None:
            y0, y1 = max(y0, y1), min(y0, y1)
        elif self._yinverted and self._ylim is not None:
            y0, y1 = y1, y0
        return (x0, x1), (y0, y1)

    def _span_t(self, which, lo, hi):
        """The width of the view [lo, hi] in the axis' linear space (log10 units on a log axis)."""
        if self._scale[which] == 'log':
            return math.log10(hi) - math.log10(lo)
        return hi - lo

    def _box(self):
        """The axes box in canvas points (x, y_top, w, h), after applying the aspect ratio."""
        W, H = self.figure._size_pt()
        l, b, w, h = self._rect
        bx, by, bw, bh = l * W, (1 - b - h) * H, w * W, h * H
        if self._aspect != 'auto' and self._colorbar_of is None:
            (x0, x1), (y0, y1) = self._limits()
            a = 1.0 if self._aspect == 'equal' else float(self._aspect)
            want = abs(self._span_t('y', y0, y1)) / abs(self._span_t('x', x0, x1)) * a  # box height / width
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

    def _ticks_for(self, which, box=None, minor=False):
        """(locs, labels, offset text) of the visible major (or minor) ticks on axis 'x' or 'y'. Labels of
        log axes are matplotlib's mathtext strings ('$\\mathdefault{10^{2}}$'), drawn with a superscript."""
        (x0, x1), (y0, y1) = self._limits()
        lo, hi = (x0, x1) if which == 'x' else (y0, y1)
        user = self._xticks if which == 'x' else self._yticks
        vmin, vmax = min(lo, hi), max(lo, hi)
        eps = 1e-10 * (vmax - vmin)
        log = self._scale[which] == 'log'
        if minor:
            if not log or user is not None and not user[0]:
                return [], [], ''
        elif user is not None:
            locs, labels = user
            if labels is None:
                labels = _log_labels(locs, vmin, vmax) if log else [_fmt_value(v) for v in locs]
            if len(labels) != len(locs):
                raise ValueError(f'The number of FixedLocator locations ({len(locs)}), usually from a call to '
                                 f'set_ticks, does not match the number of labels ({len(labels)}).')
            keep = [(t, s) for t, s in zip(locs, labels) if vmin - eps <= t <= vmax + eps]
            return [t for t, _ in keep], [s for _, s in keep], ''
        elif self._cats[which] is not None:  # StrCategoryLocator and StrCategoryFormatter
            keep = [(float(i), c) for c, i in self._cats[which].items() if vmin - eps <= i <= vmax + eps]
            return [t for t, _ in keep], [s for _, s in keep], ''
        if box is None:
            box = self._box()
        if self._colorbar_of is not None:
            nbins = max(1, min(9, int(box[3] / 20)))
        elif which == 'x':
            nbins = max(1, min(9, int(box[2] / 30)))
        else:
            nbins = max(1, min(9, int(box[3] / 20)))
        if log:
            locs = _log_ticks(vmin, vmax, max(2, nbins), minor)
            if minor:  # matplotlib leaves out minor ticks that coincide with major ones
                major = _log_ticks(vmin, vmax, max(2, nbins))
                locs = [t for t in locs if not any(abs(t - m) <= 1e-5 * m for m in major)]
            keep = [t for t in locs if vmin * (1 - 1e-10) <= t <= vmax * (1 + 1e-10)]
            return keep, _log_labels(keep, vmin, vmax), ''
        if self._integer_ticks:
            locs = _nice_ticks(vmin, vmax, 9, integer=True)
        else:
            locs = _nice_ticks(vmin, vmax, nbins)
        labels, offset = _format_ticks(locs, (vmin, vmax))
        keep = [(t, s) for t, s in zip(locs, labels) if vmin - eps <= t <= vmax + eps]
        return [t for t, _ in keep], [s for _, s in keep], offset


def _minpos(vs):
    """The smallest positive finite value of vs (inf when there is none)."""
    return min((v for v in vs if 0 < v < math.inf), default=math.inf)


class _TransAxes:
    def __repr__(self):
        return '<transAxes>'


_TRANS_AXES = _TransAxes()
