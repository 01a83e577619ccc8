// The evaluation forward (inference mode: batchnorm uses given statistics bnmean, bnvar instead of the
// batch's), over a whole split, returning the mean cross-entropy; and the batchnorm calibration (the
// lecture's bnmean/bnvar over the whole training set). The 'wasm' engine (float32) folds the embedding, W1,
// b1 and the batchnorm into one table (evalFold in assembly/kernels.ts), so a row's hidden layer is T
// vector adds and a tanh; the 'ref' engine (any dtype) runs the plain ops of ops.ts chunk by chunk.

import type { Split } from '../reference/data.js';
import { UserError } from '../errors.js';
import { BN_EPS, validateConfig, type ModelConfig, type ParamName, type Params } from '../reference/model.js';
import { crossEntropyForward, embeddingForward, linearForward, tanhForward } from '../reference/ops.js';
import * as f32 from './fast32.js';
import { allocFloat, dtypeOf, type FloatArray } from '../reference/block.js';
import { defaultEngine, type Engine } from './engines.js';
import { Arena, wasmAvailable, type WasmF32, type WasmI32, type WasmKernels } from './wasm/module.js';
import { blockFloats, wasmBlock } from './wasm/block.js';
import { paramShapes } from '../reference/model.js';

export interface EvalOptions {
  /** 'wasm' or 'ts' (float32 only), or 'ref'. Default: defaultEngine(dtype of params) */
  readonly engine?: Engine;
}

/** rows per chunk: the chunk's hidden activations (CHUNK x H floats) stay in L2 */
const CHUNK = 256;

function checkSplit(X: Int32Array, Y: Int32Array, n: number, cfg: ModelConfig): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`evalLoss: need at least one row, got n = ${n}`);
  if (X.length < n * cfg.blockSize || Y.length < n) {
    throw new RangeError(`evalLoss: X holds ${X.length / cfg.blockSize} rows and Y ${Y.length}, asked for ${n}`);
  }
}

/**
 * Mean cross-entropy over rows [0, n) of a split (X (n, T) token ids, Y (n) targets), with batchnorm in
 * inference mode: hpreact = bngain * (hprebn - bnmean) / sqrt(bnvar + eps) + bnbias, bnmean and bnvar (H)
 * given (e.g. from bnCalibrate, or running estimates). n defaults to Y.length. Allocates its scratch once
 * per call (use an Evaluator to reuse it). float32 params run on wasm by default, float64 on 'ref'.
 */
export function evalLoss(
  params: Params, bnmean: FloatArray, bnvar: FloatArray, X: Int32Array, Y: Int32Array, cfg: ModelConfig,
  n: number = Y.length, opts: EvalOptions = {},
): number {
  const engine = dtypeOf(params.flat) === 'float32' ? (opts.engine ?? defaultEngine('float32')) : 'ref';
  return new Evaluator(cfg, engine).loss(params, bnmean, bnvar, X, Y, n);
}

/** Holds the scratch of evaluations with one config (and, for 'wasm', one wasm instance). */
export class Evaluator {
  readonly engine: Engine;
  private w: WasmEval | null = null;

  constructor(readonly cfg: ModelConfig, engine: Engine = defaultEngine('float32')) {
    validateConfig(cfg);
    this.engine = engine === 'wasm' && !wasmAvailable() ? 'ts' : engine;
  }

  /** See evalLoss. */
  loss(params: Params, bnmean: FloatArray, bnvar: FloatArray, X: Int32Array, Y: Int32Array, n: number = Y.length): number {
    checkSplit(X, Y, n, this.cfg);
    if (this.engine === 'wasm' && params.flat instanceof Float32Array) {
      this.w ??= new WasmEval(this.cfg);
      return this.w.loss(params, bnmean, bnvar, X, Y, n);
    }
    if (this.engine !== 'ref' && params.flat instanceof Float32Array) return evalLossTs(params, bnmean, bnvar, X, Y, n, this.cfg);
    return evalLossRef(params, bnmean, bnvar, X, Y, n, this.cfg);
  }
}

/** The calibrated batchnorm statistics, each (1, H), stored as `bnmean`, `bnvar` in a checkpoint. */
export interface BnStats {
  bnmean: FloatArray;
  bnvar: FloatArray;
}

/** The inference-mode model: fixed batchnorm statistics, buffers for up to `maxB` rows, reused. */
export class Inference {
  readonly logits: FloatArray;
  private readonly embcat: FloatArray;
  private readonly hprebn: FloatArray;
  private readonly h: FloatArray;
  private evaluator: Evaluator | null = null;
  /** bngain * (bnvar + eps)^-1/2, per hidden unit */
  private readonly scale: Float64Array;

  constructor(readonly p: Params, readonly cfg: ModelConfig, readonly stats: BnStats, readonly maxB = CHUNK) {
    const { vocabSize: V, nEmbd: E, nHidden: H, blockSize: T } = cfg;
    if (stats.bnmean.length !== H || stats.bnvar.length !== H) {
      throw new UserError(`bnmean/bnvar have ${stats.bnmean.length}/${stats.bnvar.length} entries, the model has H=${H}`);
    }
    const dtype = dtypeOf(p.flat);
    this.embcat = allocFloat(dtype, maxB * T * E);
    this.hprebn = allocFloat(dtype, maxB * H);
    this.h = allocFloat(dtype, maxB * H);
    this.logits = allocFloat(dtype, maxB * V);
    this.scale = new Float64Array(H);
    for (let j = 0; j < H; j++) this.scale[j] = p.bngain.data[j] / Math.sqrt(stats.bnvar[j] + BN_EPS);
  }

  /** logits (B, V) of the rows X (B, T), B <= maxB, into this.logits. */
  forward(X: Int32Array, B: number): FloatArray {
    const { vocabSize: V, nEmbd: E, nHidden: H, blockSize: T } = this.cfg;
    const { p, stats } = this;
    embeddingForward(this.embcat, X, p.C.data, B, T, E);
    linearForward(this.hprebn, this.embcat, p.W1.data, p.b1.data, B, T * E, H);
    // hpreact = bngain * (hprebn - bnmean) * (bnvar + 1e-5)**-0.5 + bnbias, written over hprebn
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < H; j++) {
        const k = b * H + j;
        this.hprebn[k] = (this.hprebn[k] - stats.bnmean[j]) * this.scale[j] + p.bnbias.data[j];
      }
    }
    tanhForward(this.h, this.hprebn, B * H);
    linearForward(this.logits, this.h, p.W2.data, p.b2.data, B, H, V);
    return this.logits;
  }

  /**
   * The mean cross-entropy over a whole split (the lecture's split_loss); NaN for an empty split. Runs on
   * the evaluation engine of evaluate.ts (wasm for float32, the plain ops for float64).
   */
  splitLoss(split: Split): number {
    if (split.n === 0) return NaN;
    this.evaluator ??= new Evaluator(this.cfg);
    return this.evaluator.loss(this.p, this.stats.bnmean, this.stats.bnvar, split.X, split.Y, split.n);
  }
}

/** The plain evaluation forward: Inference (the ops of ops.ts), CHUNK rows at a time. */
export function evalLossRef(
  params: Params, bnmean: FloatArray, bnvar: FloatArray, X: Int32Array, Y: Int32Array, n: number, cfg: ModelConfig,
): number {
  checkSplit(X, Y, n, cfg);
  const { vocabSize: V, blockSize: T } = cfg;
  const model = new Inference(params, cfg, { bnmean, bnvar }, CHUNK);
  const probs = allocFloat(dtypeOf(params.flat), CHUNK * V);
  let sum = 0;
  for (let r0 = 0; r0 < n; r0 += CHUNK) {
    const m = Math.min(CHUNK, n - r0);
    const logits = model.forward(X.subarray(r0 * T, (r0 + m) * T), m);
    // crossEntropyForward returns the chunk's mean; weight it by the chunk's rows
    sum += crossEntropyForward(probs, logits, Y.subarray(r0, r0 + m), m, V) * m;
  }
  return sum / n;
}

/**
 * The 'ts' evaluation, float32: the same fold as the wasm one (hpreact[b] = c + sum_t Q[t, X[b, t]]), then
 * fastTanh, the register-tiled linear of fast32.ts and the cross-entropy, CHUNK rows at a time.
 */
export function evalLossTs(
  params: Params, bnmean: FloatArray, bnvar: FloatArray, X: Int32Array, Y: Int32Array, n: number, cfg: ModelConfig,
): number {
  checkSplit(X, Y, n, cfg);
  const { vocabSize: V, nEmbd: E, nHidden: H, blockSize: T } = cfg;
  const p = (k: ParamName): Float32Array => params[k].data as Float32Array;
  const Q = new Float32Array(T * V * H);
  const zero = new Float32Array(H);
  for (let t = 0; t < T; t++) {
    f32.linearForward(Q.subarray(t * V * H), p('C'), p('W1').subarray(t * E * H), zero, V, E, H);
  }
  const c = new Float32Array(H);
  for (let j = 0; j < H; j++) {
    const s = p('bngain')[j] / Math.sqrt(bnvar[j] + BN_EPS);
    c[j] = s * (p('b1')[j] - bnmean[j]) + p('bnbias')[j];
    for (let r = 0; r < T * V; r++) Q[r * H + j] *= s;
  }
  const h = new Float32Array(CHUNK * H);
  const logits = new Float32Array(CHUNK * V);
  const probs = new Float32Array(CHUNK * V);
  let sum = 0;
  for (let r0 = 0; r0 < n; r0 += CHUNK) {
    const m = Math.min(CHUNK, n - r0);
    for (let b = 0; b < m; b++) {
      for (let j = 0; j < H; j++) {
        let a = c[j];
        for (let t = 0; t < T; t++) a += Q[(t * V + X[(r0 + b) * T + t]) * H + j];
        h[b * H + j] = f32.fastTanh(a);
      }
    }
    f32.linearForward(logits, h, p('W2'), p('b2'), m, H, V);
    sum += f32.crossEntropyForward(probs, logits, Y.subarray(r0, r0 + m), m, V);
  }
  return sum / n;
}

/** The wasm evaluation: parameters and bn statistics copied in, folded, then the split streamed in chunks. */
class WasmEval {
  private readonly k: WasmKernels;
  private readonly p: ReturnType<typeof wasmBlock<ParamName>>;
  private readonly mean: WasmF32;
  private readonly var: WasmF32;
  private readonly Q: WasmF32;
  private readonly c: WasmF32;
  private readonly h: WasmF32;
  private readonly logits: WasmF32;
  private readonly probs: WasmF32;
  private readonly X: WasmI32;
  private readonly Y: WasmI32;

  constructor(readonly cfg: ModelConfig) {
    const { vocabSize: V, nHidden: H, blockSize: T } = cfg;
    const ps = paramShapes(cfg);
    const arena = new Arena(Arena.bytesFor(blockFloats(ps), H, H, T * V * H, H, CHUNK * H, CHUNK * V, CHUNK * V, CHUNK * T, CHUNK));
    this.k = arena.k;
    this.p = wasmBlock(arena, ps);
    this.mean = arena.f32(H);
    this.var = arena.f32(H);
    this.Q = arena.f32(T * V * H);
    this.c = arena.f32(H);
    this.h = arena.f32(CHUNK * H);
    this.logits = arena.f32(CHUNK * V);
    this.probs = arena.f32(CHUNK * V);
    this.X = arena.i32(CHUNK * T);
    this.Y = arena.i32(CHUNK);
  }

  loss(params: Params, bnmean: FloatArray, bnvar: FloatArray, X: Int32Array, Y: Int32Array, n: number): number {
    const { vocabSize: V, nEmbd: E, nHidden: H, blockSize: T } = this.cfg;
    const { k, p } = this;
    p.block.flat.set(params.flat);
    this.mean.data.set(bnmean);
    this.var.data.set(bnvar);
    const pp = p.ptr;
    k.evalFold(this.Q.ptr, this.c.ptr, pp.C, pp.W1, pp.b1, pp.bngain, pp.bnbias, this.mean.ptr, this.var.ptr, V, E, T, H, BN_EPS);
    let sum = 0;
    for (let r0 = 0; r0 < n; r0 += CHUNK) {
      const m = Math.min(CHUNK, n - r0);
      this.X.data.set(X.subarray(r0 * T, (r0 + m) * T));
      this.Y.data.set(Y.subarray(r0, r0 + m));
      sum += k.evalChunk(this.h.ptr, this.logits.ptr, this.probs.ptr, this.Q.ptr, this.c.ptr, pp.W2, pp.b2, this.X.ptr, this.Y.ptr, m, V, T, H);
    }
    return sum / n;
  }
}
