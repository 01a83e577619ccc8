// The tuned pure-TypeScript kernels (the bench's 'ts' baseline; in the product until it left, see docs/speed.md): the ops of ops.ts specialised to Float32Array, so every
// call site stays monomorphic in V8 (a function that sees both Float32Array and Float64Array gets slower
// code for both). Register-tiled matmuls (4 x 4 scalar accumulators), batchnorm fused with tanh, the tanh
// backward fused into exercise 3, no temporaries. Conventions as ops.ts: outputs first, then inputs, then
// dimensions; backward ACCUMULATES into parameter gradients and OVERWRITES activation gradients.
// Sums are in doubles (JS numbers), rounded to float32 when stored.

import { BN_EPS } from '../src/core/reference/model.js';

// ---------------------------------------------------------------------------------------------------------
// fast exp and tanh (scalar; the same formulas as the wasm kernels', evaluated in double)

/** 2^n for integer n in [-126, 127], indexed n + 126 */
const POW2 = new Float64Array(254);
for (let n = -126; n <= 127; n++) POW2[n + 126] = 2 ** n;

/**
 * exp(x), Cephes expf: x = n ln2 + r, |r| <= ln2/2, exp(r) by a degree-6 polynomial, times 2^n.
 * Max relative error 1e-8 (measured 1.1e-9, before the float32 rounding of a store) on [-87.33, 88];
 * 0 below -87.33 (exp < 1.2e-38 there);
 * x is clamped to 88 above. NaN in, NaN out.
 */
export function fastExp(x: number): number {
  if (x < -87.33654) return 0;
  if (x > 88) x = 88;
  const n = Math.round(x * 1.4426950408889634);
  const r = x - n * 0.6931471805599453;
  let y = 1.9875691500e-4;
  y = y * r + 1.3981999507e-3;
  y = y * r + 8.3334519073e-3;
  y = y * r + 4.1665795894e-2;
  y = y * r + 1.6666665459e-1;
  y = y * r + 5.0000001201e-1;
  y = y * r * r + r + 1;
  return y * POW2[n + 126];
}

/**
 * tanh(x): Eigen's float rational approximation (odd degree 13 over even degree 6) on x clamped to
 * +-7.9053, where float32 tanh is +-1; x itself for |x| < 4e-4. Max abs error 3e-7 against Math.tanh over
 * all inputs (measured 2.6e-7, test/core/fastmath.test.ts), tanh(+-300) = +-1, never NaN for a number.
 */
export function fastTanh(x0: number): number {
  if (Math.abs(x0) < 0.0004) return x0;
  // beyond the clamp float32 tanh is +-1 (1 - tanh(7.9053) = 2.7e-7)
  if (x0 >= 7.90531110763549805) return 1;
  if (x0 <= -7.90531110763549805) return -1;
  const x = x0;
  const x2 = x * x;
  let p = -2.76076847742355e-16;
  p = p * x2 + 2.00018790482477e-13;
  p = p * x2 - 8.60467152213735e-11;
  p = p * x2 + 5.12229709037114e-08;
  p = p * x2 + 1.48572235717979e-05;
  p = p * x2 + 6.37261928875436e-04;
  p = p * x2 + 4.89352455891786e-03;
  let q = 1.19825839466702e-06;
  q = q * x2 + 1.18534705686654e-04;
  q = q * x2 + 2.26843463243900e-03;
  q = q * x2 + 4.89352518554385e-03;
  return (x * p) / q;
}

// ---------------------------------------------------------------------------------------------------------
// embedding

/** out (BT, E) <- rows X (BT) of C (V, E). Overwrites out. */
export function embeddingForward(out: Float32Array, X: Int32Array, C: Float32Array, BT: number, E: number): void {
  for (let bt = 0; bt < BT; bt++) {
    const src = X[bt] * E;
    const dst = bt * E;
    for (let e = 0; e < E; e++) out[dst + e] = C[src + e];
  }
}

/** dC (V, E) += dout (BT, E) scattered to rows X (BT). Accumulates. */
export function embeddingBackward(dC: Float32Array, dout: Float32Array, X: Int32Array, BT: number, E: number): void {
  for (let bt = 0; bt < BT; bt++) {
    const dst = X[bt] * E;
    const src = bt * E;
    for (let e = 0; e < E; e++) dC[dst + e] += dout[src + e];
  }
}

// ---------------------------------------------------------------------------------------------------------
// linear: out = inp @ W + bias, W stored (IC, OC)

/**
 * out (B, OC) = inp (B, IC) @ W (IC, OC) + bias (OC). Overwrites out.
 * Register tile: 4 rows x 4 columns of out in 16 locals, one pass over i for the tile.
 */
export function linearForward(
  out: Float32Array, inp: Float32Array, W: Float32Array, bias: Float32Array, B: number, IC: number, OC: number,
): void {
  let b = 0;
  for (; b + 4 <= B; b += 4) {
    const x0 = b * IC, x1 = x0 + IC, x2 = x1 + IC, x3 = x2 + IC;
    let j = 0;
    for (; j + 4 <= OC; j += 4) {
      const c0 = bias[j], c1 = bias[j + 1], c2 = bias[j + 2], c3 = bias[j + 3];
      let a00 = c0, a01 = c1, a02 = c2, a03 = c3;
      let a10 = c0, a11 = c1, a12 = c2, a13 = c3;
      let a20 = c0, a21 = c1, a22 = c2, a23 = c3;
      let a30 = c0, a31 = c1, a32 = c2, a33 = c3;
      for (let i = 0, w = j; i < IC; i++, w += OC) {
        const w0 = W[w], w1 = W[w + 1], w2 = W[w + 2], w3 = W[w + 3];
        let s = inp[x0 + i];
        a00 += s * w0; a01 += s * w1; a02 += s * w2; a03 += s * w3;
        s = inp[x1 + i];
        a10 += s * w0; a11 += s * w1; a12 += s * w2; a13 += s * w3;
        s = inp[x2 + i];
        a20 += s * w0; a21 += s * w1; a22 += s * w2; a23 += s * w3;
        s = inp[x3 + i];
        a30 += s * w0; a31 += s * w1; a32 += s * w2; a33 += s * w3;
      }
      let o = b * OC + j;
      out[o] = a00; out[o + 1] = a01; out[o + 2] = a02; out[o + 3] = a03;
      o += OC;
      out[o] = a10; out[o + 1] = a11; out[o + 2] = a12; out[o + 3] = a13;
      o += OC;
      out[o] = a20; out[o + 1] = a21; out[o + 2] = a22; out[o + 3] = a23;
      o += OC;
      out[o] = a30; out[o + 1] = a31; out[o + 2] = a32; out[o + 3] = a33;
    }
    for (; j < OC; j++) {
      let a0 = bias[j], a1 = a0, a2 = a0, a3 = a0;
      for (let i = 0, w = j; i < IC; i++, w += OC) {
        const wv = W[w];
        a0 += inp[x0 + i] * wv; a1 += inp[x1 + i] * wv; a2 += inp[x2 + i] * wv; a3 += inp[x3 + i] * wv;
      }
      out[b * OC + j] = a0; out[(b + 1) * OC + j] = a1; out[(b + 2) * OC + j] = a2; out[(b + 3) * OC + j] = a3;
    }
  }
  for (; b < B; b++) {
    for (let j = 0; j < OC; j++) {
      let a = bias[j];
      for (let i = 0; i < IC; i++) a += inp[b * IC + i] * W[i * OC + j];
      out[b * OC + j] = a;
    }
  }
}

/**
 * d(x W + b) = dx W + x dW + db:
 *   dinp (B, IC) = dout @ W^T        overwrites (skipped when dinp is null)
 *   dW  (IC, OC) += inp^T @ dout     accumulates (4 x 4 register tile, summed over the batch)
 *   dbias (OC)   += dout.sum(0)      accumulates
 */
export function linearBackward(
  dinp: Float32Array | null, dW: Float32Array, dbias: Float32Array,
  dout: Float32Array, inp: Float32Array, W: Float32Array, B: number, IC: number, OC: number,
): void {
  for (let j = 0; j < OC; j++) {
    let s = 0;
    for (let b = 0, o = j; b < B; b++, o += OC) s += dout[o];
    dbias[j] += s;
  }
  // dW
  let i = 0;
  for (; i + 4 <= IC; i += 4) {
    let j = 0;
    for (; j + 4 <= OC; j += 4) {
      let r = i * OC + j;
      let a00 = dW[r], a01 = dW[r + 1], a02 = dW[r + 2], a03 = dW[r + 3];
      r += OC;
      let a10 = dW[r], a11 = dW[r + 1], a12 = dW[r + 2], a13 = dW[r + 3];
      r += OC;
      let a20 = dW[r], a21 = dW[r + 1], a22 = dW[r + 2], a23 = dW[r + 3];
      r += OC;
      let a30 = dW[r], a31 = dW[r + 1], a32 = dW[r + 2], a33 = dW[r + 3];
      for (let b = 0, d = j, x = i; b < B; b++, d += OC, x += IC) {
        const d0 = dout[d], d1 = dout[d + 1], d2 = dout[d + 2], d3 = dout[d + 3];
        let s = inp[x];
        a00 += s * d0; a01 += s * d1; a02 += s * d2; a03 += s * d3;
        s = inp[x + 1];
        a10 += s * d0; a11 += s * d1; a12 += s * d2; a13 += s * d3;
        s = inp[x + 2];
        a20 += s * d0; a21 += s * d1; a22 += s * d2; a23 += s * d3;
        s = inp[x + 3];
        a30 += s * d0; a31 += s * d1; a32 += s * d2; a33 += s * d3;
      }
      r = i * OC + j;
      dW[r] = a00; dW[r + 1] = a01; dW[r + 2] = a02; dW[r + 3] = a03;
      r += OC;
      dW[r] = a10; dW[r + 1] = a11; dW[r + 2] = a12; dW[r + 3] = a13;
      r += OC;
      dW[r] = a20; dW[r + 1] = a21; dW[r + 2] = a22; dW[r + 3] = a23;
      r += OC;
      dW[r] = a30; dW[r + 1] = a31; dW[r + 2] = a32; dW[r + 3] = a33;
    }
    for (; j < OC; j++) {
      let a0 = dW[i * OC + j], a1 = dW[(i + 1) * OC + j], a2 = dW[(i + 2) * OC + j], a3 = dW[(i + 3) * OC + j];
      for (let b = 0; b < B; b++) {
        const d = dout[b * OC + j];
        const x = b * IC + i;
        a0 += inp[x] * d; a1 += inp[x + 1] * d; a2 += inp[x + 2] * d; a3 += inp[x + 3] * d;
      }
      dW[i * OC + j] = a0; dW[(i + 1) * OC + j] = a1; dW[(i + 2) * OC + j] = a2; dW[(i + 3) * OC + j] = a3;
    }
  }
  for (; i < IC; i++) {
    for (let j = 0; j < OC; j++) {
      let a = dW[i * OC + j];
      for (let b = 0; b < B; b++) a += inp[b * IC + i] * dout[b * OC + j];
      dW[i * OC + j] = a;
    }
  }
  if (dinp === null) return;
  // dinp: 4 rows of dout x 2 rows of W, dot products along OC
  let b = 0;
  for (; b + 4 <= B; b += 4) {
    const d0 = b * OC, d1 = d0 + OC, d2 = d1 + OC, d3 = d2 + OC;
    let ii = 0;
    for (; ii + 2 <= IC; ii += 2) {
      const w0 = ii * OC, w1 = w0 + OC;
      let a00 = 0, a01 = 0, a10 = 0, a11 = 0, a20 = 0, a21 = 0, a30 = 0, a31 = 0;
      for (let j = 0; j < OC; j++) {
        const u0 = W[w0 + j], u1 = W[w1 + j];
        let v = dout[d0 + j];
        a00 += v * u0; a01 += v * u1;
        v = dout[d1 + j];
        a10 += v * u0; a11 += v * u1;
        v = dout[d2 + j];
        a20 += v * u0; a21 += v * u1;
        v = dout[d3 + j];
        a30 += v * u0; a31 += v * u1;
      }
      const o = b * IC + ii;
      dinp[o] = a00; dinp[o + 1] = a01;
      dinp[o + IC] = a10; dinp[o + IC + 1] = a11;
      dinp[o + 2 * IC] = a20; dinp[o + 2 * IC + 1] = a21;
      dinp[o + 3 * IC] = a30; dinp[o + 3 * IC + 1] = a31;
    }
    for (; ii < IC; ii++) {
      const w0 = ii * OC;
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
      for (let j = 0; j < OC; j++) {
        const u = W[w0 + j];
        a0 += dout[d0 + j] * u; a1 += dout[d1 + j] * u; a2 += dout[d2 + j] * u; a3 += dout[d3 + j] * u;
      }
      dinp[b * IC + ii] = a0; dinp[(b + 1) * IC + ii] = a1; dinp[(b + 2) * IC + ii] = a2; dinp[(b + 3) * IC + ii] = a3;
    }
  }
  for (; b < B; b++) {
    for (let ii = 0; ii < IC; ii++) {
      let a = 0;
      for (let j = 0; j < OC; j++) a += dout[b * OC + j] * W[ii * OC + j];
      dinp[b * IC + ii] = a;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// batchnorm (batch statistics, Bessel's n-1) fused with tanh

/**
 * bnmean, bnvar (H): batch mean and Bessel-corrected variance of inp (B, H); bnvarInv = (bnvar + eps)^-1/2;
 * bnraw (B, H) = (inp - bnmean) * bnvarInv; hpreact = gain * bnraw + bias; h = tanh(hpreact) (fastTanh).
 * Overwrites all outputs. Row-major passes (b outer, j inner) so every loop streams contiguous memory;
 * the per-column sums live in the output vectors bnmean and bnvar until they are final.
 */
export function batchnormTanhForward(
  h: Float32Array, hpreact: Float32Array, bnraw: Float32Array, bnmean: Float32Array, bnvar: Float32Array,
  bnvarInv: Float32Array, inp: Float32Array, gain: Float32Array, bias: Float32Array, B: number, H: number,
): void {
  // the column sums go through float32 storage; fine at batch sizes (the reference sums in double)
  for (let j = 0; j < H; j++) {
    let s = 0;
    for (let b = 0, k = j; b < B; b++, k += H) s += inp[k];
    const mean = s / B;
    let s2 = 0;
    for (let b = 0, k = j; b < B; b++, k += H) {
      const d = inp[k] - mean;
      s2 += d * d;
    }
    const v = s2 / (B - 1); // Bessel: the unbiased estimate, as the lecture (and torch.var) uses
    bnmean[j] = mean;
    bnvar[j] = v;
    bnvarInv[j] = 1 / Math.sqrt(v + BN_EPS);
  }
  for (let b = 0; b < B; b++) {
    const o = b * H;
    for (let j = 0; j < H; j++) {
      const xr = (inp[o + j] - bnmean[j]) * bnvarInv[j];
      bnraw[o + j] = xr;
      const hp = gain[j] * xr + bias[j];
      hpreact[o + j] = hp;
      h[o + j] = fastTanh(hp);
    }
  }
}

/**
 * dhpreact (B, H) = (1 - h^2) * dh (the tanh backward), then exercise 3:
 *   dinp = gain * bnvarInv / n * (n dhpreact - dhpreact.sum(0) - n/(n-1) bnraw (dhpreact bnraw).sum(0))
 * dinp and dhpreact overwrite; dgain (H) += (bnraw dhpreact).sum(0), dbias (H) += dhpreact.sum(0) accumulate.
 * sumD, sumDR are the column sums of dhpreact and bnraw * dhpreact, accumulated in doubles.
 */
export function tanhBatchnormBackward(
  dinp: Float32Array, dhpreact: Float32Array, dgain: Float32Array, dbias: Float32Array,
  dh: Float32Array, h: Float32Array, bnraw: Float32Array, bnvarInv: Float32Array, gain: Float32Array, B: number, H: number,
): void {
  const n = B;
  const c1 = n / (n - 1);
  for (let j = 0; j < H; j++) {
    let sumD = 0;
    let sumDR = 0;
    for (let b = 0, k = j; b < B; b++, k += H) {
      const hv = h[k];
      const d = (1 - hv * hv) * dh[k];
      dhpreact[k] = d;
      // read back the stored float32, not the double d: the sums must see the dhpreact that exists as a
      // tensor (as the reference's sums do), or the column sums drift from ops.ts by a rounding per row
      const df = dhpreact[k];
      sumD += df;
      sumDR += df * bnraw[k];
    }
    dgain[j] += sumDR;
    dbias[j] += sumD;
    const scale = (gain[j] * bnvarInv[j]) / n;
    const c = c1 * sumDR;
    for (let b = 0, k = j; b < B; b++, k += H) dinp[k] = scale * (n * dhpreact[k] - sumD - bnraw[k] * c);
  }
}

// ---------------------------------------------------------------------------------------------------------
// softmax + cross-entropy

/**
 * probs (B, V) = softmax(logits (B, V)) (row max subtracted for numerical stability; fastExp). Returns the
 * SUM over rows of -log probs[b, Y[b]] = log(sum) - (logit_y - max). Overwrites probs.
 */
export function crossEntropyForwardSum(probs: Float32Array, logits: Float32Array, Y: Int32Array, B: number, V: number): number {
  let loss = 0;
  for (let b = 0; b < B; b++) {
    const o = b * V;
    let m = -Infinity;
    for (let j = 0; j < V; j++) if (logits[o + j] > m) m = logits[o + j];
    let s = 0;
    for (let j = 0; j < V; j++) {
      const e = fastExp(logits[o + j] - m);
      probs[o + j] = e;
      s += e;
    }
    const inv = 1 / s;
    for (let j = 0; j < V; j++) probs[o + j] *= inv;
    loss += Math.log(s) - (logits[o + Y[b]] - m);
  }
  return loss;
}

/** Exercise 2: dlogits (B, V) = (probs - onehot(Y)) / n. Overwrites dlogits. */
export function crossEntropyBackward(dlogits: Float32Array, probs: Float32Array, Y: Int32Array, B: number, V: number): void {
  for (let b = 0; b < B; b++) {
    const o = b * V;
    for (let j = 0; j < V; j++) dlogits[o + j] = probs[o + j] / B;
    dlogits[o + Y[b]] = (probs[o + Y[b]] - 1) / B;
  }
}

/** p (n) -= lr * g (n). */
export function sgdUpdate(p: Float32Array, g: Float32Array, lr: number): void {
  const n = p.length;
  for (let i = 0; i < n; i++) p[i] -= lr * g[i];
}
