// Drives a notebook runtime in a worker thread: start it, run cells one at a time, interrupt the running
// cell (Ctrl-C) through a SharedArrayBuffer the worker's Python polls, acknowledge output as it is written
// (the worker waits when the host falls behind), and make the HTTP requests the worker's Python asks for.

import { Worker } from 'node:worker_threads';
import { Requests, type Fatal, type FromWorker, type ToWorker, type Unsent } from '../notebook/protocol.js';
import type { CellOutcome } from '../notebook/runtime.js';
import { outputSize, type NodeFromWorker } from './notebook-channel.js';
import { answer, cancelRequested, HTTP_BUFFER_BYTES, httpRequest } from './notebook-net.js';
import type { WorkerInit } from './notebook-worker.js';

/** Output events while a cell runs (stream, display, result), as the host hands them on (without their request's id). */
export type CellEvent = Unsent<Extract<FromWorker, { type: 'stream' | 'display' | 'result' }>>;

type Reply = Extract<FromWorker, { type: 'done' | 'seeded' }>;
type Output = Extract<FromWorker, { type: 'stream' | 'display' | 'result' }>;

/**
 * The worker thread's stack, in MiB. WebAssembly frames live on it, and Python's own stack check does not
 * see them: a recursion through C (map, a __repr__, functools.partial) costs ~3.6 KiB of it a level, so the
 * default 4 MiB overflows (a fatal error of the runtime) where CPython raises RecursionError. 256 MiB is
 * address space reserved, not memory used.
 */
export const WORKER_STACK_MB = 256;
/** The deepest sys.setrecursionlimit WORKER_STACK_MB takes with room to spare (~110 MiB at 3.6 KiB a level). */
export const MAX_RECURSION = 30_000;

export interface HostOptions {
  /** a progress line of a download (or '' to clear it) */
  progress?(line: string): void;
  /** os.environ for the cells (default: this process's environment) */
  env?: Record<string, string>;
  /** PYTHONHASHSEED (default: the snapshot's, '0') */
  hashSeed?: string;
  /** a names.txt shipped with the package, served when the cache has none */
  shippedNames?: string;
}

export class NotebookHost {
  /** the start's answer ('ready' or 'fatal') */
  private starting: ((m: FromWorker) => void) | undefined;
  private readonly requests = new Requests<Reply, Output>();
  private dead: Error | undefined;
  /** what the running request's onEvent returned for the event being handed on (a promise: not yet written) */
  private written: unknown;

  private constructor(
    private readonly worker: Worker,
    private readonly onEvent: (e: CellEvent) => unknown,
    private readonly interrupt: Int32Array,
    private readonly flow: Int32Array,
    private readonly http: SharedArrayBuffer,
    private readonly opts: HostOptions,
  ) {}

  readonly info = { startMs: 0, python: '', fromSnapshot: false };

  /**
   * Starts the worker and waits until Python is ready (~1-3 s). onEvent may return a promise: the output
   * counts as written (and the worker may go on printing) once it resolves.
   */
  static async start(cwd: string, onEvent: (e: CellEvent) => unknown, opts: HostOptions = {}): Promise<NotebookHost> {
    const interrupt = new SharedArrayBuffer(4);
    const flow = new SharedArrayBuffer(4);
    const http = new SharedArrayBuffer(HTTP_BUFFER_BYTES);
    const env = opts.env ?? Object.fromEntries(Object.entries(process.env).filter((kv): kv is [string, string] => kv[1] !== undefined));
    const init: WorkerInit = { cwd, interrupt, flow, http, env, hashSeed: opts.hashSeed, maxRecursion: MAX_RECURSION, shippedNames: opts.shippedNames };
    const worker = new Worker(new URL('./notebook-worker.js', import.meta.url), {
      workerData: init,
      resourceLimits: { stackSizeMb: WORKER_STACK_MB },
    });
    const host = new NotebookHost(worker, onEvent, new Int32Array(interrupt), new Int32Array(flow), http, opts);
    worker.on('message', (m: NodeFromWorker) => host.receive(m));
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

  private receive(m: NodeFromWorker): void {
    if (m.type === 'stream' || m.type === 'display' || m.type === 'result') this.output(m);
    else if (m.type === 'http') {
      void httpRequest(m.request, () => cancelRequested(this.http), (line) => this.opts.progress?.(line)).then((a) => answer(this.http, a));
    } else if (m.type === 'done' || m.type === 'seeded') this.requests.answer(m);
    else if (m.type === 'fatal' && this.starting === undefined) this.fail(new Error(m.message));
    else {
      const s = this.starting;
      this.starting = undefined;
      s?.(m);
    }
  }

  /** Hands an output event on, and acknowledges it to the worker once it is written. */
  private output(m: Output): void {
    const size = outputSize(m);
    const acknowledge = (): void => {
      Atomics.add(this.flow, 0, size);
      Atomics.notify(this.flow, 0);
    };
    this.written = undefined;
    if (m.id === 0) {
      // the start's own output (id 0: before any request), a note on the cached snapshot: the host's to show
      const { id: _, ...e } = m;
      this.written = this.onEvent(e);
    } else {
      this.requests.event(m); // the request's onEvent runs now, and leaves what it returned in this.written
    }
    const written = this.written;
    this.written = undefined;
    if (written instanceof Promise) written.then(acknowledge, acknowledge);
    else acknowledge();
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
  private ask(m: Unsent<ToWorker>, onEvent?: (e: CellEvent) => unknown): Promise<Reply | Fatal> {
    if (this.dead) return Promise.resolve({ type: 'fatal', message: this.dead.message });
    const forward = onEvent === undefined ? undefined : ({ id: _, ...e }: Output): void => {
      this.written = onEvent(e);
    };
    const { id, reply } = this.requests.ask(forward);
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

  /** `random.seed(seed)` and `torch.manual_seed(seed)` in the runtime; false when there is no torch module. */
  async seed(seed: number): Promise<boolean> {
    const m = await this.ask({ type: 'seed', seed });
    if (m.type !== 'seeded') throw new Error(`the Python runtime stopped while seeding: ${m.type === 'fatal' ? m.message : m.type}`);
    return m.ok;
  }

  /** Raises KeyboardInterrupt in the running cell (at its next bytecode boundary). */
  interruptCell(): void {
    Atomics.store(this.interrupt, 0, 2);
    Atomics.notify(this.flow, 0); // a worker waiting for its output to be written looks at the interrupt too
  }

  async close(): Promise<void> {
    this.dead ??= new Error('closed');
    await this.worker.terminate();
  }
}
