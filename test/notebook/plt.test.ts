// The notebook's matplotlib.pyplot (src/notebook/python/matplotlib, pure Python) through its Python tests
// (test/python/test_pyplot.py, standard library only), run twice: by the machine's python3 (CPython), and
// inside Pyodide from node_modules (the CPython the notebook runtime runs on), with the module and test files
// copied into its file system. Skips with one visible line when python3 is missing.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO } from '../helpers.js';

const PYTHON = process.env.BPN_PYTHON ?? 'python3';
const probe = spawnSync(PYTHON, ['--version'], { encoding: 'utf8' });
const noPython = probe.status === 0 ? false : `no ${PYTHON} on PATH: the pyplot tests need a CPython 3.8+`;
if (noPython) console.log(`# skip plt.test: ${noPython}`);

test('pyplot Python tests pass under CPython', { skip: noPython }, () => {
  const t0 = Date.now();
  const r = spawnSync(PYTHON, ['-m', 'unittest', 'discover', '-s', join(REPO, 'test', 'python'), '-p', 'test_*.py'], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 60_000,
  });
  const out = `${r.stdout}${r.stderr}`;
  assert.equal(r.status, 0, `python3 -m unittest failed:\n${out}`);
  const ran = /Ran (\d+) tests?/.exec(out);
  assert.ok(ran && Number(ran[1]) >= 15, `expected the pyplot tests to run:\n${out}`);
  assert.match(out, /\nOK/);
  console.log(`${probe.stdout.trim() || probe.stderr.trim()}: ${ran[1]} pyplot tests OK in ${Date.now() - t0} ms`);
});

test('pyplot Python tests pass inside Pyodide (the notebook runtime\'s CPython)', async () => {
  const t0 = Date.now();
  const { loadPyodide } = await import('pyodide');
  const py = await loadPyodide();
  const copy = (from: string, to: string, ext: string): void => { // the package's subfolders too (axes/, backends/)
    py.FS.mkdirTree(to);
    for (const f of readdirSync(from, { withFileTypes: true })) {
      if (f.isDirectory() && f.name !== '__pycache__') copy(join(from, f.name), `${to}/${f.name}`, ext);
      else if (f.name.endsWith(ext)) py.FS.writeFile(`${to}/${f.name}`, readFileSync(join(from, f.name), 'utf8'));
    }
  };
  copy(join(REPO, 'src', 'notebook', 'python', 'matplotlib'), '/repo/src/notebook/python/matplotlib', '.py');
  copy(join(REPO, 'test', 'python'), '/repo/test/python', '.py');
  py.FS.mkdirTree('/repo/test/fixtures');
  py.FS.writeFile('/repo/test/fixtures/plt_ticks.json', readFileSync(join(REPO, 'test', 'fixtures', 'plt_ticks.json'), 'utf8'));
  const res = py.runPython(`
import io, sys, unittest
sys.path.insert(0, '/repo/test/python')
import test_pyplot
_stream = io.StringIO()
_r = unittest.TextTestRunner(stream=_stream).run(unittest.defaultTestLoader.loadTestsFromModule(test_pyplot))
[_r.wasSuccessful(), _r.testsRun, _stream.getvalue(), sys.version.split()[0]]
`) as { toJs(): [boolean, number, string, string]; destroy(): void };
  const [ok, ran, out, version] = res.toJs();
  res.destroy();
  assert.ok(ok, `pyplot tests failed in Pyodide (Python ${version}):\n${out}`);
  assert.ok(ran >= 15);
  console.log(`Pyodide Python ${version}: ${ran} pyplot tests OK in ${Date.now() - t0} ms (runtime start included)`);
});
