// The lab's forward graph (src/core/lab/content.ts) is written by hand, one card per tensor with the tensors
// its lecture line reads. This checks it against the autograd's own tape: for every named tensor of the
// judge's forward (src/core/judge/check.ts), walk its grad_fn back through the unnamed intermediate nodes
// (the `embcat @ W1` before `+ b1`, the `.sum(0)` before `1/n *`) until named tensors are reached. Those are
// the card's inputs, exactly; a card that names one input too many or too few fails here by name.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GRAPH, type NodeName } from '../../src/core/lab/content.js';
import { graphLayout } from '../../src/core/lab/layout.js';
import { autogradForward } from '../../src/core/judge/check.js';
import { initParams, type ModelConfig } from '../../src/core/reference/model.js';
import { MT19937 } from '../../src/core/random/python.js';
import type { Node } from '../../src/core/torch/graph.js';

test("every graph card's inputs are the tensors the autograd's tape says it reads", () => {
  const cfg: ModelConfig = { vocabSize: 7, nEmbd: 3, nHidden: 5, blockSize: 2 };
  const B = 4;
  const rng = new MT19937(3);
  const p = initParams(cfg, 'float64', rng);
  const X = Int32Array.from({ length: B * cfg.blockSize }, (_, i) => (i * 3 + 1) % cfg.vocabSize);
  const Y = Int32Array.from({ length: B }, (_, i) => (i * 5 + 2) % cfg.vocabSize);
  const t = autogradForward(p, X, Y, cfg);
  // the node that stands for each named tensor: its grad_fn, or for a parameter (a leaf) its accumulator
  const named = new Map<Node, NodeName>();
  for (const [name, v] of Object.entries(t) as [NodeName, (typeof t)[NodeName]][]) {
    const node = v.gradFn ?? v.accumulator;
    if (node !== null) named.set(node, name);
  }
  const cards = new Map(GRAPH.map((g) => [g.name, g]));
  assert.equal(GRAPH.length, 27, '7 parameters and 20 intermediates');
  let checked = 0;
  for (const [name, v] of Object.entries(t) as [NodeName, (typeof t)[NodeName]][]) {
    const card = cards.get(name);
    assert.ok(card !== undefined, `the graph has no card for ${name}`);
    if (v.gradFn === null) {
      assert.deepEqual(card.inputs, [], `${name} is a leaf: its card reads nothing`);
      continue;
    }
    const reads = new Set<NodeName>();
    const seen = new Set<Node>();
    const stack: Node[] = [...v.gradFn.next.filter((n): n is Node => n !== null)];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (seen.has(n)) continue;
      seen.add(n);
      const hit = named.get(n);
      if (hit !== undefined) reads.add(hit);
      else for (const m of n.next) if (m !== null) stack.push(m);
    }
    assert.deepEqual([...card.inputs].sort(), [...reads].sort(), `the card of ${name} (${card.formula})`);
    checked++;
  }
  assert.equal(checked, 20, 'every intermediate was checked');
});

test('the layered layout: the forward top to bottom, the parameters in their own lane, every input an arrow', () => {
  const L = graphLayout();
  assert.equal(L.nodes.length, 27);
  assert.equal(new Set(L.nodes.map((p) => p.name)).size, 27, 'each tensor placed once');
  assert.equal(new Set(L.nodes.map((p) => `${p.lane}:${p.row}`)).size, 27, 'no two in one place');
  const at = new Map(L.nodes.map((p) => [p.name, p]));
  const cards = new Map(GRAPH.map((g) => [g.name, g]));
  for (const n of GRAPH) {
    const p = at.get(n.name)!;
    assert.equal(p.lane, n.kind === 'param' ? 'param' : 'chain', n.name);
    if (n.kind === 'act') {
      // on the layer of its longest path: one below the lowest tensor it reads
      const ins = n.inputs.filter((i) => cards.get(i)?.kind === 'act').map((i) => at.get(i)!.row);
      assert.equal(p.row, ins.length === 0 ? 0 : 1 + Math.max(...ins), n.name);
    }
  }
  // the forward reads top to bottom: emb first, loss last; each parameter on or just above its reader's row
  assert.equal(at.get('emb')!.row, 0);
  assert.equal(at.get('loss')!.row, L.rows - 1);
  for (const e of L.edges.filter((x) => x.kind === 'param')) {
    const d = at.get(e.to)!.row - at.get(e.from)!.row;
    assert.ok(d >= 0 && d <= 1, `${e.from} -> ${e.to}: ${d} rows`);
  }
  // one arrow per input; down the chain between neighbours, the rest around it
  assert.equal(L.edges.length, GRAPH.reduce((a, n) => a + n.inputs.length, 0));
  for (const e of L.edges.filter((x) => x.kind === 'chain')) assert.equal(at.get(e.to)!.row - at.get(e.from)!.row, 1, `${e.from} -> ${e.to}`);
  assert.deepEqual(L.edges.filter((x) => x.kind === 'skip').map((x) => `${x.from}->${x.to}`).sort(),
    ['bndiff->bnraw', 'counts->probs', 'hprebn->bndiff', 'logits->normLogits']);
});
