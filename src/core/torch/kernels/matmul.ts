// Matrix product kernels (no autograd: ops/linalg.ts records the nodes). Every dot product is summed in a
// double in ascending k and rounded once (reference/matmul.ts's arithmetic), so `dlogits @ W2.T` and the
// autograd's `grad.mm(mat2.t())` are one computation, bit for bit. float32 runs in wasm SIMD
// (assembly/torch.ts matmulF32Ref, the same sums in the same order) on the operands in place when they are
// row-major, on a packed copy otherwise.

import { matmul as mmNN, matmulNT, matmulTN } from '../../reference/matmul.js';
import { isFloat, pyName, type DType } from '../dtype.js';
import { TorchError } from '../errors.js';
import { wasm } from '../heap.js';
import type { TorchKernels } from '../../wasm/torch.js';
import { Tensor, empty, zerosOf } from '../tensor.js';
import { castKernel } from './pointwise.js';

type FloatData = Float32Array | Float64Array;

/** float32 products of at least this many multiply-adds run in wasm. */
const WASM_MIN_WORK = 512;

/** Whether the 2-D x is row-major with no gaps (strides [c, 1], size-1 dimensions free). */
function rowMajor(x: Tensor): boolean {
  const [r, c] = x.shape;
  return (x.strides[1] === 1 || c === 1) && (x.strides[0] === c || r === 1);
}
/** Whether the 2-D x is the transpose of a row-major matrix (strides [1, r]). */
function colMajor(x: Tensor): boolean {
  const [r, c] = x.shape;
  return (x.strides[0] === 1 || r === 1) && (x.strides[1] === r || c === 1);
}

/** x itself when row-major; a row-major copy otherwise (a transposed view: by the wasm transpose). */
function packF32(x: Tensor, w: TorchKernels): Tensor {
  if (rowMajor(x)) return x;
  if (!colMajor(x)) return castKernel(x, 'float32');
  const [r, c] = x.shape;
  const p = empty([r, c], 'float32');
  // x is the transpose of a row-major (c, r) matrix at x.offset
  w.transposeF32(p.offset * 4, x.offset * 4, c, r);
  return p;
}

/** The dtype check PyTorch's mm makes (both operands one dtype; no bool). */
export function mmDtypeCheck(a: Tensor, b: Tensor): void {
  if (a.dtype !== b.dtype) {
    const n = (d: DType): string => (d === 'float32' ? 'Float' : d === 'float64' ? 'double' : d === 'int64' ? 'long int' : pyName(d));
    throw new TorchError(`expected scalar type ${n(a.dtype)} but found ${n(b.dtype)}`);
  }
  if (a.dtype === 'bool' || a.dtype === 'float16') throw new TorchError(`"addmm_impl_cpu_" not implemented for '${pyName(a.dtype)}'`);
}

/**
 * out (n, m) = a (n, k) @ b (k, m) for 2-D operands of one dtype, any strides; `out` contiguous (given, or
 * made). No autograd.
 */
export function mmKernel(a: Tensor, b: Tensor, out: Tensor | null = null): Tensor {
  const [n, k] = a.shape;
  const m = b.shape[1];
  const y = out ?? empty([n, m], a.dtype);
  if (n === 0 || m === 0) return y;
  if (k === 0) {
    y.data.fill(0, y.offset, y.offset + n * m);
    return y;
  }
  if (a.dtype === 'float32' && n * k * m >= WASM_MIN_WORK) {
    const w = wasm();
    if (w !== null) {
      const A = packF32(a, w);
      const B = packF32(b, w);
      w.matmulF32Ref(y.offset * 4, A.offset * 4, B.offset * 4, n, k, m);
      return y;
    }
  }
  if (!isFloat(a.dtype) || a.dtype === 'float16' || a.dtype === 'bfloat16') return mmViaDouble(a, b, y);
  let A = a;
  let at = false;
  if (!rowMajor(a)) {
    if (colMajor(a)) at = true;
    else A = castKernel(a, a.dtype);
  }
  let B = b;
  let bt = false;
  if (!rowMajor(b)) {
    if (colMajor(b)) bt = true;
    else B = castKernel(b, b.dtype);
  }
  if (at && bt) {
    A = castKernel(a, a.dtype);
    at = false;
  }
  const o = (y.data as FloatData).subarray(y.offset, y.offset + n * m);
  const ad = (A.data as FloatData).subarray(A.offset, A.offset + n * k);
  const bd = (B.data as FloatData).subarray(B.offset, B.offset + k * m);
  if (!at && !bt) mmNN(o, ad, bd, n, k, m);
  else if (!at && bt) matmulNT(o, ad, bd, n, k, m);
  else matmulTN(o, ad, bd, n, k, m);
  return y;
}

/** Integer, half and bfloat16 products: the same double sums over the values, then stored to the dtype. */
function mmViaDouble(a: Tensor, b: Tensor, y: Tensor): Tensor {
  const [n, k] = a.shape;
  const m = b.shape[1];
  const A = castKernel(a, 'float64');
  const B = castKernel(b, 'float64');
  const acc = zerosOf([n, m], 'float64');
  mmKernel(A, B, acc);
  const out = castKernel(acc, y.dtype);
  y.data.set(out.data.subarray(out.offset, out.offset + n * m) as never, y.offset);
  void k;
  return y;
}
