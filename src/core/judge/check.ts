// `check`: the lecture's cmp table. The manual backward (exercise 1) and the fused exercises 2 and 3 are
// compared, tensor by tensor, with the autograd running the same chunked forward.

import * as ag from './autograd.js';
import type { Var } from './autograd.js';
import {
  GRAD_NAMES, actShapes, backwardManual, forwardRef, gradShapes,
  type ActName, type Acts, type GradName, type Grads, type ModelConfig, type ParamName, type Params, PARAM_NAMES,
} from '../reference/model.js';
import { batchnormBackward, crossEntropyBackward } from '../reference/ops.js';
import { allocFloat, makeBlock, sameShape, shapeStr, type Tensor } from '../reference/block.js';
import { lectureName } from '../reference/names.js';

/** The chunked forward in autograd ops, one lecture line each; every tensor is kept under its name. */
export function autogradForward(
  p: Params, X: Int32Array, Y: Int32Array, cfg: ModelConfig,
): Record<ActName | ParamName, Var> {
  const B = Y.length;
  const n = B;
  const P = {} as Record<ParamName, Var>;
  for (const k of PARAM_NAMES) P[k] = ag.leaf(p[k]);
  const emb = ag.indexRows(P.C, X, [B, cfg.blockSize]);
  const embcat = ag.view(emb, [B, cfg.blockSize * cfg.nEmbd]);
  const hprebn = ag.add(ag.matmul(embcat, P.W1), P.b1);
  const bnmeani = ag.mulScalar(ag.sum(hprebn, 0, true), 1 / n);
  const bndiff = ag.sub(hprebn, bnmeani);
  const bndiff2 = ag.pow(bndiff, 2);
  const bnvar = ag.mulScalar(ag.sum(bndiff2, 0, true), 1 / (n - 1));
  const bnvarInv = ag.pow(ag.addScalar(bnvar, 1e-5), -0.5);
  const bnraw = ag.mul(bndiff, bnvarInv);
  const hpreact = ag.add(ag.mul(P.bngain, bnraw), P.bnbias);
  const h = ag.tanh(hpreact);
  const logits = ag.add(ag.matmul(h, P.W2), P.b2);
  const logitMaxes = ag.max(logits, 1, true);
  const normLogits = ag.sub(logits, logitMaxes);
  const counts = ag.exp(normLogits);
  const countsSum = ag.sum(counts, 1, true);
  const countsSumInv = ag.pow(countsSum, -1);
  const probs = ag.mul(counts, countsSumInv);
  const logprobs = ag.log(probs);
  const loss = ag.neg(ag.mean(ag.pick(logprobs, Y)));
  return {
    ...P, emb, embcat, hprebn, bnmeani, bndiff, bndiff2, bnvar, bnvarInv, bnraw, hpreact, h, logits,
    logitMaxes, normLogits, counts, countsSum, countsSumInv, probs, logprobs, loss,
  };
}

export interface CheckRow {
  name: string;
  exact: boolean;
  approximate: boolean;
  maxdiff: number;
  shape: number[];
  refShape: number[];
  shapeOk: boolean;
}

/** torch.allclose's default tolerances: |a - b| <= atol + rtol |b|. */
export const RTOL = 1e-5;
export const ATOL = 1e-8;

/** The lecture's cmp, plus a shape column: a [64] gradient for a [1, 64] tensor is named, not broadcast. */
export function compare(name: string, ours: Tensor, ref: Tensor): CheckRow {
  const shapeOk = sameShape(ours.shape, ref.shape);
  const row: CheckRow = {
    name, exact: false, approximate: false, maxdiff: NaN, shape: [...ours.shape], refShape: [...ref.shape], shapeOk,
  };
  if (ours.data.length !== ref.data.length) return row;
  let exact = true;
  let close = true;
  let maxdiff = 0;
  for (let i = 0; i < ref.data.length; i++) {
    const a = ours.data[i];
    const b = ref.data[i];
    if (a !== b) exact = false;
    const d = Math.abs(a - b);
    if (!(d <= ATOL + RTOL * Math.abs(b))) close = false;
    if (d > maxdiff || Number.isNaN(d)) maxdiff = Number.isNaN(d) ? NaN : Math.max(maxdiff, d);
  }
  row.exact = exact && shapeOk;
  row.approximate = close && shapeOk;
  row.maxdiff = maxdiff;
  return row;
}

export interface CheckResult {
  loss: number;
  rows: CheckRow[]; // exercise 1, the 26 tensors
  fused: CheckRow[]; // exercises 2 and 3
  ok: boolean;
  /** what is under test: the forward's intermediates, exercise 1's gradients, the fused ones */
  manual: ManualResult;
  /** the autograd's gradient of each of the 26 tensors (parameters included): the reference */
  reference: Record<GradName, Tensor>;
}

export interface ManualResult {
  loss: number;
  acts: Acts;
  grads: Grads;
  /** exercise 2: dlogits = (softmax(logits) - onehot(Y)) / n */
  dlogitsFused: Tensor;
  /** exercise 3: dhprebn from dhpreact in one formula */
  dhprebnFused: Tensor;
}

/** The forward, exercise 1's manual backward, and the fused exercises 2 and 3, on one batch. */
export function manualGradients(p: Params, X: Int32Array, Y: Int32Array, cfg: ModelConfig): ManualResult {
  const dtype = p.flat instanceof Float32Array ? 'float32' : 'float64';
  const B = Y.length;
  const { vocabSize: V, nHidden: H } = cfg;
  const acts = makeBlock(actShapes(cfg, B), dtype);
  const loss = forwardRef(acts, p, X, Y, cfg);
  const grads = makeBlock(gradShapes(cfg, B), dtype);
  backwardManual(grads, acts, p, X, Y, cfg);
  const dlogits = allocFloat(dtype, B * V);
  crossEntropyBackward(dlogits, acts.probs.data, Y, B, V);
  const dhprebn = allocFloat(dtype, B * H);
  // dgain and dbias are by-products here; exercise 1 already has them
  batchnormBackward(
    dhprebn, allocFloat(dtype, H), allocFloat(dtype, H),
    grads.hpreact.data, acts.bnraw.data, acts.bnvarInv.data, p.bngain.data, B, H,
  );
  return {
    loss, acts, grads, dlogitsFused: { shape: [B, V], data: dlogits }, dhprebnFused: { shape: [B, H], data: dhprebn },
  };
}

/** Runs the manual backward and the autograd on one batch, and compares every gradient. */
export function runCheck(p: Params, X: Int32Array, Y: Int32Array, cfg: ModelConfig): CheckResult {
  const dtype = p.flat instanceof Float32Array ? 'float32' : 'float64';
  const m = manualGradients(p, X, Y, cfg);
  const t = autogradForward(p, X, Y, cfg);
  ag.backward(t.loss);
  const refGrad = (k: GradName): Tensor => {
    const v = t[k];
    return { shape: v.shape, data: v.grad ?? allocFloat(dtype, v.data.length) };
  };
  const reference = {} as Record<GradName, Tensor>;
  for (const k of GRAD_NAMES) reference[k] = refGrad(k);
  // rows are named as the lecture's cmp prints them (counts_sum_inv), in the order its backward reaches them
  const rows = GRAD_NAMES.map((k) => compare(lectureName(k), m.grads[k], reference[k]));
  const fused = [
    compare('logits (ex.2)', m.dlogitsFused, reference.logits),
    compare('hprebn (ex.3)', m.dhprebnFused, reference.hprebn),
  ];
  const ok = [...rows, ...fused].every((r) => r.approximate && r.shapeOk);
  return { loss: m.loss, rows, fused, ok, manual: m, reference };
}

/**
 * Python's float repr for the table: 0.0, 1.5, 6.51925802230835e-09, 1e-06. The digits are the same
 * shortest round-trip digits JS prints; only the switch to exponent form differs (Python: exp < -4 or >= 16).
 */
export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return '0.0';
  const [mant, e] = x.toExponential().split('e');
  const exp = Number(e);
  if (exp < -4 || exp >= 16) return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  const s = x.toFixed(Math.max(0, (mant.split('.')[1]?.length ?? 0) - exp));
  return s.includes('.') ? s : `${s}.0`;
}

const py = (b: boolean): string => (b ? 'True' : 'False');

export function formatRow(r: CheckRow, width = 15): string {
  const shape = r.shapeOk ? shapeStr(r.shape) : `${shapeStr(r.shape)} but the tensor is ${shapeStr(r.refShape)}`;
  return `${r.name.padEnd(width)} | exact: ${py(r.exact).padEnd(5)} | approximate: ${py(r.approximate).padEnd(5)} | maxdiff: ${pyFloat(r.maxdiff).padEnd(22)} | shape: ${shape}`;
}

