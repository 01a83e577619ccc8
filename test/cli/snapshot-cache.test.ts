// The interpreter snapshot in the cache is untrusted input (issue 19): a FIFO, a link to /dev/zero, a
// truncated, corrupted, oversized or planted file is refused at once (never waited on, never read past the
// cap, never run), and the next start writes a whole one in its place.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { decodeSnapshot, encodeSnapshot, readSnapshot, writeSnapshot } from '../../src/node/snapshot-cache.js';

const TMP = mkdtempSync(join(tmpdir(), 'backprop-ninja-snapshot-'));
after(() => rmSync(TMP, { recursive: true, force: true }));

const payload = new Uint8Array(4096).map((_, i) => (i * 7) & 0xff);

function dir(name: string): string {
  const d = join(TMP, name, 'backprop-ninja');
  mkdirSync(d, { recursive: true });
  chmodSync(d, 0o700);
  return d;
}

test('a whole snapshot reads back; its directory is made private', () => {
  const path = join(TMP, 'fresh', 'backprop-ninja', 'pyodide-314.0.7-0123abcd.snapshot');
  assert.equal(writeSnapshot(path, payload), null);
  assert.equal(statSync(join(TMP, 'fresh', 'backprop-ninja')).mode & 0o777, 0o700);
  const got = readSnapshot(path);
  assert.deepEqual(got.payload, payload);
  assert.equal(got.writable, true);
  // a snapshot of another build beside it is removed when a new one is written
  writeFileSync(join(TMP, 'fresh', 'backprop-ninja', 'pyodide-314.0.7-ffffffff.snapshot'), 'old');
  writeSnapshot(path, payload);
  assert.throws(() => statSync(join(TMP, 'fresh', 'backprop-ninja', 'pyodide-314.0.7-ffffffff.snapshot')));
});

test('truncated, padded, corrupted or foreign bytes are refused by the checksum and the length', () => {
  const good = encodeSnapshot(payload);
  assert.deepEqual((decodeSnapshot(good) as { payload: Uint8Array }).payload, payload);
  const flipped = good.slice();
  flipped[100] ^= 1;
  assert.deepEqual(decodeSnapshot(flipped), { problem: 'its checksum does not match (corrupted)' });
  assert.match((decodeSnapshot(good.subarray(0, good.length - 1)) as { problem: string }).problem, /^truncated or padded/);
  assert.deepEqual(decodeSnapshot(new Uint8Array(30)), { problem: 'not a backprop-ninja snapshot' });
  const d = dir('corrupt');
  const path = join(d, 'x.snapshot');
  writeFileSync(path, flipped);
  const got = readSnapshot(path);
  assert.equal(got.payload, undefined);
  assert.match(got.problem ?? '', /x\.snapshot: its checksum does not match \(corrupted\)/);
  assert.equal(got.writable, true, 'ours to replace');
});

test('a FIFO, a link to /dev/zero, a directory: refused at once, never waited on or read', () => {
  const d = dir('special');
  const fifo = join(d, 'fifo.snapshot');
  const made = spawnSync('mkfifo', [fifo]);
  if (made.status === 0) {
    const t0 = performance.now();
    assert.match(readSnapshot(fifo).problem ?? '', /not a regular file \(a FIFO\)/);
    assert.ok(performance.now() - t0 < 1000);
  }
  const zero = join(d, 'zero.snapshot');
  symlinkSync('/dev/zero', zero);
  assert.match(readSnapshot(zero).problem ?? '', /a symbolic link is in the way/);
  mkdirSync(join(d, 'dir.snapshot'));
  const asDir = readSnapshot(join(d, 'dir.snapshot'));
  assert.match(asDir.problem ?? '', /it is a directory/);
  assert.equal(asDir.writable, false);
});

test('a snapshot another user could have planted is not run, and nothing is written there', (t) => {
  const shared = join(TMP, 'shared', 'backprop-ninja');
  mkdirSync(shared, { recursive: true });
  chmodSync(shared, 0o777); // e.g. XDG_CACHE_HOME=/tmp, its folder made by someone else
  const path = join(shared, 'x.snapshot');
  writeFileSync(path, encodeSnapshot(payload));
  const got = readSnapshot(path);
  assert.equal(got.payload, undefined);
  assert.match(got.problem ?? '', /the cache directory .*: it is writable by every user/);
  assert.equal(got.writable, false);
  // a group- or world-writable snapshot in a private folder, or one of another user's
  const d = dir('modes');
  const loose = join(d, 'loose.snapshot');
  writeFileSync(loose, encodeSnapshot(payload));
  chmodSync(loose, 0o666);
  assert.match(readSnapshot(loose).problem ?? '', /other users may write to it/);
  if (process.getuid?.() !== 0) {
    t.diagnostic('not root: the other-owner case needs chown');
    return;
  }
  const theirs = join(d, 'theirs.snapshot');
  writeFileSync(theirs, encodeSnapshot(payload));
  chownSync(theirs, 4242, 4242);
  assert.match(readSnapshot(theirs).problem ?? '', /it belongs to another user \(uid 4242\)/);
  assert.deepEqual(readFileSync(theirs).length, payload.length + 48, 'left as it was');
});
