// Messages between a notebook runtime running in a worker (a Node worker thread, a browser module worker)
// and the thread that drives it. Python runs off the main thread so the main thread can interrupt it.
//
// Every request carries an id, and its reply, and the output a cell prints while it runs, carry the same id:
// a reply is matched to the request that asked for it, never taken by whoever waits first (the page's data
// files were written while a cell ran, and the cell took the "written" reply for its own). 'ready' answers
// the start; 'fatal' has no id: the worker is unusable and every request still waiting fails.

import type { CellOutcome, StreamName } from './runtime.js';

export type ToWorker =
  | { type: 'run'; id: number; source: string; count: number }
  | { type: 'seed'; id: number; seed: number };

export type FromWorker =
  | { type: 'ready'; startMs: number; python: string; fromSnapshot: boolean }
  | { type: 'stream'; id: number; name: StreamName; text: string }
  | { type: 'display'; id: number; data: Record<string, string> }
  /** the cell's value: IPython's text, and `data` the other types of its bundle (a graphviz graph's SVG) */
  | { type: 'result'; id: number; count: number; text: string; data?: Record<string, string> }
  | { type: 'done'; id: number; outcome: CellOutcome }
  | { type: 'seeded'; id: number; ok: boolean }
  | { type: 'fatal'; message: string };

export type Fatal = { type: 'fatal'; message: string };

/** A request as its sender writes it, before `Requests.ask` gives it its id. */
export type Unsent<T> = T extends unknown ? Omit<T, 'id'> : never;

/**
 * The requests a host has sent and not yet had answered, by id. `ask` numbers a request and returns the
 * promise of its reply; `answer` hands a reply (or an output event) to the request with its id; `failAll`
 * answers every waiting request with a fatal message (the worker died or was ended).
 */
export class Requests<Reply extends { id: number; type: string }, Event extends { id: number } = never> {
  private last = 0;
  private readonly waiting = new Map<number, { resolve: (m: Reply | Fatal) => void; onEvent?: (e: Event) => void }>();

  /** A fresh id and the promise of its reply; `onEvent` gets the output events sent under that id. */
  ask(onEvent?: (e: Event) => void): { id: number; reply: Promise<Reply | Fatal> } {
    const id = ++this.last;
    const reply = new Promise<Reply | Fatal>((resolve) => this.waiting.set(id, { resolve, onEvent }));
    return { id, reply };
  }

  /** An output event for the request `e.id` (dropped when that request is no longer waiting). */
  event(e: Event): void {
    this.waiting.get(e.id)?.onEvent?.(e);
  }

  /** The reply to the request `m.id`; false when no request with that id is waiting. */
  answer(m: Reply): boolean {
    const w = this.waiting.get(m.id);
    if (w === undefined) return false;
    this.waiting.delete(m.id);
    w.resolve(m);
    return true;
  }

  failAll(message: string): void {
    const all = [...this.waiting.values()];
    this.waiting.clear();
    for (const w of all) w.resolve({ type: 'fatal', message });
  }

  get size(): number {
    return this.waiting.size;
  }
}
