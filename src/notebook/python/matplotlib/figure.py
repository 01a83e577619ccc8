"""Figure: a canvas of figsize inches (72 points each) holding Axes; the subplot grid; what subplots()
returns for several Axes."""

import matplotlib as _mpl
from matplotlib._api import _check_kw, _unsupported
from matplotlib.axes import Axes
from matplotlib.backends.backend_svg import figure_to_svg
from matplotlib.colorbar import Colorbar
from matplotlib.text import Text, _fontsize


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
        return figure_to_svg(self)


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
