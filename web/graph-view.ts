// Graph view: the chunked forward's 27 tensors as cards with their lecture line, in the lecture's names
// (counts_sum_inv); click one for its shape, value and gradient heatmaps, the manual derivative and its check
// row against the autograd.

import { formatRow, pyFloat, type CheckRow } from '../src/core/judge/check.js';
import { drawBatch, type Dataset } from '../src/core/reference/data.js';
import { GRAPH, derivativeOf, type GraphNode, type NodeName } from '../src/core/lab/content.js';
import { snapshot, type Snapshot } from '../src/core/lab/runner.js';
import { GRAD_NAMES, PARAM_NAMES, allocParams, initParams, type ActName, type GradName, type ModelConfig, type ParamName, type Params } from '../src/core/reference/model.js';
import { MT19937 } from '../src/core/random/python.js';
import { TorchGenerator } from '../src/core/random/torch.js';
import { TORCH_GLOBAL_SEED, TORCH_LECTURE_SEED, TorchBatches, initParamsTorch, skipInitDraws } from '../src/core/run/torchrun.js';
import { lectureName } from '../src/core/reference/names.js';
import { shapeStr, type DType, type Tensor } from '../src/core/reference/block.js';
import { heatmap, hoverValues } from './draw.js';
import { $, currentModel, datasetFor, embeddedDataset, errorText, h, intInput, onModel } from './dom.js';

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

/** Cards in reading order: each parameter just before the tensor that first uses it. */
const DISPLAY: readonly NodeName[] = [
  'C', 'emb', 'embcat', 'W1', 'b1', 'hprebn', 'bnmeani', 'bndiff', 'bndiff2', 'bnvar', 'bnvarInv', 'bnraw', 'bngain',
  'bnbias', 'hpreact', 'h', 'W2', 'b2', 'logits', 'logitMaxes', 'normLogits', 'counts', 'countsSum', 'countsSumInv',
  'probs', 'logprobs', 'loss',
];

/** A snake (boustrophedon) layout, so consecutive tensors always sit side by side. */
function layout(): void {
  const cols = window.matchMedia('(max-width: 800px)').matches ? 2 : 5;
  DISPLAY.forEach((name, i) => {
    const el = $('graph').querySelector<HTMLElement>(`[data-name="${name}"]`);
    if (el === null) return;
    const row = Math.floor(i / cols);
    const col = row % 2 === 0 ? i % cols : cols - 1 - (i % cols);
    el.style.gridRow = String(row + 1);
    el.style.gridColumn = String(col + 1);
  });
}

function card(n: GraphNode): HTMLButtonElement {
  const b = h('button', { class: `node ${n.kind}`, 'data-testid': `graph-node-${lectureName(n.name)}`, 'data-name': n.name },
    h('b', {}, lectureName(n.name)), h('span', { class: 'shape' }), h('span', { class: 'mark', 'aria-hidden': 'true' }),
    h('span', { class: 'formula' }, n.formula));
  b.addEventListener('click', () => select(n.name));
  return b;
}

function drawEdges(): void {
  const g = $('graph');
  const svg = g.querySelector('svg');
  if (svg === null) return;
  const box = g.getBoundingClientRect();
  const pos = new Map<string, DOMRect>();
  for (const el of g.querySelectorAll<HTMLElement>('.node')) pos.set(el.dataset.name ?? '', el.getBoundingClientRect());
  const lines: string[] = [];
  for (const n of GRAPH) {
    const to = pos.get(n.name);
    for (const i of n.inputs) {
      const from = pos.get(i);
      if (from === undefined || to === undefined) continue;
      const x1 = from.left + from.width / 2 - box.left;
      const y1 = from.top + from.height / 2 - box.top;
      const x2 = to.left + to.width / 2 - box.left;
      const y2 = to.top + to.height / 2 - box.top;
      const my = (y1 + y2) / 2;
      const hot = n.name === selected || i === selected;
      lines.push(`<path d="M${x1},${y1} C${x1},${my} ${x2},${my} ${x2},${y2}" fill="none" stroke="${hot ? '#ffb000' : '#9aa7bd'}" stroke-width="${hot ? 2.5 : 1.2}"/>`);
    }
  }
  svg.innerHTML = lines.join('');
}

function checkRowEl(name: string, r: CheckRow): HTMLElement {
  const tf = (b: boolean): HTMLElement => h('span', { class: b ? 't' : 'f' }, b ? 'True' : 'False');
  return h('div', { class: 'checkrow', 'data-testid': `check-row-${name}`, role: 'status' },
    `${r.name} | exact: `, tf(r.exact), ' | approximate: ', tf(r.approximate),
    ` | maxdiff: ${pyFloat(r.maxdiff)} | shape: ${shapeStr(r.shape)}${r.shapeOk ? '' : ` but the tensor is ${shapeStr(r.refShape)}`}`);
}

function mapFigure(title: string, t: Tensor): HTMLElement {
  const c = h('canvas');
  const fig = h('figure', {}, c);
  const { min, max } = heatmap(c, t.shape, t.data);
  const caption = `${title}: min ${min.toPrecision(3)}, max ${max.toPrecision(3)} (blue < 0 < red)`;
  c.setAttribute('role', 'img');
  c.setAttribute('aria-label', `heatmap of ${caption}`);
  const cap = h('figcaption', {}, caption);
  fig.append(cap);
  hoverValues(c, t.shape, t.data, cap);
  return fig;
}

function select(name: NodeName): void {
  selected = name;
  for (const el of $('graph').querySelectorAll<HTMLElement>('.node')) {
    el.classList.toggle('selected', el.dataset.name === name);
    el.setAttribute('aria-pressed', String(el.dataset.name === name));
  }
  drawEdges();
  renderDetail();
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
  for (const name of DISPLAY) g.append(card(GRAPH.find((n) => n.name === name) ?? GRAPH[0]));
  layout();
  window.matchMedia('(max-width: 800px)').addEventListener('change', () => {
    layout();
    requestAnimationFrame(drawEdges);
  });
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
