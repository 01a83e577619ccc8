// Fixes to the torch library found by the project-written notebooks (test/notebook-api.test.ts), one test
// each, through the handle surface the Python shim calls. Expected values and messages are PyTorch 1.13's
// (the same cells' recorded output is in test/fixtures/notebook-golden.json).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as H from '../src/core/torch/handles.js';

const vals = (h: number): number[] => Array.from(H.values(h));
const f64 = (v: number[], shape: number[] = [v.length]): number => H.fromValues(v, shape, 'float64');
const leaf = (v: number[]): number => H.setRequiresGrad(f64(v), true);

test('x.detach() and x.data are not views for autograd: writing through them leaves x a leaf', () => {
  // PyTorch: d = x.detach(); d[0] = 10 -> x is tensor([10., 2.], requires_grad=True), still a leaf
  const x = leaf([1, 2]);
  const d = H.detach(x);
  H.setitemScalar(d, [0, 0], 10);
  assert.deepEqual(vals(x), [10, 2]);
  assert.equal(H.gradFn(x), null);
  assert.equal(H.isLeaf(x), true);
  // the lecture's update outside no_grad: p.data += -0.1 * p.grad
  const w = leaf([0.5, -0.25]);
  H.backward(H.reduce('sum', H.binaryScalar('mul', w, 3, 'int', false), null, false), -1, false);
  const step = H.binaryScalar('mul', H.grad(w), -0.1, 'float', false);
  H.binaryInplace('add', H.data(w), step);
  assert.deepEqual(vals(w), [0.5 - 0.30000000000000004, -0.25 - 0.30000000000000004]);
  assert.equal(H.gradFn(w), null, 'p stays a leaf (PyTorch: requires_grad=True, no grad_fn)');
  // and a second backward still reaches w.grad
  H.backward(H.reduce('sum', H.binaryScalar('mul', w, 2, 'int', false), null, false), -1, false);
  assert.deepEqual(vals(H.grad(w)), [5, 5]);
});

test('x.data = y: x reads y from then on and keeps its autograd identity', () => {
  const x = leaf([1, 2]);
  H.backward(H.reduce('sum', x, null, false), -1, false);
  const y = f64([5, 6, 7]);
  H.setData(x, y);
  assert.deepEqual(vals(x), [5, 6, 7]);
  assert.deepEqual(H.shape(x), [3]);
  assert.equal(H.requiresGrad(x), true);
  assert.equal(H.isLeaf(x), true);
  assert.deepEqual(vals(H.grad(x)), [1, 1]);
  H.setitemScalar(y, [0, 1], 60);
  assert.deepEqual(vals(x), [5, 60, 7], 'x shares y storage');
});
