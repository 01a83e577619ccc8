"""BarContainer: the bars of one bar() or hist() call."""


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
