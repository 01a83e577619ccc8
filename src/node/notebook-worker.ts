// The worker thread that holds the notebook runtime in Node: Pyodide from node_modules, the host's file
// system mounted at the same paths (NODEFS), so a notebook reads and writes the user's files by the paths
// Python would use, with the user's rights, as a Jupyter kernel does; the cached names.txt served when a
// notebook opens one that is not there. Started by notebook-host.ts; talks through protocol.ts messages.

import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import type { PyodideAPI } from 'pyodide';
import type { ToWorker } from '../notebook/protocol.js';
import { NotebookRuntime, SNAPSHOT_KEY, type NamesTxt } from '../notebook/runtime.js';
import { cacheDir as userCacheDir, LECTURE_NAMES } from './data-cache.js';
import { readBytes } from './io.js';
import { FLOW_WINDOW, outputSize, type HttpRequest, type NodeFromWorker } from './notebook-channel.js';
import { waitForAnswer } from './notebook-net.js';
import { dropSnapshot, readSnapshot, writeSnapshot } from './snapshot-cache.js';

export interface WorkerInit {
  /** the host directory the cells run in */
  cwd: string;
  /** Int32Array over it: [0] = 2 raises KeyboardInterrupt */
  interrupt: SharedArrayBuffer;
  /** Int32Array over it: [0] = characters of output the main thread has written (wrapping); see notebook-channel.ts */
  flow: SharedArrayBuffer;
  /** the synchronous HTTP exchange (notebook-net.ts) */
  http: SharedArrayBuffer;
  /** os.environ for the cells */
  env: Record<string, string>;
  /** PYTHONHASHSEED (undefined: the snapshot's, '0') */
  hashSeed?: string;
  /** the cap of sys.setrecursionlimit for this thread's stack */
  maxRecursion: number;
  /** a names.txt shipped with the package (lectures/names.txt), served when the cache has none */
  shippedNames?: string;
}

/** The per-user data cache of `data --download` (data-cache.ts: XDG_CACHE_HOME, else the platform's place). */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return userCacheDir(env);
}

export function cachedNamesPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheDir(env), 'names.txt');
}

/** The interpreter's memory after start, kept between runs (BACKPROP_NINJA_NO_SNAPSHOT=1: not used). */
export function snapshotPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.BACKPROP_NINJA_NO_SNAPSHOT ? undefined : join(cacheDir(env), `${SNAPSHOT_KEY}.snapshot`);
}

/**
 * The top-level entries of the runtime's own file system that keep Pyodide's contents: its standard
 * library lives in /lib, its devices in /dev, /proc/self/fd in /proc. Every other top-level entry of the
 * host is mounted at its own path (a top-level symbolic link, /bin -> usr/bin, is made as a link).
 */
export const RUNTIME_ROOTS: ReadonlySet<string> = new Set(['dev', 'lib', 'proc']);

/** Where the host directory appears inside the runtime: at its own path, unless that path is the runtime's own. */
export function mountPoint(hostDir: string): string {
  if (process.platform === 'win32') return '/notebook';
  const top = hostDir.split('/')[1] ?? '';
  return RUNTIME_ROOTS.has(top) ? '/notebook' : hostDir;
}

/** The host path of a path in the runtime (the inverse of the mounts), or undefined for the runtime's own parts. */
export function hostPath(path: string, where: string, cwd: string): string | undefined {
  if (where !== cwd && (path === where || path.startsWith(`${where}/`))) return cwd + path.slice(where.length);
  if (process.platform === 'win32') return undefined;
  return RUNTIME_ROOTS.has(path.split('/')[1] ?? '') || !path.startsWith('/') ? undefined : path;
}

export function pyodideIndexURL(): string {
  return `${dirname(createRequire(import.meta.url).resolve('pyodide/pyodide.mjs'))}/`;
}

interface MountFS {
  open(path: string, flags: unknown, mode?: number, ...rest: unknown[]): unknown;
  mkdirTree(path: string): void;
  symlink(target: string, path: string): void;
  chmod(path: string, mode: number): void;
  readdir(path: string): string[];
  lstat(path: string): { mode: number };
  isDir(mode: number): boolean;
  analyzePath(path: string): { exists: boolean };
}

/**
 * Mounts the host's file system: each top-level entry at its own path, then the runtime's own parts made
 * read-only (a new top-level entry or a file under /lib would otherwise live in memory and vanish at exit:
 * such a write fails with EACCES instead, as it would for a user on the host).
 */
function mountHost(py: PyodideAPI, cwd: string): void {
  const fs = py.FS as unknown as MountFS;
  const where = mountPoint(cwd);
  // A file the program creates gets its mode less the process's umask, as with CPython: Emscripten applies
  // no umask (it chmods a new file to exactly the mode asked, 0o666 for open()), which would leave files
  // every user may write in the user's folders. The kernel's os.umask reads and sets this mask (a worker
  // thread may not set the process's own).
  let umask = process.umask();
  const open = fs.open.bind(fs);
  fs.open = (path, flags, mode = 0o666, ...rest) => open(path, flags, mode & ~umask, ...rest);
  py.registerJsModule('_bpn_umask', {
    swap: (mask: number): number => {
      const old = umask;
      umask = mask & 0o777;
      return old;
    },
  });

  if (process.platform !== 'win32') {
    for (const name of readdirSync('/')) {
      if (RUNTIME_ROOTS.has(name)) continue;
      const path = `/${name}`;
      try {
        const st = lstatSync(path);
        if (st.isSymbolicLink()) {
          if (!fs.analyzePath(path).exists) fs.symlink(readlinkSync(path), path);
        } else if (st.isDirectory()) {
          fs.mkdirTree(path);
          py.mountNodeFS(path, path);
        }
      } catch {
        // an entry that vanished or cannot be read: the program gets its error when it names it
      }
    }
  }
  if (where !== cwd || process.platform === 'win32') {
    fs.mkdirTree(where);
    py.mountNodeFS(where, cwd);
  }
  const readOnly = (path: string): void => {
    const st = fs.lstat(path);
    if (fs.isDir(st.mode)) {
      for (const name of fs.readdir(path)) if (name !== '.' && name !== '..') readOnly(`${path}/${name}`);
      fs.chmod(path, 0o555);
    } else if ((st.mode & 0o170000) === 0o100000) {
      fs.chmod(path, 0o444);
    }
  };
  readOnly('/lib');
  fs.chmod('/', 0o555);
}

/**
 * The lecture's names.txt for a program that opens a missing one: the first of `candidates` (the cache's
 * copy, then the one shipped in the package) that is a regular file with the lecture's sha256.
 */
export function findNamesTxt(candidates: readonly (readonly [path: string, label: string])[]): NamesTxt | undefined {
  let problem: string | undefined;
  for (const [path, label] of candidates) {
    let exists = true;
    try {
      lstatSync(path);
    } catch {
      exists = false;
    }
    if (!exists) continue;
    try {
      const bytes = readBytes(path, 'the cached names.txt', 16 * 1024 * 1024); // a FIFO or a device: refused, not waited on
      const sha = createHash('sha256').update(bytes).digest('hex');
      if (sha === LECTURE_NAMES.sha256) return { source: `${label} ${path}`, bytes };
      problem ??= `the cached ${path} is not the lecture's file (sha256 ${sha.slice(0, 12)}..., expected ${LECTURE_NAMES.sha256.slice(0, 12)}...)`;
    } catch (e) {
      problem ??= (e as Error).message;
    }
  }
  return problem === undefined ? undefined : { problem };
}

const port = parentPort;
if (port !== null) {
  const init = workerData as WorkerInit;
  const post = (m: NodeFromWorker): void => port.postMessage(m);
  /** the id of the request whose cell is running: its output events carry it */
  let running = 0;
  const interrupt = new Int32Array(init.interrupt);
  const flow = new Int32Array(init.flow);
  let sent = 0; // characters posted (wrapping, as flow[0])
  /** Posts output; waits while the main thread is more than FLOW_WINDOW characters behind (Ctrl-C ends the wait). */
  const output = (m: NodeFromWorker): void => {
    post(m);
    sent = (sent + outputSize(m)) | 0;
    for (;;) {
      const acked = Atomics.load(flow, 0);
      if (((sent - acked) | 0) <= FLOW_WINDOW || Atomics.load(interrupt, 0) === 2) break;
      Atomics.wait(flow, 0, acked, 50);
    }
  };
  const where = mountPoint(init.cwd);
  const snapPath = init.hashSeed === undefined ? snapshotPath() : undefined;
  const snap = snapPath === undefined ? undefined : readSnapshot(snapPath);
  if (snap?.problem !== undefined) {
    output({ type: 'stream', id: 0, name: 'stderr', text: `[backprop-ninja] not using the cached interpreter snapshot: ${snap.problem}; starting fresh\n` });
    if (snap.writable && snapPath !== undefined) dropSnapshot(snapPath);
  }
  NotebookRuntime.start({
    snapshot: snap?.payload,
    onSnapshot: snapPath === undefined || snap?.writable !== true ? undefined : (bytes) => void writeSnapshot(snapPath, bytes),
    indexURL: pyodideIndexURL(),
    cwd: where,
    env: init.env,
    hashSeed: init.hashSeed,
    maxRecursion: init.maxRecursion,
    interruptBuffer: interrupt,
    hooks: {
      write: (name, text) => output({ type: 'stream', id: running, name, text }),
      display: (data) => output({ type: 'display', id: running, data }),
      result: (count, text, data) => output({ type: 'result', id: running, count, text, ...(data && { data }) }),
      namesTxt: () => findNamesTxt([
        [cachedNamesPath(), 'the cached download'],
        ...(init.shippedNames === undefined ? [] : [[init.shippedNames, "the copy shipped with backprop-ninja,"] as const]),
      ]),
    },
    jsModules: {
      _bpn_net: {
        /** HTTP for Python (kagglehub): JSON request in (notebook-net.ts HttpRequest), JSON answer out */
        request: (json: string): string => {
          const req = JSON.parse(json) as HttpRequest;
          if (req.dest !== undefined) {
            const dest = hostPath(req.dest, where, init.cwd);
            if (dest === undefined) return JSON.stringify({ status: 0, error: `${req.dest} is not on the host's file system` });
            req.dest = dest;
          }
          return JSON.stringify(waitForAnswer(init.http, interrupt, () => post({ type: 'http', request: req })));
        },
      },
    },
    setup: (py) => mountHost(py, init.cwd),
  }).then(
    (rt) => {
      post({ type: 'ready', startMs: rt.startMs, python: rt.pythonVersion, fromSnapshot: rt.fromSnapshot });
      port.on('message', (m: ToWorker) => {
        running = m.id;
        try {
          if (m.type === 'run') post({ type: 'done', id: m.id, outcome: rt.runCell(m.source, m.count) });
          else if (m.type === 'seed') post({ type: 'seeded', id: m.id, ok: rt.seed(m.seed) });
        } catch (e) {
          post({ type: 'fatal', message: (e as Error).message ?? String(e) });
        }
      });
    },
    (e: unknown) => post({ type: 'fatal', message: (e as Error).message ?? String(e) }),
  );
}
