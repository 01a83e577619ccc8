#!/usr/bin/python3
"""Reference for the notebook's graphviz package (test/notebook/graphviz.test.ts): writes test/fixtures/graphviz.json.

    apt-get install python3-graphviz    # the real package, 0.20.1 (the version of the lectures' outputs)
    /usr/bin/python3 scripts/make_graphviz_fixture.py

- `cases`: the DOT text (or error) of each case of test/python/graphviz_cases.py, made by the real package;
- `micrograd_cells`: the second micrograd lecture's cells 7-11 (MIT, karpathy/nn-zero-to-hero), as written;
- `lecture`: from the micrograd lecture notebooks' recorded outputs (../shared/notebooks, made with Graphviz
  3.0.0 in the author's Jupyter), per draw_dot cell: its source, the text/plain line, the number of nodes and
  edges of the SVG and the sorted texts of its labels, which a rendering of the same graph must show too.
"""
import json
import os
import re
import sys

import graphviz

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
sys.path.insert(0, os.path.join(ROOT, 'test', 'python'))
import graphviz_cases  # noqa: E402

assert graphviz.__version__ == '0.20.1', graphviz.__version__
out = {'__metadata__': {'graphviz': graphviz.__version__, 'made_by': 'scripts/make_graphviz_fixture.py'},
       'cases': graphviz_cases.cases(), 'lecture': {}}

NOTEBOOKS = os.path.join(ROOT, '..', 'shared', 'notebooks')
for name in ('micrograd_lecture_first_half_roughly', 'micrograd_lecture_second_half_roughly'):
    with open(os.path.join(NOTEBOOKS, name + '.ipynb'), encoding='utf-8') as f:
        nb = json.load(f)
    for i, cell in enumerate(nb['cells']):
        for o in cell.get('outputs', []):
            svg = o.get('data', {}).get('image/svg+xml')
            if svg is None:
                continue
            svg = ''.join(svg)
            out['lecture'][f'{name}/{i}'] = {
                'source': ''.join(cell['source']),
                'text_plain': ''.join(o['data']['text/plain']),
                'nodes': len(re.findall(r'<g id="node\d+" class="node">', svg)),
                'edges': len(re.findall(r'<g id="edge\d+" class="edge">', svg)),
                'texts': sorted(re.findall(r'<text[^>]*>([^<]*)</text>', svg)),
            }

# the second lecture's cells from its Value class to its last draw_dot: what the CLI test runs as written
cells = json.load(open(os.path.join(NOTEBOOKS, 'micrograd_lecture_second_half_roughly.ipynb'), encoding='utf-8'))['cells']
out['micrograd_cells'] = [''.join(c['source']) for c in cells[7:12]]
assert 'class Value' in out['micrograd_cells'][0] and out['micrograd_cells'][3] == 'draw_dot(o)'

path = os.path.join(ROOT, 'test', 'fixtures', 'graphviz.json')
tmp = path + '.tmp'
with open(tmp, 'w', encoding='utf-8') as f:
    json.dump(out, f, indent=1, ensure_ascii=False)
    f.write('\n')
    f.flush()
    os.fsync(f.fileno())
os.replace(tmp, path)
print(f'{path}: {len(out["cases"])} cases, {len(out["lecture"])} lecture figures')
