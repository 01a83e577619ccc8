"""OSError numbers and messages as CPython on Linux reports them, not as Pyodide's C library does.

Pyodide's C library (Emscripten's musl) has its own errno numbering: a missing file is errno 44, and
`open('x')` would say `[Errno 44] No such file or directory: 'x'`. CPython on Linux says `[Errno 2] ...`, and
so do we: `install()` (called by the kernel's init, every start)

- renumbers every OSError when it is raised out of a call into C (open, os.listdir, os.stat, os.remove, ...):
  a `sys.monitoring` RAISE callback sees each exception in the first Python frame it reaches, before any
  `except` clause runs, and sets `errno`, `strerror` and `args` to Linux's number and glibc's message (by
  errno name, from _bpn_errno_table.py, recorded from Debian's CPython). An OSError raised by a `raise`
  statement is the program's own and keeps its numbers; an exception is renumbered once (a mark in its
  __dict__), however many frames it then unwinds through;
- sets the `errno` module's constants, `errno.errorcode` and `os.strerror` to Linux's, and the copies that
  already-imported modules took (`from errno import ENOENT`), so `e.errno == errno.ENOENT` holds as in CPython.

What is left: `OSError(2, 'x')` built by a program as the base class picks its subclass from the C library's
numbering (PermissionError: 2 is EACCES there), since that table lives in the interpreter's C code; raising
the subclass itself (`FileNotFoundError(errno.ENOENT, ...)`) is unaffected.
"""

import errno as _errno
import opcode as _opcode
import os as _os
import sys as _sys

from _bpn_errno_table import ERRORCODE, LINUX

TOOL_ID = 4  # sys.monitoring ids 0-2 and 5 are named (debugger, coverage, profiler, optimizer); 3 and 4 are free
_MARK = '_bpn_errno_linux'  # in an OSError's __dict__: its numbers are final
_RAISE_VARARGS = _opcode.opmap['RAISE_VARARGS']

_c_strerror = _os.strerror
_FROM_C = {}  # the C library's number -> (Linux's number, the C library's message, glibc's message)
for _name, (_num, _msg) in LINUX.items():
    _c = getattr(_errno, _name, None)
    if isinstance(_c, int) and _c not in _FROM_C:
        _FROM_C[_c] = (_num, _c_strerror(_c), _msg)
_MESSAGES = {num: msg for num, msg in LINUX.values()}
del _name, _num, _msg, _c


def linux(exc):
    """Renumbers one OSError raised by the C library, in place (idempotent: marks it)."""
    d = exc.__dict__
    if d.get(_MARK):
        return exc
    d[_MARK] = True
    code = exc.errno
    if type(code) is int and code in _FROM_C:
        num, c_msg, msg = _FROM_C[code]
        exc.errno = num
        if exc.strerror == c_msg:
            exc.strerror = msg
        args = exc.args
        if len(args) >= 2 and args[0] == code:
            exc.args = (num, exc.strerror) + tuple(args[2:])
    return exc


def _on_raise(code, offset, exc):
    if isinstance(exc, OSError):
        try:
            if not exc.__dict__.get(_MARK):
                if code.co_code[offset] == _RAISE_VARARGS:
                    exc.__dict__[_MARK] = True  # `raise OSError(...)`: the program's own numbers
                else:
                    linux(exc)
        except Exception:  # noqa: BLE001 - a hostile subclass must not replace the exception being raised
            pass


def strerror(code):
    """os.strerror with Linux's numbers and glibc's words."""
    msg = _MESSAGES.get(code)
    if msg is not None:
        return msg
    if not isinstance(code, int):
        return _c_strerror(code)  # its TypeError, word for word
    return f'Unknown error {code}'


_installed = False


def install():
    """Once per interpreter start (the kernel's init)."""
    global _installed
    if _installed:
        return
    _installed = True
    c_values = {}
    for name, (num, _) in LINUX.items():
        c = getattr(_errno, name, None)
        if isinstance(c, int):
            c_values[name] = c
            setattr(_errno, name, num)
    _errno.errorcode.clear()
    _errno.errorcode.update(ERRORCODE)
    _os.strerror = strerror
    for mod in list(_sys.modules.values()):
        ns = getattr(mod, '__dict__', None)
        if mod is _errno or not isinstance(ns, dict):
            continue
        for name, c in c_values.items():
            v = ns.get(name)
            if type(v) is int and v == c:
                ns[name] = LINUX[name][0]
    mon = _sys.monitoring
    mon.use_tool_id(TOOL_ID, 'backprop-ninja errno')
    mon.register_callback(TOOL_ID, mon.events.RAISE, _on_raise)
    mon.set_events(TOOL_ID, mon.get_events(TOOL_ID) | mon.events.RAISE)
