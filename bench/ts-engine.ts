// The bench's 'ts' baseline: the training step and the folded evaluation on the tuned TypeScript kernels of
// fast32.ts. It was the product's fallback engine until it left; WebAssembly SIMD now runs wherever the product
// does (docs/speed.md), so it lives here, timed beside wasm and PyTorch to show what tuned TypeScript gets.

import { BN_EPS, allocParams, validateBatchSize, validateConfig, type ModelConfig, type ParamName, type Params } from '../src/core/reference/model.js';
import { makeBlock, type Block, type FloatArray } from '../src/core/reference/block.js';
import { EVAL_CHUNK_ROWS } from '../src/core/fast/evaluate.js';
import { fusedActShapes, fusedGradShapes, type FusedAct, type FusedGrad, type Step } from '../src/core/fast/engines.js';
import * as f32 from './fast32.js';

/** The float32 step on fast32's kernels, with the Trainer's surface the bench uses. */
export class TsTrainer implements Step {
  readonly engine = 'ts';
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
    validateConfig(cfg);
    validateBatchSize(B);
    this.params = params ?? allocParams(cfg, 'float32');
    this.grads = allocParams(cfg, 'float32');
    this.acts = makeBlock(fusedActShapes(cfg, B), 'float32');
    this.dacts = makeBlock(fusedGradShapes(cfg, B), 'float32');
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
    return f32.crossEntropyForwardSum(this.a('probs'), this.a('logits'), this.Y, B, V) / B;
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

  step(lr: number): number {
    const loss = this.forward();
    this.backward();
    this.update(lr);
    return loss;
  }
}

/**
 * The folded evaluation in TypeScript, float32: hpreact[b] = c + sum_t Q[t, X[b, t]] with Q the (T, V, H)
 * fold of C, W1 and the batchnorm scale, then fastTanh, the register-tiled linear and the cross-entropy.
 */
export function evalLossTs(
  params: Params, bnmean: FloatArray, bnvar: FloatArray, X: Int32Array, Y: Int32Array, n: number, cfg: ModelConfig,
): number {
  const { vocabSize: V, nEmbd: E, nHidden: H, blockSize: T } = cfg;
  const CH = EVAL_CHUNK_ROWS;
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
  const h = new Float32Array(CH * H);
  const logits = new Float32Array(CH * V);
  const probs = new Float32Array(CH * V);
  let sum = 0;
  for (let r0 = 0; r0 < n; r0 += CH) {
    const m = Math.min(CH, n - r0);
    for (let b = 0; b < m; b++) {
      for (let j = 0; j < H; j++) {
        let a = c[j];
        for (let t = 0; t < T; t++) a += Q[(t * V + X[(r0 + b) * T + t]) * H + j];
        h[b * H + j] = f32.fastTanh(a);
      }
    }
    f32.linearForward(logits, h, p('W2'), p('b2'), m, H, V);
    sum += f32.crossEntropyForwardSum(probs, logits, Y.subarray(r0, r0 + m), m, V);
  }
  return sum / n;
}
