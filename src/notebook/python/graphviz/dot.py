"""The DOT language of Graph and Digraph: statements appended to `body` as the real package writes them
(a tab, the quoted ids, ' [attr=value ...]'), the head, the graph/node/edge attribute lines."""

import contextlib

from . import quoting

__all__ = ['GraphSyntax', 'DigraphSyntax', 'Dot']


class GraphSyntax:
    _keyword = 'graph'
    _edge_op = '--'


class DigraphSyntax:
    _keyword = 'digraph'
    _edge_op = '->'


class Dot(quoting.Quote):
    _tail = '}\n'

    @classmethod
    def _head(cls, name):
        return f'{cls._keyword} {name}{{\n'

    @classmethod
    def _edge(cls, *, tail, head, attr):
        return f'\t{tail} {cls._edge_op} {head}{attr}\n'

    @staticmethod
    def _comment(line):
        return f'// {line}\n'

    @classmethod
    def _head_strict(cls, name):
        return f'strict {cls._head(name)}'

    @staticmethod
    def _subgraph(name):
        return f'subgraph {name}{{\n'

    @staticmethod
    def _subgraph_plain(name):
        return f'{name}{{\n'

    @staticmethod
    def _node(left, right):
        return f'\t{left}{right}\n'

    _attr = _node

    @classmethod
    def _attr_plain(cls, left):
        return cls._attr(left, '')

    @classmethod
    def _edge_plain(cls, *, tail, head):
        return cls._edge(tail=tail, head=head, attr='')

    def _init_dot(self, name, comment, graph_attr, node_attr, edge_attr, body, strict):
        self.name = name
        self.comment = comment
        self.graph_attr = dict(graph_attr) if graph_attr is not None else {}
        self.node_attr = dict(node_attr) if node_attr is not None else {}
        self.edge_attr = dict(edge_attr) if edge_attr is not None else {}
        self.body = list(body) if body is not None else []
        self.strict = strict

    def _dot_kwargs(self):
        return dict(name=self.name, comment=self.comment, graph_attr=dict(self.graph_attr),
                    node_attr=dict(self.node_attr), edge_attr=dict(self.edge_attr), body=list(self.body),
                    strict=self.strict)

    def clear(self, keep_attrs=False):
        """Drops the statements (and the graph/node/edge attributes unless keep_attrs)."""
        if not keep_attrs:
            for a in (self.graph_attr, self.node_attr, self.edge_attr):
                a.clear()
        self.body.clear()

    def __iter__(self, subgraph=False):
        """The DOT source, line by line."""
        if self.comment:
            yield self._comment(self.comment)
        if subgraph:
            if self.strict:
                raise ValueError('subgraphs cannot be strict')
            head = self._subgraph if self.name else self._subgraph_plain
        else:
            head = self._head_strict if self.strict else self._head
        yield head(self._quote(self.name) + ' ' if self.name else '')
        for kw in ('graph', 'node', 'edge'):
            attrs = getattr(self, f'{kw}_attr')
            if attrs:
                yield self._attr(kw, self._attr_list(None, kwargs=attrs))
        yield from self.body
        yield self._tail

    def node(self, name, label=None, _attributes=None, **attrs):
        """A node statement: name [label=... attrs...]."""
        name = self._quote(name)
        attr_list = self._attr_list(label, kwargs=attrs, attributes=_attributes)
        self.body.append(self._node(name, attr_list))

    def edge(self, tail_name, head_name, label=None, _attributes=None, **attrs):
        """An edge statement: tail -> head [label=... attrs...] ('--' in a Graph)."""
        tail_name = self._quote_edge(tail_name)
        head_name = self._quote_edge(head_name)
        attr_list = self._attr_list(label, kwargs=attrs, attributes=_attributes)
        self.body.append(self._edge(tail=tail_name, head=head_name, attr=attr_list))

    def edges(self, tail_head_iter):
        """Edge statements for (tail, head) pairs (or two-character strings)."""
        edge = self._edge_plain
        quote = self._quote_edge
        self.body += [edge(tail=quote(t), head=quote(h)) for t, h in tail_head_iter]

    def attr(self, kw=None, _attributes=None, **attrs):
        """An attribute statement: graph/node/edge [attrs...], or plain attr=value lines when kw is None."""
        if kw is not None and kw.lower() not in ('graph', 'node', 'edge'):
            raise ValueError(f'attr statement must target graph, node, or edge: {kw!r}')
        if attrs or _attributes:
            if kw is None:
                a_list = self._a_list(None, kwargs=attrs, attributes=_attributes)
                line = self._attr_plain(a_list)
            else:
                attr_list = self._attr_list(None, kwargs=attrs, attributes=_attributes)
                line = self._attr(kw, attr_list)
            self.body.append(line)

    def subgraph(self, graph=None, name=None, comment=None, graph_attr=None, node_attr=None, edge_attr=None,
                 body=None):
        """Adds graph's statements as a subgraph; without graph, a context manager that yields a new one."""
        if graph is None:
            kwargs = self._copy_kwargs()
            kwargs.pop('filename', None)
            kwargs.update(name=name, comment=comment, graph_attr=graph_attr, node_attr=node_attr,
                          edge_attr=edge_attr, body=body, strict=None)
            subgraph = self.__class__(**kwargs)

            @contextlib.contextmanager
            def subgraph_contextmanager(*, parent):
                yield subgraph
                parent.subgraph(subgraph)

            return subgraph_contextmanager(parent=self)
        args = [name, comment, graph_attr, node_attr, edge_attr, body]
        if not all(a is None for a in args):
            raise ValueError('graph must be sole argument of subgraph()')
        if graph.directed != self.directed:
            raise ValueError(f'{self!r} cannot add subgraph of different kind: {graph!r}')
        self.body += [f'\t{line}' for line in graph.__iter__(subgraph=True)]
