// The page's handle on the notebook's kernel (a module worker running Pyodide): start it, run one cell at a
// time with its output as it is printed, and stop a running cell. Stop interrupts the cell (KeyboardInterrupt)
// when the page is cross-origin isolated (SharedArrayBuffer available); otherwise, or when the cell does not
// stop within a moment (stuck outside Python's bytecode loop), it ends the worker and starts a fresh one:
// the variables are gone.

import { Requests, type FromWorker } from '../src/notebook/protocol.js';
import type { CellOutcome } from '../src/notebook/runtime.js';
import { within, type AreaChanges, type DataFile, type NotebookReply, type NotebookRequest } from './notebook-protocol.js';

/** Output while a cell runs: a stream write, a display_data bundle, the last expression's value. */
export type CellEvent = Extract<FromWorker, { type: 'stream' | 'display' | 'result' }>;

export type KernelState = 'loading' | 'idle' | 'busy' | 'failed';

export interface KernelHooks {
  state(s: KernelState, detail: string): void;
  /** what a cell wrote, made or removed in the file area (before its run resolves) */
  changed?(c: AreaChanges): void;
}

/** How long an interrupted cell may take to stop before the worker is ended instead. */
const INTERRUPT_GRACE_MS = 3000;

export class Kernel {
  private worker: Worker | null = null;
  private interrupt: Int32Array | null = null;
  private ready: Promise<void> | null = null;
  /** the requests sent to this worker and not yet answered, by id (a reply goes to its own request) */
  private requests = new Requests<Extract<NotebookReply, { type: 'done' | 'seeded' | 'written' }>, CellEvent>();
  /** the data files every new worker starts with (the latest version of each path) */
  private files = new Map<string, DataFile>();
  /** the file area's folders, and the folder the cells run in ('' the root) */
  private folders = new Set<string>();
  /** the folder the cells run in (a path in the file area, '' the root) */
  cwd = '';
  /** milliseconds from new Worker() to the kernel ready (the last start) */
  startMs = 0;
  python = '';
  /** whether the last start restored the interpreter's memory snapshot */
  fromSnapshot = false;
  state: KernelState = 'loading';
  /** the reply the running cell waits for */
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly indexURL: string,
    private readonly hooks: KernelHooks,
    /** keep the interpreter's memory snapshot in IndexedDB (false: every start from scratch) */
    private readonly snapshots = true,
  ) {}

  /** Whether Stop interrupts the cell (true) or restarts the kernel (false). */
  get canInterrupt(): boolean {
    return typeof SharedArrayBuffer !== 'undefined' && globalThis.crossOriginIsolated === true;
  }

  private set(s: KernelState, detail: string): void {
    this.state = s;
    this.hooks.state(s, detail);
  }

  /** Starts the worker unless one is running; resolves when Python is ready (seconds, the first time). */
  start(): Promise<void> {
    if (this.ready !== null) return this.ready;
    const t0 = performance.now();
    const worker = new Worker(new URL('./notebook.worker.ts', import.meta.url), { type: 'module', name: 'notebook' });
    this.worker = worker;
    const sab = this.canInterrupt ? new SharedArrayBuffer(4) : undefined;
    this.interrupt = sab === undefined ? null : new Int32Array(sab);
    this.set('loading', 'loading Python');
    this.ready = new Promise<void>((resolve, reject) => {
      worker.onmessage = (e: MessageEvent<NotebookReply>) => {
        const m = e.data;
        if (m.type === 'ready') {
          this.startMs = performance.now() - t0;
          this.python = m.python;
          this.fromSnapshot = m.fromSnapshot;
          this.set('idle', '');
          resolve();
        } else if (m.type === 'fatal') {
          if (this.state === 'loading') {
            this.set('failed', m.message);
            reject(new Error(m.message));
          }
          this.requests.failAll(m.message);
        } else if (m.type === 'stream' || m.type === 'display' || m.type === 'result') {
          this.requests.event(m);
        } else if (m.type === 'changed') {
          this.remember(m.files, m.folders, m.removed);
          this.hooks.changed?.(m);
        } else {
          this.requests.answer(m);
        }
      };
      worker.onerror = (e) => {
        e.preventDefault();
        const msg = e.message || 'the notebook worker failed';
        worker.terminate();
        if (this.worker === worker) {
          this.worker = null;
          this.ready = null;
        }
        this.set('failed', msg);
        this.fail(msg);
        reject(new Error(msg));
      };
    });
    const request: NotebookRequest = {
      type: 'start', indexURL: this.indexURL, interrupt: sab, files: [...this.files.values()], folders: [...this.folders].sort(), cwd: this.cwd, snapshots: this.snapshots,
    };
    worker.postMessage(request);
    return this.ready;
  }

  private fail(message: string): void {
    this.requests.failAll(message);
  }

  /** The kernel's picture of the file area after a change (what a restarted kernel starts with). */
  private remember(files: DataFile[], folders: string[], remove: string[]): void {
    for (const path of remove) {
      for (const k of this.files.keys()) if (within(k, path)) this.files.delete(k);
      for (const k of this.folders) if (within(k, path)) this.folders.delete(k);
    }
    for (const f of folders) this.folders.add(f);
    for (const f of files) this.files.set(f.name, f);
  }

  /**
   * Writes files and folders into the file area at their paths and removes the paths in `remove` (with what
   * they hold) first; `cwd` given, the cells run in that folder from now on. Now, and in every kernel started
   * later; resolves when the running kernel has them (at once when none runs: they go with the next start,
   * and a worker still loading writes them when Python is ready).
   */
  async addFiles(files: DataFile[], remove: string[] = [], folders: string[] = [], cwd?: string): Promise<void> {
    this.remember(files, folders, remove);
    if (cwd !== undefined) this.cwd = cwd;
    const worker = this.worker;
    if (worker === null) return;
    const { id, reply } = this.requests.ask();
    worker.postMessage({ type: 'files', id, files, folders, remove, cwd } satisfies NotebookRequest);
    await reply;
  }

  /** Runs one cell; `onEvent` gets its output as it is printed. Rejects when the kernel is restarted under it. */
  async run(source: string, count: number, onEvent: (e: CellEvent) => void): Promise<CellOutcome> {
    await this.start();
    const worker = this.worker;
    if (worker === null) throw new Error('no kernel');
    if (this.interrupt !== null) Atomics.store(this.interrupt, 0, 0);
    this.set('busy', '');
    const { id, reply } = this.requests.ask(onEvent);
    worker.postMessage({ type: 'run', id, source, count } satisfies NotebookRequest);
    this.running = reply;
    const m = await reply;
    this.running = null;
    if (m.type === 'fatal') throw new Error(m.message);
    if (m.type !== 'done') throw new Error(`unexpected reply to a cell's run: ${m.type}`);
    this.set('idle', '');
    return m.outcome;
  }

  /**
   * Stops the running cell. Returns 'interrupted' when the cell raised KeyboardInterrupt (the variables
   * stay), 'restarted' when the worker had to be ended (a fresh kernel is loading: the variables are gone).
   */
  async stop(): Promise<'interrupted' | 'restarted' | 'idle'> {
    if (this.state !== 'busy') return 'idle';
    if (this.interrupt !== null) {
      const running = this.running;
      const finished = new Promise<boolean>((resolve) => {
        void running?.then(() => resolve(true));
        setTimeout(() => resolve(false), INTERRUPT_GRACE_MS);
      });
      Atomics.store(this.interrupt, 0, 2);
      Atomics.notify(this.interrupt, 0); // wakes a time.sleep waiting on the buffer (notebook.worker.ts)
      if (await finished) return 'interrupted';
    }
    this.restart();
    return 'restarted';
  }

  /** Ends the worker (any running cell fails) and starts a fresh kernel. */
  restart(): void {
    this.worker?.terminate();
    this.worker = null;
    this.ready = null;
    this.fail('the kernel was restarted: the variables are gone');
    void this.start().catch(() => undefined);
  }
}
