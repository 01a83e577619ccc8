"""Runs a notebook's cells the way IPython does, inside Pyodide.

The JS side calls `init(...)` once, then `run_cell(source, count)` per cell. Output leaves through the
`_bpn_host` JS module as it is written (streamed, partial lines and '\\r' kept); the value of a cell's last
bare expression is shown with IPython's pretty printer unless the cell ends with ';'. IPython syntax that is
not Python (`%magic` lines, `%%cell` magics, `!shell` lines) is rewritten line for line, so the line numbers
of tracebacks stay the user's. Tracebacks show only the user's frames (and the standard library's), never
this kernel's or the shim modules'.

The kernel never lets the cell's objects break it: an exception whose __str__ raises, a Ctrl-C that lands
while a traceback is being formatted, a traceback a million frames deep, a print of a gigabyte all end as the
cell's outcome (or its streamed output), never as an error of the runtime.
"""

import ast
import builtins
import io
import json
import linecache
import os
import random
import shlex
import signal
import sys
import tokenize
import traceback

from _bpn_pretty import pretty

_SITE = os.path.dirname(os.path.abspath(__file__))  # our modules live here, nothing else does
_OURS = ('torch', 'matplotlib', 'safetensors', 'graphviz', 'numpy')  # ours even while missing: the plain message is right then
_MODULES_NOTE = ('this runtime has only the Python standard library, torch (with torch.nn, torch.nn.functional, '
                 'torch.optim), numpy, matplotlib.pyplot, safetensors.torch and graphviz; packages cannot be installed')


_CHUNK = 1 << 20  # characters handed to the host at a time


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
        # in pieces: a JS string has a maximum length (~512 MiB), and the host meters what it is handed
        for i in range(0, len(s), _CHUNK):
            _host_write(self._name, s[i:i + _CHUNK])
        return len(s)

    def flush(self):
        pass


_rich_svg = None  # _bpn_display.rich_svg, bound by init()
_bpn_host = None  # the JS side's hooks (write, result, display, names_txt, interrupt_later), imported by init(): this
# module is imported before the JS modules exist, so that it can be part of the runtime's memory snapshot
# (_bpn_display, which imports _bpn_host at its top, is imported by init() too)


def _host_write(name, text):
    _bpn_host.write(name, text)


def _note(text):
    """A line of ours in the cell's output (stderr), e.g. that names.txt came from the cache."""
    sys.stderr.write(f'[backprop-ninja] {text}\n')


# -- names.txt: the lecture's data, served from the local cache (there is no network here) ----------------
# The host hands over only a copy it checked (the lecture's file, by sha256) and puts it where only this
# runtime sees it (never a shared place of the host's file system): names_txt() returns JSON, {"path": ...,
# "source": "the cached download /home/..."} or {"problem": "..."} (why the cached copy is not used) or {}.
_served = {}  # absolute path the program named -> path of the served copy
_names = None


def _names_txt():
    global _names
    if _names is None:
        _names = json.loads(_bpn_host.names_txt())
    return _names


def _serve_names(target, why):
    here = os.path.abspath(target)
    if here in _served:
        return True
    if os.path.lexists(here):  # there (or a link that is): the program reads it, or gets its real error
        return False
    names = _names_txt()
    if 'path' not in names:
        problem = names.get('problem') or 'there is no cached download of it (no network here)'
        _note(f'{target} is not in {os.path.dirname(here)} and {problem}; fetch it once with: '
              f'npx backprop-ninja data --download')
        return False
    _served[here] = names['path']
    _note(f'{target} is not in {os.path.dirname(here)}: {why} {names["source"]} (no network here)')
    return True


_real_open = builtins.open


def _open(file, mode='r', *args, **kwargs):
    """open(), except that a missing names.txt (or a file a `!wget -O` named) reads the cached download."""
    if isinstance(file, (str, os.PathLike)) and isinstance(mode, str) and not any(c in mode for c in 'wax+'):
        try:
            path = os.fspath(file)
        except Exception:  # noqa: BLE001 - a broken __fspath__: open() reports it
            path = None
        if isinstance(path, str) and '\0' not in path:
            here = os.path.abspath(path)
            if here in _served or (os.path.basename(path) == 'names.txt' and _serve_names(path, 'reading')):
                if not os.path.lexists(here):
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
            if os.path.lexists(target):
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
        print(os.getcwd())
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
            try:
                args = shlex.split(first[2:])[1:]
            except ValueError:
                args = first[2:].split()[1:]
            append = '-a' in args or '--append' in args
            names = [a for a in args if a not in ('-a', '--append')]
            if len(names) != 1:
                return '_bpn_writefile(None, False, "")', None
            return f'_bpn_writefile({names[0]!r}, {append}, {chr(10).join(lines[1:]) + chr(10)!r})', None
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


class UsageError(Exception):
    """IPython's error for a magic used wrongly."""


def _writefile(name, append, text):
    """%%writefile [-a] FILE: the cell's text into FILE (~ expanded), the host's file, as IPython does."""
    if name is None:
        raise UsageError('%%writefile needs one file name: %%writefile [-a] FILE')
    path = os.path.expanduser(name)
    verb = ('Appending to ' if append else 'Overwriting ') if os.path.exists(path) else 'Writing '
    with _real_open(path, 'a' if append else 'w', encoding='utf-8') as f:
        f.write(text)
    print(verb + name)


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
    """Our modules' frames, and the JavaScript frames Pyodide adds for an error raised in JS (the tensor
    library's: `file:///.../torch-binding.js` in Node, `http://...` or `blob:` in a page), which a PyTorch
    user never sees: PyTorch's own C++ leaves no frame in a Python traceback."""
    return isinstance(filename, str) and (filename.startswith(_SITE + os.sep) or filename.endswith(('.js', '.mjs'))
                                          or filename.startswith(('file://', 'http://', 'https://', 'blob:')))


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
    name = getattr(e, 'name', None)
    if isinstance(e, ModuleNotFoundError) and isinstance(name, str) and name:
        top = name.split('.')[0]
        if top not in sys.stdlib_module_names and top not in _OURS and not os.path.exists(os.path.join(_SITE, top)) \
                and not os.path.exists(os.path.join(_SITE, top + '.py')):
            e.msg = f"No module named '{name}': {_MODULES_NOTE}"
            e.args = (e.msg,)


def _safe_str(e):
    """str(e), or what CPython's traceback prints when that raises."""
    try:
        text = str(e)
    except BaseException:  # noqa: BLE001 - the object's own __str__, whatever it raises (KeyboardInterrupt included)
        return '<exception str() failed>'
    return text if type(text) is str else '<exception str() failed>'


def _traceback_limit():
    """How many entries CPython prints (the most recent ones): sys.tracebacklimit, else 1000."""
    limit = getattr(sys, 'tracebacklimit', 1000)
    return limit if type(limit) is int else 1000


def _exit_status(e):
    """`sys.exit(code)` as CPython's interpreter ends on it: (status, text to print on stderr or None)."""
    code = e.code
    if code is None:
        return 0, None
    if isinstance(code, int):
        if -2**63 <= code < 2**63:
            return int(code) & 0xFF, None  # C's (int)long, then the OS keeps the low 8 bits
        return 1, _safe_str(code)
    return 1, _safe_str(code)


def _error(e, cell_name):
    _explain_import(e)
    limit = _traceback_limit()
    te = traceback.TracebackException(type(e), e, e.__traceback__, compact=True, limit=-limit if limit > 0 else 0)
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
    out = {
        'status': 'error',
        'ename': type(e).__name__,
        'evalue': _safe_str(e),
        'traceback': lines,
        'where': line if type(line) is int else None,
        'interrupted': isinstance(e, KeyboardInterrupt),
    }
    if isinstance(e, SystemExit):
        out['exit_status'], out['exit_message'] = _exit_status(e)
    return out


def _fallback(e):
    """The outcome when formatting the error failed too (a second Ctrl-C in the middle of it): names only."""
    name = type(e).__name__
    return json.dumps({'status': 'error', 'ename': name, 'evalue': '', 'traceback': [name], 'where': None,
                       'interrupted': isinstance(e, KeyboardInterrupt)})


# Ctrl-C reaches Python as SIGINT (Pyodide's interrupt buffer) and raises KeyboardInterrupt, except while the
# kernel does its own bookkeeping around a cell (_quiet): one that lands while the kernel prepares the cell
# waits for the cell's code to start, and one that lands while the kernel reports an ended cell is dropped
# (it was meant for that cell). So the bookkeeping is never cut in the middle (a traceback half formatted, a
# result half sent). Code run by other entry points (the lab's exercise runner) is interrupted as always.
_quiet = False
_pending = False


def _on_sigint(signum, frame):
    global _pending
    if _quiet:
        _pending = True
        return
    f = frame
    while f is not None:
        if f.f_code.co_name == '__del__':
            # raised in a finalizer (a tensor freed mid-loop) it would be printed as "Exception ignored" and
            # lost: ask again through the interrupt buffer, which the runtime reads every 50 checks of the
            # eval loop, so it lands after the finalizer (or in another one, and is asked for again).
            # _thread.interrupt_main would trip the signal at once: the next call in this handler runs the
            # handler again, a recursion whose RecursionError is ignored the same way.
            if _bpn_host.interrupt_later():
                return
            break
        f = f.f_back
    raise KeyboardInterrupt


# -- cells -------------------------------------------------------------------------------------------------
_ns = sys.modules['__main__'].__dict__


def run_cell(source, count):
    """Runs one cell in __main__'s namespace. Returns JSON: {"status": "ok"} or the error's fields."""
    global _quiet, _pending
    _quiet = True
    try:
        return _run_cell(source, count)
    except BaseException as e:  # noqa: BLE001 - an interrupt in the kernel's own bookkeeping: the cell still ends
        return _fallback(e)
    finally:
        _flush_tensors()
        _quiet = False
        _pending = False  # a Ctrl-C that came while this cell was reported was meant for it


def _run_cell(source, count):
    global _quiet
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
        compiled = compile(tree, name, 'exec', dont_inherit=True)
        _quiet = False
        if _pending:
            raise KeyboardInterrupt
        exec(compiled, _ns)
        if last is not None:
            value = eval(compile(last, name, 'eval', dont_inherit=True), _ns)
            if value is not None:
                _ns['_'] = value
                svg = _rich_svg(value)  # a graphviz graph: its SVG in the result's bundle, as Jupyter shows it
                _bpn_host.result(count, pretty(value), '' if svg is None else json.dumps({'image/svg+xml': svg}))
        _show_figures()
        _quiet = True
        return json.dumps({'status': 'ok'})
    except BaseException as e:  # KeyboardInterrupt and SystemExit too: they end the cell, not the kernel
        _quiet = True  # first: from here on a Ctrl-C is held, not raised in the middle of the report
        err = e
    try:
        result = json.dumps(_error(err, name))
    except BaseException:  # noqa: BLE001 - a hostile object defeated the formatting: names only
        result = _fallback(err)
    err.__traceback__ = None
    del err
    _quiet = False  # the figures a failed cell drew are its own work: Ctrl-C may stop them
    try:
        _show_figures()
    except BaseException:  # noqa: BLE001 - the cell has already failed; its figures are best effort
        pass
    finally:
        _quiet = True
    return result


def _flush_tensors():
    """The tensors the cell dropped: their memory back now, not at the next call."""
    torch = sys.modules.get('torch')
    flush = getattr(torch, '_flush_dead', None)
    if flush is not None:
        try:
            flush()
        except Exception:  # noqa: BLE001 - freeing is the library's; a failure there is not the cell's
            pass


def _show_figures():
    """The inline backend's end of cell: figures the cell drew but did not show() are shown now."""
    plt = sys.modules.get('matplotlib.pyplot')
    flush = getattr(plt, '_flush_open_figures', None)
    if flush is not None:
        flush()


def _input(prompt=''):
    raise EOFError('input(): a notebook run here has no keyboard input; set the value in the cell instead')


_max_recursion = None  # the deepest recursion limit this host's stack can take (None: no cap)
_real_setrecursionlimit = sys.setrecursionlimit


def _setrecursionlimit(limit):
    """sys.setrecursionlimit, capped where a deeper Python would overflow the host's stack.

    WebAssembly frames live on the JS engine's stack, which Python's own stack check does not see; past the
    cap a deep recursion would end the runtime instead of raising RecursionError. Above the cap the limit
    is the cap, with one note."""
    if type(limit) is int and _max_recursion is not None and limit > _max_recursion:
        _note(f'sys.setrecursionlimit({limit}): this runtime\'s stack allows at most {_max_recursion}; '
              f'the limit is {_max_recursion} (deeper recursion raises RecursionError)')
        limit = _max_recursion
    _real_setrecursionlimit(limit)


def _umask(mask, /):
    """os.umask where the host keeps the mask (_bpn_umask: Node's worker applies it to every file created)."""
    if not isinstance(mask, int):
        raise TypeError(f"'{type(mask).__name__}' object cannot be interpreted as an integer")
    import _bpn_umask
    return _bpn_umask.swap(mask & 0o777)


_run_seed = None


def run_seed():
    """The run's --seed (an int), or None when the run was not seeded: numpy's global generator seeds from it."""
    return _run_seed


def _reseed():
    """A fresh start draws new entropy, as CPython does at each start: the memory snapshot froze the state
    `random` had when the snapshot was made. (str hashes stay those of the snapshot: see init.)"""
    random.seed()


def init(config):
    """Once, before the first cell: streams, builtins of IPython's, the working directory, the environment.

    config (JSON): cwd (the cells' working directory, '' to keep), env (the environment os.environ shows;
    absent: the runtime's own), max_recursion (the cap of sys.setrecursionlimit; absent: none)."""
    global _bpn_host, _host_write, _max_recursion, _rich_svg
    import _bpn_host
    from _bpn_display import display, rich_svg  # it needs _bpn_host too
    import _bpn_errno
    _rich_svg = rich_svg
    opts = json.loads(config) if config.startswith('{') else {'cwd': config}
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
    _bpn_errno.install()
    try:
        import _bpn_umask  # noqa: F401 - the host applies a umask to the files the program creates
        os.umask = _umask
    except ImportError:
        pass
    try:
        signal.signal(signal.SIGINT, _on_sigint)
    except (ValueError, OSError):  # no signals in this host: Ctrl-C is then the runtime's default
        pass
    env = opts.get('env')
    if isinstance(env, dict):
        for k in list(os.environ):
            del os.environ[k]
        for k, v in env.items():
            if isinstance(k, str) and isinstance(v, str) and k and '=' not in k and '\0' not in k + v:
                os.environ[k] = v
    cap = opts.get('max_recursion')
    if type(cap) is int and cap > 0:
        _max_recursion = cap
        sys.setrecursionlimit = _setrecursionlimit
    _reseed()
    if opts.get('cwd'):
        os.chdir(opts['cwd'])
    _ns['__name__'] = '__main__'
    _ns.pop('_pyodide_core', None)  # Pyodide's, not the program's: __main__ starts as CPython's does
    return sys.version.split()[0]


def seed(n):
    """--seed N: Python's `random` and torch's default generator, as `random.seed(N); torch.manual_seed(N)`
    (and numpy's global generator, which asks run_seed() when it is imported). True when torch was seeded."""
    global _run_seed
    _run_seed = n
    random.seed(n)
    try:
        import torch
    except ImportError:
        return False
    torch.manual_seed(n)
    return True
