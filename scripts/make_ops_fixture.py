#!/usr/bin/python3
"""PyTorch reference for the ops learners reach for (test/torch/ops.test.ts): runs test/python/ops_cases.py with
Debian's python3-torch (1.13) and writes test/fixtures/torch_ops.json.

    /usr/bin/python3 scripts/make_ops_fixture.py

One thread, so that the reductions' order is fixed; the run is deterministic (formula data, seeded generators).
"""
import json
import os
import sys

import torch

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
sys.path.insert(0, os.path.join(ROOT, 'test', 'python'))
torch.set_num_threads(1)

import ops_cases  # noqa: E402

out = {'__metadata__': {'torch': torch.__version__, 'made_by': 'scripts/make_ops_fixture.py'}}
out.update(ops_cases.run())
path = os.path.join(ROOT, 'test', 'fixtures', 'torch_ops.json')
tmp = path + '.tmp'
with open(tmp, 'w') as f:
    json.dump(out, f, indent=None, separators=(',', ':'))
    f.write('\n')
    f.flush()
    os.fsync(f.fileno())
os.replace(tmp, path)
print(f'{path}: {os.path.getsize(path)} bytes')
