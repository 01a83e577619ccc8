"""graphviz.Graph and graphviz.Digraph (graphviz 0.20.1's classes: the module name is part of how a notebook
prints them, `<graphviz.graphs.Digraph at 0x...>`)."""

from . import _output, dot

__all__ = ['Graph', 'Digraph']


class BaseGraph(dot.Dot, _output.Output):
    def __init__(self, name=None, comment=None, filename=None, directory=None, format=None, engine=None,
                 encoding=_output.DEFAULT_ENCODING, graph_attr=None, node_attr=None, edge_attr=None, body=None,
                 strict=False, *, renderer=None, formatter=None):
        if filename is None and name is not None:
            filename = f'{name}.{self._default_extension}'
        self._init_dot(name, comment, graph_attr, node_attr, edge_attr, body, strict)
        self._init_output(filename, directory, format, engine, encoding, renderer, formatter)

    def _copy_kwargs(self):
        kwargs = self._dot_kwargs()
        kwargs.update(self._output_kwargs())
        return kwargs

    @property
    def source(self):
        """The DOT source."""
        return ''.join(self)


class Graph(dot.GraphSyntax, BaseGraph):
    """Graph source code in the DOT language (undirected: edges are `a -- b`)."""

    @property
    def directed(self):
        return False


class Digraph(dot.DigraphSyntax, BaseGraph):
    """Directed graph source code in the DOT language (edges are `a -> b`)."""

    @property
    def directed(self):
        return True
