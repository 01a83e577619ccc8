// The `_bpn_torch` module the Python `torch` shim (python/torch/__init__.py) imports: the tensor library's
// handle surface (core/torch/handles.ts) listed here by name, each export run in a lifetime scope, plus
// what only the binding knows: the generators (PyTorch's CPU streams, core/random/torch.ts), the print
// options, safetensors bytes, the register buffer of the hot calls.
//
// Errors are translated once, here: every export catches what the library throws and raises the Python
// exception PyTorch raises, through a raiser the shim binds at import (`bindRaiser`): a Python function
// that raises, called from JavaScript, propagates back into the calling Python frame as that exception
// (RuntimeError, IndexError...), so the shim needs no try/except around its calls.
//
// Pyodide converts ints, floats, strs, bools and None at the boundary, but passes lists and tuples as
// proxies (slow, and they must be destroyed). So every shape, dims list and index spec arrives as trailing
// varargs of numbers, and bulk values as a Python buffer (array('d') -> Float64Array, zero copy).

import { TorchError } from '../core/torch/errors.js';
import { DTYPE_NAMES, type DType, type ScalarKind } from '../core/torch/dtype.js';
import type { IndexItem } from '../core/torch/inplace.js';
import * as H from '../core/torch/handles.js';
import { closeScope, openScope } from '../core/torch/tensor.js';
import { broadcastShapes } from '../core/torch/kernels/pointwise.js';
import { torchRandomSource } from '../core/torch/generator.js';
import { DEFAULT_PRINT_OPTIONS, setPrintOptions, type ResolvedPrintOptions, type SetPrintOptionsArgs } from '../core/torch/format.js';
import { TORCH_DEFAULT_SEED, TorchGenerator, type TorchKernel } from '../core/random/torch.js';
import { decodeSafetensors, encodeSafetensors, stTensor, type StTensor } from '../core/run/safetensors.js';
import { UserError } from '../core/errors.js';
import type { Reduction } from '../core/torch/kernels/softmax.js';

/** A Python buffer as Pyodide hands it to JS: getBuffer() gives a typed-array view (release it after). */
interface PyBufferProxy {
  getBuffer(): { data: ArrayLike<number> & { length: number }; release(): void };
  destroy(): void;
}

export interface BindingOptions {
  /** the float32 normal/uniform kernel: PyTorch's AVX2 one (x86-64 builds, the default) or its scalar one */
  kernel?: TorchKernel;
  /** the default generator's seed; PyTorch seeds it from the OS in every process, and so do we */
  seed?: bigint;
}

/** A uint64 seed from the OS, as PyTorch's default generator gets one. */
function osSeed(): bigint {
  const w = new Uint32Array(2);
  crypto.getRandomValues(w);
  return (BigInt(w[0]) << 32n) | BigInt(w[1]);
}

/** A Python int, passed as a number when it is safe, else as its decimal string. */
function toBig(x: number | string): bigint {
  if (typeof x === 'number' && !Number.isSafeInteger(x)) throw new TorchError(`expected an integer, got ${x}`, 'TypeError');
  return BigInt(x);
}

const kindOf = (code: number): ScalarKind => ((code & 2) !== 0 ? 'int' : 'float');
const intItem = (i: number): IndexItem => ({ kind: 'int', i });
const tensorItem = (h: number): IndexItem => ({ kind: 'tensor', t: H.get(h) });

type Raiser = (pyType: string, message: string) => never;

export function createTorchBinding(opts: BindingOptions = {}): Record<string, unknown> {
  const kernel = opts.kernel ?? 'avx2';
  // by the id the tensor library's generator table gave (that table is shared by every binding in the process)
  const gens = new Map<number, TorchGenerator>();
  const newGenerator = (seed: bigint): number => {
    const g = new TorchGenerator(seed);
    const id = H.registerGenerator(torchRandomSource(g, kernel));
    gens.set(id, g);
    return id;
  };
  const defaultGen = newGenerator(opts.seed ?? osSeed());
  const genOf = (id: number): TorchGenerator => {
    const g = gens.get(id);
    if (g === undefined) throw new TorchError(`generator ${id} is not registered`);
    return g;
  };
  const gid = (g: number): number => (g < 0 ? defaultGen : g);
  let printOptions: ResolvedPrintOptions = { ...DEFAULT_PRINT_OPTIONS };

  // The register calls: the shim's hottest calls (x[i, j], x[t], x[t] = v, a op b, a op= b for tensors)
  // write their numbers into a Python array('d') of 8 (`_R`, read here in place through its buffer) and
  // call with no arguments: converting an argument at the boundary costs about as much as the JS work of
  // such an op. The view is taken again when Pyodide's memory grows (the old one then reads as empty).
  let regsProxy: PyBufferProxy | null = null;
  let regsBuf: { data: ArrayLike<number>; release(): void } | null = null;
  let regs: Float64Array = new Float64Array(0);
  const R = (): Float64Array => {
    if (regs.length !== 0) return regs;
    if (regsProxy === null) throw new TorchError('the register buffer is not bound (bindRegisters)');
    regsBuf?.release();
    regsBuf = regsProxy.getBuffer();
    if (!(regsBuf.data instanceof Float64Array) || regsBuf.data.length < 8) throw new TorchError('the register buffer must be an array of 8 doubles');
    regs = regsBuf.data;
    return regs;
  };

  let raiser: Raiser | null = null;
  /** What the library threw, raised as the Python exception PyTorch raises. */
  const translate = (e: unknown): never => {
    if (raiser === null) throw e;
    if (e instanceof TorchError) raiser(e.pyType, e.message);
    if (e instanceof RangeError && /memory|allocation/i.test(e.message)) raiser('RuntimeError', `DefaultCPUAllocator: not enough memory: ${e.message}`);
    if (e instanceof Error && e.constructor.name === 'PythonError') throw e; // a Python exception passing through
    raiser('RuntimeError', `internal error in backprop-ninja's torch (a bug: please report it): ${e instanceof Error ? e.message : String(e)}`);
    throw e;
  };

  // -- the exports, by name: the library's surface (core/torch/handles.ts) the shim calls
  const surface = {
    // handles
    freeBuffer: (buf: PyBufferProxy): void => {
      const b = buf.getBuffer();
      try {
        const hs = b.data;
        for (let i = 0; i < hs.length; i++) H.free(hs[i]);
      } finally {
        b.release();
        buf.destroy();
      }
    },
    // metadata
    shape: H.shape, dtype: H.dtype, ndim: H.ndim, numel: H.numel, requiresGrad: H.requiresGrad, isLeaf: H.isLeaf,
    retainsGrad: H.retainsGrad, gradFn: H.gradFn, isContiguous: H.isContiguous, strides: H.strides,
    storageOffset: H.storageOffset, dataPtr: H.dataPtr, version: H.version,
    // the hot paths by number: a op x, a op= x (op * 4 + (int ? 2 : 0) + (reversed ? 1 : 0))
    binS: (code: number, a: number, x: number): number => H.binaryScalar(code >> 2, a, x, kindOf(code), (code & 1) !== 0),
    binSI: (code: number, a: number, x: number): number => H.binaryScalarInplace(code >> 2, a, x, kindOf(code)),
    // [h, i, j] -> x[i, j];  [h, t] -> x[t];  [h, v, t]: x[t] = v;  [op, a, b] -> a op b;  [op, a, b]: a op= b
    rGetII: (): number => {
      const r = R();
      return H.getitemItems(r[0], [intItem(r[1]), intItem(r[2])]);
    },
    rGetT: (): number => {
      const r = R();
      return H.getitemItems(r[0], [tensorItem(r[1])]);
    },
    rSetT: (): void => {
      const r = R();
      H.setitemItems(r[0], [tensorItem(r[2])], r[1]);
    },
    rBin: (): number => {
      const r = R();
      return H.binary(r[0], r[1], r[2]);
    },
    rBinI: (): number => {
      const r = R();
      return H.binaryInplace(r[0], r[1], r[2]);
    },
    // x[i], x[i, j] (ints past 2**53, which the registers would round), x[i] = v with a tensor v
    getI: (h: number, i: number): number => H.getitemItems(h, [intItem(i)]),
    getII: (h: number, i: number, j: number): number => H.getitemItems(h, [intItem(i), intItem(j)]),
    setI: (h: number, v: number, i: number): void => H.setitemItems(h, [intItem(i)], v),
    // arithmetic by op code
    binary: H.binary, binaryScalar: H.binaryScalar, binaryInplace: H.binaryInplace,
    binaryScalarInplace: H.binaryScalarInplace, unary: H.unary, unaryInplace: H.unaryInplace, clamp: H.clamp,
    clampInplace: H.clampInplace, where: H.where, maskedFill: H.maskedFill, maskedFillInplace: H.maskedFillInplace,
    matmul: H.matmul, bmm: H.bmm,
    einsum: (equation: string, ...hs: number[]): number => H.einsum(equation, hs),
    histogram: H.histogram, histc: H.histc, addmm: H.addmm, embedding: H.embedding, batchNorm: H.batchNorm,
    layerNorm: H.layerNorm,
    // creation; shapes as trailing varargs
    fromBuffer: (buf: PyBufferProxy, dt: DType, ...shape: number[]): number => {
      const b = buf.getBuffer();
      try {
        return H.fromValues(b.data, shape, dt);
      } finally {
        b.release();
        buf.destroy();
      }
    },
    full: (value: number, dt: DType, ...shape: number[]): number => H.full(shape, value, dt),
    fullLike: H.fullLike, arange: H.arange, eye: H.eye, linspace: H.linspace,
    randn: (dt: DType, g: number, ...shape: number[]): number => H.randn(shape, dt, gid(g)),
    rand: (dt: DType, g: number, ...shape: number[]): number => H.rand(shape, dt, gid(g)),
    randint: (low: number, high: number, dt: DType, g: number, ...shape: number[]): number => H.randint(low, high, shape, dt, gid(g)),
    multinomial: (h: number, n: number, replacement: boolean, g: number): number => H.multinomial(h, n, replacement, gid(g)),
    randperm: (n: number, dt: DType, g: number): number => H.randperm(n, dt, gid(g)),
    randomFill: (h: number, kind: 'normal' | 'uniform', a: number, b: number, g: number): number => H.randomFill(h, kind, a, b, gid(g)),
    // generators: torch.Generator(), manual_seed, initial_seed; id -1 is the default generator
    newGenerator: (): number => newGenerator(TORCH_DEFAULT_SEED),
    manualSeed: (id: number, seed: number | string): number => {
      genOf(gid(id)).manualSeed(toBig(seed));
      return id;
    },
    initialSeed: (id: number): string => genOf(gid(id)).initialSeed().toString(),
    getState: (id: number): string => JSON.stringify(genOf(gid(id)).getState()),
    setState: (id: number, json: string): void => genOf(gid(id)).setState(JSON.parse(json)),
    // shapes and views
    /** ATen's infer_size of two shapes, the first na numbers and the rest (or its error) */
    inferSize: (na: number, ...ab: number[]): number[] => broadcastShapes(ab.slice(0, na), ab.slice(na)),
    view: (h: number, ...shape: number[]): number => H.view(h, shape),
    reshape: (h: number, ...shape: number[]): number => H.reshape(h, shape),
    permute: (h: number, ...dims: number[]): number => H.permute(h, dims),
    expand: (h: number, ...shape: number[]): number => H.expand(h, shape),
    cat: (dim: number, ...hs: number[]): number => H.cat(hs, dim),
    stack: (dim: number, ...hs: number[]): number => H.stack(hs, dim),
    split: (h: number, dim: number, ...sizes: number[]): number[] => H.split(h, sizes.length === 1 ? sizes[0] : sizes, dim),
    tensorSplit: (h: number, dim: number, ...sections: number[]): number[] => H.tensorSplit(h, sections.length === 1 ? sections[0] : sections, dim),
    transpose: H.transpose, t: H.t, T: H.T, squeeze: H.squeeze, unsqueeze: H.unsqueeze, select: H.select,
    contiguous: H.contiguous, clone: H.clone, detach: H.detach, data: H.data, setData: H.setData, to: H.to,
    triangle: H.triangle,
    flip: (h: number, ...dims: number[]): number => H.flip(h, dims),
    /** shifts then dims, n of each */
    roll: (h: number, n: number, ...sd: number[]): number => H.roll(h, sd.slice(0, n), sd.slice(n)),
    repeat: (h: number, ...sizes: number[]): number => H.repeat(h, sizes),
    // reductions: dims as varargs; none given means all
    reduce: (op: H.ReduceOp, h: number, keepdim: boolean, correction: number, ...dims: number[]): number =>
      H.reduce(op, h, dims.length === 0 ? null : dims, keepdim, correction),
    maxDim: H.maxDim, sort: H.sort, argsort: H.argsort, topk: H.topk, unique: H.unique, bincount: H.bincount,
    cumulative: (op: 'cumsum' | 'cumprod', h: number, dim: number, dt: DType | null): number => H.cumulative(op, h, dim, dt ?? null),
    logsumexp: (h: number, keepdim: boolean, ...dims: number[]): number => H.logsumexp(h, dims, keepdim),
    /** dims as varargs; none given means all */
    norm: (h: number, p: number, keepdim: boolean, ...dims: number[]): number => H.norm(h, p, dims.length === 0 ? null : dims, keepdim),
    // indexing: the flat spec of handles.ts as varargs
    getitem: (h: number, ...spec: number[]): number => H.getitem(h, spec),
    setitem: (h: number, v: number, ...spec: number[]): void => H.setitem(h, spec, v),
    setitemScalar: (h: number, x: number, ...spec: number[]): void => H.setitemScalar(h, spec, x),
    copy_: H.copy_, indexAdd_: H.indexAdd_, fill_: H.fill_, zero_: H.zero_,
    // values
    item: H.item, values: H.values, allclose: H.allclose, isclose: H.isclose, equal: H.equal,
    // autograd
    setRequiresGrad: H.setRequiresGrad, retainGrad: H.retainGrad, backward: H.backward, grad: H.grad,
    setGradOf: H.setGradOf, setGradEnabled: H.setGradEnabled, isGradEnabled: H.isGradEnabled,
    // torch.nn.functional
    softmax: H.softmax, logSoftmax: H.logSoftmax,
    crossEntropy: (h: number, target: number, reduction: Reduction, ignoreIndex: number): number => H.crossEntropy(h, target, reduction, ignoreIndex),
    nllLoss: (h: number, target: number, reduction: Reduction, ignoreIndex: number): number => H.nllLoss(h, target, reduction, ignoreIndex),
    oneHot: H.oneHot,
    // printing
    repr: (h: number): string => H.repr(h, printOptions),
    setPrintOptions: (json: string): void => {
      printOptions = setPrintOptions(printOptions, JSON.parse(json) as SetPrintOptionsArgs);
    },
    // safetensors.torch: bytes in and out (the shim does the file I/O)
    stSave: (namesJson: string, metadataJson: string, ...hs: number[]): Uint8Array => {
      const names = JSON.parse(namesJson) as string[];
      const list: [string, StTensor][] = names.map((name, i) => {
        const x = H.get(hs[i]);
        const v = H.values(hs[i]);
        if (!(v instanceof Float32Array || v instanceof Float64Array || v instanceof Uint8Array)) throw new TorchError(`save_file: dtype ${x.dtype} is not supported here (float32, float64, int64, bool)`);
        // int64 values are exact integers in a Float64Array here: I64 on disk; bool: BOOL
        return [name, stTensor(x.shape, v, x.dtype === 'int64' ? 'I64' : undefined)];
      });
      return encodeSafetensors(list, JSON.parse(metadataJson) as Record<string, string>);
    },
    /** -> [names..., handles...] as one flat array (names first, then the same count of handles) */
    stLoad: (buf: PyBufferProxy, source: string): (string | number)[] => {
      const b = buf.getBuffer();
      try {
        const bytes = b.data instanceof Uint8Array ? b.data : new Uint8Array(Array.from(b.data));
        let file;
        try {
          file = decodeSafetensors(bytes, source);
        } catch (e) {
          throw e instanceof UserError ? new TorchError(e.message, 'ValueError') : e;
        }
        const names = [...file.tensors.keys()];
        const hs = names.map((n) => {
          const t = file.tensors.get(n)!;
          const dt: DType = t.dtype === 'F64' ? 'float64' : t.dtype === 'F32' ? 'float32' : t.dtype === 'BOOL' ? 'bool' : 'int64';
          return H.fromValues(t.data, t.shape, dt);
        });
        return [...names, ...hs];
      } finally {
        b.release();
        buf.destroy();
      }
    },
  };

  // Dead handles: the shim's __del__ only queues a handle; every FLUSH_EVERY calls, or as soon as 64 MiB of
  // new tensors have been made since the last flush, a call that returns normally calls the shim's
  // _flush_dead, which hands the queue back through freeBuffer (never while an exception is on its way up).
  const FLUSH_EVERY = 256;
  let calls = 0;
  let pressure = false;
  let flusher: (() => void) | null = null;
  H.watchAllocations(64 << 20, () => {
    pressure = true;
  });
  const flushDead = (): void => {
    calls = 0;
    pressure = false;
    flusher?.();
  };

  // every export in a lifetime scope (what a call makes and no handle owns is freed when it returns), its
  // errors translated once, here
  const out: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(surface)) {
    const fn = f as (...a: unknown[]) => unknown;
    const wrapped = (...a: unknown[]): unknown => {
      const prev = openScope();
      let r: unknown;
      try {
        r = fn(...a);
      } catch (e) {
        closeScope(prev);
        return translate(e);
      }
      closeScope(prev);
      if (++calls >= FLUSH_EVERY || pressure) flushDead();
      return r;
    };
    out[name] = name === 'freeBuffer' ? fn : wrapped;
  }
  return {
    ...out,
    // the op codes (the shim reads them once at import; the two sides cannot drift)
    binaryOps: H.BINARY_OPS.join(' '),
    unaryOps: H.UNARY_OPS.join(' '),
    dtypes: DTYPE_NAMES.join(' '),
    bindRaiser: (f: Raiser & { copy?: () => Raiser }): void => {
      raiser = typeof f.copy === 'function' ? f.copy() : f;
    },
    bindRegisters: (buf: PyBufferProxy): void => {
      regsBuf?.release();
      regsBuf = null;
      regsProxy = buf;
      regs = new Float64Array(0);
      R();
    },
    bindFlusher: (f: (() => void) & { copy?: () => () => void }): void => {
      flusher = typeof f.copy === 'function' ? f.copy() : f;
    },
    /** The shim's queue of dead handles handed back now (the kernel calls it after every cell). */
    flushDead,
  };
}
