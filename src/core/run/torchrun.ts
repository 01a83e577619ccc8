// A run on PyTorch's generator (`--rng torch`): the lecture's cells, draw for draw. Pure (no I/O).
//
//   g = torch.Generator().manual_seed(2147483647)
//   C  = torch.randn((V, E), generator=g)
//   W1 = torch.randn((E*T, H), generator=g) * (5/3)/((E*T)**0.5)
//   b1 = torch.randn(H, generator=g) * 0.1;  W2 = torch.randn((H, V), generator=g) * 0.1;  b2 = ... * 0.1
//   bngain = torch.randn((1, H))*0.1 + 1.0;  bnbias = torch.randn((1, H))*0.1      <- the GLOBAL generator
//   ix = torch.randint(0, Xtr.shape[0], (batch_size,), generator=g)                 <- every step, after the init
//   g = torch.Generator().manual_seed(2147483647 + 10); torch.multinomial(probs, num_samples=1, generator=g)
//
// Each `tensor * python_float` is a float32 op with the scalar rounded to float32 first, as PyTorch does.
// PyTorch seeds its global generator from the OS in every process, so the lecture's bngain/bnbias cannot be
// reproduced; we draw them from a global generator with a seed of our own (TORCH_GLOBAL_SEED by default).

import { UserError } from '../errors.js';
import type { Inference } from '../fast/evaluate.js';
import { allocParams, type ModelConfig, type Params } from '../reference/model.js';
import type { DType } from '../reference/block.js';
import { multinomial, normal32, randint, TORCH_DEFAULT_SEED, TorchGenerator, type TorchKernel } from '../random/torch.js';

/** The lecture's `torch.Generator().manual_seed(2147483647)`: init, then the batches. */
export const TORCH_LECTURE_SEED = 2147483647;
/** The lecture's sampling cell seeds its generator with 2147483647 + 10: the seed plus this. */
export const TORCH_SAMPLE_OFFSET = 10;
/** Our stand-in for PyTorch's OS-seeded global generator (bngain, bnbias): a fresh torch.Generator()'s seed. */
export const TORCH_GLOBAL_SEED = Number(TORCH_DEFAULT_SEED);

/** The batch generator of a `--rng torch` run: torch.randint(0, n, (B,), generator=g), one draw per row. */
export class TorchBatches {
  constructor(readonly g: TorchGenerator) {}
  randbelow(n: number): number {
    return randint(this.g, 0, n);
  }
  /** the generator's state, so a loop can rewind a failed gradient check's batch */
  getState(): ReturnType<TorchGenerator['getState']> {
    return this.g.getState();
  }
  setState(state: ReturnType<TorchGenerator['getState']>): void {
    this.g.setState(state);
  }
}

const f = Math.fround;

/**
 * The lecture's init on PyTorch's generators: C, W1, b1, W2, b2 from g (in that order), bngain and bnbias
 * from `global`. Values are float32 as in the lecture; a float64 run gets them cast exactly.
 */
export function initParamsTorch(
  cfg: ModelConfig, dtype: DType, g: TorchGenerator, global: TorchGenerator, kernel: TorchKernel = 'avx2',
): Params {
  const p = allocParams(cfg, dtype);
  const { nEmbd: E, blockSize: T } = cfg;
  const randn = (gen: TorchGenerator, n: number): Float32Array => normal32(gen, new Float32Array(n), 0, 1, { kernel });
  const put = (dst: Float32Array | Float64Array, src: Float32Array, map: (x: number) => number): void => {
    for (let i = 0; i < src.length; i++) dst[i] = map(src[i]);
  };
  const k1 = f(5 / 3);
  const k2 = f((E * T) ** 0.5);
  const tenth = f(0.1);
  put(p.C.data, randn(g, p.C.data.length), (x) => x);
  put(p.W1.data, randn(g, p.W1.data.length), (x) => f(f(x * k1) / k2));
  put(p.b1.data, randn(g, p.b1.data.length), (x) => f(x * tenth));
  put(p.W2.data, randn(g, p.W2.data.length), (x) => f(x * tenth));
  put(p.b2.data, randn(g, p.b2.data.length), (x) => f(x * tenth));
  put(p.bngain.data, randn(global, p.bngain.data.length), (x) => f(f(x * tenth) + 1));
  put(p.bnbias.data, randn(global, p.bnbias.data.length), (x) => f(x * tenth));
  return p;
}

/**
 * Advances g past the lecture's init draws for this config (C, W1, b1, W2, b2), without keeping them: a run
 * that starts from a file (train --init-from, grads) then draws the batches the lecture would draw next.
 */
export function skipInitDraws(cfg: ModelConfig, g: TorchGenerator, kernel: TorchKernel = 'avx2'): void {
  const { vocabSize: V, nEmbd: E, nHidden: H, blockSize: T } = cfg;
  for (const n of [V * E, E * T * H, H, H * V, V]) normal32(g, new Float32Array(n), 0, 1, { kernel });
}

export interface TorchSampleOptions {
  temperature?: number;
  topK?: number;
  maxLength?: number;
}

/**
 * The lecture's sampling cell: probs = softmax(logits) in float32, ix = torch.multinomial(probs, 1,
 * generator=g) (exponential draws and an argmax in 1.13), slide the context, stop at '.'. Temperature and
 * top-k, if given, act on the logits first (logits / temperature; the others' probabilities set to 0).
 */
export function sampleNameTorch(model: Inference, itos: readonly string[], g: TorchGenerator, opts: TorchSampleOptions = {}): string {
  const { vocabSize: V, blockSize: T } = model.cfg;
  const temperature = opts.temperature ?? 1;
  const topK = Math.min(opts.topK ?? V, V);
  const maxLength = opts.maxLength ?? 64;
  if (!(temperature > 0) || !Number.isFinite(temperature)) throw new UserError(`temperature must be a number > 0, got ${temperature}`);
  if (!Number.isInteger(topK) || topK < 1) throw new UserError(`top-k must be an integer >= 1, got ${opts.topK}`);
  const context = new Int32Array(T);
  const probs = new Float32Array(V);
  const order = Array.from({ length: V }, (_, i) => i);
  const out: string[] = [];
  while (out.length < maxLength) {
    const logits = model.forward(context, 1);
    let m = -Infinity;
    for (let j = 0; j < V; j++) m = Math.max(m, f(logits[j] / temperature));
    let cutoff = -Infinity;
    if (topK < V) {
      order.sort((a, b) => logits[b] - logits[a] || a - b);
      cutoff = logits[order[topK - 1]];
    }
    // F.softmax in float32: exp(x - max) / sum
    let s = 0;
    for (let j = 0; j < V; j++) {
      probs[j] = logits[j] >= cutoff ? f(Math.exp(f(f(logits[j] / temperature) - m))) : 0;
      s += probs[j];
    }
    const sf = f(s);
    for (let j = 0; j < V; j++) probs[j] = f(probs[j] / sf);
    if (!(sf > 0) || !Number.isFinite(sf)) {
      throw new UserError(`the model's probabilities are not finite (softmax sum ${sf}): its parameters hold NaN or inf, so it cannot be sampled`);
    }
    const ix = multinomial(g, probs, V, 1, false)[0];
    if (ix === 0) break;
    out.push(itos[ix]);
    context.copyWithin(0, 1);
    context[T - 1] = ix;
  }
  return out.join('');
}

export function sampleNamesTorch(model: Inference, itos: readonly string[], g: TorchGenerator, n: number, opts: TorchSampleOptions = {}): string[] {
  const names: string[] = [];
  for (let i = 0; i < n; i++) names.push(sampleNameTorch(model, itos, g, opts));
  return names;
}
