// The training step on the fused path: forward, exercises 2 and 3 for the backward, SGD. Everything lives
// in blocks allocated once in the constructor; step() allocates nothing. The autograd never runs here.
//
// Two engines compute the same step:
//   'wasm'  WebAssembly SIMD kernels (assembly/kernels.ts), float32 only: the default for float32
//   'ref'   the plain ops of reference/ops.ts, float32 or float64: the default for float64, and the judge
// 'wasm' agrees with 'ref' to float32 rounding (test/core/engines.test.ts bounds the difference). A third engine,
// tuned TypeScript kernels, left the product (docs/speed.md): it lives on as bench/'s baseline.

import {
  batchnormBackward, batchnormForward, crossEntropyBackward, crossEntropyForward, embeddingBackward,
  embeddingForward, linearBackward, linearForward, tanhBackward, tanhForward,
} from '../reference/ops.js';
import { BN_EPS, allocParams, paramShapes, validateBatchSize, validateConfig, type ModelConfig, type ParamName, type Params } from '../reference/model.js';
import { makeBlock, type Block, type DType, type FloatArray } from '../reference/block.js';
import { UserError } from '../errors.js';
import { Arena, wasmAvailable, wasmFailure, type WasmKernels } from '../wasm/module.js';
import { blockFloats, wasmBlock } from '../wasm/block.js';

export type FusedAct = 'embcat' | 'hprebn' | 'bnraw' | 'bnmean' | 'bnvar' | 'bnvarInv' | 'hpreact' | 'h' | 'logits' | 'probs';
export type FusedGrad = 'dembcat' | 'dhprebn' | 'dhpreact' | 'dh' | 'dlogits';

export type Engine = 'wasm' | 'ref';
export const ENGINES: readonly Engine[] = ['wasm', 'ref'];

export interface TrainerOptions {
  /** which kernels run the step; default: resolveEngine(dtype) */
  readonly engine?: Engine;
}

/**
 * The one place an engine is chosen, for the training step and the evaluation alike. Unasked: float32 runs
 * on 'wasm' where this runtime compiles the module (Node, a Worker), else on 'ref' (a browser's main
 * thread refuses to compile a module over 4 KB synchronously: the lab trains and evaluates in Workers, and
 * its main thread only samples and calibrates, which never needed the fast path); float64 always on
 * 'ref'. Asked for: 'wasm' must be available and float32.
 */
export function resolveEngine(dtype: DType, asked?: Engine): Engine {
  if (asked === undefined) return dtype === 'float32' && wasmAvailable() ? 'wasm' : 'ref';
  if (asked === 'wasm') {
    if (dtype !== 'float32') throw new RangeError(`engine 'wasm' is float32 only; use 'ref' for ${dtype}`);
    if (!wasmAvailable()) throw new Error(`engine 'wasm': WebAssembly SIMD unavailable (${wasmFailure()})`);
  }
  return asked;
}

/** The engine of the default path for dtype (see resolveEngine). */
export function defaultEngine(dtype: DType): Engine {
  return resolveEngine(dtype);
}

/** An engine's name as the user typed it; one line for an unknown one, and for the retired 'ts'. */
export function parseEngine(s: string): Engine {
  if ((ENGINES as readonly string[]).includes(s)) return s as Engine;
  if (s === 'ts') {
    throw new UserError("the 'ts' engine left the product: WebAssembly SIMD ('wasm', the default) runs in Node and in every current browser, and 'ref' runs anywhere; its tuned TypeScript kernels remain a baseline in bench/ (npm run bench -- --backend ts)");
  }
  throw new UserError(`unknown engine ${JSON.stringify(s)}: expected one of ${ENGINES.join(', ')}`);
}

/** The activations the fused training step keeps (bnmean/bnvar/bnvarInv per hidden unit). */
export function fusedActShapes(cfg: ModelConfig, B: number): Record<FusedAct, number[]> {
  const { vocabSize: V, nEmbd: E, nHidden: H, blockSize: T } = cfg;
  return {
    embcat: [B, T * E], hprebn: [B, H], bnraw: [B, H], bnmean: [H], bnvar: [H], bnvarInv: [H], hpreact: [B, H],
    h: [B, H], logits: [B, V], probs: [B, V],
  };
}

/** The activation gradients of the fused backward. */
export function fusedGradShapes(cfg: ModelConfig, B: number): Record<FusedGrad, number[]> {
  const { vocabSize: V, nEmbd: E, nHidden: H, blockSize: T } = cfg;
  return { dembcat: [B, T * E], dhprebn: [B, H], dhpreact: [B, H], dh: [B, H], dlogits: [B, V] };
}

/** What an engine provides: the buffers and the three phases of a step. */
export interface Step {
  readonly params: Params;
  readonly grads: Params;
  readonly acts: Block<FusedAct>;
  readonly dacts: Block<FusedGrad>;
  readonly X: Int32Array;
  readonly Y: Int32Array;
  forward(): number;
  backward(): void;
  update(lr: number): void;
}

export class Trainer {
  readonly params: Params;
  /** d loss / d param, same layout as params (grads.flat lines up with params.flat) */
  readonly grads: Params;
  readonly acts: Block<FusedAct>;
  readonly dacts: Block<FusedGrad>;
  /** the batch: fill these, then call step() */
  readonly X: Int32Array;
  readonly Y: Int32Array;
  readonly engine: Engine;
  private readonly impl: Step;

  /**
   * params, when given, are trained in place (trainer.params === params). The 'wasm' engine keeps its
   * working copy in wasm memory: it copies params in at forward() and out at update() (a memcpy each).
   */
  constructor(
    readonly cfg: ModelConfig, readonly B: number, dtype: DType = 'float32', params?: Params, opts: TrainerOptions = {},
  ) {
    validateConfig(cfg);
    validateBatchSize(B);
    if (params !== undefined && (params.flat instanceof Float32Array) !== (dtype === 'float32')) {
      throw new RangeError(`params are ${params.flat instanceof Float32Array ? 'float32' : 'float64'}, trainer is ${dtype}`);
    }
    const engine = resolveEngine(dtype, opts.engine);
    this.engine = engine;
    this.impl = engine === 'wasm' ? new WasmStep(cfg, B, params) : new RefStep(cfg, B, dtype, params);
    ({ params: this.params, grads: this.grads, acts: this.acts, dacts: this.dacts, X: this.X, Y: this.Y } = this.impl);
  }

  /** The forward pass on (X, Y) with batch statistics; returns the mean cross-entropy. */
  forward(): number {
    return this.impl.forward();
  }

  /** The backward pass of the last forward(): zeroes grads, then accumulates them. */
  backward(): void {
    this.impl.backward();
  }

  /** SGD: p -= lr * grad, over the one flat buffer. */
  update(lr: number): void {
    this.impl.update(lr);
  }

  /** forward + backward + update on the batch in X, Y; returns the loss before the update. */
  step(lr: number): number {
    const loss = this.impl.forward();
    this.impl.backward();
    this.impl.update(lr);
    return loss;
  }
}

// ---------------------------------------------------------------------------------------------------------
// 'ref': the plain ops, any dtype

class RefStep implements Step {
  readonly params: Params;
  readonly grads: Params;
  readonly acts: Block<FusedAct>;
  readonly dacts: Block<FusedGrad>;
  readonly X: Int32Array;
  readonly Y: Int32Array;

  constructor(readonly cfg: ModelConfig, readonly B: number, dtype: DType, params?: Params) {
    this.params = params ?? allocParams(cfg, dtype);
    this.grads = allocParams(cfg, dtype);
    this.acts = makeBlock(fusedActShapes(cfg, B), dtype);
    this.dacts = makeBlock(fusedGradShapes(cfg, B), dtype);
    this.X = new Int32Array(B * cfg.blockSize);
    this.Y = new Int32Array(B);
  }

  forward(): number {
    const { vocabSize: V, nEmbd: E, nHidden: H, blockSize: T } = this.cfg;
    const { B, params: p, acts: a } = this;
    embeddingForward(a.embcat.data, this.X, p.C.data, B, T, E);
    linearForward(a.hprebn.data, a.embcat.data, p.W1.data, p.b1.data, B, T * E, H);
    batchnormForward(a.hpreact.data, a.bnraw.data, a.bnmean.data, a.bnvar.data, a.bnvarInv.data, a.hprebn.data, p.bngain.data, p.bnbias.data, B, H);
    tanhForward(a.h.data, a.hpreact.data, B * H);
    linearForward(a.logits.data, a.h.data, p.W2.data, p.b2.data, B, H, V);
    return crossEntropyForward(a.probs.data, a.logits.data, this.Y, B, V);
  }

  backward(): void {
    const { vocabSize: V, nEmbd: E, nHidden: H, blockSize: T } = this.cfg;
    const { B, params: p, acts: a, dacts: d, grads: g } = this;
    g.flat.fill(0);
    crossEntropyBackward(d.dlogits.data, a.probs.data, this.Y, B, V); // exercise 2
    linearBackward(d.dh.data, g.W2.data, g.b2.data, d.dlogits.data, a.h.data, p.W2.data, B, H, V);
    tanhBackward(d.dhpreact.data, d.dh.data, a.h.data, B * H);
    batchnormBackward(d.dhprebn.data, g.bngain.data, g.bnbias.data, d.dhpreact.data, a.bnraw.data, a.bnvarInv.data, p.bngain.data, B, H); // exercise 3
    linearBackward(d.dembcat.data, g.W1.data, g.b1.data, d.dhprebn.data, a.embcat.data, p.W1.data, B, T * E, H);
    embeddingBackward(g.C.data, d.dembcat.data, this.X, B, T, E);
  }

  update(lr: number): void {
    sgdUpdate(this.params.flat, this.grads.flat, lr);
  }
}

// ---------------------------------------------------------------------------------------------------------
// 'wasm': every buffer in one wasm instance's memory, the kernels of assembly/kernels.ts

class WasmStep implements Step {
  readonly params: Params;
  readonly grads: Params;
  readonly acts: Block<FusedAct>;
  readonly dacts: Block<FusedGrad>;
  readonly X: Int32Array;
  readonly Y: Int32Array;
  private readonly k: WasmKernels;
  /** the working parameters in wasm memory; === params unless params were passed in */
  private readonly wp: Params & { readonly flat: Float32Array };
  private readonly external: Float32Array | null;
  private readonly pp: Readonly<Record<ParamName, number>>;
  private readonly gp: Readonly<Record<ParamName, number>>;
  private readonly ap: Readonly<Record<FusedAct, number>>;
  private readonly dp: Readonly<Record<FusedGrad, number>>;
  private readonly xPtr: number;
  private readonly yPtr: number;
  private readonly gBase: number;
  private readonly gBytes: number;
  /** W2^T (V, H), scratch of the backward */
  private readonly w2t: number;
  /** 3 H floats, scratch of the batchnorm backward */
  private readonly bnScratch: number;

  constructor(readonly cfg: ModelConfig, readonly B: number, params?: Params) {
    const ps = paramShapes(cfg);
    const as = fusedActShapes(cfg, B);
    const ds = fusedGradShapes(cfg, B);
    const nP = blockFloats(ps);
    const arena = new Arena(Arena.bytesFor(nP, nP, blockFloats(as), blockFloats(ds), B * cfg.blockSize, B, cfg.nHidden * cfg.vocabSize, 3 * cfg.nHidden));
    this.k = arena.k;
    const wp = wasmBlock(arena, ps);
    const wg = wasmBlock(arena, ps);
    const wa = wasmBlock(arena, as);
    const wd = wasmBlock(arena, ds);
    const x = arena.i32(B * cfg.blockSize);
    const y = arena.i32(B);
    this.w2t = arena.f32(cfg.nHidden * cfg.vocabSize).ptr;
    this.bnScratch = arena.f32(3 * cfg.nHidden).ptr;
    this.wp = wp.block;
    this.external = params ? (params.flat as Float32Array) : null;
    this.params = params ?? wp.block;
    this.grads = wg.block;
    this.acts = wa.block;
    this.dacts = wd.block;
    this.X = x.data;
    this.Y = y.data;
    this.pp = wp.ptr;
    this.gp = wg.ptr;
    this.ap = wa.ptr;
    this.dp = wd.ptr;
    this.xPtr = x.ptr;
    this.yPtr = y.ptr;
    this.gBase = wg.base;
    this.gBytes = nP * 4;
  }

  forward(): number {
    const { vocabSize: V, nEmbd: E, nHidden: H, blockSize: T } = this.cfg;
    const { B, k, pp: p, ap: a } = this;
    if (this.external !== null) this.wp.flat.set(this.external);
    k.embeddingForward(a.embcat, this.xPtr, p.C, B * T, E);
    k.linearForward(a.hprebn, a.embcat, p.W1, p.b1, B, T * E, H);
    k.batchnormTanhForward(a.h, a.hpreact, a.bnraw, a.bnmean, a.bnvar, a.bnvarInv, a.hprebn, p.bngain, p.bnbias, B, H, BN_EPS);
    k.linearForward(a.logits, a.h, p.W2, p.b2, B, H, V);
    return k.crossEntropyForwardSum(a.probs, a.logits, this.yPtr, B, V) / B;
  }

  backward(): void {
    const { vocabSize: V, nEmbd: E, nHidden: H, blockSize: T } = this.cfg;
    const { B, k, pp: p, gp: g, ap: a, dp: d } = this;
    this.grads.flat.fill(0);
    k.crossEntropyBackward(d.dlogits, a.probs, this.yPtr, B, V); // exercise 2
    // the linear backward of layer 2, in three parts: with V (27) columns, dh = dlogits @ W2^T is faster
    // as a forward-style product with W2 transposed (vectors along H) than as V-long dot products
    k.biasBackward(g.b2, d.dlogits, B, V);
    k.matmulTNAcc(g.W2, a.h, d.dlogits, B, H, V);
    k.transpose(this.w2t, p.W2, H, V);
    k.linearForward(d.dh, d.dlogits, this.w2t, 0, B, V, H);
    k.tanhBatchnormBackward(d.dhprebn, d.dhpreact, g.bngain, g.bnbias, d.dh, a.h, a.bnraw, a.bnvarInv, p.bngain, this.bnScratch, B, H); // exercise 3
    k.linearBackward(d.dembcat, g.W1, g.b1, d.dhprebn, a.embcat, p.W1, B, T * E, H);
    k.embeddingBackward(g.C, d.dembcat, this.xPtr, B * T, E);
  }

  update(lr: number): void {
    this.k.sgdUpdate(this.wp.flat.byteOffset, this.gBase, this.gBytes / 4, lr);
    if (this.external !== null) this.external.set(this.wp.flat);
  }
}

export function sgdUpdate(p: FloatArray, g: FloatArray, lr: number): void {
  for (let i = 0; i < p.length; i++) p[i] -= lr * g[i];
}

