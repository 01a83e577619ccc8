// Issue 18's twelve notebooks, shared by test/notebook/series.test.ts (the runtime the CLI runs) and
// test/web/series.test.ts (the lab's Notebook tab): the table both sides read (test/fixtures/series-table.json:
// files, where names.txt goes, the edits that lower the long loops, the cells no seed makes repeatable), the
// fixture Debian's PyTorch 1.13 recorded (scripts/make_series_fixture.py -> test/fixtures/series-golden.json),
// and the comparison of one cell's record with the fixture's, with the differences we list and why.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { joinSource, parseIpynb, parsePy } from '../../src/notebook/nbformat.js';
import { REPO } from '../helpers.js';

export interface Edit { find: string; replace: string; count?: number; why: string }
export interface SeriesNotebook {
  name: string;
  /** repo-relative */
  file: string;
  /** the folder the cells run in, relative to the temp folder */
  cwd: string;
  /** where names.txt is placed, relative to the temp folder (null: not read) */
  names_txt: string | null;
  kagglehub_cache?: string;
  edits: Edit[];
  /** cell index -> why no seed makes its output repeatable (compared with the numbers taken out) */
  unrepeatable: Record<string, string>;
}
export const TABLE = JSON.parse(readFileSync(join(REPO, 'test', 'fixtures', 'series-table.json'), 'utf8')) as {
  seed: number;
  /** names.txt is its first N lines */
  names_lines: number;
  notebooks: SeriesNotebook[];
};

/** What one code cell showed, as the fixture records it (and as we record ours). */
export interface CellRecord {
  count: number | null;
  stdout: string;
  stderr: string;
  result: { count: number; text: string } | null;
  /** text/plain of display_data that is not an image */
  display: string[];
  /** figures (and graphviz SVGs) */
  images: number;
  error: { ename: string; evalue: string } | null;
}
export interface GoldenCell extends CellRecord { cell: number; sha256: string }
export const GOLDEN = JSON.parse(readFileSync(join(REPO, 'test', 'fixtures', 'series-golden.json'), 'utf8')) as {
  __metadata__: { torch: string; seed: number; names_lines: number };
  notebooks: Record<string, { file: string; stops_at: number | null; cells: GoldenCell[] }>;
};

/** The notebook's cells (index, kind, source) with the table's edits applied to the code cells. */
export function editedCells(nb: SeriesNotebook): { index: number; code: boolean; source: string }[] {
  const path = join(REPO, nb.file);
  const text = readFileSync(path, 'utf8');
  const parsed = path.endsWith('.py') ? parsePy(text) : parseIpynb(text, path);
  let cells = parsed.cells.map((c, index) => ({ index, code: c.cell_type === 'code', source: joinSource(c.source) }));
  for (const e of nb.edits) {
    const found = cells.reduce((n, c) => n + (c.code ? c.source.split(e.find).length - 1 : 0), 0);
    if (found !== (e.count ?? 1)) throw new Error(`${nb.name}: the edit ${JSON.stringify(e.find)} occurs ${found} times, the table says ${e.count ?? 1}`);
    cells = cells.map((c) => (c.code ? { ...c, source: c.source.split(e.find).join(e.replace) } : c));
  }
  return cells;
}

export const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/** Why the notebook cannot run here (its file or names.txt missing), or undefined. */
export function missingInput(nb: SeriesNotebook, namesTxt: string | undefined): string | undefined {
  const path = join(REPO, nb.file);
  if (!existsSync(path)) return `needs ${path} (the learners' notebooks are in ../shared/notebooks/, beside the repository)`;
  if (nb.names_txt !== null && namesTxt === undefined) return "needs the lecture's names.txt (npx backprop-ninja data --download)";
  return undefined;
}

/** names.txt's first TABLE.names_lines lines, each ending in a newline (as the fixture script writes it). */
export function namesText(namesTxt: string): string {
  return readFileSync(namesTxt, 'utf8').split('\n').slice(0, TABLE.names_lines).map((l) => `${l}\n`).join('');
}

/** Lays out the temp folder as the table says: names.txt (and kagglehub's cache marker); returns the cells' folder. */
export function layOut(nb: SeriesNotebook, root: string, namesTxt: string | undefined): string {
  if (nb.names_txt !== null && namesTxt !== undefined) {
    const dest = join(root, nb.names_txt);
    mkdirSync(dirname(dest), { recursive: true });
    writeFileSync(dest, namesText(namesTxt));
    if (nb.kagglehub_cache !== undefined) {
      // a complete version in kagglehub's cache layout: {cache}/datasets/OWNER/DATASET/N.complete beside versions/N
      const version = dirname(dest);
      writeFileSync(join(dirname(dirname(version)), `${basename(version)}.complete`), '');
    }
  }
  const cwd = join(root, nb.cwd);
  mkdirSync(cwd, { recursive: true });
  return cwd;
}

/**
 * A difference we list, instead of character for character:
 * - 'float': the same text with the numbers taken out; the numbers equal within rtol (relative to the larger
 *   magnitude) or atol.
 * - 'etype': an error compares by its ename only (the message's wording is ours).
 * - 'ours': the field is what this runtime does differently, said in `why`; its value is not compared.
 */
export type Difference =
  | { field: keyof CellRecord; kind: 'float'; rtol: number; atol: number; why: string }
  | { field: keyof CellRecord; kind: 'etype' | 'ours'; why: string };

const NUM = /[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?|[-+]?inf|nan/g;
const ADDRESS = /0x[0-9a-f]{6,}/g;

/** Object addresses, which no two processes share, as the fixture writes them. */
export const clean = (s: string): string => s.replace(ADDRESS, '0x…');

function withinFloat(actual: string, expected: string, rtol: number, atol: number): string | undefined {
  const a = actual.split(NUM);
  const e = expected.split(NUM);
  if (a.length !== e.length || a.some((s, i) => s !== e[i])) return 'the text around the numbers differs';
  const an = actual.match(NUM) ?? [];
  const en = expected.match(NUM) ?? [];
  for (let i = 0; i < en.length; i++) {
    const x = Number(an[i]);
    const y = Number(en[i]);
    if (Number.isNaN(x) && Number.isNaN(y)) continue;
    if (!(Math.abs(x - y) <= atol + rtol * Math.max(Math.abs(x), Math.abs(y)))) return `number ${i}: ${an[i]} vs ${en[i]}`;
  }
  return undefined;
}

/** Text with its numbers taken out (an unrepeatable cell's shape). */
const shape = (s: string): string => s.replace(NUM, '#');

const show = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v, null, 1));

export interface Verdict {
  /** every field character for character */
  equal: boolean;
  /** the fields that needed a listed difference or the table's unrepeatable mark, each with its reason */
  listed: string[];
  /** what differs beyond them */
  failures: string[];
}

const FIELDS: (keyof CellRecord)[] = ['count', 'stdout', 'stderr', 'result', 'display', 'images', 'error'];

/** Our record of a cell against the fixture's, field by field. */
export function compareCell(ours: CellRecord, golden: GoldenCell, unrepeatable: string | undefined, differences: Difference[]): Verdict {
  const v: Verdict = { equal: true, listed: [], failures: [] };
  for (const field of FIELDS) {
    const a = show(ours[field]);
    const e = show(golden[field]);
    if (a === e) continue;
    v.equal = false;
    const d = differences.find((x) => x.field === field);
    let why: string | undefined = 'differs';
    if (d?.kind === 'ours') why = undefined;
    else if (d?.kind === 'float') why = withinFloat(a, e, d.rtol, d.atol);
    else if (d?.kind === 'etype') why = ours.error?.ename === golden.error?.ename ? undefined : `${ours.error?.ename} is not ${golden.error?.ename}`;
    else if (unrepeatable !== undefined && field !== 'error' && field !== 'images' && shape(a) === shape(e)) why = undefined;
    if (why === undefined) v.listed.push(`${field}: ${d?.why ?? unrepeatable}`);
    else v.failures.push(`${field} ${why}:\n--- ours\n${a}\n--- PyTorch 1.13\n${e}`);
  }
  return v;
}
