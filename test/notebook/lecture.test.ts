// The lecture's own notebook (../shared/notebooks/makemore_part4_backprop.ipynb), run once as a user runs it
// (`backprop-ninja notebook COPY.ipynb --out executed.ipynb --seed 42`, beside names.txt) with exercise 4's
// max_steps lowered from 200000 to 1000: the data, the parameter counts, the exercise-1 table (all 26 rows
// exact, in the lecture's order), exercises 2 and 3, the training and split-loss lines, 20 sampled names,
// and an executed notebook that nbformat validates with the imshow figure in it. A first cell added to the
// copy walks the notebook's code statically (ast) and checks that every torch./F./plt. function and every
// attribute it uses exists in our runtime, so a function the runtime lacks fails here by name.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CLI, LECTURE_NOTEBOOK, NAMES_TXT, lectureMissing } from '../helpers.js';

const T0 = performance.now();
const LECTURE = LECTURE_NOTEBOOK;
const NAMES = NAMES_TXT ?? '';
const HAVE = existsSync(LECTURE) && NAMES !== '' && existsSync(NAMES);
const SKIP = HAVE ? false : lectureMissing() ?? `needs ${NAMES}`;
if (!HAVE) {
  if (process.env.CI === 'true') throw new Error(`CI: ${SKIP}`);
  console.log(`# skipping the lecture notebook: ${SKIP}`);
}
const MAX_STEPS = 1000;

interface Cell { cell_type: string; source: string | string[]; outputs?: { output_type: string; text?: string | string[]; data?: Record<string, unknown> }[] }
const text = (s: string | string[] | undefined): string => (Array.isArray(s) ? s.join('') : (s ?? ''));

/** The static walk, run as the copy's first cell: the names the notebook's code uses and which are missing. */
const WALK = String.raw`# backprop-ninja test: static API walk
import ast, io, json
import torch
import torch.nn.functional as F
import matplotlib.pyplot as plt

def _walk(source):
    mods, attrs = {}, set()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Attribute):
            continue
        v = node.value
        if isinstance(v, ast.Name) and v.id in ('torch', 'F', 'plt'):
            mods.setdefault(v.id, set()).add(node.attr)
        elif not (isinstance(v, ast.Name) and v.id in ('random', 'math', 'os', 'sys', 'ast', 'json', 'io')):
            attrs.add(node.attr)
    hosts = [('Tensor', torch.Tensor), ('return_types', type(torch.zeros(2, 2).max(1))), ('Generator', torch.Generator),
             ('Size', torch.Size), ('str', str), ('list', list), ('dict', dict), ('file', io.TextIOBase)]
    missing = [f'{m}.{a}' for m in sorted(mods) for a in sorted(mods[m]) if not hasattr({'torch': torch, 'F': F, 'plt': plt}[m], a)]
    missing += ['.' + a for a in sorted(attrs) if not any(hasattr(h, a) for _, h in hosts)]
    return {'functions': sorted(f'{m}.{a}' for m in mods for a in mods[m]), 'attributes': sorted(attrs), 'missing': missing}

_nb = json.load(open('lecture.ipynb'))
_code = []
for _c in _nb['cells'][1:]:
    if _c['cell_type'] == 'code':
        _src = ''.join(_c['source']) if isinstance(_c['source'], list) else _c['source']
        _code.append('\n'.join(l for l in _src.split('\n') if not l.lstrip().startswith(('%', '!'))))
print('API-WALK', json.dumps(_walk('\n'.join(_code))))
print('API-WALK-SELFCHECK', json.dumps(_walk('torch.no_such_function(x.no_such_method(), F.softmax(x, 1).sum())')['missing']))`;

let TMP = '';
let run: { status: number | null; stdout: string; stderr: string; seconds: number } = { status: null, stdout: '', stderr: '', seconds: 0 };
/** The transcript's cells: the header line after `In [n]: ` and the output below it. */
let cells: { head: string; out: string }[] = [];
let original: Cell[] = [];

before(() => {
  if (!HAVE) return;
  TMP = mkdtempSync(join(tmpdir(), 'backprop-ninja-lecture-'));
  const nb = JSON.parse(readFileSync(LECTURE, 'utf8')) as { cells: Cell[] };
  original = nb.cells.slice(); // before the walk is added
  let lowered = 0;
  for (const c of nb.cells) {
    if (c.cell_type !== 'code') continue;
    const src = text(c.source);
    if (src.includes('max_steps = 200000')) {
      c.source = src.replace('max_steps = 200000', `max_steps = ${MAX_STEPS}`);
      lowered++;
    }
  }
  assert.equal(lowered, 1, 'the notebook sets max_steps = 200000 in one cell');
  nb.cells.unshift({ cell_type: 'code', source: WALK, outputs: [], execution_count: null, metadata: {} } as Cell);
  writeFileSync(join(TMP, 'lecture.ipynb'), JSON.stringify(nb));
  copyFileSync(NAMES, join(TMP, 'names.txt')); // a copy: the runtime's mount does not follow a symlink out of the directory
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [CLI, 'notebook', join(TMP, 'lecture.ipynb'), '--out', join(TMP, 'executed.ipynb'), '--seed', '42'], {
    encoding: 'utf8',
    timeout: 600_000,
  });
  run = { status: r.status, stdout: r.stdout, stderr: r.stderr, seconds: (performance.now() - t0) / 1000 };
  console.log(`# the lecture's notebook (max_steps ${MAX_STEPS}) ran in ${run.seconds.toFixed(1)} s`);
  const parts = run.stdout.replace(/\nwrote [^\n]*\n$/, '\n').split(/^In \[\d+\]: /m);
  cells = parts.slice(1).map((p) => {
    const nl = p.indexOf('\n');
    return { head: p.slice(0, nl), out: p.slice(nl + 1).replace(/\n+$/, '') };
  });
});
after(() => {
  if (TMP) rmSync(TMP, { recursive: true, force: true });
  console.log(`# notebook-lecture.test: ${((performance.now() - T0) / 1000).toFixed(1)} s`);
});

/** The output of the cell whose header starts with `head`. */
function out(head: string): string {
  const c = cells.find((x) => x.head.startsWith(head));
  assert.ok(c, `no cell headed ${JSON.stringify(head)} in the transcript:\n${run.stdout.slice(0, 2000)}`);
  return c.out;
}

test('the notebook runs to the end (exit 0, no error)', { skip: SKIP }, () => {
  assert.equal(run.status, 0, `exit ${run.status}\n${run.stderr}`);
  // every non-empty code cell, and the walk (an empty cell is not run, as in Jupyter's transcript)
  assert.equal(cells.length, original.filter((c) => c.cell_type === 'code' && text(c.source).trim() !== '').length + 1);
  assert.match(run.stdout, /\nwrote .*executed\.ipynb\n$/);
});

test("static walk: every torch./F./plt. function and attribute the notebook's code uses exists in the runtime", { skip: SKIP }, () => {
  const line = run.stdout.split('\n').find((l) => l.startsWith('API-WALK '));
  assert.ok(line, run.stdout.slice(0, 2000));
  const walk = JSON.parse(line.slice('API-WALK '.length)) as { functions: string[]; attributes: string[]; missing: string[] };
  console.log(`# the notebook uses ${walk.functions.length} functions (${walk.functions.join(', ')})`);
  console.log(`#   and ${walk.attributes.length} attributes (${walk.attributes.join(', ')})`);
  assert.deepEqual(walk.missing, []);
  for (const f of ['torch.randn', 'torch.tensor', 'F.cross_entropy', 'F.softmax', 'torch.no_grad', 'torch.multinomial']) assert.ok(walk.functions.includes(f), f);
  for (const a of ['view', 'sum', 'max', 'var', 'backward', 'retain_grad', 'grad', 'data', 'T', 'nelement']) assert.ok(walk.attributes.includes(a), a);
  // the walk can fail: names the runtime lacks are reported
  const self = run.stdout.split('\n').find((l) => l.startsWith('API-WALK-SELFCHECK '));
  assert.deepEqual(JSON.parse(self!.slice('API-WALK-SELFCHECK '.length)), ['torch.no_such_function', '.no_such_method']);
});

test('the data: 32033 words, vocab 27, the three split shapes; 4137 and 12297 parameters', { skip: SKIP }, () => {
  assert.equal(out('# read in all the words').split('\n').slice(0, 2).join(' '), '32033 15');
  assert.equal(out('# build the vocabulary').split('\n')[1], '27');
  assert.deepEqual(out('# build the dataset').split('\n'), [
    'torch.Size([182625, 3]) torch.Size([182625])',
    'torch.Size([22655, 3]) torch.Size([22655])',
    'torch.Size([22866, 3]) torch.Size([22866])',
  ]);
  assert.equal(out('n_embd = 10'), '4137');
  assert.equal(out('# Exercise 4').split('\n')[0], '12297');
});

test("exercise 1: all 26 rows exact: True, in the lecture's names and order", { skip: SKIP }, () => {
  const recorded = original.find((c) => c.cell_type === 'code' && text(c.source).startsWith('# Exercise 1'));
  const names = text(recorded?.outputs?.[0]?.text).split('\n').filter(Boolean).map((l) => l.split('|')[0].trim());
  assert.equal(names.length, 26);
  const rows = out('# Exercise 1').split('\n');
  assert.deepEqual(rows, names.map((n) => `${n.padEnd(15)} | exact: True  | approximate: True  | maxdiff: 0.0`));
});

test('exercises 2 and 3: approximate: True with maxdiff below 1e-8', { skip: SKIP }, () => {
  const row = (s: string, name: string): number => {
    const m = new RegExp(`^${name} +\\| exact: (True |False) \\| approximate: True  \\| maxdiff: (\\S+)$`).exec(s);
    assert.ok(m, s);
    return Number(m[2]);
  };
  const bps = cells.filter((c) => c.head.startsWith('# backward pass')).map((c) => c.out);
  assert.equal(bps.length, 2);
  const d2 = row(bps[0], 'logits');
  const d3 = row(bps[1], 'hprebn');
  console.log(`# exercise 2 maxdiff ${d2}, exercise 3 maxdiff ${d3}`);
  assert.ok(d2 < 1e-8 && d3 < 1e-8);
  assert.match(out('# Exercise 2'), /^\d\.\d+ diff: \S+$/);
});

test('exercise 4: the training lines, the split losses, 20 sampled names', { skip: SKIP }, () => {
  const train = out('# Exercise 4').split('\n').slice(1);
  assert.equal(train.length, Math.ceil(MAX_STEPS / 10000));
  for (const [k, l] of train.entries()) assert.match(l, new RegExp(`^ {0,6}${k * 10000}/ {0,6}${MAX_STEPS}: \\d\\.\\d{4}$`));
  const first = Number(train[0].split(': ')[1]);
  assert.ok(first > 3.0 && first < 4.5, `step 0 loss ${first} (ln 27 = 3.30; the lecture printed 3.7805)`);
  const losses = out('# evaluate train and val loss').split('\n');
  assert.equal(losses.length, 2);
  const [tr, va] = losses.map((l, i) => {
    const m = new RegExp(`^${['train', 'val'][i]} (\\d\\.\\d+)$`).exec(l);
    assert.ok(m, l);
    return Number(m[1]);
  });
  console.log(`# after ${MAX_STEPS} steps: ${losses.join(', ')}; step 0: ${train[0].trim()}`);
  assert.ok(tr < 2.8 && va < 2.8 && tr > 2.0 && va > 2.0, `${tr} ${va}`);
  const names = out('# sample from the model').split('\n');
  assert.equal(names.length, 20);
  for (const n of names) assert.match(n, /^[a-z]*\.$/);
});

test('--out: an nbformat-valid executed notebook with the imshow figure (image/svg+xml)', { skip: SKIP }, () => {
  const file = join(TMP, 'executed.ipynb');
  const nb = JSON.parse(readFileSync(file, 'utf8')) as { cells: Cell[] };
  const fig = nb.cells.find((c) => text(c.source).includes('plt.imshow(dlogits.detach()'));
  const svg = fig?.outputs?.find((o) => o.output_type === 'display_data' && o.data?.['image/svg+xml'] !== undefined);
  assert.ok(svg, JSON.stringify(fig?.outputs?.map((o) => o.output_type)));
  assert.match(text(svg.data!['image/svg+xml'] as string | string[]), /^<svg[\s\S]*<\/svg>\s*$/);
  const py = spawnSync('/usr/bin/python3', ['-c', 'import sys, nbformat; nbformat.validate(nbformat.read(sys.argv[1], as_version=4)); print("valid")', file], { encoding: 'utf8' });
  if (py.error || /No module named/.test(py.stderr)) console.log("# skipping nbformat validation: needs Debian's python3-nbformat (apt-get install -y python3-nbformat)");
  else assert.equal(py.stdout.trim(), 'valid', py.stderr);
});
