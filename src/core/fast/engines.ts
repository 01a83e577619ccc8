// The training step on the fused path: forward, exercises 2 and 3 for the backward, SGD. Everything lives
// in blocks allocated once in the constructor; step() allocates nothing. The autograd never runs here.
//
// Three engines compute the same step (issue 4):
//   'wasm'  WebAssembly SIMD kernels (assembly/kernels.ts), float32 only: the default for float32
//   'ts'    tuned TypeScript kernels specialised to Float32Array (fast32.ts), float32 only
//   'ref'   the plain ops of ops.ts, float32 or float64: the default for float64 and the judge of the others
// The fast engines agree with 'ref' to float32 rounding (test/engines.test.ts bounds the difference).

import {
  batchnormBackward, batchnormForward, crossEntropyBackward, crossEntropyForward, embeddingBackward,
  embeddingForward, linearBackward, linearForward, tanhBackward, tanhForward,
} from '../reference/ops.js';
import * as f32 from './fast32.js';
import { BN_EPS, allocParams, paramShapes, validateConfig, type ModelConfig, type ParamName, type Params } from '../reference/model.js';
import { makeBlock, type Block, type DType, type FloatArray } from '../reference/block.js';
import { Arena, wasmAvailable, wasmFailure, type WasmKernels } from './wasm/module.js';
import { blockFloats, wasmBlock } from './wasm/block.js';

export type FusedAct = 'embcat' | 'hprebn' | 'bnraw' | 'bnmean' | 'bnvar' | 'bnvarInv' | 'hpreact' | 'h' | 'logits' | 'probs';
export type FusedGrad = 'dembcat' | 'dhprebn' | 'dhpreact' | 'dh' | 'dlogits';

export type Engine = 'wasm' | 'ts' | 'ref';
export const ENGINES: readonly Engine[] = ['wasm', 'ts', 'ref'];

export interface TrainerOptions {
  /** which kernels run the step; default: defaultEngine(dtype) */
  readonly engine?: Engine;
}

/**
 * float32: 'wasm' where this runtime compiles the module, else 'ts' (e.g. a browser's main thread, which
 * refuses to compile a module over 4 KB synchronously: run training in a Worker to get 'wasm').
 * float64: 'ref'.
 */
export function defaultEngine(dtype: DType): Engine {
  if (dtype !== 'float32') return 'ref';
  return wasmAvailable() ? 'wasm' : 'ts';
}

export function parseEngine(s: string): Engine {
  if ((ENGINES as readonly string[]).includes(s)) return s as Engine;
  throw new RangeError(`unknown engine ${JSON.stringify(s)}: expected one of ${ENGINES.join(', ')}`);
}

function actShapes(cfg: ModelConfig, B: number): Record<FusedAct, number[]> {
  const { vocabSize: V, nEmbd: E, nHidden: H, blockSize: T } = cfg;
  return {
    embcat: [B, T * E], hprebn: [B, H], bnraw: [B, H], bnmean: [H], bnvar: [H], bnvarInv: [H], hpreact: [B, H],
    h: [B, H], logits: [B, V], probs: [B, V],
  };
}

function dactShapes(cfg: ModelConfig, B: number): Record<FusedGrad, number[]> {
  const { vocabSize: V, nEmbd: E, nHidden: H, blockSize: T } = cfg;
  return { dembcat: [B, T * E], dhprebn: [B, H], dhpreact: [B, H], dh: [B, H], dlogits: [B, V] };
}

/** What an engine provides: the buffers and the three phases of a step. */
interface StepImpl {
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
  private readonly impl: StepImpl;

  /**
   * params, when given, are trained in place (trainer.params === params). The 'wasm' engine keeps its
   * working copy in wasm memory: it copies params in at forward() and out at update() (a memcpy each).
   */
  constructor(
    readonly cfg: ModelConfig, readonly B: number, dtype: DType = 'float32', params?: Params, opts: TrainerOptions = {},
  ) {
    validateConfig(cfg);
    if (!Number.isInteger(B) || B < 2) throw new RangeError(`batch size must be >= 2 (batchnorm divides by n-1), got ${B}`);
    if (params !== undefined && (params.flat instanceof Float32Array) !== (dtype === 'float32')) {
      throw new RangeError(`params are ${params.flat instanceof Float32Array ? 'float32' : 'float64'}, trainer is ${dtype}`);
    }
    const engine = opts.engine ?? defaultEngine(dtype);
    if (engine !== 'ref' && dtype !== 'float32') throw new RangeError(`engine '${engine}' is float32 only; use 'ref' for ${dtype}`);
    if (engine === 'wasm' && !wasmAvailable()) throw new Error(`engine 'wasm': WebAssembly SIMD unavailable (${wasmFailure()})`);
    this.engine = engine;
    this.impl = engine === 'wasm' ? new WasmStep(cfg, B, params) : engine === 'ts' ? new TsStep(cfg, B, params) : new RefStep(cfg, B, dtype, params);
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

class RefStep implements StepImpl {
  readonly params: Params;
  readonly grads: Params;
  readonly acts: Block<FusedAct>;
  readonly dacts: Block<FusedGrad>;
  readonly X: Int32Array;
  readonly Y: Int32Array;

  constructor(readonly cfg: ModelConfig, readonly B: number, dtype: DType, params?: Params) {
    this.params = params ?? allocParams(cfg, dtype);
    this.grads = allocParams(cfg, dtype);
    this.acts = makeBlock(actShapes(cfg, B), dtype);
    this.dacts = makeBlock(dactShapes(cfg, B), dtype);
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
// 'ts': the same step on Float32Array-only kernels (monomorphic, register-tiled, fused)

class TsStep implements StepImpl {
  readonly params: Params;
  readonly grads: Params;
  readonly acts: Block<FusedAct>;
  readonly dacts: Block<FusedGrad>;
  readonly X: Int32Array;
  readonly Y: Int32Array;
  // the views, typed Float32Array once so that every kernel call site stays monomorphic
  private readonly p: Record<ParamName, Float32Array>;
  private readonly g: Record<ParamName, Float32Array>;

  constructor(readonly cfg: ModelConfig, readonly B: number, params?: Params) {
    this.params = params ?? allocParams(cfg, 'float32');
    this.grads = allocParams(cfg, 'float32');
    this.acts = makeBlock(actShapes(cfg, B), 'float32');
    this.dacts = makeBlock(dactShapes(cfg, B), 'float32');
    this.X = new Int32Array(B * cfg.blockSize);
    this.Y = new Int32Array(B);
    const views = (blk: Params): Record<ParamName, Float32Array> => ({
      C: blk.C.data as Float32Array, W1: blk.W1.data as Float32Array, b1: blk.b1.data as Float32Array,
      W2: blk.W2.data as Float32Array, b2: blk.b2.data as Float32Array, bngain: blk.bngain.data as Float32Array,
      bnbias: blk.bnbias.data as Float32Array,
    });
    this.p = views(this.params);
    this.g = views(this.grads);
  }

  private a(k: FusedAct): Float32Array {
    return this.acts[k].data as Float32Array;
  }

  private d(k: FusedGrad): Float32Array {
    return this.dacts[k].data as Float32Array;
  }

  forward(): number {
    const { vocabSize: V, nEmbd: E, nHidden: H, blockSize: T } = this.cfg;
    const { B, p } = this;
    f32.embeddingForward(this.a('embcat'), this.X, p.C, B * T, E);
    f32.linearForward(this.a('hprebn'), this.a('embcat'), p.W1, p.b1, B, T * E, H);
    f32.batchnormTanhForward(
      this.a('h'), this.a('hpreact'), this.a('bnraw'), this.a('bnmean'), this.a('bnvar'), this.a('bnvarInv'),
      this.a('hprebn'), p.bngain, p.bnbias, B, H,
    );
    f32.linearForward(this.a('logits'), this.a('h'), p.W2, p.b2, B, H, V);
    return f32.crossEntropyForward(this.a('probs'), this.a('logits'), this.Y, B, V) / B;
  }

  backward(): void {
    const { vocabSize: V, nEmbd: E, nHidden: H, blockSize: T } = this.cfg;
    const { B, p, g } = this;
    (this.grads.flat as Float32Array).fill(0);
    f32.crossEntropyBackward(this.d('dlogits'), this.a('probs'), this.Y, B, V); // exercise 2
    f32.linearBackward(this.d('dh'), g.W2, g.b2, this.d('dlogits'), this.a('h'), p.W2, B, H, V);
    f32.tanhBatchnormBackward(
      this.d('dhprebn'), this.d('dhpreact'), g.bngain, g.bnbias,
      this.d('dh'), this.a('h'), this.a('bnraw'), this.a('bnvarInv'), p.bngain, B, H,
    ); // exercise 3
    f32.linearBackward(this.d('dembcat'), g.W1, g.b1, this.d('dhprebn'), this.a('embcat'), p.W1, B, T * E, H);
    f32.embeddingBackward(g.C, this.d('dembcat'), this.X, B * T, E);
  }

  update(lr: number): void {
    f32.sgdUpdate(this.params.flat as Float32Array, this.grads.flat as Float32Array, lr);
  }
}

// ---------------------------------------------------------------------------------------------------------
// 'wasm': every buffer in one wasm instance's memory, the kernels of assembly/kernels.ts

class WasmStep implements StepImpl {
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
    const as = actShapes(cfg, B);
    const ds = dactShapes(cfg, B);
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
    return k.crossEntropyForward(a.probs, a.logits, this.yPtr, B, V) / B;
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

