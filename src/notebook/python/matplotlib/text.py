"""Text, and font sizes and rotations as matplotlib accepts them."""

from matplotlib.artist import Artist


class Text(Artist):
    def __init__(self, x, y, s, size=10, ha='left', va='baseline', color='#000000', rotation=0, alpha=None,
                 coords='data'):
        self.x, self.y, self.s, self.size, self.ha, self.va = x, y, str(s), size, ha, va
        self.color, self.rotation, self.alpha, self.coords = color, rotation, alpha, coords
        self.label = '_text'

    def __repr__(self):
        return f'Text({self.x!r}, {self.y!r}, {self.s!r})'

    def get_text(self):
        return self.s

    def set_text(self, s):
        self.s = str(s)


def _fontsize(v, default):
    if v is None:
        return default
    named = {'xx-small': 0.579, 'x-small': 0.694, 'small': 0.833, 'medium': 1.0, 'large': 1.2,
             'x-large': 1.44, 'xx-large': 1.728}
    if isinstance(v, str):
        if v in named:
            return 10 * named[v]
        raise ValueError(f'{v!r} is not a valid font size')
    return float(v)


def _rotation(r):
    if r in (None, 'horizontal'):
        return 0.0
    if r == 'vertical':
        return 90.0
    return float(r)
