// The interpreter's memory snapshot in the per-user cache (a start in ~0.7 s instead of ~3 s). The cache is
// treated as untrusted input: a snapshot is code the runtime will run, so it is read only when this user alone
// could have written it (io.ts plantable: owner, modes, its directory), only as a regular file under a size
// cap (a FIFO or a link to /dev/zero is refused at open), and only when its checksum holds. Anything else is
// a fresh start that writes a good snapshot in its place (atomically: temp file, fsync, read back, rename).
//
// File layout: 'BPNSNAP1' | payload length (u64, little-endian) | sha256(payload) | payload.

import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { readOwnFile, writeFileAtomic } from './io.js';

const MAGIC = Buffer.from('BPNSNAP1', 'latin1');
const HEADER = MAGIC.length + 8 + 32;
/** A snapshot is ~30 MB (the interpreter's memory after start); anything past this is not one of ours. */
export const MAX_SNAPSHOT_BYTES = 512 * 1024 * 1024;

export function encodeSnapshot(payload: Uint8Array): Uint8Array {
  const out = Buffer.alloc(HEADER + payload.length);
  MAGIC.copy(out, 0);
  out.writeBigUInt64LE(BigInt(payload.length), MAGIC.length);
  createHash('sha256').update(payload).digest().copy(out, MAGIC.length + 8);
  out.set(payload, HEADER);
  return out;
}

/** The payload, or why the file is not a whole snapshot of ours. */
export function decodeSnapshot(file: Uint8Array): { payload: Uint8Array } | { problem: string } {
  const b = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  if (b.length < HEADER || !b.subarray(0, MAGIC.length).equals(MAGIC)) return { problem: 'not a backprop-ninja snapshot' };
  const n = b.readBigUInt64LE(MAGIC.length);
  if (n !== BigInt(b.length - HEADER)) return { problem: `truncated or padded (${b.length - HEADER} bytes of ${n})` };
  const payload = new Uint8Array(b.buffer, b.byteOffset + HEADER, b.length - HEADER);
  if (!createHash('sha256').update(payload).digest().equals(b.subarray(MAGIC.length + 8, HEADER))) {
    return { problem: 'its checksum does not match (corrupted)' };
  }
  return { payload };
}

export interface SnapshotRead {
  payload?: Uint8Array;
  /** why a file that was there is not used (it is removed when this user may and it is ours to replace) */
  problem?: string;
  /** whether a new snapshot may be written at this path */
  writable: boolean;
}

/** Reads the snapshot at `path`, if there is one this process can trust. */
export function readSnapshot(path: string): SnapshotRead {
  const dir = dirname(path);
  let dirProblem: string | null;
  try {
    dirProblem = dirTrust(dir);
  } catch {
    return { writable: true }; // no cache directory yet: a fresh start makes it
  }
  if (dirProblem !== null) return { problem: `the cache directory ${dir}: ${dirProblem}`, writable: false };
  const got = readOwnFile(path, MAX_SNAPSHOT_BYTES + HEADER);
  if ('problem' in got) {
    if (got.problem === 'no such file or directory') return { writable: true };
    return { problem: `${path}: ${got.problem}`, writable: replaceable(path) };
  }
  const snap = decodeSnapshot(got.bytes);
  if ('problem' in snap) return { problem: `${path}: ${snap.problem}`, writable: replaceable(path) };
  return { payload: snap.payload, writable: true };
}

/** The directory itself: this user's (or root's, for a shared parent it never writes), writable by no one else. */
function dirTrust(dir: string): string | null {
  const uid = process.getuid?.();
  if (uid === undefined) return null;
  const st = statSync(dir);
  if (st.uid !== uid) return `it belongs to another user (uid ${st.uid})`;
  if ((st.mode & 0o002) !== 0) return 'it is writable by every user';
  return null;
}

/** A bad file in our own directory is replaced by the next good snapshot (rename over it). */
function replaceable(path: string): boolean {
  try {
    const st = statSync(path);
    if (st.isDirectory()) return false;
  } catch {
    // a dangling link or nothing: the rename replaces it
  }
  return true;
}

/**
 * Best effort: a cache that cannot be written only costs the next start its speed. The snapshots of other
 * builds (another key: an upgrade, another version of our modules) are removed, ~30 MB each. Returns why
 * not written, or null.
 */
export function writeSnapshot(path: string, payload: Uint8Array): string | null {
  const dir = dirname(path);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 }); // a new cache directory is this user's alone
    writeFileAtomic(path, encodeSnapshot(payload));
  } catch (e) {
    return (e as Error).message;
  }
  try {
    for (const name of readdirSync(dir)) {
      if (name !== basename(path) && /^pyodide-[0-9.]+-[0-9a-f]{8}\.snapshot$/.test(name)) rmSync(join(dir, name), { force: true });
    }
  } catch {
    // an old snapshot left behind costs disk space only
  }
  return null;
}

/** Removes a snapshot this process found unusable and may replace (so a damaged one never lingers). */
export function dropSnapshot(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // the next good write renames over it anyway
  }
}
