#!/usr/bin/python3
"""Golden fixture for the project-written notebooks (test/notebooks/*.py, test/notebook/api.test.ts).

Regenerate (from the repo root) with Debian's python3 and its python3-torch:

    /usr/bin/python3 scripts/make_notebook_fixture.py     # writes test/fixtures/notebook-golden.json

Each notebook is a percent-format .py file. It is split into cells exactly as the `notebook` command splits
it (src/notebook/nbformat.ts, parsePy: a `# %%` line starts a cell; text before the first mark is a cell when
it has a non-blank line; `# %% [markdown]` cells are not run; a cell is keyed by its index, with its title (the text after `# %%`)
and the sha256 of its source so the test sees a stale fixture). The cells run in order in one namespace per
file, in a fresh empty working directory, with stdout captured per cell. A cell that raises is recorded, as
the test's side records it, by the harness line `ExceptionType: first line of the message` after its output,
and the run goes on (the notebooks catch their expected errors inside the cells; this is the fallback).

Debian has no python3-safetensors: the reference side gets `safetensors.torch` (save_file, load_file) from a
few lines below that follow the format's specification (8-byte little-endian header length, a JSON header of
dtype/shape/data_offsets sorted by name, the raw little-endian bytes), so the round trip prints what a correct
implementation prints.

The run is deterministic (the notebooks seed every generator they use; one thread): the same bytes each time.
"""

import contextlib
import hashlib
import io
import json
import os
import re
import sys
import tempfile

import torch

torch.set_num_threads(1)
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
NOTEBOOKS = os.path.join(ROOT, 'test', 'notebooks')
OUT = os.path.join(ROOT, 'test', 'fixtures', 'notebook-golden.json')
CELL_MARK = re.compile(r'^# ?%%(.*)$')


def cells(text):
    """[(title, kind, source)] as parsePy splits a percent-format file."""
    chunks = [['code', False, '', []]]
    for line in text.replace('\r\n', '\n').split('\n'):
        m = CELL_MARK.match(line)
        if m:
            kind = 'markdown' if re.match(r'^\s*\[markdown\]', m.group(1)) else 'code'
            chunks.append([kind, True, m.group(1).strip(), []])
        else:
            chunks[-1][3].append(line)
    out = []
    for kind, marked, title, lines in chunks:
        if not marked and not any(l.strip() for l in lines):
            continue
        while lines and not lines[0].strip():
            lines = lines[1:]
        while lines and not lines[-1].strip():
            lines = lines[:-1]
        out.append((title, kind, '\n'.join(lines)))
    return out


def install_safetensors():
    """A minimal safetensors.torch for the reference run (see the module docstring)."""
    import json as _json
    import struct
    import types

    names = {torch.float32: 'F32', torch.float64: 'F64', torch.int64: 'I64', torch.int32: 'I32', torch.bool: 'BOOL'}
    dtypes = {v: k for k, v in names.items()}

    def save_file(tensors, filename, metadata=None):
        header, blobs, off = {}, [], 0
        for k in sorted(tensors):
            t = tensors[k].detach().contiguous()
            b = t.numpy().tobytes()
            header[k] = {'dtype': names[t.dtype], 'shape': list(t.shape), 'data_offsets': [off, off + len(b)]}
            blobs.append(b)
            off += len(b)
        if metadata is not None:
            header['__metadata__'] = metadata
        h = _json.dumps(header, separators=(',', ':')).encode()
        h += b' ' * (-len(h) % 8)
        with open(filename, 'wb') as f:
            f.write(struct.pack('<Q', len(h)) + h + b''.join(blobs))

    def load_file(filename, device='cpu'):
        raw = open(filename, 'rb').read()
        (n,) = struct.unpack('<Q', raw[:8])
        header = _json.loads(raw[8:8 + n])
        out = {}
        for k, v in header.items():
            if k == '__metadata__':
                continue
            a, b = v['data_offsets']
            buf = bytearray(raw[8 + n + a:8 + n + b])
            t = torch.frombuffer(buf, dtype=dtypes[v['dtype']]) if b > a else torch.empty(0, dtype=dtypes[v['dtype']])
            out[k] = t.reshape(v['shape']).clone()
        return out

    pkg = types.ModuleType('safetensors')
    mod = types.ModuleType('safetensors.torch')
    mod.save_file, mod.load_file = save_file, load_file
    pkg.torch = mod
    sys.modules['safetensors'] = pkg
    sys.modules['safetensors.torch'] = mod


def harness_line(e):
    """The line both sides print for an exception that escapes a cell."""
    msg = str(e)
    return f'{type(e).__name__}: {msg.splitlines()[0] if msg else ""}\n'


def run_file(path):
    ns = {'__name__': '__main__'}
    rows = []
    with tempfile.TemporaryDirectory() as work:
        here = os.getcwd()
        os.chdir(work)
        try:
            for i, (title, kind, src) in enumerate(cells(open(path).read())):
                if kind != 'code':
                    continue
                buf = io.StringIO()
                with contextlib.redirect_stdout(buf):
                    try:
                        exec(compile(src, f'<cell {i}>', 'exec'), ns)
                    except Exception as e:  # noqa: BLE001 (recorded, as the test records it)
                        print(harness_line(e), end='')
                rows.append({'cell': i, 'title': title, 'sha256': hashlib.sha256(src.encode()).hexdigest(),
                             'stdout': buf.getvalue()})
        finally:
            os.chdir(here)
    return rows


def main():
    try:
        import safetensors.torch  # noqa: F401
    except ImportError:
        install_safetensors()
    files = sorted(f for f in os.listdir(NOTEBOOKS) if f.endswith('.py'))
    fixture = {
        '__metadata__': {'torch': torch.__version__, 'numpy': __import__('numpy').__version__,
                         'python': sys.version.split()[0],
                         'script': 'scripts/make_notebook_fixture.py'},
        'files': {},
    }
    for f in files:
        rows = run_file(os.path.join(NOTEBOOKS, f))
        fixture['files'][f] = rows
        print(f'{f}: {len(rows)} cells', file=sys.stderr)
    with open(OUT, 'w') as fh:
        json.dump(fixture, fh, indent=1, ensure_ascii=False)
        fh.write('\n')
    print(f'wrote {os.path.relpath(OUT, ROOT)}', file=sys.stderr)


if __name__ == '__main__':
    main()
