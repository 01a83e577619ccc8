#!/usr/bin/python3
"""PyTorch reference for torch.nn and torch.optim (test/notebook/nn.test.ts): runs test/python/nn_cases.py with
Debian's python3-torch (1.13) and writes test/fixtures/torch_nn.json.

    /usr/bin/python3 scripts/make_nn_fixture.py

One thread, so that the reductions' order is fixed; the run is deterministic (seeded models, formula data).
"""
import json
import os
import sys

import torch

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
sys.path.insert(0, os.path.join(ROOT, 'test', 'python'))
torch.set_num_threads(1)

import nn_cases  # noqa: E402

out = {'__metadata__': {'torch': torch.__version__, 'made_by': 'scripts/make_nn_fixture.py'}}
out.update(nn_cases.run())
path = os.path.join(ROOT, 'test', 'fixtures', 'torch_nn.json')
tmp = path + '.tmp'
with open(tmp, 'w') as f:
    json.dump(out, f, indent=None, separators=(',', ':'))
    f.write('\n')
    f.flush()
    os.fsync(f.fileno())
os.replace(tmp, path)
print(f'{path}: {os.path.getsize(path)} bytes')
