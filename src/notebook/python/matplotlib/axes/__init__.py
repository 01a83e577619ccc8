"""matplotlib.axes: the Axes class (its drawing calls in ``_axes``, its state and layout in ``_base``)."""

from matplotlib.axes._axes import Axes

__all__ = ['Axes']
