"""The base of what the drawing calls return: matplotlib's class names in the reprs, as Jupyter shows
them (`<matplotlib.lines.Line2D at 0x7f...>`)."""


class Artist:
    def __repr__(self):
        return f'<{type(self).__module__}.{type(self).__name__} at 0x{id(self):x}>'

    def set_label(self, s):
        self.label = str(s)

    def get_label(self):
        return getattr(self, 'label', '')

    def remove(self):
        ax = getattr(self, 'axes', None)
        if ax is not None and self in ax._artists:
            ax._artists.remove(self)
