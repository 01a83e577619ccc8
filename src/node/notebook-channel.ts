// What the CLI's worker thread and its host (notebook-host.ts) exchange beyond the runtime's own messages
// (src/notebook/protocol.ts, shared with the page): the HTTP requests the worker's Python asks the host to
// make (notebook-net.ts), and flow control of the output a cell prints.

import type { FromWorker } from '../notebook/protocol.js';

/** An HTTP request the worker's Python asks the host to make (Python has no sockets in Pyodide). */
export interface HttpRequest {
  url: string;
  headers?: Record<string, string>;
  /** the host path to download the body to (written atomically); without it the body is answered inline */
  dest?: string;
}

/** Every message the Node worker posts. */
export type NodeFromWorker = FromWorker | { type: 'http'; request: HttpRequest };

/**
 * Output posted by the worker and not yet written by the host, in characters: past this the worker waits
 * (Python's print blocks, as on a full pipe), so a cell printing gigabytes runs in bounded memory. The host
 * acknowledges each output message's outputSize once it has written it.
 */
export const FLOW_WINDOW = 8 << 20;

export function outputSize(m: NodeFromWorker): number {
  switch (m.type) {
    case 'stream': return m.text.length;
    case 'result': return m.text.length + Object.values(m.data ?? {}).reduce((n, v) => n + v.length, 0);
    case 'display': return Object.values(m.data).reduce((n, v) => n + v.length, 0);
    default: return 0;
  }
}
