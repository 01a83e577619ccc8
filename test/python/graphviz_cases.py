"""graphviz cases run twice: by the real graphviz package 0.20.1 (Debian's python3-graphviz;
scripts/make_graphviz_fixture.py records test/fixtures/graphviz.json) and by the notebook runtime's graphviz
package (test/notebook/graphviz.test.ts compares). Each case builds a graph with the package's API and returns
its DOT text (or the error it raises): the text must be the real package's, character for character."""

import collections
import re
import warnings

import graphviz
from graphviz import Digraph, Graph


def err(f):
    try:
        r = f()
    except Exception as e:
        return re.sub(r' at 0x[0-9a-f]+>', ' at 0x...>', f'{type(e).__name__}: {e}')  # object addresses vary
    return f'no error: {r!r}'


class V:
    """micrograd's Value, enough of it for draw_dot."""

    def __init__(self, data, children=(), op='', label=''):
        self.data, self.grad, self._prev, self._op, self.label = data, 0.0, list(children), op, label


def draw_dot_ordered(root):
    """micrograd's draw_dot with stable node names and order (the lecture's uses id() and a set)."""
    nodes, edges, names = [], [], {}

    def build(v):
        if v not in names:
            names[v] = f'n{len(names)}'
            nodes.append(v)
            for child in v._prev:
                edges.append((child, v))
                build(child)

    build(root)
    dot = Digraph(format='svg', graph_attr={'rankdir': 'LR'})
    for n in nodes:
        uid = names[n]
        dot.node(name=uid, label='{ %s | data %.4f | grad %.4f }' % (n.label, n.data, n.grad), shape='record')
        if n._op:
            dot.node(name=uid + n._op, label=n._op)
            dot.edge(uid + n._op, uid)
    for n1, n2 in edges:
        dot.edge(names[n1], names[n2] + n2._op)
    return dot


def micrograd():
    a = V(2.0, label='a')
    b = V(-3.0, label='b')
    c = V(10.0, label='c')
    e = V(-6.0, (a, b), '*', 'e')
    d = V(4.0, (e, c), '+', 'd')
    f = V(-2.0, label='f')
    L = V(-8.0, (d, f), '*', 'L')
    o = V(0.7071, (L,), 'tanh', 'o')
    p = V(1.0, (o,), '**-1', 'x1*w1 + x2*w2')
    for v, g in ((a, 6.0), (b, -4.0), (c, -2.0), (e, -2.0), (d, -2.0), (f, 4.0), (L, 1.0)):
        v.grad = g
    return draw_dot_ordered(p).source


def cases():
    out = {'micrograd': micrograd()}

    g = Digraph(comment='The Round Table')
    g.node('A', 'King Arthur')
    g.node('B', 'Sir Bedevere the Wise')
    g.node('L', 'Sir Lancelot the Brave')
    g.edges(['AB', 'AL'])
    g.edge('B', 'L', constraint='false')
    out['round_table'] = g.source

    g = Graph('G', strict=True, engine='neato', node_attr={'shape': 'box', 'color': 'blue'},
              edge_attr={'len': '2'}, graph_attr=collections.OrderedDict([('size', '4,4'), ('bgcolor', 'white')]))
    g.edge('run', 'intr')
    g.edge('intr', 'runbl', label='x y')
    g.attr('node', shape='circle')
    g.attr(label=r'made\nby graphviz', fontsize='20')
    g.attr('graph', splines=None)
    out['graph_strict'] = g.source
    out['graph_props'] = repr((g.name, g.filename, g.filepath, g.format, g.engine, g.encoding, g.directed, g.strict))

    g = Digraph()
    for name in ['', 'spam', 'spam spam', '-4.2', '.42', '1.', '4.2.1', 'node', 'Graph', 'EDGE', 'a-b', '_x9', '9x',
                 'ünïcode', 'tab\there', 'new\nline', 'say "hi"', r'back\slash', r'esc\"aped', '<<b>bold</b>>',
                 '<not html', 'a:b', 'a:b:n', 'a b:c d:se']:
        g.node(name)
    g.node('html', label='<<i>it</i>>')
    g.node('nohtml', label=graphviz.nohtml('<>-*-<>'))
    g.node('esc', label=graphviz.escape(r'\l <b>'))
    g.node('none', label=None, color=None, shape='')
    g.node('attrs', _attributes={'z': '1', 'a': '2'}, b='3')
    g.node('ordered', _attributes=[('z', '1'), ('a', '2')])
    g.edge('a:b', 'c d:e f:ne', label='port edge')
    g.edge('x', 'y', 'positional label', None, weight='2')
    g.edges([('p', 'q'), ('q r', 's')])
    out['quoting'] = g.source

    g = Digraph('parent', format='svg')
    with g.subgraph(name='cluster_0') as c:
        c.attr(style='filled', color='lightgrey')
        c.node_attr.update(style='filled', color='white')
        c.edges([('a0', 'a1'), ('a1', 'a2')])
        c.attr(label='process #1')
    sub = Digraph(name='child', node_attr={'shape': 'box'})
    sub.edge('b0', 'b1')
    g.subgraph(sub)
    anon = Digraph()
    anon.node('z')
    g.subgraph(anon)
    g.edge('a2', 'b1')
    out['subgraphs'] = g.source

    g = Digraph('copyme', comment='c', body=['\tx\n'])
    h = g.copy()
    h.node('y')
    g.clear(keep_attrs=True)
    out['copy_clear'] = g.source + '|' + h.source + '|' + repr((h.name, h.comment, h.filename))

    s = graphviz.Source('digraph { a -> b }', filename='s.gv', format='svg', engine='dot')
    out['source'] = s.source + '|' + repr((s.filename, s.format, s.engine, str(s) == s.source))

    out['errors'] = [
        err(lambda: Digraph(format='nope')),
        err(lambda: Digraph(engine='nope')),
        err(lambda: Digraph().attr('nope', x='1')),
        err(lambda: Digraph().subgraph(Graph())),
        err(lambda: Digraph().subgraph(Digraph(), name='x')),
        err(lambda: setattr(Digraph(), 'format', 'xyz')),
    ]
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('always')
        g = Digraph()
        g.node('trailing\\')
        out['warning'] = [str(x.message) for x in w] + [type(x.message).__name__ for x in w] + [g.source]
    out['type'] = [Digraph.__module__, Digraph.__qualname__, Graph.__module__, graphviz.__version__,
                   sorted(graphviz.ENGINES), 'svg' in graphviz.FORMATS]
    return out
