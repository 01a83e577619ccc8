"""Legend: its entries and location (drawn by the renderer, which also picks loc='best')."""

from matplotlib.artist import Artist

_LEGEND_LOCS = {
    'best': 0, 'upper right': 1, 'upper left': 2, 'lower left': 3, 'lower right': 4, 'right': 5,
    'center left': 6, 'center right': 7, 'lower center': 8, 'upper center': 9, 'center': 10,
}


class Legend(Artist):
    def __init__(self, entries, loc, fontsize, title):
        self.entries, self.loc, self.fontsize, self.title = entries, loc, fontsize, title
