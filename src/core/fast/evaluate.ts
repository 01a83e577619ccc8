// The evaluation forward (inference mode: batchnorm uses given statistics bnmean, bnvar instead of the
// batch's) over a whole split, returning the mean cross-entropy. One interface, SplitEvaluator, with one
// implementation per engine, as the training step has (engines.ts, which also chooses the engine):
//   'wasm' (float32) folds the embedding, W1, b1 and the batchnorm into one (T, V, H) table (evalFold in
//          assembly/kernels.ts), so a row's hidden layer is T vector adds and a tanh;
//   'ref'  (any dtype) runs Inference, the plain ops of reference/ops.ts, chunk by chunk.
// The batchnorm calibration (the lecture's bnmean/bnvar over the training split) is run/infer.ts's.

import type { Split } from '../reference/data.js';
import { UserError } from '../errors.js';
import { BN_EPS, validateConfig, type ModelConfig, type ParamName, type Params } from '../reference/model.js';
import { crossEntropyForward, embeddingForward, linearForward, tanhForward } from '../reference/ops.js';
import { allocFloat, dtypeOf, type FloatArray } from '../reference/block.js';
import { resolveEngine, type Engine } from './engines.js';
import { Arena, type WasmF32, type WasmI32, type WasmKernels } from '../wasm/module.js';
import { blockFloats, wasmBlock } from '../wasm/block.js';
import { paramShapes } from '../reference/model.js';

export interface EvalOptions {
  /** 'wasm' (float32 only) or 'ref'. Default: resolveEngine(dtype of params) */
  readonly engine?: Engine;
}

/** Rows per evaluation chunk: a chunk's hidden activations (EVAL_CHUNK_ROWS x H floats) stay in L2. */
export const EVAL_CHUNK_ROWS = 256;

function checkSplit(X: Int32Array, Y: Int32Array, n: number, cfg: ModelConfig): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`evalLoss: need at least one row, got n = ${n}`);
  if (X.length < n * cfg.blockSize || Y.length < n) {
    throw new RangeError(`evalLoss: X holds ${X.length / cfg.blockSize} rows and Y ${Y.length}, asked for ${n}`);
  }
}

/** One engine's evaluation forward: the mean cross-entropy of rows [0, n) of a split. */
export interface SplitEvaluator {
  readonly engine: Engine;
  loss(params: Params, stats: BnStats, X: Int32Array, Y: Int32Array, n: number): number;
}

/**
 * Mean cross-entropy over rows [0, n) of a split (X (n, T) token ids, Y (n) targets), with batchnorm in
 * inference mode: hpreact = bngain * (hprebn - bnmean) / sqrt(bnvar + eps) + bnbias, bnmean and bnvar (H)
 * given (e.g. from calibrateBatchnorm, or running estimates). n defaults to Y.length. Allocates its scratch
 * once per call (use an Evaluator to reuse it).
 */
export function evalLoss(
  params: Params, bnmean: FloatArray, bnvar: FloatArray, X: Int32Array, Y: Int32Array, cfg: ModelConfig,
  n: number = Y.length, opts: EvalOptions = {},
): number {
  return new Evaluator(cfg, opts.engine).loss(params, bnmean, bnvar, X, Y, n);
}

/**
 * Evaluations with one config, each on the engine resolveEngine picks for the params' dtype (float64
 * always runs 'ref'); each engine's scratch (for 'wasm', its instance) is made once and reused.
 */
export class Evaluator {
  private readonly made = new Map<Engine, SplitEvaluator>();

  constructor(readonly cfg: ModelConfig, private readonly asked?: Engine) {
    validateConfig(cfg);
  }

  /** The engine that evaluates params of this dtype. */
  engineFor(params: Params): Engine {
    const dtype = dtypeOf(params.flat);
    return dtype === 'float32' ? resolveEngine(dtype, this.asked) : 'ref';
  }

  /** See evalLoss. */
  loss(params: Params, bnmean: FloatArray, bnvar: FloatArray, X: Int32Array, Y: Int32Array, n: number = Y.length): number {
    checkSplit(X, Y, n, this.cfg);
    const engine = this.engineFor(params);
    let ev = this.made.get(engine);
    if (ev === undefined) {
      ev = engine === 'wasm' ? new WasmEval(this.cfg) : new RefEval(this.cfg);
      this.made.set(engine, ev);
    }
    return ev.loss(params, { bnmean, bnvar }, X, Y, n);
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

  constructor(readonly p: Params, readonly cfg: ModelConfig, readonly stats: BnStats, readonly maxB = EVAL_CHUNK_ROWS) {
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
   * the engine the Evaluator resolves (wasm for float32 where it compiles, the plain ops otherwise).
   */
  splitLoss(split: Split): number {
    if (split.n === 0) return NaN;
    this.evaluator ??= new Evaluator(this.cfg);
    return this.evaluator.loss(this.p, this.stats.bnmean, this.stats.bnvar, split.X, split.Y, split.n);
  }
}

/** The plain evaluation forward ('ref', any dtype): Inference (the ops of ops.ts), EVAL_CHUNK_ROWS at a time. */
class RefEval implements SplitEvaluator {
  readonly engine = 'ref';
  constructor(readonly cfg: ModelConfig) {}

  loss(params: Params, stats: BnStats, X: Int32Array, Y: Int32Array, n: number): number {
    const { vocabSize: V, blockSize: T } = this.cfg;
    const model = new Inference(params, this.cfg, stats, EVAL_CHUNK_ROWS);
    const probs = allocFloat(dtypeOf(params.flat), EVAL_CHUNK_ROWS * V);
    let sum = 0;
    for (let r0 = 0; r0 < n; r0 += EVAL_CHUNK_ROWS) {
      const m = Math.min(EVAL_CHUNK_ROWS, n - r0);
      const logits = model.forward(X.subarray(r0 * T, (r0 + m) * T), m);
      // ops.crossEntropyForward returns the chunk's mean; weight it by the chunk's rows
      sum += crossEntropyForward(probs, logits, Y.subarray(r0, r0 + m), m, V) * m;
    }
    return sum / n;
  }
}

/** evalLoss on the 'ref' engine: the judge of the folded wasm evaluation. */
export function evalLossRef(
  params: Params, bnmean: FloatArray, bnvar: FloatArray, X: Int32Array, Y: Int32Array, n: number, cfg: ModelConfig,
): number {
  checkSplit(X, Y, n, cfg);
  return new RefEval(cfg).loss(params, { bnmean, bnvar }, X, Y, n);
}

/** The wasm evaluation: parameters and bn statistics copied in, folded, then the split streamed in chunks. */
class WasmEval implements SplitEvaluator {
  readonly engine = 'wasm';
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
    const arena = new Arena(Arena.bytesFor(blockFloats(ps), H, H, T * V * H, H, EVAL_CHUNK_ROWS * H, EVAL_CHUNK_ROWS * V, EVAL_CHUNK_ROWS * V, EVAL_CHUNK_ROWS * T, EVAL_CHUNK_ROWS));
    this.k = arena.k;
    this.p = wasmBlock(arena, ps);
    this.mean = arena.f32(H);
    this.var = arena.f32(H);
    this.Q = arena.f32(T * V * H);
    this.c = arena.f32(H);
    this.h = arena.f32(EVAL_CHUNK_ROWS * H);
    this.logits = arena.f32(EVAL_CHUNK_ROWS * V);
    this.probs = arena.f32(EVAL_CHUNK_ROWS * V);
    this.X = arena.i32(EVAL_CHUNK_ROWS * T);
    this.Y = arena.i32(EVAL_CHUNK_ROWS);
  }

  loss(params: Params, stats: BnStats, X: Int32Array, Y: Int32Array, n: number): number {
    const { vocabSize: V, nEmbd: E, nHidden: H, blockSize: T } = this.cfg;
    const { k, p } = this;
    p.block.flat.set(params.flat);
    this.mean.data.set(stats.bnmean);
    this.var.data.set(stats.bnvar);
    const pp = p.ptr;
    k.evalFold(this.Q.ptr, this.c.ptr, pp.C, pp.W1, pp.b1, pp.bngain, pp.bnbias, this.mean.ptr, this.var.ptr, V, E, T, H, BN_EPS);
    let sum = 0;
    for (let r0 = 0; r0 < n; r0 += EVAL_CHUNK_ROWS) {
      const m = Math.min(EVAL_CHUNK_ROWS, n - r0);
      this.X.data.set(X.subarray(r0 * T, (r0 + m) * T));
      this.Y.data.set(Y.subarray(r0, r0 + m));
      sum += k.evalChunk(this.h.ptr, this.logits.ptr, this.probs.ptr, this.Q.ptr, this.c.ptr, pp.W2, pp.b2, this.X.ptr, this.Y.ptr, m, V, T, H);
    }
    return sum / n;
  }
}
