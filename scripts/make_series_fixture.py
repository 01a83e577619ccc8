#!/usr/bin/python3
"""Golden fixture for issue 18's twelve notebooks (test/notebook/series.test.ts), recorded under Debian's PyTorch 1.13.

    /usr/bin/python3 scripts/make_series_fixture.py [NAME...]   # writes test/fixtures/series-golden.json

Needs Debian's python3-torch, python3-ipython (8.5), python3-matplotlib with python3-matplotlib-inline,
python3-numpy, python3-graphviz with the `dot` program (graphviz), and ../shared (the learners' notebooks,
../shared/data/names.txt). Debian has no kagglehub: the learner who calls kagglehub.dataset_download gets a stub
that answers from kagglehub's cache layout, which the script fills as the real package leaves it, offline.
ipywidgets is not installed (Debian's python3-ipywidgets is version 6.0.0 of 2017 and pulls in the Jupyter
server stack; its `interact` needs a kernel's comms): part 3's bonus widget cell raises ModuleNotFoundError
here, and that is what the fixture records. With NAMEs, only those notebooks are rerun; the others keep their
recorded cells.

Each notebook in test/fixtures/series-table.json runs cell by cell in a fresh IPython InteractiveShell, as a
Jupyter kernel runs it: the last bare expression is shown through IPython's display hook (Out[n], with n the
shell's execution count, which a blank cell does not take), display_data through its display publisher, the
inline matplotlib backend on from the start (as ipykernel starts it) so that a cell's figures are displayed at its
end, and an exception reported as Jupyter reports it (ename, evalue: the traceback's last line). The cells run in a
fresh temp folder with names.txt (its first `names_lines` lines) where the table says the notebook looks for it, with the table's edits applied
(the long loops lowered, the same edit on both sides), and with Python's random and torch's default generator
seeded with the table's seed before the first cell (what the CLI's --seed does). One thread (PyTorch's sums in
one order).

Jupyter's "Run all" stops at the first cell that raises. The fixture records every cell anyway, each in the
state the cells before it left (as `jupyter nbconvert --execute --allow-errors` runs them), and names the first
cell that raised (`stops_at`): where Run all, and the CLI, stop. Per code cell it records: its index, the
SHA-256 of its (edited) source, the execution count, stdout, stderr (warnings as `Category: message`), the
displayed result's text/plain, the text/plain of display_data that is not an image, the number of images
(figures, and graphviz's SVG in an execute_result) and the error (ename, evalue). Object addresses
(`0x7f...`) are written as `0x…` (no two processes give the same).

Each notebook runs twice: with the machine's own CPU kernels (AVX2 on ours: Sleef's exp, 8-lane sums, a fused
1 - y*y in tanh's backward), which is the record, and with ATEN_CPU_CAPABILITY=default (PyTorch's portable kernels,
what a machine without AVX2 runs). Where the two differ, the cell keeps the portable run's field under
`pytorch_default`: PyTorch's own spread from float rounding alone, which the test uses as the tolerance for that
field (a number within a few times that spread, a text that differs in PyTorch itself by its shape).
"""

import contextlib
import hashlib
import io
import json
import os
import re
import shutil
import sys
import tempfile
import types
import warnings

import torch
from make_notebook_fixture import cells as notebook_fixture_cells  # scripts/ is on sys.path: the script's own folder

torch.set_num_threads(1)
ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
TABLE = os.path.join(ROOT, 'test', 'fixtures', 'series-table.json')
OUT = os.path.join(ROOT, 'test', 'fixtures', 'series-golden.json')
NAMES = os.path.join(ROOT, '..', 'shared', 'data', 'names.txt')
ADDRESS = re.compile(r'0x[0-9a-f]{6,}')
FIELDS = ('count', 'stdout', 'stderr', 'result', 'display', 'images', 'error')


def py_cells(text):
    """[(kind, source)] as the `notebook` command's parsePy splits a percent-format file (src/notebook/nbformat.ts):
    make_notebook_fixture.py's split, without the cells' titles."""
    return [(kind, source) for _title, kind, source in notebook_fixture_cells(text)]


def load_cells(path):
    """[(kind, source)] of a notebook: an .ipynb's cells, or a percent-format .py file's."""
    text = open(path, encoding='utf-8').read()
    if path.endswith('.py'):
        return py_cells(text)
    nb = json.loads(text)
    return [(c['cell_type'], ''.join(c['source']) if isinstance(c['source'], list) else c['source']) for c in nb['cells']]


def apply_edits(cells, edits, name):
    """The table's edits, each on the code cells' sources; each must occur as often as the table says."""
    cells = list(cells)
    for e in edits:
        found = sum(src.count(e['find']) for kind, src in cells if kind == 'code')
        if found != e.get('count', 1):
            sys.exit(f'{name}: the edit {e["find"]!r} occurs {found} times, the table says {e.get("count", 1)}')
        cells = [(kind, src.replace(e['find'], e['replace']) if kind == 'code' else src) for kind, src in cells]
    return cells


def install_kagglehub(cache):
    """kagglehub.dataset_download as the real package answers offline with a complete version in its cache
    ({cache}/datasets/OWNER/DATASET/versions/N, N.complete beside versions/): that folder's path."""

    def dataset_download(handle, path=None, force_download=False):
        owner, dataset = handle.split('/')[:2]
        base = os.path.join(cache, 'datasets', owner, dataset)
        done = sorted(int(f[:-len('.complete')]) for f in os.listdir(base) if f.endswith('.complete'))
        if not done:
            raise RuntimeError(f'{handle}: not in the cache')
        return os.path.join(base, 'versions', str(done[-1]))

    mod = types.ModuleType('kagglehub')
    mod.__version__ = '0.3.13'
    mod.dataset_download = dataset_download
    sys.modules['kagglehub'] = mod


def make_shell():
    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import DisplayPublisher
    from IPython.core.interactiveshell import InteractiveShell

    rec = {}

    def images(data):
        return sum(1 for k in data if k.startswith('image/'))

    class Hook(DisplayHook):
        """The execute_result: what Jupyter shows after Out[n]."""

        def write_output_prompt(self):
            pass

        def write_format_data(self, format_dict, md_dict=None):
            rec['result'] = {'count': self.shell.execution_count, 'text': format_dict.get('text/plain', '')}
            rec['images'] += images(format_dict)

        def finish_displayhook(self):
            pass

    class Pub(DisplayPublisher):
        """display_data: figures (image/png from the inline backend) and display() calls."""

        def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kwargs):
            n = images(data)
            rec['images'] += n
            if n == 0:
                rec['display'].append(data.get('text/plain', ''))

        def clear_output(self, wait=False):
            pass

    class Shell(InteractiveShell):
        def enable_gui(self, gui=None):  # ipykernel's, for the inline backend: no event loop to hook
            pass

    from traitlets.config import Config
    config = Config()
    config.HistoryManager.enabled = False  # no sqlite file in the user's profile
    shell = Shell.instance(config=config)
    shell.displayhook = Hook(shell=shell, cache_size=shell.cache_size)
    shell.display_trap.hook = shell.displayhook
    shell.display_pub = Pub(shell=shell)

    def showtraceback(etype, evalue, stb):
        rec['error'] = {'ename': etype.__name__, 'evalue': str(evalue)}

    shell._showtraceback = showtraceback
    shell.enable_matplotlib('inline')  # as ipykernel starts: figures shown at the end of their cell
    return shell, rec


def showwarning(message, category, filename, lineno, file=None, line=None):
    sys.stderr.write(f'{category.__name__}: {message}\n')


def names_text(lines):
    """names.txt's first `lines` lines, each ending in a newline (as the test writes it)."""
    return ''.join(l + '\n' for l in open(NAMES, encoding='utf-8').read().split('\n')[:lines])


def run_notebook(nb, seed, lines):
    cells = apply_edits(load_cells(os.path.join(ROOT, nb['file'])), nb['edits'], nb['name'])
    rows = []
    stops_at = None
    here = os.getcwd()
    saved = dict(os.environ)
    with tempfile.TemporaryDirectory() as work:
        if nb.get('names_txt'):
            dest = os.path.join(work, nb['names_txt'])
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            with open(dest, 'w', encoding='utf-8') as f:
                f.write(names_text(lines))
        if nb.get('kagglehub_cache'):
            cache = os.path.join(work, nb['kagglehub_cache'])
            for root, dirs, _ in os.walk(os.path.join(cache, 'datasets')):
                if 'versions' in dirs:
                    for v in os.listdir(os.path.join(root, 'versions')):
                        open(os.path.join(root, f'{v}.complete'), 'w').close()
            install_kagglehub(cache)
        cwd = os.path.join(work, nb['cwd'])
        os.makedirs(cwd, exist_ok=True)
        os.chdir(cwd)
        shell, rec = make_shell()
        import random
        random.seed(seed)
        torch.manual_seed(seed)
        try:
            for index, (kind, src) in enumerate(cells):
                if kind != 'code':
                    continue
                rec.clear()
                rec.update(result=None, display=[], images=0, error=None)
                out, err = io.StringIO(), io.StringIO()
                blank = src.strip() == ''
                count = None if blank else shell.execution_count
                with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), warnings.catch_warnings():
                    warnings.showwarning = showwarning  # the kernel's filters as they are: only the format is ours
                    shell.run_cell(src, store_history=True)
                if rec['error'] is not None and stops_at is None:
                    stops_at = index
                clean = lambda s: ADDRESS.sub('0x…', s)  # noqa: E731
                rows.append({
                    'cell': index,
                    'sha256': hashlib.sha256(src.encode()).hexdigest(),
                    'count': count,
                    'stdout': clean(out.getvalue()),
                    'stderr': clean(err.getvalue()),
                    'result': None if rec['result'] is None else {**rec['result'], 'text': clean(rec['result']['text'])},
                    'display': [clean(t) for t in rec['display']],
                    'images': rec['images'],
                    'error': rec['error'] and {**rec['error'], 'evalue': clean(rec['error']['evalue'])},
                })
        finally:
            import matplotlib.pyplot as plt
            plt.close('all')
            os.chdir(here)
            os.environ.clear()
            os.environ.update(saved)
            sys.modules.pop('kagglehub', None)
    return {'file': nb['file'], 'stops_at': stops_at, 'cells': rows}


def main():
    import subprocess
    import time

    import IPython
    import matplotlib
    import numpy

    table = json.load(open(TABLE, encoding='utf-8'))
    if sys.argv[1:2] == ['--one']:  # one notebook in this process (a fresh kernel), its record to the file named
        nb = next(n for n in table['notebooks'] if n['name'] == sys.argv[2])
        os.environ['IPYTHONDIR'] = tempfile.mkdtemp(prefix='series-ipython-')  # not the user's profile
        record = run_notebook(nb, table['seed'], table['names_lines'])
        with open(sys.argv[3], 'w', encoding='utf-8') as f:
            json.dump(record, f)
        shutil.rmtree(os.environ['IPYTHONDIR'], ignore_errors=True)
        return
    only = set(sys.argv[1:])
    unknown = only - {n['name'] for n in table['notebooks']}
    if unknown:
        sys.exit(f'not in the table: {", ".join(sorted(unknown))}')
    old = json.load(open(OUT, encoding='utf-8')) if only and os.path.exists(OUT) else {'notebooks': {}}
    fixture = {
        '__metadata__': {
            'script': 'scripts/make_series_fixture.py', 'table': 'test/fixtures/series-table.json',
            'torch': torch.__version__, 'numpy': numpy.__version__, 'ipython': IPython.__version__,
            'matplotlib': matplotlib.__version__, 'python': sys.version.split()[0], 'seed': table['seed'],
            'names_lines': table['names_lines'],
        },
        'notebooks': {},
    }
    for nb in table['notebooks']:
        if only and nb['name'] not in only:
            if nb['name'] in old['notebooks']:
                fixture['notebooks'][nb['name']] = old['notebooks'][nb['name']]
            continue
        t0 = time.time()
        print(nb['name'], file=sys.stderr)
        runs = []
        for capability in (None, 'default'):  # the machine's own kernels (AVX2 here), then PyTorch's portable ones
            env = dict(os.environ)
            if capability is not None:
                env['ATEN_CPU_CAPABILITY'] = capability
            with tempfile.NamedTemporaryFile(suffix='.json') as tmp:
                subprocess.run([sys.executable, os.path.abspath(__file__), '--one', nb['name'], tmp.name], check=True, env=env)
                runs.append(json.load(open(tmp.name, encoding='utf-8')))
        record, portable = runs
        for cell, other in zip(record['cells'], portable['cells']):
            spread = {f: other[f] for f in FIELDS if other[f] != cell[f]}
            if spread:
                cell['pytorch_default'] = spread
        fixture['notebooks'][nb['name']] = record
        print(f'  {time.time() - t0:.1f} s', file=sys.stderr)
    with open(OUT + '.tmp', 'w', encoding='utf-8') as f:
        json.dump(fixture, f, indent=1, ensure_ascii=False)
        f.write('\n')
    os.replace(OUT + '.tmp', OUT)
    print(f'wrote {os.path.relpath(OUT, ROOT)}', file=sys.stderr)


if __name__ == '__main__':
    main()
