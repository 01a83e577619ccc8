// Messages between a notebook runtime running in a worker (a Node worker thread, a browser module worker)
// and the thread that drives it. Python runs off the main thread so the main thread can interrupt it.
// A request may carry an id; its reply carries the same id, so a reply is never taken for another's.

import type { CellOutcome, StreamName } from './runtime.js';

export type ToWorker =
  | { type: 'run'; source: string; count: number; id?: number }
  | { type: 'seed'; seed: number; id?: number };

/** An HTTP request the worker's Python asks the host to make (Python has no sockets in Pyodide). */
export interface HttpRequest {
  url: string;
  headers?: Record<string, string>;
  /** the host path to download the body to (written atomically); without it the body is answered inline */
  dest?: string;
}

export type FromWorker =
  | { type: 'ready'; startMs: number; python: string; fromSnapshot: boolean }
  | { type: 'stream'; name: StreamName; text: string }
  | { type: 'display'; data: Record<string, string> }
  | { type: 'result'; count: number; text: string }
  | { type: 'done'; outcome: CellOutcome; id?: number }
  | { type: 'seeded'; ok: boolean; id?: number }
  | { type: 'http'; request: HttpRequest }
  | { type: 'fatal'; message: string };

/**
 * Output posted by the worker and not yet written by the host, in characters: past this the worker waits
 * (Python's print blocks, as on a full pipe), so a cell printing gigabytes runs in bounded memory. The host
 * acknowledges each output message's outputSize once it has written it.
 */
export const FLOW_WINDOW = 8 << 20;

export function outputSize(m: FromWorker): number {
  switch (m.type) {
    case 'stream': return m.text.length;
    case 'result': return m.text.length;
    case 'display': return Object.values(m.data).reduce((n, v) => n + v.length, 0);
    default: return 0;
  }
}
