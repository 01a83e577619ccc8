"""Quote strings to be valid DOT identifiers, assemble quoted attribute lists: graphviz 0.20.1's rules,
so that the DOT text is the real package's for the same calls."""

import re
import warnings

from . import _tools
from .exceptions import DotSyntaxWarning

__all__ = ['quote', 'quote_edge', 'a_list', 'attr_list', 'escape', 'nohtml']

HTML_STRING = re.compile(r'<.*>$', re.DOTALL)

ID = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*|-?(\.[0-9]+|[0-9]+(\.[0-9]*)?))$')

KEYWORDS = {'node', 'edge', 'graph', 'digraph', 'subgraph', 'strict'}

FINAL_ODD_BACKSLASHES = re.compile(r'(?<!\\)(?:\\{2})*\\$')

QUOTE_WITH_OPTIONAL_BACKSLASHES = re.compile(r'''
                                            (?P<escaped_backslashes>(?:\\{2})*)
                                            \\?  # treat \" same as "
                                            (?P<literal_quote>")
                                            ''', flags=re.VERBOSE)


def _escape_unescaped_quotes(s):
    return QUOTE_WITH_OPTIONAL_BACKSLASHES.sub(r'\g<escaped_backslashes>\\\g<literal_quote>', s)


class NoHtml(str):
    """String subclass that does not treat '<...>' as a DOT HTML string."""

    __slots__ = ()


def quote(identifier):
    """The DOT identifier for a string, quoted when needed."""
    if HTML_STRING.match(identifier) and not isinstance(identifier, NoHtml):
        pass
    elif not ID.match(identifier) or identifier.lower() in KEYWORDS:
        if FINAL_ODD_BACKSLASHES.search(identifier):
            warnings.warn(f'expect syntax error scanning invalid quoted string: {identifier!r}',
                          category=DotSyntaxWarning)
        return f'"{_escape_unescaped_quotes(identifier)}"'
    return identifier


def quote_edge(identifier):
    """An edge statement's node id, quoted when needed ('node:port:compass' keeps its parts)."""
    node, _, rest = identifier.partition(':')
    parts = [quote(node)]
    if rest:
        port, _, compass = rest.partition(':')
        parts.append(quote(port))
        if compass:
            parts.append(compass)
    return ':'.join(parts)


def a_list(label=None, kwargs=None, attributes=None):
    result = [f'label={quote(label)}'] if label is not None else []
    if kwargs:
        result += [f'{quote(k)}={quote(v)}' for k, v in _tools.mapping_items(kwargs) if v is not None]
    if attributes:
        if hasattr(attributes, 'items'):
            attributes = _tools.mapping_items(attributes)
        result += [f'{quote(k)}={quote(v)}' for k, v in attributes if v is not None]
    return ' '.join(result)


def attr_list(label=None, kwargs=None, attributes=None):
    content = a_list(label, kwargs=kwargs, attributes=attributes)
    if not content:
        return ''
    return f' [{content}]'


def escape(s):
    """s with backslashes and '<...>' taken literally."""
    return nohtml(s.replace('\\', '\\\\'))


def nohtml(s):
    """s with a leading '<' and trailing '>' taken literally (not a DOT HTML string)."""
    return NoHtml(s)


class Quote:
    """The quoting functions as static methods of the graph classes."""

    _quote = staticmethod(quote)
    _quote_edge = staticmethod(quote_edge)
    _a_list = staticmethod(a_list)
    _attr_list = staticmethod(attr_list)
