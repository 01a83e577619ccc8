"""AxesImage: what imshow returns."""

from matplotlib.artist import Artist
from matplotlib.cm import get_cmap


class AxesImage(Artist):
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
