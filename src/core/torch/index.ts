// The `torch` library: n-d tensors with PyTorch's dtypes, broadcasting, type promotion, views, indexing,
// in-place ops and autograd, in TypeScript over one wasm memory (no I/O: Node and the browser share it).
// The rooms, bottom up: errors, dtype, heap, tensor, graph, kernels/, ops/ (one record per op: forward and
// backward side by side), ops.ts (the op set F), engine (backward), inplace, functional (composites),
// factory, generator, format; handles.ts is the flat, handle-based surface the Python binding calls.

export { TorchError, type PyErrorType } from './errors.js';
export * from './dtype.js';
export { heapStats, setHeapDebug, wasm as torchKernels, type HeapStats } from './heap.js';
export {
  Tensor, Version, contiguousStrides, empty, forEachRow, fromData, numelOf, sameShape, shapeStr, valuesOf,
  viewOf, withScope, zerosOf, type Data,
} from './tensor.js';
export { AccumulateGrad, Node, isGradEnabled, setGradEnabled, withNoGrad } from './graph.js';
export {
  BINARY_OPS, UNARY_OPS, binaryKernel, broadcastShapes, broadcastStrides, copyCast, type BinaryOp, type UnaryOp,
} from './kernels/pointwise.js';
export type { Reduction } from './kernels/softmax.js';
export * from './ops/pointwise.js';
export * from './ops/reduce.js';
export * from './ops/shape.js';
export * from './ops/index.js';
export * from './ops/linalg.js';
export * from './ops/nn.js';
export * from './ops/sort.js';
export { F, type OpSet } from './ops.js';
export { backward } from './engine.js';
export * from './inplace.js';
export * from './functional.js';
export * from './factory.js';
export * from './generator.js';
