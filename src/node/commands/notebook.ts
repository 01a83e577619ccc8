// `notebook FILE`: runs a Jupyter notebook (.ipynb) or a Python script (.py, cells at `# %%`) in the
// Python runtime (Pyodide, in a worker thread), printing like Jupyter: a header per cell, its output as it
// is written, `Out[N]: value` for a last bare expression. An error prints the user's traceback and exits 1;
// Ctrl-C raises KeyboardInterrupt in the cell and exits 130. --out writes the executed notebook (nbformat
// 4.5); without it, figures are written as .svg files beside FILE.

import { existsSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { UserError } from '../../core/errors.js';
import {
  addOutput, executedNotebook, joinSource, parseIpynb, parsePy, type Notebook, type Output,
} from '../../notebook/nbformat.js';
import type { CellError } from '../../notebook/runtime.js';
import { requireInt } from '../args.js';
import { F, type Command } from '../command.js';
import { readText, writeFileAtomic } from '../io.js';
import { NotebookHost, type CellEvent } from '../notebook-host.js';
import { formatDuration } from '../progress.js';

const PYODIDE_VERSION = '314.0.7';

/** `In [3]: first line of the cell  (+4 lines)` */
export function cellHeader(count: number, source: string): string {
  const lines = source.split('\n');
  const first = lines.find((l) => l.trim() !== '') ?? '';
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

/** One live line on a terminal (cell i/N, elapsed), wiped before any output is written. */
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

  write(stream: NodeJS.WriteStream, text: string): void {
    if (text === '' || this.closed.has(stream)) return;
    this.clear();
    stream.write(text);
    this.atLineStart = text.endsWith('\n');
  }

  draw(text: string): void {
    if (!this.live || !this.atLineStart) return; // never over a partial line of the cell's own output
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
    '`Out[N]:` for a last bare expression. Cells run in FILE\'s directory (--cwd to change); a missing\n' +
    'names.txt is served from the cached download. An error prints the traceback and exits 1; Ctrl-C stops\n' +
    'the running cell (KeyboardInterrupt) and exits 130.',
  flags: [
    { name: 'out', short: 'o', type: 'string', help: 'write the executed notebook here (nbformat 4.5, every output, figures inline)' },
    { name: 'cwd', type: 'string', help: "the directory the cells run in (default: FILE's directory)" },
    { name: 'seed', type: 'int', help: 'run torch.manual_seed(N) before the first cell (default: seeded from the OS, as PyTorch)' },
    F.help,
  ],
  async run(args) {
    if (typeof args.file !== 'string') throw new UserError('notebook needs a FILE (.ipynb or .py); see: backprop-ninja notebook --help');
    const file = args.file;
    const nb = loadNotebook(file);
    const cwd = resolve(typeof args.cwd === 'string' ? args.cwd : dirname(resolve(file)));
    if (!existsSync(cwd) || !statSync(cwd).isDirectory()) throw new UserError(`--cwd ${cwd}: not a directory`);
    const out = typeof args.out === 'string' ? resolve(args.out) : undefined;
    if (out !== undefined && !existsSync(dirname(out))) throw new UserError(`--out ${args.out}: the directory ${dirname(out)} does not exist`);
    const seed = args.seed === undefined ? undefined : requireInt(args, 'seed', 0);

    const code = nb.cells.map((c, i) => [c, i] as const).filter(([c]) => c.cell_type === 'code' && joinSource(c.source).trim() !== '');
    const status = new StatusLine(process.stderr.isTTY === true);
    const results = new Map<number, { count: number | null; outputs: Output[] }>();
    const figDir = dirname(resolve(file));
    const stem = basename(file, extname(file));
    let outputs: Output[] = [];
    let count = 0;
    let figures = 0; // in the run (numbering in --out's transcript)
    let cellFigures = 0; // in the cell (file names)

    const onEvent = (e: CellEvent): void => {
      if (e.type === 'stream') {
        status.write(e.name === 'stdout' ? process.stdout : process.stderr, e.text);
        addOutput(outputs, { output_type: 'stream', name: e.name, text: e.text });
      } else if (e.type === 'result') {
        status.write(process.stdout, `${outLine(e.count, e.text)}\n`);
        outputs.push({ output_type: 'execute_result', execution_count: e.count, data: { 'text/plain': e.text }, metadata: {} });
      } else {
        outputs.push({ output_type: 'display_data', data: e.data, metadata: {} });
        const svg = e.data['image/svg+xml'];
        if (svg !== undefined) {
          figures++;
          cellFigures++;
          if (out === undefined) {
            const path = join(figDir, `${stem}.In${count}.fig${cellFigures}.svg`);
            writeFileAtomic(path, svg);
            status.write(process.stdout, `[figure: ${path}]\n`);
          } else {
            status.write(process.stdout, `[figure ${figures}: in ${args.out}]\n`);
          }
        } else if (e.data['text/plain'] !== undefined) {
          status.write(process.stdout, `${e.data['text/plain']}\n`);
        }
      }
    };

    const host = await NotebookHost.start(cwd, onEvent);
    let sigints = 0;
    const onSigint = (): void => {
      sigints++;
      if (sigints === 1) host.interruptCell();
      else {
        status.clear();
        process.stderr.write('\ninterrupted again: stopped the runtime\n');
        process.exit(130);
      }
    };
    process.on('SIGINT', onSigint);
    let exit = 0;
    try {
      console.log(`Python ${host.info.python} (Pyodide ${PYODIDE_VERSION}) started in ${(host.info.startMs / 1000).toFixed(1)} s${host.info.fromSnapshot ? ' (from its cached snapshot)' : ''}; cells run in ${cwd}`);
      if (seed !== undefined && !(await host.seed(seed))) {
        process.stderr.write(`[backprop-ninja] --seed ${seed}: there is no torch module yet; nothing seeded\n`);
      }
      for (let k = 0; k < code.length; k++) {
        const [cell, index] = code[k];
        const source = joinSource(cell.source);
        count++;
        outputs = [];
        cellFigures = 0;
        results.set(index, { count, outputs });
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
        if (outcome.status === 'error' && outcome.ename === 'SystemExit') {
          // sys.exit(): the script ends here, with its code (as `python FILE.py` would)
          const code = outcome.evalue === '' || outcome.evalue === 'None' ? 0 : Number(outcome.evalue);
          if (!Number.isInteger(code)) process.stderr.write(`${outcome.evalue}\n`);
          exit = Number.isInteger(code) ? code : 1;
          break;
        }
        if (outcome.status === 'error') {
          outputs.push({ output_type: 'error', ename: outcome.ename, evalue: outcome.evalue, traceback: outcome.traceback });
          process.stderr.write(`${outcome.traceback.join('\n')}\n`);
          process.stderr.write(`${stopLine(outcome, count, k, code.length)}\n`);
          exit = outcome.interrupted ? 130 : 1;
          break;
        }
        sigints = 0;
      }
    } finally {
      process.off('SIGINT', onSigint);
      await host.close();
      if (out !== undefined) {
        writeFileAtomic(out, `${JSON.stringify(executedNotebook(nb, results), null, 1)}\n`);
        console.log(`wrote ${args.out}`);
      }
    }
    return exit;
  },
};

function stopLine(e: CellError, count: number, k: number, n: number): string {
  const at = `In [${count}] (cell ${k + 1} of ${n})${e.where !== null ? `, line ${e.where}` : ''}`;
  return e.interrupted ? `interrupted at ${at}` : `stopped at ${at}: ${e.ename}`;
}
