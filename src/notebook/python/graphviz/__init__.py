"""graphviz: the Python package `graphviz` (0.20.1's API: Graph, Digraph, Source, source, pipe, render,
_repr_mimebundle_ for notebooks), rendering with Graphviz compiled to WebAssembly (the npm package
@viz-js/viz) instead of the `dot` executable. The DOT text is the real package's, character for character,
for the same calls (its quoting and escaping rules, its attribute order). See docs/graphviz.md.

The quoting rules, the statement formats and the class layout follow the graphviz package by Sebastian Bank
(https://github.com/xflr6/graphviz), under its MIT licence:

    Copyright (c) 2013-2022 Sebastian Bank

    Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
    associated documentation files (the "Software"), to deal in the Software without restriction, including
    without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
    copies of the Software, and to permit persons to whom the Software is furnished to do so, subject to the
    following conditions:

    The above copyright notice and this permission notice shall be included in all copies or substantial
    portions of the Software.

    THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT
    LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO
    EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER
    IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE
    USE OR OTHER DEALINGS IN THE SOFTWARE.
"""

from .backend import DOT_BINARY, ENGINES, FORMATS, UNFLATTEN_BINARY, pipe, pipe_string, render, version, view
from .exceptions import (CalledProcessError, DotSyntaxWarning, ExecutableNotFound, FileExistsError,
                         FormatSuffixMismatchWarning, RequiredArgumentError, UnknownSuffixWarning)
from .graphs import Digraph, Graph
from .quoting import escape, nohtml
from .sources import Source

__all__ = ['ENGINES', 'FORMATS', 'DOT_BINARY', 'UNFLATTEN_BINARY', 'SUPPORTED_JUPYTER_FORMATS', 'Graph', 'Digraph',
           'Source', 'escape', 'nohtml', 'render', 'pipe', 'pipe_string', 'version', 'view', 'ExecutableNotFound',
           'CalledProcessError', 'RequiredArgumentError', 'FileExistsError', 'UnknownSuffixWarning',
           'FormatSuffixMismatchWarning', 'DotSyntaxWarning']

SUPPORTED_JUPYTER_FORMATS = {'jpeg', 'jpg', 'png', 'svg'}

__title__ = 'graphviz'
__version__ = '0.20.1'
