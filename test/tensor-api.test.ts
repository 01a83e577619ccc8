import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  TensorApiError, add, argmax, div, indexAdd, indexRows, matmul, max, mul, oneHot, pick, pow, softmax, sub, sum,
  tensor, transpose, view,
} from '../src/core/lab/tensor-api.js';

const vals = (t: { data: Float64Array }): number[] => [...t.data];

test('broadcasting follows PyTorch: (2, 3) with (1, 3), (2, 1) and (3)', () => {
  const x = tensor([[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(vals(add(x, tensor([[10, 20, 30]]))), [11, 22, 33, 14, 25, 36]);
  assert.deepEqual(vals(sub(x, tensor([[1], [4]]))), [0, 1, 2, 0, 1, 2]);
  assert.deepEqual(vals(mul(x, tensor([1, 0, -1]))), [1, 0, -3, 4, 0, -6]);
  assert.deepEqual(vals(div(1, tensor([2, 4]))), [0.5, 0.25]);
  assert.deepEqual(add(tensor([[1], [2]]), tensor([[1, 2, 3]])).shape, [2, 3]);
});

test('shape errors name the op and both shapes', () => {
  assert.throws(() => add(tensor([[1, 2, 3]]), tensor([1, 2])), (e: unknown) =>
    e instanceof TensorApiError && /add: shapes \[1, 3\] and \[2\] do not broadcast/.test(e.message));
  assert.throws(() => matmul(tensor([[1, 2]]), tensor([[1, 2]])), (e: unknown) =>
    e instanceof TensorApiError && /matmul: \[1, 2\] @ \[1, 2\]: the inner dimensions differ \(2 vs 1\); transpose the second one\?/.test(e.message));
  assert.throws(() => mul(undefined as unknown as number, 2), /mul: argument 1 is undefined \(a misspelled name/);
  assert.throws(() => sum(tensor([1, 2]), 2), /sum: dim 2 is out of range for shape \[2\]/);
  assert.throws(() => view(tensor([1, 2, 3]), [2, -1]), /view: cannot view \[3\] \(3 values\) as \[2, -1\]/);
});

test('reductions: keepdim, negative dims, max/argmax take the first on ties', () => {
  const x = tensor([[1, 5, 5], [7, 2, 0]]);
  assert.deepEqual(sum(x, 1, { keepdim: true }).shape, [2, 1]);
  assert.deepEqual(vals(sum(x, 0)), [8, 7, 5]);
  assert.deepEqual(sum(x, -1).shape, [2]);
  assert.deepEqual(vals(sum(x)), [20]);
  assert.deepEqual(vals(max(x, 1)), [5, 7]);
  assert.deepEqual(vals(argmax(x, 1)), [1, 0]);
});

test('matmul, transpose, softmax, pow on hand-checked values', () => {
  const a = tensor([[1, 2], [3, 4]]);
  assert.deepEqual(vals(matmul(a, transpose(a))), [5, 11, 11, 25]);
  const s = softmax(tensor([[0, Math.log(3)]]), 1);
  assert.ok(Math.abs(s.data[0] - 0.25) < 1e-15 && Math.abs(s.data[1] - 0.75) < 1e-15);
  assert.deepEqual(vals(pow(tensor([2, 4]), -1)), [0.5, 0.25]);
});

test('indexing: oneHot, indexRows (C[Xb]), indexAdd (rows picked twice add up), pick', () => {
  const ids = tensor([[2, 0], [2, 2]]);
  assert.deepEqual(vals(oneHot(tensor([1, 0]), 3)), [0, 1, 0, 1, 0, 0]);
  const C = tensor([[1, 1], [2, 2], [3, 3]]);
  const e = indexRows(C, ids);
  assert.deepEqual(e.shape, [2, 2, 2]);
  assert.deepEqual(vals(e), [3, 3, 1, 1, 3, 3, 3, 3]);
  const d = indexAdd(tensor([[0, 0], [0, 0], [0, 0]]), view(ids, [-1]), view(e, [-1, 2]));
  assert.deepEqual(vals(d), [1, 1, 0, 0, 9, 9]);
  assert.deepEqual(vals(pick(tensor([[1, 2], [3, 4]]), tensor([1, 0]))), [2, 3]);
  assert.throws(() => oneHot(tensor([3]), 3), /oneHot: id 3 at index 0 is not in \[0, 3\)/);
});

test('NaN propagates through elementwise ops and sums; numbers act as scalars on either side', () => {
  const x = tensor([1, NaN, 3]);
  assert.ok(Number.isNaN(add(x, 1).data[1]));
  assert.ok(Number.isNaN(sum(x).data[0]));
  assert.deepEqual(vals(sub(10, tensor([1, 2]))), [9, 8]);
  assert.deepEqual(div(6, 3).shape, []);
});
