// The library's memory (src/core/torch/heap.ts) and the tensors' lifetimes (tensor.ts, graph.ts): blocks come
// back and are reused, large ones merge, and a scoped workload leaves nothing behind; tensors are freed when
// their last owner lets go (a handle, a saved value, a .grad, a view), never while one holds them.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as T from '../../src/core/torch/index.js';
import * as H from '../../src/core/torch/handles.js';
import { classSize } from '../../src/core/torch/heap.js';
import { TorchGenerator } from '../../src/core/random/torch.js';

test('size classes: 64-byte steps to 1 KiB, four per power of two to 1 MiB, then 64 KiB granules', () => {
  assert.deepEqual([1, 64, 65, 1000, 1025, 1500, 4096, 4097].map(classSize), [64, 64, 128, 1024, 1280, 1536, 4096, 5120]);
  assert.equal(classSize((1 << 20) + 1), (1 << 20) + (1 << 16));
  assert.equal(classSize(146_100_000), Math.ceil(146_100_000 / 65536) * 65536);
  for (let n = 1; n < 3_000_000; n = Math.ceil(n * 1.37) + 1) {
    const c = classSize(n);
    assert.ok(c >= n && c <= Math.max(64, n * 1.25 + 65536), `class of ${n}: ${c}`);
  }
});

test('a scoped workload frees all it made: a training step through handles leaves the heap as it found it', () => {
  const g = T.torchRandomSource(new TorchGenerator(7n));
  const scoped = H.scoped({ ...H });
  const W = scoped.setRequiresGrad(scoped.randn([30, 64], 'float32', H.registerGenerator(g)), true);
  const before = T.heapStats();
  for (let step = 0; step < 20; step++) {
    const x = scoped.randn([32, 30], 'float32', 0);
    const z = scoped.matmul(x, W);
    const h = scoped.unary('tanh', z);
    const sq = scoped.binary('mul', h, h);
    const loss = scoped.reduce('mean', sq, null, false);
    scoped.backward(loss, -1, false);
    for (const k of [x, z, h, sq, loss]) H.free(k); // every handle the step took, as Python's __del__ would
    H.setGradOf(W, -1); // p.grad = None: the gradient tensor has no owner left
  }
  const after = T.heapStats();
  assert.equal(after.liveBytes, before.liveBytes, 'every block the steps made is back');
  assert.equal(after.liveBlocks, before.liveBlocks);
  // and reused: twenty steps need no more memory than one
  assert.ok(after.usedBytes - before.usedBytes < 4 << 20, `${after.usedBytes - before.usedBytes} bytes more used`);
  H.free(W);
});

test('large blocks merge when freed and serve any later size', () => {
  const scoped = H.scoped({ ...H });
  const a = scoped.full([3 << 20], 1, 'float32'); // 12 MiB
  const b = scoped.full([3 << 20], 2, 'float32');
  const used = T.heapStats().usedBytes;
  H.free(a);
  H.free(b);
  const free = T.heapStats().freeLargeBytes;
  assert.ok(free >= 24 << 20, `${free} bytes free in large runs`);
  const c = scoped.full([5 << 20], 3, 'float32'); // 20 MiB: fits in the merged run, no new memory
  assert.ok(T.heapStats().usedBytes <= used, 'the merged run was reused');
  assert.equal(H.item(scoped.reduce('sum', c, null, false)), 15 * 2 ** 20);
  H.free(c);
});

test('a tensor lives while anything owns it: a view of it, a node that saved it; then its block is freed', () => {
  const scoped = H.scoped({ ...H });
  const before = T.heapStats().liveBlocks;
  const x = scoped.setRequiresGrad(scoped.full([1000], 2, 'float32'), true);
  const v = scoped.getitem(x, [1, 0, 500, NaN]); // x[0:500]: a view
  H.free(x);
  const s1 = scoped.reduce('sum', v, null, false);
  assert.equal(H.item(s1), 1000, 'the view still reads its base');
  const y = scoped.unary('exp', v); // ExpBackward0 saves its result
  const l = scoped.reduce('sum', y, null, false);
  H.free(y);
  scoped.backward(l, -1, false); // the saved result is read after its handle is gone
  assert.ok(T.heapStats().liveBlocks > before, 'x, its .grad and the view are still owned');
  for (const h of [s1, v, l]) H.free(h);
  // the last handle gone: the graph lets go of x (its AccumulateGrad), x of its .grad
  assert.equal(T.heapStats().liveBlocks, before, 'all blocks back once nothing owns them');
});

test('test switches: with freed blocks poisoned and the memory grown at every allocation, results do not change', () => {
  const run = (): number[] => {
    const scoped = H.scoped({ ...H });
    const g = H.registerGenerator(T.torchRandomSource(new TorchGenerator(3n)));
    const a = scoped.randn([16, 40], 'float32', g);
    const b = scoped.randn([40, 8], 'float32', g);
    const out: number[] = [];
    for (let i = 0; i < 5; i++) {
      const c = scoped.unary('tanh', scoped.matmul(a, b));
      out.push(H.item(scoped.reduce('sum', scoped.binary('mul', c, c), null, false)));
      H.free(c);
    }
    return out;
  };
  const plain = run();
  const prev = T.setHeapDebug({ growEveryAlloc: true, poisonFreed: true });
  try {
    assert.deepEqual(run(), plain);
  } finally {
    T.setHeapDebug(prev);
  }
});
