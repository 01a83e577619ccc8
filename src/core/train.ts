// The training step on the fused path: forward, exercises 2 and 3 for the backward, SGD. Everything lives
// in blocks allocated once in the constructor; step() allocates nothing. The autograd never runs here.

import {
  batchnormBackward, batchnormForward, crossEntropyBackward, crossEntropyForward, embeddingBackward,
  embeddingForward, linearBackward, linearForward, tanhBackward, tanhForward,
} from './ops.js';
import { BN_EPS, allocParams, validateConfig, type ModelConfig, type Params } from './model.js';
import { makeBlock, type Block, type DType, type FloatArray } from './tensor.js';

type FusedAct = 'embcat' | 'hprebn' | 'bnraw' | 'bnmean' | 'bnvar' | 'bnvarInv' | 'hpreact' | 'h' | 'logits' | 'probs';
type FusedGrad = 'dembcat' | 'dhprebn' | 'dhpreact' | 'dh' | 'dlogits';

export class Trainer {
  readonly params: Params;
  /** d loss / d param, same layout as params (grads.flat lines up with params.flat) */
  readonly grads: Params;
  readonly acts: Block<FusedAct>;
  readonly dacts: Block<FusedGrad>;
  /** the batch: fill these, then call step() */
  readonly X: Int32Array;
  readonly Y: Int32Array;

  constructor(readonly cfg: ModelConfig, readonly B: number, dtype: DType = 'float32', params?: Params) {
    validateConfig(cfg);
    if (!Number.isInteger(B) || B < 2) throw new RangeError(`batch size must be >= 2 (batchnorm divides by n-1), got ${B}`);
    const { vocabSize: V, nEmbd: E, nHidden: H, blockSize: T } = cfg;
    this.params = params ?? allocParams(cfg, dtype);
    this.grads = allocParams(cfg, dtype);
    this.acts = makeBlock({
      embcat: [B, T * E], hprebn: [B, H], bnraw: [B, H], bnmean: [H], bnvar: [H], bnvarInv: [H], hpreact: [B, H],
      h: [B, H], logits: [B, V], probs: [B, V],
    }, dtype);
    this.dacts = makeBlock({ dembcat: [B, T * E], dhprebn: [B, H], dhpreact: [B, H], dh: [B, H], dlogits: [B, V] }, dtype);
    this.X = new Int32Array(B * T);
    this.Y = new Int32Array(B);
  }

  /** The forward pass on (X, Y) with batch statistics; returns the mean cross-entropy. */
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

  /** The backward pass of the last forward(): zeroes grads, then accumulates them. */
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

  /** SGD: p -= lr * grad, over the one flat buffer. */
  update(lr: number): void {
    sgdUpdate(this.params.flat, this.grads.flat, lr);
  }

  /** forward + backward + update on the batch in X, Y; returns the loss before the update. */
  step(lr: number): number {
    const loss = this.forward();
    this.backward();
    this.update(lr);
    return loss;
  }
}

export function sgdUpdate(p: FloatArray, g: FloatArray, lr: number): void {
  for (let i = 0; i < p.length; i++) p[i] -= lr * g[i];
}

export { BN_EPS };
