// Loads the WebAssembly SIMD kernels (assembly/kernels.ts) from the bytes embedded at build time: no file
// system, no fetch, so Node and the browser (a Worker may compile synchronously) run the same code.
//
// Each user (a Trainer, an evaluation) gets its own Instance and so its own linear memory, laid out once by
// an Arena: the memory never grows after the layout, so the Float32Array views over it stay valid.

import { KERNELS_WASM_BASE64 } from './kernelsWasm.js';

type Ptr = number;

/** The exports of assembly/kernels.ts; pointers are byte offsets into `memory`. See that file for shapes. */
export interface WasmKernels {
  readonly memory: WebAssembly.Memory;
  heapBase(): Ptr;
  expForward(out: Ptr, inp: Ptr, n: number): void;
  tanhForward(out: Ptr, inp: Ptr, n: number): void;
  tanhBackward(dinp: Ptr, dout: Ptr, out: Ptr, n: number): void;
  embeddingForward(out: Ptr, X: Ptr, C: Ptr, BT: number, E: number): void;
  embeddingBackward(dC: Ptr, dout: Ptr, X: Ptr, BT: number, E: number): void;
  linearForward(out: Ptr, inp: Ptr, W: Ptr, bias: Ptr, B: number, IC: number, OC: number): void;
  matmulTNAcc(dW: Ptr, inp: Ptr, dout: Ptr, B: number, IC: number, OC: number): void;
  matmulNT(dinp: Ptr, dout: Ptr, W: Ptr, B: number, IC: number, OC: number): void;
  biasBackward(dbias: Ptr, dout: Ptr, B: number, OC: number): void;
  transpose(out: Ptr, inp: Ptr, R: number, C: number): void;
  linearBackward(dinp: Ptr, dW: Ptr, dbias: Ptr, dout: Ptr, inp: Ptr, W: Ptr, B: number, IC: number, OC: number): void;
  batchnormTanhForward(
    h: Ptr, hpreact: Ptr, bnraw: Ptr, bnmean: Ptr, bnvar: Ptr, bnvarInv: Ptr,
    inp: Ptr, gain: Ptr, bias: Ptr, B: number, H: number, eps: number,
  ): void;
  tanhBatchnormBackward(
    dinp: Ptr, dhpreact: Ptr, dgain: Ptr, dbias: Ptr,
    dh: Ptr, h: Ptr, bnraw: Ptr, bnvarInv: Ptr, gain: Ptr, scratch: Ptr, B: number, H: number,
  ): void;
  crossEntropyForwardSum(probs: Ptr, logits: Ptr, Y: Ptr, B: number, V: number): number;
  crossEntropyBackward(dlogits: Ptr, probs: Ptr, Y: Ptr, B: number, V: number): void;
  sgdUpdate(p: Ptr, g: Ptr, n: number, lr: number): void;
  /** the torch library's float32 matmul with the reference arithmetic (double sums, ascending k) */
  matmulF32Ref(out: Ptr, a: Ptr, b: Ptr, n: number, k: number, m: number): void;
  /** the torch library's float32 + - * / (op 0..3) over n outputs; mode: the operands' layout (see there) */
  binaryF32(out: Ptr, a: Ptr, b: Ptr, n: number, c: number, op: number, mode: number): void;
  /** the torch library's column sums of a float32 [r, c] into c doubles (rows ascending), or var's centered squares */
  colSumF32(acc: Ptr, x: Ptr, center: Ptr, r: number, c: number): void;
  evalFold(
    Q: Ptr, c: Ptr, C: Ptr, W1: Ptr, b1: Ptr, gain: Ptr, bias: Ptr, bnmean: Ptr, bnvar: Ptr,
    V: number, E: number, T: number, H: number, eps: number,
  ): void;
  evalChunk(
    h: Ptr, logits: Ptr, probs: Ptr, Q: Ptr, c: Ptr, W2: Ptr, b2: Ptr, X: Ptr, Y: Ptr,
    n: number, V: number, T: number, H: number,
  ): number;
}

let compiled: WebAssembly.Module | null = null;
let failure: string | null = null;

function decodeBase64(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s);
  const out = new Uint8Array(new ArrayBuffer(bin.length));
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function kernelsModule(): WebAssembly.Module {
  if (compiled === null) compiled = new WebAssembly.Module(decodeBase64(KERNELS_WASM_BASE64));
  return compiled;
}

/** Whether this runtime compiles the module (it needs wasm SIMD: Node >= 16.4, current browsers). */
export function wasmAvailable(): boolean {
  if (compiled !== null) return true;
  if (failure !== null) return false;
  try {
    kernelsModule();
    return true;
  } catch (e) {
    failure = e instanceof Error ? e.message : String(e);
    return false;
  }
}

/** Why wasmAvailable() is false, or null. */
export function wasmFailure(): string | null {
  wasmAvailable();
  return failure;
}

export function instantiateKernels(): WasmKernels {
  const inst = new WebAssembly.Instance(kernelsModule(), {});
  return inst.exports as unknown as WasmKernels;
}

/** Bytes kept free after the last buffer: kernels read up to 3 floats past a row (never store there). */
const PAD = 64;
const PAGE = 65536;

/** A float32 tensor in wasm memory: its byte offset and a view. */
export interface WasmF32 {
  readonly ptr: Ptr;
  readonly data: Float32Array;
}
export interface WasmI32 {
  readonly ptr: Ptr;
  readonly data: Int32Array;
}

/**
 * A bump allocator over one instance's memory, sized once: `new Arena(bytes)` grows the memory to hold
 * `bytes` (plus alignment slack and padding), and alloc* hand out 16-byte-aligned pieces of it.
 */
export class Arena {
  readonly k: WasmKernels;
  private top: number;
  private readonly end: number;

  constructor(bytes: number, kernels: WasmKernels = instantiateKernels()) {
    this.k = kernels;
    this.top = (kernels.heapBase() + 15) & ~15;
    const need = this.top + bytes + PAD;
    const have = kernels.memory.buffer.byteLength;
    if (need > have) kernels.memory.grow(Math.ceil((need - have) / PAGE));
    this.end = kernels.memory.buffer.byteLength - PAD;
  }

  /** bytes an arena needs for pieces of these float/int counts (each piece rounded up to 16 bytes) */
  static bytesFor(...counts: number[]): number {
    let s = 0;
    for (const n of counts) s += (n * 4 + 15) & ~15;
    return s;
  }

  private take(n: number): Ptr {
    const ptr = this.top;
    const next = ptr + ((n * 4 + 15) & ~15);
    if (next > this.end) throw new RangeError(`wasm arena: out of reserved memory (${next} > ${this.end})`);
    this.top = next;
    return ptr;
  }

  f32(n: number): WasmF32 {
    const ptr = this.take(n);
    return { ptr, data: new Float32Array(this.k.memory.buffer, ptr, n) };
  }

  i32(n: number): WasmI32 {
    const ptr = this.take(n);
    return { ptr, data: new Int32Array(this.k.memory.buffer, ptr, n) };
  }
}
