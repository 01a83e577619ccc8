// Blocks (named tensors over one flat allocation, see tensor.ts) whose flat buffer lives in wasm memory,
// with each tensor's byte offset for the kernels.

import type { Block, Tensor } from '../reference/block.js';
import { numel } from '../reference/block.js';
import type { Arena } from './module.js';

export interface WasmBlock<K extends string> {
  readonly block: Block<K> & { readonly flat: Float32Array };
  /** byte offset of each tensor in the arena's memory */
  readonly ptr: Readonly<Record<K, number>>;
  /** byte offset of flat */
  readonly base: number;
}

export function blockFloats(shapes: Readonly<Record<string, readonly number[]>>): number {
  let total = 0;
  for (const k of Object.keys(shapes)) total += numel(shapes[k]);
  return total;
}

export function wasmBlock<K extends string>(arena: Arena, shapes: Readonly<Record<K, readonly number[]>>): WasmBlock<K> {
  const names = Object.keys(shapes) as K[];
  const { ptr: base, data: flat } = arena.f32(blockFloats(shapes));
  const out: Record<string, Tensor | Float32Array> = { flat };
  const ptr = {} as Record<K, number>;
  let off = 0;
  for (const k of names) {
    const n = numel(shapes[k]);
    out[k] = { shape: [...shapes[k]], data: flat.subarray(off, off + n) };
    ptr[k] = base + off * 4;
    off += n;
  }
  return { block: out as Block<K> & { readonly flat: Float32Array }, ptr, base };
}
