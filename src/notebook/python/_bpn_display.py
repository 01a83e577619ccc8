"""Rich output of a notebook cell: what `plt.show()` and `display()` hand to the front end.

`svg(svg_string)` shows a figure (display_data with image/svg+xml: inline in Jupyter/VS Code with --out, an
.svg file beside the notebook on the terminal). `display(obj)` is IPython's builtin of the same name.
"""

import json

import _bpn_host  # the runtime's JS hooks: outside the runtime (plain CPython) this import fails, as it should


def publish(data):
    """Sends one display_data bundle: {mime type: str}; 'text/plain' is what a terminal prints."""
    _bpn_host.display(json.dumps(data))


def svg(svg_string, text='<Figure>'):
    if not isinstance(svg_string, str):
        raise TypeError(f'svg() takes the SVG document as a str, not {type(svg_string).__name__}')
    publish({'image/svg+xml': svg_string, 'text/plain': text})


def display(*objs):
    from _bpn_pretty import pretty
    for obj in objs:
        rich = getattr(obj, '_repr_svg_', None)
        if callable(rich):
            svg(rich(), repr(obj))
        else:
            publish({'text/plain': pretty(obj)})
