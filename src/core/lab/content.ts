// The lab's exercise content, pure (node tests check it too): the forward graph (each tensor's lecture line and
// inputs), and the 26 + 2 exercises in the lecture's order and names, with hints and solutions in the
// lecture's own Python lines (makemore part 4, the exercise-1/2/3 cells). runner.ts builds what an exercise's
// code sees; judge.ts compares its answer with the autograd's.

import { GRAD_NAMES, type ActName, type GradName, type ParamName } from '../reference/model.js';
import { lectureName, type LectureGradName } from '../reference/names.js';

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
  /** hint 2: the shapes: what the gradient's shape is and how the local derivative and the upstream gradient
   *  combine into it (broadcast, sum, product order), never the line itself */
  readonly shape: string;
  /** the chain-rule step as one line (shown on the Graph tab's card, beside the forward) */
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
    shape: 'dlogprobs has logprobs\' shape (B, V). The loss reads only n of its entries, one per row: [i, Yb[i]]; every other entry gets 0.',
    chain: 'dloss = 1, so dlogprobs is -1/n at (i, Yb[i]) and 0 elsewhere: a one-hot of Yb, scaled.',
    solution: 'dlogprobs = torch.zeros_like(logprobs)\ndlogprobs[range(n), Yb] = -1.0/n',
  },
  probs: {
    forward: 'logprobs = probs.log()',
    local: 'd log(x) / dx = 1 / x',
    shape: 'dprobs is (B, V), like probs and dlogprobs: the local derivative and the upstream gradient meet element by element, nothing to broadcast or sum.',
    chain: 'dprobs = (1 / probs) * dlogprobs: small probabilities of the right character get boosted.',
    solution: 'dprobs = (1.0 / probs) * dlogprobs',
  },
  countsSumInv: {
    forward: 'probs = counts * counts_sum_inv',
    local: 'd(x * y) / dy = x; counts_sum_inv (B, 1) was broadcast along V.',
    shape: 'counts_sum_inv is (B, 1), but counts * dprobs is (B, V): it was broadcast over the V columns, so each column sends a gradient back. Collapse dim 1 into one column and keep the dimension.',
    chain: 'dcounts_sum_inv = (counts * dprobs).sum(1, keepdim=True): a broadcast in the forward is a sum in the backward.',
    solution: 'dcounts_sum_inv = (counts * dprobs).sum(1, keepdim=True)',
  },
  countsSum: {
    forward: 'counts_sum_inv = counts_sum**-1',
    local: 'd x^-1 / dx = -x^-2',
    shape: 'dcounts_sum is (B, 1), like counts_sum and dcounts_sum_inv: element by element.',
    chain: 'dcounts_sum = -counts_sum**-2 * dcounts_sum_inv',
    solution: 'dcounts_sum = (-counts_sum**-2) * dcounts_sum_inv',
  },
  counts: {
    forward: 'probs = counts * counts_sum_inv;  counts_sum = counts.sum(1, keepdim=True)',
    local: 'd(x * y) / dx = y; d(sum_j x_j) / dx_j = 1. counts is used twice: the two contributions add.',
    shape: 'dcounts is (B, V). The path through probs gives a (B, V) term; the path through counts_sum gives a (B, 1) gradient that reaches every column of its row. Both add up.',
    chain: 'dcounts = counts_sum_inv * dprobs + dcounts_sum (dcounts_sum (B, 1) broadcast along V).',
    solution: 'dcounts = counts_sum_inv * dprobs\ndcounts += torch.ones_like(counts) * dcounts_sum',
  },
  normLogits: {
    forward: 'counts = norm_logits.exp()',
    local: 'd exp(x) / dx = exp(x), which is counts itself.',
    shape: 'dnorm_logits is (B, V), element by element with dcounts.',
    chain: 'dnorm_logits = counts * dcounts',
    solution: 'dnorm_logits = counts * dcounts',
  },
  logitMaxes: {
    forward: 'norm_logits = logits - logit_maxes',
    local: 'd(x - m) / dm = -1; logit_maxes (B, 1) was broadcast along V.',
    shape: 'logit_maxes is (B, 1); dnorm_logits is (B, V): collapse the V columns into one, keeping the dimension, with the sign of the subtraction.',
    chain: 'dlogit_maxes = -dnorm_logits.sum(1, keepdim=True) (about 0: the max does not change the softmax).',
    solution: 'dlogit_maxes = (-dnorm_logits).sum(1, keepdim=True)',
  },
  logits: {
    forward: 'norm_logits = logits - logit_maxes;  logit_maxes = logits.max(1, keepdim=True).values',
    local: 'd(x - m) / dx = 1; d max_j(x_j) / dx_j = 1 at the argmax, 0 elsewhere. Two uses: add them.',
    shape: 'dlogits is (B, V). The first path is (B, V) already; the second brings a (B, 1) gradient that lands only on each row\'s max column: a (B, V) mask that is 1 at the argmax.',
    chain: 'dlogits = dnorm_logits + one_hot(logits.argmax(1), V) * dlogit_maxes',
    solution: 'dlogits = dnorm_logits.clone()\ndlogits += F.one_hot(logits.max(1).indices, num_classes=logits.shape[1]) * dlogit_maxes',
  },
  h: {
    forward: 'logits = h @ W2 + b2',
    local: 'd(x @ W) / dx: a matmul; the shapes tell you the order: dh (B, H) from dlogits (B, V) and W2 (H, V).',
    shape: 'dh is (B, H). You have dlogits (B, V) and W2 (H, V): exactly one product of the two, one of them transposed, is (B, H).',
    chain: 'dh = dlogits @ W2.T',
    solution: 'dh = dlogits @ W2.T',
  },
  W2: {
    forward: 'logits = h @ W2 + b2',
    local: 'd(x @ W) / dW: dW2 (H, V) from h (B, H) and dlogits (B, V).',
    shape: 'dW2 is (H, V). You have h (B, H) and dlogits (B, V): the product must sum over the batch dimension B.',
    chain: 'dW2 = h.T @ dlogits',
    solution: 'dW2 = h.T @ dlogits',
  },
  b2: {
    forward: 'logits = h @ W2 + b2',
    local: 'd(x + b) / db = 1; b2 (V) was broadcast over the batch.',
    shape: 'db2 is (V,). dlogits is (B, V): b2 was broadcast over the B rows, so its gradient gathers over dim 0 (b2 is 1-D: no keepdim).',
    chain: 'db2 = dlogits.sum(0)',
    solution: 'db2 = dlogits.sum(0)',
  },
  hpreact: {
    forward: 'h = tanh(hpreact)',
    local: 'd tanh(x) / dx = 1 - tanh(x)^2, and tanh(x) is h itself.',
    shape: 'dhpreact is (B, H), element by element with dh; the local derivative can be written with h alone.',
    chain: 'dhpreact = (1 - h**2) * dh',
    solution: 'dhpreact = (1.0 - h**2) * dh',
  },
  bngain: {
    forward: 'hpreact = bngain * bnraw + bnbias',
    local: 'd(g * x) / dg = x; bngain (1, H) was broadcast over the batch.',
    shape: 'bngain is (1, H); bnraw * dhpreact is (B, H): gather the B rows into one, keeping the dimension.',
    chain: 'dbngain = (bnraw * dhpreact).sum(0, keepdim=True)',
    solution: 'dbngain = (bnraw * dhpreact).sum(0, keepdim=True)',
  },
  bnbias: {
    forward: 'hpreact = bngain * bnraw + bnbias',
    local: 'd(x + b) / db = 1; bnbias (1, H) was broadcast over the batch.',
    shape: 'bnbias is (1, H); dhpreact is (B, H): gather over the batch, keeping the dimension.',
    chain: 'dbnbias = dhpreact.sum(0, keepdim=True)',
    solution: 'dbnbias = dhpreact.sum(0, keepdim=True)',
  },
  bnraw: {
    forward: 'hpreact = bngain * bnraw + bnbias',
    local: 'd(g * x) / dx = g',
    shape: 'dbnraw is (B, H). bngain (1, H) broadcasts over the rows by itself: no sum here.',
    chain: 'dbnraw = bngain * dhpreact',
    solution: 'dbnraw = bngain * dhpreact',
  },
  bnvarInv: {
    forward: 'bnraw = bndiff * bnvar_inv',
    local: 'd(x * y) / dy = x; bnvar_inv (1, H) was broadcast over the batch.',
    shape: 'bnvar_inv is (1, H); bndiff * dbnraw is (B, H): gather over the batch, keeping the dimension.',
    chain: 'dbnvar_inv = (bndiff * dbnraw).sum(0, keepdim=True)',
    solution: 'dbnvar_inv = (bndiff * dbnraw).sum(0, keepdim=True)',
  },
  bnvar: {
    forward: 'bnvar_inv = (bnvar + 1e-5)**-0.5',
    local: 'd (x + eps)^-0.5 / dx = -0.5 (x + eps)^-1.5',
    shape: 'dbnvar is (1, H), element by element with dbnvar_inv.',
    chain: 'dbnvar = -0.5 * (bnvar + 1e-5)**-1.5 * dbnvar_inv',
    solution: 'dbnvar = (-0.5*(bnvar + 1e-5)**-1.5) * dbnvar_inv',
  },
  bndiff2: {
    forward: 'bnvar = 1/(n-1) * bndiff2.sum(0, keepdim=True)',
    local: 'd(c * sum_i x_i) / dx_i = c, with c = 1/(n-1) (Bessel).',
    shape: 'dbndiff2 is (B, H) but dbnvar is (1, H): every row of bndiff2 was summed into bnvar, so every row gets the same gradient, times the constant in front of the sum.',
    chain: 'dbndiff2 = 1/(n-1) * ones_like(bndiff2) * dbnvar: every row gets dbnvar.',
    solution: 'dbndiff2 = (1.0/(n-1))*torch.ones_like(bndiff2) * dbnvar',
  },
  bndiff: {
    forward: 'bnraw = bndiff * bnvar_inv;  bndiff2 = bndiff**2',
    local: 'd(x * y) / dx = y; d x^2 / dx = 2x. bndiff is used twice: add the two.',
    shape: 'dbndiff is (B, H): two (B, H) terms, one through bnraw (bnvar_inv (1, H) broadcasts) and one through bndiff2.',
    chain: 'dbndiff = bnvar_inv * dbnraw + 2 * bndiff * dbndiff2',
    solution: 'dbndiff = bnvar_inv * dbnraw\ndbndiff += (2*bndiff) * dbndiff2',
  },
  bnmeani: {
    forward: 'bndiff = hprebn - bnmeani',
    local: 'd(x - m) / dm = -1; bnmeani (1, H) was broadcast over the batch.',
    shape: 'bnmeani is (1, H); dbndiff is (B, H): gather over the batch, keeping the dimension, with the sign of the subtraction.',
    chain: 'dbnmeani = -dbndiff.sum(0, keepdim=True)',
    solution: '# the lecture\'s cell writes .sum(0), shape (H,), which its cmp accepts by broadcasting; the judge here\n# asks for bnmeani\'s own shape (1, H)\ndbnmeani = (-dbndiff).sum(0, keepdim=True)',
  },
  hprebn: {
    forward: 'bndiff = hprebn - bnmeani;  bnmeani = 1/n * hprebn.sum(0, keepdim=True)',
    local: 'd(x - m) / dx = 1; d(1/n sum_i x_i) / dx_i = 1/n. Two uses: add them.',
    shape: 'dhprebn is (B, H): dbndiff as it is, plus bnmeani\'s (1, H) gradient spread to every row, times the 1/n of the mean.',
    chain: 'dhprebn = dbndiff + 1/n * ones_like(hprebn) * dbnmeani',
    solution: 'dhprebn = dbndiff.clone()\ndhprebn += 1.0/n * (torch.ones_like(hprebn) * dbnmeani)',
  },
  embcat: {
    forward: 'hprebn = embcat @ W1 + b1',
    local: 'd(x @ W) / dx: dembcat (B, T*E) from dhprebn (B, H) and W1 (T*E, H).',
    shape: 'dembcat is (B, T*E). You have dhprebn (B, H) and W1 (T*E, H): exactly one product, one of them transposed, is (B, T*E).',
    chain: 'dembcat = dhprebn @ W1.T',
    solution: 'dembcat = dhprebn @ W1.T',
  },
  W1: {
    forward: 'hprebn = embcat @ W1 + b1',
    local: 'd(x @ W) / dW: dW1 (T*E, H) from embcat (B, T*E) and dhprebn (B, H).',
    shape: 'dW1 is (T*E, H). You have embcat (B, T*E) and dhprebn (B, H): the product must sum over the batch dimension B.',
    chain: 'dW1 = embcat.T @ dhprebn',
    solution: 'dW1 = embcat.T @ dhprebn',
  },
  b1: {
    forward: 'hprebn = embcat @ W1 + b1',
    local: 'd(x + b) / db = 1; b1 (H) was broadcast over the batch.',
    shape: 'db1 is (H,): dhprebn (B, H) gathered over the batch (b1 is 1-D: no keepdim).',
    chain: 'db1 = dhprebn.sum(0) (about 0: batchnorm subtracts the mean, so b1 cannot change the loss)',
    solution: 'db1 = dhprebn.sum(0)',
  },
  emb: {
    forward: 'embcat = emb.view(B, T*E)',
    local: 'A view moves no numbers: its derivative is the identity.',
    shape: 'demb is (B, T, E); dembcat is (B, T*E): the same B*T*E numbers, in emb\'s shape.',
    chain: 'demb = dembcat.view(emb.shape)',
    solution: 'demb = dembcat.view(emb.shape)',
  },
  C: {
    forward: 'emb = C[Xb]',
    local: 'Row Xb[b, t] of C was copied into emb[b, t]: d emb[b, t] / d C[Xb[b, t]] = 1.',
    shape: 'dC is (V, E), zeros to start. demb[b, t] is an (E,) row that belongs to row Xb[b, t] of C: add each one there. A row picked twice collects both.',
    chain: 'dC[Xb[b, t]] += demb[b, t] for every (b, t): a row picked k times collects k gradients.',
    solution: 'dC = torch.zeros_like(C)\nfor k in range(Xb.shape[0]):\n  for j in range(Xb.shape[1]):\n    ix = Xb[k,j]\n    dC[ix] += demb[k,j]',
  },
};

export const EXERCISES: readonly Exercise[] = [
  ...GRAD_NAMES.map((k, i): Exercise => ({ id: lectureName(k), target: k, variable: `d${lectureName(k)}`, given: GRAD_NAMES.slice(0, i), ...EX1[k] })),
  {
    id: 'logits (ex.2)', target: 'logits', variable: 'dlogits', given: [],
    forward: 'loss = F.cross_entropy(logits, Yb)',
    local: 'd(-log softmax(x)_y) / dx_j = softmax(x)_j - [j == y]',
    shape: 'dlogits is (B, V), like logits: the softmax over dim 1, with the n entries [i, Yb[i]] changed, and the 1/n of the mean over the batch.',
    chain: 'dlogits = (F.softmax(logits, 1) - F.one_hot(Yb, V)) / n: the mean over the batch divides by n.',
    solution: 'dlogits = F.softmax(logits, 1)\ndlogits[range(n), Yb] -= 1\ndlogits /= n',
  },
  {
    id: 'hprebn (ex.3)', target: 'hprebn', variable: 'dhprebn', given: ['hpreact'],
    forward: 'hpreact = bngain * (hprebn - mean) / sqrt(var + 1e-5) + bnbias   (mean, var over the batch; var with n-1)',
    local: 'Through bnraw, the mean and the variance: each hprebn[i] reaches every bnraw[k] of its column.',
    shape: 'dhprebn is (B, H), from dhpreact (B, H) and two sums over the batch that broadcast back over the rows: one of dhpreact itself, one of dhpreact * bnraw; bngain and bnvar_inv (1, H) scale every row.',
    chain: 'dhprebn = bngain*bnvar_inv/n * (n*dhpreact - dhpreact.sum(0) - n/(n-1)*bnraw*(dhpreact*bnraw).sum(0))',
    solution: 'dhprebn = bngain*bnvar_inv/n * (n*dhpreact - dhpreact.sum(0) - n/(n-1)*bnraw*(dhpreact*bnraw).sum(0))',
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
