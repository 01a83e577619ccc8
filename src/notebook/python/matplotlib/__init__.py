"""backprop-ninja's stand-in for matplotlib, for the notebook runtime (CPython on Pyodide).

Why it exists: the runtime loads nothing from the network, and no matplotlib wheel is reachable offline.
Pyodide's own matplotlib (a 3.10 wheel, with numpy, Pillow and friends) is listed in its lock file but lives on
Pyodide's CDN, not in the npm package `pyodide` that we ship; and a real matplotlib would bring a few
megabytes of compiled extensions for the few plots the lectures draw. So this package draws the part of
pyplot that the makemore lectures and learners' notebooks use, to self-contained SVG, in pure Python
(standard library only). What is supported is listed in ``matplotlib.pyplot``'s docstring and in
docs/matplotlib.md; everything else raises NotImplementedError naming what is available.

The modules mirror matplotlib's, so that a reader (and a learner's ``import matplotlib.cm``) finds things
where matplotlib keeps them:

- ``pyplot``: the state machine (current figure and Axes, show/close) over the objects below
- ``figure`` (Figure, the subplot grid), ``axes`` (``_base``: limits, ticks, labels; ``_axes``: plot, imshow,
  hist, bar, scatter, text, legend)
- the artists the drawing calls return: ``lines`` (Line2D, format strings), ``image`` (AxesImage),
  ``patches`` (Rectangle), ``container`` (BarContainer), ``collections`` (PathCollection), ``text`` (Text),
  ``legend`` (Legend), ``colorbar`` (Colorbar)
- ``colors`` (colour specs, Colormap), ``cm`` (the colormaps), ``ticker`` (MaxNLocator, ScalarFormatter)
- ``backends.backend_svg``: the renderer, the only module that writes SVG
- ``cbook`` (data conversion: numbers, lists, tensors and arrays to lists of floats), ``_api`` (errors)

``rcParams`` holds the few settings pyplot reads ('figure.figsize', 'lines.linewidth', 'image.cmap',
'axes.grid'); ``use(...)`` accepts any backend name and does nothing, as the runtime always renders inline SVG.
"""

__version__ = '3.7.0+backprop-ninja'

rcParams = {
    'figure.figsize': (6.4, 4.8),
    'lines.linewidth': 1.5,
    'image.cmap': 'viridis',
    'axes.grid': False,
}

# our submodules, importable as attributes (`matplotlib.cm` after `import matplotlib`, as matplotlib allows)
_SUBMODULES = ('pyplot', 'figure', 'axes', 'lines', 'image', 'patches', 'container', 'collections', 'text',
               'legend', 'colorbar', 'colors', 'cm', 'ticker', 'cbook', 'artist', 'backends')


def use(backend, force=True):
    """Accepted for compatibility; the notebook runtime always draws inline SVG."""
    return None


def get_backend():
    return 'module://backprop_ninja_inline_svg'


def __getattr__(name):
    if name.startswith('_'):
        raise AttributeError(name)
    if name in _SUBMODULES:  # `from matplotlib import pyplot` asks before the submodule is imported
        import importlib
        return importlib.import_module('matplotlib.' + name)
    raise NotImplementedError(
        f"matplotlib.{name} is not available in backprop-ninja's notebook runtime; "
        "supported: matplotlib.pyplot (import matplotlib.pyplot as plt), matplotlib.rcParams, matplotlib.use, "
        "and the modules pyplot uses (" + ', '.join(f'matplotlib.{m}' for m in _SUBMODULES[1:]) + ')')
