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
export interface GoldenCell extends CellRecord {
  cell: number;
  sha256: string;
  /**
   * The fields PyTorch itself printed differently with its portable kernels (ATEN_CPU_CAPABILITY=default) than
   * with this machine's AVX2 ones: float rounding alone, amplified where a training loop follows.
   */
  pytorch_default?: Partial<CellRecord>;
}
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
 * - 'portable': equal, character for character, to what PyTorch printed with its portable CPU kernels
 *   (ATEN_CPU_CAPABILITY=default, the fixture's `pytorch_default`) where its AVX2 kernels round differently.
 * - 'ours': the field is what this runtime does differently, said in `why`; its value is not compared.
 */
export type Difference =
  | { field: keyof CellRecord; kind: 'float'; rtol: number; atol: number; why: string }
  | { field: keyof CellRecord; kind: 'etype' | 'portable' | 'ours'; why: string };

const NUM = /[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?|[-+]?inf|nan/g;
const ADDRESS = /0x[0-9a-f]{6,}/g;

/** Object addresses, which no two processes share, as the fixture writes them. */
export const clean = (s: string): string => s.replace(ADDRESS, '0x…');

/** Undefined when the two texts differ only in numbers within rtol (of the larger magnitude) or atol, else why not. */
export function withinFloat(actual: string, expected: string, rtol: number, atol: number): string | undefined {
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

/** The largest relative difference between the numbers of two texts of the same shape. */
function maxRelative(a: string, b: string): number {
  const an = a.match(NUM) ?? [];
  const bn = b.match(NUM) ?? [];
  let worst = 0;
  for (let i = 0; i < an.length; i++) {
    const x = Number(an[i]);
    const y = Number(bn[i]);
    if (x !== y && !(Number.isNaN(x) && Number.isNaN(y))) worst = Math.max(worst, Math.abs(x - y) / Math.max(Math.abs(x), Math.abs(y)));
  }
  return worst;
}

/**
 * How far ours may be from PyTorch's AVX2 record where PyTorch's own two kernels disagree: SPREAD times their
 * largest relative difference in that field (one pair of runs samples the spread; rounding differences of ours
 * are of the same kind, a different summation order or exp), and never below RTOL_FLOOR (4 float32 ulps).
 */
export const SPREAD = 4;
const RTOL_FLOOR = 4 * 2 ** -23;

/** Ours against PyTorch where PyTorch differs from itself in `field`: undefined when within, else why not. */
function withinSpread(a: string, e: string, portable: string): { why?: string; note: string } {
  if (shape(e) !== shape(portable)) {
    // a choice flipped in PyTorch itself (a sampled name, a loss after a rounding-sensitive training loop):
    // only the layout can be asked of ours, line for line
    const lines = (s: string): number => s.split('\n').length;
    return { why: lines(a) === lines(e) ? undefined : `${lines(a)} lines, PyTorch ${lines(e)}`, note: "PyTorch's own kernels print different text here; compared by its lines" };
  }
  const spread = maxRelative(e, portable);
  const rtol = Math.max(SPREAD * spread, RTOL_FLOOR);
  return { why: withinFloat(a, e, rtol, 0), note: `within ${SPREAD}x PyTorch's own spread (its portable and AVX2 kernels differ by ${spread.toExponential(1)} relative)` };
}

const show = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v, null, 1));

export interface Verdict {
  /** every field character for character */
  equal: boolean;
  /** the fields that needed a listed difference or the table's unrepeatable mark, each with its reason */
  listed: string[];
  /** the fields compared within PyTorch's own spread (its two CPU kernels differ there) */
  spread: string[];
  /** what differs beyond them */
  failures: string[];
}

const FIELDS: (keyof CellRecord)[] = ['count', 'stdout', 'stderr', 'result', 'display', 'images', 'error'];

/** Our record of a cell against the fixture's, field by field. */
export function compareCell(ours: CellRecord, golden: GoldenCell, unrepeatable: string | undefined, differences: Difference[]): Verdict {
  const v: Verdict = { equal: true, listed: [], spread: [], failures: [] };
  for (const field of FIELDS) {
    const a = show(ours[field]);
    const e = show(golden[field]);
    if (a === e) continue;
    v.equal = false;
    const d = differences.find((x) => x.field === field);
    const portable = golden.pytorch_default?.[field];
    if (d === undefined && unrepeatable === undefined && portable !== undefined) {
      const r = withinSpread(a, e, show(portable));
      if (r.why === undefined) v.spread.push(`${field}: ${r.note}`);
      else v.failures.push(`${field} differs beyond PyTorch's own spread (${r.why}):\n--- ours\n${a}\n--- PyTorch 1.13\n${e}\n--- PyTorch 1.13, ATEN_CPU_CAPABILITY=default\n${show(portable)}`);
      continue;
    }
    let why: string | undefined = 'differs';
    if (d?.kind === 'ours') why = undefined;
    else if (d?.kind === 'float') why = withinFloat(a, e, d.rtol, d.atol);
    else if (d?.kind === 'portable') why = portable === undefined ? 'PyTorch printed it the same with its portable kernels' : a === show(portable) ? undefined : `not what PyTorch's portable kernels printed either:\n${show(portable)}`;
    else if (d?.kind === 'etype') why = ours.error?.ename === golden.error?.ename ? undefined : `${ours.error?.ename} is not ${golden.error?.ename}`;
    else if (unrepeatable !== undefined && field !== 'error' && field !== 'images' && shape(a) === shape(e)) why = undefined;
    if (why === undefined) v.listed.push(`${field}: ${d?.why ?? unrepeatable}`);
    else v.failures.push(`${field} ${why}:\n--- ours\n${a}\n--- PyTorch 1.13\n${e}`);
  }
  return v;
}

/**
 * A mean over thousands of float32 terms (a loss over a split): PyTorch sums in 8-lane vector chunks and a
 * cascade, ours in another order; each order's error is a few ulps of the result, and the two land 1 ulp apart
 * here. Allowed: 4 ulps (2^-23 relative each).
 */
const F32_MEAN = (why: string): Difference => ({ field: 'stdout', kind: 'float', rtol: 4 * 2 ** -23, atol: 0, why: `${why}: a float32 mean summed in another order than PyTorch's (1 ulp apart; 4 allowed)` });
/**
 * 200 steps of SGD at lr 0.1 from an initialisation whose loss is 27 (part 2): the first step's loss agrees to
 * 1 ulp, the rounding grows with every step. PyTorch's own portable and AVX2 kernels end 0.5% apart (6.5176
 * against 6.5487 at cell 30): allowed 4 times that.
 */
const AFTER_TRAINING: Difference = {
  field: 'result', kind: 'float', rtol: 0.02, atol: 0,
  why: "the loss after 200 rounding-sensitive training steps: PyTorch's portable and AVX2 kernels end 0.5% apart; 2% allowed",
};
/** notebook -> cell index -> the differences we list for it, each with why. */
export const DIFFERENCES: Record<string, Record<number, Difference[]>> = {
  makemore_part1_bigrams: { 57: [F32_MEAN('the loss over every bigram of the first 1,000 words')] },
  makemore_part2_mlp: { 29: [AFTER_TRAINING], 30: [AFTER_TRAINING] },
  makemore_part3_bn: {
    22: [{
      field: 'error', kind: 'etype',
      why: "ModuleNotFoundError for ipywidgets, as in PyTorch's Jupyter without it; our message goes on to say what the runtime has (how a user sees what is not supported)",
    }],
  },
  makemore_part4_backprop: {
    11: [{
      field: 'stdout', kind: 'portable',
      why: "exercise 1's table: PyTorch's AVX2 kernel for tanh's backward computes 1 - y*y in one fused multiply-add, so hpreact and the rows after it are exact: False; " +
        'ours rounds the product and the difference apart, as PyTorch\'s portable kernel (and the lecture\'s recorded output) does: all 26 rows exact: True',
    }],
    19: [{
      field: 'stdout', kind: 'float', rtol: 0, atol: 4 * 2 ** -21,
      why: "exercise 3's max diff between two float32 formulas for hpreact (|hpreact| < 8): rounding noise of 1 to 2 ulps on either side; 4 ulps at [4, 8) allowed",
    }],
  },
  makemore_part5_cnn1: { 13: [F32_MEAN('split_loss: cross_entropy over the train and val splits')] },
};
