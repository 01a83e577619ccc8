"""Runs a notebook's cells the way IPython does, inside Pyodide.

The JS side calls `init(...)` once, then `run_cell(source, count)` per cell. Output leaves through the
`_bpn_host` JS module as it is written (streamed, partial lines and '\\r' kept); the value of a cell's last
bare expression is shown with IPython's pretty printer unless the cell ends with ';'. IPython syntax that is
not Python (`%magic` lines, `%%cell` magics, `!shell` lines) is rewritten line for line, so the line numbers
of tracebacks stay the user's. Tracebacks show only the user's frames (and the standard library's), never
this kernel's or the shim modules'.
"""

import ast
import builtins
import io
import json
import linecache
import os
import shlex
import sys
import tokenize
import traceback

from _bpn_pretty import pretty

_SITE = os.path.dirname(os.path.abspath(__file__))  # our modules live here, nothing else does
_OURS = ('torch', 'matplotlib', 'safetensors', 'graphviz', 'numpy')  # ours even while missing: the plain message is right then
_MODULES_NOTE = ('this runtime has only the Python standard library, torch (with torch.nn, torch.nn.functional, '
                 'torch.optim), numpy, matplotlib.pyplot, safetensors.torch and graphviz; packages cannot be installed')


class _Stream(io.TextIOBase):
    """sys.stdout / sys.stderr: every write goes straight to the front end, unbuffered."""

    def __init__(self, name):
        self._name = name

    @property
    def name(self):
        return f'<{self._name}>'

    @property
    def encoding(self):
        return 'utf-8'

    def writable(self):
        return True

    def isatty(self):
        return False

    def write(self, s):
        if not isinstance(s, str):
            raise TypeError(f'write() argument must be str, not {type(s).__name__}')
        if s:
            _host_write(self._name, s)
        return len(s)

    def flush(self):
        pass


_show_rich = None  # _bpn_display.show_rich, bound by init()
_bpn_host = None  # the JS side's hooks (write, result, display, names_txt_*), imported by init(): this
# module is imported before the JS modules exist, so that it can be part of the runtime's memory snapshot
# (_bpn_display, which imports _bpn_host at its top, is imported by init() too)


def _host_write(name, text):
    _bpn_host.write(name, text)


def _note(text):
    """A line of ours in the cell's output (stderr), e.g. that names.txt came from the cache."""
    sys.stderr.write(f'[backprop-ninja] {text}\n')


# -- names.txt: the lecture's data, served from the local cache (there is no network here) ----------------
_served = {}  # absolute path in the runtime -> path of the cached copy in the runtime's memory


def _cached_names():
    """The cached download copied into memory, or None: (path in the runtime, where it came from)."""
    source = _bpn_host.names_txt_source()
    if not source:
        return None
    path = '/tmp/backprop-ninja-cache/names.txt'
    if not os.path.exists(path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with _real_open(path, 'w', encoding='utf-8') as f:
            f.write(_bpn_host.names_txt_text())
    return path, source


def _serve_names(target, why):
    here = os.path.abspath(target)
    if os.path.exists(here) or here in _served:
        return True
    cached = _cached_names()
    if cached is None:
        _note(f'{target} is not in {os.getcwd()} and there is no cached download of it (no network here); '
              f'fetch it once with: npx backprop-ninja data --download')
        return False
    _served[here] = cached[0]
    _note(f'{target} is not in {os.getcwd()}: {why} the cached download {cached[1]} (no network here)')
    return True


_real_open = builtins.open


def _open(file, mode='r', *args, **kwargs):
    """open(), except that a missing names.txt (or a file a `!wget -O` named) reads the cached download."""
    if isinstance(file, (str, os.PathLike)) and not any(c in mode for c in 'wax+'):
        path = os.fspath(file)
        if isinstance(path, str):
            here = os.path.abspath(path)
            if not os.path.exists(here) and (
                    here in _served or (os.path.basename(path) == 'names.txt' and _serve_names(path, 'reading'))):
                return _real_open(_served[here], mode, *args, **kwargs)
    return _real_open(file, mode, *args, **kwargs)


def _shell(command):
    """A `!command` line. Only downloads of names.txt (wget/curl) are served, from the cache."""
    try:
        argv = shlex.split(command)
    except ValueError:
        argv = command.split()
    if argv and argv[0] in ('wget', 'curl'):
        urls = [a for a in argv[1:] if not a.startswith('-') and a.endswith('names.txt')]
        if urls:
            target = 'names.txt'
            for flag in ('-O', '-o', '--output-document', '--output'):
                if flag in argv[:-1]:
                    target = argv[argv.index(flag) + 1]
            if os.path.exists(target):
                _note(f'{target} is already in {os.getcwd()}; kept it (no download: no network here)')
            else:
                _serve_names(target, '!' + argv[0] + ' serves')
            return
    _note(f'shell commands are not run here: !{command} (only !wget/!curl of names.txt, served from the cache)')


def _magic(line):
    """A `%magic` line: accepted and ignored (there is nothing to configure), except those that matter."""
    name, _, rest = line.partition(' ')
    rest = rest.strip()
    if name in ('pip', 'conda', 'mamba', 'micromamba', 'uv'):
        _note(f'%{line}: not run: {_MODULES_NOTE}')
    elif name == 'cd' and rest:
        os.chdir(os.path.expanduser(rest))
    elif name in ('sx', 'system', 'sc'):
        _shell(rest)


_LINE_RUNNERS = ('time', 'timeit', 'prun', 'capture')  # `%time stmt`: the statement runs (once)
_PYTHON_CELL_MAGICS = ('time', 'timeit', 'prun', 'capture', 'debug', 'python', 'python3', 'memit')


def _transform(source):
    """IPython syntax -> Python, line for line. Returns (python source, note or None)."""
    try:
        ast.parse(source)
        return source, None  # plain Python: nothing to rewrite
    except SyntaxError:
        pass
    lines = source.split('\n')
    first = lines[0].strip()
    if first.startswith('%%'):
        name = first[2:].split()[0] if first[2:].split() else ''
        if name == 'writefile':
            args = first[2:].split()[1:]
            return f'_bpn_writefile({args[-1] if args else ""!r}, {"-a" in args}, {chr(10).join(lines[1:]) + chr(10)!r})', None
        if name not in _PYTHON_CELL_MAGICS:
            return '', f'cell magic %%{name} is not supported here; the cell was skipped'
        lines[0] = ''
    out = []
    for line in lines:
        stripped = line.lstrip()
        indent = line[: len(line) - len(stripped)]
        if stripped.startswith('!'):
            line = f'{indent}_bpn_shell({stripped[1:].strip()!r})'
        elif stripped.startswith('%') and not stripped.startswith('%%'):
            body = stripped[1:].strip()
            name, _, rest = body.partition(' ')
            if name in _LINE_RUNNERS and rest.strip() and not rest.strip().startswith('-'):
                line = indent + rest.strip()
            else:
                line = f'{indent}_bpn_magic({body!r})'
        out.append(line)
    return '\n'.join(out), None


def _writefile(name, append, text):
    with _real_open(name, 'a' if append else 'w', encoding='utf-8') as f:
        f.write(text)
    print(('Appending to ' if append else 'Writing ') + name)


def _ends_with_semicolon(source):
    last = None
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type not in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.ENDMARKER,
                                tokenize.INDENT, tokenize.DEDENT):
                last = tok
    except (tokenize.TokenError, SyntaxError):
        return False
    return last is not None and last.type == tokenize.OP and last.string == ';'


# -- errors ------------------------------------------------------------------------------------------------
def _ours(filename):
    return filename.startswith(_SITE + os.sep)


def _trim(te):
    """Drops our frames from a TracebackException and the exceptions chained to it."""
    seen = set()
    stack = [te]
    while stack:
        t = stack.pop()
        if id(t) in seen:
            continue
        seen.add(id(t))
        t.stack = traceback.StackSummary.from_list([f for f in t.stack if not _ours(f.filename)])
        for nxt in (t.__cause__, t.__context__):
            if nxt is not None:
                stack.append(nxt)
        stack.extend(getattr(t, 'exceptions', None) or [])


def _explain_import(e):
    """`import numpy`: say what this runtime has instead of only 'No module named'."""
    if isinstance(e, ModuleNotFoundError) and e.name:
        top = e.name.split('.')[0]
        if top not in sys.stdlib_module_names and top not in _OURS and not os.path.exists(os.path.join(_SITE, top)) \
                and not os.path.exists(os.path.join(_SITE, top + '.py')):
            e.msg = f"No module named '{e.name}': {_MODULES_NOTE}"
            e.args = (e.msg,)


def _error(e, cell_name):
    _explain_import(e)
    te = traceback.TracebackException(type(e), e, e.__traceback__, compact=True)
    _trim(te)
    lines = ''.join(te.format()).rstrip('\n').split('\n')
    line = None  # the line of this cell where it stopped (its outermost frame; a call may go deeper)
    tb = e.__traceback__
    while tb is not None and line is None:
        if tb.tb_frame.f_code.co_filename == cell_name:
            line = tb.tb_lineno
        tb = tb.tb_next
    if line is None and isinstance(e, SyntaxError) and e.filename == cell_name:
        line = e.lineno
    return {
        'status': 'error',
        'ename': type(e).__name__,
        'evalue': str(e),
        'traceback': lines,
        'where': line,
        'interrupted': isinstance(e, KeyboardInterrupt),
    }


# -- cells -------------------------------------------------------------------------------------------------
_ns = sys.modules['__main__'].__dict__


def run_cell(source, count):
    """Runs one cell in __main__'s namespace. Returns JSON: {"status": "ok"} or the error's fields."""
    name = f'<cell {count}>'
    linecache.cache[name] = (len(source), None, source.splitlines(True), name)
    try:
        code, skipped = _transform(source)
        if skipped:
            _note(skipped)
            return json.dumps({'status': 'ok'})
        try:
            tree = ast.parse(code, name)
        except SyntaxError as e:
            e.__traceback__ = None  # the user's code did not run: no frames, as CPython shows it
            raise
        last = None
        if tree.body and isinstance(tree.body[-1], ast.Expr) and not _ends_with_semicolon(code):
            last = ast.Expression(tree.body.pop().value)
        exec(compile(tree, name, 'exec', dont_inherit=True), _ns)
        if last is not None:
            value = eval(compile(last, name, 'eval', dont_inherit=True), _ns)
            if value is not None:
                _ns['_'] = value
                if not _show_rich(value):  # a graphviz graph: its SVG, as Jupyter shows it
                    _bpn_host.result(count, pretty(value))
        _show_figures()
        return json.dumps({'status': 'ok'})
    except BaseException as e:  # KeyboardInterrupt and SystemExit too: they end the cell, not the kernel
        result = json.dumps(_error(e, name))
        e.__traceback__ = None
        try:
            _show_figures()
        except Exception:
            pass
        torch = sys.modules.get('torch')
        if torch is not None and hasattr(torch, '_flush_dead'):
            torch._flush_dead()  # the tensors the cell dropped: their memory back now, not at the next call
        return result


def _show_figures():
    """The inline backend's end of cell: figures the cell drew but did not show() are shown now."""
    plt = sys.modules.get('matplotlib.pyplot')
    flush = getattr(plt, '_flush_open_figures', None)
    if flush is not None:
        flush()


def _input(prompt=''):
    raise EOFError('input(): a notebook run here has no keyboard input; set the value in the cell instead')


def init(cwd):
    """Once, before the first cell: streams, builtins of IPython's, the working directory."""
    global _bpn_host, _host_write, _show_rich
    import _bpn_host
    from _bpn_display import display, show_rich  # it needs _bpn_host too
    _show_rich = show_rich
    _host_write = _bpn_host.write
    sys.stdout = _Stream('stdout')
    sys.stderr = _Stream('stderr')
    builtins.open = _open
    io.open = _open  # pathlib's Path.open / read_text
    builtins.display = display
    builtins.input = _input
    builtins._bpn_shell = _shell
    builtins._bpn_magic = _magic
    builtins._bpn_writefile = _writefile
    if cwd:
        os.chdir(cwd)
    _ns['__name__'] = '__main__'
    return sys.version.split()[0]


def seed(n):
    """`torch.manual_seed(n)` when the torch module is there; False when it is not."""
    try:
        import torch
    except ImportError:
        return False
    torch.manual_seed(n)
    return True
