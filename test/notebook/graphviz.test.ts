// The notebook's graphviz package (src/notebook/python/graphviz) and its renderer (Graphviz compiled to
// WebAssembly, @viz-js/viz, through src/notebook/graphviz.ts):
// - the DOT text of every case of test/python/graphviz_cases.py equals the real graphviz 0.20.1's, character
//   for character (test/fixtures/graphviz.json, from scripts/make_graphviz_fixture.py);
// - a cell whose last value is a graph shows it as an SVG figure, pipe/render/version work, and bad formats
//   say what this runtime renders;
// - micrograd's second lecture, its cells as written, through `backprop-ninja notebook`: each draw_dot figure
//   is saved as an SVG with the nodes, edges and label texts of the lecture's recorded output (which Graphviz
//   3.0.0 laid out: the coordinates differ, the graph does not).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { NotebookHost, type CellEvent } from '../../src/node/notebook-host.js';
import { CLI, REPO } from '../helpers.js';

const T0 = performance.now();
const TMP = mkdtempSync(join(tmpdir(), 'backprop-ninja-graphviz-'));

interface LectureFigure { source: string; text_plain: string; nodes: number; edges: number; texts: string[] }
const FIXTURE = JSON.parse(readFileSync(join(REPO, 'test', 'fixtures', 'graphviz.json'), 'utf8')) as {
  cases: Record<string, unknown>;
  lecture: Record<string, LectureFigure>;
  micrograd_cells: string[];
};

/** The figure's shape: node and edge groups, and the sorted texts of its labels (as the fixture records them). */
function svgShape(svg: string): { nodes: number; edges: number; texts: string[] } {
  return {
    nodes: (svg.match(/<g id="node\d+" class="node">/g) ?? []).length,
    edges: (svg.match(/<g id="edge\d+" class="edge">/g) ?? []).length,
    texts: [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]).sort(),
  };
}

let host: NotebookHost;
let events: CellEvent[] = [];
let count = 0;

before(async () => {
  host = await NotebookHost.start(TMP, (e) => events.push(e));
});
after(async () => {
  await host?.close();
  rmSync(TMP, { recursive: true, force: true });
  console.log(`# graphviz.test: ${((performance.now() - T0) / 1000).toFixed(1)} s`);
});

async function cell(source: string): Promise<{ out: string; err: string; events: CellEvent[] }> {
  events = [];
  const outcome = await host.run(source, ++count);
  if (outcome.status !== 'ok') assert.fail(`cell failed:\n${source}\n${outcome.traceback.join('\n')}`);
  const text = (name: string): string => events.map((e) => (e.type === 'stream' && e.name === name ? e.text : '')).join('');
  return { out: text('stdout'), err: text('stderr'), events };
}

test('graphviz: the DOT text of every case equals the real graphviz 0.20.1 package\'s', async () => {
  await cell(readFileSync(join(REPO, 'test', 'python', 'graphviz_cases.py'), 'utf8'));
  const { out } = await cell('import json\nprint(json.dumps(cases()))');
  const ours = JSON.parse(out) as Record<string, unknown>;
  const names = Object.keys(FIXTURE.cases);
  assert.ok(names.length >= 10);
  for (const name of names) assert.deepEqual(ours[name], FIXTURE.cases[name], `case ${name}`);
});

test('graphviz: a graph as a cell\'s last value is its Out[n] with the SVG in the bundle, as Jupyter shows it; pipe, render, version, display', async () => {
  const shown = await cell(
    "import graphviz\ng = graphviz.Digraph(format='svg', graph_attr={'rankdir': 'LR'})\n" +
      "g.node('a', label='{ a | data 2.0000 }', shape='record')\ng.edge('a', 'b')\ng",
  );
  // Jupyter: one execute_result (Out[n]) whose bundle holds the SVG, which it shows, and IPython's text/plain
  assert.equal(shown.events.filter((e) => e.type === 'display').length, 0, 'no display_data');
  const results = shown.events.filter((e) => e.type === 'result');
  assert.equal(results.length, 1, 'one Out[n]');
  const res = results[0].type === 'result' ? results[0] : null;
  assert.equal(res?.count, count);
  assert.match(res?.text ?? '', /^<graphviz\.graphs\.Digraph at 0x[0-9a-f]+>$/);
  const data = res?.data ?? {};
  assert.deepEqual(Object.keys(data), ['image/svg+xml']);
  assert.match(data['image/svg+xml'], /^<\?xml version="1\.0" encoding="UTF-8" standalone="no"\?>\n<!DOCTYPE svg/);
  assert.deepEqual(svgShape(data['image/svg+xml']), { nodes: 2, edges: 1, texts: ['a', 'b', 'data 2.0000'] });

  const { out } = await cell(
    "print(graphviz.version(), graphviz.__version__)\n" +
      "svg = g.pipe()\nprint(type(svg).__name__, svg[:5], type(g.pipe(encoding='utf-8')).__name__)\n" +
      "print(g.pipe(format='plain', encoding='utf-8').split()[0])\n" +
      "print(g.render(directory='figs'), g.render('named', format='json'))\n" +
      "try:\n    graphviz.Digraph().render()\nexcept graphviz.CalledProcessError as e:\n    print(type(e).__name__, e.stderr)\n" +
      "display(g)",
  );
  const lines = out.split('\n');
  assert.match(lines[0], /^\(\d+, \d+, \d+\) 0\.20\.1$/);
  assert.equal(lines[1], "bytes b'<?xml' str");
  assert.equal(lines[2], 'graph');
  assert.equal(lines[3], 'figs/Digraph.gv.svg figs/named.json', 'render keeps the directory it was given, as graphviz does');
  assert.match(lines[4], /^CalledProcessError b'Format: "pdf" not recognized\. This runtime renders with Graphviz compiled to WebAssembly \(@viz-js\/viz\), which writes: .*svg.*\. Use format=\\'svg\\'\.\\n'$/);
  assert.ok(existsSync(join(TMP, 'figs', 'Digraph.gv')) && existsSync(join(TMP, 'figs', 'Digraph.gv.svg')), 'render wrote the source and the SVG');
  assert.match(readFileSync(join(TMP, 'figs', 'Digraph.gv.svg'), 'utf8'), /<svg width=/);
  assert.equal(readFileSync(join(TMP, 'figs', 'named'), 'utf8'), readFileSync(join(TMP, 'figs', 'Digraph.gv'), 'utf8'));
  assert.ok(JSON.parse(readFileSync(join(TMP, 'figs', 'named.json'), 'utf8')).objects.length === 2);

  const bad = await cell("h = graphviz.Digraph()\nh.node('r', label='{ unclosed', shape='record')\nh");
  assert.equal(bad.events.filter((e) => e.type === 'display').length, 0);
  // as IPython shows Debian's: CalledProcessError: Command '[PosixPath('dot'), '-Kdot', '-Tsvg']' returned non-zero
  // exit status 1. [stderr: 'Error: bad label format { unclosed\n'], then the text/plain
  assert.equal(bad.err, "CalledProcessError: Command '[PosixPath('dot'), '-Kdot', '-Tsvg']' returned non-zero exit status 1. [stderr: 'Error: bad label format { unclosed\\n']\n");
  const syntax = await cell("s = graphviz.Source('digraph {\\n\\ta -> -> b\\n}')\ntry:\n    s.pipe(format='svg')\nexcept graphviz.CalledProcessError as e:\n    print(e.returncode, e.stderr)");
  assert.equal(syntax.out, "1 b\"Error: syntax error in line 2 near '->'\\n\"\n");
  const badResult = bad.events.filter((e) => e.type === 'result');
  assert.equal(badResult.length, 1, 'a graph that fails to render shows its text, as IPython does');
  assert.equal(badResult[0].type === 'result' ? badResult[0].data : 'none', undefined, 'and no SVG');
});

test('micrograd lecture 2, cells 7-11 as written, in `backprop-ninja notebook`: draw_dot figures with the lecture\'s nodes, edges and labels', () => {
  const dir = join(TMP, 'micrograd');
  spawnSync('mkdir', ['-p', dir]);
  const file = join(dir, 'micrograd.py');
  // the lecture's first cell imports math (and numpy, matplotlib): the cells here use math, so it comes first
  writeFileSync(file, FIXTURE.micrograd_cells.map((c, i) => `# %%\n${i === 0 ? 'import math\n' : ''}${c}\n`).join('\n'));
  // --out: each graph ending its cell is the cell's execute_result (Out[n]) with the SVG and IPython's text for
  // the object in its bundle, as Jupyter writes it; without --out the SVG is written as an .svg file beside FILE
  // (the command's one path for figures)
  const out = join(dir, 'out.ipynb');
  const r = spawnSync(process.execPath, [CLI, 'notebook', file, '--out', out], { encoding: 'utf8' });
  assert.equal(r.status, 0, `notebook failed:\n${r.stdout}\n${r.stderr}`);
  const want = [FIXTURE.lecture['micrograd_lecture_second_half_roughly/10'], FIXTURE.lecture['micrograd_lecture_second_half_roughly/11']];
  const nb = JSON.parse(readFileSync(out, 'utf8')) as { cells: { outputs?: { output_type: string; data?: Record<string, string | string[]> }[] }[] };
  const shown = nb.cells.map((c) => (c.outputs ?? []).filter((o) => o.data?.['image/svg+xml'] !== undefined));
  assert.deepEqual(shown.map((s) => s.length), [0, 0, 0, 1, 1], 'a figure in cells 10 and 11 (the 4th and 5th here)');
  for (const [i, o] of shown.flat().entries()) {
    assert.equal(o.output_type, 'execute_result');
    const text = [o.data!['text/plain']].flat().join('');
    assert.match(text, /^<graphviz\.graphs\.Digraph at 0x[0-9a-f]+>$/, `the lecture's text/plain is ${want[i].text_plain}`);
    const shape = svgShape([o.data!['image/svg+xml']].flat().join(''));
    assert.deepEqual(shape, { nodes: want[i].nodes, edges: want[i].edges, texts: want[i].texts }, `figure ${i + 1}`);
  }
});
