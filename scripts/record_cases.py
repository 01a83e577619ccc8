"""Runs a case module of test/python/ (its run() returns what a test compares) with Debian's python3-torch
(1.13) and writes its fixture atomically; the make_*_fixture.py scripts of those modules call record().

One thread, so that the reductions' order is fixed; the runs are deterministic (formula data, seeded
generators)."""
import importlib
import json
import os
import sys

import torch

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')


def record(module, fixture, made_by):
    sys.path.insert(0, os.path.join(ROOT, 'test', 'python'))
    torch.set_num_threads(1)
    cases = importlib.import_module(module)
    out = {'__metadata__': {'torch': torch.__version__, 'made_by': made_by}}
    out.update(cases.run())
    path = os.path.join(ROOT, 'test', 'fixtures', fixture)
    tmp = path + '.tmp'
    with open(tmp, 'w') as f:
        json.dump(out, f, indent=None, separators=(',', ':'))
        f.write('\n')
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    print(f'{path}: {os.path.getsize(path)} bytes')
