// After training: batchnorm calibration over the whole training split, split losses with the calibrated
// statistics, and sampling. The lecture's inference-mode forward:
//   hpreact = bngain * (hprebn - bnmean) * (bnvar + 1e-5)**-0.5 + bnbias
// Pure (no I/O). Sampling runs Inference (fast/evaluate.ts: the plain ops, one row at a time); split losses run
// on the fast evaluation engine; calibration goes in chunks, so memory stays bounded.

import { UserError } from '../errors.js';
import type { BnStats, Inference } from '../fast/evaluate.js';
import type { ModelConfig, Params } from '../reference/model.js';
import type { Split } from '../reference/data.js';
import type { MT19937 } from '../random/python.js';
import { allocFloat, dtypeOf } from '../reference/block.js';

/** Rows per calibration chunk: 4096 x H=200 doubles is 6.5 MB, whatever the split's size. */
export const CALIBRATION_CHUNK_ROWS = 4096;

// The inference-mode model lives beside the evaluation engines; re-exported for the callers of this module.
export { Inference, type BnStats } from '../fast/evaluate.js';

/**
 * The lecture's calibration over the whole training split:
 *   hprebn = C[Xtr].view(n, -1) @ W1 + b1;  bnmean = hprebn.mean(0);  bnvar = hprebn.var(0)  (Bessel, n-1)
 * A row's hprebn is b1 + sum_t C[X[r, t]] @ W1[t*E:(t+1)*E], so the products are folded once into a
 * (T, V, H) table and each row costs T vector adds instead of a (T*E x H) matmul; all in doubles. Rows go
 * chunk by chunk; each chunk's mean and sum of squared deviations (two passes over the chunk) are merged
 * with Chan et al.'s pairwise update, so the variance never suffers the cancellation of
 * sum(x^2) - n mean^2. Returned in the params' dtype.
 */
export function calibrateBatchnorm(p: Params, cfg: ModelConfig, split: Split, chunk = CALIBRATION_CHUNK_ROWS): BnStats {
  const { vocabSize: V, nEmbd: E, nHidden: H, blockSize: T } = cfg;
  const n = split.n;
  if (n < 2) throw new UserError(`calibration needs at least 2 training rows (Bessel's n-1), got ${n}`);
  const dtype = dtypeOf(p.flat);
  const C = p.C.data;
  const W1 = p.W1.data;
  // table[t, v, :] = C[v, :] @ W1[t*E:(t+1)*E, :]   (T, V, H)
  const table = new Float64Array(T * V * H);
  for (let t = 0; t < T; t++) {
    for (let v = 0; v < V; v++) {
      const row = (t * V + v) * H;
      for (let e = 0; e < E; e++) {
        const c = C[v * E + e];
        const w = (t * E + e) * H;
        for (let j = 0; j < H; j++) table[row + j] += c * W1[w + j];
      }
    }
  }
  const cb = Math.min(chunk, n);
  const hprebn = new Float64Array(cb * H);
  const mean = new Float64Array(H); // running mean of the rows seen so far
  const m2 = new Float64Array(H); // running sum of squared deviations from it
  let seen = 0;
  for (let off = 0; off < n; off += cb) {
    const B = Math.min(cb, n - off);
    for (let b = 0; b < B; b++) {
      const o = b * H;
      for (let j = 0; j < H; j++) hprebn[o + j] = p.b1.data[j];
      for (let t = 0; t < T; t++) {
        const row = (t * V + split.X[(off + b) * T + t]) * H;
        for (let j = 0; j < H; j++) hprebn[o + j] += table[row + j];
      }
    }
    for (let j = 0; j < H; j++) {
      let s = 0;
      for (let b = 0; b < B; b++) s += hprebn[b * H + j];
      const cm = s / B;
      let s2 = 0;
      for (let b = 0; b < B; b++) {
        const d = hprebn[b * H + j] - cm;
        s2 += d * d;
      }
      // merge (seen, mean, m2) with (B, cm, s2)
      const delta = cm - mean[j];
      const tot = seen + B;
      mean[j] += (delta * B) / tot;
      m2[j] += s2 + (delta * delta * seen * B) / tot;
    }
    seen += B;
  }
  const bnmean = allocFloat(dtype, H);
  const bnvar = allocFloat(dtype, H);
  for (let j = 0; j < H; j++) {
    bnmean[j] = mean[j];
    bnvar[j] = m2[j] / (n - 1); // Bessel's correction, as torch.var and the lecture's training batchnorm
  }
  return { bnmean, bnvar };
}

/** A split loss to 4 decimals, as the lecture prints them; an empty split says so. */
export function formatLoss(loss: number): string {
  return Number.isNaN(loss) ? 'n/a (empty split)' : loss.toFixed(4);
}

export interface SampleOptions {
  /** divides the logits: < 1 sharper, > 1 flatter (default 1) */
  temperature?: number;
  /** keep only the k most likely tokens (default: all) */
  topK?: number;
  /** stop a name at this many characters, in case '.' never comes (default 64) */
  maxLength?: number;
}

/**
 * One token from the logits of the last row: the top-k cut and the temperature are the caller's
 * (`kept[j]` false for a token outside the top k), the draw is the generator's.
 */
export type TokenDraw = (logits: ArrayLike<number>, kept: Uint8Array, temperature: number) => number;

/**
 * The sampling loop, whatever the generator: start from '...', draw the next token, slide the context,
 * stop at '.' (token 0) or at maxLength characters. Checks the options once.
 */
export function sampleWith(model: Inference, itos: readonly string[], draw: TokenDraw, opts: SampleOptions = {}): string {
  const { vocabSize: V, blockSize: T } = model.cfg;
  const temperature = opts.temperature ?? 1;
  const topK = Math.min(opts.topK ?? V, V);
  const maxLength = opts.maxLength ?? 64;
  if (!(temperature > 0) || !Number.isFinite(temperature)) throw new UserError(`temperature must be a number > 0, got ${temperature}`);
  if (!Number.isInteger(topK) || topK < 1) throw new UserError(`top-k must be an integer >= 1, got ${opts.topK}`);
  const context = new Int32Array(T); // all '.', index 0
  const kept = new Uint8Array(V).fill(1);
  const order = Array.from({ length: V }, (_, i) => i);
  const out: string[] = [];
  while (out.length < maxLength) {
    const logits = model.forward(context, 1);
    if (topK < V) {
      // ties at the cutoff are kept together, as there is no principled way to break them
      order.sort((a, b) => logits[b] - logits[a] || a - b);
      const cutoff = logits[order[topK - 1]];
      for (let j = 0; j < V; j++) kept[j] = logits[j] >= cutoff ? 1 : 0;
    }
    const ix = draw(logits, kept, temperature);
    if (ix <= 0) break;
    out.push(itos[ix]);
    context.copyWithin(0, 1);
    context[T - 1] = ix;
  }
  return out.join('');
}

/**
 * Our generator's draw: softmax(logits / temperature) in doubles (the max subtracted for numerical
 * stability only), then the first token whose cumulative weight passes one uniform `rng.random()` (the
 * last kept one if rounding leaves u at the top).
 */
export function mtDraw(rng: MT19937): TokenDraw {
  let weights = new Float64Array(0);
  return (logits, kept, temperature) => {
    const V = kept.length;
    if (weights.length !== V) weights = new Float64Array(V);
    let m = -Infinity;
    for (let j = 0; j < V; j++) m = Math.max(m, logits[j]);
    let s = 0;
    for (let j = 0; j < V; j++) {
      weights[j] = kept[j] ? Math.exp((logits[j] - m) / temperature) : 0;
      s += weights[j];
    }
    const u = rng.random() * s;
    let ix = -1;
    let acc = 0;
    for (let j = 0; j < V; j++) {
      if (weights[j] === 0) continue;
      acc += weights[j];
      ix = j;
      if (u < acc) break;
    }
    return ix;
  };
}

/** Samples one name with our generator (see sampleWith, mtDraw). */
export function sampleName(model: Inference, itos: readonly string[], rng: MT19937, opts: SampleOptions = {}): string {
  return sampleWith(model, itos, mtDraw(rng), opts);
}

export function sampleNames(model: Inference, itos: readonly string[], rng: MT19937, n: number, opts: SampleOptions = {}): string[] {
  const names: string[] = [];
  for (let i = 0; i < n; i++) names.push(sampleName(model, itos, rng, opts));
  return names;
}
