// Loads the tensor library's WebAssembly SIMD kernels (assembly/torch.ts) from the bytes embedded at build
// time, over a memory the library made (src/core/torch/heap.ts keeps every tensor there): the module imports
// its memory, so the heap exists even where the module cannot be compiled synchronously (a browser's main
// thread refuses modules over 4 KB); there the library runs its JS loops.

import { TORCH_WASM_BASE64 } from './torchWasm.js';

type Ptr = number;

/** The exports of assembly/torch.ts; pointers are byte offsets into the imported memory. See that file. */
export interface TorchKernels {
  /** the end of the module's static data: the heap's allocator must start past it */
  heapBase(): Ptr;
  /** out (n, m) = a (n, k) @ b (k, m), float32, double sums in ascending k (the reference arithmetic) */
  matmulF32Ref(out: Ptr, a: Ptr, b: Ptr, n: number, k: number, m: number): void;
  /** float32 + - * / (op 0..3) over n outputs; mode: the operands' layout (see there) */
  binaryF32(out: Ptr, a: Ptr, b: Ptr, n: number, c: number, op: number, mode: number): void;
  /** column sums of a float32 [r, c] into c doubles (rows ascending), or var's centered squares */
  colSumF32(acc: Ptr, x: Ptr, center: Ptr, r: number, c: number): void;
  /** out[i] = float32(Math.tanh(inp[i])) for n float32s (out may be inp) */
  tanhF32(out: Ptr, inp: Ptr, n: number): void;
  /** out (c, r) = inp (r, c) transposed, float32 */
  transposeF32(out: Ptr, inp: Ptr, r: number, c: number): void;
  /** Math.exp(x), bit for bit (FreeBSD msun's exp, as V8's) */
  expF64(x: number): number;
  /** out[i] = float32(Math.exp(inp[i])) */
  expF32(out: Ptr, inp: Ptr, n: number): void;
  /** softmax (log 0) or log_softmax (log 1) of `rows` contiguous float32 rows of d; scratch: d doubles */
  softmaxRowsF32(out: Ptr, inp: Ptr, rows: number, d: number, log: number, scratch: Ptr): void;
}

/** Pages (64 KiB) the memory may grow to: 4 GiB, wasm32's limit (the module declares the same maximum). */
export const MAX_PAGES = 65536;

function decodeBase64(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s);
  const out = new Uint8Array(new ArrayBuffer(bin.length));
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * The kernels over `memory`, or null where the module does not compile synchronously here (a browser's
 * main thread) or wasm SIMD is missing. `reserved`: the bytes at the start of memory the allocator leaves
 * to the module's static data; an instance whose data would not fit is an error (a build problem).
 */
export function instantiateTorchKernels(memory: WebAssembly.Memory, reserved: number): TorchKernels | null {
  let module: WebAssembly.Module;
  try {
    module = new WebAssembly.Module(decodeBase64(TORCH_WASM_BASE64));
  } catch {
    return null;
  }
  const k = new WebAssembly.Instance(module, { env: { memory, tanh: Math.tanh, log: Math.log } }).exports as unknown as TorchKernels;
  if (k.heapBase() > reserved) throw new Error(`assembly/torch.ts's static data ends at ${k.heapBase()}, past the ${reserved} bytes the heap reserves for it`);
  return k;
}
