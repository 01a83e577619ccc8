// `check`: the lecture's cmp table. The manual backward (exercise 1) and the fused exercises 2 and 3 are
// compared, tensor by tensor, with the autograd running the same chunked forward.

import * as T from '../torch/index.js';
import {
  GRAD_NAMES, actShapes, backwardManual, forwardRef, gradShapes,
  type ActName, type Acts, type GradName, type Grads, type ModelConfig, type ParamName, type Params, PARAM_NAMES,
} from '../reference/model.js';
import { batchnormBackward, crossEntropyBackward } from '../reference/ops.js';
import { allocFloat, makeBlock, sameShape, shapeStr, type FloatArray, type Tensor } from '../reference/block.js';
import { matmul, matmulNT, matmulTN } from '../reference/matmul.js';
import { lectureName } from '../reference/names.js';

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
  /** torch.allclose at its defaults, as the lecture's cmp (informational) */
  approximate: boolean;
  maxdiff: number;
  /** the derived float-error tolerance of this gradient (see TOL_FACTOR); NaN when none was given */
  tol: number;
  /** maxdiff <= tol and the shapes agree: what the exit code follows */
  pass: boolean;
  shape: number[];
  refShape: number[];
  shapeOk: boolean;
}

/** torch.allclose's default tolerances: |a - b| <= atol + rtol |b|. */
export const RTOL = 1e-5;
export const ATOL = 1e-8;

/**
 * The pass/fail of a row (it sets check's exit code) is not allclose: allclose's atol 1e-8 fails a correct
 * db1, whose true value is 0 (batchnorm removes the bias) so that what is left is rounding noise of the
 * size of the terms summed, not of the result. Instead each gradient gets a bound on its float error:
 *   maxdiff <= TOL_FACTOR * unit roundoff (2^-24 float32, 2^-53 float64) * max_i S_i
 * where S is the gradient's error scale (gradientScales below): the same backward pass run on absolute
 * values, every term counted positive, so that S_i is the sum of the magnitudes of everything that was
 * added to make entry i (the classic running error bound |fl(sum) - sum| <= gamma_k sum |terms|). The
 * factor covers the accumulation lengths and the ops between: over 462 configurations (batch 2-64, H 1-512,
 * V 2-27, E 2 and 10, T 1 and 3, init and 3x init) the worst correct row reached 1.5 (the fused ex.2 row),
 * so 8 leaves a margin of 5; at the lecture's shapes a 0.1% error in any gradient that is more than
 * rounding noise is 4x (dC) to 2000x above it. Both are tests (test/core/check-tolerance.test.ts). db1 and
 * dlogit_maxes are pure noise (their true value is 0): no tolerance can see a 0.1% error in them.
 */
export const TOL_FACTOR = 8;

export function unitRoundoff(dtype: 'float32' | 'float64'): number {
  return dtype === 'float32' ? 2 ** -24 : 2 ** -53;
}

/**
 * The lecture's cmp, plus a shape column: a [64] gradient for a [1, 64] tensor is named, not broadcast.
 * With `tol` (a derived float-error bound) the row also passes or fails on maxdiff <= tol; without, its pass
 * is allclose's verdict.
 */
export function compare(name: string, ours: Tensor, ref: Tensor, tol = NaN): CheckRow {
  const shapeOk = sameShape(ours.shape, ref.shape);
  const row: CheckRow = {
    name, exact: false, approximate: false, maxdiff: NaN, tol, pass: false, shape: [...ours.shape], refShape: [...ref.shape], shapeOk,
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
  row.pass = shapeOk && (Number.isNaN(tol) ? row.approximate : maxdiff <= tol);
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
  /** each gradient's derived tolerance (TOL_FACTOR * unit roundoff * max error scale) */
  tols: Record<GradName, number>;
  /** the same with the forward's error on the logits side: for gradients from another forward (the fast engines) */
  pathTols: Record<GradName, number>;
}

/**
 * Each gradient's tolerance: TOL_FACTOR * unit roundoff * the largest entry of its error scale. With
 * forwardError, the scale also holds the forward's rounding on the logits side (for a gradient computed
 * from another forward than the reference's, as the fast engines' training path is).
 */
export function gradientTolerances(
  m: ManualResult, p: Params, X: Int32Array, Y: Int32Array, cfg: ModelConfig, forwardError = false,
): Record<GradName, number> {
  const u = unitRoundoff(p.flat instanceof Float32Array ? 'float32' : 'float64');
  const S = gradientScales(m, p, X, Y, cfg, { forwardError });
  const out = {} as Record<GradName, number>;
  for (const k of GRAD_NAMES) {
    let mx = 0;
    for (const v of S[k]) mx = Math.max(mx, v);
    out[k] = TOL_FACTOR * u * mx;
  }
  return out;
}

/**
 * The error scale of every gradient: the manual backward (exercise 1, in the lecture's order) on absolute
 * values, in doubles. Each line is the backward line it mirrors with every term made positive, so S[k][i]
 * is the sum of the magnitudes that were added to make dk[i]; a rounding error in any of them, or in the
 * forward values they read, is a small multiple of unit roundoff times S[k][i]. The fused exercise 2 and 3
 * formulas add their own terms (they are included: ex.3's n*dhpreact - sum - bnraw*c).
 */
export function gradientScales(
  m: ManualResult, p: Params, X: Int32Array, Y: Int32Array, cfg: ModelConfig, opts: { forwardError?: boolean } = {},
): Record<GradName, Float64Array> {
  const B = Y.length;
  const n = B;
  const { vocabSize: V, nHidden: H, nEmbd: E, blockSize: T } = cfg;
  const K = T * E;
  const a = m.acts;
  const abs = (x: ArrayLike<number>): Float64Array => Float64Array.from(x as ArrayLike<number>, Math.abs);
  const S = {} as Record<GradName, Float64Array>;
  const z = (len: number): Float64Array => new Float64Array(len);
  // loss = -logprobs[range(n), Y].mean()
  S.logprobs = z(B * V);
  for (let b = 0; b < B; b++) S.logprobs[b * V + Y[b]] = 1 / n;
  // dprobs = dlogprobs / probs
  S.probs = z(B * V);
  for (let i = 0; i < B * V; i++) S.probs[i] = S.logprobs[i] / Math.abs(a.probs.data[i]);
  // dcounts_sum_inv = (counts * dprobs).sum(1); dcounts = counts_sum_inv * dprobs (+ dcounts_sum below)
  S.countsSumInv = z(B);
  S.countsSum = z(B);
  S.counts = z(B * V);
  for (let b = 0; b < B; b++) {
    let acc = 0;
    for (let j = 0; j < V; j++) acc += Math.abs(a.counts.data[b * V + j]) * S.probs[b * V + j];
    S.countsSumInv[b] = acc;
    // dcounts_sum = -counts_sum**-2 * dcounts_sum_inv
    S.countsSum[b] = acc / (a.countsSum.data[b] * a.countsSum.data[b]);
    for (let j = 0; j < V; j++) S.counts[b * V + j] = Math.abs(a.countsSumInv.data[b]) * S.probs[b * V + j] + S.countsSum[b];
  }
  // dnorm_logits = counts * dcounts; dlogit_maxes = -dnorm_logits.sum(1); dlogits = dnorm_logits + onehot(argmax) * dlogit_maxes
  S.normLogits = z(B * V);
  S.logitMaxes = z(B);
  S.logits = z(B * V);
  for (let b = 0; b < B; b++) {
    let acc = 0;
    let arg = 0;
    for (let j = 0; j < V; j++) {
      const i = b * V + j;
      S.normLogits[i] = Math.abs(a.counts.data[i]) * S.counts[i];
      acc += S.normLogits[i];
      if (a.logits.data[i] > a.logits.data[b * V + arg]) arg = j;
    }
    S.logitMaxes[b] = acc;
    for (let j = 0; j < V; j++) {
      const i = b * V + j;
      // exercise 2's (probs - onehot(Y)) / n has terms of size (probs + [j == Y]) / n
      S.logits[i] = Math.max(S.normLogits[i] + (j === arg ? acc : 0), (Math.abs(a.probs.data[i]) + (j === Y[b] ? 1 : 0)) / n);
    }
  }
  const eRaw = opts.forwardError ? addLogitsForwardError(S.logits, m, p, cfg, B) : null;
  // dh = dlogits @ W2.T; dW2 = h.T @ dlogits; db2 = dlogits.sum(0)
  S.h = z(B * H);
  matmulNT(S.h, S.logits, abs(p.W2.data), B, V, H);
  S.W2 = z(H * V);
  matmulTN(S.W2, abs(a.h.data), S.logits, H, B, V);
  S.b2 = z(V);
  for (let b = 0; b < B; b++) for (let j = 0; j < V; j++) S.b2[j] += S.logits[b * V + j];
  // dhpreact = (1 - h**2) * dh
  S.hpreact = z(B * H);
  for (let i = 0; i < B * H; i++) S.hpreact[i] = Math.abs(1 - a.h.data[i] * a.h.data[i]) * S.h[i];
  // dbngain = (bnraw * dhpreact).sum(0); dbnbias = dhpreact.sum(0); dbnraw = bngain * dhpreact
  S.bngain = z(H);
  S.bnbias = z(H);
  S.bnraw = z(B * H);
  for (let b = 0; b < B; b++) {
    for (let j = 0; j < H; j++) {
      const i = b * H + j;
      S.bngain[j] += Math.abs(a.bnraw.data[i]) * S.hpreact[i];
      S.bnbias[j] += S.hpreact[i];
      S.bnraw[i] = Math.abs(p.bngain.data[j]) * S.hpreact[i];
      // bnraw's own forward error reaches dbngain directly
      if (eRaw !== null) S.bngain[j] += eRaw[i] * S.hpreact[i];
    }
  }
  // dbnvar_inv = (bndiff * dbnraw).sum(0); dbnvar = -0.5 (bnvar + 1e-5)**-1.5 dbnvar_inv; dbndiff2 = dbnvar / (n-1)
  S.bnvarInv = z(H);
  S.bnvar = z(H);
  S.bndiff2 = z(B * H);
  S.bndiff = z(B * H);
  S.bnmeani = z(H);
  S.hprebn = z(B * H);
  for (let j = 0; j < H; j++) {
    let acc = 0;
    for (let b = 0; b < B; b++) acc += Math.abs(a.bndiff.data[b * H + j]) * S.bnraw[b * H + j];
    S.bnvarInv[j] = acc;
    S.bnvar[j] = 0.5 * (a.bnvar.data[j] + 1e-5) ** -1.5 * acc;
    let mean = 0;
    let sumR = 0;
    let sumRR = 0;
    for (let b = 0; b < B; b++) {
      const i = b * H + j;
      S.bndiff2[i] = S.bnvar[j] / (n - 1);
      // dbndiff = bnvar_inv * dbnraw + 2 * bndiff * dbndiff2; dbnmeani = -dbndiff.sum(0)
      S.bndiff[i] = Math.abs(a.bnvarInv.data[j]) * S.bnraw[i] + 2 * Math.abs(a.bndiff.data[i]) * S.bndiff2[i];
      mean += S.bndiff[i];
      sumR += S.hpreact[i];
      sumRR += S.hpreact[i] * Math.abs(a.bnraw.data[i]);
    }
    S.bnmeani[j] = mean;
    // dhprebn = dbndiff + dbnmeani / n; exercise 3: bngain*bnvar_inv/n * (n*dhpreact - sum - n/(n-1)*bnraw*sum(dhpreact*bnraw))
    const scale = Math.abs(p.bngain.data[j] * a.bnvarInv.data[j]) / n;
    // The forward's own rounding matters here: bndiff = hprebn - mean cancels, so its error is u * (|hprebn| +
    // |mean|), not u * |bndiff|; it reaches bnraw (times bnvar_inv) and bnvar_inv (relative, through the
    // variance). Both sides of the comparison read these values, each with its own rounding: their first-order
    // effect on the formula is added, in units of u (it dominates when the variance is near eps = 1e-5).
    const m0 = Math.abs(a.bnmeani.data[j]);
    let dVar = 0;
    let dRawSum = 0;
    for (let b = 0; b < B; b++) {
      const i = b * H + j;
      const dDiff = Math.abs(a.hprebn.data[i]) + m0;
      dVar += 2 * Math.abs(a.bndiff.data[i]) * dDiff;
      dRawSum += S.hpreact[i] * dDiff * Math.abs(a.bnvarInv.data[j]);
    }
    const relInv = (0.5 * dVar) / ((n - 1) * (a.bnvar.data[j] + 1e-5)); // relative error of bnvar_inv, in units of u
    for (let b = 0; b < B; b++) {
      const i = b * H + j;
      const terms = n * S.hpreact[i] + sumR + (n / (n - 1)) * Math.abs(a.bnraw.data[i]) * sumRR;
      const dRaw = (Math.abs(a.hprebn.data[i]) + m0) * Math.abs(a.bnvarInv.data[j]);
      const forward = (n / (n - 1)) * (sumRR * dRaw + Math.abs(a.bnraw.data[i]) * dRawSum);
      const fused = scale * (terms * (1 + relInv) + forward);
      S.hprebn[i] = Math.max(S.bndiff[i] + mean / n, fused);
    }
  }
  // dembcat = dhprebn @ W1.T; dW1 = embcat.T @ dhprebn; db1 = dhprebn.sum(0)
  S.embcat = z(B * K);
  matmulNT(S.embcat, S.hprebn, abs(p.W1.data), B, H, K);
  S.W1 = z(K * H);
  matmulTN(S.W1, abs(a.embcat.data), S.hprebn, K, B, H);
  S.b1 = z(H);
  for (let b = 0; b < B; b++) for (let j = 0; j < H; j++) S.b1[j] += S.hprebn[b * H + j];
  // demb = dembcat.view(B, T, E); dC[X[b, t]] += demb[b, t]
  S.emb = S.embcat;
  S.C = z(V * E);
  for (let r = 0; r < B * T; r++) for (let e = 0; e < E; e++) S.C[X[r] * E + e] += S.emb[r * E + e];
  return S;
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
  const tols = gradientTolerances(m, p, X, Y, cfg);
  const pathTols = gradientTolerances(m, p, X, Y, cfg, true);
  // rows are named as the lecture's cmp prints them (counts_sum_inv), in the order its backward reaches them
  const rows = GRAD_NAMES.map((k) => compare(lectureName(k), m.grads[k], reference[k], tols[k]));
  const fused = [
    compare('logits (ex.2)', m.dlogitsFused, reference.logits, tols.logits),
    compare('hprebn (ex.3)', m.dhprebnFused, reference.hprebn, tols.hprebn),
  ];
  const ok = [...rows, ...fused].every((r) => r.pass);
  return { loss: m.loss, rows, fused, ok, manual: m, reference, tols, pathTols };
}

/**
 * Adds to the error scale of dlogits the effect of the forward's own rounding, in units of u: bnraw carries
 * u * (|hprebn| + |mean|) * bnvar_inv (bndiff cancels; on a batch of identical rows the variance is 0 and
 * bnraw is rounding noise times 316) plus its share of bnvar_inv's error; tanh adds a few u; the logits sum
 * H of these through |W2|; an error e in the logits moves dlogits = (probs - onehot) / n by
 * probs * (e + sum(probs * e)) / n. Returns bnraw's error (for dbngain, which reads bnraw directly).
 */
function addLogitsForwardError(Slogits: Float64Array, m: ManualResult, p: Params, cfg: ModelConfig, B: number): Float64Array {
  const { vocabSize: V, nHidden: H } = cfg;
  const a = m.acts;
  const eH = new Float64Array(B * H);
  const eRawAll = new Float64Array(B * H);
  for (let j = 0; j < H; j++) {
    const mean = Math.abs(a.bnmeani.data[j]);
    const inv = Math.abs(a.bnvarInv.data[j]);
    let dVar = 0;
    for (let b = 0; b < B; b++) dVar += 2 * Math.abs(a.bndiff.data[b * H + j]) * (Math.abs(a.hprebn.data[b * H + j]) + mean);
    const relInv = (0.5 * dVar) / ((B - 1) * (a.bnvar.data[j] + 1e-5));
    for (let b = 0; b < B; b++) {
      const i = b * H + j;
      const eRaw = (Math.abs(a.hprebn.data[i]) + mean) * inv + Math.abs(a.bnraw.data[i]) * (1 + relInv);
      eRawAll[i] = eRaw;
      const eHpreact = Math.abs(p.bngain.data[j]) * eRaw + Math.abs(a.hpreact.data[i]);
      eH[i] = Math.abs(1 - a.h.data[i] * a.h.data[i]) * eHpreact + FWD_TANH;
    }
  }
  const eLogits = new Float64Array(B * V);
  matmul(eLogits, eH, Float64Array.from(p.W2.data, Math.abs), B, H, V);
  for (let b = 0; b < B; b++) {
    let avg = 0;
    for (let j = 0; j < V; j++) {
      const i = b * V + j;
      eLogits[i] += Math.abs(a.logits.data[i]);
      avg += Math.abs(a.probs.data[i]) * eLogits[i];
    }
    for (let j = 0; j < V; j++) {
      const i = b * V + j;
      Slogits[i] += (Math.abs(a.probs.data[i]) * (eLogits[i] + avg)) / B;
    }
  }
  return eRawAll;
}

/** tanh's error in units of u for the forward-error terms: the fast engines' tanh is within 3e-7 (~5 u). */
const FWD_TANH = 8;

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
  const tol = Number.isNaN(r.tol) ? '' : ` | tol: ${pyFloat(r.tol).padEnd(22)} | ${r.pass ? 'pass' : 'FAIL'}`;
  return `${r.name.padEnd(width)} | exact: ${py(r.exact).padEnd(5)} | approximate: ${py(r.approximate).padEnd(5)} | maxdiff: ${pyFloat(r.maxdiff).padEnd(22)}${tol} | shape: ${shape}`;
}

