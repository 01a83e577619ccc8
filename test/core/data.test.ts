import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildDataset, buildVocab, buildWindows, drawBatch, parseNames } from '../../src/core/reference/data.js';
import { MT19937 } from '../../src/core/random/python.js';
import { embeddedNames } from '../../src/core/reference/embedded.js';
import { UserError } from '../../src/core/errors.js';
import { readNamesTxt } from '../helpers.js';

test("names.txt: the lecture's split sizes and shuffled order", (t) => {
  const text = readNamesTxt(t);
  if (text === undefined) return;
  const ds = buildDataset(parseNames(text, 'names.txt'), 'names.txt');
  assert.equal(ds.words.length, 32033);
  assert.equal(ds.itos.join(''), '.abcdefghijklmnopqrstuvwxyz');
  assert.deepEqual([ds.train.n, ds.val.n, ds.test.n], [182625, 22655, 22866]);
  assert.deepEqual(ds.words.slice(0, 5), ['yuheng', 'diondre', 'xavien', 'jori', 'juanluis']);
});

test('context windows slide over ...name.', () => {
  const itos = buildVocab(['emma']);
  assert.deepEqual(itos, ['.', 'a', 'e', 'm']);
  const s = buildWindows(['emma'], itos, 3);
  assert.equal(s.n, 5);
  assert.deepEqual([...s.X], [0, 0, 0, 0, 0, 2, 0, 2, 3, 2, 3, 3, 3, 3, 1]);
  assert.deepEqual([...s.Y], [2, 3, 3, 1, 0]);
});

test('parseNames strips whitespace and \\r and drops blank lines', () => {
  assert.deepEqual(parseNames('ab\r\n  cd \n\n\nef', 'x'), ['ab', 'cd', 'ef']);
});

test('bad names files are one clear UserError', () => {
  assert.throws(() => parseNames('', 'f.txt'), (e: unknown) => e instanceof UserError && /f\.txt: the file is empty/.test(e.message));
  assert.throws(() => parseNames('\n \n', 'f.txt'), (e: unknown) => e instanceof UserError && /no usable name/.test(e.message));
  assert.throws(() => parseNames('ann\nj.r.\n', 'f.txt'), (e: unknown) => e instanceof UserError && /f\.txt:2: .*contains '\.'/.test(e.message));
});

test('the embedded default: lowercase, deduplicated English first names', () => {
  const w = embeddedNames();
  assert.equal(w.length, 8422);
  assert.equal(new Set(w).size, w.length);
  assert.ok(w.every((x) => x === x.toLowerCase() && !x.includes('.')));
  assert.equal(buildVocab(w).join(''), '.-abcdefghijklmnopqrstuvwxyz');
});

test('one name leaves the training split empty: drawing a batch is a UserError, not an internal error', () => {
  const ds = buildDataset(['anna'], 'one.txt');
  assert.deepEqual([ds.train.n, ds.val.n, ds.test.n], [0, 0, 5]);
  const X = new Int32Array(2 * 3);
  const Y = new Int32Array(2);
  assert.throws(() => drawBatch(ds.train, 3, new MT19937(1), X, Y), (e: unknown) => e instanceof UserError && /training split is empty/.test(e.message));
  // two names are enough: one of them trains
  const ds2 = buildDataset(['anna', 'bob'], 'two.txt');
  assert.ok(ds2.train.n > 0);
  drawBatch(ds2.train, 3, new MT19937(1), X, Y);
  assert.ok(Array.from(Y).every((y) => y >= 0 && y < ds2.itos.length));
});
