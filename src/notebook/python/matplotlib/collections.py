"""PathCollection: what scatter returns."""

from matplotlib.artist import Artist
from matplotlib.cbook import _bounds


class PathCollection(Artist):
    def __init__(self, x, y, sizes, colors, marker, alpha, label, cmap=None, vmin=None, vmax=None, values=None):
        self.x, self.y, self.sizes, self.colors, self.marker = x, y, sizes, colors, marker
        self.alpha, self.label, self.cmap, self.vmin, self.vmax, self.values = alpha, label, cmap, vmin, vmax, values

    def _bounds(self):
        return _bounds(self.x, self.y)
