// The Notebook tab: a Jupyter-like notebook run by CPython in a module worker (Pyodide from our own site).
// Cells edit in CodeMirror 6 with Python highlighting; Shift+Enter runs a cell and moves on, Run all runs
// them in order and stops at the first error; the outputs appear under each cell as they are printed.
// Outputs are rendered as text (textContent) and figures as <img src="data:image/svg+xml,..."> (an SVG in an
// <img> runs no script and loads nothing): no markup from the notebook is ever parsed into this page.

import type { EditorView } from 'codemirror';
import { embeddedNames } from '../src/core/reference/embedded.js';
import {
  addOutput, executedNotebook, joinSource, parseIpynb, parsePy, type Cell, type Notebook, type Output,
} from '../src/notebook/nbformat.js';
import { createCodeEditor } from './code-editor.js';
import { $, errorText, h } from './dom.js';
import { Kernel, type CellEvent, type KernelState } from './notebook-kernel.js';
import type { DataFile } from './notebook-protocol.js';
import { loadSaved, save } from './notebook-store.js';
import starterSource from './starter-notebook.py?raw';

const STARTER_NAME = 'backprop-ninja-starter.py';

interface NbCell {
  kind: Cell['cell_type'];
  source: string;
  outputs: Output[];
  /** the execution count of its last run; '*' while queued or running */
  count: number | null | '*';
  id?: string;
  metadata: Record<string, unknown>;
  /** the DOM and editor, made by render() */
  el?: HTMLElement;
  view?: EditorView;
  out?: HTMLElement;
  gutter?: HTMLElement;
}

let kernel: Kernel;
let name = STARTER_NAME;
let meta: Record<string, unknown> = {};
let cells: NbCell[] = [];
/** the data files beside the notebook, by name; names.txt is the embedded names unless the user gave one */
const files = new Map<string, DataFile>();
let embeddedNamesFile = true;
let counter = 0;
/** cells waiting to run, in order (Run all, Shift+Enter while another runs) */
let queue: NbCell[] = [];
let running: NbCell | null = null;
let runStart = 0;
let statusTimer = 0;
/** what the status line says after the kernel's state: the last cell's time, an error, a restart */
let lastNote = '';
const RESTARTED = 'The kernel was restarted: the variables are gone';
let started = false;

// ---- status ------------------------------------------------------------------------------------------------
function setStatus(state: KernelState | 'restarted', text: string): void {
  const el = $('notebook-status');
  el.dataset.state = state;
  el.textContent = text;
}

function tickStatus(): void {
  const secs = (t: number): string => `${((performance.now() - t) / 1000).toFixed(1)} s`;
  if (kernel.state === 'loading') {
    const restarted = lastNote.startsWith(RESTARTED);
    setStatus(restarted ? 'restarted' : 'loading', `${restarted ? `${lastNote}. ` : ''}Loading Python (Pyodide, from this site)… ${secs(loadStart)}`);
  } else if (kernel.state === 'busy' && running !== null) {
    const more = queue.length > 0 ? `, ${queue.length} more queued` : '';
    setStatus('busy', `Running In [${counter}]… ${secs(runStart)}${more}`);
  }
}

let loadStart = 0;
function kernelState(s: KernelState, detail: string): void {
  // between the cells of a run the kernel is idle for a moment: the status goes idle when the run is over
  if (s === 'idle' && (running !== null || queue.length > 0)) return;
  if (s === 'loading') {
    loadStart = performance.now();
    counter = 0;
  }
  if (s === 'failed') setStatus('failed', `The Python runtime failed: ${detail}`);
  if (s === 'idle') {
    const ready = `Python ${kernel.python} ready (loaded in ${(kernel.startMs / 1000).toFixed(1)} s${kernel.fromSnapshot ? ', from its snapshot' : ''})`;
    setStatus('idle', lastNote === '' ? ready : `${lastNote} · ${ready}`);
  }
  window.clearInterval(statusTimer);
  if (s === 'loading' || s === 'busy') {
    tickStatus();
    statusTimer = window.setInterval(tickStatus, 100);
  }
  $<HTMLButtonElement>('notebook-stop').disabled = s !== 'busy';
}

// ---- outputs -----------------------------------------------------------------------------------------------
/** A stream as a terminal shows it: a '\r' returns to the start of the line, so later text overwrites it. */
export function terminalText(s: string): string {
  return s.split('\n').map((line) => {
    const parts = line.split('\r');
    let out = '';
    for (const p of parts) out = p + out.slice(p.length);
    return out;
  }).join('\n');
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;

function renderOutput(o: Output): HTMLElement {
  switch (o.output_type) {
    case 'stream':
      return h('pre', { class: `nb-stream ${o.name}` }, terminalText(joinSource(o.text)));
    case 'error':
      return h('pre', { class: 'nb-error' }, o.traceback.join('\n').replace(ANSI, ''));
    case 'execute_result':
    case 'display_data': {
      const svg = o.data['image/svg+xml'];
      if (svg !== undefined) {
        const img = h('img', { class: 'nb-figure', alt: joinSource(o.data['text/plain'] ?? 'a figure') });
        img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(joinSource(svg))}`;
        return img;
      }
      const png = o.data['image/png'];
      if (png !== undefined) {
        const img = h('img', { class: 'nb-figure', alt: joinSource(o.data['text/plain'] ?? 'a figure') });
        img.src = `data:image/png;base64,${joinSource(png).replace(/\s/g, '')}`;
        return img;
      }
      const text = joinSource(o.data['text/plain'] ?? '');
      return h('pre', { class: o.output_type === 'execute_result' ? 'nb-result' : 'nb-display' }, text);
    }
  }
}

const dirty = new Set<NbCell>();
let frame = 0;

/** Redraws a cell's outputs at the next frame (a loop that prints fast redraws once per frame). */
function outputsChanged(c: NbCell): void {
  dirty.add(c);
  if (frame === 0) {
    frame = requestAnimationFrame(() => {
      frame = 0;
      for (const d of dirty) drawOutputs(d);
      dirty.clear();
    });
  }
}

function drawOutputs(c: NbCell): void {
  if (c.out === undefined || c.kind !== 'code') return;
  c.out.replaceChildren(...c.outputs.map(renderOutput));
  if (c.gutter !== undefined) c.gutter.textContent = `[${c.count === null ? ' ' : c.count}]`;
}

// ---- markdown (a small safe subset: headings, paragraphs, lists, `code`, **bold**; text only) ------------
function inline(text: string): (Node | string)[] {
  const out: (Node | string)[] = [];
  const re = /`([^`]+)`|\*\*([^*]+)\*\*|\$([^$]+)\$/g;
  let last = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    out.push(text.slice(last, m.index));
    out.push(m[1] !== undefined ? h('code', {}, m[1]) : m[2] !== undefined ? h('b', {}, m[2]) : h('i', {}, m[3]));
    last = re.lastIndex;
  }
  out.push(text.slice(last));
  return out;
}

function renderMarkdown(src: string): HTMLElement[] {
  const blocks: HTMLElement[] = [];
  let para: string[] = [];
  let list: HTMLElement | null = null;
  const flush = (): void => {
    if (para.length > 0) blocks.push(h('p', {}, ...inline(para.join(' '))));
    para = [];
    list = null;
  };
  for (const line of src.split('\n')) {
    const head = /^(#{1,6})\s+(.*)$/.exec(line);
    const item = /^\s*[-*]\s+(.*)$/.exec(line);
    if (head !== null) {
      flush();
      blocks.push(h(`h${Math.min(head[1].length + 1, 6)}` as 'h2', {}, ...inline(head[2])));
    } else if (item !== null) {
      if (para.length > 0) flush();
      if (list === null) {
        list = h('ul');
        blocks.push(list);
      }
      list.append(h('li', {}, ...inline(item[1])));
    } else if (line.trim() === '') flush();
    else if (list !== null && para.length === 0) {
      // a list item's continuation line (markdown's lazy continuation)
      const li = list.lastElementChild;
      li?.append(' ', ...inline(line.trim()));
    } else para.push(line);
  }
  flush();
  return blocks;
}

// ---- cells -------------------------------------------------------------------------------------------------
function editor(c: NbCell, parent: HTMLElement): EditorView {
  return createCodeEditor(parent, c.source, {
    python: c.kind === 'code',
    keys: [
      { key: 'Shift-Enter', run: () => (runAndAdvance(c), true) },
      { key: 'Mod-Enter', run: () => (void runCells([c]), true) },
    ],
    onChange: (text) => {
      c.source = text;
      persistSoon();
    },
  });
}

function render(): void {
  const list = $('notebook-cells');
  for (const c of cells) c.view?.destroy();
  list.replaceChildren();
  cells.forEach((c, i) => list.append(cellElement(c, i)));
  $('notebook-name').textContent = name;
}

function cellElement(c: NbCell, i: number): HTMLElement {
  const ed = h('div', { class: 'nb-editor code-editor', 'data-testid': `notebook-editor-${i}` });
  const out = h('div', { class: 'nb-output', 'data-testid': `notebook-output-${i}`, 'aria-live': 'polite' });
  const gutter = h('span', { class: 'nb-count' }, c.kind === 'code' ? `[${c.count ?? ' '}]` : '');
  const tools = h('div', { class: 'nb-tools' });
  if (c.kind === 'code') {
    const run = h('button', { class: 'small', title: 'Run this cell (Shift+Enter)', 'aria-label': `run cell ${i + 1}` }, '▶');
    run.addEventListener('click', () => void runCells([c]));
    tools.append(run);
  }
  const add = h('button', { class: 'small', title: 'Insert a code cell below', 'aria-label': `insert a cell below cell ${i + 1}` }, '+');
  add.addEventListener('click', () => insertBelow(c));
  const del = h('button', { class: 'small', title: 'Delete this cell', 'aria-label': `delete cell ${i + 1}` }, '✕');
  del.addEventListener('click', () => deleteCell(c));
  tools.append(add, del);
  const el = h('div', { class: `nb-cell ${c.kind}`, 'data-testid': `notebook-cell-${i}` },
    h('div', { class: 'nb-gutter' }, gutter, tools), h('div', { class: 'nb-body' }, ed, out));
  c.el = el;
  c.out = out;
  c.gutter = gutter;
  c.view = editor(c, ed);
  if (c.kind === 'markdown') {
    // shown rendered; a double click edits it, Shift+Enter (or leaving it) renders it again
    const show = (): void => {
      out.replaceChildren(...renderMarkdown(c.source));
      ed.hidden = true;
      out.hidden = false;
    };
    out.classList.add('nb-markdown');
    out.addEventListener('dblclick', () => {
      ed.hidden = false;
      out.hidden = true;
      c.view?.focus();
    });
    ed.addEventListener('focusout', (e) => {
      if (!ed.contains(e.relatedTarget as Node | null)) show();
    });
    show();
  } else if (c.kind === 'code') {
    drawOutputs(c);
  }
  return el;
}

function insertBelow(c: NbCell): void {
  const i = cells.indexOf(c);
  cells.splice(i + 1, 0, { kind: 'code', source: '', outputs: [], count: null, metadata: {} });
  render();
  cells[i + 1].view?.focus();
  persistSoon();
}

function deleteCell(c: NbCell): void {
  if (c === running || queue.includes(c)) return;
  cells.splice(cells.indexOf(c), 1);
  if (cells.length === 0) cells.push({ kind: 'code', source: '', outputs: [], count: null, metadata: {} });
  render();
  persistSoon();
}

function runAndAdvance(c: NbCell): void {
  if (c.kind === 'code') void runCells([c]);
  else c.view?.contentDOM.blur();
  const i = cells.indexOf(c);
  if (i === cells.length - 1) insertBelow(c);
  else {
    const next = cells[i + 1];
    if (next.kind === 'code') next.view?.focus();
    else next.el?.scrollIntoView({ block: 'nearest' });
  }
}

// ---- running -----------------------------------------------------------------------------------------------
function onEvent(c: NbCell, e: CellEvent): void {
  if (e.type === 'stream') addOutput(c.outputs, { output_type: 'stream', name: e.name, text: e.text });
  else if (e.type === 'display') addOutput(c.outputs, { output_type: 'display_data', data: e.data, metadata: {} });
  else addOutput(c.outputs, { output_type: 'execute_result', execution_count: e.count, data: { 'text/plain': e.text }, metadata: {} });
  outputsChanged(c);
}

let pumping = false;

/** Queues code cells to run after those already queued; runs the queue unless it is running. */
async function runCells(list: NbCell[]): Promise<void> {
  for (const c of list) {
    if (c.kind !== 'code' || c === running || queue.includes(c)) continue;
    c.count = '*';
    c.outputs = [];
    outputsChanged(c);
    queue.push(c);
  }
  if (pumping) return;
  pumping = true;
  try {
    while (queue.length > 0) {
      const c = queue.shift() as NbCell;
      if (!cells.includes(c)) continue;
      running = c;
      runStart = performance.now();
      try {
        const count = ++counter;
        const outcome = await kernel.run(c.source, count, (e) => onEvent(c, e));
        c.count = count;
        const ms = performance.now() - runStart;
        const took = ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(1)} s`;
        lastNote = `In [${count}] ran in ${took}`;
        if (outcome.status === 'error') {
          addOutput(c.outputs, { output_type: 'error', ename: outcome.ename, evalue: outcome.evalue, traceback: outcome.traceback });
          lastNote = outcome.interrupted
            ? `In [${count}] stopped after ${took} (KeyboardInterrupt); the variables are kept`
            : `In [${count}] raised ${outcome.ename} after ${took}`;
          clearQueue();
        }
      } catch (e) {
        // the kernel was restarted under the cell (Stop without cross-origin isolation) or failed
        c.count = null;
        addOutput(c.outputs, { output_type: 'stream', name: 'stderr', text: `${errorText(e)}\n` });
        clearQueue();
      }
      running = null;
      // the outputs are on the page before the status says idle
      dirty.delete(c);
      drawOutputs(c);
      persistSoon(0);
      if (queue.length === 0 && kernel.state === 'idle') kernelState('idle', '');
    }
  } finally {
    pumping = false;
    running = null;
  }
}

function clearQueue(): void {
  for (const q of queue) {
    q.count = null;
    outputsChanged(q);
  }
  queue = [];
}

async function stop(): Promise<void> {
  clearQueue();
  const how = await kernel.stop();
  if (how === 'restarted') {
    counter = 0;
    lastNote = RESTARTED;
    setStatus('restarted', `${lastNote}. Loading Python again…`);
  }
}

// ---- notebooks and files ---------------------------------------------------------------------------------
function fromNotebook(nb: Notebook): NbCell[] {
  return nb.cells.map((c) => ({
    kind: c.cell_type,
    source: joinSource(c.source),
    outputs: c.cell_type === 'code' ? (c.outputs ?? []).map((o) => ({ ...o })) : [],
    count: typeof c.execution_count === 'number' ? c.execution_count : null,
    id: c.id,
    metadata: c.metadata,
  }));
}

function toNotebook(): Notebook {
  const nb: Notebook = {
    nbformat: 4, nbformat_minor: 5, metadata: meta,
    cells: cells.map((c): Cell => ({ cell_type: c.kind, id: c.id, source: c.source, metadata: c.metadata })),
  };
  const results = new Map<number, { count: number | null; outputs: Output[] }>();
  cells.forEach((c, i) => {
    if (c.kind === 'code') results.set(i, { count: typeof c.count === 'number' ? c.count : null, outputs: c.outputs });
  });
  return executedNotebook(nb, results);
}

function load(fileName: string, text: string): void {
  const nb = /\.ipynb$/i.test(fileName) ? parseIpynb(text, fileName) : parsePy(text);
  if (nb.cells.length === 0) nb.cells.push({ cell_type: 'code', source: '', metadata: {}, outputs: [], execution_count: null });
  clearQueue();
  name = fileName;
  meta = nb.metadata;
  cells = fromNotebook(nb);
  render();
  persistSoon(0);
}

function embeddedNamesTxt(): DataFile {
  const names = embeddedNames();
  return { name: 'names.txt', bytes: new TextEncoder().encode(`${names.join('\n')}\n`) };
}

function drawFiles(): void {
  const el = $('notebook-files');
  const items: (Node | string)[] = ['Files beside the notebook: '];
  [...files.keys()].sort().forEach((f, i) => {
    if (i > 0) items.push(', ');
    items.push(h('code', {}, f));
  });
  if (!embeddedNamesFile && files.has('names.txt')) {
    const back = h('button', { id: 'notebook-embedded', class: 'small', title: 'Put the embedded names back as names.txt' }, 'use the embedded names');
    back.addEventListener('click', () => {
      const f = embeddedNamesTxt();
      files.set(f.name, f);
      embeddedNamesFile = true;
      void kernel.addFiles([f]);
      drawFiles();
      persistSoon(0);
    });
    items.push(' ', back);
  }
  el.replaceChildren(...items);
  const note = $('notebook-names-note');
  note.hidden = !embeddedNamesFile;
  if (embeddedNamesFile) {
    const n = embeddedNames().length;
    note.textContent = `names.txt here is the embedded list of ${n.toLocaleString('en')} English first names, not the lecture's data ` +
      '(its 32,033 names): drop the lecture\'s names.txt here to run the notebook on it.';
  }
}

async function addDataFiles(list: File[]): Promise<void> {
  const added: DataFile[] = [];
  for (const f of list) added.push({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) });
  for (const f of added) {
    files.set(f.name, f);
    if (f.name === 'names.txt') embeddedNamesFile = false;
  }
  await kernel.addFiles(added);
  drawFiles();
  persistSoon(0);
}

async function openFiles(list: File[]): Promise<void> {
  const err = $('notebook-error');
  err.textContent = '';
  const nbs = list.filter((f) => /\.(ipynb|py)$/i.test(f.name));
  const data = list.filter((f) => !/\.(ipynb|py)$/i.test(f.name));
  try {
    if (nbs.length > 1) throw new Error(`one notebook at a time: got ${nbs.map((f) => f.name).join(', ')}`);
    if (nbs.length === 1) load(nbs[0].name, await nbs[0].text());
    if (data.length > 0) await addDataFiles(data);
  } catch (e) {
    err.textContent = errorText(e);
  }
}

function download(): void {
  const text = `${JSON.stringify(toNotebook(), null, 1)}\n`;
  const a = h('a', { download: name.replace(/\.(py|ipynb)$/i, '') + '.ipynb' });
  const url = URL.createObjectURL(new Blob([text], { type: 'application/x-ipynb+json' }));
  a.href = url;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// ---- persistence -----------------------------------------------------------------------------------------
let saveTimer = 0;
function persistSoon(delay = 400): void {
  const section = $('view-notebook');
  section.dataset.saved = 'false';
  window.clearTimeout(saveTimer);
  saveTimer = window.setTimeout(() => {
    save({ name, nb: toNotebook(), files: embeddedNamesFile ? [...files.values()].filter((f) => f.name !== 'names.txt') : [...files.values()] })
      .then(() => {
        section.dataset.saved = 'true';
      })
      .catch((e: unknown) => {
        section.dataset.saved = 'failed';
        $('notebook-error').textContent = `the notebook could not be saved in this browser: ${errorText(e)}`;
      });
  }, delay);
}

async function restore(): Promise<void> {
  let saved = null;
  try {
    saved = await loadSaved();
  } catch {
    saved = null; // storage refused: start from the starter notebook
  }
  if (saved !== null) {
    name = saved.name;
    meta = saved.nb.metadata;
    cells = fromNotebook(saved.nb);
    for (const f of saved.files) {
      files.set(f.name, f);
      if (f.name === 'names.txt') embeddedNamesFile = false;
    }
  } else {
    const nb = parsePy(starterSource);
    name = STARTER_NAME;
    meta = nb.metadata;
    cells = fromNotebook(nb);
  }
  if (embeddedNamesFile) files.set('names.txt', embeddedNamesTxt());
  await kernel.addFiles([...files.values()]);
  render();
  drawFiles();
}

// ---- the view ------------------------------------------------------------------------------------------------
/** Called when the Notebook tab is first shown: loads the saved notebook (or the starter) and Python. */
export function showNotebookView(): void {
  if (started) return;
  started = true;
  void restore().then(() => kernel.start()).catch((e: unknown) => {
    $('notebook-error').textContent = errorText(e);
  });
}

export function initNotebookView(): void {
  // ?nosnapshot: every start from scratch (to time a cold start; see the README)
  const snapshots = !new URLSearchParams(location.search).has('nosnapshot');
  kernel = new Kernel(new URL('pyodide/', document.baseURI).href, { state: kernelState }, snapshots);
  $<HTMLButtonElement>('notebook-stop').disabled = true;
  $('notebook-run-all').addEventListener('click', () => void runCells(cells));
  $('notebook-stop').addEventListener('click', () => void stop());
  $('notebook-restart').addEventListener('click', () => {
    clearQueue();
    lastNote = RESTARTED;
    kernel.restart();
  });
  $('notebook-download').addEventListener('click', download);
  $('notebook-starter').addEventListener('click', () => load(STARTER_NAME, starterSource));
  const open = $<HTMLInputElement>('notebook-open');
  open.addEventListener('change', () => {
    void openFiles([...(open.files ?? [])]).then(() => {
      open.value = '';
    });
  });
  const data = $<HTMLInputElement>('notebook-data');
  data.addEventListener('change', () => {
    void addDataFiles([...(data.files ?? [])]).then(() => {
      data.value = '';
    });
  });
  const zone = $('view-notebook');
  zone.addEventListener('dragover', (e) => {
    if (e.dataTransfer?.types.includes('Files') !== true) return;
    e.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', (e) => {
    if (e.target === zone) zone.classList.remove('over');
  });
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    void openFiles([...(e.dataTransfer?.files ?? [])]);
  });
  setStatus('loading', 'Python loads when this tab is first opened');
}
