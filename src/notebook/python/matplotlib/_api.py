"""Errors for what is not available, and the keywords accepted everywhere because they only change looks."""


def _unsupported(name, what='matplotlib.pyplot'):
    from matplotlib.pyplot import __all__ as supported  # imported late: pyplot imports this module
    return NotImplementedError(
        f"{what}.{name} is not available in backprop-ninja's notebook runtime; supported: {', '.join(supported)}")


# Keywords that only change looks; accepted everywhere and ignored (listed in pyplot's docstring).
_COSMETIC = frozenset([
    'interpolation', 'resample', 'filternorm', 'filterrad', 'antialiased', 'aa', 'rasterized', 'zorder',
    'dpi', 'frameon', 'bbox_inches', 'pad_inches', 'transparent', 'fontweight', 'fontfamily', 'family',
    'weight', 'pad', 'labelpad', 'framealpha', 'fancybox', 'shadow', 'borderpad', 'ncol', 'ncols',
    'clip_on', 'snap', 'markeredgewidth', 'mew', 'markeredgecolor', 'mec', 'markerfacecolor', 'mfc',
    'solid_capstyle', 'solid_joinstyle', 'dash_capstyle', 'dash_joinstyle', 'which', 'block', 'layout',
    'constrained_layout', 'tight_layout', 'sharex', 'sharey', 'width_ratios', 'height_ratios',
    'metadata', 'orientation_ignored', 'visible_ignored', 'url', 'gid', 'picker', 'animated', 'fontstyle',
    'style', 'verticalalignment_ignored', 'edgecolors', 'linewidths', 'rwidth_ignored', 'handlelength',
    'borderaxespad', 'columnspacing', 'labelspacing', 'handletextpad', 'markerscale', 'numpoints',
    'scatterpoints', 'title_fontsize', 'wrap', 'linespacing', 'bbox', 'subplot_kw', 'gridspec_kw',
])


def _check_kw(fname, kw, supported):
    """Raise for a keyword that is neither supported by fname nor purely cosmetic."""
    for k in kw:
        if k not in _COSMETIC:
            raise NotImplementedError(
                f"matplotlib.pyplot.{fname}: keyword argument {k!r} is not available in backprop-ninja's "
                f"notebook runtime; supported: {', '.join(supported)}")
