// The Notebook tab: a Jupyter-like notebook run by CPython in a module worker (Pyodide from our own site).
// The cells (notebook-cells.ts) take Jupyter's keys in command and edit mode; Run all runs them in order and
// stops at the first error; the outputs appear under each cell as they are printed (notebook-outputs.ts).
// The notebooks, data files and folders live in this browser (notebook-store.ts) and show in a file panel
// (notebook-files.ts), a folder at a time; the cells run in the open notebook's folder, the whole file area
// around them at its own layout, and what they write is kept; nothing is replaced without asking, and a tab whose notebook another tab saved meanwhile
// asks before its next save rather than overwriting it.

import { embeddedNames } from '../src/core/reference/embedded.js';
import { addOutput, executedNotebook, joinSource, parseIpynb, parsePy, type Cell, type Notebook } from '../src/notebook/nbformat.js';
import { $, errorText, h } from './dom.js';
import { CellList, cellId, newCell, type NbCell } from './notebook-cells.js';
import { ask, CANCEL } from './notebook-dialog.js';
import { badName, downloadBlob, drawCrumbs, drawFileList, drawLectures, freeName, type FileRow, type Lecture } from './notebook-files.js';
import { Kernel, type CellEvent, type KernelState } from './notebook-kernel.js';
import { checkOutputs } from './notebook-outputs.js';
import { baseName, joinArea, parentOf, within, type AreaChanges, type DataFile } from './notebook-protocol.js';
import {
  deleteFile, listFiles, onStoreChange, openName, readFile, renameFile, saveData, saveFolder, saveNotebook, setOpenName, type StoredFile,
} from './notebook-store.js';
import starterSource from './starter-notebook.py?raw';

const STARTER_NAME = 'backprop-ninja-starter.py';

/** The notebook open in this tab: its name, metadata, and the stored revision its cells were loaded or saved as. */
interface Doc {
  name: string;
  meta: Record<string, unknown>;
  rev: number;
}

let kernel: Kernel;
let list: CellList;
let doc: Doc = { name: '', meta: {}, rev: 0 };
/** the stored files and folders by path, without their contents (the panel's rows) */
const stored = new Map<string, { kind: 'notebook' | 'data' | 'folder'; size: number }>();
/** the data files in the kernel's file area, by path; names.txt is the embedded names unless the user gave one */
const dataFiles = new Map<string, DataFile>();
/** the folder the panel shows ('' the root): New, Open… and Add data… put files there */
let folder = '';
let embeddedNamesFile = true;
/** another tab saved (or deleted) the open notebook: this tab does not save until the user chooses */
let conflict: 'changed' | 'deleted' | null = null;
let storageWorks = true;
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
let loaded = false;

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

// ---- running -----------------------------------------------------------------------------------------------
function onEvent(c: NbCell, e: CellEvent): void {
  if (e.type === 'stream') addOutput(c.outputs, { output_type: 'stream', name: e.name, text: e.text });
  else if (e.type === 'display') addOutput(c.outputs, { output_type: 'display_data', data: e.data, metadata: {} });
  else addOutput(c.outputs, { output_type: 'execute_result', execution_count: e.count, data: { ...e.data, 'text/plain': e.text }, metadata: {} });
  list.outputsChanged(c);
}

let pumping = false;

/** Queues code cells to run after those already queued; runs the queue unless it is running. */
async function runCells(cells: NbCell[]): Promise<void> {
  for (const c of cells) {
    if (c.kind !== 'code' || c === running || queue.includes(c)) continue;
    c.state = 'queued';
    list.drawPrompt(c);
    queue.push(c);
  }
  if (pumping) return;
  pumping = true;
  try {
    while (queue.length > 0) {
      const c = queue.shift() as NbCell;
      if (!list.cells.includes(c)) {
        c.state = 'idle';
        continue;
      }
      running = c;
      c.state = 'running';
      c.outputs = [];
      list.drawPrompt(c);
      list.outputsNow(c);
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
      c.state = 'idle';
      // the outputs are on the page before the status says idle
      list.drawPrompt(c);
      list.outputsNow(c);
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
    q.state = 'idle';
    list.drawPrompt(q);
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

/** Restart (0,0 or the button), after asking as Jupyter does; then Run all when asked to. */
async function restart(thenRunAll: boolean): Promise<void> {
  const a = await ask({
    title: thenRunAll ? 'Restart the kernel and run all cells?' : 'Restart the kernel?',
    body: 'Python ends and a fresh one starts: all variables are lost.' + (thenRunAll ? ' Then every cell runs in order.' : ''),
    choices: [CANCEL, { label: thenRunAll ? 'Restart and run all' : 'Restart', value: 'restart', danger: true }],
  });
  if (a === null) {
    list.command();
    return;
  }
  clearQueue();
  lastNote = RESTARTED;
  kernel.restart();
  if (thenRunAll) list.run(list.cells);
  list.command();
}

function clearOutputs(cells: NbCell[]): void {
  for (const c of cells) {
    if (c.kind !== 'code' || c.state !== 'idle') continue;
    c.outputs = [];
    c.count = null;
    list.drawPrompt(c);
    list.outputsNow(c);
  }
  persistSoon();
}

// ---- notebooks in and out ------------------------------------------------------------------------------------
/** A saved notebook's cells as the tab holds them; each output checked (a malformed one becomes a note). */
function fromNotebook(nb: Notebook): NbCell[] {
  return nb.cells.map((c) => {
    const kind = c.cell_type === 'code' || c.cell_type === 'markdown' || c.cell_type === 'raw' ? c.cell_type : 'raw';
    const source = typeof c.source === 'string' || Array.isArray(c.source) ? joinSource(c.source) : '';
    return {
      kind,
      source,
      outputs: kind === 'code' ? checkOutputs(c.outputs) : [],
      count: typeof c.execution_count === 'number' ? c.execution_count : null,
      state: 'idle',
      id: typeof c.id === 'string' ? c.id : cellId(),
      metadata: typeof c.metadata === 'object' && c.metadata !== null ? c.metadata : {},
      rendered: kind === 'markdown',
    } satisfies NbCell;
  });
}

function toNotebook(): Notebook {
  const nb: Notebook = {
    nbformat: 4, nbformat_minor: 5, metadata: doc.meta,
    cells: list.cells.map((c): Cell => ({ cell_type: c.kind, id: c.id, source: c.source, metadata: c.metadata })),
  };
  const results = new Map<number, { count: number | null; outputs: NbCell['outputs'] }>();
  list.cells.forEach((c, i) => {
    if (c.kind === 'code') results.set(i, { count: c.count, outputs: c.outputs });
  });
  return executedNotebook(nb, results);
}

function parseNotebook(fileName: string, text: string): Notebook {
  const nb = /\.ipynb$/i.test(fileName) ? parseIpynb(text, fileName) : parsePy(text);
  if (nb.cells.length === 0) nb.cells.push({ cell_type: 'code', source: '', metadata: {}, outputs: [], execution_count: null });
  return nb;
}

/** Shows a notebook in the tab (the one open is saved first, see leave()). */
function show(name: string, nb: Notebook, rev: number): void {
  clearQueue();
  conflict = null;
  $('notebook-conflict').hidden = true;
  doc = { name, meta: typeof nb.metadata === 'object' && nb.metadata !== null ? nb.metadata : {}, rev };
  let cells: NbCell[];
  try {
    cells = fromNotebook(nb);
  } catch (e) {
    cells = [newCell('markdown', `This notebook could not be read: ${errorText(e)}`)];
  }
  list.load(cells);
  $('notebook-name').textContent = name;
  $('view-notebook').dataset.saved = 'true';
  // data-open-kept: the name is in the store (a reload opens this notebook again); the write is asynchronous
  void setOpenName(name).then(() => {
    if (doc.name === name) $('view-notebook').dataset.openKept = name;
  }).catch(() => undefined);
  // the cells run in the notebook's own folder, as Jupyter starts a notebook's kernel there
  if (kernel.cwd !== parentOf(name)) void kernel.addFiles([], [], [], parentOf(name)).catch(() => undefined);
  drawFiles();
}

/** A path not stored yet: `path` itself, else its name with -Copy1, -Copy2... (freeName) in the same folder. */
function freePath(path: string, sep?: string, taken: (p: string) => boolean = (p) => stored.has(p)): string {
  const dir = parentOf(path);
  return joinArea(dir, freeName(baseName(path), (n) => taken(joinArea(dir, n)), sep));
}

/**
 * Before another notebook replaces this one in the tab: its last edits saved; a running cell stopped (asked
 * first); edits another tab's save made stale saved as a copy or dropped (asked). False: stay.
 */
async function leave(): Promise<boolean> {
  if (running !== null || queue.length > 0) {
    const a = await ask({
      title: 'A cell is running',
      body: `In [*] of ${doc.name} is running. Stop it and open the other notebook? (The variables stay unless Stop has to restart Python.)`,
      choices: [CANCEL, { label: 'Stop it', value: 'stop', primary: true }],
    });
    if (a === null) return false;
    await stop();
  }
  if (conflict !== null) {
    const a = await ask({
      title: `Your edits to ${doc.name} are not saved`,
      body: 'Another tab changed this notebook; this tab\'s version is only here. Keep it as a copy?',
      choices: [CANCEL, { label: 'Drop them', value: 'drop', danger: true }, { label: 'Save a copy', value: 'copy', primary: true }],
    });
    if (a === null) return false;
    if (a.choice === 'copy') await saveCopy();
    return true;
  }
  await saveNow();
  return true;
}

async function openStored(name: string): Promise<void> {
  if (name === doc.name && conflict === null) return;
  const f = await readFile(name).catch(() => undefined);
  if (f?.nb === undefined) {
    showError(`${name} is no longer in this browser's storage`);
    await refreshFiles();
    return;
  }
  if (!(await leave())) return;
  show(name, f.nb, f.rev);
}

const sourcesOf = (nb: Notebook): string => JSON.stringify(nb.cells.map((c) => [c.cell_type, joinSource(c.source)]));

/**
 * Opens a notebook that has an original (the starter, a lecture): the stored copy when there is one with the
 * original's cells; asked first when the stored copy was edited.
 */
async function openOriginal(name: string, original: () => Promise<Notebook>): Promise<void> {
  let nb: Notebook;
  try {
    nb = await original();
  } catch (e) {
    showError(`${name} could not be opened: ${errorText(e)}`);
    return;
  }
  const mine = stored.has(name) ? await readFile(name).catch(() => undefined) : undefined;
  const current = name === doc.name ? toNotebook() : mine?.nb;
  if (current !== undefined && sourcesOf(current) !== sourcesOf(nb)) {
    const a = await ask({
      title: `You have edited ${name}`,
      body: 'Open your copy as you left it, or replace it with the original (your edits and its outputs are lost)?',
      choices: [CANCEL, { label: 'Replace with the original', value: 'replace', danger: true }, { label: 'Open my copy', value: 'mine', primary: true }],
    });
    if (a === null) return;
    if (a.choice === 'mine') {
      await openStored(name);
      return;
    }
    if (!(await leave())) return;
    await place(name, nb, await revOf(name));
    return;
  }
  if (mine !== undefined) await openStored(name);
  else {
    if (!(await leave())) return;
    await place(name, nb, 0);
  }
}

/** The stored revision of a file (0: none). */
async function revOf(name: string): Promise<number> {
  return (await readFile(name).catch(() => undefined))?.rev ?? 0;
}

/** Stores a notebook under `name` over revision `over` (0: new) and shows it. */
async function place(name: string, nb: Notebook, over: number): Promise<void> {
  let rev = over + 1;
  try {
    const r = await saveNotebook(name, nb, over);
    if (!r.ok) {
      // changed meanwhile by another tab: keep both
      const other = freePath(name, undefined, (n) => stored.has(n) || n === name);
      const r2 = await saveNotebook(other, nb, 0);
      name = other;
      rev = r2.ok ? r2.rev : 1;
    } else rev = r.rev;
    stored.set(name, { kind: 'notebook', size: JSON.stringify(nb).length });
  } catch (e) {
    storageFailed(e);
  }
  show(name, nb, storageWorks ? rev : 0);
}

/** An uploaded notebook: stored under its name, or asked first when that name is taken. */
async function openUpload(fileName: string, text: string): Promise<void> {
  const nb = parseNotebook(fileName, text);
  let name = joinArea(folder, fileName);
  let replace = false;
  if (stored.has(name)) {
    const a = await ask({
      title: `${name} exists`,
      body: `A file named ${name} is already kept in this browser. Replace it (its cells and outputs are lost), or keep both?`,
      choices: [CANCEL, { label: 'Replace', value: 'replace', danger: true }, { label: 'Keep both', value: 'both', primary: true }],
    });
    if (a === null) return;
    if (a.choice === 'both') name = freePath(name);
    else replace = true;
  }
  if (!(await leave())) return;
  await place(name, nb, replace ? await revOf(name) : 0);
}

function showError(text: string): void {
  $('notebook-error').textContent = text;
}

// ---- data files --------------------------------------------------------------------------------------------
function embeddedNamesTxt(): DataFile {
  return { name: 'names.txt', bytes: new TextEncoder().encode(`${embeddedNames().join('\n')}\n`) };
}

/**
 * Data files and folders into the kernel (and paths removed from it, with what they hold; `cwd`: the cells'
 * folder from now on); the embedded names come back when names.txt goes.
 */
function toKernel(files: DataFile[], remove: string[] = [], folders: string[] = [], cwd?: string): void {
  for (const n of remove) for (const k of [...dataFiles.keys()]) if (within(k, n)) dataFiles.delete(k);
  for (const f of files) dataFiles.set(f.name, f);
  if (remove.includes('names.txt') && !files.some((f) => f.name === 'names.txt')) {
    embeddedNamesFile = true;
    const f = embeddedNamesTxt();
    dataFiles.set(f.name, f);
    files = [...files, f];
    remove = remove.filter((n) => n !== 'names.txt');
  }
  if (files.some((f) => f.name === 'names.txt' && stored.has('names.txt'))) embeddedNamesFile = false;
  void kernel.addFiles(files, remove, folders, cwd).catch(() => undefined);
  drawFiles();
}

async function addDataFiles(files: File[]): Promise<void> {
  for (const file of files) {
    let name = joinArea(folder, file.name);
    if (stored.has(name)) {
      const a = await ask({
        title: `${name} exists`,
        body: `A file named ${name} is already kept in this browser. Replace it, or keep both?`,
        choices: [CANCEL, { label: 'Replace', value: 'replace', danger: true }, { label: 'Keep both', value: 'both', primary: true }],
      });
      if (a === null) continue;
      if (a.choice === 'both') name = freePath(name);
    }
    const bytes = new Uint8Array(await file.arrayBuffer());
    try {
      await saveData(name, bytes);
    } catch (e) {
      storageFailed(e);
    }
    stored.set(name, { kind: 'data', size: bytes.length });
    toKernel([{ name, bytes }]);
  }
}

/** New folder: asks its name; made in the folder shown (and in the kernel's file area). */
async function newFolder(): Promise<void> {
  const a = await ask({
    title: `New folder in ${folder === '' ? 'the root' : folder}`,
    body: '',
    choices: [CANCEL, { label: 'Create', value: 'create', primary: true }],
    input: { label: 'Name', value: freeName('Untitled Folder', (n) => stored.has(joinArea(folder, n)), ' '), check: (n) => badName(n, 'folder', (m) => stored.has(joinArea(folder, m))) },
  });
  if (a === null) return;
  const path = joinArea(folder, a.text);
  try {
    await saveFolder(path);
  } catch (e) {
    storageFailed(e);
  }
  stored.set(path, { kind: 'folder', size: 0 });
  toKernel([], [], [path]);
}

/**
 * What a cell wrote, made or removed in the file area, kept in this browser (in order, one change at a time).
 * A folder the cell removed goes with its data files; the notebooks in it stay (they are not in the kernel's
 * files, so the cell could not have removed them).
 */
let keeping: Promise<void> = Promise.resolve();
function keepChanges(c: AreaChanges): void {
  for (const path of c.removed) for (const k of [...dataFiles.keys()]) if (within(k, path)) dataFiles.delete(k);
  for (const f of c.files) dataFiles.set(f.name, f);
  keeping = keeping.then(async () => {
    for (const path of c.removed) {
      const inside = [...stored].filter(([p]) => within(p, path));
      const keep = inside.filter(([, f]) => f.kind === 'notebook').map(([p]) => p);
      const drop = keep.length === 0 ? (inside.length > 0 ? [path] : []) : inside.filter(([p, f]) => f.kind === 'data' ||
        (f.kind === 'folder' && !keep.some((n) => within(n, p)))).map(([p]) => p);
      for (const p of drop) {
        await deleteFile(p);
        for (const k of [...stored.keys()]) if (within(k, p)) stored.delete(k);
      }
    }
    for (const d of c.folders) {
      await saveFolder(d);
      stored.set(d, { kind: 'folder', size: 0 });
    }
    for (const f of c.files) {
      await saveData(f.name, f.bytes);
      stored.set(f.name, { kind: 'data', size: f.bytes.length });
    }
  }).catch((e: unknown) => storageFailed(e)).finally(() => {
    if (c.files.some((f) => f.name === 'names.txt')) embeddedNamesFile = false;
    if (c.removed.includes('names.txt') && !dataFiles.has('names.txt')) toKernel([], ['names.txt']); // the embedded names again
    else drawFiles();
  });
}

/** Drop, Open…, Add data…: notebooks open, other files go beside them as data. */
async function openFiles(files: File[]): Promise<void> {
  showError('');
  const nbs = files.filter((f) => /\.(ipynb|py)$/i.test(f.name));
  const data = files.filter((f) => !/\.(ipynb|py)$/i.test(f.name));
  try {
    if (nbs.length > 1) throw new Error(`one notebook at a time: got ${nbs.map((f) => f.name).join(', ')}`);
    if (data.length > 0) await addDataFiles(data);
    if (nbs.length === 1) await openUpload(nbs[0].name, await nbs[0].text());
  } catch (e) {
    showError(errorText(e));
  }
}

// ---- the file panel ----------------------------------------------------------------------------------------
function drawFiles(): void {
  if (folder !== '' && stored.get(folder)?.kind !== 'folder') folder = '';
  const rows: FileRow[] = [...stored].filter(([name]) => parentOf(name) === folder).map(([name, f]) => ({ name, kind: f.kind, size: f.size, open: name === doc.name }));
  if (!stored.has(doc.name) && doc.name !== '' && parentOf(doc.name) === folder) rows.push({ name: doc.name, kind: 'notebook', size: 0, open: true });
  if (embeddedNamesFile && folder === '') rows.push({ name: 'names.txt', kind: 'data', size: 0, embedded: true });
  const enter = (f: string): void => {
    folder = f;
    drawFiles();
  };
  drawCrumbs($('notebook-crumbs'), folder, enter);
  drawFileList($('notebook-file-list'), rows, { open: (n) => void openStored(n), enter, rename: (n) => void rename(n), download, remove: (n) => void remove(n) });

  const el = $('notebook-files');
  const items: (Node | string)[] = ['data beside it: '];
  [...dataFiles.keys()].filter((f) => parentOf(f) === parentOf(doc.name)).sort().forEach((f, i) => {
    if (i > 0) items.push(', ');
    items.push(h('code', {}, baseName(f)));
  });
  if (!embeddedNamesFile && stored.has('names.txt')) {
    const back = h('button', { id: 'notebook-embedded', class: 'small', type: 'button', title: 'Delete your names.txt and use the embedded names' }, 'use the embedded names');
    back.addEventListener('click', () => void remove('names.txt'));
    items.push(' ', back);
  }
  el.replaceChildren(...items);
  const note = $('notebook-names-note');
  note.hidden = !embeddedNamesFile;
  if (embeddedNamesFile) {
    const n = embeddedNames().length;
    note.textContent = `names.txt here is the embedded list of ${n.toLocaleString('en')} English first names, not the lecture's data ` +
      '(its 32,033 names): add the lecture\'s names.txt (Add data…, or drop it here) to run the notebook on it.';
  }
}

async function refreshFiles(): Promise<void> {
  try {
    const all = await listFiles();
    stored.clear();
    for (const f of all) stored.set(f.name, { kind: f.kind, size: f.size });
  } catch {
    // storage refused: the panel shows the open notebook only
  }
  drawFiles();
}

function download(name: string): void {
  const asIpynb = baseName(name).replace(/\.(py|ipynb)$/i, '') + '.ipynb';
  if (name === doc.name) {
    downloadBlob(asIpynb, new Blob([`${JSON.stringify(toNotebook(), null, 1)}\n`], { type: 'application/x-ipynb+json' }));
    return;
  }
  const data = dataFiles.get(name);
  if (data !== undefined && stored.get(name)?.kind !== 'notebook') {
    downloadBlob(baseName(name), new Blob([data.bytes.slice()], { type: 'application/octet-stream' }));
    return;
  }
  void readFile(name).then((f) => {
    if (f?.nb !== undefined) downloadBlob(asIpynb, new Blob([`${JSON.stringify(f.nb, null, 1)}\n`], { type: 'application/x-ipynb+json' }));
    else if (f?.bytes !== undefined) downloadBlob(baseName(name), new Blob([f.bytes.slice()]));
  });
}

async function rename(name: string): Promise<void> {
  const kind = stored.get(name)?.kind ?? 'notebook';
  const dir = parentOf(name);
  const a = await ask({
    title: `Rename ${name}`,
    body: '',
    choices: [CANCEL, { label: 'Rename', value: 'rename', primary: true }],
    input: { label: 'New name', value: baseName(name), check: (n) => (n === baseName(name) ? 'the same name' : badName(n, kind, (m) => stored.has(joinArea(dir, m)))) },
  });
  if (a === null) return;
  const to = joinArea(dir, a.text);
  if (within(doc.name, name)) await saveNow();
  let ok = false;
  try {
    ok = await renameFile(name, to);
  } catch (e) {
    storageFailed(e);
  }
  if (!ok) {
    showError(`${name} could not be renamed to ${to}`);
    return;
  }
  renamed(name, to);
}

/**
 * A file or folder renamed (here or in another tab): the panel, the open notebook's name, the kernel's file
 * area and the cells' folder follow.
 */
function renamed(from: string, to: string): void {
  const moved = (p: string): string => to + p.slice(from.length);
  const inside = [...stored].filter(([p]) => within(p, from));
  for (const [p] of inside) stored.delete(p);
  for (const [p, f] of inside) stored.set(moved(p), f);
  if (within(doc.name, from)) {
    doc.name = moved(doc.name);
    $('notebook-name').textContent = doc.name;
    void setOpenName(doc.name).catch(() => undefined);
  }
  if (within(folder, from)) folder = moved(folder);
  const files = [...dataFiles].filter(([p]) => within(p, from)).map(([p, d]) => ({ name: moved(p), bytes: d.bytes }));
  const folders = inside.filter(([, f]) => f.kind === 'folder').map(([p]) => moved(p));
  if (files.length > 0 || folders.length > 0) toKernel(files, [from], folders, parentOf(doc.name));
  drawFiles();
}

async function remove(name: string): Promise<void> {
  const kind = stored.get(name)?.kind;
  const held = [...stored.keys()].filter((p) => p !== name && within(p, name)).length;
  const a = await ask({
    title: `Delete ${name}?`,
    body: kind === 'data' && name === 'names.txt'
      ? 'Your names.txt is deleted from this browser, and names.txt is the embedded names again. This cannot be undone.'
      : kind === 'folder'
        ? `The folder ${name} and the ${held} file${held === 1 ? '' : 's'} and folders in it are kept only in this browser: deleted, they are gone.`
        : `${name} is kept only in this browser: deleted, it is gone (download it first to keep a copy).`,
    choices: [CANCEL, { label: 'Delete', value: 'delete', danger: true }],
  });
  if (a === null) return;
  try {
    await deleteFile(name);
  } catch (e) {
    storageFailed(e);
  }
  deleted(name);
}

/** A file deleted, or a folder with what it held (here or in another tab). */
function deleted(name: string, here = true): void {
  const gone = [...stored].filter(([p]) => within(p, name));
  for (const [p] of gone) stored.delete(p);
  if (gone.some(([, f]) => f.kind !== 'notebook')) toKernel([], [name]);
  if (within(folder, name)) folder = parentOf(name);
  if (within(doc.name, name)) {
    if (!here) {
      showConflict('deleted');
      return;
    }
    doc = { name: '', meta: {}, rev: 0 }; // gone: nothing to save before the next one opens
    const next = [...stored].find(([, v]) => v.kind === 'notebook')?.[0];
    if (next !== undefined) void openStored(next);
    else void place(STARTER_NAME, parseNotebook(STARTER_NAME, starterSource), 0);
  }
  drawFiles();
}

// ---- saving, and the other tabs ------------------------------------------------------------------------------
let saveTimer = 0;
let saving: Promise<void> = Promise.resolve();
/** raised by every change: a save leaves the tab "saved" only when nothing changed after it began */
let changes = 0;

function persistSoon(delay = 400): void {
  if (!loaded) return;
  changes++;
  $('view-notebook').dataset.saved = conflict !== null ? 'conflict' : 'false';
  window.clearTimeout(saveTimer);
  saveTimer = window.setTimeout(() => {
    saveTimer = 0;
    void saveNow();
  }, delay);
}

/** Saves the open notebook now (after any save under way), over the revision this tab has. */
function saveNow(): Promise<void> {
  window.clearTimeout(saveTimer);
  saveTimer = 0;
  if (!loaded || conflict !== null || !storageWorks || doc.name === '') return saving;
  const d = doc;
  const nb = toNotebook();
  const at = changes;
  saving = saving.then(async () => {
    if (conflict !== null || d !== doc) return;
    const r = await saveNotebook(d.name, nb, d.rev);
    if (r.ok) {
      d.rev = r.rev;
      const isNew = !stored.has(d.name);
      stored.set(d.name, { kind: 'notebook', size: JSON.stringify(nb, null, 1).length + 1 });
      if (d === doc && changes === at && saveTimer === 0) $('view-notebook').dataset.saved = 'true';
      if (isNew) drawFiles();
    } else if (d === doc) {
      showConflict(r.stored === undefined ? 'deleted' : 'changed');
    }
  }).catch((e: unknown) => storageFailed(e));
  return saving;
}

function storageFailed(e: unknown): void {
  storageWorks = false;
  $('view-notebook').dataset.saved = 'failed';
  showError(`this browser refused to keep the notebook (${errorText(e)}): download it to keep your work`);
}

function showConflict(kind: 'changed' | 'deleted'): void {
  conflict = kind;
  window.clearTimeout(saveTimer);
  $('view-notebook').dataset.saved = 'conflict';
  const box = $('notebook-conflict');
  const load = h('button', { type: 'button' }, 'Load the saved version (drop this tab\'s edits)');
  const overwrite = h('button', { type: 'button', class: 'danger' }, kind === 'deleted' ? 'Save it again here' : 'Overwrite it with this tab\'s');
  const copy = h('button', { type: 'button', class: 'primary' }, 'Save this tab\'s as a copy');
  load.addEventListener('click', () => void resolveConflict('load'));
  overwrite.addEventListener('click', () => void resolveConflict('overwrite'));
  copy.addEventListener('click', () => void resolveConflict('copy'));
  box.replaceChildren(
    h('p', {}, h('b', {}, doc.name), kind === 'deleted'
      ? ' was deleted in another tab. This tab\'s version is not saved anywhere:'
      : ' was saved by another tab after this tab loaded it. This tab\'s version is not saved, so as not to overwrite the other:'),
    h('div', { class: 'controls' }, ...(kind === 'deleted' ? [copy, overwrite] : [copy, load, overwrite])),
  );
  box.hidden = false;
}

async function resolveConflict(how: 'load' | 'overwrite' | 'copy'): Promise<void> {
  const f = await readFile(doc.name).catch(() => undefined);
  if (how === 'load') {
    if (f?.nb !== undefined) show(doc.name, f.nb, f.rev);
    return;
  }
  if (how === 'copy') {
    await saveCopy();
    return;
  }
  doc.rev = f?.rev ?? 0;
  conflict = null;
  $('notebook-conflict').hidden = true;
  await saveNow();
}

/** This tab's version under a new name (stem-Copy1.ipynb), which becomes the open notebook. */
async function saveCopy(): Promise<void> {
  await refreshFiles();
  const name = freePath(doc.name);
  const nb = toNotebook();
  try {
    const r = await saveNotebook(name, nb, 0);
    stored.set(name, { kind: 'notebook', size: JSON.stringify(nb).length });
    doc = { name, meta: doc.meta, rev: r.ok ? r.rev : 0 };
  } catch (e) {
    storageFailed(e);
  }
  conflict = null;
  $('notebook-conflict').hidden = true;
  $('notebook-name').textContent = doc.name;
  $('view-notebook').dataset.saved = 'true';
  void setOpenName(doc.name).catch(() => undefined);
  drawFiles();
}

function watchOtherTabs(): void {
  onStoreChange((c) => {
    if (c.type === 'saved') {
      if (c.name === doc.name && c.rev !== doc.rev && conflict === null) showConflict('changed');
      void readFile(c.name).then((f) => {
        if (f === undefined) return;
        stored.set(f.name, { kind: f.kind, size: f.size });
        if (f.kind === 'data' && f.bytes !== undefined) toKernel([{ name: f.name, bytes: f.bytes }]);
        else if (f.kind === 'folder') toKernel([], [], [f.name]);
        else drawFiles();
      }).catch(() => undefined);
    } else if (c.type === 'deleted') {
      deleted(c.name, false);
    } else renamed(c.from, c.to);
  });
}

// ---- start ---------------------------------------------------------------------------------------------------
async function restore(): Promise<void> {
  let all: StoredFile[] = [];
  let open: string | undefined;
  try {
    all = await listFiles();
    open = await openName();
  } catch (e) {
    storageWorks = false;
    showError(`this browser refuses to keep notebooks (${errorText(e)}): your work lasts until the tab is closed; download it to keep it`);
  }
  for (const f of all) {
    stored.set(f.name, { kind: f.kind, size: f.size });
    if (f.kind === 'data' && f.bytes !== undefined) {
      dataFiles.set(f.name, { name: f.name, bytes: f.bytes });
      if (f.name === 'names.txt') embeddedNamesFile = false;
    }
  }
  if (embeddedNamesFile) dataFiles.set('names.txt', embeddedNamesTxt());
  await kernel.addFiles([...dataFiles.values()], [], all.filter((f) => f.kind === 'folder').map((f) => f.name));
  loaded = true;
  const pick = all.find((f) => f.name === open && f.nb !== undefined) ?? all.find((f) => f.nb !== undefined);
  folder = pick === undefined ? '' : parentOf(pick.name);
  if (pick?.nb !== undefined) show(pick.name, pick.nb, pick.rev);
  else await place(STARTER_NAME, parseNotebook(STARTER_NAME, starterSource), 0);
  watchOtherTabs();
}

/** Called when the Notebook tab is first shown: loads the notebook open last (or the starter) and Python. */
export function showNotebookView(): void {
  if (started) return;
  started = true;
  void restore().then(() => kernel.start()).catch((e: unknown) => showError(errorText(e)));
}

async function openLecture(l: Lecture): Promise<void> {
  await openOriginal(l.name, async () => {
    const r = await fetch(l.url);
    if (!r.ok) throw new Error(`the lab's site answered ${r.status} for it`);
    return parseNotebook(l.name, await r.text());
  });
}

async function newNotebook(): Promise<void> {
  if (!(await leave())) return;
  const name = freePath(joinArea(folder, 'Untitled.ipynb'), '');
  const nb: Notebook = {
    nbformat: 4, nbformat_minor: 5, cells: [{ cell_type: 'code', id: cellId(), source: '', metadata: {}, outputs: [], execution_count: null }],
    metadata: { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' }, language_info: { name: 'python' } },
  };
  await place(name, nb, 0);
  list.edit();
}

export function initNotebookView(): void {
  // ?nosnapshot: every start from scratch (to time a cold start; see docs/lab-notebook.md)
  const snapshots = !new URLSearchParams(location.search).has('nosnapshot');
  kernel = new Kernel(new URL('pyodide/', document.baseURI).href, { state: kernelState, changed: keepChanges }, snapshots);
  list = new CellList($('notebook-cells'), {
    run: (cells) => void runCells(cells),
    changed: () => persistSoon(),
    restart: () => void restart(false),
    interrupt: () => void stop(),
    clearOutputs: (c) => clearOutputs([c]),
  }, $('notebook-toast'));
  $<HTMLButtonElement>('notebook-stop').disabled = true;
  $('notebook-run-all').addEventListener('click', () => list.run(list.cells));
  $('notebook-stop').addEventListener('click', () => void stop());
  $('notebook-restart').addEventListener('click', () => void restart(false));
  $('notebook-restart-run').addEventListener('click', () => void restart(true));
  $('notebook-clear-all').addEventListener('click', () => clearOutputs(list.cells));
  $('notebook-add-code').addEventListener('click', () => list.insert(1, 'edit'));
  $('notebook-add-markdown').addEventListener('click', () => list.insert(1, 'edit', 'markdown'));
  $('notebook-download').addEventListener('click', () => download(doc.name));
  $('notebook-new').addEventListener('click', () => void newNotebook());
  $('notebook-new-folder').addEventListener('click', () => void newFolder());
  $('notebook-starter').addEventListener('click', () => void openOriginal(STARTER_NAME, () => Promise.resolve(parseNotebook(STARTER_NAME, starterSource))));
  drawLectures($('notebook-lecture-list'), $('notebook-licence'), (l) => void openLecture(l));
  // a narrow screen starts with the file panel folded
  if (window.matchMedia('(max-width: 900px)').matches) $<HTMLDetailsElement>('notebook-files-panel').open = false;
  for (const id of ['notebook-open', 'notebook-data']) {
    const input = $<HTMLInputElement>(id);
    input.addEventListener('change', () => {
      void openFiles([...(input.files ?? [])]).then(() => {
        input.value = '';
      });
    });
  }
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
  // the last edits are saved when the tab is hidden or closed
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') void saveNow();
  });
  setStatus('loading', 'Python loads when this tab is first opened');
}
