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
  'io', 'itertools', 'json', 'linecache', 'math', 'numbers', 'opcode', 'operator', 'os', 'random', 're', 'shlex', 'signal', 'string',
  'struct', 'textwrap', 'tokenize', 'traceback', 'typing', 'warnings', 'weakref',
];

/**
 * The hash seed a memory snapshot is made with (PYTHONHASHSEED): str hashes are fixed when the interpreter
 * starts, and every start from the snapshot shares them. '0' makes that explicit and the same everywhere
 * (hash() as under PYTHONHASHSEED=0); another value makes the runtime start without a snapshot.
 */
export const SNAPSHOT_HASH_SEED = '0';

/**
 * Names a memory snapshot this code can restore: the Pyodide build, the preloaded modules and the
 * sources of our Python modules (any change to them makes a new snapshot at the next start). A snapshot is
 * the interpreter's whole memory after start (~30 MB); restoring it takes ~0.7 s instead of ~3 s.
 */
export const SNAPSHOT_KEY = `pyodide-${LOCK_INFO.version}-${hash(['runtime 2', SNAPSHOT_HASH_SEED, ...PRELOAD, ...PYTHON_FILES.flat()].join('\0'))}`;

/** Our modules imported into the snapshot too (they import no JS module at their top). */
const PRELOAD_OURS = ['_bpn_kernel', '_bpn_errno'];

function hash(s: string): string {
  let h = 0x811c9dc5; // FNV-1a, 32 bits: a cache key, not security
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

export type StreamName = 'stdout' | 'stderr';

/**
 * The lecture's names.txt as the host found it: checked bytes and where they came from, as the note to the
 * user says it ('the cached download /home/me/.cache/backprop-ninja/names.txt'), or why the copy it has is
 * not used.
 */
export type NamesTxt = { source: string; bytes: Uint8Array } | { problem: string };

/** Where a served names.txt lives: inside the runtime's own memory file system, seen by no one else. */
export const SERVED_NAMES_PATH = '/lib/backprop-ninja/names.txt';

/** A decoder per stream for what C code writes to fds 1 and 2 (a UTF-8 sequence may be split across writes). */
function rawWriter(name: StreamName, write: (name: StreamName, text: string) => void): { write(buf: Uint8Array): number } {
  const decoder = new TextDecoder('utf-8');
  const PIECE = 1 << 20; // bytes decoded at a time: a JS string has a maximum length
  return {
    write(buf: Uint8Array): number {
      for (let i = 0; i < buf.length; i += PIECE) {
        const text = decoder.decode(buf.subarray(i, i + PIECE), { stream: true });
        if (text !== '') write(name, text);
      }
      return buf.length;
    },
  };
}

/** Where a cell's output goes, as it is produced. */
export interface RuntimeHooks {
  /** text written to sys.stdout / sys.stderr, unbuffered (partial lines and '\r' kept) */
  write(name: StreamName, text: string): void;
  /** a display_data bundle: mime type -> content ('image/svg+xml' for figures, 'text/plain' always) */
  display(data: Record<string, string>): void;
  /**
   * the value of the cell's last bare expression, as IPython's pretty printer shows it; `data`: the other mime
   * types of its bundle, when it has a rich form (a graphviz graph's 'image/svg+xml'), as Jupyter's execute_result
   */
  result(count: number, text: string, data?: Record<string, string>): void;
  /**
   * the lecture's names.txt from the host's cache, asked for the first time a program opens a names.txt that
   * is not there: checked bytes (served from SERVED_NAMES_PATH), why the cached copy is unusable, or undefined
   */
  namesTxt?(): NamesTxt | undefined;
}

export interface RuntimeOptions {
  /** where pyodide.asm.wasm, pyodide.asm.mjs and python_stdlib.zip are (a directory path in Node, a URL) */
  indexURL: string;
  hooks: RuntimeHooks;
  /** the working directory of the cells, inside the runtime's file system (mount it in `setup`) */
  cwd?: string;
  /** what os.environ holds for the cells (default: Pyodide's own, HOME=/home/pyodide) */
  env?: Record<string, string>;
  /** PYTHONHASHSEED of the interpreter (default SNAPSHOT_HASH_SEED; any other value starts without a snapshot) */
  hashSeed?: string;
  /** the largest sys.setrecursionlimit this thread's stack can take (default: no cap) */
  maxRecursion?: number;
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
  /** SystemExit: the status `python FILE` would exit with (sys.exit(3): 3; sys.exit('bye'): 1) */
  exit_status?: number;
  /** SystemExit with a non-integer code: the text CPython prints on stderr before exiting */
  exit_message?: string | null;
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
    const hashSeed = opts.hashSeed ?? SNAPSHOT_HASH_SEED;
    const snapshots = hashSeed === SNAPSHOT_HASH_SEED; // a snapshot holds the hash seed it was made with
    const config = {
      indexURL: opts.indexURL,
      lockFileContents: { info: LOCK_INFO, packages: {} },
      ...(opts.createPyodideModule === undefined ? {} : { createPyodideModule: opts.createPyodideModule }),
      env: { HOME: '/home/pyodide', PYTHONHASHSEED: hashSeed },
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
    if (opts.snapshot && snapshots) {
      try {
        py = await loadPyodide({ ...config, _loadSnapshot: opts.snapshot });
        runPrivately(py, 'import importlib; importlib.invalidate_caches()');
        fromSnapshot = true;
      } catch {
        py = undefined; // a stale or damaged snapshot: start from scratch and make a new one
      }
    }
    if (py === undefined) {
      const snap = opts.onSnapshot !== undefined && snapshots;
      py = await loadPyodide({ ...config, _makeSnapshot: snap });
      runPrivately(py, [...PRELOAD, ...PRELOAD_OURS].map((m) => `import ${m}`).join('\n'));
      if (snap) opts.onSnapshot!(py.makeMemorySnapshot()); // before any JS module: a snapshot holds no JS references
    }
    py.setStdin({ error: true });
    // raw writers, not line-batched ones: a partial line arrives at once, and a huge line in pieces
    py.setStdout(rawWriter('stdout', hooks.write));
    py.setStderr(rawWriter('stderr', hooks.write));
    if (opts.interruptBuffer) py.setInterruptBuffer(opts.interruptBuffer);
    let served: string | undefined; // the names_txt() answer, computed once
    py.registerJsModule('_bpn_host', {
      write: (name: StreamName, text: string) => hooks.write(name, text),
      display: (json: string) => hooks.display(JSON.parse(json) as Record<string, string>),
      result: (count: number, text: string, data?: string) =>
        hooks.result(count, text, data ? (JSON.parse(data) as Record<string, string>) : undefined),
      names_txt: () => (served ??= serveNames(py, hooks)),
      // Ctrl-C again, through the buffer Python reads every 50 checks of its eval loop: the kernel's SIGINT
      // handler asks for it when the interrupt landed in a finalizer (_bpn_kernel._on_sigint); false without one
      interrupt_later: (): boolean => {
        if (opts.interruptBuffer === undefined) return false;
        Atomics.store(opts.interruptBuffer, 0, 2);
        return true;
      },
    });
    for (const [name, mod] of Object.entries(jsModules(opts.torch))) py.registerJsModule(name, mod);
    for (const [name, mod] of Object.entries(opts.jsModules ?? {})) py.registerJsModule(name, mod);
    await opts.setup?.(py);
    await modulesReady;
    // the module proxy lives as long as the runtime (its functions are borrowed from it)
    const kernel = py.pyimport('_bpn_kernel') as unknown as Record<string, PyCallable>;
    const version = String(kernel.init(JSON.stringify({ cwd: opts.cwd ?? '', env: opts.env, max_recursion: opts.maxRecursion })));
    return new NotebookRuntime(py, performance.now() - t0, version, fromSnapshot, kernel.run_cell, kernel.seed);
  }

  /** Makes `import name` give `obj` in Python (its functions called directly; see jsmodules.ts). */
  registerJsModule(name: string, obj: object): void {
    this.py.registerJsModule(name, obj);
  }

  /**
   * Runs one cell (synchronously: output arrives through the hooks while it runs). The kernel turns every
   * Python exception into the cell's outcome; if one still gets out (a Ctrl-C at the very moment the kernel
   * reports), the cell ends with it rather than the runtime. A fatal error of Pyodide itself is thrown.
   */
  runCell(source: string, count: number): CellOutcome {
    try {
      return JSON.parse(String(this.runCellPy(source, count))) as CellOutcome;
    } catch (e) {
      const err = e as Error & { type?: unknown; pyodide_fatal_error?: boolean };
      if (err.pyodide_fatal_error === true || typeof err.type !== 'string') throw e;
      return { status: 'error', ename: err.type, evalue: '', traceback: [err.type], where: null, interrupted: err.type === 'KeyboardInterrupt' };
    }
  }

  /** `random.seed(n)` and `torch.manual_seed(n)`, and run_seed() is n; false when there is no torch module. */
  seed(n: number): boolean {
    return this.seedPy(n) === true;
  }
}

/** Runs code in a namespace of its own, so the cells' __main__ holds no name the program did not define. */
function runPrivately(py: PyodideAPI, code: string): void {
  const ns = py.toPy({}) as { destroy(): void };
  try {
    py.runPython(code, { globals: ns as never });
  } finally {
    ns.destroy();
  }
}

interface ServingFS {
  ignorePermissions: boolean;
  mkdirTree(path: string): void;
  writeFile(path: string, data: Uint8Array): void;
  chmod(path: string, mode: number): void;
}

/** The kernel's `_bpn_host.names_txt()`: asks the host once, puts checked bytes where only the runtime sees them. */
function serveNames(py: PyodideAPI, hooks: RuntimeHooks): string {
  const got = hooks.namesTxt?.();
  if (got === undefined) return '{}';
  if ('problem' in got) return JSON.stringify({ problem: got.problem });
  const fs = py.FS as unknown as ServingFS;
  const was = fs.ignorePermissions;
  fs.ignorePermissions = true; // the runtime's own directory, whatever modes the host set on the tree
  try {
    fs.mkdirTree(SERVED_NAMES_PATH.slice(0, SERVED_NAMES_PATH.lastIndexOf('/')));
    fs.writeFile(SERVED_NAMES_PATH, got.bytes);
    fs.chmod(SERVED_NAMES_PATH, 0o444);
  } finally {
    fs.ignorePermissions = was;
  }
  return JSON.stringify({ path: SERVED_NAMES_PATH, source: got.source });
}
