// The library's memory: one WebAssembly.Memory holds every tensor's storage, so the wasm kernels
// (assembly/torch.ts, src/core/wasm/torch.ts) run in place on the tensors' own bytes and JS reads them
// through one typed view per representation (`views.f32[i]`...). Storage comes from a size-class allocator:
// a freed block goes on its class's free list and is handed out again (a training step reuses the same
// blocks step after step); the memory grows when no free block fits, and never shrinks (wasm memory cannot).
//
// Growing detaches the old views: `views` is refreshed at once, and code must fetch `t.data` (or `views.x`)
// after its last allocation, never hold a view across one. BPN_HEAP_GROW_EVERY (tests) grows the memory at
// every allocation to catch code that does.

import { instantiateTorchKernels, MAX_PAGES, type TorchKernels } from '../wasm/torch.js';
import { TorchError } from './errors.js';
import type { Repr } from './dtype.js';

const PAGE = 65536;
/** Bytes at the start of memory left to the kernels module's static data (its heapBase must fit) and to PARAMS. */
const RESERVED = 65536;
/**
 * A scratch area in the reserved start where a call puts what its kernel reads besides tensors (a scalar
 * operand, shapes and strides): 16 KiB at byte 32768. Written right before the kernel call, read by it at
 * once; nothing is kept there between calls (kernels never nest).
 */
export const PARAMS = 32768;
export const PARAMS_BYTES = 16384;
const INITIAL_PAGES = 64; // 4 MiB; grows as tensors need
const MAX_BYTES = MAX_PAGES * PAGE;

const memory = new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MAX_PAGES });

export interface Views {
  f32: Float32Array;
  f64: Float64Array;
  i32: Int32Array;
  i16: Int16Array;
  i8: Int8Array;
  u8: Uint8Array;
}

function makeViews(buf: ArrayBuffer): Views {
  return {
    f32: new Float32Array(buf), f64: new Float64Array(buf), i32: new Int32Array(buf),
    i16: new Int16Array(buf), i8: new Int8Array(buf), u8: new Uint8Array(buf),
  };
}

/** The typed views over the whole memory, current after every allocation. */
export let views: Views = makeViews(memory.buffer);
/** The same views by representation name (t.data reads it). */
export let viewByRepr: Readonly<Record<Repr, Views[Repr]>> = views;

let kernels: TorchKernels | null | undefined;

/** The wasm kernels over the heap, or null where the module cannot be compiled synchronously (a browser's main thread). */
export function wasm(): TorchKernels | null {
  if (kernels === undefined) kernels = instantiateTorchKernels(memory, RESERVED);
  return kernels;
}

// ---------------------------------------------------------------------------------------------------------
// storage blocks

/**
 * A block of the heap that tensors share (a tensor and its views). `refs` counts the live tensors on it;
 * at zero the block goes back to its free list.
 */
export class Storage {
  refs = 0;
  freed = false;
  constructor(
    /** byte offset in the memory (64-byte aligned) */
    readonly ptr: number,
    /** the block's size in bytes (its size class; at least what was asked for) */
    readonly bytes: number,
  ) {}
}

let top = RESERVED;
let liveBytes = 0;
let liveBlocks = 0;
let growEvery = false;
let poison = false;

// Two kinds of block. Small ones (up to SMALL_MAX) have size classes, each with a free list; they are cut from
// chunks of CHUNK bytes that the large allocator hands the small pool (and it keeps), so small blocks never sit
// between large ones. Large blocks are runs of 64 KiB granules: a freed one joins its free neighbours, and a
// request takes the best-fitting free run (split, the rest stays free), so the memory a big tensor gave back
// serves the next big tensors of any size (a notebook's full-split forwards).
const SMALL_MAX = 1 << 20;
const CHUNK = 1 << 20;
const GRANULE = 1 << 16;
const freeLists = new Map<number, number[]>();
let chunkPtr = 0;
let chunkEnd = 0;
/** the free runs of large blocks, by address, never two touching */
const runs: { ptr: number; size: number }[] = [];

/**
 * The size class of a request: 64-byte steps up to 1 KiB, then four classes per power of two (at most 25%
 * of a block unused) up to 1 MiB, so the blocks of a repeated computation are found again on the free
 * lists; past that, whole 64 KiB granules.
 */
export function classSize(n: number): number {
  if (n <= 64) return 64;
  if (n <= 1024) return (n + 63) & ~63;
  if (n > SMALL_MAX) return Math.ceil(n / GRANULE) * GRANULE;
  const p = 2 ** Math.floor(Math.log2(n - 1));
  const step = p / 4;
  return Math.ceil(n / step) * step;
}

function grow(needTop: number, request: number): void {
  const have = memory.buffer.byteLength;
  if (needTop > MAX_BYTES) throw outOfMemory(request);
  const pages = Math.ceil((needTop - have) / PAGE);
  const current = have / PAGE;
  // grow by a quarter of the memory at least (few growths, few refreshes of the views), within the maximum;
  // pages a tensor never touched cost no resident memory
  const want = growEvery ? pages : Math.min(Math.max(pages, current >> 2), MAX_PAGES - current);
  try {
    memory.grow(want);
  } catch {
    try {
      memory.grow(pages);
    } catch {
      throw outOfMemory(request);
    }
  }
  views = makeViews(memory.buffer);
  viewByRepr = views;
}

/** PyTorch 1.13's message when its CPU allocator fails (alloc_cpu.cpp). */
function outOfMemory(bytes: number): TorchError {
  return new TorchError(`[enforce fail at alloc_cpu.cpp:75] err == 0. DefaultCPUAllocator: can't allocate memory: you tried to allocate ${bytes} bytes. Error code 12 (Cannot allocate memory)`);
}

/** A large block of `size` bytes (a multiple of GRANULE): the best-fitting free run, else past the top. */
function allocLarge(size: number, request: number): number {
  let best = -1;
  for (let i = 0; i < runs.length; i++) {
    if (runs[i].size >= size && (best < 0 || runs[i].size < runs[best].size)) best = i;
  }
  if (best >= 0) {
    const r = runs[best];
    const ptr = r.ptr;
    if (r.size === size) runs.splice(best, 1);
    else {
      r.ptr += size;
      r.size -= size;
    }
    return ptr;
  }
  // a free run that ends at the top is extended instead of leaving it behind
  const last = runs[runs.length - 1];
  let ptr = top;
  if (last !== undefined && last.ptr + last.size === top) {
    ptr = last.ptr;
    runs.pop();
  }
  if (ptr + size > memory.buffer.byteLength) grow(ptr + size, request);
  top = ptr + size;
  return ptr;
}

/** A large block back: merged with the free runs it touches. */
function freeLarge(ptr: number, size: number): void {
  let i = 0;
  while (i < runs.length && runs[i].ptr < ptr) i++;
  const prev = runs[i - 1];
  const next = runs[i];
  if (prev !== undefined && prev.ptr + prev.size === ptr) {
    prev.size += size;
    if (next !== undefined && prev.ptr + prev.size === next.ptr) {
      prev.size += next.size;
      runs.splice(i, 1);
    }
  } else if (next !== undefined && ptr + size === next.ptr) {
    next.ptr = ptr;
    next.size += size;
  } else runs.splice(i, 0, { ptr, size });
}

/** A block of at least `bytes` bytes; its contents are whatever was there (callers write or zero it). */
export function allocStorage(bytes: number): Storage {
  if (!(bytes <= MAX_BYTES)) throw outOfMemory(bytes);
  const size = classSize(bytes);
  let ptr: number | undefined;
  if (size > SMALL_MAX) ptr = allocLarge(size, bytes);
  else {
    ptr = freeLists.get(size)?.pop();
    if (ptr === undefined) {
      if (chunkPtr + size > chunkEnd) {
        chunkPtr = allocLarge(CHUNK, bytes);
        chunkEnd = chunkPtr + CHUNK;
      }
      ptr = chunkPtr;
      chunkPtr += size;
    }
  }
  if (growEvery) grow(memory.buffer.byteLength + PAGE, PAGE); // test mode: every allocation detaches the old views
  liveBytes += size;
  liveBlocks++;
  return new Storage(ptr, size);
}

/** Returns a block to its free list (or, with poisoning on, fills it with 0xff and never reuses it). */
export function freeStorage(s: Storage): void {
  if (s.freed) throw new Error('internal error: a storage block freed twice');
  s.freed = true;
  liveBytes -= s.bytes;
  liveBlocks--;
  if (poison) {
    views.u8.fill(0xff, s.ptr, s.ptr + s.bytes);
    return;
  }
  if (s.bytes > SMALL_MAX) {
    freeLarge(s.ptr, s.bytes);
    return;
  }
  let list = freeLists.get(s.bytes);
  if (list === undefined) freeLists.set(s.bytes, (list = []));
  list.push(s.ptr);
}

/** Drops one tensor's reference; the block is freed with the last. */
export function releaseStorage(s: Storage): void {
  if (--s.refs === 0) freeStorage(s);
}

export interface HeapStats {
  /** bytes in blocks that tensors hold */
  liveBytes: number;
  liveBlocks: number;
  /** the memory's size in bytes */
  memoryBytes: number;
  /** bytes handed out so far (live or on a free list) past the reserved start */
  usedBytes: number;
  /** bytes in free runs of large blocks (ready for any large request) */
  freeLargeBytes: number;
}

export function heapStats(): HeapStats {
  return {
    liveBytes, liveBlocks, memoryBytes: memory.buffer.byteLength, usedBytes: top - RESERVED,
    freeLargeBytes: runs.reduce((p, r) => p + r.size, 0),
  };
}

/**
 * Test switches: `growEveryAlloc` grows the memory at every allocation (every view held across an
 * allocation is then detached and reads nothing: a stale view shows up as NaN or a wrong value at once);
 * `poisonFreed` fills freed blocks with 0xff and never reuses them (a tensor read after its block was
 * freed shows NaN). Returns the previous settings.
 */
export function setHeapDebug(opts: { growEveryAlloc?: boolean; poisonFreed?: boolean }): { growEveryAlloc: boolean; poisonFreed: boolean } {
  const prev = { growEveryAlloc: growEvery, poisonFreed: poison };
  if (opts.growEveryAlloc !== undefined) growEvery = opts.growEveryAlloc;
  if (opts.poisonFreed !== undefined) poison = opts.poisonFreed;
  return prev;
}

const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
if (env?.BPN_HEAP_GROW_EVERY === '1') growEvery = true;
if (env?.BPN_HEAP_POISON === '1') poison = true;
