// The `torch` library: n-d tensors with PyTorch's dtypes, broadcasting, type promotion, views, indexing,
// in-place ops and autograd, in TypeScript (no I/O: Node and the browser share it). handles.ts is the flat,
// handle-based surface the Python binding calls.

export * from './tensor.js';
export * from './dtype.js';
export { AccumulateGrad, Node, backward as runBackward, isGradEnabled, setGradEnabled, withNoGrad } from './autograd.js';
export * from './elementwise.js';
export * from './views.js';
export * from './reduce.js';
export * from './linalg.js';
export * from './indexing.js';
export * from './inplace.js';
export * from './nn.js';
export * from './factory.js';
export * from './ops.js';
export * from './generator.js';
