// Fixes to the torch library found by the project-written notebooks (test/notebook/api.test.ts), one test
// each, through the handle surface the Python shim calls. Expected values and messages are PyTorch 1.13's
// (the same cells' recorded output is in test/fixtures/notebook-golden.json).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as H from '../../src/core/torch/handles.js';

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

/** The TorchError a call throws: [Python type, message]. */
function thrown(f: () => unknown): [string, string] {
  try {
    f();
  } catch (e) {
    return [(e as Error).name, (e as Error).message];
  }
  assert.fail('no error');
}

test("a broadcast mismatch names the last mismatching dimension first, as PyTorch's infer_size", () => {
  const a = H.full([2, 3], 0, 'float32');
  const b = H.full([3, 2], 0, 'float32');
  assert.deepEqual(thrown(() => H.binary('add', a, b)), ['RuntimeError', 'The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 1']);
  assert.deepEqual(thrown(() => H.binary('add', a, H.full([4], 0, 'float32'))), ['RuntimeError', 'The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1']);
});

test("index errors name the indexed tensor's dimension; a 0-dim tensor indexed by an int; setitem's expand message", () => {
  const x = H.arange(0, 20, 1, 'float32');
  const m = H.view(x, [4, 5]);
  assert.deepEqual(thrown(() => H.getitem(m, [0, 0, 0, 5])), ['IndexError', 'index 5 is out of bounds for dimension 1 with size 5']);
  assert.deepEqual(thrown(() => H.getitem(m, [1, NaN, NaN, NaN, 0, 7])), ['IndexError', 'index 7 is out of bounds for dimension 1 with size 5']);
  assert.deepEqual(thrown(() => H.getitem(m, [0, 4])), ['IndexError', 'index 4 is out of bounds for dimension 0 with size 4']);
  assert.deepEqual(thrown(() => H.getitem(H.full([], 3, 'float32'), [0, 0])), [
    'IndexError',
    'invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to convert a 0-dim tensor to a number',
  ]);
  assert.deepEqual(thrown(() => H.getitem(m, [4, H.fromValues([0, 1], [2], 'float32')])), ['IndexError', 'tensors used as indices must be long, byte or bool tensors']);
  // x[:, 1] = torch.ones(3)
  assert.deepEqual(thrown(() => H.setitem(m, [1, NaN, NaN, NaN, 0, 1], H.full([3], 1, 'float32'))), [
    'RuntimeError',
    'The expanded size of the tensor (4) must match the existing size (3) at non-singleton dimension 0.  Target sizes: [4].  Tensor sizes: [3]',
  ]);
  // leading size-1 dimensions of the value are dropped first: y[0] = torch.ones(1, 1, 5) is fine
  H.setitem(m, [0, 0], H.full([1, 1, 5], 1, 'float32'));
  assert.deepEqual(vals(m).slice(0, 6), [1, 1, 1, 1, 1, 5]);
});

test('cross_entropy with a batch-size mismatch is a ValueError, as in PyTorch', () => {
  const logits = H.full([3, 5], 0, 'float32');
  const y = H.fromValues([0, 1], [2], 'int64');
  assert.deepEqual(thrown(() => H.crossEntropy(logits, y, 'mean', -100)), ['ValueError', 'Expected input batch_size (3) to match target batch_size (2).']);
});
