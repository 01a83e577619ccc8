// HTTP for the notebook's Python (kagglehub), done by the host. Python in Pyodide has no sockets; the worker
// thread that runs it asks the main thread (a `http` message), then waits on a SharedArrayBuffer for the
// answer, so the call is synchronous for Python. The main thread fetches with Node's fetch (redirects
// followed), streams a download straight to its destination file (a temp file beside it, fsync, rename:
// never half a file), draws a progress line on a terminal, and gives up after 30 s without a byte. Ctrl-C
// while it waits cancels the request (the worker sets the cancel word; the fetch is aborted).
//
// Shared buffer layout (HTTP_BUFFER_BYTES): Int32 [0] state (0 waiting, 1 answered), [1] cancel (1: abort),
// [2] length of the answer; bytes from 16: the answer, JSON (HttpAnswer), UTF-8.

import { closeSync, constants, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename } from 'node:path';
import type { HttpRequest } from './notebook-channel.js';
import { netReason } from './data-cache.js';
import { httpUrl } from '../notebook/http.js';

export const HTTP_BUFFER_BYTES = 16 + (1 << 20);
/** The largest body answered inline (an API's JSON); a download goes to a file instead. */
const MAX_INLINE = (1 << 20) - 4096;
const STALL_MS = 30_000;

export interface HttpAnswer {
  /** HTTP status (0 when no response came) */
  status: number;
  /** the URL after redirects */
  url?: string;
  /** the body as text (inline requests, and error responses, cut to 64 KiB) */
  body?: string;
  /** bytes written to dest */
  bytes?: number;
  /** why there is no answer: offline, refused, cut off, ... (one phrase) */
  error?: string;
  interrupted?: boolean;
}

function kb(n: number): string {
  return n < 1024 * 1024 ? `${(n / 1024).toFixed(0)} KiB` : `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** Performs one request. `cancelled()` is polled while it runs; `progress` receives a line to draw (or ''). */
export async function httpRequest(req: HttpRequest, cancelled: () => boolean, progress: (line: string) => void): Promise<HttpAnswer> {
  const url = httpUrl(req.url);
  if (typeof url === 'string') return { status: 0, error: url };
  const ctrl = new AbortController();
  let why: 'stall' | 'cancel' | undefined;
  let stall = setTimeout(() => ((why = 'stall'), ctrl.abort()), STALL_MS);
  const alive = (): void => {
    clearTimeout(stall);
    stall = setTimeout(() => ((why = 'stall'), ctrl.abort()), STALL_MS);
  };
  const poll = setInterval(() => {
    if (cancelled()) {
      why = 'cancel';
      ctrl.abort();
    }
  }, 50);
  const failed = (e: unknown, after = ''): HttpAnswer =>
    why === 'cancel' ? { status: 0, interrupted: true } : { status: 0, error: `${why === 'stall' ? `no data for ${STALL_MS / 1000} s` : netReason(e)}${after}` };
  let tmp: string | undefined;
  let fd: number | undefined;
  try {
    let res: Response;
    try {
      res = await fetch(url, { headers: req.headers, redirect: 'follow', signal: ctrl.signal });
    } catch (e) {
      return failed(e);
    }
    if (!res.ok || req.dest === undefined) {
      const text = await readText(res, res.ok ? MAX_INLINE : 64 * 1024).catch((e: unknown) => e);
      if (typeof text !== 'string') return failed(text, ' while reading the response');
      if (res.ok && text.length > MAX_INLINE) return { status: res.status, error: `the response is larger than ${kb(MAX_INLINE)}` };
      return { status: res.status, url: res.url, body: text };
    }
    const total = Number(res.headers.get('content-length') ?? NaN);
    tmp = `${req.dest}.tmp-${process.pid}`;
    rmSync(tmp, { force: true });
    fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o644);
    let got = 0;
    let drawn = 0;
    const name = basename(req.dest);
    if (res.body === null) return { status: res.status, error: 'an empty response' };
    const reader = res.body.getReader();
    for (;;) {
      let r: ReadableStreamReadResult<Uint8Array>;
      try {
        r = await reader.read();
      } catch (e) {
        return failed(e, ` after ${got} bytes`);
      }
      if (r.done) break;
      alive();
      for (let off = 0; off < r.value.length;) off += writeSync(fd, r.value, off, r.value.length - off);
      got += r.value.length;
      const now = performance.now();
      if (now - drawn > 100) {
        drawn = now;
        const pct = Number.isFinite(total) && total > 0 ? ` of ${kb(total)} (${Math.min(100, (100 * got) / total).toFixed(0)}%)` : '';
        progress(`downloading ${name}: ${kb(got)}${pct}`);
      }
    }
    if (Number.isFinite(total) && got !== total) return { status: res.status, error: `got ${got} of ${total} bytes (cut off)` };
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, req.dest);
    tmp = undefined;
    return { status: res.status, url: res.url, bytes: got };
  } catch (e) {
    return { status: 0, error: (e as Error).message };
  } finally {
    clearTimeout(stall);
    clearInterval(poll);
    progress('');
    if (fd !== undefined) closeSync(fd);
    if (tmp !== undefined) rmSync(tmp, { force: true });
  }
}

async function readText(res: Response, max: number): Promise<string> {
  if (res.body === null) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let n = 0;
  for (;;) {
    const r = await reader.read();
    if (r.done) break;
    chunks.push(r.value);
    n += r.value.length;
    if (n > max) {
      await reader.cancel().catch(() => undefined);
      break;
    }
  }
  return new TextDecoder().decode(Buffer.concat(chunks, n).subarray(0, Math.min(n, max + 1)));
}

/** The worker's side: posts the request and waits (Atomics.wait) for the main thread's answer. */
export function waitForAnswer(shared: SharedArrayBuffer, interrupt: Int32Array | undefined, post: () => void): HttpAnswer {
  const ctl = new Int32Array(shared, 0, 4);
  Atomics.store(ctl, 0, 0);
  Atomics.store(ctl, 1, 0);
  post();
  let took = false;
  while (Atomics.load(ctl, 0) === 0) {
    Atomics.wait(ctl, 0, 0, 50);
    // Ctrl-C while waiting: cancel the request and take the interrupt (Python raises KeyboardInterrupt)
    if (interrupt !== undefined && Atomics.compareExchange(interrupt, 0, 2, 0) === 2) {
      took = true;
      Atomics.store(ctl, 1, 1);
    }
  }
  const n = Atomics.load(ctl, 2);
  const a = JSON.parse(new TextDecoder().decode(new Uint8Array(shared, 16, n).slice())) as HttpAnswer;
  return took ? { ...a, interrupted: true } : a;
}

/** The main thread's side: answers the request in the shared buffer and wakes the worker. */
export function answer(shared: SharedArrayBuffer, a: HttpAnswer): void {
  const ctl = new Int32Array(shared, 0, 4);
  let bytes = new TextEncoder().encode(JSON.stringify(a));
  if (bytes.length > shared.byteLength - 16) bytes = new TextEncoder().encode(JSON.stringify({ status: a.status, error: 'the answer is too large' }));
  new Uint8Array(shared, 16, bytes.length).set(bytes);
  Atomics.store(ctl, 2, bytes.length);
  Atomics.store(ctl, 0, 1);
  Atomics.notify(ctl, 0);
}

/** Whether the worker asked to cancel the request being answered. */
export function cancelRequested(shared: SharedArrayBuffer): boolean {
  return Atomics.load(new Int32Array(shared, 0, 4), 1) === 1;
}
