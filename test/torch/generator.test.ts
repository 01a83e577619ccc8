// torch.randn / randint / rand / multinomial through the library with PyTorch's generator: the lecture's
// first draws, as Debian's PyTorch 1.13 gives them (torch.Generator().manual_seed(2147483647)).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TorchGenerator } from '../../src/core/random/torch.js';
import * as T from '../../src/core/torch/index.js';

test('the lecture\'s generator: C = randn(27, 10), randn(64), randint, rand, multinomial as torch', () => {
  const g = T.torchRandomSource(new TorchGenerator(2147483647));
  const C = T.randn([27, 10], g);
  assert.deepEqual(Array.from(T.values(C).slice(0, 3)), [1.5673619508743286, -0.2372923195362091, -0.027384605258703232]);
  assert.equal(T.values(C)[269], 0.38448527455329895);
  const b = T.randn([64], g);
  assert.deepEqual(Array.from(T.values(b).slice(0, 2)), [-1.1707007884979248, 0.07193740457296371]);
  const ix = T.randint(0, 1000, [5], g);
  assert.equal(ix.dtype, 'int64');
  assert.deepEqual(Array.from(T.values(ix)), [492, 251, 909, 177, 481]);
  assert.deepEqual(Array.from(T.values(T.rand([3], g))), [0.49929243326187134, 0.03111124038696289, 0.144819974899292]);
  const p = T.softmax(T.arange(0, 5, 1, 'float32'), 0);
  assert.deepEqual(Array.from(T.values(T.multinomial(p, 1, false, g))), [4]);
});
