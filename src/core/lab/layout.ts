// The Graph tab's layered drawing of the forward (content.ts's GRAPH), pure so it can be checked: each
// intermediate on the layer of its longest path from the input (the forward reads top to bottom), the
// parameters in a lane of their own beside the chain, each on or just above the row of the tensor that
// reads it, and every input an edge: between consecutive layers ('chain'), across layers ('skip': a tensor
// read again further down, as logits by norm_logits), or from a parameter ('param').

import { GRAPH, type GraphNode, type NodeName } from './content.js';

export type Lane = 'param' | 'chain';

export interface Placement {
  name: NodeName;
  lane: Lane;
  /** 0 at the top */
  row: number;
}

export interface GraphEdge {
  from: NodeName;
  to: NodeName;
  kind: 'chain' | 'skip' | 'param';
}

export interface GraphLayout {
  nodes: Placement[];
  edges: GraphEdge[];
  rows: number;
}

export function graphLayout(graph: readonly GraphNode[] = GRAPH): GraphLayout {
  const byName = new Map(graph.map((n) => [n.name, n]));
  const layer = new Map<NodeName, number>();
  // GRAPH is in forward order (inputs first), so one pass finds every longest path
  for (const n of graph) {
    if (n.kind !== 'act') continue;
    const ins = n.inputs.filter((i) => byName.get(i)?.kind === 'act').map((i) => layer.get(i) ?? 0);
    layer.set(n.name, ins.length === 0 ? 0 : 1 + Math.max(...ins));
  }
  const nodes: Placement[] = graph.filter((n) => n.kind === 'act').map((n) => ({ name: n.name, lane: 'chain' as const, row: layer.get(n.name) ?? 0 }));
  // parameters: the k read by one tensor take the k rows ending at its row, in the order it reads them
  const taken = new Set<number>();
  for (const n of graph) {
    if (n.kind !== 'act') continue;
    const params = n.inputs.filter((i) => byName.get(i)?.kind === 'param' && !nodes.some((p) => p.name === i));
    let row = (layer.get(n.name) ?? 0) - params.length + 1;
    for (const p of params) {
      while (taken.has(row)) row++;
      taken.add(row);
      nodes.push({ name: p, lane: 'param', row: Math.max(0, row) });
      row++;
    }
  }
  const edges: GraphEdge[] = [];
  for (const n of graph) {
    for (const i of n.inputs) {
      const from = byName.get(i);
      if (from === undefined) continue;
      const kind = from.kind === 'param' ? 'param' : (layer.get(n.name) ?? 0) - (layer.get(i) ?? 0) === 1 ? 'chain' : 'skip';
      edges.push({ from: i, to: n.name, kind });
    }
  }
  const rows = 1 + Math.max(...nodes.map((p) => p.row));
  return { nodes, edges, rows };
}
