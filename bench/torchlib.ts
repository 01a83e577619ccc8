// The lecture's exercise-4 training step (n_hidden 200, batch 32, no_grad, manual backward, the Python dC
// loop included) written against src/core/torch, timed per step: the JavaScript side of the notebook's
// cost (the Python interpreter and the boundary come on top). Usage: node dist/bench/torchlib.js [steps]

import * as T from '../src/core/torch/index.js';
import type { IndexItem, Tensor } from '../src/core/torch/index.js';
import { TorchGenerator } from '../src/core/random/torch.js';

const steps = Number(process.argv[2] ?? 300);
const g = T.torchRandomSource(new TorchGenerator(2147483647));
const N = 20000;
// a stand-in training set of random ids (the timing does not depend on the names)
const Xtr = T.randint(0, 27, [N, 3], g);
const Ytr = T.randint(0, 27, [N], g);
const nEmbd = 10;
const nHidden = 200;
const C = T.randn([27, nEmbd], g);
const W1 = T.binaryScalar('mul', T.randn([30, nHidden], g), (5 / 3) / Math.sqrt(30), 'float');
const b1 = T.binaryScalar('mul', T.randn([nHidden], g), 0.1, 'float');
const W2 = T.binaryScalar('mul', T.randn([nHidden, 27], g), 0.1, 'float');
const b2 = T.binaryScalar('mul', T.randn([27], g), 0.1, 'float');
const bngain = T.binaryScalar('add', T.binaryScalar('mul', T.randn([1, nHidden], g), 0.1, 'float'), 1, 'float');
const bnbias = T.binaryScalar('mul', T.randn([1, nHidden], g), 0.1, 'float');
const parameters = [C, W1, b1, W2, b2, bngain, bnbias];
for (const p of parameters) T.setRequiresGrad(p, true);
const n = 32;
const int = (i: number): IndexItem => ({ kind: 'int', i });
const ten = (t: Tensor): IndexItem => ({ kind: 'tensor', t });
const b = T.binary;
const sf = (op: T.BinaryOp, a: Tensor, x: number, rev = false): Tensor => T.binaryScalar(op, a, x, 'float', rev);
const si = (op: T.BinaryOp, a: Tensor, x: number, rev = false): Tensor => T.binaryScalar(op, a, x, 'int', rev);

let ops = 0;
function step(i: number): number {
  const ix = T.randint(0, N, [n], g);
  const Xb = T.getitem(Xtr, [ten(ix)]);
  const Yb = T.getitem(Ytr, [ten(ix)]);
  const emb = T.getitem(C, [ten(Xb)]);
  const embcat = T.view(emb, [emb.shape[0], -1]);
  const hprebn = b('add', T.matmul(embcat, W1), b1);
  const bnmean = T.mean(hprebn, 0, true);
  const bnvar = T.variance(hprebn, 0, 1, true, false);
  const bnvarInv = sf('pow', sf('add', bnvar, 1e-5), -0.5);
  const bnraw = b('mul', b('sub', hprebn, bnmean), bnvarInv);
  const hpreact = b('add', b('mul', bngain, bnraw), bnbias);
  const h = T.unary('tanh', hpreact);
  const logits = b('add', T.matmul(h, W2), b2);
  const loss = T.crossEntropy(logits, Yb);
  const dlogits = T.softmax(logits, 1);
  const rows: IndexItem[] = [ten(T.arange(0, n, 1, 'int64')), ten(Yb)];
  const picked = T.getitem(dlogits, rows);
  T.binaryInplace('sub', picked, 1, 'int');
  T.setitem(dlogits, rows, picked);
  T.binaryInplace('div', dlogits, n, 'int');
  const dh = T.matmul(dlogits, T.T(W2));
  const dW2 = T.matmul(T.T(h), dlogits);
  const db2 = T.sumDims(dlogits, 0);
  const dhpreact = b('mul', sf('sub', si('pow', h, 2), 1.0, true), dh);
  const dbngain = T.sumDims(b('mul', bnraw, dhpreact), 0, true);
  const dbnbias = T.sumDims(dhpreact, 0, true);
  const dhprebn = b('mul', si('div', b('mul', bngain, bnvarInv), n),
    b('sub', b('sub', si('mul', dhpreact, n), T.sumDims(dhpreact, 0)), b('mul', sf('mul', bnraw, n / (n - 1), true), T.sumDims(b('mul', dhpreact, bnraw), 0))));
  const dembcat = T.matmul(dhprebn, T.T(W1));
  const dW1 = T.matmul(T.T(embcat), dhprebn);
  const db1 = T.sumDims(dhprebn, 0);
  const demb = T.view(dembcat, emb.shape);
  const dC = T.zeros(C.shape);
  ops += 45;
  for (let k = 0; k < n; k++) {
    for (let j = 0; j < 3; j++) {
      const ixk = T.getitem(Xb, [int(k), int(j)]);
      const sel: IndexItem[] = [ten(ixk)];
      const row = T.getitem(dC, sel);
      T.binaryInplace('add', row, T.getitem(demb, [int(k), int(j)]));
      T.setitem(dC, sel, row);
      ops += 5;
    }
  }
  const grads = [dC, dW1, db1, dW2, db2, dbngain, dbnbias];
  const lr = i < 100000 ? 0.1 : 0.01;
  parameters.forEach((p, k) => {
    T.binaryInplace('add', T.dataOf(p), sf('mul', grads[k], -lr, true));
    ops += 3;
  });
  ops += 2;
  return T.item(T.unary('log10', loss));
}

T.setGradEnabled(false);
// each step in a lifetime scope, as every call of the notebook's binding is: what it made is freed when it returns
const scopedStep = (i: number): number => T.withScope(() => step(i));
for (let i = 0; i < 30; i++) scopedStep(i);
ops = 0;
const t0 = performance.now();
const c0 = process.cpuUsage();
let last = 0;
for (let i = 0; i < steps; i++) last = scopedStep(i);
const wall = (performance.now() - t0) / steps;
const cu = process.cpuUsage(c0);
// CPU time of this process (user + system): steadier than wall time on a shared machine
const ms = (cu.user + cu.system) / 1000 / steps;
console.log(`exercise-4 step (JS side only): ${ms.toFixed(3)} ms/step CPU (${wall.toFixed(3)} wall), ${(ops / steps).toFixed(0)} ops/step, ${(1000 * ms / (ops / steps)).toFixed(2)} us/op; 200k steps: ${(ms * 200).toFixed(0)} s; last log10 loss ${last.toFixed(4)}`);
