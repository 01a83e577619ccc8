// The `_bpn_numpy` JS module the Python `numpy` package calls: numpy 1.24's legacy RandomState streams
// (core/random/numpy.ts, by generator id, for python/numpy/random/) and its float summation order
// (core/numpy/summation.ts, for np.sum/mean/var/std). Each call draws a whole array in TypeScript
// and returns it as a Float64Array (Python reads it with .to_py().tolist()): one boundary crossing per
// numpy call, not per value. Arguments are validated on the Python side, which raises numpy's errors.

import { reduceSum } from '../core/numpy/summation.js';
import { NumpyRandomState } from '../core/random/numpy.js';

/** A Python buffer as Pyodide hands it to JS: getBuffer() gives a typed-array view (release it after). */
interface PyBufferProxy {
  getBuffer(): { data: ArrayLike<number> & { length: number }; release(): void };
}

/** 623 words of OS entropy, as numpy seeds a RandomState made without a seed. */
function entropyWords(): Uint32Array {
  const w = new Uint32Array(623);
  crypto.getRandomValues(w);
  return w;
}

export function createNumpyBridge(): Record<string, unknown> {
  const states = new Map<number, NumpyRandomState>();
  let next = 1;
  const get = (id: number): NumpyRandomState => {
    const s = states.get(id);
    if (s === undefined) throw new Error(`numpy bridge: no generator ${id}`);
    return s;
  };
  return {
    /** a new generator seeded from OS entropy; its id */
    newState: (): number => {
      const s = new NumpyRandomState();
      s.seedFromWords(entropyWords());
      states.set(next, s);
      return next++;
    },
    freeState: (id: number): void => void states.delete(id),
    seed: (id: number, n: number): void => get(id).seed(n),
    seedArray: (id: number, buf: PyBufferProxy): void => {
      const b = buf.getBuffer();
      try {
        get(id).seedByArray(b.data);
      } finally {
        b.release();
      }
    },
    seedEntropy: (id: number): void => get(id).seedFromWords(entropyWords()),
    random: (id: number, n: number): Float64Array => get(id).fillDouble(new Float64Array(n)),
    normal: (id: number, n: number, loc: number, scale: number): Float64Array => get(id).fillNormal(new Float64Array(n), loc, scale),
    uniform: (id: number, n: number, low: number, range: number): Float64Array =>
      get(id).fillUniform(new Float64Array(n), low, range),
    bounded: (id: number, n: number, off: number, rng: number): Float64Array => get(id).fillBounded(new Float64Array(n), off, rng),
    boundedNarrow: (id: number, n: number, off: number, rng: number, bits: 1 | 8 | 16): Float64Array =>
      get(id).fillBoundedNarrow(new Float64Array(n), off, rng, bits),
    interval: (id: number, max: number): number => get(id).interval(max),
    permutation: (id: number, n: number): Float64Array => get(id).shufflePermutation(n),
    /** float sums in numpy's order over an array's values (C order, axes permuted: see summation.ts) */
    reduceSum: (buf: PyBufferProxy, nKept: number, nOuter: number, nTrail: number, trailing: boolean, f32: boolean): Float64Array => {
      const b = buf.getBuffer();
      try {
        return reduceSum(b.data, nKept, nOuter, nTrail, trailing, f32);
      } finally {
        b.release();
      }
    },
    /** JSON {key, pos, hasGauss, gauss} */
    getState: (id: number): string => JSON.stringify(get(id).getState()),
    setState: (id: number, json: string): void => get(id).setState(JSON.parse(json) as ReturnType<NumpyRandomState['getState']>),
  };
}
