// The `_bpn_torch` JS module the Python `torch` shim (python/torch/__init__.py) calls: the tensor library's
// handle surface (core/torch/handles.ts) shaped for Pyodide's calling convention, plus what only the bridge
// knows: the generators (PyTorch's CPU streams, core/random/torch.ts), the print options, safetensors bytes.
//
// Pyodide converts ints, floats, strs, bools and None at the boundary, but passes lists and tuples as
// proxies (slow, and they must be destroyed). So every shape, dims list and index spec arrives as trailing
// varargs of numbers, and bulk values arrive as a Python buffer (array('d') -> Float64Array, zero copy),
// one call per Python operation. Errors are TorchErrors whose .name is the Python exception type; the shim
// re-raises them as that type.

import { TorchError, type DType } from '../core/torch/tensor.js';
import type { BinaryOp } from '../core/torch/elementwise.js';
import type { ScalarKind } from '../core/torch/dtype.js';
import type { IndexItem } from '../core/torch/indexing.js';
import * as H from '../core/torch/handles.js';
import { torchRandomSource } from '../core/torch/generator.js';
import { DEFAULT_PRINT_OPTIONS, setPrintOptions, type ResolvedPrintOptions, type SetPrintOptionsArgs } from '../core/torch/format.js';
import { TORCH_DEFAULT_SEED, TorchGenerator, type TorchKernel } from '../core/random/torch.js';
import { decodeSafetensors, encodeSafetensors, stTensor, type StTensor } from '../core/run/safetensors.js';
import { UserError } from '../core/errors.js';

/** A Python buffer as Pyodide hands it to JS: getBuffer() gives a typed-array view (release it after). */
interface PyBufferProxy {
  getBuffer(): { data: ArrayLike<number> & { length: number }; release(): void };
  destroy(): void;
}

export interface BridgeOptions {
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

const nums = (a: ArrayLike<number>): number[] => Array.from(a);

/**
 * The arithmetic ops by number, for the shim's hot paths: a Python str crosses the boundary at ~0.15 us
 * (decoded each call), an int at a fraction of that, and every argument costs. The shim reads this order
 * once at import (`binaryOps`), so the two sides cannot drift. A scalar op's code packs the op with the
 * scalar's kind and the operand order: op * 4 + (int ? 2 : 0) + (reversed ? 1 : 0).
 */
const BIN_OPS: readonly BinaryOp[] = [
  'add', 'sub', 'mul', 'div', 'floor_divide', 'remainder', 'pow', 'eq', 'ne', 'lt', 'le', 'gt', 'ge',
  'maximum', 'minimum', 'logical_and', 'logical_or', 'bitwise_and', 'bitwise_or', 'bitwise_xor',
];
const binOp = (code: number): BinaryOp => {
  const op = BIN_OPS[code];
  if (op === undefined) throw new TorchError(`bad op code ${code}`);
  return op;
};
const kindOf = (code: number): ScalarKind => ((code & 2) !== 0 ? 'int' : 'float');

/** Prebuilt index items for the shim's common subscripts (x[i], x[i, j], x[t]): no spec to decode. */
const intItem = (i: number): IndexItem => ({ kind: 'int', i });
const tensorItem = (h: number): IndexItem => ({ kind: 'tensor', t: H.get(h) });

export function createTorchBridge(opts: BridgeOptions = {}): Record<string, unknown> {
  const kernel = opts.kernel ?? 'avx2';
  // by the id the tensor library's generator table gave (that table is shared by every bridge in the process)
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
  let printOptions: ResolvedPrintOptions = { ...DEFAULT_PRINT_OPTIONS };

  // The register calls: the shim's hottest calls (x[i, j], x[t], x[t] = v, a op b, a op= b for tensors)
  // write their numbers into a Python array('d') of 8 (`_R`, read here in place through its buffer) and
  // call with no arguments: converting an argument at the boundary costs more than the JS work of such an
  // op (a 3-argument call ~0.7 us, the same through the registers ~0.45 us). The view is taken again when
  // Pyodide's memory grows (the old one is then detached and reads as empty).
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

  return {
    ...H,
    // -- handles: frees come in batches (the shim queues Python's __del__ in an array('d') and hands it over
    //    every 512, read in place: one argument, however many handles)
    freeBuffer: (buf: PyBufferProxy): void => {
      const b = buf.getBuffer();
      try {
        const hs = b.data;
        for (let i = 0; i < hs.length; i++) H.free(hs[i]);
      } finally {
        b.release();
      }
    },
    retainsGrad: (h: number): boolean => H.get(h).retainsGrad,

    // -- the hot paths by number (see BIN_OPS): a op x, a op= x (a op b, a op= b: the register calls below)
    binaryOps: BIN_OPS.join(' '),
    binS: (code: number, a: number, x: number): number => H.binaryScalar(binOp(code >> 2), a, x, kindOf(code), (code & 1) !== 0),
    binSI: (code: number, a: number, x: number): number => H.binaryScalarInplace(binOp(code >> 2), a, x, kindOf(code)),
    bindRegisters: (buf: PyBufferProxy): void => {
      regsBuf?.release();
      regsBuf = null;
      regsProxy = buf;
      regs = new Float64Array(0);
      R();
      // register 7: set when 64 MiB of new tensors have been made since the shim last handed over its dead
      // handles; the shim's __del__ reads it and hands them over then, not only every 512
      H.watchAllocations(64 << 20, () => {
        R()[7] = 1;
      });
    },
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
      return H.binary(binOp(r[0]), r[1], r[2]);
    },
    rBinI: (): number => {
      const r = R();
      return H.binaryInplace(binOp(r[0]), r[1], r[2]);
    },
    // x[i], x[i, j] (ints past 2**53, which the registers would round), x[i] = v with a tensor v
    getI: (h: number, i: number): number => H.getitemItems(h, [intItem(i)]),
    getII: (h: number, i: number, j: number): number => H.getitemItems(h, [intItem(i), intItem(j)]),
    setI: (h: number, v: number, i: number): void => H.setitemItems(h, [intItem(i)], v),

    // -- creation; shapes as trailing varargs
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
    randn: (dt: DType, g: number, ...shape: number[]): number => H.randn(shape, dt, g < 0 ? defaultGen : g),
    rand: (dt: DType, g: number, ...shape: number[]): number => H.rand(shape, dt, g < 0 ? defaultGen : g),
    randint: (low: number, high: number, dt: DType, g: number, ...shape: number[]): number => H.randint(low, high, shape, dt, g < 0 ? defaultGen : g),
    multinomial: (h: number, n: number, replacement: boolean, g: number): number => H.multinomial(h, n, replacement, g < 0 ? defaultGen : g),
    randomFill: (h: number, kind: 'normal' | 'uniform', a: number, b: number, g: number): number => H.randomFill(h, kind, a, b, g < 0 ? defaultGen : g),

    // -- generators: torch.Generator(), manual_seed, initial_seed; id -1 is the default generator
    newGenerator: (): number => newGenerator(TORCH_DEFAULT_SEED),
    manualSeed: (id: number, seed: number | string): number => {
      genOf(id < 0 ? defaultGen : id).manualSeed(toBig(seed));
      return id;
    },
    initialSeed: (id: number): string => genOf(id < 0 ? defaultGen : id).initialSeed().toString(),
    getState: (id: number): string => JSON.stringify(genOf(id < 0 ? defaultGen : id).getState()),
    setState: (id: number, json: string): void => genOf(id < 0 ? defaultGen : id).setState(JSON.parse(json)),

    // -- shapes and views
    view: (h: number, ...shape: number[]): number => H.view(h, shape),
    reshape: (h: number, ...shape: number[]): number => H.reshape(h, shape),
    permute: (h: number, ...dims: number[]): number => H.permute(h, dims),
    expand: (h: number, ...shape: number[]): number => H.expand(h, shape),
    cat: (dim: number, ...hs: number[]): number => H.cat(hs, dim),
    stack: (dim: number, ...hs: number[]): number => H.stack(hs, dim),
    split: (h: number, dim: number, ...sizes: number[]): number[] => H.split(h, sizes.length === 1 ? sizes[0] : sizes, dim),
    tensorSplit: (h: number, dim: number, ...sections: number[]): number[] => H.tensorSplit(h, sections.length === 1 ? sections[0] : sections, dim),

    // -- reductions: dims as varargs; none given means all
    reduce: (op: H.ReduceOp, h: number, keepdim: boolean, correction: number, ...dims: number[]): number =>
      H.reduce(op, h, dims.length === 0 ? null : dims, keepdim, correction),

    // -- indexing: the flat spec of handles.ts as varargs
    getitem: (h: number, ...spec: number[]): number => H.getitem(h, spec),
    setitem: (h: number, v: number, ...spec: number[]): void => H.setitem(h, spec, v),
    setitemScalar: (h: number, x: number, ...spec: number[]): void => H.setitemScalar(h, spec, x),

    // -- values
    shape: (h: number): number[] => H.shape(h),
    values: (h: number): Float32Array | Float64Array | Uint8Array => H.values(h),

    // -- printing
    repr: (h: number): string => H.repr(h, printOptions),
    setPrintOptions: (json: string): void => {
      printOptions = setPrintOptions(printOptions, JSON.parse(json) as SetPrintOptionsArgs);
    },

    // -- safetensors.torch: bytes in and out (the shim does the file I/O)
    stSave: (namesJson: string, metadataJson: string, ...hs: number[]): Uint8Array => {
      const names = JSON.parse(namesJson) as string[];
      const list: [string, StTensor][] = names.map((name, i) => {
        const x = H.get(hs[i]);
        const v = H.values(hs[i]);
        // int64 values are exact integers in a Float64Array here: I64 on disk; bool: BOOL
        return [name, stTensor(x.shape, v, x.dtype === 'int64' ? 'I64' : undefined)];
      });
      return encodeSafetensors(list, JSON.parse(metadataJson) as Record<string, string>);
    },
    /** -> [names..., handles...] as one flat array (names first, then the same count of handles) */
    stLoad: (buf: PyBufferProxy, source: string): (string | number)[] => {
      const b = buf.getBuffer();
      try {
        const bytes = b.data instanceof Uint8Array ? b.data : new Uint8Array(nums(b.data));
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
}
