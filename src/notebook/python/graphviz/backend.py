"""Rendering, by Graphviz compiled to WebAssembly (the npm package @viz-js/viz, through the runtime's
`_bpn_graphviz` JS module) where the real package runs the `dot` executable. The formats are those the
WebAssembly build writes (svg, dot, json, plain, xdot...): no bitmaps or PDF."""

import os
import pathlib

from . import exceptions

__all__ = ['ENGINES', 'FORMATS', 'render', 'pipe', 'pipe_string', 'version', 'view']

ENGINES = {'dot', 'neato', 'twopi', 'circo', 'fdp', 'sfdp', 'patchwork', 'osage'}

FORMATS = {'bmp', 'canon', 'dot', 'gv', 'xdot', 'xdot1.2', 'xdot1.4', 'cgimage', 'cmap', 'eps', 'exr', 'fig', 'gd',
           'gd2', 'gif', 'gtk', 'ico', 'imap', 'cmapx', 'imap_np', 'cmapx_np', 'ismap', 'jp2', 'jpg', 'jpeg', 'jpe',
           'json', 'json0', 'dot_json', 'xdot_json', 'pct', 'pict', 'pdf', 'pic', 'plain', 'plain-ext', 'png', 'pov',
           'ps', 'ps2', 'psd', 'sgi', 'svg', 'svgz', 'tga', 'tif', 'tiff', 'tk', 'vml', 'vmlz', 'vrml', 'wbmp', 'webp',
           'xlib', 'x11'}

DOT_BINARY = pathlib.Path('dot')
UNFLATTEN_BINARY = pathlib.Path('unflatten')


def verify_engine(engine):
    if engine is None:
        raise ValueError('missing engine')
    if engine.lower() not in ENGINES:
        raise ValueError(f'unknown engine: {engine!r} (must be one of {sorted(ENGINES)})')


def verify_format(format):
    if format is None:
        raise ValueError('missing format')
    if format.lower() not in FORMATS:
        raise ValueError(f'unknown format: {format!r} (must be one of {sorted(FORMATS)})')


def _js():
    try:
        import _bpn_graphviz
    except ImportError:
        raise exceptions.ExecutableNotFound('failed to execute Graphviz: this graphviz package renders through '
                                            "backprop-ninja's notebook runtime (Graphviz compiled to WebAssembly)") from None
    return _bpn_graphviz


def _failed(engine, format, stderr, encoding):
    """The error `dot -K<engine> -T<format>` exits with; stderr as bytes, or str when decoding (as the real one)."""
    cmd = [DOT_BINARY, f'-K{engine}', f'-T{format}']
    stderr += '\n'
    if encoding is None:
        return exceptions.CalledProcessError(1, cmd, output=b'', stderr=stderr.encode('utf-8'))
    return exceptions.CalledProcessError(1, cmd, output='', stderr=stderr)


def render_string(source, engine, format, encoding='utf-8', quiet=False):
    """DOT text -> the output text (str) of format, laid out by engine. `encoding` None: errors carry bytes.
    Graphviz's warnings go to stderr unless quiet, as the real package passes on dot's stderr."""
    verify_engine(engine)
    verify_format(format)
    js = _js()
    supported = js.formats().split(' ')
    if format not in supported:
        raise _failed(engine, format, f'Format: "{format}" not recognized. This runtime renders with Graphviz compiled '
                      f'to WebAssembly (@viz-js/viz), which writes: {", ".join(supported)}. Use format=\'svg\'.',
                      encoding)
    try:
        out = js.render(source, engine, format)
    except Exception as e:  # a JsException: its name is the Python class (graphviz.ts)
        name = getattr(e, 'name', '')
        message = getattr(e, 'message', str(e))
        if name == 'ExecutableNotFound':
            raise exceptions.ExecutableNotFound(message) from None
        raise _failed(engine, format, message, encoding) from None
    if not quiet:
        warnings = js.warnings()
        if warnings:
            import sys
            sys.stderr.write(warnings + '\n')
    return out


def pipe(engine, format, data, renderer=None, formatter=None, neato_no_op=None, quiet=False):
    """Bytes of DOT in, bytes of the rendered format out (as graphviz.pipe)."""
    _no_renderer(renderer, formatter, neato_no_op)
    return render_string(data.decode('utf-8'), engine, format, None, quiet).encode('utf-8')


def pipe_string(engine, format, input_string, *, encoding, renderer=None, formatter=None, neato_no_op=None,
                quiet=False):
    _no_renderer(renderer, formatter, neato_no_op)
    return render_string(input_string, engine, format, encoding, quiet)


def _no_renderer(renderer, formatter, neato_no_op):
    if renderer is not None or formatter is not None or neato_no_op:
        raise NotImplementedError('renderer, formatter and neato_no_op are not available: this runtime renders with '
                                  'Graphviz compiled to WebAssembly (@viz-js/viz) and its default renderers')


def render(engine, format=None, filepath=None, renderer=None, formatter=None, neato_no_op=None, quiet=False, *,
           outfile=None, raise_if_result_exists=False, overwrite_filepath=False):
    """Renders the DOT file filepath to filepath + '.' + format (or to outfile); returns the output's path."""
    _no_renderer(renderer, formatter, neato_no_op)
    if filepath is None:
        raise exceptions.RequiredArgumentError('filepath: (required if outfile is not given, got None)')
    filepath = pathlib.Path(filepath)
    if outfile is not None:
        outfile = pathlib.Path(outfile)
        if format is None:
            format = outfile.suffix.lstrip('.').lower()
    elif format is None:
        raise exceptions.RequiredArgumentError('format: (required if outfile is not given, got None)')
    else:
        outfile = filepath.with_suffix(f'{filepath.suffix}.{format}')
    if raise_if_result_exists and outfile.exists():
        raise exceptions.FileExistsError(f'output file exists: {os.fspath(outfile)!r}')
    with open(filepath, encoding='utf-8') as f:
        source = f.read()
    out = render_string(source, engine, format, None, quiet)
    with open(outfile, 'w', encoding='utf-8') as f:
        f.write(out)
    return os.fspath(outfile)


def version():
    """The Graphviz version as a tuple of ints, e.g. (16, 1, 0)."""
    return tuple(int(d) for d in _js().version().split('.'))


def view(filepath, quiet=False):
    raise RuntimeError('graphviz.view: there is no viewer here; the notebook shows the graph when it is a cell\'s '
                       'last expression (or display(dot))')
