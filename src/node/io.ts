// The only place that touches the file system: reading names and checkpoints, and writing files
// atomically (every byte to an exclusive temp file, fsync, verify, then rename), so no reader ever sees a
// half-written file and a full disk never replaces a good file with a truncated one.

import {
  closeSync, constants, existsSync, fstatSync, fsyncSync, linkSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync,
  statSync, unlinkSync, writeSync, type Stats,
} from 'node:fs';
import { totalmem } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { buildDataset, STOP, type Dataset } from '../core/reference/data.js';
import { isControl, MAX_VOCAB } from '../core/run/checkpoint.js';
import { formatBytes, MAX_ELEMENTS } from '../core/run/limits.js';
import { EMBEDDED_SOURCE, embeddedNames } from '../core/reference/embedded.js';
import { UserError } from '../core/errors.js';
import { resolveInput } from './data-cache.js';

function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT': return 'no such file or directory';
    case 'EISDIR': return 'it is a directory';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'ENOTDIR': return 'a part of the path is not a directory';
    case 'ENOSPC': case 'EDQUOT': return 'no space left on the device';
    case 'EEXIST': return 'its temp file exists and belongs to another run';
    case 'ELOOP': return 'a symbolic link is in the way';
    case 'EROFS': return 'read-only file system';
    default: return (e as Error).message;
  }
}

/** The default cap of a names file, in MiB (--max-input-mb raises it): names.txt is 0.2 MiB. */
export const DEFAULT_MAX_INPUT_MB = 64;
/** A checkpoint larger than this is refused: the largest model that fits the memory checks is far smaller. */
export const MAX_CHECKPOINT_BYTES = 1024 ** 3;

/** The limits of this process's inputs; the CLI sets them from its flags once, before a command runs. */
export const inputLimits = { namesBytes: DEFAULT_MAX_INPUT_MB * 1024 * 1024 };

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'it is a directory';
  if (st.isFIFO()) return 'not a regular file (a FIFO)';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'not a regular file (a device)';
  if (st.isSocket()) return 'not a regular file (a socket)';
  return 'not a regular file';
}

/**
 * Opens `path` for reading only if it is a regular file no larger than `maxBytes`. O_NONBLOCK so that a
 * FIFO (which would wait forever for a writer) opens at once, and fstat on the open descriptor, so the file
 * checked is the file read. Returns the descriptor and the size.
 */
function openRegular(path: string, what: string, maxBytes: number, hint: string): { fd: number; size: number } {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    throw new UserError(`cannot read ${what} ${path}: ${reason(e)}`);
  }
  const st = fstatSync(fd);
  if (!st.isFile()) {
    closeSync(fd);
    throw new UserError(`cannot read ${what} ${path}: ${kindOf(st)}`);
  }
  if (st.size > maxBytes) {
    closeSync(fd);
    throw new UserError(`${path} is ${formatBytes(st.size)}, above the ${formatBytes(maxBytes)} limit for a ${what}${hint}`);
  }
  return { fd, size: st.size };
}

/** A regular file's bytes, refused past `maxBytes` (default: the checkpoint cap). */
export function readBytes(path: string, what: string, maxBytes = MAX_CHECKPOINT_BYTES): Uint8Array {
  const { fd, size } = openRegular(path, what, maxBytes, '');
  try {
    const buf = Buffer.alloc(size);
    let off = 0;
    while (off < size) {
      const n = readSync(fd, buf, off, size - off, off);
      if (n === 0) break; // shrank while we read: what we have is what there is
      off += n;
    }
    return buf.subarray(0, off);
  } catch (e) {
    throw new UserError(`cannot read ${what} ${path}: ${reason(e)}`);
  } finally {
    closeSync(fd);
  }
}

/**
 * Why another user could have planted or changed `path`'s contents, or null when they could not: the file
 * (st) and its directory must belong to this user (or root, for the directory) and be writable by no one
 * else. Where there are no user ids (Windows), null.
 */
export function plantable(st: Stats, dir: string): string | null {
  const uid = process.getuid?.();
  if (uid === undefined) return null;
  if (st.uid !== uid) return `it belongs to another user (uid ${st.uid})`;
  if ((st.mode & 0o022) !== 0) return 'other users may write to it';
  let d: Stats;
  try {
    d = statSync(dir);
  } catch (e) {
    return `its directory cannot be checked (${reason(e)})`;
  }
  if (d.uid !== uid && d.uid !== 0) return `its directory ${dir} belongs to another user (uid ${d.uid})`;
  if ((d.mode & 0o002) !== 0) return `its directory ${dir} is writable by every user`;
  return null;
}

/**
 * The bytes of a file this user's own cache holds, read only when nothing another user controls could have
 * put them there (plantable), and as a regular file no larger than maxBytes (a FIFO, a device or a symbolic
 * link is refused at open: O_NONBLOCK, O_NOFOLLOW). Returns the bytes or why they are not used.
 */
export function readOwnFile(path: string, maxBytes: number): { bytes: Uint8Array } | { problem: string } {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0));
  } catch (e) {
    return { problem: reason(e) };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { problem: kindOf(st) };
    const why = plantable(st, dirname(path));
    if (why !== null) return { problem: why };
    if (st.size > maxBytes) return { problem: `${formatBytes(st.size)}, above the ${formatBytes(maxBytes)} limit` };
    const buf = Buffer.alloc(st.size);
    let off = 0;
    while (off < st.size) {
      const n = readSync(fd, buf, off, st.size - off, off);
      if (n === 0) break;
      off += n;
    }
    return { bytes: buf.subarray(0, off) };
  } catch (e) {
    return { problem: reason(e) };
  } finally {
    closeSync(fd);
  }
}

/** A regular file's text, strict UTF-8, within the names-file cap (a notebook or a script). */
export function readText(path: string, what: string): string {
  const bytes = readBytes(path, what, inputLimits.namesBytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UserError(`${path}: not valid UTF-8 text; save the ${what} as UTF-8`);
  }
}

export interface Names {
  words: string[];
  source: string;
}

/**
 * A names file read as a stream of 1 MiB chunks (decoded as strict UTF-8 across chunk boundaries), checked
 * line by line: no control characters (they would reach the vocabulary and the printed samples: NUL, ESC,
 * CSI...), no '.', at most MAX_VOCAB - 1 distinct characters. Only the names are kept, never the whole
 * text, so a large file costs about its names, not several copies of itself.
 */
export function readNamesFile(path: string): string[] {
  const hint = '; raise it with --max-input-mb';
  const { fd, size } = openRegular(path, 'names file', inputLimits.namesBytes, hint);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const words: string[] = [];
  const chars = new Set<string>();
  let carry = '';
  let lineNo = 0;
  const line = (raw: string): void => {
    lineNo++;
    const w = raw.trim();
    if (w.length === 0) return;
    for (const ch of w) {
      if (isControl(ch)) {
        const code = ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
        throw new UserError(`${path}:${lineNo}: the name has the control character U+${code}; names are printable text`);
      }
      if (ch === STOP) {
        const shown = w.length > 40 ? `${w.slice(0, 40)}...` : w;
        throw new UserError(`${path}:${lineNo}: the name ${JSON.stringify(shown)} contains '${STOP}', which is the start/stop token; remove it from the name`);
      }
      if (!chars.has(ch)) {
        chars.add(ch);
        if (chars.size > MAX_VOCAB - 1) {
          throw new UserError(`${path}: more than ${MAX_VOCAB - 1} distinct characters (by line ${lineNo}); the vocabulary is capped at ${MAX_VOCAB} tokens with '.'`);
        }
      }
    }
    words.push(w);
  };
  const buf = Buffer.alloc(Math.min(Math.max(size, 1), 1024 * 1024));
  let pos = 0;
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, pos);
      const last = n === 0;
      let text: string;
      try {
        text = decoder.decode(buf.subarray(0, n), { stream: !last });
      } catch {
        throw new UserError(`${path}: not valid UTF-8 text; save the names file as UTF-8`);
      }
      pos += n;
      if (pos > inputLimits.namesBytes) {
        // it grew past the cap after it was opened (or it is a /proc file, whose size reads as 0)
        throw new UserError(`${path} is more than ${formatBytes(inputLimits.namesBytes)}, the limit for a names file${hint}`);
      }
      const parts = (carry + text).split('\n');
      carry = parts.pop()!;
      for (const p of parts) line(p);
      if (last) break;
    }
    line(carry);
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`cannot read names file ${path}: ${reason(e)}`);
  } finally {
    closeSync(fd);
  }
  if (pos === 0) throw new UserError(`${path}: the file is empty; give a text file with one name a line`);
  if (words.length === 0) throw new UserError(`${path}: no usable name (only blank lines); give a text file with one name a line`);
  return words;
}

/** The names of `inputFile`, or the embedded default when it is undefined. */
export function loadNames(inputFile: string | undefined): Names {
  if (inputFile === undefined) return { words: embeddedNames(), source: EMBEDDED_SOURCE };
  inputFile = resolveInput(inputFile); // `-i names`: the cached lecture file, unless a path of that name exists
  return { words: readNamesFile(inputFile), source: inputFile };
}

/**
 * The dataset of `inputFile` with context windows of `blockSize`, after checking that the windows (rows x
 * blockSize int32 ids, plus the targets) fit the memory budget.
 */
export function loadDataset(inputFile: string | undefined, blockSize = 3): Dataset {
  const { words, source } = loadNames(inputFile);
  let rows = 0;
  for (const w of words) rows += w.length + 1; // UTF-16 units: at least the code points
  const need = rows * (blockSize + 1) * 4;
  const budget = memoryBudget();
  if (!(need <= budget) || rows * blockSize > MAX_ELEMENTS) {
    throw new UserError(
      `${source.split(':')[0]}: the context windows (${rows} rows x block size ${blockSize}) need about ${formatBytes(need)}, more than the ${formatBytes(budget)} this run may use; give a smaller --block-size or a smaller names file`,
    );
  }
  return buildDataset(words, source, { blockSize });
}

/** The one system call the atomic write makes to put bytes in a file; tests inject a failing one. */
export type WriteFn = (fd: number, buf: Uint8Array, offset: number, length: number) => number;

export interface WriteOptions {
  write?: WriteFn;
}

/** Whether a process with this pid exists (EPERM: it exists but is not ours). */
export function pidAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes `<name>.tmp-PID` files beside `path` whose writer is gone (a kill -9 mid-save leaves one). A
 * temp file of a live process is its write in progress and stays; one with our own pid is a leftover of
 * an earlier process that had our pid, or something planted: either way not a file we are writing now.
 */
export function removeStaleTemps(path: string): void {
  const dir = dirname(path);
  const prefix = `${basename(path)}.tmp-`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return; // the write itself will say what is wrong with the directory
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const tail = name.slice(prefix.length);
    if (!/^[0-9]{1,10}$/.test(tail)) continue;
    const pid = Number(tail);
    if (pid !== process.pid && pidAlive(pid)) continue;
    try {
      unlinkSync(join(dir, name)); // unlinks a symlink itself, never what it points at
    } catch {
      // gone already, or not ours to remove: the exclusive create below decides
    }
  }
}

/**
 * Writes `data` to `path` so that `path` is always either the old file or the whole new one:
 *   1. a temp file `<path>.tmp-PID` created exclusively (O_CREAT | O_EXCL: a planted symlink or file at
 *      that name is never followed or reused), mode 0644;
 *   2. every byte written, looping over short writes (a nearly full disk takes part of a write, then
 *      fails with ENOSPC; a write that takes nothing is treated as a full disk, not retried forever);
 *   3. fsync, then the temp file read back and compared byte for byte with `data`;
 *   4. only then the rename over `path`, and an fsync of the directory so the rename itself is durable.
 * On any failure the temp file is removed, `path` is untouched, and the UserError says it is kept.
 */
export function writeFileAtomic(path: string, data: Uint8Array | string, opts: WriteOptions = {}): void {
  const write = opts.write ?? ((fd, buf, off, len) => writeSync(fd, buf, off, len));
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const tmp = `${path}.tmp-${process.pid}`;
  removeStaleTemps(path);
  let created = false;
  try {
    const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o644);
    created = true;
    try {
      let off = 0;
      while (off < bytes.length) {
        const n = write(fd, bytes, off, bytes.length - off);
        if (!(n > 0)) throw Object.assign(new Error('the write took no bytes'), { code: 'ENOSPC' });
        off += n;
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    const back = readFileSync(tmp);
    if (back.length !== bytes.length || !back.equals(bytes)) {
      throw Object.assign(new Error(`read back ${back.length} bytes that differ from the ${bytes.length} written`), { code: 'EVERIFY' });
    }
    renameSync(tmp, path);
    created = false;
    syncDir(dirname(path));
  } catch (e) {
    if (created) rmSync(tmp, { force: true });
    const kept = existsSync(path) ? `; the previous ${path} is kept` : '';
    throw new UserError(`cannot write ${path}: ${reason(e)}${kept}`);
  }
}

/** fsync of a directory makes a rename in it durable; not every file system allows it, and that is fine. */
function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // best effort
  }
}

/** Whether `a` and `b` name the same existing file (same device and inode: links and `..` see through). */
export function sameFile(a: string, b: string): boolean {
  try {
    const x = statSync(a);
    const y = statSync(b);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

/** Before anything is read: `out` must not be a file the command reads (each given as [path, what]). */
export function requireNotReading(out: string, reading: readonly [string | undefined, string][]): void {
  for (const [path, what] of reading) {
    if (path !== undefined && sameFile(out, path)) {
      throw new UserError(`--out ${out} is the ${what} being read; writing there would replace it; give another --out`);
    }
  }
}

/** After every flag is checked: `out` is not a directory, and an existing file is replaced only with --force. */
export function requireNoClobber(out: string, force: boolean): void {
  let isDir = false;
  try {
    isDir = statSync(out).isDirectory();
  } catch {
    // missing: fine
  }
  if (isDir) throw new UserError(`cannot write ${out}: it is a directory`);
  if (!force && existsSync(out)) throw new UserError(`${out} exists; add --force to replace it, or give another --out`);
}

/**
 * Keeps `path` as `backup` (one generation: an older backup is replaced): a hard link made under a temp
 * name and renamed into place, so neither name is ever missing or half-written; a copy where links are
 * not allowed.
 */
export function keepBackup(path: string, backup: string): void {
  const tmp = `${backup}.tmp-${process.pid}`;
  removeStaleTemps(backup);
  try {
    try {
      linkSync(path, tmp);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw e;
      writeFileAtomic(backup, readFileSync(path));
      return;
    }
    renameSync(tmp, backup);
  } catch (e) {
    rmSync(tmp, { force: true });
    if (e instanceof UserError) throw e;
    throw new UserError(`cannot keep ${path} as ${backup}: ${reason(e)}; ${path} is untouched`);
  }
}

/**
 * How much memory a model may take: half of this machine's memory, at most 8 GiB (BPN_MEMORY_MB, in
 * MiB, overrides it, e.g. for tests or a shared machine).
 */
export function memoryBudget(): number {
  const env = process.env.BPN_MEMORY_MB;
  if (env !== undefined && env !== '') {
    if (!/^[0-9]{1,9}$/.test(env)) throw new UserError(`BPN_MEMORY_MB must be a whole number of MiB, got ${JSON.stringify(env.slice(0, 20))}`);
    return Number(env) * 1024 * 1024;
  }
  return Math.min(totalmem() / 2, 8 * 1024 ** 3);
}
