"""Runs a notebook's code cells under Debian's PyTorch as a Jupyter kernel would, for bench/series.ts.

    /usr/bin/python3 bench/python/run_notebook.py NOTEBOOK.ipynb [--seed S] [--threads N]

Each code cell runs in one IPython InteractiveShell (magics, the display hook), with matplotlib's inline
backend as ipykernel starts it (figures are made and rendered at the end of each cell, as in Jupyter). Python's
random and torch's default generator are seeded with S first (what `backprop-ninja notebook --seed S` does).
Stops at the first cell that raises, as Jupyter's Run all and `backprop-ninja notebook` do. Prints one JSON line
on stderr: {"cells": ran, "error": ename or null, "seconds": wall time from before `import torch`}.
"""

import json
import sys
import time

T0 = time.perf_counter()


def main():
    args = sys.argv[1:]
    path = args[0]
    seed = int(args[args.index('--seed') + 1]) if '--seed' in args else None
    threads = int(args[args.index('--threads') + 1]) if '--threads' in args else None
    import random
    import torch
    if threads is not None:
        torch.set_num_threads(threads)
    if seed is not None:
        random.seed(seed)
        torch.manual_seed(seed)
    import matplotlib
    matplotlib.use('module://matplotlib_inline.backend_inline')
    from IPython.core.interactiveshell import InteractiveShell
    class Shell(InteractiveShell):
        def enable_gui(self, gui=None):  # ipykernel's, for the inline backend: no event loop to hook
            pass

    shell = Shell.instance()
    shell.enable_matplotlib('inline')
    with open(path, encoding='utf-8') as f:
        nb = json.load(f)
    ran = 0
    error = None
    for cell in nb['cells']:
        if cell['cell_type'] != 'code':
            continue
        source = ''.join(cell['source']) if isinstance(cell['source'], list) else cell['source']
        if not source.strip():
            continue
        result = shell.run_cell(source, store_history=True)
        ran += 1
        if not result.success:
            exc = result.error_in_exec or result.error_before_exec
            error = type(exc).__name__
            break
    sys.stderr.write(json.dumps({'cells': ran, 'error': error, 'seconds': time.perf_counter() - T0}) + '\n')


main()
