// Validates each fast kernel against the plain op of ops.ts on the same random inputs, before anything is
// timed: the bench prints these max abs diffs, and test/core/engines.test.ts asserts them.

import * as f32 from './fast32.js';
import * as ops from '../src/core/reference/ops.js';
import { BN_EPS } from '../src/core/reference/model.js';
import { MT19937 } from '../src/core/random/python.js';
import { Arena, type WasmKernels } from '../src/core/wasm/module.js';

export interface KernelDiff {
  kernel: string;
  /** max |fast - reference| over every output of the kernel */
  maxdiff: number;
  /** max |reference|, for scale */
  maxref: number;
}

export type FastEngine = 'ts' | 'wasm';

interface Dims {
  V: number;
  E: number;
  T: number;
  H: number;
  B: number;
}

function randn(rng: MT19937, n: number, scale = 1): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.normal() * scale;
  return a;
}

function ids(rng: MT19937, n: number, V: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.randbelow(V);
  return a;
}

function diff(kernel: string, outs: [ArrayLike<number>, ArrayLike<number>][]): KernelDiff {
  let maxdiff = 0;
  let maxref = 0;
  for (const [a, r] of outs) {
    for (let i = 0; i < r.length; i++) {
      const d = Math.abs(a[i] - r[i]);
      maxdiff = Number.isNaN(d) || Number.isNaN(maxdiff) ? NaN : Math.max(maxdiff, d);
      maxref = Math.max(maxref, Math.abs(r[i]));
    }
  }
  return { kernel, maxdiff, maxref };
}

/** Copies arrays into a fresh wasm instance and hands out their pointers; read results back with get(). */
class Scratch {
  readonly k: WasmKernels;
  private readonly arena: Arena;
  private readonly live: { ptr: number; n: number; int: boolean }[] = [];

  constructor(floats: number) {
    this.arena = new Arena(floats * 4 + 4096);
    this.k = this.arena.k;
  }

  f(a: Float32Array): number {
    const t = this.arena.f32(a.length);
    t.data.set(a);
    this.live.push({ ptr: t.ptr, n: a.length, int: false });
    return t.ptr;
  }

  i(a: Int32Array): number {
    const t = this.arena.i32(a.length);
    t.data.set(a);
    return t.ptr;
  }

  get(ptr: number, n: number): Float32Array {
    return new Float32Array(this.k.memory.buffer, ptr, n).slice();
  }
}

/** Every kernel of one fast engine against ops.ts, at the given sizes. */
export function validateKernels(engine: FastEngine, dims: Dims, seed = 1): KernelDiff[] {
  const { V, E, T, H, B } = dims;
  const rng = new MT19937(seed);
  const C = randn(rng, V * E);
  const X = ids(rng, B * T, V);
  const Y = ids(rng, B, V);
  const W1 = randn(rng, T * E * H, 0.3);
  const b1 = randn(rng, H, 0.1);
  const W2 = randn(rng, H * V, 0.1);
  const b2 = randn(rng, V, 0.1);
  const gain = randn(rng, H, 0.1).map((x) => x + 1);
  const bias = randn(rng, H, 0.1);
  const emb = randn(rng, B * T * E);
  const hprebn = randn(rng, B * H, 2);
  const hIn = randn(rng, B * H).map(Math.tanh);
  const dout2 = randn(rng, B * V, 0.05);
  const dhIn = randn(rng, B * H, 0.05);
  const dW1Start = randn(rng, T * E * H, 0.01);
  const dW2Start = randn(rng, H * V, 0.01);
  const out: KernelDiff[] = [];
  const big = 16 * (B * H + H * V + T * E * H + B * T * E + B * V + V * E + 8 * H + 64);
  const s = engine === 'wasm' ? new Scratch(big) : null;

  // embedding forward / backward
  {
    const ref = new Float32Array(B * T * E);
    ops.embeddingForward(ref, X, C, B, T, E);
    const dref = randn(new MT19937(seed + 1), V * E);
    const dC = dref.slice();
    ops.embeddingBackward(dref, emb, X, B, T, E);
    if (s) {
      const o = s.f(new Float32Array(B * T * E));
      const x = s.i(X);
      s.k.embeddingForward(o, x, s.f(C), B * T, E);
      const g = s.f(dC);
      s.k.embeddingBackward(g, s.f(emb), x, B * T, E);
      out.push(diff('embeddingForward', [[s.get(o, B * T * E), ref]]), diff('embeddingBackward', [[s.get(g, V * E), dref]]));
    } else {
      const o = new Float32Array(B * T * E);
      f32.embeddingForward(o, X, C, B * T, E);
      f32.embeddingBackward(dC, emb, X, B * T, E);
      out.push(diff('embeddingForward', [[o, ref]]), diff('embeddingBackward', [[dC, dref]]));
    }
  }

  // linear forward / backward, both layers: (B, T*E) @ (T*E, H) and (B, H) @ (H, V)
  const layers: [string, Float32Array, Float32Array, Float32Array, number, number, Float32Array, Float32Array][] = [
    ['1', emb, W1, b1, T * E, H, dhIn, dW1Start],
    ['2', hIn, W2, b2, H, V, dout2, dW2Start],
  ];
  for (const [name, inp, W, bvec, IC, OC, dout, dWStart] of layers) {
    const ref = new Float32Array(B * OC);
    ops.linearForward(ref, inp, W, bvec, B, IC, OC);
    const dinpRef = new Float32Array(B * IC);
    const dWRef = dWStart.slice();
    const dbRef = bvec.slice();
    ops.linearBackward(dinpRef, dWRef, dbRef, dout, inp, W, B, IC, OC);
    if (s) {
      const o = s.f(new Float32Array(B * OC));
      const pin = s.f(inp);
      const pW = s.f(W);
      s.k.linearForward(o, pin, pW, s.f(bvec), B, IC, OC);
      const di = s.f(new Float32Array(B * IC));
      const dW = s.f(dWStart);
      const db = s.f(bvec);
      s.k.linearBackward(di, dW, db, s.f(dout), pin, pW, B, IC, OC);
      out.push(diff(`linearForward (layer ${name})`, [[s.get(o, B * OC), ref]]));
      out.push(diff(`linearBackward (layer ${name})`, [[s.get(di, B * IC), dinpRef], [s.get(dW, IC * OC), dWRef], [s.get(db, OC), dbRef]]));
    } else {
      const o = new Float32Array(B * OC);
      f32.linearForward(o, inp, W, bvec, B, IC, OC);
      const di = new Float32Array(B * IC);
      const dW = dWStart.slice();
      const db = bvec.slice();
      f32.linearBackward(di, dW, db, dout, inp, W, B, IC, OC);
      out.push(diff(`linearForward (layer ${name})`, [[o, ref]]));
      out.push(diff(`linearBackward (layer ${name})`, [[di, dinpRef], [dW, dWRef], [db, dbRef]]));
    }
  }

  // batchnorm + tanh forward; tanh + batchnorm backward (exercise 3)
  {
    const r = { h: new Float32Array(B * H), hp: new Float32Array(B * H), raw: new Float32Array(B * H), m: new Float32Array(H), v: new Float32Array(H), inv: new Float32Array(H) };
    ops.batchnormForward(r.hp, r.raw, r.m, r.v, r.inv, hprebn, gain, bias, B, H);
    ops.tanhForward(r.h, r.hp, B * H);
    const dhp = new Float32Array(B * H);
    ops.tanhBackward(dhp, dhIn, r.h, B * H);
    const dinp = new Float32Array(B * H);
    const dg = bias.slice();
    const db = gain.slice();
    ops.batchnormBackward(dinp, dg, db, dhp, r.raw, r.inv, gain, B, H);
    const refF = [r.h, r.hp, r.raw, r.m, r.v, r.inv];
    const refB = [dhp, dinp, dg, db];
    if (s) {
      const p = [B * H, B * H, B * H, H, H, H].map((n) => s.f(new Float32Array(n)));
      s.k.batchnormTanhForward(p[0], p[1], p[2], p[3], p[4], p[5], s.f(hprebn), s.f(gain), s.f(bias), B, H, BN_EPS);
      out.push(diff('batchnormTanhForward', refF.map((a, i) => [s.get(p[i], a.length), a])));
      // the backward from the reference's forward, so that only the backward is judged
      const q = [s.f(new Float32Array(B * H)), s.f(new Float32Array(B * H)), s.f(bias), s.f(gain)];
      s.k.tanhBatchnormBackward(q[1], q[0], q[2], q[3], s.f(dhIn), s.f(r.h), s.f(r.raw), s.f(r.inv), s.f(gain), s.f(new Float32Array(3 * H)), B, H);
      out.push(diff('tanhBatchnormBackward', refB.map((a, i) => [s.get(q[i], a.length), a])));
    } else {
      const f = [B * H, B * H, B * H, H, H, H].map((n) => new Float32Array(n));
      f32.batchnormTanhForward(f[0], f[1], f[2], f[3], f[4], f[5], hprebn, gain, bias, B, H);
      out.push(diff('batchnormTanhForward', refF.map((a, i) => [f[i], a])));
      const q = [new Float32Array(B * H), new Float32Array(B * H), bias.slice(), gain.slice()];
      f32.tanhBatchnormBackward(q[1], q[0], q[2], q[3], dhIn, r.h, r.raw, r.inv, gain, B, H);
      out.push(diff('tanhBatchnormBackward', refB.map((a, i) => [q[i], a])));
    }
  }

  // cross-entropy forward (loss and probs) and backward (exercise 2), on logits with a large spread
  {
    const logits = randn(rng, B * V, 3);
    logits[0] = 80; // a row whose other entries underflow
    const probs = new Float32Array(B * V);
    const loss = ops.crossEntropyForward(probs, logits, Y, B, V);
    const dl = new Float32Array(B * V);
    ops.crossEntropyBackward(dl, probs, Y, B, V);
    if (s) {
      const pp = s.f(new Float32Array(B * V));
      const py = s.i(Y);
      const l = s.k.crossEntropyForwardSum(pp, s.f(logits), py, B, V) / B;
      out.push(diff('crossEntropyForward', [[s.get(pp, B * V), probs], [[l], [loss]]]));
      const pd = s.f(new Float32Array(B * V));
      s.k.crossEntropyBackward(pd, s.f(probs), py, B, V);
      out.push(diff('crossEntropyBackward', [[s.get(pd, B * V), dl]]));
    } else {
      const p = new Float32Array(B * V);
      const l = f32.crossEntropyForwardSum(p, logits, Y, B, V) / B;
      out.push(diff('crossEntropyForward', [[p, probs], [[l], [loss]]]));
      const d = new Float32Array(B * V);
      f32.crossEntropyBackward(d, probs, Y, B, V);
      out.push(diff('crossEntropyBackward', [[d, dl]]));
    }
  }

  // SGD
  {
    const p0 = W1.slice();
    const ref = p0.slice();
    for (let i = 0; i < ref.length; i++) ref[i] -= 0.1 * dW1Start[i];
    if (s) {
      const pp = s.f(p0);
      s.k.sgdUpdate(pp, s.f(dW1Start), p0.length, 0.1);
      out.push(diff('sgdUpdate', [[s.get(pp, p0.length), ref]]));
    } else {
      f32.sgdUpdate(p0, dW1Start, 0.1);
      out.push(diff('sgdUpdate', [[p0, ref]]));
    }
  }
  return out;
}
