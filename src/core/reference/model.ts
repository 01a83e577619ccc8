// The lecture's model: embedding C, linear W1/b1, batchnorm (bngain, bnbias), tanh, linear W2/b2,
// cross-entropy. This file holds the readable reference: the chunked forward that keeps all 20
// intermediates under the lecture's names, and exercise 1, the manual backward of all 26 tensors.
// The fused exercises 2 and 3 and the training path live in ops.ts.
//
// Dimensions: B batch, T block size, E embedding, H hidden, V vocab (C is the embedding table, not a dim).

import { ConfigError, UserError } from '../errors.js';
import { matmul, matmulNT, matmulTN } from './matmul.js';
import { MT19937 } from '../random/python.js';
import { makeBlock, rounder, type Block, type DType } from './block.js';

export interface ModelConfig {
  readonly vocabSize: number; // V
  readonly nEmbd: number; // E
  readonly nHidden: number; // H
  readonly blockSize: number; // T
}

/** The batchnorm epsilon, as in the lecture. */
export const BN_EPS = 1e-5;

/** The lecture's name of each setting (its notebook's variables), in the errors the core raises. */
export const SETTING_NAMES: Readonly<Record<keyof ModelConfig | 'batchSize', string>> = {
  vocabSize: 'vocab_size', nEmbd: 'n_embd', nHidden: 'n_hidden', blockSize: 'block_size', batchSize: 'batch_size',
};

export function validateConfig(cfg: ModelConfig): void {
  for (const k of ['vocabSize', 'nEmbd', 'nHidden', 'blockSize'] as const) {
    const v = cfg[k];
    if (!Number.isInteger(v) || v < 1) throw new ConfigError(SETTING_NAMES[k], `must be an integer >= 1, got ${v}`);
  }
  if (cfg.vocabSize < 2) throw new ConfigError(SETTING_NAMES.vocabSize, `must be >= 2 ('.' and one character), got ${cfg.vocabSize}`);
}

/** A training batch: batchnorm's Bessel variance divides by n - 1, so n >= 2. */
export function validateBatchSize(B: number): void {
  if (!Number.isInteger(B) || B < 2) throw new ConfigError(SETTING_NAMES.batchSize, `must be an integer >= 2 (batchnorm divides by n-1), got ${B}`);
}

export const PARAM_NAMES = ['C', 'W1', 'b1', 'W2', 'b2', 'bngain', 'bnbias'] as const;
export type ParamName = (typeof PARAM_NAMES)[number];
export type Params = Block<ParamName>;

export function paramShapes(cfg: ModelConfig): Record<ParamName, number[]> {
  const { vocabSize: V, nEmbd: E, nHidden: H, blockSize: T } = cfg;
  return { C: [V, E], W1: [T * E, H], b1: [H], W2: [H, V], b2: [V], bngain: [1, H], bnbias: [1, H] };
}

export function allocParams(cfg: ModelConfig, dtype: DType): Params {
  validateConfig(cfg);
  return makeBlock(paramShapes(cfg), dtype);
}

/**
 * The lecture's init, drawn from MT19937(seed).normal() (or from a generator passed in, which then goes on
 * to draw the batches, as the lecture's one generator does) in the order C, W1, b1, W2, b2, bngain, bnbias:
 *   C ~ N(0,1); W1 ~ N(0,1) * (5/3)/sqrt(T*E) (Kaiming for tanh); b1, W2, b2 ~ N(0,1) * 0.1;
 *   bngain = 1 + 0.1 N(0,1); bnbias = 0.1 N(0,1).
 * The biases are small but NOT zero (unlike a normal init) so that a zero cannot hide a wrong gradient.
 */
export function initParams(cfg: ModelConfig, dtype: DType, seed: number | MT19937): Params {
  const p = allocParams(cfg, dtype);
  const rng = typeof seed === 'number' ? new MT19937(seed) : seed;
  const fill = (a: Float32Array | Float64Array, scale: number, shift = 0): void => {
    for (let i = 0; i < a.length; i++) a[i] = rng.normal() * scale + shift;
  };
  fill(p.C.data, 1);
  fill(p.W1.data, 5 / 3 / Math.sqrt(cfg.nEmbd * cfg.blockSize));
  fill(p.b1.data, 0.1);
  fill(p.W2.data, 0.1);
  fill(p.b2.data, 0.1);
  fill(p.bngain.data, 0.1, 1);
  fill(p.bnbias.data, 0.1);
  return p;
}

export function countParams(cfg: ModelConfig): number {
  return Object.values(paramShapes(cfg)).reduce((s, sh) => s + sh.reduce((a, b) => a * b, 1), 0);
}

/** The 20 intermediates of the chunked forward, in forward order, with the lecture's names. */
export const ACT_NAMES = [
  'emb', 'embcat', 'hprebn', 'bnmeani', 'bndiff', 'bndiff2', 'bnvar', 'bnvarInv', 'bnraw', 'hpreact', 'h',
  'logits', 'logitMaxes', 'normLogits', 'counts', 'countsSum', 'countsSumInv', 'probs', 'logprobs', 'loss',
] as const;
export type ActName = (typeof ACT_NAMES)[number];
export type Acts = Block<ActName>;

export function actShapes(cfg: ModelConfig, B: number): Record<ActName, number[]> {
  const { vocabSize: V, nEmbd: E, nHidden: H, blockSize: T } = cfg;
  return {
    emb: [B, T, E], embcat: [B, T * E], hprebn: [B, H], bnmeani: [1, H], bndiff: [B, H], bndiff2: [B, H],
    bnvar: [1, H], bnvarInv: [1, H], bnraw: [B, H], hpreact: [B, H], h: [B, H], logits: [B, V],
    logitMaxes: [B, 1], normLogits: [B, V], counts: [B, V], countsSum: [B, 1], countsSumInv: [B, 1],
    probs: [B, V], logprobs: [B, V], loss: [],
  };
}

/** The 26 tensors whose gradient exercise 1 writes by hand, in the order the backward pass reaches them. */
export const GRAD_NAMES = [
  'logprobs', 'probs', 'countsSumInv', 'countsSum', 'counts', 'normLogits', 'logitMaxes', 'logits', 'h',
  'W2', 'b2', 'hpreact', 'bngain', 'bnbias', 'bnraw', 'bnvarInv', 'bnvar', 'bndiff2', 'bndiff', 'bnmeani',
  'hprebn', 'embcat', 'W1', 'b1', 'emb', 'C',
] as const;
export type GradName = (typeof GRAD_NAMES)[number];
/** Gradients named by their tensor: grads.hpreact is dhpreact, with hpreact's shape. */
export type Grads = Block<GradName>;

export function gradShapes(cfg: ModelConfig, B: number): Record<GradName, number[]> {
  const a = actShapes(cfg, B);
  const p = paramShapes(cfg);
  const out = {} as Record<GradName, number[]>;
  for (const k of GRAD_NAMES) out[k] = k in p ? p[k as ParamName] : a[k as ActName];
  return out;
}

/** Checks a batch before it reaches the math: ids in range, and B >= 2 (batchnorm divides by B - 1). */
export function validateBatch(X: Int32Array, Y: Int32Array, cfg: ModelConfig): number {
  const B = Y.length;
  validateBatchSize(B);
  if (X.length !== B * cfg.blockSize) {
    throw new UserError(`batch X has ${X.length} ids, expected ${B} rows of block size ${cfg.blockSize}`);
  }
  for (const a of [X, Y]) {
    for (let i = 0; i < a.length; i++) {
      if (a[i] < 0 || a[i] >= cfg.vocabSize) {
        throw new UserError(`token id ${a[i]} is outside the vocabulary [0, ${cfg.vocabSize})`);
      }
    }
  }
  return B;
}

/**
 * The chunked forward pass, one lecture line per step, writing every intermediate into `acts` (allocated
 * by makeBlock(actShapes(cfg, B))). Returns the loss. Each step rounds where the lecture's tensor program
 * materialises a tensor, and scalars (1/n, 1/(n-1), 1e-5) are rounded to the dtype first as PyTorch does
 * with Python numbers, so the autograd (src/core/torch, the judge), which runs the same program op by op,
 * sees the very same numbers.
 */
export function forwardRef(acts: Acts, p: Params, X: Int32Array, Y: Int32Array, cfg: ModelConfig): number {
  const B = validateBatch(X, Y, cfg);
  const { vocabSize: V, nEmbd: E, nHidden: H, blockSize: T } = cfg;
  const r = rounder(acts.flat instanceof Float32Array ? 'float32' : 'float64');
  const a = acts;
  const n = B;

  // emb = C[Xb]                                   (B, T, E): row X[b, t] of C
  for (let bt = 0; bt < B * T; bt++) a.emb.data.set(p.C.data.subarray(X[bt] * E, X[bt] * E + E), bt * E);
  // embcat = emb.view(B, T*E)                     (B, T*E): the T embeddings side by side
  a.embcat.data.set(a.emb.data);
  // hprebn = embcat @ W1 + b1                     (B, H)
  matmul(a.hprebn.data, a.embcat.data, p.W1.data, B, T * E, H);
  for (let i = 0; i < B; i++) for (let j = 0; j < H; j++) a.hprebn.data[i * H + j] += p.b1.data[j];
  // bnmeani = 1/n * hprebn.sum(0, keepdim=True)   (1, H)
  for (let j = 0; j < H; j++) {
    let acc = 0;
    for (let i = 0; i < B; i++) acc += a.hprebn.data[i * H + j];
    a.bnmeani.data[j] = r(1 / n) * r(acc); // a Python float times a float32 tensor: 1/n is rounded first
  }
  // bndiff = hprebn - bnmeani                     (B, H)
  // bndiff2 = bndiff**2                           (B, H)
  for (let i = 0; i < B; i++) {
    for (let j = 0; j < H; j++) {
      const k = i * H + j;
      a.bndiff.data[k] = a.hprebn.data[k] - a.bnmeani.data[j];
      a.bndiff2.data[k] = Math.pow(a.bndiff.data[k], 2);
    }
  }
  // bnvar = 1/(n-1) * bndiff2.sum(0, keepdim=True) (1, H): Bessel's correction, n-1, as the lecture uses
  // bnvarInv = (bnvar + 1e-5)**-0.5               (1, H)
  for (let j = 0; j < H; j++) {
    let acc = 0;
    for (let i = 0; i < B; i++) acc += a.bndiff2.data[i * H + j];
    a.bnvar.data[j] = r(1 / (n - 1)) * r(acc);
    a.bnvarInv.data[j] = Math.pow(r(a.bnvar.data[j] + r(BN_EPS)), -0.5);
  }
  // bnraw = bndiff * bnvarInv                     (B, H)
  // hpreact = bngain * bnraw + bnbias             (B, H)
  // h = tanh(hpreact)                             (B, H)
  for (let i = 0; i < B; i++) {
    for (let j = 0; j < H; j++) {
      const k = i * H + j;
      a.bnraw.data[k] = a.bndiff.data[k] * a.bnvarInv.data[j];
      a.hpreact.data[k] = r(p.bngain.data[j] * a.bnraw.data[k]) + p.bnbias.data[j];
      a.h.data[k] = Math.tanh(a.hpreact.data[k]);
    }
  }
  // logits = h @ W2 + b2                          (B, V)
  matmul(a.logits.data, a.h.data, p.W2.data, B, H, V);
  for (let i = 0; i < B; i++) for (let j = 0; j < V; j++) a.logits.data[i * V + j] += p.b2.data[j];
  for (let i = 0; i < B; i++) {
    const row = i * V;
    // logitMaxes = logits.max(1, keepdim=True).values   (B, 1): subtracted only for numerical stability
    let m = -Infinity;
    for (let j = 0; j < V; j++) if (a.logits.data[row + j] > m) m = a.logits.data[row + j];
    a.logitMaxes.data[i] = m;
    // normLogits = logits - logitMaxes            (B, V)
    // counts = normLogits.exp()                   (B, V)
    let acc = 0;
    for (let j = 0; j < V; j++) {
      a.normLogits.data[row + j] = a.logits.data[row + j] - m;
      a.counts.data[row + j] = Math.exp(a.normLogits.data[row + j]);
      acc += a.counts.data[row + j];
    }
    // countsSum = counts.sum(1, keepdim=True)     (B, 1)
    a.countsSum.data[i] = acc;
    // countsSumInv = countsSum**-1                (B, 1): a power, not 1/x, so its backward is the power rule
    a.countsSumInv.data[i] = Math.pow(a.countsSum.data[i], -1);
    // probs = counts * countsSumInv               (B, V)
    // logprobs = probs.log()                      (B, V)
    for (let j = 0; j < V; j++) {
      a.probs.data[row + j] = a.counts.data[row + j] * a.countsSumInv.data[i];
      a.logprobs.data[row + j] = Math.log(a.probs.data[row + j]);
    }
  }
  // loss = -logprobs[range(n), Yb].mean()         ()
  let acc = 0;
  for (let i = 0; i < B; i++) acc += a.logprobs.data[i * V + Y[i]];
  a.loss.data[0] = -(acc / n);
  return a.loss.data[0];
}

/**
 * Exercise 1: backpropagate through the chunked forward by hand, one step per lecture line. Writes
 * (overwrites) all 26 gradients in `g`; reads the intermediates `acts` of the forward on the same batch.
 * Each step states the derivative identity it uses and the forward line it inverts. A tensor used twice in
 * the forward (counts, logits, bndiff, hprebn) gets its second contribution added with +=.
 * Where the lecture's expression materialises a float32 tensor inside a step (a product before its sum,
 * h**2 and 1 - h**2 in tanh's rule, the power in a power rule), r() rounds the same way, as PyTorch would.
 */
export function backwardManual(g: Grads, acts: Acts, p: Params, X: Int32Array, Y: Int32Array, cfg: ModelConfig): void {
  const B = validateBatch(X, Y, cfg);
  const { vocabSize: V, nEmbd: E, nHidden: H, blockSize: T } = cfg;
  const r = rounder(acts.flat instanceof Float32Array ? 'float32' : 'float64');
  const a = acts;
  const n = B;

  // loss = -logprobs[range(n), Yb].mean()
  //   d(-mean_i x_i)/dx_i = -1/n at each picked (i, Y_i); every other logprob does not touch the loss
  g.logprobs.data.fill(0);
  for (let i = 0; i < B; i++) g.logprobs.data[i * V + Y[i]] = -1 / n;

  // logprobs = probs.log()
  //   d log(x) = dx / x
  for (let k = 0; k < B * V; k++) g.probs.data[k] = g.logprobs.data[k] / a.probs.data[k];

  // probs = counts * countsSumInv   (countsSumInv broadcast along V)
  //   d(x y) = y dx + x dy; the broadcast copy of countsSumInv sums its gradient over the row
  for (let i = 0; i < B; i++) {
    let acc = 0;
    for (let j = 0; j < V; j++) {
      const k = i * V + j;
      acc += r(a.counts.data[k] * g.probs.data[k]); // (counts * dprobs) is a tensor, then summed
      g.counts.data[k] = a.countsSumInv.data[i] * g.probs.data[k]; // first use of counts
    }
    g.countsSumInv.data[i] = acc;
  }

  // countsSumInv = countsSum**-1
  //   d x^-1 = -x^-2 dx
  for (let i = 0; i < B; i++) g.countsSum.data[i] = -r(Math.pow(a.countsSum.data[i], -2)) * g.countsSumInv.data[i];

  // countsSum = counts.sum(1, keepdim=True)
  //   d(sum_j x_j)/dx_j = 1: every count in the row receives dcountsSum (second use of counts: +=)
  for (let i = 0; i < B; i++) for (let j = 0; j < V; j++) g.counts.data[i * V + j] += g.countsSum.data[i];

  // counts = normLogits.exp()
  //   d exp(x) = exp(x) dx, and exp(x) is counts itself
  for (let k = 0; k < B * V; k++) g.normLogits.data[k] = a.counts.data[k] * g.counts.data[k];

  // normLogits = logits - logitMaxes   (logitMaxes broadcast along V)
  //   d(x - m) = dx - dm: logits get dnormLogits; each max gets minus the sum of its row
  for (let i = 0; i < B; i++) {
    let acc = 0;
    for (let j = 0; j < V; j++) {
      const k = i * V + j;
      g.logits.data[k] = g.normLogits.data[k]; // first use of logits
      acc += -g.normLogits.data[k];
    }
    g.logitMaxes.data[i] = acc; // ~0: the max does not change the softmax, only its numerics
  }

  // logitMaxes = logits.max(1, keepdim=True).values
  //   d max_j(x_j) = dx_argmax: the gradient flows to the (first) largest logit of each row (+=)
  for (let i = 0; i < B; i++) {
    let arg = 0;
    for (let j = 1; j < V; j++) if (a.logits.data[i * V + j] > a.logits.data[i * V + arg]) arg = j;
    g.logits.data[i * V + arg] += g.logitMaxes.data[i];
  }

  // logits = h @ W2 + b2
  //   d(x W) = dx W + x dW:  dh = dlogits @ W2^T,  dW2 = h^T @ dlogits,  db2 = dlogits.sum(0)
  matmulNT(g.h.data, g.logits.data, p.W2.data, B, V, H);
  matmulTN(g.W2.data, a.h.data, g.logits.data, H, B, V);
  for (let j = 0; j < V; j++) {
    let acc = 0;
    for (let i = 0; i < B; i++) acc += g.logits.data[i * V + j];
    g.b2.data[j] = acc;
  }

  // h = tanh(hpreact)
  //   d tanh(x) = (1 - tanh(x)^2) dx, and tanh(x) is h itself
  for (let k = 0; k < B * H; k++) g.hpreact.data[k] = r(1 - r(a.h.data[k] * a.h.data[k])) * g.h.data[k];

  // hpreact = bngain * bnraw + bnbias   (bngain, bnbias broadcast along the batch)
  //   dbngain = (bnraw * dhpreact).sum(0),  dbnraw = bngain * dhpreact,  dbnbias = dhpreact.sum(0)
  for (let j = 0; j < H; j++) {
    let accGain = 0;
    let accBias = 0;
    for (let i = 0; i < B; i++) {
      const k = i * H + j;
      accGain += r(a.bnraw.data[k] * g.hpreact.data[k]);
      accBias += g.hpreact.data[k];
      g.bnraw.data[k] = p.bngain.data[j] * g.hpreact.data[k];
    }
    g.bngain.data[j] = accGain;
    g.bnbias.data[j] = accBias;
  }

  // bnraw = bndiff * bnvarInv   (bnvarInv broadcast along the batch)
  //   dbndiff = bnvarInv * dbnraw (first use of bndiff),  dbnvarInv = (bndiff * dbnraw).sum(0)
  for (let j = 0; j < H; j++) {
    let acc = 0;
    for (let i = 0; i < B; i++) {
      const k = i * H + j;
      acc += r(a.bndiff.data[k] * g.bnraw.data[k]);
      g.bndiff.data[k] = a.bnvarInv.data[j] * g.bnraw.data[k];
    }
    g.bnvarInv.data[j] = acc;
  }

  // bnvarInv = (bnvar + 1e-5)**-0.5
  //   d x^-1/2 = -1/2 x^-3/2 dx, at x = bnvar + 1e-5
  for (let j = 0; j < H; j++) {
    g.bnvar.data[j] = r(-0.5 * r(Math.pow(r(a.bnvar.data[j] + r(BN_EPS)), -1.5))) * g.bnvarInv.data[j];
  }

  // bnvar = 1/(n-1) * bndiff2.sum(0, keepdim=True)
  //   every bndiff2[i, j] receives dbnvar[j] / (n - 1)
  for (let i = 0; i < B; i++) for (let j = 0; j < H; j++) g.bndiff2.data[i * H + j] = r(1 / (n - 1)) * g.bnvar.data[j];

  // bndiff2 = bndiff**2
  //   d x^2 = 2x dx (second use of bndiff: +=)
  for (let k = 0; k < B * H; k++) g.bndiff.data[k] += r(2 * a.bndiff.data[k] * g.bndiff2.data[k]);

  // bndiff = hprebn - bnmeani   (bnmeani broadcast along the batch)
  //   dhprebn = dbndiff (first use of hprebn),  dbnmeani = -dbndiff.sum(0)
  for (let j = 0; j < H; j++) {
    let acc = 0;
    for (let i = 0; i < B; i++) {
      const k = i * H + j;
      g.hprebn.data[k] = g.bndiff.data[k];
      acc += -g.bndiff.data[k];
    }
    g.bnmeani.data[j] = acc;
  }

  // bnmeani = 1/n * hprebn.sum(0, keepdim=True)
  //   every hprebn[i, j] receives dbnmeani[j] / n (second use of hprebn: +=)
  for (let j = 0; j < H; j++) {
    const d = r(r(1 / n) * g.bnmeani.data[j]);
    for (let i = 0; i < B; i++) g.hprebn.data[i * H + j] += d;
  }

  // hprebn = embcat @ W1 + b1
  //   dembcat = dhprebn @ W1^T,  dW1 = embcat^T @ dhprebn,  db1 = dhprebn.sum(0)
  matmulNT(g.embcat.data, g.hprebn.data, p.W1.data, B, H, T * E);
  matmulTN(g.W1.data, a.embcat.data, g.hprebn.data, T * E, B, H);
  for (let j = 0; j < H; j++) {
    let acc = 0;
    for (let i = 0; i < B; i++) acc += g.hprebn.data[i * H + j];
    g.b1.data[j] = acc; // ~0: batchnorm subtracts the batch mean, so b1 cannot change the loss
  }

  // embcat = emb.view(B, T*E)
  //   a view moves no numbers: demb is dembcat seen as (B, T, E)
  g.emb.data.set(g.embcat.data);

  // emb = C[Xb]
  //   row X[b, t] of C was copied into emb[b, t], so it collects demb[b, t]; a row used k times sums k of them
  g.C.data.fill(0);
  for (let bt = 0; bt < B * T; bt++) {
    const ix = X[bt];
    for (let e = 0; e < E; e++) g.C.data[ix * E + e] += g.emb.data[bt * E + e];
  }
}
