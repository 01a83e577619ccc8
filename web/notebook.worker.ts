// The notebook's kernel in the browser: CPython (Pyodide, its files from our own site) with the project's
// Python modules, one cell at a time. The first start in a browser saves the interpreter's memory snapshot
// in IndexedDB; later starts (a reload, a restart after Stop) restore it, several times faster. The page stops a runaway cell through the interrupt buffer when it is
// cross-origin isolated, else by terminating this worker and starting a fresh one.
//
// The file area (the panel's folders and data files) is at FILES_ROOT at the same relative layout, and the
// cells run in the open notebook's folder, so `open('../../data/names.txt')` from notebooks/learners/x.py reads
// data/names.txt as Jupyter would. Above the file area the runtime's own folders are read-only (a write there
// would vanish: it fails with PermissionError instead, as the CLI's runtime does for its read-only parts).
// After each cell, what it wrote, made or removed in the file area goes back to the page to be kept.
// kagglehub's cache is the file area's kagglehub/ folder, its HTTP a synchronous request (notebook-net.ts).

import { NotebookRuntime, SNAPSHOT_KEY } from '../src/notebook/runtime.js';
import { FILES_ROOT, isAreaPath, parentOf, type AreaChanges, type DataFile, type NotebookReply, type NotebookRequest } from './notebook-protocol.js';
import { netModule, type NetFS } from './notebook-net.js';
import { loadSnapshot, saveSnapshot } from './notebook-store.js';

const post = (m: NotebookReply): void => self.postMessage(m);
let runtime: NotebookRuntime | null = null;
const early: NotebookRequest[] = [];

/** the id of the request whose cell is running: its output events carry it */
let running = 0;

/** The part of Emscripten's FS used here. */
interface AreaFS {
  analyzePath(path: string): { exists: boolean };
  lstat(path: string): { mode: number; size: number; mtime: Date; ino: number };
  isDir(mode: number): boolean;
  isFile(mode: number): boolean;
  readdir(path: string): string[];
  readFile(path: string): Uint8Array;
  writeFile(path: string, data: Uint8Array): void;
  mkdirTree(path: string): void;
  unlink(path: string): void;
  rmdir(path: string): void;
  chdir(path: string): void;
  chmod(path: string, mode: number): void;
}

/** kagglehub's cache folder: kagglehub/ in the file area. */
const KAGGLEHUB_CACHE = `${FILES_ROOT}/kagglehub`;

const inArea = (path: string): string => (path === '' ? FILES_ROOT : `${FILES_ROOT}/${path}`);

/** The file area as the cells last left it (or the page last wrote it): file path -> its stat, and the folders. */
let known = new Map<string, string>();
let knownFolders = new Set<string>();

/** Every file (path -> ino:mtime:size) and folder under the file area's root. */
function scan(fs: AreaFS): { files: Map<string, string>; folders: Set<string> } {
  const files = new Map<string, string>();
  const folders = new Set<string>();
  const walk = (rel: string): void => {
    for (const name of fs.readdir(inArea(rel))) {
      if (name === '.' || name === '..') continue;
      const path = rel === '' ? name : `${rel}/${name}`;
      const st = fs.lstat(inArea(path));
      if (fs.isDir(st.mode)) {
        folders.add(path);
        walk(path);
      } else if (fs.isFile(st.mode)) files.set(path, `${st.ino}:${st.mtime.getTime()}:${st.size}`);
    }
  };
  walk('');
  return { files, folders };
}

/** What changed in the file area since `known`; `known` becomes the area as it is. */
function changes(fs: AreaFS): AreaChanges {
  const now = scan(fs);
  const files: DataFile[] = [];
  for (const [path, stat] of now.files) if (known.get(path) !== stat) files.push({ name: path, bytes: fs.readFile(inArea(path)) });
  const folders = [...now.folders].filter((f) => !knownFolders.has(f));
  const removed = [...known.keys(), ...knownFolders].filter((p) => !now.files.has(p) && !now.folders.has(p));
  known = now.files;
  knownFolders = now.folders;
  // a folder removed with what it held: the folder alone says it
  return { files, folders, removed: removed.filter((p) => !removed.some((q) => q !== p && p.startsWith(`${q}/`))) };
}

function removeTree(fs: AreaFS, path: string): void {
  if (!fs.analyzePath(path).exists) return;
  if (!fs.isDir(fs.lstat(path).mode)) {
    fs.unlink(path);
    return;
  }
  for (const name of fs.readdir(path)) if (name !== '.' && name !== '..') removeTree(fs, `${path}/${name}`);
  fs.rmdir(path);
}

/** The page's files and folders into the file area; `cwd` (a folder of it) becomes the cells' directory. */
function place(fs: AreaFS, files: DataFile[], folders: string[], remove: string[], cwd?: string): void {
  for (const path of remove) if (isAreaPath(path)) removeTree(fs, inArea(path));
  for (const path of folders) if (isAreaPath(path)) fs.mkdirTree(inArea(path));
  for (const f of files) {
    if (!isAreaPath(f.name)) continue;
    fs.mkdirTree(inArea(parentOf(f.name)));
    if (fs.analyzePath(inArea(f.name)).exists && fs.isDir(fs.lstat(inArea(f.name)).mode)) removeTree(fs, inArea(f.name));
    fs.writeFile(inArea(f.name), f.bytes);
  }
  if (cwd !== undefined && (cwd === '' || isAreaPath(cwd))) {
    fs.mkdirTree(inArea(cwd));
    fs.chdir(inArea(cwd));
  }
  const now = scan(fs); // what the page wrote is not news for it
  known = now.files;
  knownFolders = now.folders;
}

function write(rt: NotebookRuntime, m: Extract<NotebookRequest, { type: 'files' }>): void {
  place(rt.py.FS as unknown as AreaFS, m.files, m.folders, m.remove, m.cwd);
  post({ type: 'written', id: m.id, names: m.files.map((f) => f.name) });
}

function handle(rt: NotebookRuntime, m: NotebookRequest): void {
  if (m.type === 'run') {
    running = m.id;
    const outcome = rt.runCell(m.source, m.count);
    try {
      const c = changes(rt.py.FS as unknown as AreaFS);
      if (c.files.length > 0 || c.folders.length > 0 || c.removed.length > 0) post({ type: 'changed', id: m.id, ...c });
    } catch (e) {
      post({ type: 'stream', id: m.id, name: 'stderr', text: `[backprop-ninja] the files this cell wrote could not be read back to keep them: ${e instanceof Error ? e.message : String(e)}\n` });
    }
    post({ type: 'done', id: m.id, outcome });
  } else if (m.type === 'seed') post({ type: 'seeded', id: m.id, ok: rt.seed(m.seed) });
  else if (m.type === 'files') write(rt, m);
}

self.onmessage = (e: MessageEvent<NotebookRequest>): void => {
  const m = e.data;
  if (m.type !== 'start') {
    if (runtime === null) early.push(m);
    else handle(runtime, m);
    return;
  }
  void start(m);
};

/**
 * time.sleep that Stop can end: Pyodide's own sleep spins in C where the interrupt buffer is not looked at, so
 * it waits on the buffer instead (Atomics.wait, woken by the page's Atomics.notify) and raises
 * KeyboardInterrupt itself, clearing the request as Pyodide does. Installed as a module in site-packages, so
 * tracebacks leave its frame out as they do the kernel's. Without a buffer (no cross-origin isolation) Stop
 * restarts the worker anyway.
 */
const INTERRUPTIBLE_SLEEP = `"""time.sleep that the notebook's Stop can interrupt (see web/notebook.worker.ts)."""
import time as _time
import _bpn_sleep

def sleep(secs, /):
    secs = float(secs)
    if secs < 0:
        raise ValueError('sleep length must be non-negative')
    if _bpn_sleep.wait(secs * 1000.0):
        raise KeyboardInterrupt

sleep.__doc__ = _time.sleep.__doc__
_time.sleep = sleep
`;

async function start(m: Extract<NotebookRequest, { type: 'start' }>): Promise<void> {
  const interrupt = m.interrupt === undefined ? undefined : new Int32Array(m.interrupt);
  const snapshot = m.snapshots ? await loadSnapshot(SNAPSHOT_KEY).catch(() => undefined) : undefined;
  await NotebookRuntime.start({
    snapshot,
    onSnapshot: m.snapshots ? (bytes) => void saveSnapshot(SNAPSHOT_KEY, bytes).catch(() => undefined) : undefined,
    indexURL: m.indexURL,
    cwd: inArea(m.cwd === '' || isAreaPath(m.cwd) ? m.cwd : ''),
    interruptBuffer: interrupt,
    hooks: {
      write: (name, text) => post({ type: 'stream', id: running, name, text }),
      display: (data) => post({ type: 'display', id: running, data }),
      result: (count, text, data) => post({ type: 'result', id: running, count, text, ...(data && { data }) }),
    },
    setup: (py) => {
      const fs = py.FS as unknown as AreaFS;
      fs.mkdirTree(FILES_ROOT);
      place(fs, m.files, m.folders, [], m.cwd === '' || isAreaPath(m.cwd) ? m.cwd : '');
      py.registerJsModule('_bpn_net', netModule(py.FS as unknown as NetFS));
      // kagglehub's cache in the file area, kept with it (the CLI's is ~/.cache/kagglehub)
      const ns = py.toPy({}) as { destroy(): void };
      py.runPython(`import os; os.environ.setdefault('KAGGLEHUB_CACHE', '${KAGGLEHUB_CACHE}')`, { globals: ns as never });
      ns.destroy();
      // above the file area, nothing new: a write there would not be kept (PermissionError, as in the CLI)
      for (const dir of ['/home/pyodide', '/home', '/']) fs.chmod(dir, 0o555);
      if (interrupt !== undefined) {
        py.registerJsModule('_bpn_sleep', {
          /** waits ms or until Stop; true (and the request cleared) when Stop asked */
          wait: (ms: number): boolean => {
            Atomics.wait(interrupt, 0, 0, ms);
            return Atomics.compareExchange(interrupt, 0, 2, 0) === 2;
          },
        });
        const site = String(py.runPython("import sysconfig; sysconfig.get_path('purelib')"));
        py.FS.writeFile(`${site}/_bpn_sleep_patch.py`, INTERRUPTIBLE_SLEEP);
        py.runPython('import _bpn_sleep_patch');
      }
    },
  }).then(
    (rt) => {
      runtime = rt;
      post({ type: 'ready', startMs: rt.startMs, python: rt.pythonVersion, fromSnapshot: rt.fromSnapshot });
      for (const q of early.splice(0)) handle(rt, q);
    },
    (err: unknown) => post({ type: 'fatal', message: err instanceof Error ? err.message : String(err) }),
  );
}
