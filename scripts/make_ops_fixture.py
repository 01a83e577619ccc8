#!/usr/bin/python3
"""PyTorch reference for the ops learners reach for (test/torch/ops.test.ts): runs test/python/ops_cases.py with
Debian's python3-torch (1.13) and writes test/fixtures/torch_ops.json.

    /usr/bin/python3 scripts/make_ops_fixture.py
"""
from record_cases import record

record('ops_cases', 'torch_ops.json', 'scripts/make_ops_fixture.py')
