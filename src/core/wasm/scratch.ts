// The torch library's wasm kernels (its large float32 matmuls and elementwise ops): one instance, whose
// memory past the module's own data is a scratch region. A call copies its operands in, runs one kernel and
// copies the result out, so the region holds nothing between calls, and a call never nests in another.

import { instantiateKernels, wasmAvailable, type WasmKernels } from './module.js';

const PAGE = 65536;
/**
 * How many float32 elements a call copies in per operand at the most: larger tensors go through in pieces
 * of whole rows, so the scratch region (which never shrinks: wasm memory only grows) stays a few MiB, not
 * three copies of the largest tensor a notebook makes (the lecture's split losses: 182,625 x 200).
 */
export const SCRATCH_CHUNK = 1 << 18;
/** Below this many elements a call is not worth it: the copies in and out and the call cost ~1 us, as the JS loops do. */
export const SCRATCH_MIN_ELEMS = 1024;
let kernels: WasmKernels | null | undefined;

/** The shared instance, or null where wasm SIMD does not compile (then the library's JS loops run). */
export function scratchKernels(): WasmKernels | null {
  if (kernels === undefined) kernels = wasmAvailable() ? instantiateKernels() : null;
  return kernels;
}

/**
 * Byte offsets for pieces of these byte sizes, laid out from the start of the scratch region (16-byte
 * aligned), the memory grown to hold them. Make typed-array views after this call: growing detaches the
 * old buffer.
 */
export function scratchLayout(k: WasmKernels, ...bytes: number[]): number[] {
  const al = (n: number): number => (n + 15) & ~15;
  let p = al(k.heapBase());
  const ptrs = bytes.map((b) => {
    const at = p;
    p += al(b);
    return at;
  });
  const have = k.memory.buffer.byteLength;
  if (p > have) k.memory.grow(Math.ceil((p - have) / PAGE));
  return ptrs;
}
