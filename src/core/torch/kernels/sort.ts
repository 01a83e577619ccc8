// Sorting kernels (no autograd: ops/sort.ts records the nodes): sort, topk, unique, bincount, as PyTorch
// 1.13's CPU kernels compute them. PyTorch sorts each lane with the C++ standard library (SortingKernel.cpp:
// std::sort, or std::stable_sort when stable=True; TopKImpl.h: std::partial_sort when k * 64 <= n, else
// std::nth_element and std::sort of the first k - 1), so which of several equal values comes first depends on
// the algorithm: the ones below are libstdc++'s (GCC's bits/stl_algo.h, stl_heap.h), step for step, on
// (key, index) pairs, so ties come out in the order Debian's PyTorch gives them. NaN sorts as the largest value.

import { TorchError } from '../errors.js';
import { Tensor, empty, valuesOf } from '../tensor.js';
import { forEachLane, laneOf } from './reduce.js';

/** A strict weak order on keys (PyTorch's KeyValueCompAsc / Desc: NaN above everything). */
export type Less = (a: number, b: number) => boolean;
export const ascending: Less = (a, b) => (a === a && b !== b) || a < b;
export const descending: Less = (a, b) => (a !== a && b === b) || a > b;

/** (key, index) pairs in two parallel arrays; the algorithms move both together. */
interface Pairs {
  k: Float64Array;
  v: Float64Array;
  less: Less;
}

const lg = (n: number): number => 31 - Math.clz32(n);
const THRESHOLD = 16;

function swap(p: Pairs, i: number, j: number): void {
  const k = p.k[i];
  p.k[i] = p.k[j];
  p.k[j] = k;
  const v = p.v[i];
  p.v[i] = p.v[j];
  p.v[j] = v;
}

function moveMedianToFirst(p: Pairs, result: number, a: number, b: number, c: number): void {
  const { k, less } = p;
  if (less(k[a], k[b])) {
    if (less(k[b], k[c])) swap(p, result, b);
    else if (less(k[a], k[c])) swap(p, result, c);
    else swap(p, result, a);
  } else if (less(k[a], k[c])) swap(p, result, a);
  else if (less(k[b], k[c])) swap(p, result, c);
  else swap(p, result, b);
}

function unguardedPartition(p: Pairs, first: number, last: number, pivot: number): number {
  const { k, less } = p;
  for (;;) {
    while (less(k[first], k[pivot])) first++;
    last--;
    while (less(k[pivot], k[last])) last--;
    if (!(first < last)) return first;
    swap(p, first, last);
    first++;
  }
}

function unguardedPartitionPivot(p: Pairs, first: number, last: number): number {
  const mid = first + Math.floor((last - first) / 2);
  moveMedianToFirst(p, first, first + 1, mid, last - 1);
  return unguardedPartition(p, first + 1, last, first);
}

function unguardedLinearInsert(p: Pairs, last: number): void {
  const { k, v, less } = p;
  const vk = k[last];
  const vv = v[last];
  let next = last - 1;
  while (less(vk, k[next])) {
    k[last] = k[next];
    v[last] = v[next];
    last = next;
    next--;
  }
  k[last] = vk;
  v[last] = vv;
}

function insertionSort(p: Pairs, first: number, last: number): void {
  if (first === last) return;
  const { k, v, less } = p;
  for (let i = first + 1; i < last; i++) {
    if (less(k[i], k[first])) {
      const vk = k[i];
      const vv = v[i];
      k.copyWithin(first + 1, first, i);
      v.copyWithin(first + 1, first, i);
      k[first] = vk;
      v[first] = vv;
    } else unguardedLinearInsert(p, i);
  }
}

function finalInsertionSort(p: Pairs, first: number, last: number): void {
  if (last - first > THRESHOLD) {
    insertionSort(p, first, first + THRESHOLD);
    for (let i = first + THRESHOLD; i < last; i++) unguardedLinearInsert(p, i);
  } else insertionSort(p, first, last);
}

function pushHeap(p: Pairs, first: number, hole: number, top: number, vk: number, vv: number): void {
  const { k, v, less } = p;
  let parent = Math.floor((hole - 1) / 2);
  while (hole > top && less(k[first + parent], vk)) {
    k[first + hole] = k[first + parent];
    v[first + hole] = v[first + parent];
    hole = parent;
    parent = Math.floor((hole - 1) / 2);
  }
  k[first + hole] = vk;
  v[first + hole] = vv;
}

function adjustHeap(p: Pairs, first: number, hole: number, len: number, vk: number, vv: number): void {
  const { k, v, less } = p;
  const top = hole;
  let child = hole;
  while (child < Math.floor((len - 1) / 2)) {
    child = 2 * (child + 1);
    if (less(k[first + child], k[first + child - 1])) child--;
    k[first + hole] = k[first + child];
    v[first + hole] = v[first + child];
    hole = child;
  }
  if ((len & 1) === 0 && child === Math.floor((len - 2) / 2)) {
    child = 2 * (child + 1);
    k[first + hole] = k[first + child - 1];
    v[first + hole] = v[first + child - 1];
    hole = child - 1;
  }
  pushHeap(p, first, hole, top, vk, vv);
}

function makeHeap(p: Pairs, first: number, last: number): void {
  const len = last - first;
  if (len < 2) return;
  for (let parent = Math.floor((len - 2) / 2); ; parent--) {
    adjustHeap(p, first, parent, len, p.k[first + parent], p.v[first + parent]);
    if (parent === 0) return;
  }
}

/** __pop_heap(first, last, result): the top goes to result, result's value sifts into the heap. */
function popHeap(p: Pairs, first: number, last: number, result: number): void {
  const vk = p.k[result];
  const vv = p.v[result];
  p.k[result] = p.k[first];
  p.v[result] = p.v[first];
  adjustHeap(p, first, 0, last - first, vk, vv);
}

function heapSelect(p: Pairs, first: number, middle: number, last: number): void {
  makeHeap(p, first, middle);
  for (let i = middle; i < last; i++) if (p.less(p.k[i], p.k[first])) popHeap(p, first, middle, i);
}

/** std::partial_sort(first, middle, last). */
function partialSort(p: Pairs, first: number, middle: number, last: number): void {
  heapSelect(p, first, middle, last);
  for (let end = middle; end - first > 1;) {
    end--;
    popHeap(p, first, end, end);
  }
}

function introsortLoop(p: Pairs, first: number, last: number, depth: number): void {
  while (last - first > THRESHOLD) {
    if (depth === 0) {
      partialSort(p, first, last, last);
      return;
    }
    depth--;
    const cut = unguardedPartitionPivot(p, first, last);
    introsortLoop(p, cut, last, depth);
    last = cut;
  }
}

/** std::sort(first, last). */
function stdSort(p: Pairs, first: number, last: number): void {
  if (last - first < 2) return;
  introsortLoop(p, first, last, lg(last - first) * 2);
  finalInsertionSort(p, first, last);
}

/** std::nth_element(first, nth, last). */
function nthElement(p: Pairs, first: number, nth: number, last: number): void {
  if (first === last || nth === last) return;
  let depth = lg(last - first) * 2;
  while (last - first > 3) {
    if (depth === 0) {
      heapSelect(p, first, nth + 1, last);
      swap(p, first, nth);
      return;
    }
    depth--;
    const cut = unguardedPartitionPivot(p, first, last);
    if (cut <= nth) first = cut;
    else last = cut;
  }
  insertionSort(p, first, last);
}

/** A stable sort (std::stable_sort's result: equal keys keep their order). */
function stableSort(p: Pairs, n: number): void {
  const order = Array.from({ length: n }, (_, i) => i);
  const { k, v, less } = p;
  order.sort((a, b) => (less(k[a], k[b]) ? -1 : less(k[b], k[a]) ? 1 : a - b));
  const k2 = order.map((i) => k[i]);
  const v2 = order.map((i) => v[i]);
  k.set(k2);
  v.set(v2);
}

// ---------------------------------------------------------------------------------------------------------
// sort, topk

/**
 * For each lane of x along d: its (value, index) pairs arranged by `arrange`, the first m of them written to
 * new values and int64 indices tensors of outShape (x's shape with m along d).
 */
function arrangeLanes(x: Tensor, d: number, outShape: readonly number[], m: number, less: Less, arrange: (p: Pairs, n: number) => void): [Tensor, Tensor] {
  const n = x.ndim === 0 ? 1 : x.shape[d];
  const vals = empty(outShape, x.dtype);
  const idxs = empty(outShape, 'int64');
  if (m === 0) return [vals, idxs];
  const p: Pairs = { k: new Float64Array(n), v: new Float64Array(n), less };
  const src = x.data;
  const vd = vals.data;
  const id = idxs.data;
  forEachLane(x, d, (off, s, r) => {
    for (let i = 0; i < n; i++) {
      p.k[i] = src[off + i * s];
      p.v[i] = i;
    }
    arrange(p, n);
    const [o, os] = laneOf(outShape, d, r);
    for (let i = 0; i < m; i++) {
      vd[vals.offset + o + i * os] = p.k[i];
      id[idxs.offset + o + i * os] = p.v[i];
    }
  });
  return [vals, idxs];
}

/** TopKImpl.h's choice of algorithm for the k of n first pairs (partial_sort, or nth_element then sort). */
function topkArrange(p: Pairs, n: number, k: number, sorted: boolean): void {
  if (k * 64 <= n) partialSort(p, 0, k, n);
  else {
    nthElement(p, 0, k - 1, n);
    if (sorted) stdSort(p, 0, k - 1);
  }
}

/**
 * The indices of the k largest keys as torch.topk(keys, k) orders them (for multinomial without replacement,
 * whose samples are topk of p / q).
 */
export function topkIndices(keys: ArrayLike<number>, k: number): Float64Array {
  const n = keys.length;
  const p: Pairs = { k: Float64Array.from(keys), v: new Float64Array(n), less: descending };
  for (let i = 0; i < n; i++) p.v[i] = i;
  topkArrange(p, n, k, true);
  return p.v.subarray(0, k);
}

/** values and indices of x sorted along d (wrapped). */
export function sortKernel(x: Tensor, d: number, desc: boolean, stable: boolean): [Tensor, Tensor] {
  const n = x.ndim === 0 ? 1 : x.shape[d];
  return arrangeLanes(x, d, x.shape, n, desc ? descending : ascending, (p, len) => {
    if (stable) stableSort(p, len);
    else stdSort(p, 0, len);
  });
}

/** The k largest (or smallest) values along d (wrapped) and their indices, as TopKImpl.h picks them. */
export function topkKernel(x: Tensor, k: number, d: number, largest: boolean, sorted: boolean): [Tensor, Tensor] {
  const n = x.ndim === 0 ? 1 : x.shape[d];
  if (k < 0 || k > n) throw new TorchError('selected index k out of range');
  const shape = x.ndim === 0 ? [] : x.shape.slice();
  if (x.ndim > 0) shape[d] = k;
  return arrangeLanes(x, d, shape, k, largest ? descending : ascending, (p, len) => topkArrange(p, len, k, sorted));
}

// ---------------------------------------------------------------------------------------------------------
// unique, bincount

/**
 * torch.unique, sorted (sorted=False too: PyTorch's then follows its hash set's order, not reproduced): values,
 * inverse indices, counts. Each NaN is its own value, after the others (PyTorch's place for them differs).
 */
export function uniqueKernel(x: Tensor): [Tensor, Tensor, Tensor] {
  const n = x.numel;
  const p: Pairs = { k: Float64Array.from(valuesOf(x)), v: new Float64Array(n), less: ascending };
  for (let i = 0; i < n; i++) p.v[i] = i;
  stableSort(p, n);
  const uniq: number[] = [];
  const counts: number[] = [];
  const inverse = empty(x.shape, 'int64');
  const inv = inverse.data;
  for (let i = 0; i < n; i++) {
    const key = p.k[i];
    const prev = uniq.length === 0 ? NaN : uniq[uniq.length - 1];
    if (uniq.length === 0 || !(key === prev)) {
      uniq.push(key);
      counts.push(0);
    }
    counts[counts.length - 1]++;
    inv[inverse.offset + p.v[i]] = uniq.length - 1;
  }
  const values = empty([uniq.length], x.dtype);
  values.data.set(uniq, values.offset);
  const cnt = empty([counts.length], 'int64');
  cnt.data.set(counts, cnt.offset);
  return [values, inverse, cnt];
}

/** torch.bincount(x, weights, minlength): counts (int64) or weight sums (weights' float dtype, double for ints). */
export function bincountKernel(x: Tensor, weights: Tensor | null, minlength: number): Tensor {
  const v = x.data;
  const n = x.numel;
  const s = x.ndim === 0 ? 0 : x.strides[0];
  let max = -1;
  for (let i = 0; i < n; i++) {
    const a = v[x.offset + i * s];
    if (a < 0) throw new TorchError('bincount only supports 1-d non-negative integral inputs.');
    if (a > max) max = a;
  }
  const len = Math.max(minlength, max + 1);
  if (weights === null) {
    const out = empty([len], 'int64');
    const o = out.data;
    o.fill(0, out.offset, out.offset + len);
    for (let i = 0; i < n; i++) o[out.offset + v[x.offset + i * s]] += 1;
    return out;
  }
  // float32 weights add up in float32 (each sum rounded), any other dtype in double (bincount_cpu)
  const dt = weights.dtype === 'float32' ? 'float32' : 'float64';
  const out = empty([len], dt);
  const o = out.data;
  o.fill(0, out.offset, out.offset + len);
  const w = weights.data;
  const ws = weights.ndim === 0 ? 0 : weights.strides[0];
  for (let i = 0; i < n; i++) o[out.offset + v[x.offset + i * s]] += w[weights.offset + i * ws];
  return out;
}
