// torch.nn and torch.optim additions against Debian's PyTorch 1.13: activations (gelu, leaky_relu, silu, elu
// and their modules), nn.utils.clip_grad_norm_/clip_grad_value_, optim.lr_scheduler, torch.save/torch.load and
// torch.device. The cells of test/python/nn_extra_cells.py run one by one in one runtime, and each cell's stdout,
// stderr, Out and error equal what PyTorch printed for it (scripts/make_nn_extra_fixture.py ->
// test/fixtures/torch_nn_extra.json) character for character. Two things are normalised: the path and line
// number of a warning raised in torch's own files (PyTorch's site-packages vs the runtime's; the message and
// the source line shown under it are compared), and the grad_fn names of the composed activations, which are
// those of their last op (docs/torch-nn-optim.md). A `# numeric` cell prints JSON floats, compared within
// float32 rounding: each activation is a few float32 ops (erf, tanh, exp in another implementation than
// PyTorch's vectorised ones), so a few units in the last place of the value's magnitude.

import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { NotebookHost, type CellEvent } from '../../src/node/notebook-host.js';
import { REPO } from '../helpers.js';

const T0 = performance.now();
const TMP = mkdtempSync(join(tmpdir(), 'backprop-ninja-nn-extra-'));

interface Record { stdout: string; stderr: string; result: string | null; error: string | null }
const FIXTURE = JSON.parse(readFileSync(join(REPO, 'test', 'fixtures', 'torch_nn_extra.json'), 'utf8')) as {
  cells: string[];
  records: Record[];
  ours_by_pytorch: { [file: string]: string };
};
/** the files the torch.save cells write, committed as test/fixtures/torch_save_<name> and read there by PyTorch */
const SAVED = ['ours.pt', 'sd.pt'];
const saved: { [file: string]: Buffer } = {};

const ours: Record[] = [];

before(async () => {
  let events: CellEvent[] = [];
  const host = await NotebookHost.start(TMP, (e) => events.push(e));
  try {
    const t = performance.now();
    const slow: string[] = [];
    await host.run(`FIXTURES = ${JSON.stringify(join(REPO, 'test', 'fixtures'))}`, 0);
    for (const [i, source] of FIXTURE.cells.entries()) {
      events = [];
      const t1 = performance.now();
      const outcome = await host.run(source, i + 1);
      if (performance.now() - t1 > 300) slow.push(`cell ${i + 1} ${((performance.now() - t1) / 1000).toFixed(1)} s`);
      const text = (name: string) => events.map((e) => (e.type === 'stream' && e.name === name ? e.text : '')).join('');
      const result = events.find((e) => e.type === 'result');
      ours.push({
        stdout: text('stdout'),
        stderr: text('stderr'),
        result: result && result.type === 'result' ? result.text : null,
        error: outcome.status === 'error' ? `${outcome.ename}: ${outcome.evalue}` : null,
      });
    }
    console.log(`# cells ran in ${((performance.now() - t) / 1000).toFixed(1)} s (runtime start ${(host.info.startMs / 1000).toFixed(1)} s; ${slow.join(', ') || 'no cell over 0.3 s'})`);
    for (const name of SAVED) {
      saved[name] = readFileSync(join(TMP, name));
      // UPDATE_TORCH_SAVE=1: the runtime's files become the fixtures (then run scripts/make_nn_extra_fixture.py)
      if (process.env.UPDATE_TORCH_SAVE) copyFileSync(join(TMP, name), join(REPO, 'test', 'fixtures', `torch_save_${name}`));
    }
  } finally {
    await host.close();
  }
});
after(() => {
  rmSync(TMP, { recursive: true, force: true });
  console.log(`# nn-extra.test: ${((performance.now() - T0) / 1000).toFixed(1)} s`);
});

/** grad_fn names PyTorch gives the activations' outputs; ours are their last op's (docs/torch-nn-optim.md) */
const GRAD_FN = /grad_fn=<(GeluBackward0|LeakyReluBackward0|SiluBackward0|EluBackward0|MulBackward0|WhereBackward0)>/g;
const normalise = (s: string) => s.replace(/^\S*\/torch\/([\w/]+\.py):\d+:/gm, 'torch/$1:N:').replace(GRAD_FN, 'grad_fn=<ACT>');

test('nn extras: every cell prints, warns and fails as in PyTorch 1.13, character for character', () => {
  assert.equal(ours.length, FIXTURE.cells.length);
  FIXTURE.records.forEach((want, i) => {
    const got = ours[i];
    const what = `cell ${i + 1} (${FIXTURE.cells[i].split('\n')[0]})`;
    assert.equal(got.error, want.error, `${what}: error`);
    assert.equal(normalise(got.stderr), normalise(want.stderr), `${what}: stderr`);
    assert.equal(got.result, want.result, `${what}: Out`);
    if (FIXTURE.cells[i].startsWith('# numeric')) return;
    assert.equal(normalise(got.stdout), normalise(want.stdout), `${what}: stdout`);
  });
});

test('nn extras: activation values and gradients within float32 rounding of PyTorch\'s', () => {
  let n = 0;
  FIXTURE.cells.forEach((cell, i) => {
    if (!cell.startsWith('# numeric')) return;
    const { x, ...want } = JSON.parse(FIXTURE.records[i].stdout) as { [k: string]: number[][] } & { x: number[] };
    const got = JSON.parse(ours[i].stdout) as { [k: string]: number[][] };
    for (const [name, arrays] of Object.entries(want)) {
      arrays.forEach((values, a) => values.forEach((v, j) => {
        const g = got[name][a][j];
        // 4 ulp of the value, of 1 near 0 (1 + erf(x) and 1 + tanh(x) cancel there) and, for a gradient, of
        // |x| (sigmoid's 1 - s cancels: its rounding error is scaled by x)
        const tol = 4 * 2 ** -24 * Math.max(Math.abs(v), 1, a ? Math.abs(x[j]) : 0);
        if (!(Math.abs(g - v) <= tol)) assert.fail(`${name} ${a ? 'grad' : 'value'}[${j}]: ${g} vs PyTorch ${v}`);
        n++;
      }));
    }
  });
  assert.ok(n >= 500, `${n} values compared`);
});

test('torch.save: the runtime writes the very files PyTorch 1.13 was checked to read (its torch.load, weights_only for a state_dict)', () => {
  const showCell = FIXTURE.cells.findIndex((c) => c.startsWith('# torch.save / torch.load'));
  for (const name of SAVED) {
    const committed = readFileSync(join(REPO, 'test', 'fixtures', `torch_save_${name}`));
    assert.ok(saved[name].equals(committed), `${name}: the runtime's bytes differ from test/fixtures/torch_save_${name} (UPDATE_TORCH_SAVE=1, then scripts/make_nn_extra_fixture.py)`);
  }
  // what PyTorch read from our ours.pt is what the runtime read back from it (and what PyTorch read from its own)
  assert.equal(`${FIXTURE.ours_by_pytorch['ours.pt']}\n`, ours[showCell].stdout);
  assert.equal(`${FIXTURE.ours_by_pytorch['ours.pt']}\n`, FIXTURE.records[showCell].stdout);
  assert.match(FIXTURE.ours_by_pytorch['sd.pt'], /^OrderedDict\{'0\.weight': Tensor\(torch\.float32, \[2, 3\]/);
  // a zip whose records' data start at multiples of 64 bytes, as PyTorch's writer puts them
  const file = saved['ours.pt'];
  let records = 0;
  for (let at = 0; file.readUInt32LE(at) === 0x04034b50; records++) { // local file headers, one after another
    const data = at + 30 + file.readUInt16LE(at + 26) + file.readUInt16LE(at + 28);
    assert.equal(data % 64, 0, `record ${records}: data at ${data}`);
    at = data + file.readUInt32LE(at + 18);
  }
  assert.ok(records >= 10, `${records} records`);
});
