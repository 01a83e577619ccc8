// Inference for the browser lab: batchnorm calibration over a split, split losses with the calibrated
// statistics, and sampling names (seed, temperature, top-k). Pure; the web workers call these.
// (The training engineer's loop helpers may cover the same ground; these are small and self-contained.)
//
// Dimensions: N rows, T block size, E embedding, H hidden, V vocab.

import type { Split } from './data.js';
import { BN_EPS, type ModelConfig, type Params } from './model.js';
import { MT19937 } from './rng.js';

/** Batchnorm's statistics for inference: the mean and (Bessel-corrected) variance of hprebn over a split. */
export interface BnStats {
  mean: Float64Array; // (H)
  var: Float64Array; // (H)
}

/** hprebn (N, H) = C[X].view(N, T*E) @ W1 + b1 for N context rows X (N, T); overwrites out. */
function preact(out: Float64Array, p: Params, X: Int32Array, N: number, cfg: ModelConfig): void {
  const { nEmbd: E, nHidden: H, blockSize: T } = cfg;
  const C = p.C.data;
  const W1 = p.W1.data;
  for (let r = 0; r < N; r++) {
    const o = r * H;
    for (let j = 0; j < H; j++) out[o + j] = p.b1.data[j];
    for (let t = 0; t < T; t++) {
      const c = X[r * T + t] * E;
      for (let e = 0; e < E; e++) {
        const x = C[c + e];
        const w = (t * E + e) * H;
        for (let j = 0; j < H; j++) out[o + j] += x * W1[w + j];
      }
    }
  }
}

/**
 * The lecture's calibration after training: bnmean = hprebn.mean(0), bnvar = hprebn.var(0) (n-1) over the
 * whole split, so inference needs no batch. Two passes in chunks (mean first, then squared deviations).
 */
export function calibrateBatchnorm(p: Params, cfg: ModelConfig, split: Split, chunk = 4096): BnStats {
  const H = cfg.nHidden;
  const T = cfg.blockSize;
  if (split.n < 2) throw new RangeError(`calibration needs at least 2 rows, got ${split.n}`);
  const buf = new Float64Array(chunk * H);
  const mean = new Float64Array(H);
  const v = new Float64Array(H);
  for (let pass = 0; pass < 2; pass++) {
    for (let s = 0; s < split.n; s += chunk) {
      const N = Math.min(chunk, split.n - s);
      preact(buf, p, split.X.subarray(s * T, (s + N) * T), N, cfg);
      for (let r = 0; r < N; r++) {
        for (let j = 0; j < H; j++) {
          const x = buf[r * H + j];
          if (pass === 0) mean[j] += x;
          else v[j] += (x - mean[j]) * (x - mean[j]);
        }
      }
    }
    if (pass === 0) for (let j = 0; j < H; j++) mean[j] /= split.n;
  }
  for (let j = 0; j < H; j++) v[j] /= split.n - 1;
  return { mean, var: v };
}

/**
 * logits (N, V) for context rows X (N, T) with batchnorm's calibrated statistics:
 * hpreact = bngain * (hprebn - bnmean) / sqrt(bnvar + eps) + bnbias; h = tanh; logits = h @ W2 + b2.
 */
export function inferLogits(p: Params, cfg: ModelConfig, bn: BnStats, X: Int32Array, N: number): Float64Array {
  const { vocabSize: V, nHidden: H } = cfg;
  const h = new Float64Array(N * H);
  preact(h, p, X, N, cfg);
  for (let r = 0; r < N; r++) {
    for (let j = 0; j < H; j++) {
      const k = r * H + j;
      h[k] = Math.tanh(p.bngain.data[j] * (h[k] - bn.mean[j]) / Math.sqrt(bn.var[j] + BN_EPS) + p.bnbias.data[j]);
    }
  }
  const logits = new Float64Array(N * V);
  for (let r = 0; r < N; r++) {
    for (let v = 0; v < V; v++) {
      let acc = p.b2.data[v];
      for (let j = 0; j < H; j++) acc += h[r * H + j] * p.W2.data[j * V + v];
      logits[r * V + v] = acc;
    }
  }
  return logits;
}

/** The mean cross-entropy over a whole split, in chunks, with the calibrated statistics. */
export function splitLoss(p: Params, cfg: ModelConfig, bn: BnStats, split: Split, chunk = 4096): number {
  const { vocabSize: V, blockSize: T } = cfg;
  let total = 0;
  for (let s = 0; s < split.n; s += chunk) {
    const N = Math.min(chunk, split.n - s);
    const logits = inferLogits(p, cfg, bn, split.X.subarray(s * T, (s + N) * T), N);
    for (let r = 0; r < N; r++) {
      let m = -Infinity;
      for (let v = 0; v < V; v++) m = Math.max(m, logits[r * V + v]);
      let z = 0;
      for (let v = 0; v < V; v++) z += Math.exp(logits[r * V + v] - m);
      total += Math.log(z) + m - logits[r * V + split.Y[s + r]];
    }
  }
  return total / split.n;
}

export interface SampleOptions {
  count: number;
  seed: number;
  /** logits / temperature before the softmax: < 1 sharper, > 1 flatter */
  temperature?: number;
  /** keep only the k most likely characters (0 or undefined: all) */
  topK?: number;
  /** stop a name at this many characters */
  maxLen?: number;
}

/**
 * Names from the model, one character at a time from the context '...', until '.' is drawn. The draw is
 * an inverse-CDF over the (temperature-scaled, top-k-filtered) softmax with MT19937(seed).random().
 */
export function sampleNames(p: Params, cfg: ModelConfig, bn: BnStats, itos: readonly string[], opts: SampleOptions): string[] {
  const { vocabSize: V, blockSize: T } = cfg;
  const temp = opts.temperature ?? 1;
  const topK = opts.topK ?? 0;
  const maxLen = opts.maxLen ?? 40;
  if (!(temp > 0)) throw new RangeError(`temperature must be > 0, got ${temp}`);
  if (!Number.isInteger(topK) || topK < 0) throw new RangeError(`top-k must be an integer >= 0, got ${topK}`);
  const rng = new MT19937(opts.seed);
  const out: string[] = [];
  const ctx = new Int32Array(T);
  const probs = new Float64Array(V);
  for (let s = 0; s < opts.count; s++) {
    ctx.fill(0);
    let name = '';
    for (let step = 0; step < maxLen; step++) {
      const logits = inferLogits(p, cfg, bn, ctx, 1);
      for (let v = 0; v < V; v++) logits[v] /= temp;
      if (topK > 0 && topK < V) {
        const kth = [...logits].sort((a, b) => b - a)[topK - 1];
        for (let v = 0; v < V; v++) if (logits[v] < kth) logits[v] = -Infinity;
      }
      let m = -Infinity;
      for (let v = 0; v < V; v++) m = Math.max(m, logits[v]);
      let z = 0;
      for (let v = 0; v < V; v++) z += probs[v] = Math.exp(logits[v] - m);
      const u = rng.random() * z;
      let ix = -1;
      let acc = 0;
      for (let v = 0; v < V && ix < 0; v++) {
        acc += probs[v];
        if (u < acc) ix = v;
      }
      // u can reach z by rounding: take the last character with any probability
      for (let v = V - 1; ix < 0; v--) if (probs[v] > 0) ix = v;
      if (ix === 0) break;
      name += itos[ix];
      ctx.copyWithin(0, 1);
      ctx[T - 1] = ix;
    }
    out.push(name);
  }
  return out;
}
