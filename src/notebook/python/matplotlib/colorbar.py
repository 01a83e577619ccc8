"""Colorbar: what colorbar() returns (its Axes is drawn by the figure)."""


class Colorbar:
    def __init__(self, ax, mappable, label):
        self.ax, self.mappable, self.label = ax, mappable, label

    def set_label(self, s, **kw):
        self.label = str(s)

    def __repr__(self):
        return f'<matplotlib.colorbar.Colorbar at 0x{id(self):x}>'
