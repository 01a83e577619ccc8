// The exercise runner: CPython (the notebook's runtime, web/notebook.worker.ts's loader and snapshot) with our
// torch, one submission per message, each in a fresh namespace (python/_bpn_exercise.py). It reports the
// answer's dtype, shape and values; the page judges them. It also reports what it can see of tampering by
// the code it ran: self.onmessage replaced, self.close() called, postMessage replaced. Every reply carries
// the secret the page gave at start (kept in this closure, out of reach of the code it runs), so a reply
// forged by replaced JS is told apart; the page then replaces this worker.

import { NotebookRuntime, SNAPSHOT_KEY } from '../src/notebook/runtime.js';
import { ExerciseRunner } from '../src/notebook/exercise.js';
import type { ExerciseReply, ExerciseRequest } from './protocol.js';
import { loadSnapshot, saveSnapshot } from './notebook-store.js';

/** The worker's global scope, as far as this file uses it (the page's tsconfig has no WebWorker lib). */
interface WorkerScope {
  onmessage: ((e: MessageEvent<ExerciseRequest>) => void) | null;
  postMessage(m: unknown, transfer?: Transferable[]): void;
  close(): void;
}
const scope = self as unknown as WorkerScope;
const realPost = scope.postMessage.bind(scope);
let secret = '';
let closeCalled = false;
let runner: ExerciseRunner | null = null;
/** what the running code printed (capped): shown under the verdict, never judged */
let printed = '';
const PRINT_CAP = 20_000;
const print = (text: string): void => {
  if (printed.length < PRINT_CAP) printed += text.slice(0, PRINT_CAP - printed.length);
};
const early: Extract<ExerciseRequest, { type: 'run' }>[] = [];

// self.close() from the code under test: noted (and reported) instead of silently ending this worker with
// the reply unsent; the page ends it.
const noteClose = function close(): void {
  closeCalled = true;
};
Object.defineProperty(Object.getPrototypeOf(scope) as object, 'close', { value: noteClose, configurable: true, writable: true });
scope.close = noteClose;

const post = (m: ExerciseReply): void => realPost(m);

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
  realPost({ type: 'result', id: m.id, secret, tampered: after, ran: true, ms, outcome, stdout: printed } satisfies ExerciseReply, transfer);
}

function onMessage(e: MessageEvent<ExerciseRequest>): void {
  const m = e.data;
  if (m.type === 'start') {
    secret = m.secret;
    void start(m);
  } else if (runner === null) {
    early.push(m);
  } else {
    run(m, runner);
  }
}
scope.onmessage = onMessage;

async function start(m: Extract<ExerciseRequest, { type: 'start' }>): Promise<void> {
  const interrupt = m.interrupt === undefined ? undefined : new Int32Array(m.interrupt);
  const snapshot = await loadSnapshot(SNAPSHOT_KEY).catch(() => undefined);
  try {
    const rt = await NotebookRuntime.start({
      snapshot,
      onSnapshot: (bytes) => void saveSnapshot(SNAPSHOT_KEY, bytes).catch(() => undefined),
      indexURL: m.indexURL,
      interruptBuffer: interrupt,
      hooks: { write: (_name, text) => print(text), display: () => undefined, result: () => undefined },
      graphviz: false, // exercises draw no graphs: no Graphviz wasm to fetch and compile per runner
    });
    runner = ExerciseRunner.create(rt);
    post({ type: 'ready', secret, startMs: rt.startMs, fromSnapshot: rt.fromSnapshot });
    for (const q of early.splice(0)) run(q, runner);
  } catch (err) {
    post({ type: 'fatal', secret, message: err instanceof Error ? err.message : String(err) });
  }
}

