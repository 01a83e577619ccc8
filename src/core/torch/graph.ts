// The autograd graph: grad mode, nodes, saved values. An op that has an input requiring grad (with grad mode
// on) gives its output a grad_fn: a Node named as PyTorch names it (`MulBackward0`), with an edge to the node
// of each input (its grad_fn, or a leaf's AccumulateGrad), the tensors its backward formula needs (Saved,
// version-checked) and the formula itself. The engine that runs nodes is engine.ts, above the ops.
//
// Lifetime, as PyTorch's shared pointers: a node is kept by the tensors whose grad_fn it is and by the
// nodes with an edge to it; when the last lets go it dies, letting go of its saved tensors and its edges.
// An op's own output is saved without its grad_fn (PyTorch's SavedVariable does the same): a node that kept
// its own output's grad_fn would keep itself.

import { TorchError } from './errors.js';
import { legacyTypeName, type DType } from './dtype.js';
import { Tensor, disown, own, setGradFn, shapeStr } from './tensor.js';
import type { OpSet } from './ops.js';

let gradEnabled = true;

export function isGradEnabled(): boolean {
  return gradEnabled;
}

/** Sets grad mode (torch.set_grad_enabled) and returns the previous mode, for no_grad to restore. */
export function setGradEnabled(on: boolean): boolean {
  const prev = gradEnabled;
  gradEnabled = on;
  return prev;
}

export function withNoGrad<T>(f: () => T): T {
  const prev = setGradEnabled(false);
  try {
    return f();
  } finally {
    setGradEnabled(prev);
  }
}

/** Whether an op on these inputs records a node. */
export function needsGrad(a: Tensor, b?: Tensor | null): boolean {
  return gradEnabled && (a.requiresGrad || (b !== undefined && b !== null && b.requiresGrad));
}

export type Grads = (Tensor | null)[];

/**
 * A backward formula: the gradient of each input from the gradient of the output `g`, the saved tensors (in
 * the order the op saved them), the op set to compute with (grad mode is off), and the node (node.wants(i):
 * whether input i needs a gradient).
 */
export type BackwardFn = (g: Tensor, saved: readonly Tensor[], F: OpSet, node: Node) => Grads;

let nextSeq = 0;
/** Nodes whose last reference went while another node was dying: destroyed by the outer loop, not recursively. */
let dying: Node[] | null = null;

export class Node {
  readonly seq = nextSeq++;
  /** one edge per differentiable input: the node its gradient goes to, or null (each holds a reference) */
  next: (Node | null)[] = [];
  /** the shapes of the inputs, to sum broadcast gradients back (the engine's validate_outputs) */
  inShapes: (readonly number[])[] = [];
  /** the dtypes of the inputs: a gradient of another dtype is cast to its input's (validate_outputs) */
  inDtypes: DType[] = [];
  /** the non-leaf tensors whose .grad is this node's incoming gradient (retain_grad; not owned) */
  retained: Tensor[] | null = null;
  released = false;
  refs = 0;
  dead = false;

  constructor(readonly name: string, private readonly fn: BackwardFn | null = null, readonly saved: readonly Saved[] = []) {}

  /** Whether input i needs a gradient. */
  wants(i: number): boolean {
    return this.next[i] !== null && this.next[i] !== undefined;
  }

  /** The gradient of each input (grad mode off, run by the engine). */
  apply(g: Tensor, F: OpSet): Grads {
    if (this.fn === null) throw new Error(`internal error: ${this.name} has no backward`);
    const ts = this.saved.map((s) => s.get(this));
    return this.fn(g, ts, F, this);
  }

  /** Drops the saved tensors after a backward that does not retain the graph. */
  release(): void {
    if (this.released) return;
    this.released = true;
    for (const s of this.saved) s.drop();
  }

  ref(): void {
    this.refs++;
  }

  unref(): void {
    if (--this.refs > 0) return;
    if (dying !== null) {
      dying.push(this);
      return;
    }
    dying = [this];
    try {
      while (dying.length > 0) dying.pop()!.die();
    } finally {
      dying = null;
    }
  }

  protected die(): void {
    this.dead = true;
    this.release();
    this.retained = null;
    const next = this.next;
    this.next = [];
    for (const m of next) if (m !== null) m.unref();
  }
}

/** The node of a leaf that requires grad: the engine adds the incoming gradient into variable.grad. */
export class AccumulateGrad extends Node {
  constructor(readonly variable: Tensor) {
    super('AccumulateGrad');
    own(variable);
  }
  protected override die(): void {
    super.die();
    if (this.variable.accumulator === this) this.variable.accumulator = null;
    disown(this.variable);
  }
}

/** The edge an op's output gets for input t: its grad_fn, its AccumulateGrad, or null. */
export function edgeOf(t: Tensor): Node | null {
  if (t.gradFn !== null) return t.gradFn;
  if (!t.requiresGrad) return null;
  if (t.accumulator === null) t.accumulator = new AccumulateGrad(t);
  return t.accumulator;
}

/** Makes `node` the grad_fn of `out`, with edges to `inputs` (null: no gradient flows there). Returns out. */
export function record(out: Tensor, node: Node, inputs: readonly (Tensor | null)[]): Tensor {
  node.next = inputs.map((t) => {
    const e = t === null ? null : edgeOf(t);
    if (e !== null) e.ref();
    return e;
  });
  node.inShapes = inputs.map((t) => (t === null ? [] : t.shape));
  node.inDtypes = inputs.map((t) => (t === null ? 'float32' : t.dtype));
  setGradFn(out, node);
  out.requiresGrad = true;
  return out;
}

/** A tensor saved for backward, with the version it had, so an in-place change is caught as in PyTorch. */
export class Saved {
  readonly version: number;
  private dropped = false;
  constructor(readonly t: Tensor, private readonly producer: string | null) {
    own(t);
    this.version = t.version.v;
  }
  get(node: Node): Tensor {
    if (node.released) {
      throw new TorchError('Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.');
    }
    const t = this.t;
    if (t.version.v !== this.version) {
      const what = this.producer !== null ? `, which is output 0 of ${this.producer},` : '';
      throw new TorchError(`one of the variables needed for gradient computation has been modified by an inplace operation: [${legacyTypeName(t.dtype)} ${shapeStr(t.shape)}]${what} is at version ${t.version.v}; expected version ${this.version} instead. Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).`);
    }
    return t;
  }
  drop(): void {
    if (this.dropped) return;
    this.dropped = true;
    disown(this.t);
  }
}

/** Saves an input of an op (its producer, for the in-place message, is its grad_fn now). */
export function saveInput(t: Tensor): Saved {
  return new Saved(t, t.gradFn?.name ?? null);
}

/**
 * Saves an op's own output `z` (whose grad_fn will be the node `owner` names): an alias of its storage with
 * its version counter but no grad_fn, so the node does not keep itself alive.
 */
export function saveOutput(z: Tensor, owner: string): Saved {
  const alias = new Tensor(z.storage, z.dtype, z.shape, z.strides, z.offset, z.version);
  return new Saved(alias, owner);
}
