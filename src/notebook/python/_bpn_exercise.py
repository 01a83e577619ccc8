"""The lab's exercise runner: one submission's code in a namespace of its own.

Every run gets a fresh globals dict holding only what the exercise gives (the forward's tensors, the
parameters, Xb, Yb, n, the upstream gradients, torch, F), each wrapped from a handle the host just created
from copied bytes; nothing from an earlier run is in it. The namespace's own __import__ refuses the host's
modules (js, pyodide, the _bpn_* bridges), sys and importlib. This is no boundary (Python has none:
gc.get_objects(), closures, __subclasses__ and __globals__ reach everything, the worker's JavaScript
included); it keeps honest code honest and makes the obvious routes fail with a clear message. The boundary
is outside: the gradient asked for is never given to the runner, the runner has no storage and no network
(web/exercise-runner.ts), and the page judges the answer's copied values.
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


# ---------------------------------------------------------------------------------------------------------
# Exercise 4 in the lab: the lecture's training loop with the learner's own backward (their accepted answers,
# in the order of the lecture's exercise-4 cell), on batches and an init the host hands over as copies. The
# forward is the exercise-4 cell's (F.cross_entropy) unless an answer reads a tensor only exercise 1's
# chunked forward makes (bndiff, counts_sum_inv, ...): then that one, so every name an answer could read is
# defined. Each step runs in a fresh namespace. The host compares the losses with its own backward's.

_FORWARD_FUSED = compile('''
emb = C[Xb]
embcat = emb.view(emb.shape[0], -1)
hprebn = embcat @ W1 + b1
bnmean = hprebn.mean(0, keepdim=True)
bnvar = hprebn.var(0, keepdim=True, unbiased=True)
bnvar_inv = (bnvar + 1e-5)**-0.5
bnraw = (hprebn - bnmean) * bnvar_inv
hpreact = bngain * bnraw + bnbias
h = torch.tanh(hpreact)
logits = h @ W2 + b2
loss = F.cross_entropy(logits, Yb)
''', '<forward>', 'exec')

_CHUNKED_ONLY = frozenset(('bnmeani', 'bndiff', 'bndiff2', 'logit_maxes', 'norm_logits', 'counts', 'counts_sum', 'counts_sum_inv', 'probs', 'logprobs'))

_FORWARD_CHUNKED = compile('''
emb = C[Xb]
embcat = emb.view(emb.shape[0], -1)
hprebn = embcat @ W1 + b1
bnmeani = 1/n*hprebn.sum(0, keepdim=True)
bndiff = hprebn - bnmeani
bndiff2 = bndiff**2
bnvar = 1/(n-1)*(bndiff2).sum(0, keepdim=True)
bnvar_inv = (bnvar + 1e-5)**-0.5
bnraw = bndiff * bnvar_inv
hpreact = bngain * bnraw + bnbias
h = torch.tanh(hpreact)
logits = h @ W2 + b2
logit_maxes = logits.max(1, keepdim=True).values
norm_logits = logits - logit_maxes
counts = norm_logits.exp()
counts_sum = counts.sum(1, keepdims=True)
counts_sum_inv = counts_sum**-1
probs = counts * counts_sum_inv
logprobs = probs.log()
loss = -logprobs[range(n), Yb].mean()
''', '<forward>', 'exec')

_PARAMS = ('C', 'W1', 'b1', 'W2', 'b2', 'bngain', 'bnbias')
_train = None


def train_start(chain_json, names_json, handles_json, ints_json, x_handle, y_handle, sched_json):
    """Sets up a run: chain is [[exercise, variable, code], ...] in the order they run each step; the named
    handles are the 7 parameters (trained in place); X (steps, B, T) and Y (steps, B) hold every step's batch."""
    global _train
    import torch
    chain = _json.loads(chain_json)
    compiled = []
    for ex, var, code in chain:
        try:
            compiled.append((ex, var, compile(code, f'<{ex}>', 'exec')))
        except SyntaxError as e:
            return _json.dumps({'ok': False, 'exercise': ex, 'error': f'SyntaxError: {e.msg} (line {e.lineno})'})
    names = _json.loads(names_json)
    handles = _json.loads(handles_json)
    params = {name: torch._w(h) for name, h in zip(names, handles)}
    sched = _json.loads(sched_json)
    reads = set()
    for _, _, code in compiled:
        reads.update(code.co_names)
    chunked = bool(reads & _CHUNKED_ONLY)
    _train = {
        'forward': _FORWARD_CHUNKED if chunked else _FORWARD_FUSED, 'chain': compiled, 'params': params, 'ints': _json.loads(ints_json), 'X': torch._w(x_handle), 'Y': torch._w(y_handle),
        'step': 0, 'steps': int(sched['steps']), 'lr': float(sched['lr']), 'lr_late': float(sched['lr_late']),
        'decay': int(sched['decay_step']), 'out': None,
    }
    return _json.dumps({'ok': True, 'forward': 'chunked' if chunked else 'fused'})


def _train_error(ex, e):
    tb = _traceback.extract_tb(e.__traceback__)
    line = next((f.lineno for f in reversed(tb) if f.filename == f'<{ex}>'), None)
    msg = ''.join(_traceback.format_exception_only(type(e), e)).strip().splitlines()[-1]
    where = f' (line {line})' if line is not None else ''
    out = {'ok': False, 'exercise': ex, 'error': f'{msg}{where}', 'step': _train['step']}
    if isinstance(e, NameError) and getattr(e, 'name', '') and e.name.startswith('d'):
        out['missing'] = e.name
    return out


def train_run(budget_ms):
    """Runs steps until budget_ms have passed (at least one) or the run is done; returns JSON
    {"ok": true, "step": k, "losses": [the new steps' losses]} or {"ok": false, "exercise", "error", ...}."""
    import time
    import torch
    import torch.nn.functional as F
    t = _train
    t0 = time.perf_counter()
    losses = []
    params = t['params']
    b = dict(_builtins.__dict__)
    b['__import__'] = _guarded_import
    for k in ('open', 'input', 'breakpoint', 'exit', 'quit', 'help', 'globals', 'vars'):
        b.pop(k, None)
    while t['step'] < t['steps']:
        i = t['step']
        ns = {'__builtins__': b, '__name__': '__exercise__', 'torch': torch, 'F': F}
        ns.update(t['ints'])
        ns.update(params)
        ns['Xb'] = t['X'][i]
        ns['Yb'] = t['Y'][i]
        ex = 'forward'
        try:
            exec(t['forward'], ns)
            for ex, var, code in t['chain']:
                exec(code, ns)
                if var not in ns:
                    return _json.dumps({'ok': False, 'exercise': ex, 'error': f'your answer did not assign {var}', 'step': i})
            lr = t['lr'] if i < t['decay'] else t['lr_late']
            grads = []
            for p in _PARAMS:
                g = ns.get('d' + p)
                if not isinstance(g, torch.Tensor) or tuple(g.shape) != tuple(params[p].shape):
                    got = 'nothing' if g is None else (f'shape {list(g.shape)}' if isinstance(g, torch.Tensor) else type(g).__name__)
                    return _json.dumps({'ok': False, 'exercise': p, 'error': f'd{p} is {got}, but {p} is {list(params[p].shape)}', 'step': i})
                grads.append(g)
            loss = ns['loss'].item()
            for p, g in zip(_PARAMS, grads):
                params[p] += -lr * g  # the lecture's update: p.data += -lr * grad
        except KeyboardInterrupt:
            return _json.dumps({'ok': False, 'exercise': ex, 'error': 'KeyboardInterrupt', 'interrupted': True, 'step': i})
        except BaseException as e:  # noqa: BLE001 - the learner's code reports, never ends us
            return _json.dumps(_train_error(ex, e))
        losses.append(loss)
        t['step'] = i + 1
        if (time.perf_counter() - t0) * 1000 >= budget_ms:
            break
    return _json.dumps({'ok': True, 'step': t['step'], 'losses': losses})


def train_params():
    """The parameters as they are now: JSON [handle, ...] in _PARAMS order (contiguous copies, alive until the next call)."""
    global _train_out
    _train_out = [_train['params'][p].detach().contiguous() for p in _PARAMS]
    return _json.dumps([t._h for t in _train_out])


_train_out = None
