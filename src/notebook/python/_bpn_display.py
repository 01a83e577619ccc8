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


def _svg_of(obj, mimebundle_only=False):
    """The SVG an object shows itself as in Jupyter (_repr_mimebundle_'s image/svg+xml, as graphviz gives it, or
    _repr_svg_), or None."""
    bundle = getattr(obj, '_repr_mimebundle_', None)
    if callable(bundle) and not isinstance(obj, type):
        data = bundle(include=None, exclude=None)
        if isinstance(data, tuple):  # IPython allows (data, metadata)
            data = data[0]
        svg_data = data.get('image/svg+xml') if isinstance(data, dict) else None
        if svg_data is not None:
            return svg_data.decode('utf-8') if isinstance(svg_data, bytes) else svg_data
    if mimebundle_only:
        return None
    rich = getattr(obj, '_repr_svg_', None)
    return rich() if callable(rich) and not isinstance(obj, type) else None


def rich_svg(obj):
    """The SVG of a cell's last value that has a _repr_mimebundle_ with one (a graphviz graph), or None: Jupyter
    sends it in the execute_result's bundle beside IPython's text/plain, under the cell's Out[n]."""
    try:
        return _svg_of(obj, mimebundle_only=True)
    except Exception as e:  # IPython prints a formatter's error (ending as its traceback does) and shows text/plain
        import sys
        sys.stderr.write(f'{type(e).__name__}: {e}\n')
        return None


def display(*objs):
    from _bpn_pretty import pretty
    for obj in objs:
        svg_data = _svg_of(obj)
        if svg_data is not None:
            svg(svg_data, pretty(obj))
        else:
            publish({'text/plain': pretty(obj)})
