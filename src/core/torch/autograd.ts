// Autograd: grad mode, the graph's nodes and the engine that runs them (PyTorch's design, small).
//
// An op that has an input requiring grad (with grad mode on) gives its output a `gradFn`: a Node named as
// PyTorch names it (`MulBackward0`...), holding edges to the nodes of its inputs (their gradFn, or a leaf's
// AccumulateGrad) and what its backward formula needs. backward() counts each node's dependencies, then
// runs nodes as their gradients complete, most recently created first (PyTorch's order), summing the
// gradients arriving at a node before running it. Gradient formulas (in ops.ts etc.) are written with the
// library's own ops, grad mode off, so a gradient rounds exactly as the same expression typed by a learner.

import { TorchError, legacyTypeName, shapeStr, type Tensor, type Version } from './tensor.js';

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

let nextSeq = 0;

export type Grads = (Tensor | null)[];

export abstract class Node {
  readonly seq = nextSeq++;
  /** one edge per differentiable input: the node its gradient goes to, or null */
  next: (Node | null)[] = [];
  /** the non-leaf tensors whose .grad is this node's incoming gradient (retain_grad) */
  retained: Tensor[] | null = null;
  /** the shapes and dtypes of the inputs, to sum broadcast gradients back (the engine's validate_outputs) */
  inShapes: (readonly number[])[] = [];
  released = false;
  abstract readonly name: string;
  /** the gradient of each input from the gradient of the output */
  abstract apply(grad: Tensor): Grads;
  /** drops saved tensors after a backward (retain_graph=False) */
  release(): void {
    this.released = true;
  }
}

/** The node of a leaf that requires grad: adds the incoming gradient into tensor.grad. */
export class AccumulateGrad extends Node {
  readonly name = 'AccumulateGrad';
  constructor(readonly variable: Tensor) {
    super();
  }
  apply(): Grads {
    throw new Error('AccumulateGrad is run by the engine');
  }
}

/** The edge an op's output gets for input t: its grad_fn, its AccumulateGrad, or null. */
export function edgeOf(t: Tensor): Node | null {
  if (t.gradFn !== null) return t.gradFn;
  if (!t.requiresGrad) return null;
  if (t.accumulator === null) t.accumulator = new AccumulateGrad(t);
  return t.accumulator;
}

/** Whether an op on these inputs records a node. */
export function needsGrad(a: Tensor, b?: Tensor | null): boolean {
  return gradEnabled && (a.requiresGrad || (b !== undefined && b !== null && b.requiresGrad));
}

/** Makes `node` the grad_fn of `out`, with edges to `inputs`. Returns out. */
export function record(out: Tensor, node: Node, inputs: readonly (Tensor | null)[]): Tensor {
  node.next = inputs.map((t) => (t === null ? null : edgeOf(t)));
  node.inShapes = inputs.map((t) => (t === null ? [] : t.shape));
  out.gradFn = node;
  out.requiresGrad = true;
  return out;
}

/** A tensor saved for backward, with the version it had, so an in-place change is caught as in PyTorch. */
export class Saved {
  readonly version: number;
  constructor(readonly t: Tensor, private readonly counter: Version, private readonly producer: string | null) {
    this.version = counter.v;
  }
  get(node: Node): Tensor {
    if (node.released) {
      throw new TorchError('Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.');
    }
    if (this.counter.v !== this.version) {
      const what = this.producer !== null ? `, which is output 0 of ${this.producer},` : '';
      throw new TorchError(`one of the variables needed for gradient computation has been modified by an inplace operation: [${legacyTypeName(this.t.dtype)} ${shapeStr(this.t.shape).replace(/, /g, ', ')}]${what} is at version ${this.counter.v}; expected version ${this.version} instead. Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).`);
    }
    return this.t;
  }
}

/** Saves an input (its producer is its grad_fn now), or an op's own output (`owner`: the op's node name). */
export function save(t: Tensor, owner: string | null = null): Saved {
  return new Saved(t, t.version, owner ?? t.gradFn?.name ?? null);
}

// The ops the engine needs, injected by ops.ts (which imports this module) to keep the import graph acyclic.
export interface EngineOps {
  add(a: Tensor, b: Tensor): Tensor;
  /** a += b in place (grad mode is off inside backward) */
  addInplace(a: Tensor, b: Tensor): void;
  sumTo(g: Tensor, shape: readonly number[]): Tensor;
  clone(t: Tensor): Tensor;
  onesLike(t: Tensor): Tensor;
  detach(t: Tensor): Tensor;
}
let ops: EngineOps | null = null;
export function setEngineOps(o: EngineOps): void {
  ops = o;
}

/** Adds a gradient into a leaf's or a retained tensor's .grad: a copy first, then in place (as torch). */
function accumulateInto(t: Tensor, g: Tensor): void {
  const o = ops!;
  if (t.grad === null) t.grad = o.clone(g);
  else o.addInplace(t.grad, g);
}

/** tensor.backward(gradient): runs the graph from `root` down to the leaves. */
export function backward(root: Tensor, gradient: Tensor | null = null, retainGraph = false): void {
  const o = ops!;
  if (!root.requiresGrad) throw new TorchError('element 0 of tensors does not require grad and does not have a grad_fn');
  if (gradient === null) {
    if (root.numel !== 1) throw new TorchError('grad can be implicitly created only for scalar outputs');
    gradient = o.onesLike(root);
  } else if (gradient.shape.length !== root.shape.length || gradient.shape.some((d, i) => d !== root.shape[i])) {
    throw new TorchError(`Mismatch in shape: grad_output[0] has a shape of torch.Size([${gradient.shape.join(', ')}]) and output[0] has a shape of torch.Size([${root.shape.join(', ')}]).`);
  }
  const start = edgeOf(root)!;
  // dependencies: how many edges point at each node
  const deps = new Map<Node, number>();
  const stack: Node[] = [start];
  deps.set(start, 0);
  const seen = new Set<Node>([start]);
  while (stack.length > 0) {
    const n = stack.pop()!;
    for (const m of n.next) {
      if (m === null) continue;
      deps.set(m, (deps.get(m) ?? 0) + 1);
      if (!seen.has(m)) {
        seen.add(m);
        stack.push(m);
      }
    }
  }
  const buffers = new Map<Node, Tensor>();
  buffers.set(start, gradient);
  // ready nodes, the highest sequence number (latest created) first
  const ready: Node[] = [start];
  const prev = setGradEnabled(false);
  try {
    while (ready.length > 0) {
      let best = 0;
      for (let i = 1; i < ready.length; i++) if (ready[i].seq > ready[best].seq) best = i;
      const node = ready[best];
      ready[best] = ready[ready.length - 1];
      ready.pop();
      const g = buffers.get(node)!;
      buffers.delete(node);
      if (node instanceof AccumulateGrad) {
        accumulateInto(node.variable, o.detach(g));
        continue;
      }
      if (node.retained !== null) for (const t of node.retained) accumulateInto(t, o.detach(g));
      const grads = node.apply(g);
      if (!retainGraph) node.release();
      for (let i = 0; i < node.next.length; i++) {
        const m = node.next[i];
        if (m === null) continue;
        let gi = grads[i] ?? null;
        if (gi !== null) {
          const want = node.inShapes[i];
          if (gi.shape.length !== want.length || gi.shape.some((d, j) => d !== want[j])) gi = o.sumTo(gi, want);
          const have = buffers.get(m);
          buffers.set(m, have === undefined ? gi : o.add(have, gi));
        }
        const left = deps.get(m)! - 1;
        deps.set(m, left);
        if (left === 0) {
          if (buffers.has(m)) ready.push(m);
          else skipSubgraph(m, deps, buffers, ready);
        }
      }
    }
  } finally {
    setGradEnabled(prev);
  }
}

/** A node none of whose inputs produced a gradient: its own inputs lose one dependency each. */
function skipSubgraph(n: Node, deps: Map<Node, number>, buffers: Map<Node, Tensor>, ready: Node[]): void {
  for (const m of n.next) {
    if (m === null) continue;
    const left = deps.get(m)! - 1;
    deps.set(m, left);
    if (left === 0) {
      if (buffers.has(m)) ready.push(m);
      else skipSubgraph(m, deps, buffers, ready);
    }
  }
}
