// The only place that touches the file system: reading names and checkpoints, and writing files
// atomically (every byte to an exclusive temp file, fsync, verify, then rename), so no reader ever sees a
// half-written file and a full disk never replaces a good file with a truncated one.

import {
  closeSync, constants, existsSync, fsyncSync, linkSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync,
  unlinkSync, writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { buildDataset, parseNames, type Dataset } from '../core/reference/data.js';
import { EMBEDDED_SOURCE, embeddedNames } from '../core/reference/embedded.js';
import { UserError } from '../core/errors.js';

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

export function readBytes(path: string, what: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new UserError(`cannot read ${what} ${path}: ${reason(e)}`);
  }
}

export function readText(path: string, what: string): string {
  const bytes = readBytes(path, what);
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

/** The names of `inputFile`, or the embedded default when it is undefined. */
export function loadNames(inputFile: string | undefined): Names {
  if (inputFile === undefined) return { words: embeddedNames(), source: EMBEDDED_SOURCE };
  return { words: parseNames(readText(inputFile, 'names file'), inputFile), source: inputFile };
}

export function loadDataset(inputFile: string | undefined, blockSize = 3): Dataset {
  const { words, source } = loadNames(inputFile);
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

/**
 * The checks before a command writes `out`: never onto a file the command is reading (each given as
 * [path, what]), and never over an existing file unless `force`.
 */
export function requireWritableOut(out: string, reading: readonly [string | undefined, string][], force: boolean): void {
  for (const [path, what] of reading) {
    if (path !== undefined && sameFile(out, path)) {
      throw new UserError(`--out ${out} is the ${what} being read; writing there would replace it; give another --out`);
    }
  }
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
