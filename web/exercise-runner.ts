// The page's side of the exercise runner: CPython with our torch in workers (the active one and a warm spare),
// one submission at a time. The boundary is where the expected gradient lives, not inside Python (Python hides
// nothing from introspection: gc.get_objects(), closures and __subclasses__ reach the worker's JavaScript):
// - each runner is a worker started from a data: URL, so an opaque origin of its own: no IndexedDB,
//   localStorage, Cache or OPFS, and no BroadcastChannel or SharedWorker shared with the lab or another
//   runner. The workers are started by one sandboxed iframe (`sandbox="allow-scripts"`, no
//   allow-same-origin: opaque too), whose Content-Security-Policy the workers inherit: no network, so
//   nothing leaves a runner either. The frame gets the worker's code, Pyodide's files and the interpreter's
//   snapshot from the page once and hands each runner copies (each compiles Pyodide's wasm itself: a module
//   compiled elsewhere ran Python 2.5 times slower, never tiered up); it only passes messages on, tagged
//   with the runner they came from. The page keeps the snapshot (web/exercise-store.ts), taken from a
//   runner's start before any learner code ran in it (the frame keeps a copy by the same rule);
// - the page never hands a runner the gradient an exercise asks for, nor one it has not been given before in
//   a run of this exercise: a runner that has seen any gradient outside the current exercise's givens is
//   retired (going back to an earlier exercise) and the spare takes over; the retired worker is ended, and
//   with it everything it held;
// - a reply is accepted only in the expected form with the runner's secret, and only the answer's dtype,
//   shape and values are taken from it; the page judges them (src/core/lab/judge.ts);
// - a runner that shows signs of tampering (a malformed or forged reply, self.onmessage replaced,
//   self.close() called, no reply) is ended and the spare takes over at once;
// - code that runs past the time limit is interrupted (KeyboardInterrupt through a shared buffer the frame
//   makes, when the page is cross-origin isolated), or its runner ended.

import type { GradName } from '../src/core/reference/model.js';
import type { ExerciseOutcome, ExerciseRun, TrainRun } from '../src/notebook/exercise.js';
import type { ExerciseReply, ExerciseRequest, HostEnvelope, HostRequest, PyodideFiles, TensorCopy } from './exercise-protocol.js';
import { loadRunnerSnapshot, saveRunnerSnapshot } from './exercise-store.js';
import workerBundleUrl from './exercise.worker.ts?worker&url';

/** How long learner code may run before it is interrupted (or its runner ended). */
export const TIME_LIMIT_MS = 3000;
/** How long a worker may take to say a run has begun before it is called unresponsive (and replaced). */
const ACK_MS = 2000;
/** How long an interrupted run may take to stop before its runner is ended. */
const INTERRUPT_GRACE_MS = 1000;
/**
 * How long exercise 4's runner may go without reporting before it is interrupted: a report comes every
 * slice (~80 ms of steps), so this only catches a step that never ends; generous, since a busy machine
 * (the tests' runs share two cores) can stretch a slice to seconds.
 */
const TRAIN_SILENCE_MS = 15_000;

/**
 * The host frame's document: a policy with no network ('none' for everything but its inline script, the
 * data: workers, the blob a worker imports pyodide.asm.mjs from, and WebAssembly), and a script that keeps
 * the resources, starts a worker per runner from the code it was sent, and passes messages both ways, each
 * tagged with its runner (a runner cannot speak for another, nor for the frame). A snapshot is moved on to
 * the page, not copied (30 MB through two frames took seconds on a busy machine).
 */
const HOST_CSP = "default-src 'none'; script-src 'unsafe-inline' blob: 'wasm-unsafe-eval'; worker-src data:";
const HOST_JS = `'use strict';
let res = null;
const runners = new Map();
const up = (rid, m) => parent.postMessage({ from: 'host', rid, data: m }, '*');
addEventListener('message', (e) => {
  if (e.source !== parent) return;
  const m = e.data;
  if (m.type === 'resources' && res === null) {
    res = { url: 'data:text/javascript;charset=utf-8,' + encodeURIComponent(m.code), files: m.files, snapshot: m.snapshot };
  } else if (m.type === 'spawn' && res !== null && !runners.has(m.rid)) {
    const w = new Worker(res.url, { type: 'module', name: 'exercise' });
    const sab = self.crossOriginIsolated && typeof SharedArrayBuffer === 'function' ? new SharedArrayBuffer(4) : null;
    const r = { w, flag: sab === null ? null : new Int32Array(sab), secret: m.secret, used: false };
    runners.set(m.rid, r);
    w.onmessage = (x) => {
      const d = x.data;
      // a snapshot from a runner that has run nothing yet: kept for the next ones, and passed on (moved, not copied)
      if (d !== null && typeof d === 'object' && d.type === 'snapshot' && d.secret === r.secret && !r.used && d.bytes instanceof Uint8Array) {
        if (res.snapshot === undefined) res.snapshot = { key: d.key, bytes: d.bytes.slice() };
        parent.postMessage({ from: 'worker', rid: m.rid, data: d }, '*', [d.bytes.buffer]);
        return;
      }
      parent.postMessage({ from: 'worker', rid: m.rid, data: d }, '*');
    };
    w.onmessageerror = () => up(m.rid, { type: 'crashed', message: 'a message from the code runner could not be read' });
    w.onerror = (x) => { x.preventDefault(); up(m.rid, { type: 'crashed', message: String(x.message || 'the code runner failed') }); };
    const s = res.snapshot;
    const files = {};
    for (const k of Object.keys(res.files)) files[k] = res.files[k].slice(0);
    const snapshot = s === undefined ? undefined : { key: s.key, bytes: s.bytes.slice() };
    const start = { type: 'start', files, snapshot, makeSnapshot: s === undefined, secret: m.secret };
    if (sab !== null) start.interrupt = sab;
    w.postMessage(start, [...Object.values(files), ...(snapshot === undefined ? [] : [snapshot.bytes.buffer])]);
    up(m.rid, { type: 'spawned', interrupt: r.flag !== null });
  } else if (m.type === 'kill') {
    runners.get(m.rid)?.w.terminate();
    runners.delete(m.rid);
  } else if (m.type === 'interrupt') {
    const r = runners.get(m.rid);
    if (r !== undefined && r.flag !== null) Atomics.store(r.flag, 0, 2);
  } else if (m.type === 'forward') {
    const r = runners.get(m.rid);
    if (r === undefined) return;
    r.used = true;
    if (r.flag !== null && m.message.type !== 'train-stop') Atomics.store(r.flag, 0, 0);
    r.w.postMessage(m.message, m.transfer);
  }
});
up(0, { type: 'host-up' });`;
const HOST_HTML = `<!doctype html><meta http-equiv="Content-Security-Policy" content="${HOST_CSP}"><script>${HOST_JS}</script>`;

/**
 * The worker's code: the built bundle (`npm run build:web`); under `npm run web` the dev server bundles it
 * on request (vite.config.ts), since a worker in an opaque origin cannot import the dev server's modules.
 */
const WORKER_CODE_URL = import.meta.env.DEV ? new URL('/@bpn/exercise.worker.js', location.href).href : new URL(workerBundleUrl, import.meta.url).href;

export interface RunResult {
  outcome: ExerciseOutcome;
  /** why the runner was replaced after this run, if it was (shown with the verdict) */
  replaced?: string;
  /** the run's time inside Python (ms), as the worker measured it (shown only) */
  ms?: number;
  /** what the code printed (shown only) */
  stdout?: string;
}

export type TrainEvent =
  | { type: 'progress'; step: number; losses: number[]; forward: string }
  | { type: 'done'; step: number; params: TensorCopy[]; stdout: string }
  | { type: 'error'; exercise: string; error: string; step?: number; missing?: string; stdout?: string };

export interface Training {
  /** asks the runner to end at its next slice (it then sends the parameters so far: a 'done' event) */
  stop(): void;
  /** resolves with the last event: 'done' or 'error' */
  finished: Promise<TrainEvent>;
}

interface Slot {
  /** the runner's number in the host frame */
  rid: number;
  secret: string;
  /** the frame made a shared interrupt buffer for it (the page is cross-origin isolated) */
  interrupt: boolean;
  ready: Promise<void>;
  loaded: boolean;
  /** a run or a training was sent: from then on, it is not trusted with anything it sends but replies */
  used: boolean;
  /** gradients this runner has been given: it may only run exercises that are given all of them */
  seen: Set<GradName>;
  dead: boolean;
  onReply: ((m: unknown) => void) | null;
  onStarted: ((id: number) => void) | null;
  onTrain: ((m: ExerciseReply) => void) | null;
  onCrash: (message: string) => void;
  /** the worker's ready or fatal message */
  settle: (m: ExerciseReply) => void;
}

const DTYPES = new Set(['float32', 'float64', 'float16', 'bfloat16', 'int64', 'int32', 'int16', 'int8', 'uint8', 'bool']);

function secretString(): string {
  const b = new Uint32Array(4);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(8, '0')).join('');
}

/** Whether t is a well-formed tensor copy: a typed array whose length is the shape's product. */
function wellFormedTensor(r: Record<string, unknown>): boolean {
  if (typeof r.dtype !== 'string' || !DTYPES.has(r.dtype) || !Array.isArray(r.shape)) return false;
  const shape = r.shape as unknown[];
  if (!shape.every((d) => Number.isInteger(d) && (d as number) >= 0) || shape.length > 8) return false;
  const data = r.data;
  if (!(data instanceof Float32Array || data instanceof Float64Array || data instanceof Int32Array || data instanceof Int16Array ||
    data instanceof Int8Array || data instanceof Uint8Array)) return false;
  return data.length === (shape as number[]).reduce((a, b) => a * b, 1);
}

/** Whether o is a well-formed answer. */
function wellFormed(o: unknown): o is ExerciseOutcome {
  if (typeof o !== 'object' || o === null) return false;
  const r = o as Record<string, unknown>;
  if (r.ok === false) return typeof r.error === 'string';
  return r.ok === true && wellFormedTensor(r);
}

const fetchOk = async (url: string): Promise<Response> => {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return r;
};

export class ExercisePool {
  private active: Slot | null = null;
  private spare: Slot | null = null;
  private readonly slots = new Map<number, Slot>();
  private nextId = 1;
  private nextRid = 1;
  private host: { frame: HTMLIFrameElement; up: Promise<void>; hostUp: () => void } | null = null;
  /** resolves once the host frame has the resources (rejects when they could not be loaded) */
  private supplied: Promise<void> | null = null;
  /** milliseconds from a runner's spawn to ready, per start, in order */
  readonly loads: { ms: number; fromSnapshot: boolean }[] = [];

  constructor(
    private readonly indexURL: string,
    private readonly onState: (s: string) => void = () => undefined,
    /** told whether a warm spare is ready, when that changes */
    private readonly onSpare: (ready: boolean) => void = () => undefined,
  ) {
    window.addEventListener('message', (e) => this.onMessage(e));
  }

  /** Whether a spare runner is loaded and waiting (a replaced runner then costs no wait). */
  get spareReady(): boolean {
    return this.spare !== null && this.spare.loaded && !this.spare.dead;
  }

  /** The host frame, made once, with the worker's code, Pyodide's files (from this site) and the saved snapshot. */
  private supply(): Promise<void> {
    if (this.supplied !== null) return this.supplied;
    let hostUp: () => void = () => undefined;
    const frame = document.createElement('iframe');
    frame.sandbox.add('allow-scripts');
    frame.setAttribute('allow', 'cross-origin-isolated');
    frame.hidden = true;
    frame.title = 'exercise code runners';
    frame.dataset.testid = 'exercise-host-frame';
    const up = new Promise<void>((resolve) => (hostUp = resolve));
    this.host = { frame, up, hostUp };
    frame.srcdoc = HOST_HTML;
    document.body.append(frame);
    const file = async (name: keyof PyodideFiles): Promise<ArrayBuffer> => (await fetchOk(new URL(name, this.indexURL).href)).arrayBuffer();
    this.supplied = (async () => {
      const [code, asm, wasm, stdlib, snapshot] = await Promise.all([
        fetchOk(WORKER_CODE_URL).then((r) => r.text()), file('pyodide.asm.mjs'), file('pyodide.asm.wasm'), file('python_stdlib.zip'),
        loadRunnerSnapshot(),
      ]);
      await this.host?.up;
      const files: PyodideFiles = { 'pyodide.asm.mjs': asm, 'pyodide.asm.wasm': wasm, 'python_stdlib.zip': stdlib };
      const m: HostRequest = { type: 'resources', code, files, snapshot };
      this.toHost(m, [asm, wasm, stdlib, ...(snapshot === undefined ? [] : [snapshot.bytes.buffer as ArrayBuffer])]);
    })();
    this.supplied.catch(() => {
      // a failed fetch is tried again by the next start, in a fresh frame
      this.host?.frame.remove();
      this.host = null;
      this.supplied = null;
    });
    return this.supplied;
  }

  private toHost(m: HostRequest, transfer: Transferable[] = []): void {
    this.host?.frame.contentWindow?.postMessage(m, '*', transfer);
  }

  private spawn(): Slot {
    const t0 = performance.now();
    const slot: Slot = {
      rid: this.nextRid++, secret: secretString(), interrupt: false, ready: Promise.resolve(), loaded: false, used: false, seen: new Set(),
      dead: false, onReply: null, onStarted: null, onTrain: null, onCrash: () => undefined, settle: () => undefined,
    };
    slot.ready = new Promise<void>((resolve, reject) => {
      slot.onCrash = (message) => {
        if (!slot.loaded) reject(new Error(message));
        const f = slot.onReply;
        slot.onReply = null;
        f?.({ crashed: message });
        slot.onTrain?.({ type: 'train-error', id: 0, secret: slot.secret, exercise: '', error: `the code runner crashed: ${message}`, stdout: '' });
      };
      slot.settle = (m) => {
        if (m.type === 'ready') {
          slot.loaded = true;
          this.loads.push({ ms: performance.now() - t0, fromSnapshot: m.fromSnapshot });
          resolve();
          this.onSpare(this.spareReady);
        } else if (m.type === 'fatal') {
          this.kill(slot);
          reject(new Error(`Python did not start: ${m.message}`));
        }
      };
      this.supply().then(() => {
        if (!slot.dead) this.toHost({ type: 'spawn', rid: slot.rid, secret: slot.secret });
      }, (e: unknown) => {
        this.kill(slot);
        reject(new Error(`the code runner's files could not be loaded: ${e instanceof Error ? e.message : String(e)}`));
      });
    });
    slot.ready.catch(() => undefined);
    this.slots.set(slot.rid, slot);
    return slot;
  }

  private post(slot: Slot, message: Exclude<ExerciseRequest, { type: 'start' }>, transfer: ArrayBuffer[] = []): void {
    this.toHost({ type: 'forward', rid: slot.rid, message, transfer }, transfer);
  }

  private onMessage(e: MessageEvent): void {
    const host = this.host;
    if (host === null || e.source !== host.frame.contentWindow) return;
    const env = e.data as HostEnvelope | null;
    if (typeof env !== 'object' || env === null || typeof env.rid !== 'number') return;
    if (env.from === 'host' && env.rid === 0 && env.data?.type === 'host-up') {
      host.hostUp();
      return;
    }
    const slot = this.slots.get(env.rid);
    if (slot === undefined || slot.dead) return;
    if (env.from === 'host') {
      const r = env.data;
      if (r?.type === 'spawned') slot.interrupt = r.interrupt === true;
      else if (r?.type === 'crashed') {
        this.kill(slot);
        slot.onCrash(typeof r.message === 'string' ? r.message : 'the code runner failed');
      }
      return;
    }
    if (env.from !== 'worker') return;
    const m = env.data as ExerciseReply;
    const mine = typeof m === 'object' && m !== null && m.secret === slot.secret;
    if (!slot.loaded && mine && (m.type === 'ready' || m.type === 'fatal')) {
      slot.settle(m);
      return;
    }
    if (mine && m.type === 'snapshot') {
      // only from a runner that has run nothing yet: what it sends is still ours
      if (!slot.used && !slot.loaded && m.bytes instanceof Uint8Array && typeof m.key === 'string') this.keepSnapshot(m.key, m.bytes);
      return;
    }
    if (mine && m.type === 'started') {
      slot.onStarted?.(m.id);
      return;
    }
    if (slot.onTrain !== null) {
      slot.onTrain(m);
      return;
    }
    const f = slot.onReply;
    slot.onReply = null;
    f?.(m);
  }

  private keepSnapshot(key: string, bytes: Uint8Array): void {
    void saveRunnerSnapshot(key, bytes); // the host frame kept its own copy for the runners it starts next
  }

  private kill(slot: Slot): void {
    slot.dead = true;
    this.toHost({ type: 'kill', rid: slot.rid }); // the worker ends, and with it all it held
    this.slots.delete(slot.rid);
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

  /** The runner for a run that is given `allowed` gradients: the active one unless it has seen others. */
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
    let res = await this.runOnce(run, given);
    // the runner was tampered with before this run began (by an earlier one): a fresh one runs it
    if (res === 'retry') res = await this.runOnce(run, given);
    // the spare starts (or a used one is replaced) after the run, not during it: two Pythons share the CPU
    setTimeout(() => this.refill(), 0);
    return res === 'retry' ? { outcome: { ok: false, error: 'the code runner could not be started cleanly' } } : res;
  }

  private async runOnce(run: ExerciseRun, given: readonly GradName[]): Promise<RunResult | 'retry'> {
    const slot = this.pick(new Set(given));
    if (!slot.loaded) this.onState('loading Python…');
    try {
      await slot.ready;
    } catch (e) {
      return { outcome: { ok: false, error: e instanceof Error ? e.message : String(e) } };
    }
    this.onState('');
    for (const g of given) slot.seen.add(g);
    const id = this.nextId++;
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
    const message: ExerciseRequest = { type: 'run', id, run: { ...run, tensors: run.tensors.map((t) => ({ ...t, data: t.data.slice() })) } };
    const transfer = message.run.tensors.map((t) => t.data.buffer as ArrayBuffer);
    slot.used = true;
    this.post(slot, message, transfer);
    const timeout = (ms: number): Promise<'timeout'> => new Promise((r) => setTimeout(() => r('timeout'), ms));
    // a runner that does not even begin the run stopped answering (its onmessage replaced by an earlier run's
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
      if (slot.interrupt) {
        this.toHost({ type: 'interrupt', rid: slot.rid });
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

  /**
   * Exercise 4: trains on a runner of its own (one that has run nothing yet, if there is one), which is ended
   * when the training ends. `onEvent` gets every progress report; a slice that takes longer than the
   * time limit is interrupted, or its runner ended.
   */
  train(run: TrainRun, onEvent: (e: TrainEvent) => void): Training {
    // a runner that has run nothing yet (the spare, or an active one that was only warmed): no third Python
    const fresh = (s: Slot | null): s is Slot => s !== null && !s.dead && s.seen.size === 0 && !s.used;
    let slot: Slot;
    if (fresh(this.spare)) {
      slot = this.spare;
      this.spare = null;
      this.onSpare(false);
    } else if (fresh(this.active)) {
      slot = this.active;
      this.active = null;
    } else {
      slot = this.spawn();
    }
    const id = this.nextId++;
    let stopAsked = false;
    let watchdog = 0;
    let finish: (e: TrainEvent) => void = () => undefined;
    const finished = new Promise<TrainEvent>((resolve) => {
      finish = (e) => {
        clearTimeout(watchdog);
        slot.onTrain = null;
        this.kill(slot);
        this.refill();
        onEvent(e);
        resolve(e);
      };
    });
    const arm = (): void => {
      clearTimeout(watchdog);
      watchdog = window.setTimeout(() => {
        if (slot.interrupt) this.toHost({ type: 'interrupt', rid: slot.rid });
        watchdog = window.setTimeout(() => finish({
          type: 'error', exercise: '', error: `a training step ran for more than ${TRAIN_SILENCE_MS / 1000} s and the runner was ended (an endless loop?)`,
        }), INTERRUPT_GRACE_MS);
      }, TRAIN_SILENCE_MS);
    };
    slot.onTrain = (m) => {
      const r = m as Record<string, unknown> | null;
      if (typeof r !== 'object' || r === null || r.secret !== slot.secret || r.id !== id) {
        if (r?.type !== 'train-error' || r.id !== 0) finish({ type: 'error', exercise: '', error: 'the code runner sent a message it did not write: the training was ended' });
        else finish({ type: 'error', exercise: '', error: String(r.error) });
        return;
      }
      if (r.type === 'train-progress' && typeof r.step === 'number' && Array.isArray(r.losses) && r.losses.every((x) => typeof x === 'number')) {
        arm();
        onEvent({ type: 'progress', step: r.step, losses: r.losses as number[], forward: String(r.forward) });
      } else if (r.type === 'train-done' && typeof r.step === 'number' && Array.isArray(r.params) && r.params.length === 7 &&
        r.params.every((p) => typeof p === 'object' && p !== null && wellFormedTensor(p as Record<string, unknown>))) {
        finish({ type: 'done', step: r.step, params: r.params as TensorCopy[], stdout: String(r.stdout ?? '').slice(0, 20_000) });
      } else if (r.type === 'train-error' && typeof r.error === 'string') {
        finish({
          type: 'error', exercise: String(r.exercise ?? ''), error: r.error, step: typeof r.step === 'number' ? r.step : undefined,
          missing: typeof r.missing === 'string' ? r.missing : undefined, stdout: String(r.stdout ?? '').slice(0, 20_000),
        });
      } else {
        finish({ type: 'error', exercise: '', error: 'the code runner sent a malformed message: the training was ended' });
      }
    };
    void (async () => {
      if (!slot.loaded) this.onState('loading Python…');
      try {
        await slot.ready;
      } catch (e) {
        finish({ type: 'error', exercise: '', error: e instanceof Error ? e.message : String(e) });
        return;
      }
      this.onState('');
      if (slot.dead) return;
      const message: ExerciseRequest = { type: 'train', id, run };
      const transfer = [...run.params.map((t) => t.data.buffer), run.X.data.buffer, run.Y.data.buffer] as ArrayBuffer[];
      slot.used = true;
      arm();
      this.post(slot, message, transfer);
      if (stopAsked) this.post(slot, { type: 'train-stop', id });
    })();
    return {
      stop: () => {
        stopAsked = true;
        if (slot.used) this.post(slot, { type: 'train-stop', id });
      },
      finished,
    };
  }
}
