// Data: names -> vocabulary -> context windows -> the lecture's 80/10/10 split. Pure: no I/O here, so the
// browser runs the very same code; reading files lives in src/node.

import { UserError } from '../errors.js';
import { MT19937 } from '../random/python.js';

/** The start/stop token: index 0 of every vocabulary. */
export const STOP = '.';

/** Context windows: X holds n rows of T token ids (row-major), Y the next token of each row. */
export interface Split {
  readonly X: Int32Array; // (n, T)
  readonly Y: Int32Array; // (n)
  readonly n: number;
}

export interface Dataset {
  readonly source: string;
  /** itos: index -> character; itos[0] is '.' */
  readonly itos: readonly string[];
  readonly blockSize: number;
  /** the names in shuffled order (the order the split takes them in) */
  readonly words: readonly string[];
  readonly train: Split;
  readonly val: Split;
  readonly test: Split;
}

/**
 * Parses a names file: UTF-8 text, one name a line; surrounding whitespace and '\r' stripped, empty lines
 * dropped. `source` names the input in error messages.
 */
export function parseNames(text: string, source: string): string[] {
  if (text.length === 0) throw new UserError(`${source}: the file is empty; give a text file with one name a line`);
  const words: string[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const w = lines[i].trim();
    if (w.length === 0) continue;
    if (w.includes(STOP)) {
      throw new UserError(
        `${source}:${i + 1}: the name ${JSON.stringify(w)} contains '${STOP}', which is the start/stop token; remove it from the name`,
      );
    }
    words.push(w);
  }
  if (words.length === 0) {
    throw new UserError(`${source}: no usable name (only blank lines); give a text file with one name a line`);
  }
  return words;
}

/** '.' then the sorted distinct characters (by code point, as Python's sorted() on str). */
export function buildVocab(words: readonly string[]): string[] {
  const chars = new Set<string>();
  for (const w of words) for (const ch of w) chars.add(ch);
  const sorted = [...chars].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
  return [STOP, ...sorted];
}

export function stoiOf(itos: readonly string[]): Map<string, number> {
  return new Map(itos.map((ch, i) => [ch, i]));
}

/** The lecture's build_dataset: for each name, a window of T tokens slides over '...' + name + '.'. */
export function buildWindows(words: readonly string[], itos: readonly string[], blockSize: number): Split {
  const stoi = stoiOf(itos);
  let n = 0;
  for (const w of words) n += [...w].length + 1;
  const X = new Int32Array(n * blockSize);
  const Y = new Int32Array(n);
  const context = new Int32Array(blockSize);
  let row = 0;
  for (const w of words) {
    context.fill(0);
    for (const ch of [...w, STOP]) {
      const ix = stoi.get(ch);
      if (ix === undefined) throw new UserError(`character ${JSON.stringify(ch)} is not in the vocabulary`);
      X.set(context, row * blockSize);
      Y[row] = ix;
      context.copyWithin(0, 1);
      context[blockSize - 1] = ix;
      row++;
    }
  }
  return { X, Y, n };
}

export interface DatasetOptions {
  blockSize?: number;
  /** the shuffle seed; the lecture's is 42 */
  seed?: number;
}

/** Vocab over all names, then `random.seed(seed); random.shuffle(words)`, then 80/10/10 by names. */
export function buildDataset(words: readonly string[], source: string, opts: DatasetOptions = {}): Dataset {
  const blockSize = opts.blockSize ?? 3;
  if (!Number.isInteger(blockSize) || blockSize < 1) {
    throw new UserError(`block size must be a positive integer, got ${blockSize}`);
  }
  const itos = buildVocab(words);
  const shuffled = [...words];
  new MT19937(opts.seed ?? 42).shuffle(shuffled);
  // int(0.8 * len) as in Python: floor of the double product
  const n1 = Math.floor(0.8 * shuffled.length);
  const n2 = Math.floor(0.9 * shuffled.length);
  return {
    source,
    itos,
    blockSize,
    words: shuffled,
    train: buildWindows(shuffled.slice(0, n1), itos, blockSize),
    val: buildWindows(shuffled.slice(n1, n2), itos, blockSize),
    test: buildWindows(shuffled.slice(n2), itos, blockSize),
  };
}

/** What draws a batch's row indices: MT19937 (randbelow by rejection) or PyTorch's randint (run/torchrun.ts). */
export interface BatchRng {
  /** a row index in [0, n) */
  randbelow(n: number): number;
}

/** Draws B rows of a split uniformly (with replacement), like torch.randint(0, n, (B,)); fills X, Y. */
export function drawBatch(split: Split, T: number, rng: BatchRng, X: Int32Array, Y: Int32Array): void {
  const B = Y.length;
  if (split.n === 0) {
    // one name gives floor(0.8 * 1) = 0 training names: say so, rather than fail inside the generator
    throw new UserError('cannot draw a batch: the training split is empty (the 80/10/10 split needs at least 2 names)');
  }
  for (let b = 0; b < B; b++) {
    const ix = rng.randbelow(split.n);
    for (let t = 0; t < T; t++) X[b * T + t] = split.X[ix * T + t];
    Y[b] = split.Y[ix];
  }
}
