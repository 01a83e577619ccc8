// The Notebook tab's cells as JupyterLab handles them: one active cell, command mode (the cell has the focus:
// single keys act on cells) and edit mode (its editor has the focus: keys type), the same keys, and undo of
// the structural edits. The semantics follow JupyterLab's NotebookActions (packages/notebook/src/actions.tsx)
// and its default shortcuts (packages/notebook-extension/schema/tracker.json):
//
//   command mode  Enter edit · A / B insert above / below · D,D delete · X C V cut copy paste below
//                 (Shift+V above) · Z undo · Shift+Z redo · M Y R markdown / code / raw · Up/K Down/J select
//                 · Ctrl+Shift+Up/Down move the cell · 0,0 restart (asks) · I,I interrupt
//   edit mode     Escape or Ctrl+M command mode · Up on the first line / Down on the last: the next cell
//   both          Shift+Enter run, select below (a new cell at the end) · Ctrl+Enter run · Alt+Enter run,
//                 insert below
//
// A run leaves command mode (runSelected sets it), except where JupyterLab edits the cell it creates (Shift+
// Enter at the last cell, Alt+Enter). Changing a cell's type, inserting, deleting, cutting, pasting and moving
// can be undone (Z); edits inside a cell are the editor's own undo (Ctrl+Z there). A markdown cell shows
// rendered until it is edited (Enter, double click) and renders again when it is run.

import type { EditorView } from 'codemirror';
import { EditorSelection } from '@codemirror/state';
import type { Output } from '../src/notebook/nbformat.js';
import { createCodeEditor } from './code-editor.js';
import { h } from './dom.js';
import { renderOutput } from './notebook-outputs.js';

export type CellKind = 'code' | 'markdown' | 'raw';

export interface NbCell {
  kind: CellKind;
  source: string;
  outputs: Output[];
  /** the execution count of its last run */
  count: number | null;
  /** queued or running: its prompt says In [*]: */
  state: 'idle' | 'queued' | 'running';
  id: string;
  metadata: Record<string, unknown>;
  /** a markdown cell shown rendered (not being edited) */
  rendered: boolean;
  dom?: CellDom;
}

interface CellDom {
  el: HTMLElement;
  prompt: HTMLElement;
  tools: HTMLElement;
  editorBox: HTMLElement;
  view: EditorView;
  markdown: HTMLElement;
  out: HTMLElement;
  /** the source the markdown view was last rendered from */
  shown: string | null;
}

export interface CellHooks {
  /** queue these code cells to run (in order, after those queued) */
  run(cells: NbCell[]): void;
  /** the notebook changed (a cell's text, the cells' order, a type): save it soon */
  changed(): void;
  /** 0,0: restart the kernel (asks first) */
  restart(): void;
  /** I,I: interrupt the running cell */
  interrupt(): void;
  /** clear one cell's outputs */
  clearOutputs(c: NbCell): void;
}

export function newCell(kind: CellKind, source = ''): NbCell {
  return { kind, source, outputs: [], count: null, state: 'idle', id: cellId(), metadata: {}, rendered: kind === 'markdown' && source !== '' };
}

/** An nbformat 4.5 cell id: 8 hex digits, fresh. */
export function cellId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(4)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A copy for the clipboard and for pasting (a fresh id; outputs kept, as JupyterLab pastes them). */
function clone(c: NbCell): NbCell {
  return {
    kind: c.kind, source: c.source, outputs: structuredClone(c.outputs), count: c.count, state: 'idle', id: cellId(),
    metadata: structuredClone(c.metadata), rendered: c.kind === 'markdown',
  };
}

let markdownModule: Promise<typeof import('./notebook-markdown.js')> | null = null;
/** markdown-it and KaTeX, loaded with the first markdown cell shown */
const markdown = (): Promise<typeof import('./notebook-markdown.js')> => (markdownModule ??= import('./notebook-markdown.js'));

/** How long the second key of a chord (D,D; 0,0; I,I) may wait, as Lumino's keymap waits. */
const CHORD_MS = 1000;
const UNDO_DEPTH = 100;

interface Snapshot {
  cells: NbCell[];
  active: number;
}

export class CellList {
  cells: NbCell[] = [];
  active = 0;
  mode: 'command' | 'edit' = 'command';
  private undoStack: Snapshot[] = [];
  private redoStack: Snapshot[] = [];
  private clipboard: NbCell[] = [];
  private chord: { key: string; at: number } | null = null;
  private readonly mounted = new Set<NbCell>();
  private dirty = new Set<NbCell>();
  private frame = 0;

  constructor(private readonly root: HTMLElement, private readonly hooks: CellHooks, private readonly toast: HTMLElement) {
    root.classList.add('nb-mode-command');
    root.addEventListener('keydown', (e) => this.commandKey(e));
    root.addEventListener('focusin', (e) => this.focusIn(e));
    root.addEventListener('click', (e) => this.click(e));
    root.addEventListener('dblclick', (e) => {
      const c = this.cellOf(e.target);
      if (c?.kind === 'markdown' && c.rendered && (e.target as Element).closest('.nb-markdown') !== null) {
        this.select(this.cells.indexOf(c));
        this.edit();
      }
    });
  }

  /** Shows these cells (a notebook opened): the undo history starts again. */
  load(cells: NbCell[]): void {
    this.cells = cells.length > 0 ? cells : [newCell('code')];
    this.active = 0;
    this.mode = 'command';
    this.undoStack = [];
    this.redoStack = [];
    this.sync();
  }

  get activeCell(): NbCell {
    return this.cells[this.active];
  }

  // ---- the DOM ------------------------------------------------------------------------------------------------
  private cellOf(target: EventTarget | null): NbCell | undefined {
    const el = target instanceof Element ? target.closest('.nb-cell') : null;
    return el === null ? undefined : this.cells.find((c) => c.dom?.el === el);
  }

  /** Makes the DOM follow `cells`: new cells mounted, gone ones destroyed, the rest moved into order. */
  private sync(): void {
    const keep = new Set(this.cells);
    for (const c of this.mounted) {
      if (!keep.has(c)) {
        c.dom?.view.destroy();
        c.dom?.el.remove();
        c.dom = undefined;
        this.mounted.delete(c);
      }
    }
    this.cells.forEach((c, i) => {
      if (c.dom === undefined) {
        this.mount(c);
        this.mounted.add(c);
      }
      const el = (c.dom as CellDom).el;
      if (this.root.children[i] !== el) this.root.insertBefore(el, this.root.children[i] ?? null);
      this.label(c, i);
    });
    while (this.root.children.length > this.cells.length) this.root.lastElementChild?.remove();
    this.active = Math.max(0, Math.min(this.active, this.cells.length - 1));
    this.markActive();
  }

  private label(c: NbCell, i: number): void {
    const d = c.dom as CellDom;
    d.el.dataset.testid = `notebook-cell-${i}`;
    d.editorBox.dataset.testid = `notebook-editor-${i}`;
    d.out.dataset.testid = `notebook-output-${i}`;
    d.markdown.dataset.testid = `notebook-markdown-${i}`;
    const what = c.kind === 'code' ? 'code' : c.kind === 'markdown' ? 'markdown' : 'raw';
    d.el.setAttribute('aria-label', `cell ${i + 1}, ${what}`);
    d.view.contentDOM.setAttribute('aria-label', `cell ${i + 1}, ${what}: its text`);
    for (const b of d.tools.querySelectorAll<HTMLButtonElement>('button')) b.setAttribute('aria-label', `${b.dataset.what ?? ''} (cell ${i + 1})`);
  }

  private markActive(): void {
    this.cells.forEach((c, i) => {
      const el = c.dom?.el;
      if (el === undefined) return;
      el.classList.toggle('active', i === this.active);
      el.tabIndex = i === this.active ? 0 : -1;
    });
    this.root.classList.toggle('nb-mode-edit', this.mode === 'edit');
    this.root.classList.toggle('nb-mode-command', this.mode === 'command');
  }

  private mount(c: NbCell): void {
    const prompt = h('div', { class: 'nb-prompt', 'aria-hidden': 'true' });
    const editorBox = h('div', { class: 'nb-editor code-editor' });
    const markdownBox = h('div', { class: 'nb-markdown' });
    const out = h('div', { class: 'nb-output', 'aria-live': 'polite' });
    const tools = h('div', { class: 'nb-tools' });
    const tool = (label: string, what: string, act: () => void): HTMLButtonElement => {
      const b = h('button', { type: 'button', class: 'nb-tool', title: what, 'data-what': what }, label);
      b.addEventListener('click', (e) => {
        e.stopPropagation();
        this.select(this.cells.indexOf(c));
        act();
      });
      return b;
    };
    if (c.kind !== 'raw') tools.append(tool('▶', c.kind === 'code' ? 'run this cell (Ctrl+Enter)' : 'render this cell (Ctrl+Enter)', () => this.runActive()));
    if (c.kind === 'markdown') tools.append(tool('✎', 'edit this cell (Enter, or a double click)', () => this.edit()));
    tools.append(
      tool('↑', 'move up (Ctrl+Shift+Up)', () => this.move(-1)),
      tool('↓', 'move down (Ctrl+Shift+Down)', () => this.move(1)),
    );
    if (c.kind === 'code') tools.append(tool('⌫', 'clear the outputs', () => this.hooks.clearOutputs(c)));
    tools.append(
      tool('+', 'insert a code cell below (B)', () => this.insert(1, 'edit')),
      tool('✕', 'delete (D,D; Z undoes)', () => this.remove()),
    );
    const el = h('div', { class: `nb-cell ${c.kind}`, role: 'group' },
      prompt, h('div', { class: 'nb-body' }, tools, editorBox, markdownBox), out);
    const view = createCodeEditor(editorBox, c.source, {
      python: c.kind === 'code',
      keys: this.editKeys(c),
      onChange: (text) => {
        c.source = text;
        this.hooks.changed();
      },
    });
    c.dom = { el, prompt, tools, editorBox, view, markdown: markdownBox, out, shown: null };
    this.drawPrompt(c);
    this.drawOutputs(c);
    this.drawMarkdown(c);
  }

  /** The keys an editor takes before its own (edit mode). */
  private editKeys(c: NbCell): { key: string; run: (v: EditorView) => boolean }[] {
    const here = (): boolean => {
      this.select(this.cells.indexOf(c));
      return true;
    };
    return [
      { key: 'Shift-Enter', run: () => here() && (this.runAndAdvance(), true) },
      { key: 'Mod-Enter', run: () => here() && (this.runActive(), true) },
      { key: 'Ctrl-Enter', run: () => here() && (this.runActive(), true) },
      { key: 'Alt-Enter', run: () => here() && (this.runAndInsert(), true) },
      { key: 'Escape', run: () => here() && (this.command(), true) },
      { key: 'Ctrl-m', run: () => here() && (this.command(), true) },
      {
        key: 'ArrowUp',
        run: (v) => {
          const { head } = v.state.selection.main;
          if (!v.state.selection.main.empty || v.state.doc.lineAt(head).number !== 1 || this.cells.indexOf(c) === 0) return false;
          here();
          this.select(this.active - 1);
          this.edit('end');
          return true;
        },
      },
      {
        key: 'ArrowDown',
        run: (v) => {
          const { head } = v.state.selection.main;
          if (!v.state.selection.main.empty || v.state.doc.lineAt(head).number !== v.state.doc.lines || this.cells.indexOf(c) === this.cells.length - 1) return false;
          here();
          this.select(this.active + 1);
          this.edit('start');
          return true;
        },
      },
    ];
  }

  drawPrompt(c: NbCell): void {
    const d = c.dom;
    if (d === undefined) return;
    d.prompt.textContent = c.kind !== 'code' ? '' : c.state !== 'idle' ? 'In [*]:' : `In [${c.count ?? ' '}]:`;
    d.el.classList.toggle('running', c.state === 'running');
    d.el.classList.toggle('queued', c.state === 'queued');
  }

  drawOutputs(c: NbCell): void {
    const d = c.dom;
    if (d === undefined) return;
    d.out.replaceChildren(...(c.kind === 'code' ? c.outputs.map(renderOutput) : []));
  }

  /** Redraws a cell's outputs at the next frame (a loop that prints fast redraws once per frame). */
  outputsChanged(c: NbCell): void {
    this.dirty.add(c);
    if (this.frame === 0) {
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        for (const d of this.dirty) this.drawOutputs(d);
        this.dirty.clear();
      });
    }
  }

  /** Draws a cell's outputs now (before the status says the run is over). */
  outputsNow(c: NbCell): void {
    this.dirty.delete(c);
    this.drawOutputs(c);
  }

  private drawMarkdown(c: NbCell): void {
    const d = c.dom;
    if (d === undefined) return;
    const show = c.kind === 'markdown' && c.rendered;
    d.markdown.hidden = !show;
    d.editorBox.hidden = show;
    if (!show || d.shown === c.source) return;
    const source = c.source;
    d.shown = source;
    if (source.trim() === '') {
      d.markdown.replaceChildren(h('p', { class: 'nb-placeholder' }, 'Empty markdown cell: double click or Enter to edit it'));
      return;
    }
    void markdown().then((m) => {
      if (c.dom === d && d.shown === source) d.markdown.replaceChildren(...m.renderMarkdown(source));
    }).catch((e: unknown) => {
      d.markdown.replaceChildren(h('pre', {}, source), h('p', { class: 'error' }, `markdown could not be rendered: ${String(e)}`));
    });
  }

  // ---- modes and focus ----------------------------------------------------------------------------------------
  /** Makes cell i the active one (the mode stays). */
  select(i: number): void {
    this.active = Math.max(0, Math.min(i, this.cells.length - 1));
    this.markActive();
  }

  /** Command mode: the active cell itself has the focus. */
  command(): void {
    this.mode = 'command';
    this.markActive();
    const el = this.activeCell.dom?.el;
    el?.focus({ preventScroll: true });
    el?.scrollIntoView({ block: 'nearest' });
  }

  /** Edit mode on the active cell (a markdown cell shows its source), the cursor where it was or at an end. */
  edit(where?: 'start' | 'end'): void {
    const c = this.activeCell;
    this.mode = 'edit';
    if (c.kind === 'markdown' && c.rendered) {
      c.rendered = false;
      this.drawMarkdown(c);
    }
    this.markActive();
    const v = c.dom?.view;
    if (v === undefined) return;
    if (where !== undefined) v.dispatch({ selection: EditorSelection.cursor(where === 'start' ? 0 : v.state.doc.length), scrollIntoView: true });
    v.focus();
    c.dom?.el.scrollIntoView({ block: 'nearest' });
  }

  /** Focus where the mode says (after the DOM changed under it). */
  private refocus(): void {
    if (this.mode === 'edit') this.edit();
    else this.command();
  }

  private focusIn(e: FocusEvent): void {
    const c = this.cellOf(e.target);
    if (c === undefined) return;
    const i = this.cells.indexOf(c);
    const inEditor = (e.target as Element).closest('.cm-editor') !== null;
    if (inEditor) this.mode = 'edit';
    else if (e.target === c.dom?.el) this.mode = 'command';
    if (i !== this.active || inEditor || e.target === c.dom?.el) this.select(i);
  }

  private click(e: MouseEvent): void {
    const t = e.target as Element;
    if (t.closest('button, a, .cm-editor') !== null) return;
    const c = this.cellOf(t);
    if (c === undefined) return;
    this.select(this.cells.indexOf(c));
    // clicking a cell outside its editor selects it in command mode; a text selection in an output stays
    if (window.getSelection()?.isCollapsed !== false) this.command();
  }

  // ---- command mode's keys ------------------------------------------------------------------------------------
  private commandKey(e: KeyboardEvent): void {
    const c = this.cellOf(e.target);
    if (c === undefined || e.target !== c.dom?.el) return; // only the cell itself: an editor or a button has its own keys
    this.select(this.cells.indexOf(c));
    const plain = !e.ctrlKey && !e.metaKey && !e.altKey;
    const chord = this.chord !== null && performance.now() - this.chord.at < CHORD_MS ? this.chord.key : '';
    this.chord = null;
    let handled = true;
    if (e.key === 'Enter') {
      if (e.shiftKey && plain) this.runAndAdvance();
      else if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey) this.runActive();
      else if (e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey) this.runAndInsert();
      else if (plain && !e.shiftKey) this.edit();
      else handled = false;
    } else if (e.ctrlKey && e.shiftKey && !e.altKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
      this.move(e.key === 'ArrowUp' ? -1 : 1);
    } else if (!plain) {
      handled = false;
    } else {
      switch (e.key) {
        case 'ArrowUp': case 'k': this.select(this.active - 1); this.command(); break;
        case 'ArrowDown': case 'j': this.select(this.active + 1); this.command(); break;
        case 'a': this.insert(0); break;
        case 'b': this.insert(1); break;
        case 'd': if (chord === 'd') this.remove(); else this.chord = { key: 'd', at: performance.now() }; break;
        case '0': if (chord === '0') this.hooks.restart(); else this.chord = { key: '0', at: performance.now() }; break;
        case 'i': if (chord === 'i') this.hooks.interrupt(); else this.chord = { key: 'i', at: performance.now() }; break;
        case 'm': this.changeType('markdown'); break;
        case 'y': this.changeType('code'); break;
        case 'r': this.changeType('raw'); break;
        case 'x': this.copy(true); break;
        case 'c': this.copy(false); break;
        case 'v': this.paste(1); break;
        case 'V': this.paste(0); break;
        case 'z': this.undo(); break;
        case 'Z': this.redo(); break;
        default: handled = false;
      }
    }
    if (handled) {
      e.preventDefault();
      e.stopPropagation();
    }
  }

  // ---- running ------------------------------------------------------------------------------------------------
  /** Runs cells: markdown ones render, code ones go to the kernel's queue. */
  run(list: NbCell[]): void {
    for (const c of list) {
      if (c.kind === 'markdown' && !c.rendered) {
        c.rendered = true;
        this.drawMarkdown(c);
      }
    }
    const code = list.filter((c) => c.kind === 'code');
    if (code.length > 0) this.hooks.run(code);
  }

  /** Ctrl+Enter: run the active cell, stay on it, command mode. */
  runActive(): void {
    this.run([this.activeCell]);
    this.command();
  }

  /** Shift+Enter: run the active cell and select the next (at the end: a new code cell, edited). */
  runAndAdvance(): void {
    this.run([this.activeCell]);
    if (this.active === this.cells.length - 1) {
      this.insert(1, 'edit');
    } else {
      this.select(this.active + 1);
      this.command();
    }
  }

  /** Alt+Enter: run the active cell, insert a code cell below and edit it. */
  runAndInsert(): void {
    this.run([this.activeCell]);
    this.insert(1, 'edit');
  }

  // ---- structural edits (undoable) ------------------------------------------------------------------------------
  private remember(): void {
    this.undoStack.push({ cells: [...this.cells], active: this.active });
    if (this.undoStack.length > UNDO_DEPTH) this.undoStack.shift();
    this.redoStack = [];
  }

  private changed(): void {
    this.sync();
    this.hooks.changed();
  }

  /** A code cell above (at 0) or below (at 1) the active cell; it becomes active; the mode stays unless given. */
  insert(at: 0 | 1, mode: 'command' | 'edit' = this.mode, kind: CellKind = 'code'): void {
    this.remember();
    const i = this.active + at;
    this.cells.splice(i, 0, newCell(kind));
    this.active = i;
    this.changed();
    if (mode === 'edit') this.edit();
    else this.command();
  }

  /** Deletes the active cell (D,D); the one after it becomes active; the last one gone leaves an empty code cell. */
  remove(): void {
    this.remember();
    const gone = this.cells.splice(this.active, 1);
    if (this.cells.length === 0) this.cells.push(newCell('code'));
    this.changed();
    this.command();
    this.notify(`Deleted cell ${this.active + 1}${gone[0]?.source.trim() === '' ? ' (empty)' : ''}.`);
  }

  /** Moves the active cell up (-1) or down (1). */
  move(by: -1 | 1): void {
    const j = this.active + by;
    if (j < 0 || j >= this.cells.length) return;
    this.remember();
    const [c] = this.cells.splice(this.active, 1);
    this.cells.splice(j, 0, c);
    this.active = j;
    this.changed();
    this.refocus();
  }

  /** M, Y, R: the active cell becomes markdown (shown as source until run), code or raw; its outputs go. */
  changeType(kind: CellKind): void {
    const c = this.activeCell;
    if (c.kind === kind) return;
    this.remember();
    const d: NbCell = { ...newCell(kind, c.source), id: c.id, metadata: c.metadata, rendered: false };
    this.cells[this.active] = d;
    this.changed();
    this.refocus();
  }

  /** C: the active cell to the notebook's clipboard; X: and delete it. */
  copy(cut: boolean): void {
    this.clipboard = [clone(this.activeCell)];
    if (cut) this.remove();
    else this.notify('Copied the cell: V pastes it below, Shift+V above.');
  }

  /** V: paste the clipboard's cells below (1) or above (0) the active cell; the last pasted becomes active. */
  paste(at: 0 | 1): void {
    if (this.clipboard.length === 0) return;
    this.remember();
    const add = this.clipboard.map(clone);
    this.cells.splice(this.active + at, 0, ...add);
    this.active = this.active + at + add.length - 1;
    this.changed();
    this.command();
  }

  /** Z: back to the cells before the last structural edit; Shift+Z: forward again. */
  undo(): void {
    this.restore(this.undoStack, this.redoStack);
  }

  redo(): void {
    this.restore(this.redoStack, this.undoStack);
  }

  private restore(from: Snapshot[], to: Snapshot[]): void {
    const s = from.pop();
    if (s === undefined) return;
    to.push({ cells: [...this.cells], active: this.active });
    this.cells = s.cells;
    this.active = s.active;
    // a markdown cell that comes back shows rendered, as it was before it went
    for (const c of this.cells) if (c.kind === 'markdown' && c.dom === undefined) c.rendered = true;
    this.changed();
    this.command();
    this.toast.hidden = true;
  }

  /** A line under the toolbar for a moment; after a deletion, with its Undo. */
  private notify(text: string): void {
    window.clearTimeout(this.toastTimer);
    const items: (Node | string)[] = [text];
    if (text.startsWith('Deleted')) {
      const undo = h('button', { type: 'button', class: 'small', 'data-testid': 'notebook-undo' }, 'Undo (Z)');
      undo.addEventListener('click', () => this.undo());
      items.push(' ', undo);
    }
    this.toast.replaceChildren(...items);
    this.toast.hidden = false;
    this.toastTimer = window.setTimeout(() => {
      this.toast.hidden = true;
    }, 10_000);
  }

  private toastTimer = 0;
}
