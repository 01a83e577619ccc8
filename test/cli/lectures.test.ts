// The lectures shipped in the package (lectures/, issue 18) and `notebook --lecture NAME`: the files byte for
// byte those of ../shared/notebooks, their licence notices beside them, in package.json's "files"; the
// listing, a bad name, and the working folder a lecture runs in (never inside node_modules).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { lectureSetup } from '../../src/node/commands/notebook.js';
import { LECTURES, lecturesDir } from '../../src/node/lectures.js';
import { CLI, REPO, skipOrFail } from '../helpers.js';

const TMP = mkdtempSync(join(tmpdir(), 'backprop-ninja-lectures-'));
after(() => rmSync(TMP, { recursive: true, force: true }));

test('lectures/ holds the seven notebooks, names.txt and both licences, and the package ships it', (t) => {
  assert.equal(lecturesDir(), join(REPO, 'lectures') + '/');
  for (const f of [...LECTURES.map((l) => l.file), 'names.txt', 'LICENSE-nn-zero-to-hero', 'LICENSE-makemore', 'README.md']) {
    assert.ok(existsSync(join(REPO, 'lectures', f)), f);
  }
  assert.match(readFileSync(join(REPO, 'lectures', 'LICENSE-makemore'), 'utf8'), /^MIT License\n\nCopyright \(c\) 2022 Andrej Karpathy\n/);
  const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { files: string[] };
  assert.ok(pkg.files.includes('lectures'));
  const shared = join(REPO, '..', 'shared', 'notebooks');
  if (!existsSync(shared)) {
    skipOrFail(t, 'the byte-for-byte comparison needs ../shared/notebooks');
    return;
  }
  for (const l of LECTURES) assert.ok(readFileSync(join(shared, l.file)).equals(readFileSync(join(REPO, 'lectures', l.file))), l.file);
  assert.ok(readFileSync(join(shared, 'LICENSE-nn-zero-to-hero')).equals(readFileSync(join(REPO, 'lectures', 'LICENSE-nn-zero-to-hero'))));
});

test('--lecture alone lists the lectures; a bad name is one error naming them', () => {
  const list = spawnSync(process.execPath, [CLI, 'notebook', '--lecture'], { encoding: 'utf8' });
  assert.equal(list.status, 0, list.stderr);
  for (const l of LECTURES) assert.match(list.stdout, new RegExp(`\\n  ${l.name} +.*\\(${l.file.replace('.', '\\.')}\\)`));
  const bad = spawnSync(process.execPath, [CLI, 'notebook', '--lecture', 'part9'], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^backprop-ninja: error: --lecture part9: no such lecture; one of:\n {2}micrograd1 /);
  const both = spawnSync(process.execPath, [CLI, 'notebook', 'x.py', '--lecture', 'part4'], { encoding: 'utf8' });
  assert.match(both.stderr, /give a FILE or --lecture NAME, not both/);
});

test("a lecture runs in the folder given (made if needed) or one named after it here, with names.txt beside it", () => {
  const dir = join(TMP, 'mine');
  const s = lectureSetup('part4', dir);
  assert.equal(s.cwd, dir);
  assert.equal(s.file, join(REPO, 'lectures', 'makemore_part4_backprop.ipynb'));
  assert.ok(readFileSync(join(dir, 'names.txt')).equals(readFileSync(join(REPO, 'lectures', 'names.txt'))));
  assert.match(s.note, /names\.txt copied there/);
  // a names.txt of the user's is kept
  const own = join(TMP, 'own');
  mkdirSync(own);
  writeFileSync(join(own, 'names.txt'), 'mine\n');
  assert.match(lectureSetup('part1', own).note, /its names\.txt is the one already there/);
  assert.equal(readFileSync(join(own, 'names.txt'), 'utf8'), 'mine\n');
  // the default: a new folder in the current directory, named after the notebook; micrograd needs no names.txt
  const cwd = process.cwd();
  process.chdir(TMP);
  try {
    const m = lectureSetup('micrograd1', undefined);
    assert.equal(m.cwd, join(TMP, 'micrograd_lecture_first_half_roughly'));
    assert.ok(statSync(m.cwd).isDirectory() && !existsSync(join(m.cwd, 'names.txt')));
  } finally {
    process.chdir(cwd);
  }
  assert.throws(() => lectureSetup('part4', join(TMP, 'node_modules', 'x')), /is inside node_modules, where an install may replace it; give a folder of yours with --cwd DIR/);
  assert.ok(!existsSync(join(TMP, 'node_modules')));
});
