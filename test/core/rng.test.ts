import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MT19937 } from '../../src/core/random/python.js';

// Expected values printed by CPython 3.11: random.seed(42); [random.getrandbits(32) for _ in range(3)],
// random.random(), random.randrange(1000); then random.seed(2**40 + 7); random.getrandbits(32).
test('MT19937 reproduces CPython random', () => {
  const r = new MT19937(42);
  assert.deepEqual([r.getrandbits(32), r.getrandbits(32), r.getrandbits(32)], [2746317213, 478163327, 107420369]);
  assert.equal(r.random(), 0.7415504997598329);
  assert.equal(r.randbelow(1000), 250);
  assert.equal(new MT19937(2 ** 40 + 7).getrandbits(32), 2635837658);
});

test('MT19937 state round-trips: a restored generator continues identically', () => {
  const a = new MT19937(7);
  for (let i = 0; i < 1000; i++) a.uint32();
  const b = new MT19937(0);
  b.setState(a.getState());
  for (let i = 0; i < 2000; i++) assert.equal(b.uint32(), a.uint32());
});

test('normal() has mean ~0 and variance ~1', () => {
  const r = new MT19937(1);
  let s = 0;
  let s2 = 0;
  const n = 200000;
  for (let i = 0; i < n; i++) {
    const z = r.normal();
    s += z;
    s2 += z * z;
  }
  assert.ok(Math.abs(s / n) < 0.01, `mean ${s / n}`);
  assert.ok(Math.abs(s2 / n - 1) < 0.01, `variance ${s2 / n}`);
});
