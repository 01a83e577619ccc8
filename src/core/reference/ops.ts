// The model as fused layers: each a forward/backward pair side by side (llm.c style). Arguments are
// outputs first, then inputs, then dimensions. Forward saves what backward needs into caller-owned buffers.
// Backward ACCUMULATES (+=) into parameter gradients (zeroing them is its own step) and OVERWRITES
// activation gradients (scratch, used once per step). Each function says which.
//
// This is the training path: exercise 2 is crossEntropyBackward, exercise 3 is batchnormBackward. The
// chunked reference (model.ts) is the spec these are checked against.

import { BN_EPS } from './model.js';
import type { FloatArray } from './block.js';

// ---------------------------------------------------------------------------------------------------------
// embedding: out[b, t*E + e] = C[X[b, t], e]

/** out (B, T*E) <- C (V, E) rows picked by X (B, T). Overwrites out. */
export function embeddingForward(out: FloatArray, X: Int32Array, C: FloatArray, B: number, T: number, E: number): void {
  for (let bt = 0; bt < B * T; bt++) {
    const src = X[bt] * E;
    const dst = bt * E;
    for (let e = 0; e < E; e++) out[dst + e] = C[src + e];
  }
}

/** dC (V, E) += dout (B, T*E) scattered back to the rows X (B, T) picked. Accumulates. */
export function embeddingBackward(dC: FloatArray, dout: FloatArray, X: Int32Array, B: number, T: number, E: number): void {
  for (let bt = 0; bt < B * T; bt++) {
    const dst = X[bt] * E;
    const src = bt * E;
    for (let e = 0; e < E; e++) dC[dst + e] += dout[src + e];
  }
}

// ---------------------------------------------------------------------------------------------------------
// linear: out = inp @ W + bias, with W stored (IC, OC) as in the lecture (x @ W, not W x)

/** out (B, OC) = inp (B, IC) @ W (IC, OC) + bias (OC). Overwrites out. */
export function linearForward(
  out: FloatArray, inp: FloatArray, W: FloatArray, bias: FloatArray, B: number, IC: number, OC: number,
): void {
  for (let b = 0; b < B; b++) {
    const o = b * OC;
    for (let j = 0; j < OC; j++) out[o + j] = bias[j];
    // i-outer, j-inner: a row of W is contiguous, so the inner loop streams
    for (let i = 0; i < IC; i++) {
      const x = inp[b * IC + i];
      const w = i * OC;
      for (let j = 0; j < OC; j++) out[o + j] += x * W[w + j];
    }
  }
}

/**
 * d(x W + b) = dx W + x dW + db:
 *   dinp (B, IC) = dout @ W^T           overwrites (skipped when dinp is null: the first layer's input is data)
 *   dW  (IC, OC) += inp^T @ dout        accumulates
 *   dbias (OC)   += dout.sum(0)         accumulates
 */
export function linearBackward(
  dinp: FloatArray | null, dW: FloatArray, dbias: FloatArray,
  dout: FloatArray, inp: FloatArray, W: FloatArray, B: number, IC: number, OC: number,
): void {
  for (let b = 0; b < B; b++) {
    const o = b * OC;
    for (let j = 0; j < OC; j++) dbias[j] += dout[o + j];
    for (let i = 0; i < IC; i++) {
      const x = inp[b * IC + i];
      const w = i * OC;
      let acc = 0;
      for (let j = 0; j < OC; j++) {
        dW[w + j] += x * dout[o + j];
        acc += W[w + j] * dout[o + j];
      }
      if (dinp !== null) dinp[b * IC + i] = acc;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// batchnorm over the batch, training mode: batch statistics, Bessel-corrected variance (n - 1)

/**
 * out (B, H) = gain * (inp - mean) / sqrt(var + eps) + bias, with mean and var over the batch.
 * Saves for backward: bnraw (B, H), the normalised input; bnvarInv (H) = (var + eps)^-1/2.
 * Also writes bnmean (H) and bnvar (H), the batch statistics. Overwrites all outputs.
 */
export function batchnormForward(
  out: FloatArray, bnraw: FloatArray, bnmean: FloatArray, bnvar: FloatArray, bnvarInv: FloatArray,
  inp: FloatArray, gain: FloatArray, bias: FloatArray, B: number, H: number,
): void {
  for (let j = 0; j < H; j++) {
    let s = 0;
    for (let b = 0; b < B; b++) s += inp[b * H + j];
    const mean = s / B;
    let s2 = 0;
    for (let b = 0; b < B; b++) {
      const d = inp[b * H + j] - mean;
      s2 += d * d;
    }
    const v = s2 / (B - 1); // Bessel: the unbiased estimate, as the lecture (and torch.var) uses
    const inv = 1 / Math.sqrt(v + BN_EPS);
    bnmean[j] = mean;
    bnvar[j] = v;
    bnvarInv[j] = inv;
    for (let b = 0; b < B; b++) {
      const k = b * H + j;
      const xr = (inp[k] - mean) * inv;
      bnraw[k] = xr;
      out[k] = gain[j] * xr + bias[j];
    }
  }
}

/**
 * Exercise 3, the whole batchnorm backward in one formula:
 *   dinp = gain * bnvarInv / n * (n * dout - dout.sum(0) - n/(n-1) * bnraw * (dout * bnraw).sum(0))
 * dinp (B, H) overwrites; dgain (H) += (bnraw * dout).sum(0) and dbias (H) += dout.sum(0) accumulate.
 */
export function batchnormBackward(
  dinp: FloatArray, dgain: FloatArray, dbias: FloatArray,
  dout: FloatArray, bnraw: FloatArray, bnvarInv: FloatArray, gain: FloatArray, B: number, H: number,
): void {
  const n = B;
  for (let j = 0; j < H; j++) {
    let sumD = 0;
    let sumDR = 0;
    for (let b = 0; b < B; b++) {
      const k = b * H + j;
      sumD += dout[k];
      sumDR += dout[k] * bnraw[k];
    }
    dgain[j] += sumDR;
    dbias[j] += sumD;
    const scale = (gain[j] * bnvarInv[j]) / n;
    const c = (n / (n - 1)) * sumDR;
    for (let b = 0; b < B; b++) {
      const k = b * H + j;
      dinp[k] = scale * (n * dout[k] - sumD - bnraw[k] * c);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// tanh

/** out = tanh(inp), n elements. Overwrites out. */
export function tanhForward(out: FloatArray, inp: FloatArray, n: number): void {
  for (let i = 0; i < n; i++) out[i] = Math.tanh(inp[i]);
}

/** d tanh(x) = (1 - tanh(x)^2) dx: dinp = (1 - out^2) * dout. Overwrites dinp. */
export function tanhBackward(dinp: FloatArray, dout: FloatArray, out: FloatArray, n: number): void {
  for (let i = 0; i < n; i++) dinp[i] = (1 - out[i] * out[i]) * dout[i];
}

// ---------------------------------------------------------------------------------------------------------
// softmax + cross-entropy, mean over the batch

/**
 * probs (B, V) = softmax(logits) row by row; returns the mean of -log probs[b, Y[b]].
 * The row max is subtracted only for numerical stability: exp of a large logit would overflow.
 * Overwrites probs.
 */
export function crossEntropyForward(probs: FloatArray, logits: FloatArray, Y: Int32Array, B: number, V: number): number {
  let loss = 0;
  for (let b = 0; b < B; b++) {
    const o = b * V;
    let m = -Infinity;
    for (let j = 0; j < V; j++) if (logits[o + j] > m) m = logits[o + j];
    let s = 0;
    for (let j = 0; j < V; j++) {
      const e = Math.exp(logits[o + j] - m);
      probs[o + j] = e;
      s += e;
    }
    const inv = 1 / s;
    for (let j = 0; j < V; j++) probs[o + j] *= inv;
    // log p_y = (logit_y - m) - log(s): exact even where p_y underflows
    loss -= logits[o + Y[b]] - m - Math.log(s);
  }
  return loss / B;
}

/**
 * Exercise 2, the cross-entropy backward in one step: dlogits = (softmax(logits) - onehot(Y)) / n.
 * Overwrites dlogits (B, V); probs is what crossEntropyForward saved.
 */
export function crossEntropyBackward(dlogits: FloatArray, probs: FloatArray, Y: Int32Array, B: number, V: number): void {
  for (let b = 0; b < B; b++) {
    const o = b * V;
    for (let j = 0; j < V; j++) dlogits[o + j] = probs[o + j] / B;
    dlogits[o + Y[b]] = (probs[o + Y[b]] - 1) / B;
  }
}
