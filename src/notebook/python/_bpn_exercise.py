"""The lab's exercise runner: one submission's code in a namespace of its own.

Every run gets a fresh globals dict holding only what the exercise gives (the forward's tensors, the
parameters, Xb, Yb, n, the upstream gradients, torch, F), each wrapped from a handle the host just created
from copied bytes; nothing from an earlier run is in it. The namespace's own __import__ refuses the host's
modules (js, pyodide, the _bpn_* bridges), sys and importlib. This is not a sandbox (Python has none): the
verdict is computed by the page from the answer's bytes, and the page never hands a runner the gradient an
exercise asks for (see web/exercise-runner.ts); the import guard keeps honest code honest and makes the
obvious routes to the worker fail with a clear message.
"""
import builtins as _builtins
import json as _json
import traceback as _traceback

_BLOCKED = ('js', 'pyodide', 'pyodide_js', '_pyodide', 'sys', 'importlib', 'builtins', 'ctypes', 'gc', 'inspect', 'os', 'posix', 'subprocess', 'threading', '_thread')
_real_import = _builtins.__import__


def _blocked(name):
    top = name.split('.')[0]
    return top in _BLOCKED or top.startswith('_bpn') or top.startswith('pyodide') or top.startswith('_pyodide')


def _guarded_import(name, globals=None, locals=None, fromlist=(), level=0):
    if level != 0 or _blocked(name):
        raise ImportError(f'import {name} is not available in an exercise: the exercise gives torch and F')
    return _real_import(name, globals, locals, fromlist, level)


def _namespace(names, handles, ints):
    import torch
    import torch.nn.functional as F
    b = dict(_builtins.__dict__)
    b['__import__'] = _guarded_import
    for k in ('open', 'input', 'breakpoint', 'exit', 'quit', 'help', 'globals', 'vars'):
        b.pop(k, None)
    ns = {'__builtins__': b, '__name__': '__exercise__', 'torch': torch, 'F': F}
    for name, h in zip(names, handles):
        ns[name] = torch._w(h)
    ns.update(ints)
    return ns


def warm():
    """Imports torch and F now, so the first submission does not pay for it."""
    import torch
    import torch.nn.functional  # noqa: F401
    return True


def run(code, variable, names_json, handles_json, ints_json):
    """Runs code; returns JSON: {"ok": true, "handle": h} (the answer, contiguous, alive until the next run)
    or {"ok": false, "error": "..."} with the traceback's last lines, our frames left out."""
    import torch
    names = _json.loads(names_json)
    handles = _json.loads(handles_json)
    ints = _json.loads(ints_json)
    ns = _namespace(names, handles, ints)
    try:
        exec(compile(code, '<exercise>', 'exec'), ns)
    except KeyboardInterrupt:
        return _json.dumps({'ok': False, 'error': 'KeyboardInterrupt', 'interrupted': True})
    except BaseException as e:  # noqa: BLE001 - SystemExit included: the learner's code reports, never ends us
        tb = _traceback.extract_tb(e.__traceback__)
        line = next((f.lineno for f in reversed(tb) if f.filename == '<exercise>'), None)
        if isinstance(e, SyntaxError):
            line = e.lineno
        where = f' (line {line})' if line is not None else ''
        msg = ''.join(_traceback.format_exception_only(type(e), e)).strip().splitlines()[-1]
        return _json.dumps({'ok': False, 'error': f'{msg}{where}'})
    if variable not in ns:
        return _json.dumps({'ok': False, 'error': f'your code did not assign {variable}'})
    val = ns[variable]
    if not isinstance(val, torch.Tensor):
        return _json.dumps({'ok': False, 'error': f'{variable} is not a tensor (got {type(val).__name__})'})
    global _last
    _last = val.detach().contiguous()  # kept alive until the next run, while the host copies its values
    return _json.dumps({'ok': True, 'handle': _last._h})


_last = None
