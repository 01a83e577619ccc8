// The library's one error type: a message PyTorch would print, and the Python exception class it raises
// (the binding re-raises it as that class; see src/notebook/torch-binding.ts).

export type PyErrorType = 'RuntimeError' | 'IndexError' | 'TypeError' | 'ValueError' | 'NotImplementedError';

export class TorchError extends Error {
  constructor(message: string, readonly pyType: PyErrorType = 'RuntimeError') {
    super(message);
    this.name = pyType;
  }
}
