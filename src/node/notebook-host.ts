// Drives a notebook runtime in a worker thread: start it, run cells one at a time, interrupt the running
// cell (Ctrl-C) through a SharedArrayBuffer the worker's Python polls.

import { Worker } from 'node:worker_threads';
import { Requests, type Fatal, type FromWorker, type ToWorker, type Unsent } from '../notebook/protocol.js';
import type { CellOutcome } from '../notebook/runtime.js';
import type { WorkerInit } from './notebook-worker.js';

/** Output events while a cell runs (stream, display, result), as the host hands them on (without their request's id). */
export type CellEvent = Unsent<Extract<FromWorker, { type: 'stream' | 'display' | 'result' }>>;

type Reply = Extract<FromWorker, { type: 'done' | 'seeded' }>;

export class NotebookHost {
  /** the start's answer ('ready' or 'fatal') */
  private starting: ((m: FromWorker) => void) | undefined;
  private readonly requests = new Requests<Reply, Extract<FromWorker, { type: 'stream' | 'display' | 'result' }>>();
  private dead: Error | undefined;

  private constructor(
    private readonly worker: Worker,
    private readonly onEvent: (e: CellEvent) => void,
    private readonly interrupt: Int32Array,
  ) {}

  readonly info = { startMs: 0, python: '', fromSnapshot: false };

  /** Starts the worker and waits until Python is ready (~3 s). */
  static async start(cwd: string, onEvent: (e: CellEvent) => void): Promise<NotebookHost> {
    const sab = new SharedArrayBuffer(4);
    const worker = new Worker(new URL('./notebook-worker.js', import.meta.url), {
      workerData: { cwd, interrupt: sab } satisfies WorkerInit,
    });
    const host = new NotebookHost(worker, onEvent, new Int32Array(sab));
    worker.on('message', (m: FromWorker) => host.receive(m));
    worker.on('error', (e) => host.fail(e));
    worker.on('exit', (code) => host.fail(new Error(`the notebook runtime's worker exited (code ${code})`)));
    const ready = await new Promise<FromWorker>((resolve) => {
      host.starting = resolve;
    });
    if (ready.type === 'fatal') throw new Error(`the Python runtime did not start: ${ready.message}`);
    if (ready.type !== 'ready') throw new Error(`unexpected message from the runtime: ${ready.type}`);
    host.info.startMs = ready.startMs;
    host.info.python = ready.python;
    host.info.fromSnapshot = ready.fromSnapshot;
    return host;
  }

  private receive(m: FromWorker): void {
    if (m.type === 'stream' || m.type === 'display' || m.type === 'result') this.requests.event(m);
    else if (m.type === 'done' || m.type === 'seeded') this.requests.answer(m);
    else if (m.type === 'fatal' && this.starting === undefined) this.fail(new Error(m.message));
    else {
      const s = this.starting;
      this.starting = undefined;
      s?.(m);
    }
  }

  private fail(e: Error): void {
    if (this.dead) return;
    this.dead = e;
    const s = this.starting;
    this.starting = undefined;
    s?.({ type: 'fatal', message: e.message });
    this.requests.failAll(e.message);
  }

  /** Sends a request; resolves with its own reply (or fatal, when the worker is gone). */
  private ask(m: Unsent<ToWorker>, onEvent?: (e: CellEvent) => void): Promise<Reply | Fatal> {
    if (this.dead) return Promise.resolve({ type: 'fatal', message: this.dead.message });
    const { id, reply } = this.requests.ask(onEvent === undefined ? undefined : ({ id: _, ...e }) => onEvent(e));
    this.worker.postMessage({ ...m, id } satisfies ToWorker);
    return reply;
  }

  /** Runs one cell; its output arrives through onEvent before this resolves. */
  async run(source: string, count: number): Promise<CellOutcome> {
    Atomics.store(this.interrupt, 0, 0);
    const m = await this.ask({ type: 'run', source, count }, this.onEvent);
    if (m.type === 'fatal') throw new Error(`the Python runtime stopped: ${m.message}`);
    if (m.type !== 'done') throw new Error(`unexpected message from the runtime: ${m.type}`);
    return m.outcome;
  }

  /** `torch.manual_seed(seed)` in the runtime; false when there is no torch module. */
  async seed(seed: number): Promise<boolean> {
    const m = await this.ask({ type: 'seed', seed });
    if (m.type !== 'seeded') throw new Error(`the Python runtime stopped while seeding: ${m.type === 'fatal' ? m.message : m.type}`);
    return m.ok;
  }

  /** Raises KeyboardInterrupt in the running cell (at its next bytecode boundary). */
  interruptCell(): void {
    Atomics.store(this.interrupt, 0, 2);
  }

  async close(): Promise<void> {
    this.dead ??= new Error('closed');
    await this.worker.terminate();
  }
}
