#!/usr/bin/python3
"""IPython's display of values (`Out[N]: ...`), recorded for test/notebook/runtime.test.ts.

    /usr/bin/python3 scripts/make_pretty_fixture.py > test/fixtures/ipython-pretty.json

Each entry is a Python expression (stdlib only, deterministic) and IPython.lib.pretty.pretty() of its value:
the text our kernel's reimplementation (src/notebook/python/_bpn_pretty.py) must print character for
character. Made with Debian's python3-ipython; the version is recorded in the file.
"""
import collections
import json

import IPython
from IPython.lib.pretty import pretty

WORDS = "['emma', 'olivia', 'ava', 'isabella', 'sophia', 'charlotte', 'mia', 'amelia', 'harper', 'evelyn', 'abigail', 'emily', 'elizabeth', 'mila', 'ella', 'avery', 'sofia', 'camila', 'aria', 'scarlett']"

EXPRESSIONS = [
    'list(range(40))',
    WORDS,
    WORDS + '[:8]',
    "{i: c for i, c in enumerate('.abcdefghijklmnopqrstuvwxyz')}",
    "{c: i for i, c in enumerate('.abcdefghijklmnopqrstuvwxyz')}",
    'set(range(30, 0, -1))',
    "frozenset('backprop')",
    '(1,)',
    '()',
    'set()',
    '[[1, 2, 3]] * 30',
    "[(i, 'x' * i) for i in range(12)]",
    "'x' * 100",
    '3.14',
    '[1.5e-08, 2.0, -0.0]',
    "__import__('collections').Counter('the quick brown fox jumps over the lazy dog')",
    "__import__('collections').OrderedDict(a=1, b=[2] * 40)",
    "__import__('collections').deque(range(30), maxlen=40)",
    'list(range(1200))',
    "[list(range(30)), {'k': list(range(40))}]",
    'range(10)',
    "b'abc'",
    "{'nested': [{'a': list(range(25))}, ('x' * 30, 'y' * 30, 'z' * 30)]}",
    "'multi\\nline'",
    "['a\\nb', 'c']",
    'len',
    'int',
    "ValueError('bad value', 3)",
]


def main():
    env = {}
    entries = [{'expr': e, 'text': pretty(eval(e, env))} for e in EXPRESSIONS]
    print(json.dumps({'ipython': IPython.__version__, 'entries': entries}, indent=1))


if __name__ == '__main__':
    main()
