// The worker thread that holds the notebook runtime in Node: Pyodide from node_modules, the notebook's
// directory mounted (NODEFS) so `open('names.txt')` reads the user's file, and the cached names.txt served
// when it is not there. Started by notebook-host.ts; talks through protocol.ts messages.

import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import type { FromWorker, ToWorker } from '../notebook/protocol.js';
import { NotebookRuntime, SNAPSHOT_KEY } from '../notebook/runtime.js';
import { cacheDir as userCacheDir } from './data-cache.js';

export interface WorkerInit {
  /** the host directory the cells run in */
  cwd: string;
  /** Int32Array over it: [0] = 2 raises KeyboardInterrupt */
  interrupt: SharedArrayBuffer;
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

function readSnapshot(path: string | undefined): Uint8Array | undefined {
  try {
    return path !== undefined && existsSync(path) ? readFileSync(path) : undefined;
  } catch {
    return undefined;
  }
}

/** Best effort: a cache that cannot be written only costs the next start its speed. */
function writeSnapshot(path: string, bytes: Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
  } catch {
    rmSync(tmp, { force: true });
  }
}

/** Where the host directory appears inside the runtime: at its own path, unless that path is one of Pyodide's. */
export function mountPoint(hostDir: string): string {
  return hostDir === '/' || /^\/(lib|dev|proc|usr|bin|sys)(\/|$)/.test(hostDir) ? '/notebook' : hostDir;
}

export function pyodideIndexURL(): string {
  return `${dirname(createRequire(import.meta.url).resolve('pyodide/pyodide.mjs'))}/`;
}

const port = parentPort;
if (port !== null) {
  const init = workerData as WorkerInit;
  const post = (m: FromWorker): void => port.postMessage(m);
  const where = mountPoint(init.cwd);
  const snapPath = snapshotPath();
  /** the id of the request whose cell is running: its output events carry it */
  let running = 0;
  NotebookRuntime.start({
    snapshot: readSnapshot(snapPath),
    onSnapshot: snapPath === undefined ? undefined : (bytes) => writeSnapshot(snapPath, bytes),
    indexURL: pyodideIndexURL(),
    cwd: where,
    interruptBuffer: new Int32Array(init.interrupt),
    hooks: {
      write: (name, text) => post({ type: 'stream', id: running, name, text }),
      display: (data) => post({ type: 'display', id: running, data }),
      result: (count, text) => post({ type: 'result', id: running, count, text }),
      namesTxt: () => {
        const p = cachedNamesPath();
        return existsSync(p) ? { source: p, text: readFileSync(p, 'utf8') } : undefined;
      },
    },
    setup: (py) => {
      py.FS.mkdirTree(where);
      py.mountNodeFS(where, init.cwd);
    },
  }).then(
    (rt) => {
      post({ type: 'ready', startMs: rt.startMs, python: rt.pythonVersion, fromSnapshot: rt.fromSnapshot });
      port.on('message', (m: ToWorker) => {
        running = m.id;
        if (m.type === 'run') post({ type: 'done', id: m.id, outcome: rt.runCell(m.source, m.count) });
        else if (m.type === 'seed') post({ type: 'seeded', id: m.id, ok: rt.seed(m.seed) });
      });
    },
    (e: unknown) => post({ type: 'fatal', message: (e as Error).message ?? String(e) }),
  );
}
