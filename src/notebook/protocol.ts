// Messages between a notebook runtime running in a worker (a Node worker thread, a browser module worker)
// and the thread that drives it. Python runs off the main thread so the main thread can interrupt it.

import type { CellOutcome, StreamName } from './runtime.js';

export type ToWorker =
  | { type: 'run'; source: string; count: number }
  | { type: 'seed'; seed: number };

export type FromWorker =
  | { type: 'ready'; startMs: number; python: string; fromSnapshot: boolean }
  | { type: 'stream'; name: StreamName; text: string }
  | { type: 'display'; data: Record<string, string> }
  | { type: 'result'; count: number; text: string }
  | { type: 'done'; outcome: CellOutcome }
  | { type: 'seeded'; ok: boolean }
  | { type: 'fatal'; message: string };
