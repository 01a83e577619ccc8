// `check`: the lecture's cmp table. The manual backward (exercise 1) and the fused exercises 2 and 3 are
// compared, tensor by tensor, with the autograd running the same chunked forward.

import * as T from '../torch/index.js';
import {
  GRAD_NAMES, actShapes, backwardManual, forwardRef, gradShapes,
  type ActName, type Acts, type GradName, type Grads, type ModelConfig, type ParamName, type Params, PARAM_NAMES,
} from '../reference/model.js';
import { batchnormBackward, crossEntropyBackward } from '../reference/ops.js';
import { allocFloat, makeBlock, sameShape, shapeStr, type FloatArray, type Tensor } from '../reference/block.js';

/**
 * The chunked forward on the torch library, one lecture line each, with grad mode on; every tensor is kept
 * under its name (retain_grad on the intermediates). The parameters are leaves sharing p's storage.
 */
export function autogradForward(
  p: Params, X: Int32Array, Y: Int32Array, cfg: ModelConfig,
): Record<ActName | ParamName, T.Tensor> {
  const B = Y.length;
  const n = B;
  const dtype: T.DType = p.flat instanceof Float32Array ? 'float32' : 'float64';
  const P = {} as Record<ParamName, T.Tensor>;
  for (const k of PARAM_NAMES) P[k] = T.setRequiresGrad(T.fromData(p[k].data, dtype, p[k].shape), true);
  const mul = (a: T.Tensor, b: T.Tensor): T.Tensor => T.binary('mul', a, b);
  const scale = (x: number, a: T.Tensor): T.Tensor => T.binaryScalar('mul', a, x, 'float');
  const Xb = T.fromValues(X, [B, cfg.blockSize], 'int64');
  const Yb = T.fromValues(Y, [B], 'int64');
  const prev = T.setGradEnabled(true);
  try {
    const emb = T.getitem(P.C, [{ kind: 'tensor', t: Xb }]); // C[Xb]
    const embcat = T.view(emb, [B, -1]);
    const hprebn = T.binary('add', T.matmul(embcat, P.W1), P.b1);
    const bnmeani = scale(1 / n, T.sumDims(hprebn, 0, true));
    const bndiff = T.binary('sub', hprebn, bnmeani);
    const bndiff2 = T.binaryScalar('pow', bndiff, 2, 'int');
    const bnvar = scale(1 / (n - 1), T.sumDims(bndiff2, 0, true));
    const bnvarInv = T.binaryScalar('pow', T.binaryScalar('add', bnvar, 1e-5, 'float'), -0.5, 'float');
    const bnraw = mul(bndiff, bnvarInv);
    const hpreact = T.binary('add', mul(P.bngain, bnraw), P.bnbias);
    const h = T.unary('tanh', hpreact);
    const logits = T.binary('add', T.matmul(h, P.W2), P.b2);
    const logitMaxes = T.maxMinDim(logits, 1, true, true)[0]; // .values
    const normLogits = T.binary('sub', logits, logitMaxes);
    const counts = T.unary('exp', normLogits);
    const countsSum = T.sumDims(counts, 1, true);
    const countsSumInv = T.binaryScalar('pow', countsSum, -1, 'int');
    const probs = mul(counts, countsSumInv);
    const logprobs = T.unary('log', probs);
    const rows = T.arange(0, n, 1, 'int64'); // range(n)
    const loss = T.neg(T.mean(T.getitem(logprobs, [{ kind: 'tensor', t: rows }, { kind: 'tensor', t: Yb }]), null));
    const acts = {
      emb, embcat, hprebn, bnmeani, bndiff, bndiff2, bnvar, bnvarInv, bnraw, hpreact, h, logits,
      logitMaxes, normLogits, counts, countsSum, countsSumInv, probs, logprobs,
    };
    for (const t of Object.values(acts)) T.retainGrad(t);
    return { ...P, ...acts, loss };
  } finally {
    T.setGradEnabled(prev);
  }
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
  T.backward(t.loss);
  const refGrad = (k: GradName): Tensor => {
    const v = t[k];
    const g = v.grad;
    return { shape: v.shape, data: g === null ? allocFloat(dtype, v.numel) : (T.values(g) as FloatArray) };
  };
  const reference = {} as Record<GradName, Tensor>;
  for (const k of GRAD_NAMES) reference[k] = refGrad(k);
  const rows = GRAD_NAMES.map((k) => compare(k, m.grads[k], reference[k]));
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

