// The work directory (-o, default `out`): where train writes model.safetensors and loss.svg, and where
// sample and eval find them.

import { closeSync, existsSync, linkSync, mkdirSync, openSync, readFileSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../core/errors.js';
import { pidAlive } from './io.js';

export const MODEL_FILE = 'model.safetensors';
export const CURVE_FILE = 'loss.svg';
/** the one backup generation a fresh run keeps of the checkpoint it replaces */
export const BACKUP_FILE = 'model.prev.safetensors';
export const LOCK_FILE = '.lock';

export function modelPath(workDir: string): string {
  return join(workDir, MODEL_FILE);
}

function why(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'EEXIST': case 'ENOTDIR': return 'a part of the path is a file, not a directory';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EROFS': return 'read-only file system';
    case 'ENOSPC': return 'no space left on the device';
    default: return (e as Error).message;
  }
}

/**
 * Creates the work dir if needed and proves it is writable by creating and removing a probe file, so a bad
 * -o fails before training starts rather than when the first checkpoint is due.
 */
export function ensureWritableDir(dir: string): void {
  try {
    if (existsSync(dir) && !statSync(dir).isDirectory()) {
      throw new UserError(`cannot use work dir ${dir}: it is a file, not a directory; pick another -o/--work-dir`);
    }
    mkdirSync(dir, { recursive: true });
    const probe = join(dir, `.write-probe-${process.pid}`);
    closeSync(openSync(probe, 'wx'));
    rmSync(probe, { force: true });
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`cannot write to work dir ${dir}: ${why(e)}; pick another -o/--work-dir`);
  }
}

interface LockInfo {
  pid: number;
  /** the process's start time (Linux: /proc/PID/stat field 22, clock ticks since boot), or 'unknown' */
  start: string;
}

/** When process `pid` started, as the kernel says; 'unknown' where there is no /proc. */
export function processStart(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // the name in (...) may hold spaces
    return fields[19] ?? 'unknown'; // field 22 overall; fields[0] is field 3
  } catch {
    return 'unknown';
  }
}

function parseLock(text: string): LockInfo | null {
  try {
    const v = JSON.parse(text) as unknown;
    if (typeof v !== 'object' || v === null) return null;
    const { pid, start } = v as Record<string, unknown>;
    if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 0 || typeof start !== 'string') return null;
    return { pid, start };
  } catch {
    return null;
  }
}

/** A lock is stale when its process is gone, or when its pid now belongs to a process that started later. */
function isStale(l: LockInfo): boolean {
  if (!pidAlive(l.pid)) return true;
  const now = processStart(l.pid);
  return now !== 'unknown' && l.start !== 'unknown' && now !== l.start;
}

export interface WorkDirLock {
  /** a line to print, when a stale lock of a crashed run was removed */
  note: string | null;
  release(): void;
}

/**
 * Makes this process the owner of `dir` (which exists) for a run: `dir/.lock` holds {pid, start}. The lock
 * is written to a temp file and hard-linked into place, so it appears whole or not at all and two runs
 * cannot both win. A lock left by a run that died (kill -9, a crash, a reboot) is stale and removed: its pid
 * is not running, or runs a process that started at another time (the pid was reused). Released on exit.
 * Readers (eval, sample) take no lock: every checkpoint write is atomic, so they read the last whole one.
 */
export function lockWorkDir(dir: string): WorkDirLock {
  const lock = join(dir, LOCK_FILE);
  const mine: LockInfo = { pid: process.pid, start: processStart(process.pid) };
  const text = JSON.stringify(mine);
  const tmp = `${lock}.tmp-${process.pid}`;
  let note: string | null = null;
  try {
    rmSync(tmp, { force: true });
    const fd = openSync(tmp, 'wx', 0o644);
    try {
      writeSync(fd, text);
    } finally {
      closeSync(fd);
    }
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(tmp, lock);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw e;
      }
      let held: string;
      try {
        held = readFileSync(lock, 'utf8');
      } catch {
        continue; // released in between: try again
      }
      const other = parseLock(held);
      if (other === null) {
        throw new UserError(`${lock} is not a backprop-ninja lock; if no run uses ${dir}, remove it`);
      }
      if (!isStale(other)) {
        throw new UserError(
          `work dir ${dir} is in use by another run (pid ${other.pid}); wait for it to finish, stop it, or use another -o/--work-dir (eval and sample may read it meanwhile)`,
        );
      }
      // remove it only if it is still the stale one we read (another run may have just done the same)
      if (readFileSync(lock, 'utf8') === held) unlinkSync(lock);
      note = `removed a stale lock of pid ${other.pid} (no longer running) from ${dir}`;
    }
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`cannot lock work dir ${dir}: ${why(e)}; pick another -o/--work-dir`);
  } finally {
    rmSync(tmp, { force: true });
  }
  let held = true;
  const release = (): void => {
    if (!held) return;
    held = false;
    process.removeListener('exit', release);
    try {
      if (readFileSync(lock, 'utf8') === text) unlinkSync(lock);
    } catch {
      // already gone
    }
  };
  process.on('exit', release); // process.exit (a second Ctrl-C) skips finally blocks, not 'exit'
  return { note, release };
}
