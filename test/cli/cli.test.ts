// The command line, as a user runs it: `node dist/src/node/cli.js ...` in a child process. Output formats,
// exit codes, the files `init` and `grads` write, and every bad input as exactly one stderr line.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import * as T from '../../src/core/torch/index.js';
import { autogradForward, manualGradients } from '../../src/core/judge/check.js';
import { decodeCheckpoint, encodeCheckpoint } from '../../src/core/run/checkpoint.js';
import { GRAD_NAMES, initParams } from '../../src/core/reference/model.js';
import { decodeSafetensors } from '../../src/core/run/safetensors.js';
import { lectureName } from '../../src/core/reference/names.js';
import { AZ_NAMES, CLI, REPO, needNames } from '../helpers.js';

const TMP = mkdtempSync(join(tmpdir(), 'backprop-ninja-cli-'));
after(() => rmSync(TMP, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(...args: string[]): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, BACKPROP_NINJA_DEBUG: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Exactly one stderr line `backprop-ninja: error: ...` matching re, exit 2, no stack trace, nothing on stdout. */
function expectUserError(r: Run, re: RegExp): void {
  const lines = r.stderr.split('\n').filter((l) => l.length > 0);
  assert.equal(lines.length, 1, `one stderr line, got:\n${r.stderr}`);
  assert.match(lines[0], /^backprop-ninja: error: /);
  assert.match(lines[0], re);
  assert.doesNotMatch(r.stderr, /\n\s+at |internal error/);
  assert.equal(r.code, 2, `exit code (stderr: ${r.stderr})`);
  assert.equal(r.stdout, '');
}

const tmpFile = (name: string, text: string | Uint8Array): string => {
  const p = join(TMP, name);
  writeFileSync(p, text);
  return p;
};

/** The 26 names the lecture notebook's cmp prints, in its order (makemore_part4_backprop.ipynb, exercise 1). */
const LECTURE_CMP = [
  'logprobs', 'probs', 'counts_sum_inv', 'counts_sum', 'counts', 'norm_logits', 'logit_maxes', 'logits', 'h', 'W2',
  'b2', 'hpreact', 'bngain', 'bnbias', 'bnraw', 'bnvar_inv', 'bnvar', 'bndiff2', 'bndiff', 'bnmeani', 'hprebn',
  'embcat', 'W1', 'b1', 'emb', 'C',
];

// a row of the lecture's cmp: name padded to 15, then the three facts
const ROW = /^(.{15}) \| exact: (True |False) \| approximate: (True |False) \| maxdiff: (\S+)/;

test('check: exit 0, the 26 rows of exercise 1 and the 2 fused rows in the lecture\'s format', () => {
  const r = cli('check');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  const rows = r.stdout.split('\n').filter((l) => ROW.test(l));
  assert.equal(rows.length, 26 + 2);
  assert.deepEqual(rows.map((l) => l.slice(0, 15).trim()), [...LECTURE_CMP, 'logits (ex.2)', 'hprebn (ex.3)']);
  assert.ok(rows[0].startsWith('logprobs        | exact: True  | approximate: True  | maxdiff: 0.0 '), rows[0]);
  for (const l of rows.slice(0, 26)) assert.match(l, /\| exact: True  \| approximate: True  \| maxdiff: 0\.0 /);
  for (const l of rows.slice(26)) {
    const maxdiff = Number(ROW.exec(l)![4]);
    assert.ok(maxdiff <= 1e-8, l);
    assert.match(l, /approximate: True /);
  }
  assert.match(r.stdout, /^data: +embedded default/m);
  assert.match(r.stdout, /^OK: 26\/26 exact/m);
});

test('check --json parses, and says the same', () => {
  const r = cli('check', '--json', '--n-hidden', '16');
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout) as {
    ok: boolean; loss: number; config: { nHidden: number; vocabSize: number };
    rows: { name: string; exact: boolean; shapeOk: boolean }[]; fused: { name: string; maxdiff: number }[]; fd: unknown;
    trainingPaths: { engine: string; rows: { name: string; maxdiff: number; scale: number; ok: boolean }[] }[];
  };
  assert.equal(j.ok, true);
  assert.equal(j.config.nHidden, 16);
  assert.ok(j.loss > 2 && j.loss < 5, `loss ${j.loss} near -ln(1/V) = ${Math.log(j.config.vocabSize)}`);
  assert.deepEqual(j.rows.map((x) => x.name), LECTURE_CMP);
  assert.ok(j.rows.every((x) => x.exact && x.shapeOk));
  assert.deepEqual(j.fused.map((x) => x.name), ['logits (ex.2)', 'hprebn (ex.3)']);
  assert.ok(j.fused.every((x) => x.maxdiff <= 1e-8));
  assert.equal(j.fd, null);
  // the fast training step (the wasm engine) agrees with the autograd on every parameter gradient
  assert.deepEqual(j.trainingPaths.map((p) => p.engine), ['wasm']);
  for (const p of j.trainingPaths) {
    assert.deepEqual(p.rows.map((x) => x.name), ['C', 'W1', 'b1', 'W2', 'b2', 'bngain', 'bnbias']);
    assert.ok(p.rows.every((x) => x.ok && x.maxdiff <= 1e-5 * x.scale + 1e-8), JSON.stringify(p));
  }
});

test('check -i names.txt --dtype float64 --fd --n-hidden 8: every parameter passes finite differences', (t) => {
  const NAMES_TXT = needNames(t);
  if (NAMES_TXT === undefined) return;
  const r = cli('check', '-i', NAMES_TXT, '--dtype', 'float64', '--fd', '--n-hidden', '8');
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const fd = r.stdout.split('\n').filter((l) => /\| entries: /.test(l));
  assert.deepEqual(fd.map((l) => l.split(' ')[0]), ['C', 'W1', 'b1', 'W2', 'b2', 'bngain', 'bnbias']);
  for (const l of fd) assert.match(l, /\| ok$/);
  for (const l of fd.filter((x) => !x.startsWith('b1 '))) {
    const rel = Number(/max rel err: (\S+)/.exec(l)![1]);
    assert.ok(rel <= 1e-6, l);
  }
  assert.match(r.stdout, /model: E=10 T=3 H=8 V=27/);
  assert.match(r.stdout, /finite differences agree/);
});

test('data -i names.txt: the split sizes and the first shuffled names', (t) => {
  const NAMES_TXT = needNames(t);
  if (NAMES_TXT === undefined) return;
  const r = cli('data', '-i', NAMES_TXT);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /names: +32033/);
  assert.match(r.stdout, /train 182625 \/ val 22655 \/ test 22866/);
  assert.match(r.stdout, /shuffled: +yuheng, diondre, xavien, jori, juanluis,/);
  const j = JSON.parse(cli('data', '-i', NAMES_TXT, '--json', '--show', '5').stdout) as {
    split: { train: number; val: number; test: number }; firstShuffled: string[]; vocab: string;
  };
  assert.deepEqual(j.split, { train: 182625, val: 22655, test: 22866 });
  assert.deepEqual(j.firstShuffled, ['yuheng', 'diondre', 'xavien', 'jori', 'juanluis']);
  assert.equal(j.vocab, '.abcdefghijklmnopqrstuvwxyz');
});

test('init then grads: X, Y, loss, d.<26>, fused.*, matching check and the autograd on the same batch', (tc) => {
  const NAMES_TXT = needNames(tc);
  if (NAMES_TXT === undefined) return;
  const ck = join(TMP, 'model.safetensors');
  const out = join(TMP, 'grads.safetensors');
  const i = cli('init', '-i', NAMES_TXT, '--out', ck, '--n-hidden', '16', '--seed', '3');
  assert.equal(i.code, 0, i.stderr);
  const g = cli('grads', '--checkpoint', ck, '-i', NAMES_TXT, '--seed', '5', '--batch-size', '12', '--out', out);
  assert.equal(g.code, 0, g.stderr);
  assert.deepEqual(readdirSync(TMP).filter((f) => f.includes('.tmp')), [], 'no temp file left after a good write');

  const file = decodeSafetensors(readFileSync(out), out);
  const expected = ['X', 'Y', 'loss', ...LECTURE_CMP.map((k) => `d.${k}`), 'fused.logits', 'fused.hprebn'];
  assert.deepEqual([...file.tensors.keys()], expected);
  const X = file.tensors.get('X')!;
  const Y = file.tensors.get('Y')!;
  assert.equal(X.dtype, 'I32');
  assert.deepEqual(X.shape, [12, 3]);
  assert.equal(Y.dtype, 'I32');
  assert.deepEqual(Y.shape, [12]);
  assert.deepEqual(file.tensors.get('loss')!.shape, []);

  // `check` on the same checkpoint, data and seed draws the same batch: the same loss, all exact
  const c = cli('check', '--checkpoint', ck, '-i', NAMES_TXT, '--seed', '5', '--batch-size', '12', '--json');
  assert.equal(c.code, 0, c.stderr);
  const cj = JSON.parse(c.stdout) as { loss: number; ok: boolean };
  assert.equal(cj.loss, file.tensors.get('loss')!.data[0]);
  assert.ok(cj.ok);

  // and every d.* equals, bit for bit, the judge's gradient (the autograd) on the file's own batch
  const model = decodeCheckpoint(readFileSync(ck), ck);
  const t = autogradForward(model.params, X.data as Int32Array, Y.data as Int32Array, model.cfg);
  T.backward(t.loss);
  for (const k of GRAD_NAMES) {
    const d = file.tensors.get(`d.${lectureName(k)}`)!;
    assert.deepEqual(d.shape, [...t[k].shape], `d.${k} shape`);
    assert.deepEqual(Array.from(d.data), Array.from(T.values(t[k].grad!)), `d.${k}`);
  }
  const m = manualGradients(model.params, X.data as Int32Array, Y.data as Int32Array, model.cfg);
  assert.deepEqual(Array.from(file.tensors.get('fused.logits')!.data), Array.from(m.dlogitsFused.data));
  assert.deepEqual(Array.from(file.tensors.get('fused.hprebn')!.data), Array.from(m.dhprebnFused.data));
});

test('bad inputs: one clear line each, exit 2, no stack trace', () => {
  const dir = join(TMP, 'a-directory');
  mkdirSync(dir, { recursive: true });
  expectUserError(cli('check', '-i', join(TMP, 'no-such-names.txt')), /cannot read names file .*no-such-names\.txt: no such file or directory/);
  expectUserError(cli('check', '-i', dir), /cannot read names file .*a-directory: it is a directory/);
  expectUserError(cli('data', '-i', tmpFile('dot.txt', 'ann\nj.r.\nbob\n')), /dot\.txt:2: the name "j\.r\." contains '\.'/);
  expectUserError(cli('check', '-i', tmpFile('empty.txt', '')), /empty\.txt: the file is empty/);
  expectUserError(cli('check', '-i', tmpFile('blank.txt', '\n  \n\r\n')), /blank\.txt: no usable name/);
  expectUserError(cli('check', '-i', tmpFile('latin1.txt', Uint8Array.from([0x61, 0xe9, 0x0a]))), /latin1\.txt: not valid UTF-8/);
  expectUserError(cli('check', '-i', tmpFile('one.txt', 'anna\n')), /training split is empty/);
  expectUserError(cli('check', '--n-hiden', '8'), /unknown flag --n-hiden for 'check'; did you mean --n-hidden\?/);
  expectUserError(cli('chekc'), /unknown command 'chekc'; did you mean 'check'\?/);
  expectUserError(cli('check', '--n-hidden', 'abc'), /--n-hidden must be a number, got 'abc'/);
  expectUserError(cli('check', '--n-hidden', '2.5'), /--n-hidden must be an integer, got '2\.5'/);
  expectUserError(cli('check', '--n-hidden', '0'), /--n-hidden must be an integer >= 1, got 0/);
  expectUserError(cli('check', '--n-hidden'), /--n-hidden needs a value/);
  expectUserError(cli('check', '--dtype', 'float16'), /--dtype must be one of float32, float64, got 'float16'/);
  expectUserError(cli('check', '--batch-size', '1'), /--batch-size must be an integer >= 2, got 1/);
  expectUserError(cli('check', '--fd'), /finite differences need float64 parameters: add --dtype float64/);
  expectUserError(cli('grads', '--out', join(TMP, 'x.safetensors')), /grads needs --checkpoint/);
});

test('bad checkpoints: truncated, another vocabulary, not a checkpoint at all', () => {
  const ck = join(TMP, 'default.safetensors');
  const azNames = tmpFile('az-names.txt', AZ_NAMES); // the lecture's vocabulary
  assert.equal(cli('init', '--out', ck, '--n-hidden', '8').code, 0); // the embedded default: 28 tokens, with '-'
  const bytes = readFileSync(ck);
  const trunc = tmpFile('trunc.safetensors', bytes.subarray(0, bytes.length - 10));
  const out = join(TMP, 'never.safetensors');
  expectUserError(cli('grads', '--checkpoint', trunc, '--out', out), /trunc\.safetensors: not a valid safetensors file: .*truncated/);
  expectUserError(cli('check', '--checkpoint', trunc), /trunc\.safetensors: not a valid safetensors file/);
  expectUserError(cli('grads', '--checkpoint', ck, '-i', azNames, '--out', out),
    /default\.safetensors was made for a vocabulary of 28 tokens "\.-abcdefghijklmnopqrstuvwxyz" .* but .*az-names\.txt has 27 tokens, differing from token 1 on/);
  expectUserError(cli('check', '--checkpoint', ck, '-i', azNames), /was made for a vocabulary of 28 tokens/);
  expectUserError(cli('check', '--checkpoint', tmpFile('text.safetensors', 'hello, not a checkpoint')), /text\.safetensors: not a valid safetensors file/);
  expectUserError(cli('check', '--checkpoint', join(TMP, 'missing.safetensors')), /cannot read checkpoint .*missing\.safetensors: no such file or directory/);
  assert.deepEqual(readdirSync(TMP).filter((f) => f.startsWith('never')), [], 'nothing written on failure');
});

test('--out into a missing directory or onto a directory: one error line, no temp file left behind', () => {
  const box = join(TMP, 'box');
  mkdirSync(join(box, 'sub'), { recursive: true });
  expectUserError(cli('init', '--out', join(box, 'nope', 'ck.safetensors')), /cannot write .*nope\/ck\.safetensors: no such file or directory/);
  // onto an existing directory: the temp file is written, the rename fails, and the temp file must go
  expectUserError(cli('init', '--out', join(box, 'sub')), /cannot write .*box\/sub: it is a directory/);
  assert.deepEqual(readdirSync(box), ['sub']);
  assert.deepEqual(readdirSync(join(box, 'sub')), []);
  const ck = join(TMP, 'for-grads.safetensors');
  assert.equal(cli('init', '--out', ck, '--n-hidden', '4').code, 0);
  expectUserError(cli('grads', '--checkpoint', ck, '--out', join(box, 'nope', 'g.safetensors')), /cannot write .*no such file or directory/);
  expectUserError(cli('grads', '--checkpoint', ck, '--out', join(box, 'sub')), /it is a directory/);
  assert.deepEqual(readdirSync(box), ['sub']);
});

test('a checkpoint holding a NaN is refused on load by every command, naming the tensor (issue 12)', () => {
  const cfg = { vocabSize: 27, nEmbd: 4, nHidden: 6, blockSize: 3 };
  const p = initParams(cfg, 'float32', 1);
  p.W2.data[5] = NaN; // a diverged model: it once gave `loss NaN` with exit 0 in grads, 64 z's in sample
  const ck = tmpFile('nan.safetensors', encodeCheckpoint(p, cfg, [...'.abcdefghijklmnopqrstuvwxyz'], 1));
  const azNames = tmpFile('az-names.txt', AZ_NAMES);
  const re = /nan\.safetensors: not a usable backprop-ninja checkpoint: tensor "W2" holds NaN at index 5 \(a diverged run\?\); it cannot be used/;
  expectUserError(cli('check', '--checkpoint', ck, '-i', azNames, '--batch-size', '4'), re);
  expectUserError(cli('grads', '--checkpoint', ck, '-i', azNames, '--out', join(TMP, 'nan-grads.safetensors')), re);
  expectUserError(cli('eval', '--checkpoint', ck), re);
  expectUserError(cli('sample', '--checkpoint', ck), re);
});

test('--version and -V print the version from package.json; the bin is executable (npx in a fresh clone)', () => {
  const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
  for (const flag of ['--version', '-V']) {
    const r = cli(flag);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `backprop-ninja ${version}\n`);
  }
  if (process.platform !== 'win32') assert.ok((statSync(CLI).mode & 0o111) !== 0, `${CLI} is not executable: npm run build chmods it`);
});
