// `notebook FILE`: runs a Jupyter notebook (.ipynb) or a Python script (.py, cells at `# %%`) in the
// Python runtime (Pyodide, in a worker thread), printing like Jupyter: a header per cell, its output as it
// is written, `Out[N]: value` for a last bare expression. The cells have the user's rights and see the host's
// files at their own paths, as a Jupyter kernel does. An error prints the user's traceback and exits 1;
// Ctrl-C raises KeyboardInterrupt in the cell and exits 130, SIGTERM and SIGHUP stop it the same way (143,
// 129); the executed notebook (--out, nbformat 4.5) is written in every case, whole or not at all. Without
// --out, figures are written as .svg files beside FILE. `--lecture part4` runs a lecture shipped in the package.

import { closeSync, constants, copyFileSync, existsSync, lstatSync, mkdirSync, openSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve, sep } from 'node:path';
import { UserError } from '../../core/errors.js';
import {
  executedNotebook, joinSource, OutputKeeper, parseIpynb, parsePy, type Notebook, type Output,
} from '../../notebook/nbformat.js';
import type { CellError } from '../../notebook/runtime.js';
import { requireInt } from '../args.js';
import { F, type Command } from '../command.js';
import { readText, writeFileAtomic } from '../io.js';
import { LECTURES, lectureList, lecturesDir, shippedNamesTxt } from '../lectures.js';
import { NotebookHost, type CellEvent } from '../notebook-host.js';
import { formatDuration } from '../progress.js';

const PYODIDE_VERSION = '314.0.7';

/** The signals that stop a run, and the shell's convention for the exit code: 128 + the signal's number. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
type StopSignal = (typeof STOP_SIGNALS)[number];
const SIGNAL_EXIT: Record<StopSignal, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
/** How long SIGTERM/SIGHUP wait for the interrupted cell to end before the runtime is stopped. */
const STOP_GRACE_MS = 2000;

/**
 * Text from a notebook shown on one line of ours (a cell's first line in its header, an exception's name):
 * control characters are written as escapes (\r, \x1b), so they can neither move the cursor nor hide text.
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => {
    const n = c.charCodeAt(0);
    return n === 9 ? '\\t' : n === 13 ? '\\r' : `\\x${n.toString(16).padStart(2, '0')}`;
  });
}

/** `In [3]: first line of the cell  (+4 lines)` */
export function cellHeader(count: number, source: string): string {
  const lines = source.split('\n');
  const first = printable(lines.find((l) => l.trim() !== '') ?? '');
  const shown = first.length > 72 ? `${first.slice(0, 71)}…` : first;
  const more = lines.length - 1;
  return `In [${count}]: ${shown}${more > 0 ? `  (+${more} line${more > 1 ? 's' : ''})` : ''}`;
}

/** IPython's `Out[N]: `: a multi-line value starts on the next line, so its rows line up. */
export function outLine(count: number, text: string): string {
  return `Out[${count}]: ${text.includes('\n') ? '\n' : ''}${text}`;
}

function loadNotebook(file: string): Notebook {
  const ext = extname(file).toLowerCase();
  if (ext !== '.ipynb' && ext !== '.py') throw new UserError(`${file}: expected a Jupyter notebook (.ipynb) or a Python script (.py)`);
  const text = readText(file, ext === '.ipynb' ? 'notebook' : 'script');
  return ext === '.ipynb' ? parseIpynb(text, file) : parsePy(text);
}

/**
 * --out, checked before the runtime starts: a file name ending in .ipynb (it is nbformat JSON: `--out x.py`
 * would replace a script with JSON), not a directory, in an existing directory this user may write to.
 */
export function checkOut(given: string): string {
  if (given.trim() === '') throw new UserError('--out needs a file name ending in .ipynb');
  const out = resolve(given);
  if (extname(out).toLowerCase() !== '.ipynb') {
    throw new UserError(`--out ${given}: the executed notebook is nbformat JSON; give a file name ending in .ipynb`);
  }
  let st;
  try {
    st = statSync(out);
  } catch {
    st = undefined;
  }
  if (st?.isDirectory()) throw new UserError(`--out ${given}: it is a directory; give a file name ending in .ipynb`);
  const dir = dirname(out);
  let dirSt;
  try {
    dirSt = statSync(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(code === 'ENOTDIR' ? `--out ${given}: a part of the path is a file, not a directory` : `--out ${given}: the directory ${dir} does not exist`);
  }
  if (!dirSt.isDirectory()) throw new UserError(`--out ${given}: a part of the path is a file, not a directory`);
  const probe = join(dir, `.${basename(out)}.probe-${process.pid}`);
  try {
    closeSync(openSync(probe, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600));
    rmSync(probe, { force: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EROFS' ? 'read-only file system' : (e as Error).message;
    throw new UserError(`--out ${given}: cannot write in ${dir}: ${why}`);
  }
  return out;
}

/**
 * PYTHONHASHSEED as CPython reads it: unset (the snapshot's '0'), 'random', or an integer in [0, 4294967295].
 * Any value but '0' makes the runtime start without its snapshot (str hashes are fixed at start).
 */
export function hashSeed(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const v = env.PYTHONHASHSEED;
  if (v === undefined || v === '' || v === '0') return undefined;
  if (v === 'random' || (/^[0-9]{1,10}$/.test(v) && Number(v) <= 4294967295)) return v;
  throw new UserError(`PYTHONHASHSEED must be "random" or an integer in range [0; 4294967295], got ${JSON.stringify(v.slice(0, 40))}`);
}

/** The working directory of `--lecture NAME`: --cwd, else a new folder named after the notebook here. */
export function lectureSetup(name: string, cwdFlag: string | undefined): { file: string; cwd: string; note: string } {
  const lecture = LECTURES.find((l) => l.name === name);
  if (lecture === undefined) {
    throw new UserError(`--lecture ${name === '' ? 'needs a name' : `${name}: no such lecture`}; one of:\n${lectureList()}`);
  }
  const file = join(lecturesDir(), lecture.file);
  if (!existsSync(file)) throw new UserError(`the lecture ${lecture.file} is not in ${lecturesDir()} (an incomplete install?)`);
  const cwd = resolve(cwdFlag ?? basename(lecture.file, '.ipynb'));
  if (cwd.split(sep).includes('node_modules')) {
    throw new UserError(`${cwd} is inside node_modules, where an install may replace it; give a folder of yours with --cwd DIR`);
  }
  try {
    mkdirSync(cwd, { recursive: true });
  } catch (e) {
    throw new UserError(`cannot make the folder ${cwd}: ${(e as Error).message}; give another with --cwd DIR`);
  }
  if (!statSync(cwd).isDirectory()) throw new UserError(`--cwd ${cwd}: not a directory`);
  let note = `the lecture ${lecture.file} (shipped in ${lecturesDir()}) runs in ${cwd}`;
  const names = shippedNamesTxt();
  if (lecture.names && names !== undefined) {
    const here = join(cwd, 'names.txt');
    let there = true;
    try {
      lstatSync(here);
    } catch {
      there = false;
    }
    if (!there) {
      copyFileSync(names, here, constants.COPYFILE_EXCL);
      note += '; names.txt copied there';
    } else {
      note += '; its names.txt is the one already there';
    }
  }
  return { file, cwd, note };
}

/** One live line on a terminal (cell i/N, elapsed, a download), wiped before any output is written. */
class StatusLine {
  private shown = false;
  private atLineStart = true;
  private readonly closed = new Set<NodeJS.WriteStream>();
  constructor(private readonly live: boolean) {
    // a closed pipe (`| head`) must not stop a run that writes --out: its output is lost, not the run
    for (const s of [process.stdout, process.stderr]) {
      s.on('error', (e: NodeJS.ErrnoException) => {
        if (e.code !== 'EPIPE') throw e;
        this.closed.add(s);
      });
    }
  }

  /** Writes text; resolves when the stream has taken it (the worker waits when we fall behind). */
  write(stream: NodeJS.WriteStream, text: string): Promise<void> {
    if (text === '' || this.closed.has(stream)) return Promise.resolve();
    this.clear();
    this.atLineStart = text.endsWith('\n');
    return new Promise((done) => {
      stream.write(text, () => done());
    });
  }

  draw(text: string): void {
    if (!this.live || !this.atLineStart) return; // never over a partial line of the cell's own output
    if (text === '') {
      this.clear();
      return;
    }
    process.stderr.write(`\r\x1b[2K${text}`);
    this.shown = true;
  }

  clear(): void {
    if (this.shown) process.stderr.write('\r\x1b[2K');
    this.shown = false;
  }
}

export const notebookCommand: Command = {
  name: 'notebook',
  brief: 'Run a Jupyter notebook (.ipynb) or a Python script (.py) with no Python installed.',
  positional: 'file',
  summary:
    'Run a Jupyter notebook (.ipynb) or a Python script (.py; cells at `# %%` lines) with no Python installed.\n' +
    'CPython runs in WebAssembly (Pyodide); `import torch` is this project\'s TypeScript tensor library, and\n' +
    'matplotlib.pyplot draws SVG. Prints like Jupyter: a header per cell, its output as it is printed, and\n' +
    '`Out[N]:` for a last bare expression. Cells run in FILE\'s directory (--cwd to change) with your rights,\n' +
    'as a Jupyter kernel: they read and write your files by the paths Python would use; a missing names.txt\n' +
    'is served from the cached download. An error prints the traceback and exits 1; Ctrl-C stops the running\n' +
    'cell (KeyboardInterrupt) and exits 130 (SIGTERM 143, SIGHUP 129), --out written either way.\n' +
    '--lecture NAME runs a lecture notebook shipped with the package (--lecture alone lists them).',
  flags: [
    { name: 'out', short: 'o', type: 'string', help: 'write the executed notebook here (a .ipynb: nbformat 4.5, every output, figures inline)' },
    { name: 'cwd', type: 'string', help: "the directory the cells run in (default: FILE's directory; with --lecture, a new folder here)" },
    { name: 'seed', type: 'int', digits: true, help: "seed Python's random and torch's default generator (and numpy's) with N (default: fresh from the OS each run, as CPython and PyTorch)" },
    { name: 'lecture', type: 'string', bare: true, help: `run a shipped lecture: ${LECTURES.map((l) => l.name).join(', ')} (alone: list them)` },
    F.help,
  ],
  async run(args) {
    if (args.lecture === '') {
      console.log(`the lectures shipped with backprop-ninja (run one with: backprop-ninja notebook --lecture NAME):\n${lectureList()}`);
      return 0;
    }
    if (typeof args.lecture === 'string' && typeof args.file === 'string') throw new UserError('give a FILE or --lecture NAME, not both');
    if (typeof args.file !== 'string' && typeof args.lecture !== 'string') {
      throw new UserError('notebook needs a FILE (.ipynb or .py), or --lecture NAME; see: backprop-ninja notebook --help');
    }
    const seed = args.seed === undefined ? undefined : requireInt(args, 'seed', 0);
    const out = typeof args.out === 'string' ? checkOut(args.out) : undefined;
    const hash = hashSeed();
    let file: string;
    let cwd: string;
    let setupNote: string | undefined;
    if (typeof args.lecture === 'string') {
      const l = lectureSetup(args.lecture, typeof args.cwd === 'string' ? args.cwd : undefined);
      ({ file, cwd } = l);
      setupNote = l.note;
    } else {
      file = args.file as string;
      cwd = resolve(typeof args.cwd === 'string' ? args.cwd : dirname(resolve(file)));
      if (!existsSync(cwd) || !statSync(cwd).isDirectory()) throw new UserError(`--cwd ${cwd}: not a directory`);
    }
    if (out !== undefined && resolve(out).startsWith(lecturesDir())) {
      throw new UserError(`--out ${args.out}: that is the package's own lectures folder; give a file of yours`);
    }
    const nb = loadNotebook(file);
    const figDir = typeof args.lecture === 'string' ? cwd : dirname(resolve(file));
    const stem = basename(file, extname(file));

    const code = nb.cells.map((c, i) => [c, i] as const).filter(([c]) => c.cell_type === 'code' && joinSource(c.source).trim() !== '');
    const status = new StatusLine(process.stderr.isTTY === true);
    const results = new Map<number, { count: number | null; outputs: Output[] }>();
    const keeper = new OutputKeeper();
    let outputs: Output[] = [];
    let count = 0;
    let figures = 0; // in the run (numbering in --out's transcript)
    let cellFigures = 0; // in the cell (file names)

    /** Written before the runtime stops, whatever stops it: whole (atomic) or not at all. */
    let saved = false;
    const saveOut = (): void => {
      if (out === undefined || saved) return;
      saved = true;
      try {
        writeFileAtomic(out, `${JSON.stringify(executedNotebook(nb, results), null, 1)}\n`);
        console.log(`wrote ${args.out}`);
      } catch (e) {
        status.clear();
        process.stderr.write(`backprop-ninja: error: ${(e as Error).message}\n`);
      }
    };

    const onEvent = (e: CellEvent): Promise<void> => {
      if (e.type === 'stream') {
        if (out !== undefined) keeper.add(outputs, { output_type: 'stream', name: e.name, text: e.text });
        return status.write(e.name === 'stdout' ? process.stdout : process.stderr, e.text);
      }
      if (e.type === 'result') {
        if (out !== undefined) keeper.add(outputs, { output_type: 'execute_result', execution_count: e.count, data: { ...e.data, 'text/plain': e.text }, metadata: {} });
        const line = status.write(process.stdout, `${outLine(e.count, e.text)}\n`);
        const rich = e.data?.['image/svg+xml'];
        return rich === undefined ? line : line.then(() => figure(rich));
      }
      if (out !== undefined) keeper.add(outputs, { output_type: 'display_data', data: e.data, metadata: {} });
      const svg = e.data['image/svg+xml'];
      if (svg !== undefined) return figure(svg);
      if (e.data['text/plain'] !== undefined) return status.write(process.stdout, `${e.data['text/plain']}\n`);
      return Promise.resolve();
    };

    /** A figure (an image/svg+xml output): inline in --out, else a file beside FILE; a line saying where. */
    const figure = (svg: string): Promise<void> => {
      figures++;
      cellFigures++;
      if (out !== undefined) return status.write(process.stdout, `[figure ${figures}: in ${args.out}]\n`);
      const path = join(figDir, `${stem}.In${count}.fig${cellFigures}.svg`);
      try {
        writeFileAtomic(path, svg);
      } catch (err) {
        return status.write(process.stderr, `[backprop-ninja] figure ${cellFigures} of In [${count}] not saved: ${(err as Error).message}\n`);
      }
      return status.write(process.stdout, `[figure: ${path}]\n`);
    };

    const host = await NotebookHost.start(cwd, onEvent, {
      progress: (line) => status.draw(line),
      hashSeed: hash,
      shippedNames: shippedNamesTxt(),
    });
    let stopping: StopSignal | null = null;
    let current = '';
    /** The runtime does not answer: write what there is and leave (a second signal, or a cell stuck in C). */
    const forceStop = (sig: StopSignal): void => {
      status.clear();
      process.stderr.write(`\n${sig === 'SIGINT' ? 'interrupted again' : `stopped by ${sig}`}${current}: stopped the runtime\n`);
      saveOut();
      process.exit(SIGNAL_EXIT[sig]);
    };
    let grace: NodeJS.Timeout | undefined;
    const onSignal = (sig: StopSignal): void => {
      if (stopping !== null) forceStop(sig);
      stopping = sig;
      host.interruptCell();
      if (sig !== 'SIGINT') grace = setTimeout(() => forceStop(sig), STOP_GRACE_MS);
    };
    for (const sig of STOP_SIGNALS) process.on(sig, onSignal);
    let exit = 0;
    try {
      console.log(`Python ${host.info.python} (Pyodide ${PYODIDE_VERSION}) started in ${(host.info.startMs / 1000).toFixed(1)} s${host.info.fromSnapshot ? ' (from its cached snapshot)' : ''}; cells run in ${cwd}`);
      if (setupNote !== undefined) console.log(setupNote);
      if (seed !== undefined && !(await host.seed(seed))) {
        process.stderr.write(`[backprop-ninja] --seed ${seed}: there is no torch module yet; seeded Python's random only\n`);
      }
      for (let k = 0; k < code.length && stopping === null; k++) {
        const [cell, index] = code[k];
        const source = joinSource(cell.source);
        count++;
        outputs = [];
        keeper.startCell();
        cellFigures = 0;
        results.set(index, { count, outputs });
        current = ` at In [${count}] (cell ${k + 1} of ${code.length})`;
        console.log(`${k > 0 ? '\n' : ''}${cellHeader(count, source)}`);
        const t0 = performance.now();
        const timer = setInterval(() => {
          const s = (performance.now() - t0) / 1000;
          if (s >= 1) status.draw(`[cell ${k + 1}/${code.length}, In [${count}], ${formatDuration(s)}]`);
        }, 250);
        let outcome;
        try {
          outcome = await host.run(source, count);
        } finally {
          clearInterval(timer);
          status.clear();
        }
        const note = keeper.endCell(outputs);
        if (note !== undefined) process.stderr.write(note);
        if (outcome.status === 'error' && outcome.ename === 'SystemExit') {
          // sys.exit(): the script ends here, with CPython's status (sys.exit('bye') prints bye, status 1)
          if (typeof outcome.exit_message === 'string') process.stderr.write(`${outcome.exit_message}\n`);
          exit = outcome.exit_status ?? 1;
          break;
        }
        if (outcome.status === 'error') {
          outputs.push({ output_type: 'error', ename: outcome.ename, evalue: outcome.evalue, traceback: outcome.traceback });
          process.stderr.write(`${outcome.traceback.join('\n')}\n`);
          process.stderr.write(`${stopLine(outcome, count, k, code.length, stopping)}\n`);
          exit = stopping !== null ? SIGNAL_EXIT[stopping] : outcome.interrupted ? 130 : 1;
          break;
        }
        if (stopping !== null) {
          // the signal came as the cell ended: it ran to its end, and the run stops here
          process.stderr.write(`${stopping === 'SIGINT' ? 'interrupted' : `stopped by ${stopping}`} after In [${count}] (cell ${k + 1} of ${code.length})\n`);
          exit = SIGNAL_EXIT[stopping];
        }
      }
    } finally {
      clearTimeout(grace);
      for (const sig of STOP_SIGNALS) process.off(sig, onSignal);
      await host.close();
      saveOut();
    }
    return exit;
  },
};

function stopLine(e: CellError, count: number, k: number, n: number, signal: StopSignal | null): string {
  const at = `In [${count}] (cell ${k + 1} of ${n})${e.where !== null ? `, line ${e.where}` : ''}`;
  if (signal !== null && signal !== 'SIGINT') return `stopped by ${signal} at ${at}`;
  return e.interrupted ? `interrupted at ${at}` : `stopped at ${at}: ${printable(e.ename)}`;
}
