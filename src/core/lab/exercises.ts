// The browser lab's content, pure so that node tests check it too: the forward graph (each tensor's lecture
// line and inputs), the 26 + 2 exercises (hints, the manual derivative, the solution), a snapshot of one
// batch (values, manual and autograd gradients, check rows), and the runner + judge for a learner's code.

import { compare, runCheck, type CheckRow } from '../judge/check.js';
import {
  ACT_NAMES, GRAD_NAMES, PARAM_NAMES,
  type ActName, type Acts, type GradName, type Grads, type ModelConfig, type ParamName, type Params,
} from '../reference/model.js';
import { allocFloat, dtypeOf, numel, sameShape, shapeStr, type FloatArray, type Tensor } from '../reference/block.js';
import { API, isNdArray, type NdArray } from './tensor-api.js';
import { codeName, lectureName, lectureText, type LectureGradName } from '../reference/names.js';

export type NodeName = ActName | ParamName;

export interface GraphNode {
  readonly name: NodeName;
  /** the lecture's forward line, in the lecture's names */
  readonly formula: string;
  readonly inputs: readonly NodeName[];
  readonly kind: 'param' | 'act';
}

/** The chunked forward as a graph: 7 parameters and 20 intermediates, in forward order. */
export const GRAPH: readonly GraphNode[] = [
  { name: 'C', formula: 'C = randn(V, E)', inputs: [], kind: 'param' },
  { name: 'W1', formula: 'W1 = randn(T*E, H) * (5/3)/sqrt(T*E)', inputs: [], kind: 'param' },
  { name: 'b1', formula: 'b1 = randn(H) * 0.1', inputs: [], kind: 'param' },
  { name: 'bngain', formula: 'bngain = 1 + randn(1, H) * 0.1', inputs: [], kind: 'param' },
  { name: 'bnbias', formula: 'bnbias = randn(1, H) * 0.1', inputs: [], kind: 'param' },
  { name: 'W2', formula: 'W2 = randn(H, V) * 0.1', inputs: [], kind: 'param' },
  { name: 'b2', formula: 'b2 = randn(V) * 0.1', inputs: [], kind: 'param' },
  { name: 'emb', formula: 'emb = C[Xb]', inputs: ['C'], kind: 'act' },
  { name: 'embcat', formula: 'embcat = emb.view(B, T*E)', inputs: ['emb'], kind: 'act' },
  { name: 'hprebn', formula: 'hprebn = embcat @ W1 + b1', inputs: ['embcat', 'W1', 'b1'], kind: 'act' },
  { name: 'bnmeani', formula: 'bnmeani = 1/n * hprebn.sum(0, keepdim=True)', inputs: ['hprebn'], kind: 'act' },
  { name: 'bndiff', formula: 'bndiff = hprebn - bnmeani', inputs: ['hprebn', 'bnmeani'], kind: 'act' },
  { name: 'bndiff2', formula: 'bndiff2 = bndiff**2', inputs: ['bndiff'], kind: 'act' },
  { name: 'bnvar', formula: 'bnvar = 1/(n-1) * bndiff2.sum(0, keepdim=True)', inputs: ['bndiff2'], kind: 'act' },
  { name: 'bnvarInv', formula: 'bnvar_inv = (bnvar + 1e-5)**-0.5', inputs: ['bnvar'], kind: 'act' },
  { name: 'bnraw', formula: 'bnraw = bndiff * bnvar_inv', inputs: ['bndiff', 'bnvarInv'], kind: 'act' },
  { name: 'hpreact', formula: 'hpreact = bngain * bnraw + bnbias', inputs: ['bngain', 'bnraw', 'bnbias'], kind: 'act' },
  { name: 'h', formula: 'h = tanh(hpreact)', inputs: ['hpreact'], kind: 'act' },
  { name: 'logits', formula: 'logits = h @ W2 + b2', inputs: ['h', 'W2', 'b2'], kind: 'act' },
  { name: 'logitMaxes', formula: 'logit_maxes = logits.max(1, keepdim=True).values', inputs: ['logits'], kind: 'act' },
  { name: 'normLogits', formula: 'norm_logits = logits - logit_maxes', inputs: ['logits', 'logitMaxes'], kind: 'act' },
  { name: 'counts', formula: 'counts = norm_logits.exp()', inputs: ['normLogits'], kind: 'act' },
  { name: 'countsSum', formula: 'counts_sum = counts.sum(1, keepdim=True)', inputs: ['counts'], kind: 'act' },
  { name: 'countsSumInv', formula: 'counts_sum_inv = counts_sum**-1', inputs: ['countsSum'], kind: 'act' },
  { name: 'probs', formula: 'probs = counts * counts_sum_inv', inputs: ['counts', 'countsSumInv'], kind: 'act' },
  { name: 'logprobs', formula: 'logprobs = probs.log()', inputs: ['probs'], kind: 'act' },
  { name: 'loss', formula: 'loss = -logprobs[range(n), Yb].mean()', inputs: ['logprobs'], kind: 'act' },
];

/** Exercise 1's ids are the lecture's names (counts_sum_inv); the fused ones are named as their check rows. */
export type ExerciseId = LectureGradName | 'logits (ex.2)' | 'hprebn (ex.3)';

export interface Exercise {
  /** the lecture's name of the tensor for exercise 1 (counts_sum_inv), or the fused row's name */
  readonly id: ExerciseId;
  /** the tensor whose gradient is asked for */
  readonly target: GradName;
  /** the variable the learner assigns: 'd' + the lecture's name (dcounts_sum_inv) */
  readonly variable: string;
  /** the forward line(s) whose backward this is */
  readonly forward: string;
  /** hint 1: the local derivative */
  readonly local: string;
  /** hint 2: the chain-rule step */
  readonly chain: string;
  readonly solution: string;
  /** gradients the learner may use (the reference values, so one mistake does not cascade) */
  readonly given: readonly GradName[];
}

type Ex1 = Omit<Exercise, 'id' | 'target' | 'variable' | 'given'>;

const EX1: Record<GradName, Ex1> = {
  logprobs: {
    forward: 'loss = -logprobs[range(n), Yb].mean()',
    local: 'd(-mean of n picked values)/d(each picked value) = -1/n; a logprob that is not picked does not touch the loss: 0.',
    chain: 'dloss = 1, so dlogprobs is -1/n at (i, Yb[i]) and 0 elsewhere: a one-hot of Yb, scaled.',
    solution: 'dlogprobs = div(neg(oneHot(Yb, V)), n)',
  },
  probs: {
    forward: 'logprobs = probs.log()',
    local: 'd log(x) / dx = 1 / x',
    chain: 'dprobs = (1 / probs) * dlogprobs: small probabilities of the right character get boosted.',
    solution: 'dprobs = div(dlogprobs, probs)',
  },
  countsSumInv: {
    forward: 'probs = counts * counts_sum_inv',
    local: 'd(x * y) / dy = x; counts_sum_inv (B, 1) was broadcast along V.',
    chain: 'dcounts_sum_inv = (counts * dprobs).sum(1, keepdim=True): a broadcast in the forward is a sum in the backward.',
    solution: 'dcounts_sum_inv = sum(mul(counts, dprobs), 1, { keepdim: true })',
  },
  countsSum: {
    forward: 'counts_sum_inv = counts_sum**-1',
    local: 'd x^-1 / dx = -x^-2',
    chain: 'dcounts_sum = -counts_sum**-2 * dcounts_sum_inv',
    solution: 'dcounts_sum = mul(neg(pow(counts_sum, -2)), dcounts_sum_inv)',
  },
  counts: {
    forward: 'probs = counts * counts_sum_inv;  counts_sum = counts.sum(1, keepdim=True)',
    local: 'd(x * y) / dx = y; d(sum_j x_j) / dx_j = 1. counts is used twice: the two contributions add.',
    chain: 'dcounts = counts_sum_inv * dprobs + dcounts_sum (dcounts_sum (B, 1) broadcast along V).',
    solution: 'dcounts = add(mul(counts_sum_inv, dprobs), dcounts_sum)',
  },
  normLogits: {
    forward: 'counts = norm_logits.exp()',
    local: 'd exp(x) / dx = exp(x), which is counts itself.',
    chain: 'dnorm_logits = counts * dcounts',
    solution: 'dnorm_logits = mul(counts, dcounts)',
  },
  logitMaxes: {
    forward: 'norm_logits = logits - logit_maxes',
    local: 'd(x - m) / dm = -1; logit_maxes (B, 1) was broadcast along V.',
    chain: 'dlogit_maxes = -dnorm_logits.sum(1, keepdim=True) (about 0: the max does not change the softmax).',
    solution: 'dlogit_maxes = neg(sum(dnorm_logits, 1, { keepdim: true }))',
  },
  logits: {
    forward: 'norm_logits = logits - logit_maxes;  logit_maxes = logits.max(1, keepdim=True).values',
    local: 'd(x - m) / dx = 1; d max_j(x_j) / dx_j = 1 at the argmax, 0 elsewhere. Two uses: add them.',
    chain: 'dlogits = dnorm_logits + one_hot(logits.argmax(1), V) * dlogit_maxes',
    solution: 'dlogits = add(dnorm_logits, mul(oneHot(argmax(logits, 1), V), dlogit_maxes))',
  },
  h: {
    forward: 'logits = h @ W2 + b2',
    local: 'd(x @ W) / dx: a matmul; the shapes tell you the order: dh (B, H) from dlogits (B, V) and W2 (H, V).',
    chain: 'dh = dlogits @ W2.T',
    solution: 'dh = matmul(dlogits, transpose(W2))',
  },
  W2: {
    forward: 'logits = h @ W2 + b2',
    local: 'd(x @ W) / dW: dW2 (H, V) from h (B, H) and dlogits (B, V).',
    chain: 'dW2 = h.T @ dlogits',
    solution: 'dW2 = matmul(transpose(h), dlogits)',
  },
  b2: {
    forward: 'logits = h @ W2 + b2',
    local: 'd(x + b) / db = 1; b2 (V) was broadcast over the batch.',
    chain: 'db2 = dlogits.sum(0)',
    solution: 'db2 = sum(dlogits, 0)',
  },
  hpreact: {
    forward: 'h = tanh(hpreact)',
    local: 'd tanh(x) / dx = 1 - tanh(x)^2, and tanh(x) is h itself.',
    chain: 'dhpreact = (1 - h**2) * dh',
    solution: 'dhpreact = mul(sub(1, pow(h, 2)), dh)',
  },
  bngain: {
    forward: 'hpreact = bngain * bnraw + bnbias',
    local: 'd(g * x) / dg = x; bngain (1, H) was broadcast over the batch.',
    chain: 'dbngain = (bnraw * dhpreact).sum(0, keepdim=True)',
    solution: 'dbngain = sum(mul(bnraw, dhpreact), 0, { keepdim: true })',
  },
  bnbias: {
    forward: 'hpreact = bngain * bnraw + bnbias',
    local: 'd(x + b) / db = 1; bnbias (1, H) was broadcast over the batch.',
    chain: 'dbnbias = dhpreact.sum(0, keepdim=True)',
    solution: 'dbnbias = sum(dhpreact, 0, { keepdim: true })',
  },
  bnraw: {
    forward: 'hpreact = bngain * bnraw + bnbias',
    local: 'd(g * x) / dx = g',
    chain: 'dbnraw = bngain * dhpreact',
    solution: 'dbnraw = mul(bngain, dhpreact)',
  },
  bnvarInv: {
    forward: 'bnraw = bndiff * bnvar_inv',
    local: 'd(x * y) / dy = x; bnvar_inv (1, H) was broadcast over the batch.',
    chain: 'dbnvar_inv = (bndiff * dbnraw).sum(0, keepdim=True)',
    solution: 'dbnvar_inv = sum(mul(bndiff, dbnraw), 0, { keepdim: true })',
  },
  bnvar: {
    forward: 'bnvar_inv = (bnvar + 1e-5)**-0.5',
    local: 'd (x + eps)^-0.5 / dx = -0.5 (x + eps)^-1.5',
    chain: 'dbnvar = -0.5 * (bnvar + 1e-5)**-1.5 * dbnvar_inv',
    solution: 'dbnvar = mul(mul(-0.5, pow(add(bnvar, 1e-5), -1.5)), dbnvar_inv)',
  },
  bndiff2: {
    forward: 'bnvar = 1/(n-1) * bndiff2.sum(0, keepdim=True)',
    local: 'd(c * sum_i x_i) / dx_i = c, with c = 1/(n-1) (Bessel).',
    chain: 'dbndiff2 = 1/(n-1) * ones_like(bndiff2) * dbnvar: every row gets dbnvar.',
    solution: 'dbndiff2 = mul(div(1, n - 1), mul(onesLike(bndiff2), dbnvar))',
  },
  bndiff: {
    forward: 'bnraw = bndiff * bnvar_inv;  bndiff2 = bndiff**2',
    local: 'd(x * y) / dx = y; d x^2 / dx = 2x. bndiff is used twice: add the two.',
    chain: 'dbndiff = bnvar_inv * dbnraw + 2 * bndiff * dbndiff2',
    solution: 'dbndiff = add(mul(bnvar_inv, dbnraw), mul(mul(2, bndiff), dbndiff2))',
  },
  bnmeani: {
    forward: 'bndiff = hprebn - bnmeani',
    local: 'd(x - m) / dm = -1; bnmeani (1, H) was broadcast over the batch.',
    chain: 'dbnmeani = -dbndiff.sum(0, keepdim=True)',
    solution: 'dbnmeani = neg(sum(dbndiff, 0, { keepdim: true }))',
  },
  hprebn: {
    forward: 'bndiff = hprebn - bnmeani;  bnmeani = 1/n * hprebn.sum(0, keepdim=True)',
    local: 'd(x - m) / dx = 1; d(1/n sum_i x_i) / dx_i = 1/n. Two uses: add them.',
    chain: 'dhprebn = dbndiff + 1/n * ones_like(hprebn) * dbnmeani',
    solution: 'dhprebn = add(dbndiff, mul(div(1, n), mul(onesLike(hprebn), dbnmeani)))',
  },
  embcat: {
    forward: 'hprebn = embcat @ W1 + b1',
    local: 'd(x @ W) / dx: dembcat (B, T*E) from dhprebn (B, H) and W1 (T*E, H).',
    chain: 'dembcat = dhprebn @ W1.T',
    solution: 'dembcat = matmul(dhprebn, transpose(W1))',
  },
  W1: {
    forward: 'hprebn = embcat @ W1 + b1',
    local: 'd(x @ W) / dW: dW1 (T*E, H) from embcat (B, T*E) and dhprebn (B, H).',
    chain: 'dW1 = embcat.T @ dhprebn',
    solution: 'dW1 = matmul(transpose(embcat), dhprebn)',
  },
  b1: {
    forward: 'hprebn = embcat @ W1 + b1',
    local: 'd(x + b) / db = 1; b1 (H) was broadcast over the batch.',
    chain: 'db1 = dhprebn.sum(0) (about 0: batchnorm subtracts the mean, so b1 cannot change the loss)',
    solution: 'db1 = sum(dhprebn, 0)',
  },
  emb: {
    forward: 'embcat = emb.view(B, T*E)',
    local: 'A view moves no numbers: its derivative is the identity.',
    chain: 'demb = dembcat.view(emb.shape)',
    solution: 'demb = view(dembcat, emb.shape)',
  },
  C: {
    forward: 'emb = C[Xb]',
    local: 'Row Xb[b, t] of C was copied into emb[b, t]: d emb[b, t] / d C[Xb[b, t]] = 1.',
    chain: 'dC[Xb[b, t]] += demb[b, t] for every (b, t): a row picked k times collects k gradients.',
    solution: 'dC = indexAdd(zerosLike(C), view(Xb, [-1]), view(demb, [-1, E]))',
  },
};

export const EXERCISES: readonly Exercise[] = [
  ...GRAD_NAMES.map((k, i): Exercise => ({ id: lectureName(k), target: k, variable: `d${lectureName(k)}`, given: GRAD_NAMES.slice(0, i), ...EX1[k] })),
  {
    id: 'logits (ex.2)', target: 'logits', variable: 'dlogits', given: [],
    forward: 'loss = F.cross_entropy(logits, Yb)',
    local: 'd(-log softmax(x)_y) / dx_j = softmax(x)_j - [j == y]',
    chain: 'dlogits = (softmax(logits, 1) - one_hot(Yb, V)) / n: the mean over the batch divides by n.',
    solution: 'dlogits = div(sub(softmax(logits, 1), oneHot(Yb, V)), n)',
  },
  {
    id: 'hprebn (ex.3)', target: 'hprebn', variable: 'dhprebn', given: ['hpreact'],
    forward: 'hpreact = bngain * (hprebn - mean) / sqrt(var + 1e-5) + bnbias   (mean, var over the batch; var with n-1)',
    local: 'Through bnraw, the mean and the variance: each hprebn[i] reaches every bnraw[k] of its column.',
    chain: 'dhprebn = bngain*bnvar_inv/n * (n*dhpreact - dhpreact.sum(0) - n/(n-1)*bnraw*(dhpreact*bnraw).sum(0))',
    solution:
      'dhprebn = mul(div(mul(bngain, bnvar_inv), n), sub(sub(mul(n, dhpreact), sum(dhpreact, 0, { keepdim: true })),\n' +
      '  mul(n / (n - 1), mul(bnraw, sum(mul(dhpreact, bnraw), 0, { keepdim: true })))))',
  },
];

export function exerciseById(id: string): Exercise {
  const ex = EXERCISES.find((e) => e.id === id);
  if (ex === undefined) throw new Error(`no exercise ${id}`);
  return ex;
}

/** The manual derivative shown on a graph node: exercise 1's chain-rule step for that tensor. */
export function derivativeOf(name: NodeName): string {
  return name === 'loss' ? 'dloss = 1' : EX1[name].chain;
}

// ---------------------------------------------------------------------------------------------------------
// one batch, everything the lab shows

export interface Snapshot {
  cfg: ModelConfig;
  X: Int32Array;
  Y: Int32Array;
  loss: number;
  params: Params;
  acts: Acts;
  /** exercise 1, by hand (model.ts) */
  manual: Grads;
  /** the judge: the autograd's gradient of every tensor */
  ref: Record<GradName, Tensor>;
  /** exercise 1's check rows, by tensor; and the fused rows */
  rows: Record<GradName, CheckRow>;
  fused: CheckRow[];
}

/** The forward, the manual backward, the fused exercises and the autograd on one batch: the check table. */
export function snapshot(params: Params, X: Int32Array, Y: Int32Array, cfg: ModelConfig): Snapshot {
  const res = runCheck(params, X, Y, cfg);
  const rows = {} as Record<GradName, CheckRow>;
  for (const r of res.rows) rows[codeName(r.name) as GradName] = r;
  return {
    cfg, X, Y, loss: res.loss, params, acts: res.manual.acts, manual: res.manual.grads, ref: res.reference, rows, fused: res.fused,
  };
}

/** A tensor as the learner sees it: float64 values, a copy (so learner code cannot touch the lab's). */
export function toNd(t: { shape: readonly number[]; data: ArrayLike<number> }): NdArray {
  return { shape: [...t.shape], data: Float64Array.from(t.data) };
}

/** What an exercise's code can read: the forward values, the ids, the dims, and the given gradients. */
export type Scope = Record<string, NdArray | number>;

export function exerciseScope(ex: Exercise, s: Snapshot): Scope {
  const { cfg } = s;
  const B = s.Y.length;
  const scope: Scope = {
    n: B, B, T: cfg.blockSize, E: cfg.nEmbd, H: cfg.nHidden, V: cfg.vocabSize,
    Xb: toNd({ shape: [B, cfg.blockSize], data: s.X }), Yb: toNd({ shape: [B], data: s.Y }),
  };
  // the learner reads and writes the lecture's names: counts_sum_inv, dcounts_sum_inv
  for (const k of ACT_NAMES) scope[lectureName(k)] = toNd(s.acts[k]);
  for (const k of PARAM_NAMES) scope[k] = toNd(s.params[k]);
  for (const k of ex.given) scope[`d${lectureName(k)}`] = toNd(s.ref[k]);
  return scope;
}

/** The scope as plain transferable data (for a Worker): same names, shapes and float64 values. */
export interface ScopeMessage {
  names: string[];
  values: (NdArray | number)[];
}

const API_NAMES = Object.keys(API);

/**
 * Runs the learner's code with the tensor API and the scope in view, and returns the value of the
 * exercise's variable (`dprobs`). The code may assign it (`dprobs = ...`) or declare it (`const dprobs = ...`).
 * Throws what the code throws; a TensorApiError carries the op and the shapes. Run it in a Worker: a loop
 * that never ends is only stopped by terminating the worker.
 */
export function runExercise(code: string, variable: string, scope: Scope): NdArray {
  if (!/^[A-Za-z_$][\w$]*$/.test(variable)) throw new Error(`bad variable name ${variable}`);
  const names = Object.keys(scope).filter((k) => !API_NAMES.includes(k));
  const body = `"use strict";\nlet ${variable};\n{\n${code}\n;return ${variable};\n}`;
  let fn: (...args: unknown[]) => unknown;
  try {
    fn = new Function(...API_NAMES, ...names, body) as (...args: unknown[]) => unknown;
  } catch (e) {
    throw new SyntaxError(`your code does not parse: ${(e as Error).message}`);
  }
  let result: unknown;
  try {
    result = fn(...API_NAMES.map((k) => API[k as keyof typeof API]), ...names.map((k) => scope[k]));
  } catch (e) {
    // the usual slip from Python: tensor methods (probs.log()) are functions here (log(probs))
    const m = e instanceof TypeError ? /(?:^|\.)(\w+) is not a function/.exec(e.message) : null;
    if (m !== null && API_NAMES.includes(m[1])) {
      throw new TypeError(`${e instanceof Error ? e.message : String(e)}: tensors have no methods here; write ${m[1]}(x, ...) instead of x.${m[1]}(...)`);
    }
    throw e;
  }
  if (typeof result === 'number') {
    if (Number.isNaN(result)) {
      throw new TypeError(`${variable} is NaN, not a tensor: +, -, *, / and ** do not work on tensors in JavaScript; use add, sub, mul, div, pow`);
    }
    return { shape: [], data: Float64Array.of(result) };
  }
  if (!isNdArray(result)) {
    throw new TypeError(result === undefined ? `your code did not assign ${variable}` : `${variable} is not a tensor (got ${typeof result})`);
  }
  return result;
}

export type VerdictKind = 'exact' | 'approximate' | 'wrong' | 'shape' | 'error';

export interface Verdict {
  kind: VerdictKind;
  /** one line for the page */
  message: string;
  maxdiff: number;
  row: CheckRow | null;
  /** |yours - reference| per element, when the element counts agree (for the error heatmap) */
  error: Float64Array | null;
}

/** Why a gradient's shape is wrong, in the words of the lecture's usual mistakes. */
export function shapeHint(ours: readonly number[], ref: readonly number[]): string {
  const squeeze = (s: readonly number[]): number[] => s.filter((d) => d !== 1);
  if (numel(ours) === numel(ref) && sameShape(squeeze(ours), squeeze(ref))) return ': keepdim?';
  if (ours.length === 2 && ref.length === 2 && ours[0] === ref[1] && ours[1] === ref[0]) return ': transposed?';
  if (ours.length === ref.length && numel(ours) > numel(ref) && ref.every((d, i) => d === ours[i] || d === 1)) {
    const dims = ref.map((d, i) => (d === 1 && ours[i] !== 1 ? i : -1)).filter((i) => i >= 0);
    return `: it was broadcast along dim ${dims.join(', ')} in the forward, so sum over it (keepdim: true)?`;
  }
  return '';
}

/** Judges the learner's gradient against the autograd's, after rounding it once to the model's dtype. */
export function judge(name: string, yours: NdArray, ref: Tensor): Verdict {
  if (!sameShape(yours.shape, ref.shape)) {
    const message = `shape ${shapeStr(yours.shape)} but the tensor is ${shapeStr(ref.shape)}${shapeHint(yours.shape, ref.shape)}`;
    const row = compare(name, { shape: yours.shape, data: rounded(yours.data, ref.data) }, ref);
    return { kind: 'shape', message, maxdiff: row.maxdiff, row, error: errorMap(yours.data, ref.data) };
  }
  const ours = rounded(yours.data, ref.data);
  const row = compare(name, { shape: yours.shape, data: ours }, ref);
  const error = errorMap(ours, ref.data) ?? new Float64Array(0);
  let bad = -1;
  for (let i = 0; i < error.length; i++) if (!(error[i] <= 1e-8 + 1e-5 * Math.abs(ref.data[i]))) { bad = i; break; }
  if (row.exact) return { kind: 'exact', message: 'every value equals the autograd\'s', maxdiff: row.maxdiff, row, error };
  if (row.approximate) return { kind: 'approximate', message: `maxdiff ${row.maxdiff.toExponential(2)}: correct, up to float rounding`, maxdiff: row.maxdiff, row, error };
  const where = bad >= 0 ? ` (first at flat index ${bad}: yours ${ours[bad]}, autograd ${ref.data[bad]})` : '';
  return { kind: 'wrong', message: `maxdiff ${fmt(row.maxdiff)}${where}`, maxdiff: row.maxdiff, row, error };
}

function fmt(x: number): string {
  return Number.isNaN(x) ? 'NaN' : x.toPrecision(4);
}

function rounded(data: Float64Array, like: FloatArray): FloatArray {
  if (data.length !== like.length) return Float64Array.from(data);
  const out = allocFloat(dtypeOf(like), data.length);
  out.set(data);
  return out;
}

function errorMap(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array | null {
  if (a.length !== b.length) return null;
  const e = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) e[i] = Math.abs(a[i] - b[i]);
  return e;
}

// ---------------------------------------------------------------------------------------------------------
// saved progress from before the lab spoke the lecture's names

/** The lab's saved progress (localStorage), as JSON: by exercise id. */
export interface SavedProgress {
  current?: string;
  code?: Record<string, string>;
  status?: Record<string, string>;
  hints?: Record<string, number>;
}

/**
 * Progress saved under the old camelCase ids (version 1: `countsSumInv`, code assigning `dcountsSumInv`)
 * in the lecture's names: ids renamed, and the old names in the learner's code rewritten, so the code
 * still runs against the new scope. Ids it does not know are kept as they are.
 */
export function migrateProgressV1(old: SavedProgress): SavedProgress {
  const rekey = <T>(r: Record<string, T> | undefined, f: (v: T) => T = (v) => v): Record<string, T> =>
    Object.fromEntries(Object.entries(r ?? {}).map(([k, v]) => [lectureName(k), f(v)]));
  return {
    current: old.current === undefined ? undefined : lectureName(old.current),
    code: rekey(old.code, (c) => (typeof c === 'string' ? lectureText(c) : c)),
    status: rekey(old.status),
    hints: rekey(old.hints),
  };
}
