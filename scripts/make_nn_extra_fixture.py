#!/usr/bin/python3
"""PyTorch reference for the nn/optim additions (test/notebook/nn-extra.test.ts): runs the cells of
test/python/nn_extra_cells.py (split at `# %%` lines) one by one in one namespace with Debian's python3-torch
(1.13), as a notebook runs them, and writes test/fixtures/torch_nn_extra.json: each cell's stdout, stderr, the
repr of its last expression (Jupyter's Out) and its error (`RuntimeError: message`).

    /usr/bin/python3 scripts/make_nn_extra_fixture.py

One thread, so that the reductions' order is fixed. The cells run in a temporary folder (the torch.save cells
write files there).
"""
import ast
import contextlib
import io
import json
import os
import sys
import tempfile
import types

import torch

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
CELLS = os.path.join(ROOT, 'test', 'python', 'nn_extra_cells.py')
torch.set_num_threads(1)


def split_cells(text):
    """The cells of a `# %%` file: the text after each `# %%` line (the header before the first is left out)."""
    return [c.strip('\n') for c in text.split('\n# %%\n')[1:]]


def run_cell(source, count, ns):
    out, err = io.StringIO(), io.StringIO()
    result = error = None
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            tree = ast.parse(source)
            last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
            exec(compile(tree, f'<cell {count}>', 'exec'), ns)
            if last is not None:
                value = eval(compile(ast.Expression(last.value), f'<cell {count}>', 'eval'), ns)
                if value is not None:
                    result = repr(value)
        except Exception as e:  # noqa: BLE001 (a cell's error is part of the record)
            error = f'{type(e).__name__}: {e}'
    return {'stdout': out.getvalue(), 'stderr': err.getvalue(), 'result': result, 'error': error}


def write_pytorch_file(path):
    """test/fixtures/torch_save_pytorch.pt: what learners save, written by PyTorch (the cells load it)."""
    from collections import OrderedDict
    import torch.nn as nn
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(3, 2), nn.BatchNorm1d(2))
    net(torch.randn(4, 3))  # running statistics and num_batches_tracked move
    x = torch.arange(6.).view(2, 3)
    obj = {'state_dict': net.state_dict(), 'views': [x, x[1], x.t()], 'param': nn.Parameter(torch.randn(3)),
           'half': torch.tensor([0.1, -2.5], dtype=torch.float16), 'bf16': torch.tensor([0.1, 3.0], dtype=torch.bfloat16),
           'i32': torch.tensor([-7, 7], dtype=torch.int32), 'u8': torch.tensor([0, 255], dtype=torch.uint8),
           'bool': torch.tensor([[True], [False]]), 'scalar': torch.tensor(-1.25, requires_grad=True),
           'f64': torch.tensor([1 / 3], dtype=torch.float64), 'steps': 1000, 'name': 'mlp', 'lr': 0.1,
           'nested': [{'w': torch.ones(2, 2)}, (1, 'two', None)], 'odict': OrderedDict(k=torch.zeros(1))}
    torch.save(obj, path)


def main():
    write_pytorch_file(os.path.join(ROOT, 'test', 'fixtures', 'torch_save_pytorch.pt'))
    with open(CELLS) as f:
        cells = split_cells(f.read())
    here = os.getcwd()
    main_module = types.ModuleType('__main__')  # the cells' namespace is __main__, as a notebook's is (pickle looks there)
    sys.modules['__main__'] = main_module
    ns = main_module.__dict__
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)
        fixture_dir = os.path.join(ROOT, 'test', 'fixtures')
        ns['FIXTURES'] = fixture_dir
        records = [run_cell(c, i + 1, ns) for i, c in enumerate(cells)]
        os.chdir(here)
    # the other direction: the files the runtime wrote in the torch.save cells (ours.pt, sd.pt; the test checks
    # that it still writes these very bytes), read by PyTorch: plainly, and the state_dict with weights_only=True
    ours = {}
    for name in ('ours.pt', 'sd.pt'):
        path = os.path.join(ROOT, 'test', 'fixtures', 'torch_save_' + name)
        if os.path.exists(path):
            ours[name] = ns['show'](torch.load(path, weights_only=name == 'sd.pt'))
    show_cell = next(i for i, c in enumerate(cells) if c.startswith('# torch.save / torch.load'))
    if 'ours.pt' in ours and ours['ours.pt'] + '\n' != records[show_cell]['stdout']:
        sys.exit('PyTorch reads test/fixtures/torch_save_ours.pt otherwise than it reads back its own file: '
                 f"{ours['ours.pt']}\nvs\n{records[show_cell]['stdout']}")
    out = {'__metadata__': {'torch': torch.__version__, 'made_by': 'scripts/make_nn_extra_fixture.py'},
           'cells': cells, 'records': records, 'ours_by_pytorch': ours}
    path = os.path.join(ROOT, 'test', 'fixtures', 'torch_nn_extra.json')
    tmp = path + '.tmp'
    with open(tmp, 'w') as f:
        json.dump(out, f, indent=1)
        f.write('\n')
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    print(f'{path}: {os.path.getsize(path)} bytes, {len(cells)} cells')


if __name__ == '__main__':
    main()
