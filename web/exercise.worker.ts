// The exercise runner: CPython (the notebook's runtime) with our torch, one submission per message, each in a
// fresh namespace (python/_bpn_exercise.py), and exercise 4's training loop. It reports the answer's dtype,
// shape and values; the page judges them.
//
// It runs in a worker started from a data: URL by a sandboxed iframe (web/exercise-runner.ts): an opaque
// origin of its own, under a policy with no network. So it fetches nothing: Pyodide's files and the memory
// snapshot arrive in the start message, `fetch` is replaced by a lookup in them, the wasm is compiled here,
// and pyodide.asm.mjs is imported from a blob. Nothing it does can reach the lab's storage or another runner.
//
// It also reports what it can see of tampering by the code it ran: self.onmessage replaced, self.close()
// called, postMessage replaced. Every reply carries the secret the page gave at start (kept in this module's
// scope, out of reach of the code it runs through `js`), so a reply forged by replaced JS is told apart.

import { NotebookRuntime, SNAPSHOT_KEY } from '../src/notebook/runtime.js';
import { ExerciseRunner, ExerciseTrainer, type TrainRun } from '../src/notebook/exercise.js';
import type { ExerciseReply, ExerciseRequest, StartRequest } from './exercise-protocol.js';

/** The worker's global scope, as far as this file uses it (the page's tsconfig has no WebWorker lib). */
interface WorkerScope {
  onmessage: ((e: MessageEvent<ExerciseRequest>) => void) | null;
  postMessage(m: unknown, transfer?: Transferable[]): void;
  close(): void;
  fetch: typeof fetch;
}
const scope = self as unknown as WorkerScope;
const realPost = scope.postMessage.bind(scope);
let secret = '';
let closeCalled = false;
let runtime: NotebookRuntime | null = null;
let runner: ExerciseRunner | null = null;
/** what the running code printed (capped): shown under the verdict, never judged */
let printed = '';
const PRINT_CAP = 20_000;
const print = (text: string): void => {
  if (printed.length < PRINT_CAP) printed += text.slice(0, PRINT_CAP - printed.length);
};
const early: Exclude<ExerciseRequest, StartRequest>[] = [];

// self.close() from the code under test: noted (and reported) instead of silently ending this worker with
// the reply unsent; the page ends it.
const noteClose = function close(): void {
  closeCalled = true;
};
Object.defineProperty(Object.getPrototypeOf(scope) as object, 'close', { value: noteClose, configurable: true, writable: true });
scope.close = noteClose;

const post = (m: ExerciseReply, transfer: Transferable[] = []): void => realPost(m, transfer);

const realPostRef = scope.postMessage;

function tampering(): string | null {
  if (scope.onmessage !== onMessage) return 'self.onmessage was replaced';
  if (closeCalled) return 'self.close() was called';
  if (scope.postMessage !== realPostRef) return 'self.postMessage was replaced';
  return null;
}

function run(m: Extract<ExerciseRequest, { type: 'run' }>, rn: ExerciseRunner): void {
  const before = tampering();
  if (before !== null) {
    post({ type: 'result', id: m.id, secret, tampered: before, ran: false, outcome: { ok: false, error: before } });
    return;
  }
  post({ type: 'started', id: m.id, secret });
  printed = '';
  const t0 = performance.now();
  let outcome;
  try {
    outcome = rn.run(m.run);
  } catch (e) {
    outcome = { ok: false as const, error: e instanceof Error ? e.message : String(e) };
  }
  const ms = performance.now() - t0;
  const after = tampering();
  const transfer = outcome.ok ? [outcome.data.buffer] : [];
  post({ type: 'result', id: m.id, secret, tampered: after, ran: true, ms, outcome, stdout: printed }, transfer);
}

// ---- exercise 4: the training loop in slices, so a stop message gets through between them ----------------

/** How long one slice of training steps runs before the worker reports and looks at its messages. */
const SLICE_MS = 80;
let training: { id: number; trainer: ExerciseTrainer; run: TrainRun; stop: boolean; forward: string } | null = null;

function train(m: Extract<ExerciseRequest, { type: 'train' }>, rt: NotebookRuntime): void {
  post({ type: 'started', id: m.id, secret });
  printed = '';
  const trainer = ExerciseTrainer.create(rt);
  const r = trainer.start(m.run);
  if (!r.ok) {
    post({ type: 'train-error', id: m.id, secret, exercise: r.exercise, error: r.error, stdout: printed });
    return;
  }
  training = { id: m.id, trainer, run: m.run, stop: false, forward: r.forward };
  setTimeout(trainSlice, 0);
}

function trainSlice(): void {
  const t = training;
  if (t === null) return;
  if (!t.stop) {
    let r;
    try {
      r = t.trainer.run(SLICE_MS);
    } catch (e) {
      // what Python raised outside the learner's code (an interrupt between two steps): reported, never thrown
      r = { ok: false as const, exercise: '', error: e instanceof Error ? e.message.split('\n').filter((l) => l.trim() !== '').slice(-1)[0] ?? e.message : String(e) };
    }
    if (!r.ok) {
      training = null;
      post({ type: 'train-error', id: t.id, secret, exercise: r.exercise, error: r.error, step: r.step, missing: r.missing, interrupted: r.interrupted, stdout: printed });
      return;
    }
    post({ type: 'train-progress', id: t.id, secret, step: r.step, losses: r.losses, forward: t.forward });
    if (r.step < t.run.steps) {
      setTimeout(trainSlice, 0);
      return;
    }
  }
  training = null;
  let params;
  try {
    params = t.trainer.params();
  } catch (e) {
    post({ type: 'train-error', id: t.id, secret, exercise: '', error: e instanceof Error ? e.message : String(e), stdout: printed });
    return;
  }
  post({ type: 'train-done', id: t.id, secret, step: t.trainer.step, params, stdout: printed }, params.map((p) => p.data.buffer));
}

function handle(m: Exclude<ExerciseRequest, StartRequest>): void {
  if (m.type === 'run') {
    if (runner !== null) run(m, runner);
  } else if (m.type === 'train') {
    if (runtime !== null) train(m, runtime);
  } else if (m.type === 'train-stop' && training !== null && training.id === m.id) {
    training.stop = true;
  }
}

function onMessage(e: MessageEvent<ExerciseRequest>): void {
  const m = e.data;
  if (m.type === 'start') {
    secret = m.secret;
    void start(m);
  } else if (runner === null) {
    early.push(m);
  } else {
    handle(m);
  }
}
scope.onmessage = onMessage;

/** Where Pyodide is told its files are: a name that never resolves; `fetch` answers from the start message. */
const INDEX_URL = 'https://exercise-runner.invalid/pyodide/';

/**
 * Replaces fetch with a lookup in the files handed over (the runner has no network, and needs none), and
 * WebAssembly.instantiateStreaming (what Pyodide calls with fetch's response) with a compile of the bytes.
 */
function serveFiles(m: StartRequest): void {
  const stdlib = m.files['python_stdlib.zip'];
  const wasm = m.files['pyodide.asm.wasm'];
  scope.fetch = (input: RequestInfo | URL): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url === `${INDEX_URL}python_stdlib.zip`) return Promise.resolve(new Response(stdlib, { headers: { 'content-type': 'application/zip' } }));
    if (url === `${INDEX_URL}pyodide.asm.wasm`) return Promise.resolve(new Response(new Uint8Array(0), { headers: { 'content-type': 'application/wasm' } }));
    return Promise.reject(new TypeError(`the exercise runner has no network (${url})`));
  };
  WebAssembly.instantiateStreaming = async (_source, imports) => {
    const module = await WebAssembly.compile(wasm);
    return { module, instance: await WebAssembly.instantiate(module, imports) };
  };
}

async function start(m: StartRequest): Promise<void> {
  const interrupt = m.interrupt === undefined ? undefined : new Int32Array(m.interrupt);
  try {
    serveFiles(m);
    const url = URL.createObjectURL(new Blob([m.files['pyodide.asm.mjs']], { type: 'text/javascript' }));
    const asm = await import(/* @vite-ignore */ url) as { default: NonNullable<Parameters<typeof NotebookRuntime.start>[0]['createPyodideModule']> };
    URL.revokeObjectURL(url);
    const rt = await NotebookRuntime.start({
      snapshot: m.snapshot?.key === SNAPSHOT_KEY ? m.snapshot.bytes : undefined,
      // moved, not copied: 30 MB
      onSnapshot: m.makeSnapshot ? (bytes) => post({ type: 'snapshot', secret, key: SNAPSHOT_KEY, bytes }, [bytes.buffer]) : undefined,
      indexURL: INDEX_URL,
      createPyodideModule: asm.default,
      interruptBuffer: interrupt,
      hooks: { write: (_name, text) => print(text), display: () => undefined, result: () => undefined },
      graphviz: false, // exercises draw no graphs: no Graphviz wasm to compile per runner (nor a chunk it could fetch)
    });
    runtime = rt;
    runner = ExerciseRunner.create(rt);
    post({ type: 'ready', secret, startMs: rt.startMs, fromSnapshot: rt.fromSnapshot });
    for (const q of early.splice(0)) handle(q);
  } catch (err) {
    post({ type: 'fatal', secret, message: err instanceof Error ? err.message : String(err) });
  }
}
