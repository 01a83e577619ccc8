// Notebooks in and out: reading an .ipynb (nbformat 4) or a .py (cells at `# %%` lines), and the outputs of
// a run in nbformat 4.5 (stream, execute_result, display_data, error) so Jupyter and VS Code show them.
// Pure: text in, text out (the host reads and writes the files).

import { UserError } from '../core/errors.js';

/** A multiline string of nbformat: one string, or its lines (each but the last ending in '\n'). */
export type MultilineString = string | string[];

export type Output =
  | { output_type: 'stream'; name: 'stdout' | 'stderr'; text: MultilineString }
  | { output_type: 'execute_result'; execution_count: number; data: Record<string, MultilineString>; metadata: Record<string, unknown> }
  | { output_type: 'display_data'; data: Record<string, MultilineString>; metadata: Record<string, unknown> }
  | { output_type: 'error'; ename: string; evalue: string; traceback: string[] };

export interface Cell {
  cell_type: 'code' | 'markdown' | 'raw';
  id?: string;
  source: MultilineString;
  metadata: Record<string, unknown>;
  execution_count?: number | null;
  outputs?: Output[];
  attachments?: Record<string, unknown>;
}

export interface Notebook {
  nbformat: 4;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: Cell[];
}

export function joinSource(s: MultilineString): string {
  return typeof s === 'string' ? s : s.join('');
}

/** 'a\nb\n' -> ['a\n', 'b\n'], as Jupyter writes multiline strings */
export function splitLines(s: string): string[] {
  return s.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isMultiline = (v: unknown): v is MultilineString =>
  typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'));

/** Parses and checks an .ipynb: one UserError line naming the file and what is wrong. */
export function parseIpynb(text: string, file: string): Notebook {
  let nb: unknown;
  try {
    nb = JSON.parse(text);
  } catch (e) {
    throw new UserError(`${file}: not a Jupyter notebook: invalid JSON (${(e as Error).message})`);
  }
  const bad = (what: string): UserError => new UserError(`${file}: not a Jupyter notebook (nbformat 4): ${what}`);
  if (!isObject(nb)) throw bad('the top level is not a JSON object');
  if (nb.nbformat !== 4) {
    if (typeof nb.nbformat === 'number') {
      throw new UserError(`${file}: nbformat ${nb.nbformat} is not supported; open and save it in Jupyter to convert it to nbformat 4`);
    }
    throw bad('no "nbformat": 4 field');
  }
  if (!Array.isArray(nb.cells)) throw bad('no "cells" list');
  nb.cells.forEach((c: unknown, i: number) => {
    if (!isObject(c)) throw bad(`cells[${i}] is not an object`);
    if (c.cell_type !== 'code' && c.cell_type !== 'markdown' && c.cell_type !== 'raw') {
      throw bad(`cells[${i}].cell_type must be "code", "markdown" or "raw", got ${JSON.stringify(c.cell_type)}`);
    }
    if (!isMultiline(c.source)) throw bad(`cells[${i}].source must be a string or a list of strings`);
  });
  const meta = isObject(nb.metadata) ? nb.metadata : {};
  const lang = (isObject(meta.kernelspec) && meta.kernelspec.language) || (isObject(meta.language_info) && meta.language_info.name);
  if (typeof lang === 'string' && lang.toLowerCase() !== 'python') {
    throw new UserError(`${file}: the notebook's language is ${lang}; this runs Python notebooks only`);
  }
  return {
    nbformat: 4,
    nbformat_minor: typeof nb.nbformat_minor === 'number' ? nb.nbformat_minor : 0,
    metadata: isObject(nb.metadata) ? nb.metadata : {},
    cells: (nb.cells as Record<string, unknown>[]).map((c) => ({ ...c, metadata: isObject(c.metadata) ? c.metadata : {} }) as unknown as Cell),
  };
}

const CELL_MARK = /^# ?%%(.*)$/;

/**
 * A .py file as a notebook: cells start at `# %%` lines (the percent format of Jupytext, VS Code, Spyder);
 * `# %% [markdown]` cells are markdown (their `# ` comment prefixes removed). No marker: one cell.
 */
export function parsePy(text: string): Notebook {
  const chunks: { kind: 'code' | 'markdown'; marked: boolean; lines: string[] }[] = [{ kind: 'code', marked: false, lines: [] }];
  for (const line of text.replace(/\r\n/g, '\n').split('\n')) {
    const m = CELL_MARK.exec(line);
    if (m) chunks.push({ kind: /^\s*\[markdown\]/.test(m[1]) ? 'markdown' : 'code', marked: true, lines: [] });
    else chunks[chunks.length - 1].lines.push(line);
  }
  const blank = (l: string): boolean => l.trim() === '';
  const cells = chunks
    .filter((c) => c.marked || c.lines.some((l) => !blank(l)))
    .map(({ kind, lines }): Cell => {
      let a = 0;
      let b = lines.length;
      while (a < b && blank(lines[a])) a++;
      while (b > a && blank(lines[b - 1])) b--;
      const body = lines.slice(a, b);
      return kind === 'markdown'
        ? { cell_type: 'markdown', source: body.map((l) => l.replace(/^# ?/, '')).join('\n'), metadata: {} }
        : { cell_type: 'code', source: body.join('\n'), metadata: {}, execution_count: null, outputs: [] };
    });
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' },
      language_info: { name: 'python' },
    },
    cells,
  };
}

/** Appends an output, merging a stream into the previous one of the same name (as Jupyter saves them). */
export function addOutput(outputs: Output[], out: Output): void {
  const last = outputs[outputs.length - 1];
  if (out.output_type === 'stream' && last?.output_type === 'stream' && last.name === out.name) {
    last.text = joinSource(last.text) + joinSource(out.text);
    return;
  }
  outputs.push(out);
}

function normalizeOutput(o: Output): Output {
  const lines = (v: MultilineString): MultilineString => splitLines(joinSource(v));
  const data = (d: Record<string, MultilineString>): Record<string, MultilineString> =>
    Object.fromEntries(Object.entries(d).map(([k, v]) => [k, lines(v)]));
  switch (o.output_type) {
    case 'stream': return { ...o, text: lines(o.text) };
    case 'execute_result': return { ...o, data: data(o.data) };
    case 'display_data': return { ...o, data: data(o.data) };
    case 'error': return o;
  }
}

/** The characters an output holds (what the limits of a kept notebook count). */
export function outputChars(o: Output): number {
  switch (o.output_type) {
    case 'stream': return joinSource(o.text).length;
    case 'error': return o.ename.length + o.evalue.length + o.traceback.reduce((n, l) => n + l.length, 0);
    default: return Object.values(o.data).reduce((n, v) => n + joinSource(v).length, 0);
  }
}

/** What one cell keeps of its output for the executed notebook, and what one run keeps in all. */
export const KEEP_PER_CELL = 8 << 20;
export const KEEP_PER_RUN = 64 << 20;

function mib(n: number): string {
  return `${(n / (1 << 20)).toFixed(0)} MiB`;
}

/**
 * The outputs a run keeps for its executed notebook, within KEEP_PER_CELL a cell and KEEP_PER_RUN in all
 * (characters), so a cell printing gigabytes cannot exhaust memory or make an unwritable notebook: past a
 * limit the rest of the cell's output is left out (the terminal shows all of it) and the cell's outputs end
 * with a note saying how much. An error output is always kept.
 */
export class OutputKeeper {
  private used = 0;
  private cellUsed = 0;
  private dropped = 0;

  constructor(readonly perCell = KEEP_PER_CELL, readonly perRun = KEEP_PER_RUN) {}

  startCell(): void {
    this.cellUsed = 0;
    this.dropped = 0;
  }

  add(outputs: Output[], out: Output): void {
    const size = outputChars(out);
    const room = Math.min(this.perCell - this.cellUsed, this.perRun - this.used);
    if (out.output_type !== 'error' && size > room) {
      if (out.output_type === 'stream' && room > 0 && this.dropped === 0) {
        const text = joinSource(out.text).slice(0, room);
        this.keep(outputs, { ...out, text }, text.length);
        this.dropped += size - text.length;
      } else {
        this.dropped += size;
      }
      return;
    }
    this.keep(outputs, out, size);
  }

  private keep(outputs: Output[], out: Output, size: number): void {
    this.cellUsed += size;
    this.used += size;
    addOutput(outputs, out);
  }

  /** Ends the cell: a note in its outputs when some of it was left out; the note's text, or undefined. */
  endCell(outputs: Output[]): string | undefined {
    if (this.dropped === 0) return undefined;
    const note = `[backprop-ninja] ${this.dropped} more characters of this cell's output were printed but not kept here (a cell keeps at most ${mib(this.perCell)}, a notebook ${mib(this.perRun)})\n`;
    outputs.push({ output_type: 'stream', name: 'stderr', text: note });
    return note;
  }
}

/**
 * The notebook after a run, in nbformat 4.5: every cell gets an id; code cells get the run's outputs and
 * execution counts (`results` by cell index). A code cell the run did not reach (it stopped at an error,
 * Ctrl-C, a signal) keeps the outputs and execution count it had, as Jupyter leaves them: writing the
 * executed notebook over its own file never loses what a cell showed before.
 */
export function executedNotebook(nb: Notebook, results: ReadonlyMap<number, { count: number | null; outputs: Output[] }>): Notebook {
  const used = new Set<string>();
  const cells = nb.cells.map((c, i): Cell => {
    let id = typeof c.id === 'string' && /^[a-zA-Z0-9-_]{1,64}$/.test(c.id) && !used.has(c.id) ? c.id : `cell-${i + 1}`;
    while (used.has(id)) id = `${id}-`;
    used.add(id);
    const source = splitLines(joinSource(c.source));
    if (c.cell_type !== 'code') {
      const rest: Cell = { ...c, id, source };
      delete rest.outputs;
      delete rest.execution_count;
      return rest;
    }
    const r = results.get(i);
    if (r === undefined) {
      const count = typeof c.execution_count === 'number' && Number.isInteger(c.execution_count) ? c.execution_count : null;
      return { ...c, id, source, execution_count: count, outputs: Array.isArray(c.outputs) ? c.outputs : [] };
    }
    return { ...c, id, source, execution_count: r.count, outputs: r.outputs.map(normalizeOutput) };
  });
  return { ...nb, nbformat: 4, nbformat_minor: 5, cells };
}
