// The hostile suite of the notebook runtime (issue 19): what a program, a notebook file, a signal or a
// planted cache file can do to the runtime and the `notebook` command, each ending as CPython, Jupyter or
// the shell would have it: an error of the cell (never of the runtime), the host's files as Python names
// them, CPython's errno numbers, the executed notebook written whole, nothing left world-writable.
// Bounded: one runtime serves the in-process cases; the command is started five times.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync, copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { cellHeader, checkOut, hashSeed, printable } from '../../src/node/commands/notebook.js';
import { NotebookHost, type CellEvent } from '../../src/node/notebook-host.js';
import { findNamesTxt } from '../../src/node/notebook-worker.js';
import { readSnapshot } from '../../src/node/snapshot-cache.js';
import { OutputKeeper, type Output } from '../../src/notebook/nbformat.js';
import { FLOW_WINDOW } from '../../src/node/notebook-channel.js';
import type { CellError, CellOutcome } from '../../src/notebook/runtime.js';
import { CLI, REPO } from '../helpers.js';

const T0 = performance.now();
const TMP = mkdtempSync(join(tmpdir(), 'backprop-ninja-hostile-'));
const CACHE = join(TMP, 'cache'); // XDG_CACHE_HOME: empty (the shipped lectures/names.txt is served)
const HOME = join(TMP, 'home');
const NB = join(TMP, 'nb', 'sub'); // the notebook's folder; ../../data/names.txt is seed004's path
const SHARED = join(TMP, 'shared'); // a folder every user may write to (mode 1777), like /tmp
const LECTURE_NAMES = join(REPO, 'lectures', 'names.txt');
for (const d of [CACHE, HOME, NB, join(TMP, 'data'), SHARED]) mkdirSync(d, { recursive: true });
chmodSync(SHARED, 0o1777);
writeFileSync(join(TMP, 'data', 'names.txt'), 'ada\nbob\n');
process.env.XDG_CACHE_HOME = CACHE; // the worker and the CLI's children inherit it

let host: NotebookHost;
let events: CellEvent[] = [];
let hold: (() => void)[] | null = null; // while set, output is acknowledged only when released
let count = 0;

before(async () => {
  host = await NotebookHost.start(NB, (e) => {
    events.push(e);
    if (hold === null) return undefined;
    return new Promise<void>((release) => hold!.push(release));
  }, { env: { HOME, PATH: process.env.PATH ?? '' }, shippedNames: LECTURE_NAMES });
});
after(async () => {
  await host?.close();
  rmSync(TMP, { recursive: true, force: true });
  console.log(`# hostile.test: ${((performance.now() - T0) / 1000).toFixed(1)} s`);
});

async function cell(source: string): Promise<{ outcome: CellOutcome; out: string; err: string }> {
  events = [];
  const outcome = await host.run(source, ++count);
  const text = (name: string): string => events.map((e) => (e.type === 'stream' && e.name === name ? e.text : '')).join('');
  return { outcome, out: text('stdout'), err: text('stderr') };
}

function failed(o: CellOutcome): CellError {
  assert.equal(o.status, 'error', JSON.stringify(o));
  return o as CellError;
}

// -- crashes and hangs -----------------------------------------------------------------------------------

test("an exception whose __str__ raises is the cell's error, as CPython prints it; the runtime goes on", async () => {
  const e = failed((await cell("class E(Exception):\n    def __str__(self):\n        raise ValueError('no')\nraise E()")).outcome);
  assert.equal(e.ename, 'E');
  assert.equal(e.evalue, '<exception str() failed>');
  assert.equal(e.traceback[e.traceback.length - 1], 'E: <exception str() failed>');
  assert.equal(e.where, 4);
  // the same through the object's __repr__ as the cell's value, and a __str__ that returns no str
  const r = failed((await cell("class R:\n    def __repr__(self):\n        raise KeyError('r')\nR()")).outcome);
  assert.equal(r.ename, 'KeyError');
  const s = failed((await cell("class S(Exception):\n    def __str__(self):\n        return 3\nraise S()")).outcome);
  assert.equal(s.evalue, '<exception str() failed>');
  assert.deepEqual((await cell('1 + 1')).outcome, { status: 'ok' });
});

test('Ctrl-C again and again while tracebacks of deep recursions are formatted: the cell ends, the runtime lives', async () => {
  const src = 'import sys\nsys.setrecursionlimit(3000)\ndef g(n):\n    return g(n + 1)\nwhile True:\n    try:\n        g(0)\n    except RecursionError:\n        pass';
  for (let round = 0; round < 3; round++) {
    const hammer = setInterval(() => host.interruptCell(), 2 + round);
    let outcome: CellOutcome;
    try {
      outcome = (await cell(src)).outcome;
    } finally {
      clearInterval(hammer);
    }
    assert.equal(failed(outcome).ename, 'KeyboardInterrupt');
  }
  assert.deepEqual((await cell('x_after = 1')).outcome, { status: 'ok' });
});

test("Ctrl-C in a loop of tensor ops is never lost in a tensor's finalizer (\"Exception ignored\")", async () => {
  await cell('import torch\nx = torch.zeros(1)');
  for (let round = 0; round < 5; round++) {
    const p = cell('while True:\n    x = torch.randn(10) * 2');
    setTimeout(() => host.interruptCell(), 150);
    const r = await p;
    assert.equal(failed(r.outcome).ename, 'KeyboardInterrupt');
    assert.doesNotMatch(r.err, /Exception ignored/);
  }
});

test('unbounded recursion is a RecursionError, also with sys.setrecursionlimit(30000) or 10**6 and through C (map, partial)', async () => {
  for (const limit of ['30000', '10**6']) {
    const r = await cell(`import sys\nsys.setrecursionlimit(${limit})\ndef g(n):\n    return g(n + 1)\ng(0)`);
    const e = failed(r.outcome);
    assert.equal(e.ename, 'RecursionError');
    assert.ok(e.traceback.length < 20, 'repeated frames are folded, as CPython prints them');
    assert.match(e.traceback[e.traceback.length - 2], /^ {2}\[Previous line repeated \d+ more times\]$/);
    if (limit === '10**6') assert.match(r.err, /sys\.setrecursionlimit\(1000000\): this runtime's stack allows at most 30000; the limit is 30000/);
  }
  // recursion through C code (map, functools.partial, __getattr__) at the cap: Python's error, not a stack overflow
  const viaC = await cell("import functools\ndef h(n):\n    return list(map(h, [n + 1]))\ntry:\n    h(0)\nexcept RecursionError as e:\n    print('map', type(e).__name__)\ndef p(n):\n    return functools.partial(p)(n + 1)\ntry:\n    p(0)\nexcept RecursionError as e:\n    print('partial', type(e).__name__)");
  assert.equal(viaC.out, 'map RecursionError\npartial RecursionError\n');
  assert.equal((await cell('import sys\nsys.setrecursionlimit(1000)\nsys.getrecursionlimit()')).outcome.status, 'ok');
});

test("a huge print streams in pieces of at most 1 Mi characters, and the worker waits when the host falls behind", async () => {
  hold = [];
  const p = cell("import sys\nfor i in range(6):\n    sys.stdout.write(str(i) * (3 << 20))\nprint('end')");
  // hold every acknowledgement: the worker must stop once FLOW_WINDOW characters are unwritten
  const seen = (): number => events.reduce((n, e) => n + (e.type === 'stream' ? e.text.length : 0), 0);
  let last = -1;
  for (let i = 0; i < 100 && seen() !== last; i++) {
    last = seen();
    await new Promise((r) => setTimeout(r, 100));
  }
  const stalled = seen();
  assert.ok(stalled <= FLOW_WINDOW + (1 << 20), `${stalled} characters arrived unacknowledged (window ${FLOW_WINDOW})`);
  assert.ok(stalled < 18 << 20, 'the cell is waiting, not finished');
  const held = hold;
  const release = (): void => {
    for (const r of held.splice(0)) r();
  };
  const pump = setInterval(release, 5);
  const r = await p;
  clearInterval(pump);
  hold = null;
  release();
  assert.deepEqual(r.outcome, { status: 'ok' });
  assert.equal(r.out.length, 18 * (1 << 20) + 4);
  assert.ok(events.every((e) => e.type !== 'stream' || e.text.length <= 1 << 20), 'no piece over 1 Mi characters');
  assert.ok(r.out.startsWith('0'.repeat(3 << 20) + '1') && r.out.endsWith('5end\n'));
});

test('sys.exit(code) ends the run with the status CPython gives it', async () => {
  const cases: [string, number, string | null][] = [['', 0, null], ['3', 3, null], ['256 + 7', 7, null], ['True', 1, null], ["'bye'", 1, 'bye'], ['None', 0, null], ['2**70', 1, '1180591620717411303424']];
  for (const [code, status, message] of cases) {
    const e = failed((await cell(`import sys\nsys.exit(${code})`)).outcome);
    assert.equal(e.ename, 'SystemExit');
    assert.equal(e.exit_status, status, `sys.exit(${code})`);
    assert.equal(e.exit_message ?? null, message, `sys.exit(${code})`);
  }
});

// -- files as Python names them -------------------------------------------------------------------------

test("open, os.listdir, os.stat, os.remove, pathlib...: CPython's errno numbers and messages, and errno's constants", async () => {
  // what Debian's CPython 3.11 prints for the same code in the same folder (recorded; rerun below when present)
  const expected = [
    "FileNotFoundError: [Errno 2] No such file or directory: 'missing.txt' | 2 ENOENT True",
    "FileNotFoundError: [Errno 2] No such file or directory: 'nodir' | 2 ENOENT True",
    "FileNotFoundError: [Errno 2] No such file or directory: 'missing.txt' | 2 ENOENT True",
    "FileNotFoundError: [Errno 2] No such file or directory: 'missing.txt' | 2 ENOENT True",
    "FileNotFoundError: [Errno 2] No such file or directory: 'missing.txt' | 2 ENOENT True",
    "IsADirectoryError: [Errno 21] Is a directory: '.' | 21 EISDIR True",
    "FileExistsError: [Errno 17] File exists: '.' | 17 EEXIST True",
    "NotADirectoryError: [Errno 20] Not a directory: 'made.txt/x' | 20 ENOTDIR True",
    "OSError: [Errno 39] Directory not empty: 'd' | 39 ENOTEMPTY True",
    "FileNotFoundError: [Errno 2] No such file or directory: 'missing.txt' -> 'b' | 2 ENOENT True",
    "2 ENOENT No such file or directory Directory not empty FileNotFoundError(2, 'No such file or directory')",
  ].join('\n');
  writeFileSync(join(NB, 'made.txt'), 'hi');
  mkdirSync(join(NB, 'd'), { recursive: true });
  writeFileSync(join(NB, 'd', 'f'), '');
  const src = [
    'import errno, os, pathlib',
    "for f in (lambda: open('missing.txt'), lambda: os.listdir('nodir'), lambda: os.stat('missing.txt'), lambda: os.remove('missing.txt'),",
    "          lambda: pathlib.Path('missing.txt').read_text(), lambda: open('.'), lambda: os.mkdir('.'), lambda: open('made.txt/x'),",
    "          lambda: os.rmdir('d'), lambda: os.rename('missing.txt', 'b')):",
    '    try:',
    '        f()',
    '    except OSError as e:',
    "        print(f'{type(e).__name__}: {e} | {e.errno} {errno.errorcode[e.errno]} {e.errno == getattr(errno, errno.errorcode[e.errno])}')",
    "print(errno.ENOENT, errno.errorcode[2], os.strerror(2), os.strerror(39), repr(FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), 'x')))",
  ].join('\n');
  const r = await cell(src);
  assert.deepEqual(r.outcome, { status: 'ok' });
  assert.equal(r.out, `${expected}\n`);
  const py = spawnSync('/usr/bin/python3', ['-c', src], { cwd: NB, encoding: 'utf8' });
  if (py.error === undefined && py.status === 0) assert.equal(r.out, py.stdout, "Debian's CPython");
  // uncaught, in the cell's traceback
  const e = failed((await cell("open('missing.txt')")).outcome);
  assert.equal(e.traceback[e.traceback.length - 1], "FileNotFoundError: [Errno 2] No such file or directory: 'missing.txt'");
});

test("the host's files by the paths Python uses: relative, .., absolute, ~, %%writefile; a symlink is followed", async () => {
  const abs = join(TMP, 'abs.txt');
  const r = await cell([
    "open('../up.txt', 'w').write('up')",
    `open(${JSON.stringify(abs)}, 'w').write('abs')`,
    "import os",
    "open(os.path.expanduser('~/home.txt'), 'w').write('home')",
    "print(open('../../data/names.txt').read().split())",
  ].join('\n'));
  assert.deepEqual(r.outcome, { status: 'ok' });
  assert.equal(r.out, "['ada', 'bob']\n");
  assert.equal(readFileSync(join(TMP, 'nb', 'up.txt'), 'utf8'), 'up');
  assert.equal(readFileSync(abs, 'utf8'), 'abs');
  assert.equal(readFileSync(join(HOME, 'home.txt'), 'utf8'), 'home');
  const wf = await cell('%%writefile ../wf.txt\nline one');
  assert.equal(wf.out, 'Writing ../wf.txt\n');
  assert.equal(readFileSync(join(TMP, 'nb', 'wf.txt'), 'utf8'), 'line one\n');
  assert.equal((await cell('%%writefile -a ~/wf.txt\nx')).out, 'Writing ~/wf.txt\n');
  assert.equal((await cell('%%writefile ../wf.txt\nagain')).out, 'Overwriting ../wf.txt\n');
  assert.equal(readFileSync(join(HOME, 'wf.txt'), 'utf8'), 'x\n');
  // a names.txt that is a symbolic link to a file elsewhere is that file (not "missing", not the cached one)
  symlinkSync(join(TMP, 'data', 'names.txt'), join(NB, 'names.txt'));
  const link = await cell("print(open('names.txt').read().split())");
  assert.equal(link.err, '');
  assert.equal(link.out, "['ada', 'bob']\n");
  rmSync(join(NB, 'names.txt'));
  // files the program creates get the process's umask, as with CPython: never writable by every user
  const mode = statSync(join(TMP, 'nb', 'up.txt')).mode & 0o777;
  assert.equal(mode & 0o022, 0, `created with mode ${mode.toString(8)}`);
  assert.equal((await cell('import os\nold = os.umask(0o077)\nopen("private.txt", "w").close()\nos.umask(old)\nold')).outcome.status, 'ok');
  assert.equal(statSync(join(NB, 'private.txt')).mode & 0o777, 0o600);
});

test('a write no file of the host would hold fails as on the host, never a silent success that vanishes', async () => {
  for (const path of ['/backprop-ninja-new-top-level.txt', '/lib/python3.14/x.py']) {
    const e = failed((await cell(`open(${JSON.stringify(path)}, 'w')`)).outcome);
    assert.equal(e.evalue, `[Errno 13] Permission denied: '${path}'`);
  }
  assert.ok(!existsSync('/backprop-ninja-new-top-level.txt'));
});

test("a missing names.txt is served from memory after a sha256 check; nothing is written in a shared folder", async () => {
  const r = await cell(`import os\nos.chdir(${JSON.stringify(SHARED)})\nwords = open('names.txt').read().splitlines()\nprint(len(words), words[:3], os.path.exists('names.txt'))`);
  assert.deepEqual(r.outcome, { status: 'ok' });
  assert.equal(r.out, "32033 ['emma', 'olivia', 'ava'] False\n");
  assert.match(r.err, /names\.txt is not in .*shared: reading the copy shipped with backprop-ninja, .*lectures\/names\.txt \(no network here\)/);
  assert.deepEqual(readdirSync(SHARED), [], 'nothing created in the shared folder');
  await cell(`os.chdir(${JSON.stringify(NB)})`);
  // what the host refuses to serve: a FIFO (no wait), another file, a file that is not UTF-8
  const fifo = join(TMP, 'fifo');
  spawnSync('mkfifo', [fifo]);
  const other = join(TMP, 'other.txt');
  writeFileSync(other, Buffer.from([0xff, 0xfe, 0x41, 0x0a]));
  const got = findNamesTxt([[fifo, 'the cached download'], [other, 'the cached download']]);
  assert.ok(got !== undefined && 'problem' in got);
  if (existsSync(fifo) && lstatSync(fifo).isFIFO()) assert.match(got.problem, /not a regular file \(a FIFO\)/);
  const bad = findNamesTxt([[other, 'the cached download']]);
  assert.ok(bad !== undefined && 'problem' in bad && /is not the lecture's file \(sha256 /.test(bad.problem));
  const good = findNamesTxt([[other, 'x'], [LECTURE_NAMES, 'the copy shipped']]);
  assert.ok(good !== undefined && 'bytes' in good && good.bytes.length === 228145);
});

test("Python's random is seeded fresh at each start, --seed N seeds it as random.seed(N); run_seed() says which", async () => {
  const before = await cell('import _bpn_kernel, random\nprint(_bpn_kernel.run_seed(), hash("abc"))');
  assert.equal(before.out, 'None -1600925533\n'); // str hashes as under PYTHONHASHSEED=0 (the snapshot's seed)
  assert.equal(await host.seed(1), true);
  const r = await cell('import torch\nprint(_bpn_kernel.run_seed(), random.random(), torch.initial_seed())');
  assert.equal(r.out, '1 0.13436424411240122 1\n'); // CPython: random.seed(1); random.random()
});

// -- the command -------------------------------------------------------------------------------------------

function cli(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: opts.cwd ?? NB, encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...opts.env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function oneLine(r: { status: number | null; stderr: string }, re: RegExp): void {
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], re);
  assert.equal(r.status, 2);
}

test('--out is checked before the runtime starts: a script, a directory, an empty name, a path through a file', () => {
  writeFileSync(join(NB, 'same.py'), "print('x')\n");
  oneLine(cli(['notebook', 'same.py', '--out', 'same.py']), /--out same\.py: the executed notebook is nbformat JSON; give a file name ending in \.ipynb/);
  assert.equal(readFileSync(join(NB, 'same.py'), 'utf8'), "print('x')\n");
  mkdirSync(join(NB, 'adir.ipynb'), { recursive: true });
  oneLine(cli(['notebook', 'same.py', '--out', 'adir.ipynb']), /--out adir\.ipynb: it is a directory/);
  oneLine(cli(['notebook', 'same.py', '--out=']), /--out needs a file name ending in \.ipynb/);
  oneLine(cli(['notebook', 'same.py', '--out', 'made.txt/x.ipynb']), /--out made\.txt\/x\.ipynb: a part of the path is a file, not a directory/);
  assert.throws(() => checkOut(join(NB, 'nope', 'x.ipynb')), /the directory .*nope does not exist/);
  oneLine(cli(['notebook', 'same.py', '--seed', '1e3']), /--seed must be an integer written in digits, got '1e3'/);
  oneLine(cli(['check', '--seed', '1e3']), /--seed must be an integer written in digits, got '1e3'/);
  oneLine(cli(['notebook', 'same.py'], { env: { PYTHONHASHSEED: 'x' } }), /PYTHONHASHSEED must be "random" or an integer in range \[0; 4294967295\]/);
  assert.equal(hashSeed({ PYTHONHASHSEED: 'random' }), 'random');
  assert.equal(hashSeed({}), undefined);
});

test('a cell header shows control characters as escapes; so does a hostile exception name', () => {
  assert.equal(cellHeader(1, 'x = 1 \r\x1b[2J\x00 # hidden'), 'In [1]: x = 1 \\r\\x1b[2J\\x00 # hidden');
  assert.equal(printable('a\tb\x7f\x9b'), 'a\\tb\\x7f\\x9b');
});

test("the executed notebook keeps within its limits, says what it left out, and keeps every error", () => {
  const k = new OutputKeeper(10, 25);
  const outs: Output[] = [];
  k.startCell();
  k.add(outs, { output_type: 'stream', name: 'stdout', text: '0123456' });
  k.add(outs, { output_type: 'stream', name: 'stdout', text: 'abcdef' });
  k.add(outs, { output_type: 'display_data', data: { 'text/plain': 'x' }, metadata: {} });
  k.add(outs, { output_type: 'error', ename: 'E', evalue: 'long message', traceback: ['t'] });
  const note = k.endCell(outs);
  assert.deepEqual(outs.slice(0, 2), [{ output_type: 'stream', name: 'stdout', text: '0123456abc' }, { output_type: 'error', ename: 'E', evalue: 'long message', traceback: ['t'] }]);
  assert.match(note ?? '', /^\[backprop-ninja\] 4 more characters of this cell's output were printed but not kept here/);
  k.startCell();
  const next: Output[] = [];
  k.add(next, { output_type: 'stream', name: 'stdout', text: 'z'.repeat(12) });
  assert.deepEqual(next, [{ output_type: 'stream', name: 'stdout', text: 'z' }]); // the run's 25: 24 were used
});

/** Runs the command in the background until `ready` appears on stdout, then sends `signal`. */
function stopWith(file: string, signal: NodeJS.Signals, out: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, 'notebook', file, '--out', out], { cwd: NB, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let sent = false;
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    if (!sent && stdout.includes('looping\n')) {
      sent = true;
      setTimeout(() => child.kill(signal), 200);
    }
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

test('SIGTERM and SIGHUP stop the cell like Ctrl-C, or stop the runtime when the cell cannot be: the notebook is written, exit 143 and 129', async () => {
  writeFileSync(join(NB, 'loop.py'), "# %%\nprint('before')\n# %%\nprint('looping', flush=True)\ni = 0\nwhile True:\n    i += 1\n# %%\nprint('never')\n");
  // time.sleep waits in C, where no interrupt is looked at: SIGHUP's 2 s of grace pass, and the runtime is stopped
  writeFileSync(join(NB, 'sleep.py'), "# %%\nprint('before')\n# %%\nprint('looping', flush=True)\nimport time\ntime.sleep(120)\n# %%\nprint('never')\n");
  const [term, hup] = await Promise.all([stopWith('loop.py', 'SIGTERM', 'term.ipynb'), stopWith('sleep.py', 'SIGHUP', 'hup.ipynb')]);
  type Saved = { cells: { execution_count: number | null; outputs: { output_type: string; ename?: string; text?: string[] }[] }[] };
  assert.equal(term.code, 143, term.stderr);
  assert.match(term.stderr, /\nstopped by SIGTERM at In \[2\] \(cell 2 of 3\), line [34]\n$/);
  assert.match(term.stdout, /wrote term\.ipynb\n$/);
  const t = JSON.parse(readFileSync(join(NB, 'term.ipynb'), 'utf8')) as Saved;
  assert.deepEqual(t.cells.map((c) => c.execution_count), [1, 2, null]);
  assert.equal(t.cells[1].outputs.at(-1)?.ename, 'KeyboardInterrupt');
  assert.equal(hup.code, 129, hup.stderr);
  assert.match(hup.stderr, /\nstopped by SIGHUP at In \[2\] \(cell 2 of 3\): stopped the runtime\n$/);
  assert.match(hup.stdout, /wrote hup\.ipynb\n$/);
  const h = JSON.parse(readFileSync(join(NB, 'hup.ipynb'), 'utf8')) as Saved;
  assert.deepEqual(h.cells.map((c) => c.execution_count), [1, 2, null]);
  assert.deepEqual(h.cells[1].outputs, [{ output_type: 'stream', name: 'stdout', text: ['looping\n'] }]);
});

test('--out over its own .ipynb after a failed cell: the cells the run did not reach keep their outputs', () => {
  const nb = {
    nbformat: 4, nbformat_minor: 5, metadata: {},
    cells: [
      { cell_type: 'code', id: 'a', metadata: {}, execution_count: 1, outputs: [], source: 'print(1)' },
      { cell_type: 'code', id: 'b', metadata: {}, execution_count: 2, outputs: [], source: 'raise ValueError("stop")' },
      { cell_type: 'code', id: 'c', metadata: {}, execution_count: 3, outputs: [{ output_type: 'stream', name: 'stdout', text: ['kept\n'] }], source: "print('kept')" },
    ],
  };
  writeFileSync(join(NB, 'self.ipynb'), JSON.stringify(nb));
  const r = cli(['notebook', 'self.ipynb', '--out', 'self.ipynb']);
  assert.equal(r.status, 1, r.stderr);
  const saved = JSON.parse(readFileSync(join(NB, 'self.ipynb'), 'utf8')) as typeof nb;
  assert.deepEqual(saved.cells[2].outputs, nb.cells[2].outputs);
  assert.equal(saved.cells[2].execution_count, 3);
  assert.equal(saved.cells[1].outputs.length, 1);
});

test('a damaged cached snapshot is refused with a note, the start is fresh, and a good snapshot replaces it', () => {
  const dir = join(CACHE, 'backprop-ninja');
  const snap = readdirSync(dir).find((f) => f.endsWith('.snapshot'));
  assert.ok(snap !== undefined, 'the runtime above left a snapshot');
  const path = join(dir, snap);
  const bytes = readFileSync(path);
  bytes[bytes.length >> 1] ^= 0xff;
  writeFileSync(path, bytes);
  writeFileSync(join(NB, 'one.py'), 'print(6 * 7)\n');
  const r = cli(['notebook', 'one.py']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /not using the cached interpreter snapshot: .*: its checksum does not match \(corrupted\); starting fresh/);
  assert.doesNotMatch(r.stdout, /from its cached snapshot/);
  assert.match(r.stdout, /\n42\n/);
  const now = readSnapshot(path);
  assert.ok(now.payload !== undefined && now.problem === undefined, 'rewritten whole');
});

test('two runs draw different random numbers and os.urandom; str hashes are the snapshot\'s (PYTHONHASHSEED=0)', async () => {
  // run as `--cwd <the system's temp folder>` with a FIFO as the cached names.txt: open('names.txt') reads
  // the shipped copy, with no wait on the FIFO and nothing written in the shared temp folder
  const cache = join(TMP, 'cache-fifo');
  mkdirSync(join(cache, 'backprop-ninja'), { recursive: true, mode: 0o700 });
  const snap = readdirSync(join(CACHE, 'backprop-ninja')).find((f) => f.endsWith('.snapshot'));
  if (snap !== undefined) copyFileSync(join(CACHE, 'backprop-ninja', snap), join(cache, 'backprop-ninja', snap));
  spawnSync('mkfifo', [join(cache, 'backprop-ninja', 'names.txt')]);
  const shared = join(tmpdir(), 'backprop-ninja-cache');
  const sharedBefore = existsSync(shared) ? statSync(shared).mtimeMs : undefined;
  const tmpHasNames = existsSync(join(tmpdir(), 'names.txt'));
  writeFileSync(join(NB, 'entropy.py'), "import random, os\nn = len(open('names.txt').read().split())\nprint(random.random(), os.urandom(8).hex(), hash('abc'), n)\n");
  const run = (): Promise<{ last: string; stderr: string }> => new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'notebook', join(NB, 'entropy.py'), '--cwd', tmpdir()], {
      cwd: NB, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, XDG_CACHE_HOME: cache },
    });
    let out = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const kill = setTimeout(() => child.kill('SIGKILL'), 100_000);
    child.on('exit', () => {
      clearTimeout(kill);
      resolve({ last: out.trim().split('\n').at(-1) ?? '', stderr });
    });
  });
  const [a, b] = await Promise.all([run(), run()]);
  const [ra, ua, ha, na] = a.last.split(' ');
  const [rb, ub, hb] = b.last.split(' ');
  assert.notEqual(ra, rb, 'random.random()');
  assert.notEqual(ua, ub, 'os.urandom(8)');
  assert.equal(ha, '-1600925533', a.stderr);
  assert.equal(hb, ha);
  if (!tmpHasNames) {
    assert.equal(na, '32033', a.stderr);
    assert.match(a.stderr, /reading the copy shipped with backprop-ninja/);
  }
  assert.equal(existsSync(shared) ? statSync(shared).mtimeMs : undefined, sharedBefore, `nothing made or changed in ${shared}`);
});
