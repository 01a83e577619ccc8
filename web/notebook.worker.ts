// The notebook's kernel in the browser: CPython (Pyodide, its files from our own site) with the project's
// Python modules, one cell at a time. The first start in a browser saves the interpreter's memory snapshot
// in IndexedDB; later starts (a reload, a restart after Stop) restore it, several times faster. The page stops a runaway cell through the interrupt buffer when it is
// cross-origin isolated, else by terminating this worker and starting a fresh one.

import { NotebookRuntime, SNAPSHOT_KEY } from '../src/notebook/runtime.js';
import { isPlainFileName, NOTEBOOK_CWD, type NotebookReply, type NotebookRequest } from './notebook-protocol.js';
import { loadSnapshot, saveSnapshot } from './notebook-store.js';

const post = (m: NotebookReply): void => self.postMessage(m);
let runtime: NotebookRuntime | null = null;
const early: NotebookRequest[] = [];

/** the id of the request whose cell is running: its output events carry it */
let running = 0;

function write(rt: NotebookRuntime, m: Extract<NotebookRequest, { type: 'files' }>): void {
  for (const name of m.remove) {
    if (isPlainFileName(name) && rt.py.FS.analyzePath(`${NOTEBOOK_CWD}/${name}`).exists) rt.py.FS.unlink(`${NOTEBOOK_CWD}/${name}`);
  }
  for (const f of m.files) {
    if (isPlainFileName(f.name)) rt.py.FS.writeFile(`${NOTEBOOK_CWD}/${f.name}`, f.bytes);
  }
  post({ type: 'written', id: m.id, names: m.files.map((f) => f.name) });
}

function handle(rt: NotebookRuntime, m: NotebookRequest): void {
  if (m.type === 'run') {
    running = m.id;
    post({ type: 'done', id: m.id, outcome: rt.runCell(m.source, m.count) });
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
    cwd: NOTEBOOK_CWD,
    interruptBuffer: interrupt,
    hooks: {
      write: (name, text) => post({ type: 'stream', id: running, name, text }),
      display: (data) => post({ type: 'display', id: running, data }),
      result: (count, text, data) => post({ type: 'result', id: running, count, text, ...(data && { data }) }),
    },
    setup: (py) => {
      py.FS.mkdirTree(NOTEBOOK_CWD);
      for (const f of m.files) if (isPlainFileName(f.name)) py.FS.writeFile(`${NOTEBOOK_CWD}/${f.name}`, f.bytes);
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
