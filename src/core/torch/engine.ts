// The autograd engine: tensor.backward(gradient) runs the graph from a tensor down to the leaves (PyTorch's
// design, small). It counts each node's dependencies, then runs nodes as their gradients complete, most
// recently created first (PyTorch's order), summing the gradients arriving at a node before running it, and
// hands every node the op set F to compute with (grad mode off), so a gradient rounds exactly as the same
// expression typed by a learner.

import { TorchError } from './errors.js';
import { AccumulateGrad, edgeOf, setGradEnabled, type Node } from './graph.js';
import { F } from './ops.js';
import { Tensor, sameShape, setGradField } from './tensor.js';
import { binaryInplace } from './inplace.js';
import { fillKernel } from './kernels/pointwise.js';
import { empty } from './tensor.js';

/** Adds a gradient into a leaf's or a retained tensor's .grad: a copy first, then in place (as torch). */
function accumulateInto(t: Tensor, g: Tensor): void {
  if (t.dead) return; // a retained tensor the program dropped: its .grad can never be read
  if (t.grad === null) setGradField(t, F.clone(g));
  else binaryInplace('add', t.grad, g);
}

/** tensor.backward(gradient, retain_graph). */
export function backward(root: Tensor, gradient: Tensor | null = null, retainGraph = false): void {
  if (!root.requiresGrad) throw new TorchError('element 0 of tensors does not require grad and does not have a grad_fn');
  if (gradient === null) {
    if (root.numel !== 1) throw new TorchError('grad can be implicitly created only for scalar outputs');
    gradient = empty(root.shape, root.dtype);
    fillKernel(gradient, 1);
  } else if (!sameShape(gradient.shape, root.shape)) {
    throw new TorchError(`Mismatch in shape: grad_output[0] has a shape of torch.Size([${gradient.shape.join(', ')}]) and output[0] has a shape of torch.Size([${root.shape.join(', ')}]).`);
  }
  const start = edgeOf(root)!;
  start.ref(); // held while the engine runs (a leaf's AccumulateGrad may have been made just now)
  try {
    run(start, gradient, retainGraph);
  } finally {
    start.unref();
  }
}

function run(start: Node, gradient: Tensor, retainGraph: boolean): void {
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
        accumulateInto(node.variable, F.detach(g));
        continue;
      }
      if (node.retained !== null) for (const t of node.retained) accumulateInto(t, F.detach(g));
      const grads = node.apply(g, F);
      if (!retainGraph) node.release();
      for (let i = 0; i < node.next.length; i++) {
        const m = node.next[i];
        if (m === null) continue;
        let gi = grads[i] ?? null;
        if (gi !== null) {
          const want = node.inShapes[i];
          if (!sameShape(gi.shape, want)) gi = F.sumTo(gi, want);
          if (gi.dtype !== node.inDtypes[i]) gi = F.castTo(gi, node.inDtypes[i]);
          const have = buffers.get(m);
          buffers.set(m, have === undefined ? gi : F.add(have, gi));
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
