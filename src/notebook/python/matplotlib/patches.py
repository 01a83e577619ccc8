"""Rectangle: one bar of bar() or hist()."""

from matplotlib.artist import Artist


class Rectangle(Artist):
    def __init__(self, x, y, w, h, color, alpha, edgecolor=None, linewidth=0.0):
        self.xy, self.width, self.height = (x, y), w, h
        self.color, self.alpha, self.edgecolor, self.linewidth = color, alpha, edgecolor, linewidth

    def get_height(self):
        return self.height

    def get_width(self):
        return self.width

    def get_x(self):
        return self.xy[0]
