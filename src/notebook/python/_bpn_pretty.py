"""IPython's display of a value (`Out[N]: ...`), for the builtin types, reimplemented small.

The layout is IPython.lib.pretty's (a Wadler/Oppen-style printer): text and breakable separators are
buffered in nested groups; when a line would pass 79 columns the outermost open group with separators is
broken, and every later separator of a broken group becomes a newline. So a list too long for one line
prints one item a line, aligned under the first. Containers show at most 1000 items, then `...`; dict keys
keep their order, sets are sorted when they can be. An object with `_repr_pretty_(p, cycle)` prints itself;
anything else prints its repr() line by line (a multi-line tensor repr keeps its layout).
"""

import collections
import datetime
import inspect
import io
import os
import re
import types

MAX_WIDTH = 79
MAX_SEQ_LENGTH = 1000


def _getattr(obj, name, default=None):
    try:
        return getattr(obj, name, default)
    except Exception:
        return default


class _Text:
    def __init__(self):
        self.parts = []
        self.width = 0

    def output(self, out, width):
        out.write(''.join(self.parts))
        return width + self.width


class _Breakable:
    def __init__(self, sep, printer):
        self.sep = sep
        self.width = len(sep)
        self.printer = printer
        self.indentation = printer.indentation
        self.group = printer.group_stack[-1]
        self.group.breakables.append(self)

    def output(self, out, width):
        self.group.breakables.popleft()
        if self.group.want_break:
            out.write('\n' + ' ' * self.indentation)
            return self.indentation
        if not self.group.breakables:
            self.printer.queue.remove(self.group)
        out.write(self.sep)
        return width + self.width


class _Group:
    def __init__(self, depth):
        self.depth = depth
        self.breakables = collections.deque()
        self.want_break = False


class _GroupQueue:
    """Open groups by depth; deq() hands out the outermost one that still has separators to break."""

    def __init__(self, root):
        self.levels = []
        self.enq(root)

    def enq(self, group):
        while group.depth >= len(self.levels):
            self.levels.append([])
        self.levels[group.depth].append(group)

    def deq(self):
        for level in self.levels:
            # IPython walks the level from its newest group but deletes by that index from the front: the
            # same quirk is kept so that layouts match IPython's character for character
            for i, group in enumerate(reversed(level)):
                if group.breakables:
                    del level[i]
                    group.want_break = True
                    return group
            for group in level:
                group.want_break = True
            del level[:]
        return None

    def remove(self, group):
        try:
            self.levels[group.depth].remove(group)
        except ValueError:
            pass


class Printer:
    """The `p` that `_repr_pretty_(self, p, cycle)` methods receive: text(), breakable(), group(), pretty()."""

    def __init__(self, out, max_width=MAX_WIDTH, max_seq_length=MAX_SEQ_LENGTH):
        self.out = out
        self.max_width = max_width
        self.max_seq_length = max_seq_length
        self.output_width = 0
        self.buffer_width = 0
        self.buffer = collections.deque()
        root = _Group(0)
        self.group_stack = [root]
        self.queue = _GroupQueue(root)
        self.indentation = 0
        self.stack = []
        self.verbose = False

    # -- layout -------------------------------------------------------------------------------------
    def _break_one_group(self, group):
        while group.breakables:
            x = self.buffer.popleft()
            self.output_width = x.output(self.out, self.output_width)
            self.buffer_width -= x.width
        while self.buffer and isinstance(self.buffer[0], _Text):
            x = self.buffer.popleft()
            self.output_width = x.output(self.out, self.output_width)
            self.buffer_width -= x.width

    def _break_outer_groups(self):
        while self.max_width < self.output_width + self.buffer_width:
            group = self.queue.deq()
            if group is None:
                return
            self._break_one_group(group)

    def text(self, s):
        if self.buffer:
            last = self.buffer[-1]
            if not isinstance(last, _Text):
                last = _Text()
                self.buffer.append(last)
            last.parts.append(s)
            last.width += len(s)
            self.buffer_width += len(s)
            self._break_outer_groups()
        else:
            self.out.write(s)
            self.output_width += len(s)

    def _newline(self):
        self.out.write('\n' + ' ' * self.indentation)
        self.output_width = self.indentation
        self.buffer_width = 0

    def breakable(self, sep=' '):
        if self.group_stack[-1].want_break:
            self.flush()
            self._newline()
        else:
            self.buffer.append(_Breakable(sep, self))
            self.buffer_width += len(sep)
            self._break_outer_groups()

    def break_(self):
        group = self.queue.deq()
        if group is not None:
            self._break_one_group(group)
        self.flush()
        self._newline()

    def begin_group(self, indent=0, open=''):
        if open:
            self.text(open)
        group = _Group(self.group_stack[-1].depth + 1)
        self.group_stack.append(group)
        self.queue.enq(group)
        self.indentation += indent

    def end_group(self, dedent=0, close=''):
        self.indentation -= dedent
        group = self.group_stack.pop()
        if not group.breakables:
            self.queue.remove(group)
        if close:
            self.text(close)

    def group(self, indent=0, open='', close=''):
        return _GroupContext(self, indent, open, close)

    def indent(self, indent):
        return _IndentContext(self, indent)

    def flush(self):
        for x in self.buffer:
            self.output_width += x.output(self.out, self.output_width)
        self.buffer.clear()
        self.buffer_width = 0

    def _enumerate(self, seq):
        for i, x in enumerate(seq):
            if self.max_seq_length and i >= self.max_seq_length:
                self.text(',')
                self.breakable()
                self.text('...')
                return
            yield i, x

    # -- dispatch -----------------------------------------------------------------------------------
    def pretty(self, obj):
        cycle = id(obj) in self.stack
        self.stack.append(id(obj))
        self.begin_group()
        try:
            if obj is None or obj is True or obj is False or obj is Ellipsis or obj is NotImplemented:
                return _repr_lines(obj, self, cycle)
            cls = _getattr(obj, '__class__', None) or type(obj)
            for klass in _mro(cls):
                printer = _BY_TYPE.get(klass)
                if printer is None:
                    key = (_getattr(klass, '__module__'), _getattr(klass, '__name__'))
                    printer = _BY_NAME.get(key)
                if printer is not None:
                    return printer(obj, self, cycle)
                if '_repr_pretty_' in klass.__dict__ and callable(klass._repr_pretty_):
                    return klass._repr_pretty_(obj, self, cycle)
                if klass is not object and callable(klass.__dict__.get('__repr__')):
                    return _repr_lines(obj, self, cycle)
            return _default(obj, self, cycle)
        finally:
            self.end_group()
            self.stack.pop()


class _GroupContext:
    def __init__(self, p, indent, open, close):
        self.p, self.indent, self.open, self.close = p, indent, open, close

    def __enter__(self):
        self.p.begin_group(self.indent, self.open)

    def __exit__(self, *exc):
        self.p.end_group(self.indent, self.close)


class _IndentContext:
    def __init__(self, p, indent):
        self.p, self.n = p, indent

    def __enter__(self):
        self.p.indentation += self.n

    def __exit__(self, *exc):
        self.p.indentation -= self.n


def _mro(cls):
    return _getattr(cls, '__mro__', None) or (cls,)


def _repr_lines(obj, p, cycle):
    """repr(), its lines joined by real line breaks (so they indent with the enclosing container)."""
    with p.group():
        for i, line in enumerate(repr(obj).splitlines()):
            if i:
                p.break_()
            p.text(line)


def _default(obj, p, cycle):
    cls = _getattr(obj, '__class__', None) or type(obj)
    if _getattr(cls, '__repr__', None) is not object.__repr__:
        return _repr_lines(obj, p, cycle)
    p.begin_group(1, '<')
    p.pretty(cls)
    p.text(' at 0x%x' % id(obj))
    if cycle:
        p.text(' ...')
    p.end_group(1, '>')


def _seq(start, end):
    def printer(obj, p, cycle):
        if cycle:
            return p.text(start + '...' + end)
        p.begin_group(len(start), start)
        for i, x in p._enumerate(obj):
            if i:
                p.text(',')
                p.breakable()
            p.pretty(x)
        if len(obj) == 1 and isinstance(obj, tuple):
            p.text(',')
        p.end_group(len(start), end)
    return printer


def _sorted(items):
    items = list(items)
    try:
        return sorted(items)
    except Exception:
        try:
            return sorted(items, key=str)
        except Exception:
            return items


def _set(start, end):
    def printer(obj, p, cycle):
        if cycle:
            return p.text(start + '...' + end)
        if len(obj) == 0:
            return p.text(type(obj).__name__ + '()')
        p.begin_group(len(start), start)
        items = obj if p.max_seq_length and len(obj) >= p.max_seq_length else _sorted(obj)
        for i, x in p._enumerate(items):
            if i:
                p.text(',')
                p.breakable()
            p.pretty(x)
        p.end_group(len(start), end)
    return printer


def _dict(start, end):
    def printer(obj, p, cycle):
        if cycle:
            return p.text('{...}')
        p.begin_group(len(start), start)
        for i, key in p._enumerate(obj.keys()):
            if i:
                p.text(',')
                p.breakable()
            p.pretty(key)
            p.text(': ')
            p.pretty(obj[key])
        p.end_group(len(start), end)
    return printer


class _Call:
    """Prints as `name(arg, ..., key=value)`, wrapping like a container."""

    def __init__(self, name, *args, **kwargs):
        self.name, self.args, self.kwargs = name, args, kwargs

    def _repr_pretty_(self, p, cycle):
        first = True
        prefix = self.name + '('
        with p.group(len(prefix), prefix, ')'):
            for arg in self.args:
                if not first:
                    p.text(',')
                    p.breakable()
                first = False
                p.pretty(arg)
            for key, arg in self.kwargs.items():
                if not first:
                    p.text(',')
                    p.breakable()
                first = False
                with p.group(len(key) + 1, key + '='):
                    p.pretty(arg)


class _Raw:
    def __init__(self, text):
        self.text = text

    def _repr_pretty_(self, p, cycle):
        p.text(self.text)


class _RawString:
    def __init__(self, value):
        self.value = value

    def _repr_pretty_(self, p, cycle):
        p.text('r' + repr(self.value).replace('\\\\', '\\'))


class _ReFlags:
    def __init__(self, value):
        self.value = value

    def _repr_pretty_(self, p, cycle):
        names = [f're.{f}' for f in ('TEMPLATE', 'IGNORECASE', 'LOCALE', 'MULTILINE', 'DOTALL', 'UNICODE', 'VERBOSE', 'DEBUG')
                 if hasattr(re, f) and self.value & getattr(re, f)]
        p.text('|'.join(names))


def _pattern(obj, p, cycle):
    args = [_RawString(obj.pattern)] + ([_ReFlags(obj.flags)] if obj.flags else [])
    p.pretty(_Call('re.compile', *args))


def _namespace(obj, p, cycle):
    p.pretty(_Call('namespace', _Raw('...')) if cycle else _Call('namespace', **obj.__dict__))


def _type(obj, p, cycle):
    if [m for m in _mro(type(obj)) if '__repr__' in vars(m)][:1] != [type]:
        return _repr_lines(obj, p, cycle)
    mod = _getattr(obj, '__module__')
    name = _getattr(obj, '__qualname__')
    if not isinstance(name, str):
        name = _getattr(obj, '__name__')
        if not isinstance(name, str):
            name = '<unknown type>'
    p.text(name if mod in (None, 'builtins') else mod + '.' + name)


def _function(obj, p, cycle):
    name = _getattr(obj, '__qualname__', obj.__name__)
    mod = obj.__module__
    if mod and mod != 'builtins':
        name = mod + '.' + name
    try:
        name += str(inspect.signature(obj))
    except (ValueError, TypeError):
        pass
    p.text('<function %s>' % name)


def _exception(obj, p, cycle):
    cls = obj.__class__
    name = _getattr(cls, '__qualname__', cls.__name__)
    if cls.__module__ != 'builtins':
        name = cls.__module__ + '.' + name
    p.pretty(_Call(name, *_getattr(obj, 'args', ())))


def _ctor(render):
    def printer(obj, p, cycle):
        name = obj.__class__.__name__
        p.pretty(_Call(name, _Raw('...')) if cycle else render(name, obj))
    return printer


_BY_TYPE = {
    int: _repr_lines, float: _repr_lines, str: _repr_lines, bytes: _repr_lines, range: _repr_lines,
    slice: _repr_lines, types.MethodType: _repr_lines, datetime.datetime: _repr_lines,
    datetime.timedelta: _repr_lines,
    tuple: _seq('(', ')'), list: _seq('[', ']'), dict: _dict('{', '}'),
    set: _set('{', '}'), frozenset: _set('frozenset({', '})'),
    types.MappingProxyType: _dict('mappingproxy({', '})'),
    type(re.compile('')): _pattern, type: _type, types.SimpleNamespace: _namespace,
    types.FunctionType: _function, types.BuiltinFunctionType: _function,
    BaseException: _exception,
}
if type(os.environ) is not dict:
    _BY_TYPE[type(os.environ)] = _dict('environ{', '}')

_BY_NAME = {
    ('collections', 'defaultdict'): _ctor(lambda n, o: _Call(n, o.default_factory, dict(o))),
    ('collections', 'OrderedDict'): _ctor(lambda n, o: _Call(n, list(o.items())) if len(o) else _Call(n)),
    ('collections', 'deque'): _ctor(lambda n, o: _Call(n, list(o), maxlen=o.maxlen) if o.maxlen is not None else _Call(n, list(o))),
    ('collections', 'Counter'): _ctor(lambda n, o: _Call(n, dict(o)) if len(o) else _Call(n)),
    ('collections', 'UserList'): _ctor(lambda n, o: _Call(n, o.data)),
}


def pretty(obj, max_width=MAX_WIDTH):
    """The text IPython shows for `obj` as a cell's value."""
    out = io.StringIO()
    p = Printer(out, max_width)
    p.pretty(obj)
    p.flush()
    return out.getvalue()
