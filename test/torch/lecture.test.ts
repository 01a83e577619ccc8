// The acceptance bar for the tensor library: the lecture's chunked forward, PyTorch's backward
// (loss.backward() with retain_grad on every intermediate), and the lecture's exercise-1 manual backward,
// all written against src/core/torch: all 26 exercise-1 gradients must equal the autograd's bit for bit
// (`exact: True` in the lecture), exercises 2 and 3 within 1e-8 (`approximate: True`, maxdiff < 1e-8).
// Inputs come from formulas (no RNG): the claim is about arithmetic, not about particular numbers.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as T from '../../src/core/torch/index.js';
import type { IndexItem, Tensor } from '../../src/core/torch/index.js';

const f = (x: number): IndexItem => ({ kind: 'int', i: x });
const all: IndexItem = { kind: 'slice', start: null, stop: null, step: null };

/** A normal-looking deterministic value for index i (Box-Muller over a sine hash). */
function pseudoNormal(i: number, seed: number): number {
  const u = (k: number): number => {
    const s = Math.sin(k * 12.9898 + seed * 78.233) * 43758.5453;
    return s - Math.floor(s);
  };
  return Math.sqrt(-2 * Math.log(1 - u(2 * i))) * Math.cos(2 * Math.PI * u(2 * i + 1));
}
function param(shape: number[], seed: number): Tensor {
  const n = shape.reduce((p, q) => p * q, 1);
  return T.fromValues(Array.from({ length: n }, (_, i) => pseudoNormal(i, seed)), shape, 'float32');
}

// arithmetic shorthands (grad mode as the lecture: on)
const add = (a: Tensor, b: Tensor): Tensor => T.binary('add', a, b);
const sub = (a: Tensor, b: Tensor): Tensor => T.binary('sub', a, b);
const mul = (a: Tensor, b: Tensor): Tensor => T.binary('mul', a, b);
const div = (a: Tensor, b: Tensor): Tensor => T.binary('div', a, b);
const smul = (x: number, a: Tensor): Tensor => T.binaryScalar('mul', a, x, Number.isInteger(x) ? 'int' : 'float');
const sadd = (a: Tensor, x: number): Tensor => T.binaryScalar('add', a, x, 'float');
const spow = (a: Tensor, p: number): Tensor => T.binaryScalar('pow', a, p, Number.isInteger(p) ? 'int' : 'float');
const rsub = (x: number, a: Tensor): Tensor => T.binaryScalar('sub', a, x, 'float', true);
const rdiv = (x: number, a: Tensor): Tensor => T.binaryScalar('div', a, x, 'float', true);
const sum = (a: Tensor, dim: number, keepdim = false): Tensor => T.sumDims(a, dim, keepdim);
const onesLike = (a: Tensor): Tensor => T.ones(a.shape, a.dtype);

function cmp(dt: Tensor, t: Tensor): { exact: boolean; approx: boolean; maxdiff: number } {
  const g = t.grad!;
  assert.ok(g !== null);
  const exact = T.item(T.allAny(T.binary('eq', dt, g), null, false, true)) === 1;
  const approx = T.allclose(dt, g);
  const maxdiff = T.item(T.amaxAmin(T.unary('abs', sub(dt, g)), null, false, true));
  return { exact, approx, maxdiff };
}

test('the lecture: exercise 1 is bit-exact against the autograd, exercises 2 and 3 within 1e-8', () => {
  const n = 32;
  const nEmbd = 10;
  const nHidden = 64;
  const vocab = 27;
  const C = param([vocab, nEmbd], 1);
  const W1 = smul((5 / 3) / Math.sqrt(nEmbd * 3), param([nEmbd * 3, nHidden], 2));
  const b1 = smul(0.1, param([nHidden], 3));
  const W2 = smul(0.1, param([nHidden, vocab], 4));
  const b2 = smul(0.1, param([vocab], 5));
  const bngain = sadd(smul(0.1, param([1, nHidden], 6)), 1.0);
  const bnbias = smul(0.1, param([1, nHidden], 7));
  const parameters = [C, W1, b1, W2, b2, bngain, bnbias];
  for (const p of parameters) T.setRequiresGrad(p, true);
  const Xb = T.fromValues(Array.from({ length: n * 3 }, (_, i) => (i * 7 + ((i * i) % 11)) % vocab), [n, 3], 'int64');
  const Yb = T.fromValues(Array.from({ length: n }, (_, i) => (i * 5 + 3) % vocab), [n], 'int64');

  // forward, chunked as the lecture
  const emb = T.getitem(C, [{ kind: 'tensor', t: Xb }]);
  const embcat = T.view(emb, [emb.shape[0], -1]);
  const hprebn = add(T.matmul(embcat, W1), b1);
  const bnmeani = smul(1 / n, sum(hprebn, 0, true));
  const bndiff = sub(hprebn, bnmeani);
  const bndiff2 = spow(bndiff, 2);
  const bnvar = smul(1 / (n - 1), sum(bndiff2, 0, true));
  const bnvarInv = spow(sadd(bnvar, 1e-5), -0.5);
  const bnraw = mul(bndiff, bnvarInv);
  const hpreact = add(mul(bngain, bnraw), bnbias);
  const h = T.unary('tanh', hpreact);
  const logits = add(T.matmul(h, W2), b2);
  const logitMaxes = T.maxMinDim(logits, 1, true, true)[0];
  const normLogits = sub(logits, logitMaxes);
  const counts = T.unary('exp', normLogits);
  const countsSum = sum(counts, 1, true);
  const countsSumInv = spow(countsSum, -1);
  const probs = mul(counts, countsSumInv);
  const logprobs = T.unary('log', probs);
  const rangeN = T.arange(0, n, 1, 'int64');
  const loss = T.neg(T.mean(T.getitem(logprobs, [{ kind: 'tensor', t: rangeN }, { kind: 'tensor', t: Yb }]), null));
  assert.equal(T.gradFnName(loss), 'NegBackward0');

  const inter = { logprobs, probs, counts, countsSum, countsSumInv, normLogits, logitMaxes, logits, h, hpreact, bnraw, bnvarInv, bnvar, bndiff2, bndiff, hprebn, bnmeani, embcat, emb };
  for (const t of Object.values(inter)) T.retainGrad(t);
  T.backward(loss);

  // exercise 1, line by line as the lecture
  const dlogprobs = T.zeros(logprobs.shape);
  T.setitem(dlogprobs, [{ kind: 'tensor', t: rangeN }, { kind: 'tensor', t: Yb }], T.fromValues([Math.fround(-1.0 / n)], [], 'float32'));
  const dprobs = mul(rdiv(1.0, probs), dlogprobs);
  const dcountsSumInv = sum(mul(counts, dprobs), 1, true);
  const dcounts = mul(countsSumInv, dprobs);
  const dcountsSum = mul(T.neg(spow(countsSum, -2)), dcountsSumInv);
  T.binaryInplace('add', dcounts, mul(onesLike(counts), dcountsSum));
  const dnormLogits = mul(counts, dcounts);
  const dlogits = T.clone(dnormLogits);
  const dlogitMaxes = sum(T.neg(dnormLogits), 1, true);
  T.binaryInplace('add', dlogits, mul(T.oneHot(T.maxMinDim(logits, 1, false, true)[1], logits.shape[1]), dlogitMaxes));
  const dh = T.matmul(dlogits, T.T(W2));
  const dW2 = T.matmul(T.T(h), dlogits);
  const db2 = sum(dlogits, 0);
  const dhpreact = mul(rsub(1.0, spow(h, 2)), dh);
  const dbngain = sum(mul(bnraw, dhpreact), 0, true);
  const dbnraw = mul(bngain, dhpreact);
  const dbnbias = sum(dhpreact, 0, true);
  const dbndiff = mul(bnvarInv, dbnraw);
  const dbnvarInv = sum(mul(bndiff, dbnraw), 0, true);
  const dbnvar = mul(smul(-0.5, spow(sadd(bnvar, 1e-5), -1.5)), dbnvarInv);
  const dbndiff2 = mul(smul(1.0 / (n - 1), onesLike(bndiff2)), dbnvar);
  T.binaryInplace('add', dbndiff, mul(smul(2, bndiff), dbndiff2));
  const dhprebn = T.clone(dbndiff);
  const dbnmeani = sum(T.neg(dbndiff), 0);
  T.binaryInplace('add', dhprebn, smul(1.0 / n, mul(onesLike(hprebn), dbnmeani)));
  const dembcat = T.matmul(dhprebn, T.T(W1));
  const dW1 = T.matmul(T.T(embcat), dhprebn);
  const db1 = sum(dhprebn, 0);
  const demb = T.view(dembcat, emb.shape);
  const dC = T.zeros(C.shape);
  for (let k = 0; k < Xb.shape[0]; k++) {
    for (let j = 0; j < Xb.shape[1]; j++) {
      const ix = T.getitem(Xb, [f(k), f(j)]);
      const target = T.getitem(dC, [{ kind: 'tensor', t: ix }]);
      T.binaryInplace('add', target, T.getitem(demb, [f(k), f(j)]));
      T.setitem(dC, [{ kind: 'tensor', t: ix }], target);
    }
  }
  const rows: [string, Tensor, Tensor][] = [
    ['logprobs', dlogprobs, logprobs], ['probs', dprobs, probs], ['counts_sum_inv', dcountsSumInv, countsSumInv],
    ['counts_sum', dcountsSum, countsSum], ['counts', dcounts, counts], ['norm_logits', dnormLogits, normLogits],
    ['logit_maxes', dlogitMaxes, logitMaxes], ['logits', dlogits, logits], ['h', dh, h], ['W2', dW2, W2], ['b2', db2, b2],
    ['hpreact', dhpreact, hpreact], ['bngain', dbngain, bngain], ['bnbias', dbnbias, bnbias], ['bnraw', dbnraw, bnraw],
    ['bnvar_inv', dbnvarInv, bnvarInv], ['bnvar', dbnvar, bnvar], ['bndiff2', dbndiff2, bndiff2], ['bndiff', dbndiff, bndiff],
    ['bnmeani', dbnmeani, bnmeani], ['hprebn', dhprebn, hprebn], ['embcat', dembcat, embcat], ['W1', dW1, W1], ['b1', db1, b1],
    ['emb', demb, emb], ['C', dC, C],
  ];
  assert.equal(rows.length, 26);
  const bad = rows.map(([name, d, t]) => ({ name, ...cmp(d, t) })).filter((r) => !r.exact);
  assert.deepEqual(bad, [], `not exact: ${JSON.stringify(bad)}`);
  // the gradients are not trivially zero
  for (const [name, , t] of rows) assert.ok(T.item(T.sumDims(T.unary('abs', t.grad!), null)) > 1e-9, `${name}: zero gradient`);

  // exercise 2: cross_entropy in one go
  const lossFast = T.crossEntropy(logits, Yb);
  assert.equal(T.gradFnName(lossFast), 'NllLossBackward0');
  assert.ok(Math.abs(T.item(lossFast) - T.item(loss)) < 1e-6);
  const dlogits2 = T.softmax(logits, 1);
  const picked = T.getitem(dlogits2, [{ kind: 'tensor', t: rangeN }, { kind: 'tensor', t: Yb }]);
  T.binaryInplace('sub', picked, 1, 'int');
  T.setitem(dlogits2, [{ kind: 'tensor', t: rangeN }, { kind: 'tensor', t: Yb }], picked);
  T.binaryInplace('div', dlogits2, n, 'int');
  assert.equal(T.gradFnName(dlogits2), 'DivBackward0');
  const ex2 = cmp(dlogits2, logits);
  assert.ok(ex2.approx && ex2.maxdiff < 1e-8, `exercise 2: ${JSON.stringify(ex2)}`);

  // exercise 3: batchnorm in one go
  const hpreactFast = add(div(mul(bngain, sub(hprebn, T.mean(hprebn, 0, true))), T.unary('sqrt', sadd(T.variance(hprebn, 0, 1, true, false), 1e-5))), bnbias);
  const fwdDiff = T.item(T.amaxAmin(T.unary('abs', sub(hpreactFast, hpreact)), null, false, true));
  assert.ok(fwdDiff < 1e-5, `exercise 3 forward: max diff ${fwdDiff}`);
  const dhprebn3 = mul(
    T.binaryScalar('div', mul(bngain, bnvarInv), n, 'int'),
    sub(sub(smul(n, dhpreact), sum(dhpreact, 0)), mul(smul(n / (n - 1), bnraw), sum(mul(dhpreact, bnraw), 0))),
  );
  const ex3 = cmp(dhprebn3, hprebn);
  assert.ok(ex3.approx && ex3.maxdiff < 1e-8, `exercise 3: ${JSON.stringify(ex3)}`);
  void all;
});
