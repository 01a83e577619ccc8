// The handle surface the Python binding calls (src/core/torch/handles.ts): handles are reused after free,
// index specs decode as documented, and a few lecture lines run end to end through handles only.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as H from '../../src/core/torch/handles.js';

test('handles: register, free and reuse; a freed handle is refused with a clear message', () => {
  const before = H.liveHandles();
  const a = H.fromValues([1, 2, 3, 4, 5, 6], [2, 3], 'float32');
  const b = H.full([3], 0.5, 'float32');
  assert.equal(H.liveHandles(), before + 2);
  H.free(a);
  assert.equal(H.liveHandles(), before + 1);
  assert.throws(() => H.shape(a), /tensor handle \d+ is not live/);
  const c = H.fullLike(b, 0, null);
  assert.equal(c, a, 'the freed slot is reused');
  H.free(b);
  H.free(c);
  assert.equal(H.liveHandles(), before);
});

test('index specs: ints, slices with None and steps, None, Ellipsis, lists, ranges, tensors, masks', () => {
  const x = H.arange(0, 24, 1, 'float32');
  const x3 = H.view(x, [2, 3, 4]);
  const v = (h: number): number[] => Array.from(H.values(h));
  // x3[1, ::2, -1] -> [15, 23]... rows 0 and 2 of x3[1], last column
  assert.deepEqual(v(H.getitem(x3, [0, 1, 1, NaN, NaN, 2, 0, -1])), [15, 23]);
  // x3[None, ..., 0] -> shape [1, 2, 3]
  const e = H.getitem(x3, [2, 3, 0, 0]);
  assert.deepEqual(H.shape(e), [1, 2, 3]);
  assert.deepEqual(v(e), [0, 4, 8, 12, 16, 20]);
  // x3[range(2), [2, 0]] -> rows (0, 2) and (1, 0): shape [2, 4]
  const r = H.getitem(x3, [5, 0, 2, 1, 6, 2, 2, 0]);
  assert.deepEqual(H.shape(r), [2, 4]);
  assert.deepEqual(v(r), [8, 9, 10, 11, 12, 13, 14, 15]);
  assert.equal(H.gradFn(r), null);
  // a mask tensor
  const m = H.binaryScalar('gt', x, 20, 'int', false);
  assert.deepEqual(v(H.getitem(x, [4, m])), [21, 22, 23]);
  // setitem with a number through a basic view writes into x
  H.setitemScalar(x3, [0, 0, 0, 0, 1, 1, 3, 1], -1); // x3[0, 0, 1:3] = -1
  assert.deepEqual(v(H.getitem(x3, [0, 0, 0, 0])), [0, -1, -1, 3]);
});

test('the lecture through handles: forward, retain_grad, backward, grad_fn names, no_grad', () => {
  const logits = H.fromValues(Array.from({ length: 12 }, (_, i) => Math.sin(i)), [3, 4], 'float32');
  H.setRequiresGrad(logits, true);
  const y = H.fromValues([1, 3, 0], [3], 'int64');
  const probs = H.softmax(logits, 1);
  const logprobs = H.unary('log', probs);
  const picked = H.getitem(logprobs, [5, 0, 3, 1, 4, y]);
  const loss = H.unary('neg', H.reduce('mean', picked, null, false));
  assert.equal(H.gradFn(loss), 'NegBackward0');
  assert.match(H.repr(loss), /^tensor\(\d\.\d{4}, grad_fn=<NegBackward0>\)$/);
  assert.equal(H.repr(H.fromValues([1, 2, 3], [3], 'int64')), 'tensor([1, 2, 3])');
  assert.equal(H.gradFn(picked), 'IndexBackward0');
  H.retainGrad(logprobs);
  H.backward(loss, -1, false);
  const g = H.grad(logits);
  assert.notEqual(g, -1);
  const ce = H.crossEntropy(logits, y, 'mean', -100);
  assert.ok(Math.abs(H.item(ce) - H.item(loss)) < 1e-6);
  // the lecture's exercise 2 on handles: softmax, [range(n), Yb] -= 1, /= n
  const d = H.softmax(logits, 1);
  const spec = [5, 0, 3, 1, 4, y];
  const t = H.getitem(d, spec);
  H.binaryScalarInplace('sub', t, 1, 'int');
  H.setitem(d, spec, t);
  H.binaryScalarInplace('div', d, 3, 'int');
  assert.ok(H.allclose(d, g, 1e-5, 1e-8, false));
  assert.equal(H.gradFn(d), 'DivBackward0');
  // no_grad
  const prev = H.setGradEnabled(false);
  assert.equal(prev, true);
  assert.equal(H.gradFn(H.binary('mul', logits, logits)), null);
  H.setGradEnabled(prev);
  assert.equal(H.isGradEnabled(), true);
  // max(dim) returns values and indices
  const [vals, idx] = H.maxDim('max', logits, 1, false);
  assert.deepEqual(H.shape(vals), [3]);
  assert.equal(H.dtype(idx), 'int64');
  assert.equal(H.gradFn(vals), 'MaxBackward0');
});

test('a second backward adds into the same .grad tensor, in place, as torch', () => {
  const x = H.fromValues([1, 2, 3], [3], 'float32');
  H.setRequiresGrad(x, true);
  H.backward(H.reduce('sum', H.binary('mul', x, x), null, false), -1, false);
  const g1 = H.grad(x);
  assert.deepEqual(Array.from(H.values(g1)), [2, 4, 6]);
  H.backward(H.reduce('sum', H.binaryScalar('mul', x, 3, 'int', false), null, false), -1, false);
  const g2 = H.grad(x);
  assert.ok(H.same(g1, g2));
  assert.deepEqual(Array.from(H.values(g1)), [5, 7, 9]);
});

test('watchAllocations calls back each time new storage of the given size adds up (views count nothing)', () => {
  let calls = 0;
  H.watchAllocations(1000, () => calls++);
  try {
    const hs = [H.full([100], 0, 'float32'), H.full([100], 0, 'float32')]; // 800 bytes
    assert.equal(calls, 0);
    hs.push(H.view(hs[0], [10, 10])); // a view: no new storage
    assert.equal(calls, 0);
    hs.push(H.full([50], 0, 'float64')); // 400 more: 1200 >= 1000
    assert.equal(calls, 1);
    hs.push(H.full([100], 0, 'float32'), H.full([100], 0, 'float32'), H.full([60], 0, 'float32')); // 1040
    assert.equal(calls, 2);
    for (const h of hs) H.free(h);
  } finally {
    H.watchAllocations(Infinity, null);
  }
});
