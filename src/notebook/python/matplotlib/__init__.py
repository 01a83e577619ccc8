"""backprop-ninja's stand-in for matplotlib, for the notebook runtime (CPython on Pyodide, no numpy).

Only ``matplotlib.pyplot`` is provided (see its docstring for the supported API); figures are rendered to
self-contained SVG by pure Python. ``rcParams`` holds the few settings pyplot reads ('figure.figsize',
'lines.linewidth', 'image.cmap', 'axes.grid'); ``use(...)`` accepts any backend name and does nothing, as the
runtime always renders inline SVG.
"""

__version__ = '3.7.0+backprop-ninja'

rcParams = {
    'figure.figsize': (6.4, 4.8),
    'lines.linewidth': 1.5,
    'image.cmap': 'viridis',
    'axes.grid': False,
}


def use(backend, force=True):
    """Accepted for compatibility; the notebook runtime always draws inline SVG."""
    return None


def get_backend():
    return 'module://backprop_ninja_inline_svg'


def __getattr__(name):
    if name.startswith('_'):
        raise AttributeError(name)
    if name == 'pyplot':  # `from matplotlib import pyplot` asks before the submodule is imported
        import importlib
        return importlib.import_module('matplotlib.pyplot')
    raise NotImplementedError(
        f"matplotlib.{name} is not available in backprop-ninja's notebook runtime; "
        "supported: matplotlib.pyplot (import matplotlib.pyplot as plt), matplotlib.rcParams, matplotlib.use")
