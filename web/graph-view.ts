// Graph view: the chunked forward's 27 tensors as a layered graph (src/core/lab/layout.ts: the forward top to
// bottom, the parameters in a lane of their own, arrows for every input), each card with its lecture line in
// the lecture's names (counts_sum_inv); click one for its shape, value and gradient heatmaps, the manual derivative and its check
// row against the autograd.

import { formatRow, pyFloat, type CheckRow } from '../src/core/judge/check.js';
import { drawBatch, type Dataset } from '../src/core/reference/data.js';
import { GRAPH, derivativeOf, type GraphNode, type NodeName } from '../src/core/lab/content.js';
import { snapshot, type Snapshot } from '../src/core/lab/runner.js';
import { graphLayout } from '../src/core/lab/layout.js';
import { GRAD_NAMES, PARAM_NAMES, allocParams, initParams, type ActName, type GradName, type ModelConfig, type ParamName, type Params } from '../src/core/reference/model.js';
import { MT19937 } from '../src/core/random/python.js';
import { TorchGenerator } from '../src/core/random/torch.js';
import { TORCH_GLOBAL_SEED, TORCH_LECTURE_SEED, TorchBatches, initParamsTorch, skipInitDraws } from '../src/core/run/torchrun.js';
import { lectureName } from '../src/core/reference/names.js';
import { shapeStr, type DType, type Tensor } from '../src/core/reference/block.js';
import { heatmap, hoverValues } from './draw.js';
import { $, currentModel, datasetFor, embeddedDataset, errorText, h, intInput, onModel } from './dom.js';
import './graph.css';

let snap: Snapshot | null = null;
/** the batch source: CPython's random (the CLI's default) or PyTorch's generator (the lecture's own draws) */
let rng: MT19937 | TorchBatches | null = null;
let model: { params: Params; cfg: ModelConfig; B: number; ds: Dataset; what: string } | null = null;
let selected: NodeName = 'logits';
let batchNo = 0;
const subscribers: ((s: Snapshot) => void)[] = [];

/** The batch every view uses (graph and exercises): rebuilt on seed/batch/H/dtype change or "new batch". */
export function currentSnapshot(): Snapshot {
  if (snap === null) rebuild(false);
  return snap as Snapshot;
}

export function onSnapshot(f: (s: Snapshot) => void): void {
  subscribers.push(f);
}

const isGrad = (n: NodeName): n is GradName => (GRAD_NAMES as readonly string[]).includes(n);

function tensorOf(s: Snapshot, n: NodeName): Tensor {
  return (PARAM_NAMES as readonly string[]).includes(n) ? s.params[n as ParamName] : s.acts[n as ActName];
}

function rebuild(newBatchOnly: boolean): void {
  const useCurrent = $<HTMLSelectElement>('graph-model').value === 'current';
  $<HTMLSelectElement>('graph-h').disabled = useCurrent;
  if (!newBatchOnly || model === null || rng === null) {
    const seed = intInput('graph-seed', 0, 2 ** 32 - 1, 'seed');
    const dtype = $<HTMLSelectElement>('graph-dtype').value as DType;
    const B = Number($<HTMLSelectElement>('graph-batch').value);
    const torchRng = $<HTMLSelectElement>('graph-rng').value === 'torch';
    // the lecture: g = torch.Generator().manual_seed(2147483647) draws C, W1, b1, W2, b2, then every batch
    const g = torchRng ? new TorchGenerator(BigInt(TORCH_LECTURE_SEED)) : null;
    rng = g !== null ? new TorchBatches(g) : new MT19937(seed);
    if (useCurrent) {
      // the trained (or loaded) parameters; the seed only draws the batches
      const m = currentModel();
      if (g !== null) skipInitDraws(m.cfg, g); // the batches the lecture draws after its init
      const params = allocParams(m.cfg, dtype);
      params.flat.set(m.flat);
      model = { params, cfg: m.cfg, B, ds: datasetFor(m), what: m.trained ? `the trained model (${m.source})` : 'the untrained default model' };
    } else {
      const ds = embeddedDataset();
      const cfg: ModelConfig = { vocabSize: ds.itos.length, nEmbd: 10, nHidden: Number($<HTMLSelectElement>('graph-h').value), blockSize: ds.blockSize };
      model = g !== null
        ? { params: initParamsTorch(cfg, dtype, g, new TorchGenerator(BigInt(TORCH_GLOBAL_SEED))), cfg, B, ds, what: `the lecture's init (torch generator, seed ${TORCH_LECTURE_SEED})` }
        : { params: initParams(cfg, dtype, rng as MT19937), cfg, B, ds, what: `a fresh init (seed ${seed})` };
    }
    batchNo = 0;
  }
  const { params, cfg, B, ds } = model;
  const X = new Int32Array(B * cfg.blockSize);
  const Y = new Int32Array(B);
  drawBatch(ds.train, cfg.blockSize, rng, X, Y);
  batchNo++;
  snap = snapshot(params, X, Y, cfg);
  const ok = [...Object.values(snap.rows), ...snap.fused].filter((r) => r.approximate && r.shapeOk).length;
  const exact = Object.values(snap.rows).filter((r) => r.exact).length;
  $('graph-status').textContent =
    `${model.what}, batch ${batchNo} of ${B} rows: loss ${snap.loss.toFixed(4)}; ${exact}/26 gradients exact, ${ok}/28 rows approximately equal`;
  for (const f of subscribers) f(snap);
}

const LAYOUT = graphLayout();
const COLUMN: Record<string, number> = { param: 1, chain: 2 };

/** The layered layout (src/core/lab/layout.ts): rows top to bottom, the parameters in a lane of their own. */
function layout(): void {
  for (const p of LAYOUT.nodes) {
    const el = $('graph').querySelector<HTMLElement>(`[data-name="${p.name}"]`);
    if (el === null) continue;
    el.style.gridRow = String(p.row + 1);
    el.style.gridColumn = String(COLUMN[p.lane]);
  }
}

function card(n: GraphNode): HTMLButtonElement {
  const b = h('button', { class: `node ${n.kind}`, 'data-testid': `graph-node-${lectureName(n.name)}`, 'data-name': n.name },
    h('span', { class: 'head' }, h('b', {}, lectureName(n.name)), h('span', { class: 'shape' }), h('span', { class: 'mark', 'aria-hidden': 'true' })),
    h('span', { class: 'formula' }, n.formula));
  b.addEventListener('click', () => select(n.name, true));
  return b;
}

/** The edges, with arrowheads: down the chain, around it on the right for a tensor read again further down, in from the parameters on the left. */
function drawEdges(): void {
  const g = $('graph');
  const svg = g.querySelector('svg');
  if (svg === null) return;
  const box = g.getBoundingClientRect();
  const pos = new Map<string, DOMRect>();
  for (const el of g.querySelectorAll<HTMLElement>('.node')) pos.set(el.dataset.name ?? '', el.getBoundingClientRect());
  const marker = (id: string, colour: string): string =>
    `<marker id="${id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${colour}"/></marker>`;
  const parts: string[] = [`<defs>${marker('graph-arrow', '#8a96ab')}${marker('graph-arrow-hot', '#e09a00')}</defs>`];
  let skips = 0;
  for (const e of LAYOUT.edges) {
    const from = pos.get(e.from);
    const to = pos.get(e.to);
    if (from === undefined || to === undefined) continue;
    const hot = e.to === selected || e.from === selected;
    const L = (r: DOMRect): number => r.left - box.left;
    const T = (r: DOMRect): number => r.top - box.top;
    let d: string;
    if (e.kind === 'chain') {
      const x = L(to) + Math.min(to.width, from.width) * 0.3;
      d = `M${x},${T(from) + from.height} L${x},${T(to) - 1}`;
    } else if (e.kind === 'skip') {
      // around the chain on the right, each skip a little further out
      const x1 = L(from) + from.width;
      const x2 = L(to) + to.width;
      const out = Math.max(x1, x2) + 14 + 8 * (skips++ % 3);
      const y1 = T(from) + from.height / 2;
      const y2 = T(to) + to.height / 2;
      d = `M${x1},${y1} C${out},${y1} ${out},${y2} ${x2 + 1},${y2}`;
    } else {
      const x1 = L(from) + from.width;
      const y1 = T(from) + from.height / 2;
      const x2 = L(to);
      const y2 = T(to) + to.height / 2;
      const mx = (x1 + x2) / 2;
      d = `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2 - 1},${y2}`;
    }
    parts.push(`<path d="${d}" fill="none" stroke="${hot ? '#e09a00' : '#9aa7bd'}" stroke-width="${hot ? 2.2 : 1.2}" marker-end="url(#${hot ? 'graph-arrow-hot' : 'graph-arrow'})"/>`);
  }
  svg.innerHTML = parts.join('');
}

function checkRowEl(name: string, r: CheckRow): HTMLElement {
  const tf = (b: boolean): HTMLElement => h('span', { class: b ? 't' : 'f' }, b ? 'True' : 'False');
  return h('div', { class: 'checkrow', 'data-testid': `check-row-${name}`, role: 'status' },
    `${r.name} | exact: `, tf(r.exact), ' | approximate: ', tf(r.approximate),
    ` | maxdiff: ${pyFloat(r.maxdiff)} | shape: ${shapeStr(r.shape)}${r.shapeOk ? '' : ` but the tensor is ${shapeStr(r.refShape)}`}`);
}

/** A heatmap figure; drawn once it is in the page (its width is the page's), by drawMaps. */
function mapFigure(title: string, t: Tensor): HTMLElement {
  const c = h('canvas');
  const cap = h('figcaption', {}, title);
  const fig = h('figure', {}, c, cap);
  pending.push(() => {
    const { min, max } = heatmap(c, t.shape, t.data);
    const caption = `${title}: min ${min.toPrecision(3)}, max ${max.toPrecision(3)} (blue < 0 < red)`;
    cap.textContent = caption;
    c.setAttribute('role', 'img');
    c.setAttribute('aria-label', `heatmap of ${caption}`);
    hoverValues(c, t.shape, t.data, cap);
  });
  return fig;
}

let pending: (() => void)[] = [];

function drawMaps(): void {
  const todo = pending;
  pending = [];
  for (const f of todo) f();
}

const narrow = (): MediaQueryList => window.matchMedia('(max-width: 800px)');

function select(name: NodeName, tapped = false): void {
  selected = name;
  for (const el of $('graph').querySelectorAll<HTMLElement>('.node')) {
    el.classList.toggle('selected', el.dataset.name === name);
    el.setAttribute('aria-pressed', String(el.dataset.name === name));
  }
  drawEdges();
  renderDetail();
  // on a phone the details are below the graph: bring them into view
  if (tapped && narrow().matches) {
    const reduce = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    $('graph-detail').scrollIntoView({ block: 'start', behavior: reduce ? 'auto' : 'smooth' });
  }
}

function renderDetail(): void {
  const s = currentSnapshot();
  const n = GRAPH.find((g) => g.name === selected) ?? GRAPH[0];
  const value = tensorOf(s, n.name);
  const d = $('graph-detail');
  d.replaceChildren(
    h('h2', {}, `${lectureName(n.name)} `, h('span', { class: 'shape' }, shapeStr(value.shape))),
    h('p', {}, 'forward: ', h('code', {}, n.formula)),
  );
  const maps = h('div', { class: 'maps' }, mapFigure('value', value));
  if (isGrad(n.name)) {
    d.append(
      h('p', {}, 'manual derivative: ', h('code', {}, derivativeOf(n.name))),
      h('p', { class: 'label' }, 'check against the autograd:'),
      checkRowEl(lectureName(n.name), s.rows[n.name]),
    );
    const fused = s.fused.find((r) => r.name.startsWith(`${n.name} `));
    if (fused !== undefined) d.append(checkRowEl(fused.name.replace(/[ ().]+/g, '-').replace(/-$/, ''), fused));
    maps.append(mapFigure(`d${lectureName(n.name)} (autograd)`, s.ref[n.name]));
  } else {
    d.append(h('p', {}, 'the root: ', h('code', {}, derivativeOf(n.name)), `; loss = ${s.loss.toFixed(6)}`));
  }
  d.append(maps);
  drawMaps();
}

function renderMarks(s: Snapshot): void {
  for (const el of $('graph').querySelectorAll<HTMLElement>('.node')) {
    const name = el.dataset.name as NodeName;
    const t = tensorOf(s, name);
    const shape = el.querySelector('.shape');
    if (shape !== null) shape.textContent = shapeStr(t.shape);
    const mark = el.querySelector('.mark');
    if (mark === null || !isGrad(name)) continue;
    const r = s.rows[name];
    const kind = r.exact ? 'exact' : r.approximate ? 'approximate' : 'wrong';
    mark.className = `mark ${kind}`;
    mark.textContent = r.exact ? '✓' : r.approximate ? '≈' : '✗';
    el.title = `check: ${kind}, maxdiff ${r.maxdiff}`;
  }
  $('graph-table').textContent = [...GRAD_NAMES.map((k) => s.rows[k]), ...s.fused].map((r) => formatRow(r)).join('\n');
}

function refresh(newBatchOnly: boolean): void {
  try {
    rebuild(newBatchOnly);
    renderMarks(currentSnapshot());
    renderDetail();
    requestAnimationFrame(drawEdges);
  } catch (e) {
    $('graph-status').textContent = `error: ${errorText(e)}`;
  }
}

export function initGraphView(): void {
  const g = $('graph');
  // in reading order (the layout's rows), so Tab walks the forward top to bottom
  const order = [...LAYOUT.nodes].sort((a, b) => a.row - b.row || COLUMN[a.lane] - COLUMN[b.lane]);
  for (const p of order) g.append(card(GRAPH.find((n) => n.name === p.name) ?? GRAPH[0]));
  layout();
  narrow().addEventListener('change', () => requestAnimationFrame(() => {
    drawEdges();
    renderDetail();
  }));
  onModel(() => {
    if ($<HTMLSelectElement>('graph-model').value === 'current') refresh(false);
  });
  for (const id of ['graph-model', 'graph-seed', 'graph-batch', 'graph-h', 'graph-dtype', 'graph-rng']) $(id).addEventListener('change', () => refresh(false));
  $('graph-new-batch').addEventListener('click', () => refresh(true));
  new ResizeObserver(() => drawEdges()).observe(g);
  refresh(false);
  select(selected);
}

export function redrawGraph(): void {
  drawEdges();
  renderDetail();
}
