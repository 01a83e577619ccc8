// The notebook runtime: CPython (Pyodide, from the npm package, no network) with the project's Python
// modules installed into site-packages, and a kernel (python/_bpn_kernel.py) that runs cells like IPython.
// Shared by Node (a worker thread, src/node/notebook-worker.ts) and the browser (a module worker): nothing
// here touches the host's file system; the host mounts what it wants through `setup`.

import { loadPyodide, type PyodideAPI, type PyodideConfig } from 'pyodide';
import { jsModules, jsModulesReady } from './jsmodules.js';
import type { BindingOptions } from './torch-binding.js';
import { PYTHON_FILES } from './pythonFiles.js';

/** The pinned Pyodide's lock-file header; no packages: the runtime loads nothing beyond the stdlib. */
const LOCK_INFO = { arch: 'wasm32', abi_version: '2026_0', platform: 'emscripten_5_0_3', version: '314.0.7', python: '3.14.2' } as const;

/**
 * Standard-library modules imported before a memory snapshot is taken (the kernel's and the shims'), so a
 * start from the snapshot has them ready. Part of the snapshot's key: changing the list invalidates it.
 */
const PRELOAD = [
  'ast', 'base64', 'collections', 'contextlib', 'copy', 'dataclasses', 'datetime', 'enum', 'functools', 'inspect',
  'io', 'itertools', 'json', 'linecache', 'math', 'numbers', 'operator', 'os', 'random', 're', 'shlex', 'string',
  'struct', 'textwrap', 'tokenize', 'traceback', 'typing', 'warnings', 'weakref',
];

/**
 * Names a memory snapshot this code can restore: the Pyodide build, the preloaded modules and the
 * sources of our Python modules (any change to them makes a new snapshot at the next start). A snapshot is
 * the interpreter's whole memory after start (~30 MB); restoring it takes ~0.7 s instead of ~3 s.
 */
export const SNAPSHOT_KEY = `pyodide-${LOCK_INFO.version}-${hash([...PRELOAD, ...PYTHON_FILES.flat()].join('\0'))}`;

/** Our modules imported into the snapshot too (they import no JS module at their top). */
const PRELOAD_OURS = ['_bpn_kernel'];

function hash(s: string): string {
  let h = 0x811c9dc5; // FNV-1a, 32 bits: a cache key, not security
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

export type StreamName = 'stdout' | 'stderr';

/** Where a cell's output goes, as it is produced. */
export interface RuntimeHooks {
  /** text written to sys.stdout / sys.stderr, unbuffered (partial lines and '\r' kept) */
  write(name: StreamName, text: string): void;
  /** a display_data bundle: mime type -> content ('image/svg+xml' for figures, 'text/plain' always) */
  display(data: Record<string, string>): void;
  /** the value of the cell's last bare expression, as IPython's pretty printer shows it */
  result(count: number, text: string): void;
  /** the cached download of the lecture's names.txt, when there is one: where it came from, and its text */
  namesTxt?(): { source: string; text: string } | undefined;
}

export interface RuntimeOptions {
  /** where pyodide.asm.wasm, pyodide.asm.mjs and python_stdlib.zip are (a directory path in Node, a URL) */
  indexURL: string;
  hooks: RuntimeHooks;
  /** the working directory of the cells, inside the runtime's file system (mount it in `setup`) */
  cwd?: string;
  /** runs after the interpreter starts and before the kernel does: mount file systems, register modules */
  setup?(py: PyodideAPI): void | Promise<void>;
  /** a SharedArrayBuffer's Int32Array: another thread writes 2 (SIGINT) into [0] to raise KeyboardInterrupt */
  interruptBuffer?: Int32Array;
  /** the torch bridge's options: the float32 random kernel, the default generator's seed */
  torch?: BindingOptions;
  /** more JS modules to register, beside jsModules() */
  jsModules?: Record<string, object>;
  /** false: do not load Graphviz's wasm (the `graphviz` package then raises ExecutableNotFound when it renders),
   *  for a runtime that never shows graphs (the exercise runner); default true */
  graphviz?: boolean;
  /** a memory snapshot from an earlier start's onSnapshot (same SNAPSHOT_KEY): a start in ~0.7 s */
  snapshot?: Uint8Array;
  /** without `snapshot` (or when it fails to restore): receives a new one to keep for the next start */
  onSnapshot?(bytes: Uint8Array): void;
  /**
   * pyodide.asm.mjs's default export, already imported: then loadPyodide imports nothing by URL (the lab's
   * exercise runner, in an opaque origin, gets Pyodide's files by message; web/exercise.worker.ts)
   */
  createPyodideModule?: PyodideConfig['createPyodideModule'];
}

export interface CellError {
  status: 'error';
  ename: string;
  evalue: string;
  /** the Python traceback, one line per entry, our frames removed */
  traceback: string[];
  /** the line of the cell where it stopped (the cell's own frame: a call it made may have gone deeper) */
  where: number | null;
  /** a KeyboardInterrupt: the cell was stopped by the interrupt buffer (Ctrl-C) */
  interrupted: boolean;
}

export type CellOutcome = { status: 'ok' } | CellError;

interface PyCallable {
  (...args: unknown[]): unknown;
  destroy(): void;
}

export class NotebookRuntime {
  private constructor(
    readonly py: PyodideAPI,
    /** milliseconds from loadPyodide to a kernel ready for the first cell */
    readonly startMs: number,
    /** 'X.Y.Z' */
    readonly pythonVersion: string,
    /** how it started: restored from opts.snapshot, or from scratch */
    readonly fromSnapshot: boolean,
    private readonly runCellPy: PyCallable,
    private readonly seedPy: PyCallable,
  ) {}

  static async start(opts: RuntimeOptions): Promise<NotebookRuntime> {
    const t0 = performance.now();
    const modulesReady = opts.graphviz === false ? undefined : jsModulesReady(); // compiles while Pyodide loads
    const { hooks } = opts;
    const config = {
      indexURL: opts.indexURL,
      lockFileContents: { info: LOCK_INFO, packages: {} },
      ...(opts.createPyodideModule === undefined ? {} : { createPyodideModule: opts.createPyodideModule }),
      env: { HOME: '/home/pyodide' },
      // what bypasses sys.stdout/sys.stderr (C-level writes to fds 1 and 2), a line at a time
      stdout: (s: string) => hooks.write('stdout', `${s}\n`),
      stderr: (s: string) => hooks.write('stderr', `${s}\n`),
      fsInit: async (FS: { mkdirTree(p: string): void; writeFile(p: string, d: string): void }, { sitePackages }: { sitePackages: string }) => {
        for (const [path, source] of PYTHON_FILES) {
          const full = `${sitePackages}/${path}`;
          FS.mkdirTree(full.slice(0, full.lastIndexOf('/')));
          FS.writeFile(full, source);
        }
      },
    };
    let py: PyodideAPI | undefined;
    let fromSnapshot = false;
    if (opts.snapshot) {
      try {
        py = await loadPyodide({ ...config, _loadSnapshot: opts.snapshot });
        py.runPython('import importlib; importlib.invalidate_caches()');
        fromSnapshot = true;
      } catch {
        py = undefined; // a stale or damaged snapshot: start from scratch and make a new one
      }
    }
    if (py === undefined) {
      const snap = opts.onSnapshot !== undefined;
      py = await loadPyodide({ ...config, _makeSnapshot: snap });
      py.runPython([...PRELOAD, ...PRELOAD_OURS].map((m) => `import ${m}`).join('\n'));
      if (snap) opts.onSnapshot!(py.makeMemorySnapshot()); // before any JS module: a snapshot holds no JS references
    }
    py.setStdin({ error: true });
    if (opts.interruptBuffer) py.setInterruptBuffer(opts.interruptBuffer);
    py.registerJsModule('_bpn_host', {
      write: (name: StreamName, text: string) => hooks.write(name, text),
      display: (json: string) => hooks.display(JSON.parse(json) as Record<string, string>),
      result: (count: number, text: string) => hooks.result(count, text),
      names_txt_source: () => namesCache().source,
      names_txt_text: () => namesCache().text,
    });
    let cached: { source: string; text: string } | undefined;
    const namesCache = (): { source: string; text: string } => (cached ??= hooks.namesTxt?.() ?? { source: '', text: '' });
    for (const [name, mod] of Object.entries(jsModules(opts.torch))) py.registerJsModule(name, mod);
    for (const [name, mod] of Object.entries(opts.jsModules ?? {})) py.registerJsModule(name, mod);
    await opts.setup?.(py);
    await modulesReady;
    // the module proxy lives as long as the runtime (its functions are borrowed from it)
    const kernel = py.pyimport('_bpn_kernel') as unknown as Record<string, PyCallable>;
    const version = String(kernel.init(opts.cwd ?? ''));
    return new NotebookRuntime(py, performance.now() - t0, version, fromSnapshot, kernel.run_cell, kernel.seed);
  }

  /** Makes `import name` give `obj` in Python (its functions called directly; see jsmodules.ts). */
  registerJsModule(name: string, obj: object): void {
    this.py.registerJsModule(name, obj);
  }

  /** Runs one cell (synchronously: output arrives through the hooks while it runs). */
  runCell(source: string, count: number): CellOutcome {
    return JSON.parse(String(this.runCellPy(source, count))) as CellOutcome;
  }

  /** `torch.manual_seed(n)`; false when there is no torch module yet. */
  seed(n: number): boolean {
    return this.seedPy(n) === true;
  }
}
