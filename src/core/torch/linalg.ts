// Matrix products: mm (2-D @ 2-D), mv, dot, and `@` dispatching between them. The dot products run in the
// reference kernels of reference/matmul.ts (a double accumulator, ascending k, rounded once), reading a
// transposed operand in place (matmulNT / matmulTN), so `dlogits @ W2.T` and the autograd's
// `grad.mm(mat2.t())` are one computation.

import { SCRATCH_CHUNK, scratchKernels, scratchLayout } from '../wasm/scratch.js';
import { matmul as mmNN, matmulNT, matmulTN } from '../reference/matmul.js';
import { Node, needsGrad, record, save, type Grads, type Saved } from './autograd.js';
import { binary } from './elementwise.js';
import { TorchError, empty, type Data, type Tensor } from './tensor.js';
import { clone, reshape, t as tr, unsqueeze } from './views.js';
import { sumDims } from './reduce.js';

type FloatData = Float32Array | Float64Array;

function dtypeCheck(a: Tensor, b: Tensor): void {
  if (a.dtype !== b.dtype) {
    const n = (d: string): string => ({ float32: 'float', float64: 'double', int64: 'long int', bool: 'bool' })[d] ?? d;
    throw new TorchError(`expected scalar type ${n(a.dtype) === 'float' ? 'Float' : n(a.dtype)} but found ${b.dtype === 'float64' ? 'Double' : b.dtype === 'float32' ? 'Float' : b.dtype === 'int64' ? 'Long' : 'Bool'}`);
  }
  if (a.dtype === 'bool') throw new TorchError('"addmm_impl_cpu_" not implemented for \'Bool\'');
}

/** The (n, k) operand as (data, transposed): row-major data of the matrix or of its transpose. */
function layout(x: Tensor): [Data, boolean] {
  const [r, c] = x.shape;
  if ((x.strides[1] === 1 || c === 1) && (x.strides[0] === c || r === 1)) return [x.data.subarray(x.offset, x.offset + r * c), false];
  if ((x.strides[0] === 1 || r === 1) && (x.strides[1] === r || c === 1)) return [x.data.subarray(x.offset, x.offset + r * c), true];
  return [clone(x).data, false];
}

// float32 products of at least this many multiply-adds run in wasm (matmulF32Ref in assembly/kernels.ts):
// the same double sums in the same order as reference/matmul.ts, so the same bits, ~3x faster
const WASM_MIN_WORK = 4096;
/** Copies rows [r0, r0 + rows) of the 2-D tensor x (any strides) row-major into dst. */
function pack(dst: Float32Array, x: Tensor, r0 = 0, rows = x.shape[0]): void {
  const c = x.shape[1];
  const [s0, s1] = x.strides;
  const src = x.data;
  const off = x.offset + r0 * s0;
  if (s1 === 1 && s0 === c) {
    dst.set(src.subarray(off, off + rows * c));
    return;
  }
  for (let i = 0; i < rows; i++) {
    const o = off + i * s0;
    for (let j = 0; j < c; j++) dst[i * c + j] = src[o + j * s1];
  }
}

/**
 * out = a @ b for float32 in wasm, a's rows in pieces of about SCRATCH_CHUNK elements of output (each
 * output row is its own sums: the same bits in pieces); false when wasm SIMD is not available here.
 */
function wasmMM(out: Float32Array, a: Tensor, b: Tensor, n: number, k: number, m: number): boolean {
  const wasm = scratchKernels();
  if (wasm === null) return false;
  const rows = Math.max(1, Math.min(n, Math.floor(SCRATCH_CHUNK / Math.max(k, m))));
  const [pB, pA, pO] = scratchLayout(wasm, k * m * 4, rows * k * 4, rows * m * 4);
  const buf = wasm.memory.buffer;
  pack(new Float32Array(buf, pB, k * m), b);
  for (let r0 = 0; r0 < n; r0 += rows) {
    const nr = Math.min(rows, n - r0);
    pack(new Float32Array(buf, pA, nr * k), a, r0, nr);
    wasm.matmulF32Ref(pO, pA, pB, nr, k, m);
    out.set(new Float32Array(buf, pO, nr * m), r0 * m);
  }
  return true;
}

/** out (n, m) = a (n, k) @ b (k, m), no autograd. */
function mmKernel(a: Tensor, b: Tensor): Tensor {
  const [n, k] = a.shape;
  const m = b.shape[1];
  const y = empty([n, m], a.dtype);
  if (n === 0 || m === 0) return y;
  if (a.dtype === 'float32' && n * k * m >= WASM_MIN_WORK && wasmMM(y.data as Float32Array, a, b, n, k, m)) return y;
  let [ad, at] = layout(a);
  const [bd, bt] = layout(b);
  if (at && bt) {
    ad = clone(a).data;
    at = false;
  }
  const o = y.data as FloatData;
  if (!at && !bt) mmNN(o, ad as FloatData, bd as FloatData, n, k, m);
  else if (!at && bt) matmulNT(o, ad as FloatData, bd as FloatData, n, k, m);
  else matmulTN(o, ad as FloatData, bd as FloatData, n, k, m);
  return y;
}

/** a (n, k) @ b (k, m). d(A B) = dA B + A dB: self: grad.mm(mat2.t()); mat2: self.t().mm(grad) (MmBackward0). */
export function mm(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 2) throw new TorchError('self must be a matrix');
  if (b.ndim !== 2) throw new TorchError('mat2 must be a matrix');
  if (a.shape[1] !== b.shape[0]) throw new TorchError(`mat1 and mat2 shapes cannot be multiplied (${a.shape[0]}x${a.shape[1]} and ${b.shape[0]}x${b.shape[1]})`);
  dtypeCheck(a, b);
  const y = mmKernel(a, b);
  if (needsGrad(a, b)) record(y, new MmBackward(a, b), [a, b]);
  return y;
}

class MmBackward extends Node {
  readonly name = 'MmBackward0';
  private readonly sa: Saved;
  private readonly sb: Saved;
  constructor(a: Tensor, b: Tensor) {
    super();
    this.sa = save(a);
    this.sb = save(b);
  }
  apply(g: Tensor): Grads {
    const a = this.sa.get(this);
    const b = this.sb.get(this);
    return [this.next[0] !== null ? mm(g, tr(b)) : null, this.next[1] !== null ? mm(tr(a), g) : null];
  }
}

/** a (n, k) @ v (k). d: self: grad.ger(vec) (outer product); vec: self.t().mv(grad) (MvBackward0). */
export function mv(a: Tensor, v: Tensor): Tensor {
  if (a.shape[1] !== v.shape[0]) throw new TorchError(`size mismatch, got ${a.shape[0]}, ${a.shape[0]}x${a.shape[1]},${v.shape[0]}`);
  dtypeCheck(a, v);
  const y = reshape(mmKernel(a, reshape(v, [v.shape[0], 1])), [a.shape[0]]);
  if (needsGrad(a, v)) record(y, new MvBackward(a, v), [a, v]);
  return y;
}

class MvBackward extends Node {
  readonly name = 'MvBackward0';
  private readonly sa: Saved;
  private readonly sv: Saved;
  constructor(a: Tensor, v: Tensor) {
    super();
    this.sa = save(a);
    this.sv = save(v);
  }
  apply(g: Tensor): Grads {
    const a = this.sa.get(this);
    const v = this.sv.get(this);
    return [
      this.next[0] !== null ? binary('mul', unsqueeze(g, 1), unsqueeze(v, 0)) : null,
      this.next[1] !== null ? mv(tr(a), g) : null,
    ];
  }
}

/** a (k) . b (k). d: self: grad * tensor; tensor: grad * self (DotBackward0). */
export function dot(a: Tensor, b: Tensor): Tensor {
  if (a.shape[0] !== b.shape[0]) throw new TorchError(`inconsistent tensor size, expected tensor [${a.shape[0]}] and src [${b.shape[0]}] to have the same number of elements, but got ${a.shape[0]} and ${b.shape[0]} elements respectively`);
  dtypeCheck(a, b);
  const y = reshape(mmKernel(reshape(a, [1, a.shape[0]]), reshape(b, [b.shape[0], 1])), []);
  if (needsGrad(a, b)) record(y, new DotBackward(a, b), [a, b]);
  return y;
}

class DotBackward extends Node {
  readonly name = 'DotBackward0';
  private readonly sa: Saved;
  private readonly sb: Saved;
  constructor(a: Tensor, b: Tensor) {
    super();
    this.sa = save(a);
    this.sb = save(b);
  }
  apply(g: Tensor): Grads {
    return [binary('mul', g, this.sb.get(this)), binary('mul', g, this.sa.get(this))];
  }
}

/** a @ b for 1-D and 2-D operands (torch.matmul); batched operands are not supported. */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.ndim === 0 || b.ndim === 0) throw new TorchError(`both arguments to matmul need to be at least 1D, but they are ${a.ndim}D and ${b.ndim}D`);
  if (a.ndim === 2 && b.ndim === 2) return mm(a, b);
  if (a.ndim === 2 && b.ndim === 1) return mv(a, b);
  if (a.ndim === 1 && b.ndim === 1) return dot(a, b);
  if (a.ndim === 1 && b.ndim === 2) {
    if (a.shape[0] !== b.shape[0]) throw new TorchError(`mat1 and mat2 shapes cannot be multiplied (1x${a.shape[0]} and ${b.shape[0]}x${b.shape[1]})`);
    return reshape(mm(unsqueeze(a, 0), b), [b.shape[1]]);
  }
  throw new TorchError(`matmul of ${a.ndim}-D and ${b.ndim}-D tensors is not supported by this torch (1-D and 2-D only)`);
}

export { sumDims };
