// The lecture's names.txt, one command away: `data --download` fetches it (Node's built-in fetch, no
// dependency), checks it, and stores it in a per-user cache; `data --add FILE` stores a copy obtained some
// other way; `-i names` finds it there. A file is checked before it is kept (sha256, and the line count
// of the lecture's file), and kept atomically: a temp file in the cache directory created exclusively,
// every byte written, fsync, rename. A failed download leaves nothing behind.

import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { UserError } from '../core/errors.js';
import { readBytes } from './io.js';

/** The lecture's data: the makemore repository's names.txt. */
export const LECTURE_NAMES = {
  url: 'https://raw.githubusercontent.com/karpathy/makemore/master/names.txt',
  sha256: '0a30b5557f192f32ab962680889aac5f6fda0f4cecf40a6d0b5694f58ea8cc4d',
  lines: 32033,
  bytes: 228145,
  file: 'names.txt',
} as const;

/** What `-i` accepts for a cached file: `-i names` is the cache's names.txt. */
export const SHORT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/** A body larger than this is refused while it streams in (names.txt is 228 KB). */
export const MAX_BYTES = 16 * 1024 * 1024;

/** How long a download may sit without receiving a byte before it is given up. */
const STALL_MS = 30_000;

export const DOWNLOAD_HINT = 'npx backprop-ninja data --download';

/**
 * The per-user cache: $XDG_CACHE_HOME/backprop-ninja when XDG_CACHE_HOME is set (any platform), else
 * ~/Library/Caches/backprop-ninja on macOS, %LOCALAPPDATA%\backprop-ninja\Cache on Windows, and
 * ~/.cache/backprop-ninja elsewhere.
 */
export function cacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const xdg = env.XDG_CACHE_HOME;
  if (xdg !== undefined && xdg !== '') return join(xdg, 'backprop-ninja');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'backprop-ninja');
  if (platform === 'win32') {
    const local = env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local');
    return join(local, 'backprop-ninja', 'Cache');
  }
  return join(homedir(), '.cache', 'backprop-ninja');
}

/** One line for --help and errors: where the cache is on each platform. */
export const CACHE_PLACES =
  '$XDG_CACHE_HOME/backprop-ninja if set, else ~/.cache/backprop-ninja (Linux), ~/Library/Caches/backprop-ninja (macOS), %LOCALAPPDATA%\\backprop-ninja\\Cache (Windows)';

/** The cached file a short name stands for: `names` is <cache>/names.txt. */
export function cachedPath(short: string): string {
  return join(cacheDir(), `${short}.txt`);
}

/**
 * What `-i VALUE` reads: an existing path always wins; a short name (`names`) that is not a path is the
 * cached file, and when that is missing too, one line says how to get it. Anything else is returned as is
 * (the reader reports a missing file).
 */
export function resolveInput(value: string): string {
  if (existsSync(value) || !SHORT_NAME.test(value)) return value;
  const cached = cachedPath(value);
  if (existsSync(cached)) return cached;
  const how = value === 'names'
    ? `download the lecture's names with: ${DOWNLOAD_HINT}`
    : `store it with: backprop-ninja data --add FILE, or give a path`;
  throw new UserError(`no file '${value}' here and no ${value}.txt in the cache (${cacheDir()}); ${how}`);
}

/**
 * The names file a checkpoint recorded, to read it again. Checkpoints written before train recorded the
 * file it read stored `-i names` as <the directory train ran in>/names; when that path is missing and its
 * last part is a short name with a cached file, the cached file is what that run read.
 */
export function recordedInput(recorded: string): string {
  if (existsSync(recorded)) return recorded;
  const short = basename(recorded);
  return SHORT_NAME.test(short) && existsSync(cachedPath(short)) ? cachedPath(short) : recorded;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Lines as `wc -l` + 1 for a last line without a newline; the lecture's file has 32,033. */
export function countLines(bytes: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 10) n++;
  return bytes.length > 0 && bytes[bytes.length - 1] !== 10 ? n + 1 : n;
}

export interface Expect {
  sha256: string;
  /** the lecture's file only */
  lines?: number;
}

/** The file the default data is checked against; `--sha256 HEX` checks another. */
export function expectation(sha256: string | undefined): Expect {
  if (sha256 === undefined) return { sha256: LECTURE_NAMES.sha256, lines: LECTURE_NAMES.lines };
  const hex = sha256.trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new UserError(`--sha256 must be 64 hex digits, got '${sha256}'`);
  return hex === LECTURE_NAMES.sha256 ? { sha256: hex, lines: LECTURE_NAMES.lines } : { sha256: hex };
}

/** Throws one line when `bytes` (from `from`) is not the expected file. */
export function verify(bytes: Uint8Array, want: Expect, from: string): void {
  if (want.lines !== undefined) {
    const lines = countLines(bytes);
    if (lines !== want.lines) {
      throw new UserError(`${from}: ${lines} lines, expected the lecture's ${want.lines} (truncated or another file?); nothing was kept`);
    }
  }
  const got = sha256Hex(bytes);
  if (got !== want.sha256) {
    throw new UserError(`${from}: sha256 ${got}, expected ${want.sha256} (corrupted or another file?); nothing was kept`);
  }
}

/** The cache's file name for a source: names.txt for the lecture's data, else the source's own name (.txt). */
export function targetName(source: string, want: Expect): string {
  if (want.sha256 === LECTURE_NAMES.sha256) return LECTURE_NAMES.file;
  let base = basename(source.replace(/[?#].*$/, '')).replace(/[^A-Za-z0-9_.-]/g, '_');
  if (base.endsWith('.txt')) base = base.slice(0, -4);
  if (!SHORT_NAME.test(base)) base = 'data';
  return `${base}.txt`;
}

/**
 * <cache>/<name> when it is there and is the expected file (it may have been replaced by hand), else
 * undefined. Read as a regular file under the size cap: a FIFO or a device there is refused, not waited on.
 */
export function cachedCopy(name: string, want: Expect): string | undefined {
  const path = join(cacheDir(), name);
  try {
    const bytes = readBytes(path, 'cached file', MAX_BYTES);
    verify(bytes, want, path);
    return path;
  } catch {
    return undefined;
  }
}

/** Stores `bytes` as <cache>/<name> atomically; returns the path. */
export function storeAtomic(name: string, bytes: Uint8Array): string {
  const dir = cacheDir();
  const target = join(dir, name);
  const tmp = join(dir, `.${name}.${process.pid}.${Date.now()}.tmp`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 }); // a new cache directory is this user's alone
    const fd = openSync(tmp, 'wx', 0o644); // created exclusively: never someone else's file
    try {
      let off = 0;
      while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { force: true });
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(`cannot store ${target}: ${code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (e as Error).message}`);
  }
  try {
    // the rename itself is durable once the directory is synced (POSIX; not possible on Windows)
    const dfd = openSync(dir, 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    // best effort
  }
  return target;
}

function kb(n: number): string {
  return n < 1024 ? `${n} B` : `${(n / 1024).toFixed(0)} KB`;
}

/** Why a fetch failed, in one phrase (the cause's code: ECONNREFUSED, ENOTFOUND, ...). */
export function netReason(e: unknown): string {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return `no data for ${STALL_MS / 1000} s`;
  const code = err.cause?.code;
  switch (code) {
    case 'ECONNREFUSED': return 'connection refused';
    case 'ENOTFOUND': case 'EAI_AGAIN': return 'host not found (offline?)';
    case 'ECONNRESET': return 'connection reset';
    case 'ETIMEDOUT': case 'UND_ERR_CONNECT_TIMEOUT': return 'connection timed out (offline?)';
    case 'UND_ERR_SOCKET': return 'the connection closed before the whole file arrived (truncated)';
    default: return err.cause?.message ?? err.message;
  }
}

export interface DownloadOptions {
  url: string;
  want: Expect;
  /** where the progress line goes (stderr); drawn only on a TTY */
  progress?: NodeJS.WriteStream | { isTTY?: boolean; write(s: string): unknown };
  maxBytes?: number;
}

/** Fetches, verifies and stores; returns the stored path. Every failure is one UserError line; nothing is kept. */
export async function download(opts: DownloadOptions): Promise<string> {
  const { url, want } = opts;
  const max = opts.maxBytes ?? MAX_BYTES;
  const out = opts.progress ?? process.stderr;
  const live = out.isTTY === true;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UserError(`--url: not a URL: '${url}'`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new UserError(`--url must be http(s), got '${url}'`);
  const fail = (why: string): never => {
    if (live) out.write('\r\x1b[2K');
    throw new UserError(`cannot download ${url}: ${why}; nothing was kept`);
  };

  const ctrl = new AbortController();
  let stall = setTimeout(() => ctrl.abort(), STALL_MS);
  const alive = (): void => {
    clearTimeout(stall);
    stall = setTimeout(() => ctrl.abort(), STALL_MS);
  };
  const chunks: Uint8Array[] = [];
  let got = 0;
  try {
    let res: Response;
    try {
      res = await fetch(parsed, { signal: ctrl.signal, redirect: 'follow' });
    } catch (e) {
      return fail(netReason(e));
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      return fail(`HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`);
    }
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (declared > max) {
      await res.body?.cancel().catch(() => undefined);
      return fail(`the server announces ${declared} bytes, over the ${max}-byte limit`);
    }
    const total = Number.isFinite(declared) ? declared : want.sha256 === LECTURE_NAMES.sha256 ? LECTURE_NAMES.bytes : NaN;
    if (res.body === null) return fail('empty response');
    const reader = res.body.getReader();
    let lastDraw = 0;
    for (;;) {
      let r: ReadableStreamReadResult<Uint8Array>;
      try {
        r = await reader.read();
      } catch (e) {
        return fail(`${netReason(e)} after ${got} bytes`);
      }
      if (r.done) break;
      alive();
      got += r.value.length;
      if (got > max) {
        await reader.cancel().catch(() => undefined);
        return fail(`more than ${max} bytes (the limit for a names file)`);
      }
      chunks.push(r.value);
      const now = performance.now();
      if (live && now - lastDraw > 100) {
        lastDraw = now;
        const pct = Number.isFinite(total) && total > 0 ? ` (${Math.min(100, (100 * got) / total).toFixed(0)}%)` : '';
        out.write(`\r\x1b[2Kdownloading ${basename(parsed.pathname)}: ${kb(got)}${Number.isFinite(total) ? ` of ${kb(total)}` : ''}${pct}`);
      }
    }
    if (Number.isFinite(declared) && got !== declared) return fail(`got ${got} of ${declared} bytes (truncated)`);
  } finally {
    clearTimeout(stall);
  }
  if (live) out.write('\r\x1b[2K');
  const bytes = Buffer.concat(chunks, got);
  verify(bytes, want, url);
  return storeAtomic(targetName(parsed.pathname, want), bytes);
}
