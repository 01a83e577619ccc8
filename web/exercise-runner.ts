// The page's side of the exercise runner: two module workers running CPython with our torch (the active one
// and a warm spare), one submission at a time. What makes a verdict hard to fake lives here and in the judge:
// - the page never hands a worker the gradient an exercise asks for, nor one it has not been given before in
//   a run of this exercise: a worker that has seen any gradient outside the current exercise's givens is
//   retired (going back to an earlier exercise) and the spare takes over, so nothing stashed on one exercise
//   can be returned on another;
// - a reply is accepted only in the expected form with the worker's secret, and only the answer's dtype, shape
//   and values are taken from it; the page judges them (src/core/lab/judge.ts);
// - a worker that shows signs of tampering (a malformed or forged reply, self.onmessage replaced, self.close()
//   called, no reply) is ended and the spare takes over at once;
// - code that runs past the time limit is interrupted (KeyboardInterrupt through the shared interrupt buffer,
//   when the page is cross-origin isolated), or its worker ended.

import type { GradName } from '../src/core/reference/model.js';
import type { ExerciseOutcome, ExerciseRun } from '../src/notebook/exercise.js';
import type { ExerciseReply, ExerciseRequest } from './protocol.js';

/** How long learner code may run before it is interrupted (or its worker ended). */
export const TIME_LIMIT_MS = 3000;
/** How long a worker may take to say a run has begun before it is called unresponsive (and replaced). */
const ACK_MS = 1000;
/** How long an interrupted run may take to stop before its worker is ended. */
const INTERRUPT_GRACE_MS = 1000;

export interface RunResult {
  outcome: ExerciseOutcome;
  /** why the runner was replaced after this run, if it was (shown with the verdict) */
  replaced?: string;
  /** the run's time inside Python (ms), as the worker measured it (shown only) */
  ms?: number;
  /** what the code printed (shown only) */
  stdout?: string;
}

interface Slot {
  worker: Worker;
  secret: string;
  interrupt: Int32Array | null;
  ready: Promise<void>;
  loaded: boolean;
  /** gradients this worker has been given: it may only run exercises that are given all of them */
  seen: Set<GradName>;
  startMs: number;
  fromSnapshot: boolean;
  dead: boolean;
  onReply: ((m: unknown) => void) | null;
  onStarted: ((id: number) => void) | null;
}

const DTYPES = new Set(['float32', 'float64', 'int64', 'bool']);

function secretString(): string {
  const b = new Uint32Array(4);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(8, '0')).join('');
}

/** Whether m is a well-formed answer: a typed array whose length is the shape's product. */
function wellFormed(o: unknown): o is ExerciseOutcome {
  if (typeof o !== 'object' || o === null) return false;
  const r = o as Record<string, unknown>;
  if (r.ok === false) return typeof r.error === 'string';
  if (r.ok !== true || typeof r.dtype !== 'string' || !DTYPES.has(r.dtype) || !Array.isArray(r.shape)) return false;
  const shape = r.shape as unknown[];
  if (!shape.every((d) => Number.isInteger(d) && (d as number) >= 0) || shape.length > 8) return false;
  const data = r.data;
  if (!(data instanceof Float32Array || data instanceof Float64Array || data instanceof Uint8Array)) return false;
  return data.length === (shape as number[]).reduce((a, b) => a * b, 1);
}

export class ExercisePool {
  private active: Slot | null = null;
  private spare: Slot | null = null;
  private nextId = 1;
  /** milliseconds from new Worker() to ready, per start, in order */
  readonly loads: { ms: number; fromSnapshot: boolean }[] = [];

  constructor(
    private readonly indexURL: string,
    private readonly onState: (s: string) => void = () => undefined,
    /** told whether a warm spare is ready, when that changes */
    private readonly onSpare: (ready: boolean) => void = () => undefined,
  ) {}

  /** Whether a spare runner is loaded and waiting (a replaced runner then costs no wait). */
  get spareReady(): boolean {
    return this.spare !== null && this.spare.loaded && !this.spare.dead;
  }

  get canInterrupt(): boolean {
    return typeof SharedArrayBuffer !== 'undefined' && globalThis.crossOriginIsolated === true;
  }

  private spawn(): Slot {
    const t0 = performance.now();
    const worker = new Worker(new URL('./exercise.worker.ts', import.meta.url), { type: 'module', name: 'exercise' });
    const sab = this.canInterrupt ? new SharedArrayBuffer(4) : undefined;
    const slot: Slot = {
      worker, secret: secretString(), interrupt: sab === undefined ? null : new Int32Array(sab), ready: Promise.resolve(),
      loaded: false, seen: new Set(), startMs: 0, fromSnapshot: false, dead: false, onReply: null, onStarted: null,
    };
    slot.ready = new Promise<void>((resolve, reject) => {
      worker.onmessage = (e: MessageEvent<unknown>) => {
        const m = e.data as ExerciseReply;
        if (!slot.loaded && typeof m === 'object' && m !== null && m.type === 'ready' && m.secret === slot.secret) {
          slot.loaded = true;
          slot.startMs = performance.now() - t0;
          slot.fromSnapshot = m.fromSnapshot;
          this.loads.push({ ms: slot.startMs, fromSnapshot: m.fromSnapshot });
          resolve();
          this.onSpare(this.spareReady);
          return;
        }
        if (!slot.loaded && typeof m === 'object' && m !== null && m.type === 'fatal') {
          this.kill(slot);
          reject(new Error(`Python did not start: ${m.message}`));
          return;
        }
        if (typeof m === 'object' && m !== null && m.type === 'started' && m.secret === slot.secret) {
          slot.onStarted?.(m.id);
          return;
        }
        const f = slot.onReply;
        slot.onReply = null;
        f?.(m);
      };
      worker.onerror = (e) => {
        e.preventDefault();
        const msg = e.message || 'the code runner failed';
        this.kill(slot);
        if (!slot.loaded) reject(new Error(msg));
        const f = slot.onReply;
        slot.onReply = null;
        f?.({ crashed: msg });
      };
    });
    slot.ready.catch(() => undefined);
    worker.postMessage({ type: 'start', indexURL: this.indexURL, interrupt: sab, secret: slot.secret } satisfies ExerciseRequest);
    return slot;
  }

  private kill(slot: Slot): void {
    slot.dead = true;
    slot.worker.terminate();
    if (this.active === slot) this.active = null;
    if (this.spare === slot) this.spare = null;
    this.onSpare(this.spareReady);
  }

  /** Starts the runner (and, once it is up, the spare); resolves when the first can run. */
  async warm(): Promise<void> {
    this.active ??= this.spawn();
    const a = this.active;
    await a.ready;
    this.spare ??= this.spawn();
  }

  /** The worker for a run that is given `allowed` gradients: the active one unless it has seen others. */
  private pick(allowed: ReadonlySet<GradName>): Slot {
    const a = this.active;
    if (a !== null && !a.dead && [...a.seen].every((g) => allowed.has(g))) return a;
    if (a !== null) this.kill(a);
    this.active = this.spare ?? this.spawn();
    this.spare = null;
    this.onSpare(false);
    return this.active;
  }

  private refill(): void {
    if (this.spare === null || this.spare.dead) {
      const a = this.active;
      // the spare starts once the active runner is up: two Pythons loading at once share the CPU
      if (a !== null && !a.loaded) void a.ready.then(() => this.refill(), () => this.refill());
      else this.spare = this.spawn();
    }
  }

  /**
   * Runs one submission. `given` are the gradients in run.tensors (the exercise's givens). Resolves with the
   * runner's outcome (never a verdict), or an error outcome that says why nothing came back.
   */
  async run(run: ExerciseRun, given: readonly GradName[]): Promise<RunResult> {
    const res = await this.runOnce(run, given);
    if (res === 'retry') {
      // the worker was tampered with before this run began (by an earlier one): the spare runs it
      const again = await this.runOnce(run, given);
      if (again !== 'retry') return again;
      return { outcome: { ok: false, error: 'the code runner could not be started cleanly' } };
    }
    return res;
  }

  private async runOnce(run: ExerciseRun, given: readonly GradName[]): Promise<RunResult | 'retry'> {
    const slot = this.pick(new Set(given));
    this.refill();
    if (!slot.loaded) this.onState('loading Python…');
    try {
      await slot.ready;
    } catch (e) {
      return { outcome: { ok: false, error: e instanceof Error ? e.message : String(e) } };
    }
    this.onState('');
    for (const g of given) slot.seen.add(g);
    const id = this.nextId++;
    if (slot.interrupt !== null) Atomics.store(slot.interrupt, 0, 0);
    const reply = new Promise<unknown>((resolve) => {
      slot.onReply = resolve;
    });
    let acked = false;
    const started = new Promise<'started'>((resolve) => {
      slot.onStarted = (got) => {
        if (got === id) {
          acked = true;
          resolve('started');
        }
      };
    });
    // copies: the page keeps its own snapshot's values
    const msg: ExerciseRequest = { type: 'run', id, run: { ...run, tensors: run.tensors.map((t) => ({ ...t, data: t.data.slice() })) } };
    slot.worker.postMessage(msg, msg.run.tensors.map((t) => t.data.buffer));
    const timeout = (ms: number): Promise<'timeout'> => new Promise((r) => setTimeout(() => r('timeout'), ms));
    // a worker that does not even begin the run stopped answering (its onmessage replaced by an earlier run's
    // timer, say): the spare runs it
    const first = await Promise.race([started, reply, timeout(ACK_MS)]);
    slot.onStarted = null;
    if (first === 'timeout') {
      slot.onReply = null;
      this.kill(slot);
      return 'retry';
    }
    let m = first === 'started' ? await Promise.race([reply, timeout(TIME_LIMIT_MS)]) : first;
    let limit = false;
    if (m === 'timeout') {
      limit = true;
      if (slot.interrupt !== null) {
        Atomics.store(slot.interrupt, 0, 2);
        m = await Promise.race([reply, timeout(INTERRUPT_GRACE_MS)]);
      }
      if (m === 'timeout') {
        slot.onReply = null;
        this.kill(slot);
        this.refill();
        return {
          outcome: { ok: false, error: `time limit: your code ran for more than ${TIME_LIMIT_MS / 1000} s and was stopped (an endless loop?)` },
          replaced: 'the runner was ended; a fresh one is ready',
        };
      }
    }
    return this.accept(slot, id, m, limit, acked);
  }

  private accept(slot: Slot, id: number, m: unknown, limit: boolean, acked: boolean): RunResult | 'retry' {
    const r = m as Record<string, unknown> | null;
    if (typeof r === 'object' && r !== null && typeof r.crashed === 'string') {
      this.refill();
      return { outcome: { ok: false, error: `the code runner crashed: ${r.crashed}` }, replaced: 'a fresh runner took over' };
    }
    const valid = typeof r === 'object' && r !== null && r.type === 'result' && r.id === id && r.secret === slot.secret &&
      typeof r.ran === 'boolean' && (r.tampered === null || typeof r.tampered === 'string') && wellFormed(r.outcome);
    if (!valid) {
      this.kill(slot);
      this.refill();
      // a reply before the run even began was forged by what an earlier run left behind: the spare runs it
      if (!acked) return 'retry';
      return {
        outcome: { ok: false, error: 'the code runner sent a reply it did not write (was self.onmessage or postMessage replaced?): nothing was judged' },
        replaced: 'the runner was replaced',
      };
    }
    const reply = r as unknown as Extract<ExerciseReply, { type: 'result' }>;
    if (reply.tampered !== null) {
      this.kill(slot);
      this.refill();
      if (!reply.ran) return 'retry';
      return {
        outcome: { ok: false, error: `your code tampered with the code runner (${reply.tampered}): nothing was judged` },
        replaced: 'the runner was replaced',
      };
    }
    if (limit && !reply.outcome.ok) {
      return { outcome: { ok: false, error: `time limit: your code ran for more than ${TIME_LIMIT_MS / 1000} s and was interrupted (an endless loop?)` } };
    }
    return { outcome: reply.outcome, ms: reply.ms, stdout: typeof reply.stdout === 'string' ? reply.stdout.slice(0, 20_000) : undefined };
  }
}
