#!/usr/bin/python3
"""PyTorch reference for torch.nn and torch.optim (test/notebook/nn.test.ts): runs test/python/nn_cases.py with
Debian's python3-torch (1.13) and writes test/fixtures/torch_nn.json.

    /usr/bin/python3 scripts/make_nn_fixture.py

One thread, so that the reductions' order is fixed; the run is deterministic (seeded models, formula data).
"""
from record_cases import record

record('nn_cases', 'torch_nn.json', 'scripts/make_nn_fixture.py')
