// torch.Generator for the library: PyTorch's CPU generator (random/torch.ts) as a RandomSource, so
// torch.randn / rand / randint / randperm / multinomial draw PyTorch's very streams.

import {
  TorchGenerator, multinomial as torchMultinomial, normal32, normal64, randint as torchRandint, randperm as torchRandperm,
  uniform32, uniform64, type TorchKernel,
} from '../random/torch.js';
import type { RandomSource } from './factory.js';
import { TorchError } from './errors.js';
import { topkIndices } from './kernels/sort.js';

/** A RandomSource drawing from g, with PyTorch's AVX2 kernels (the default) or its scalar build's. */
export function torchRandomSource(g: TorchGenerator = new TorchGenerator(), kernel: TorchKernel = 'avx2'): RandomSource & { readonly generator: TorchGenerator } {
  return {
    generator: g,
    normal(out, mean, std) {
      if (out instanceof Float32Array) normal32(g, out, mean, std, { kernel });
      else normal64(g, out, mean, std);
    },
    uniform(out, from, to) {
      if (out instanceof Float32Array) uniform32(g, out, from, to, { kernel });
      else uniform64(g, out, from, to, { kernel });
    },
    randint(out, low, high) {
      for (let i = 0; i < out.length; i++) out[i] = torchRandint(g, low, high);
    },
    randperm(out) {
      torchRandperm(g, out);
    },
    multinomial(probs, cols, numSamples, replacement) {
      try {
        return torchMultinomial(g, probs, cols, numSamples, replacement, topkIndices);
      } catch (e) {
        // random/torch.ts says RangeError('multinomial: ...'); torch raises RuntimeError('...')
        throw e instanceof RangeError ? new TorchError(e.message.replace(/^multinomial: /, '')) : e;
      }
    },
  };
}
