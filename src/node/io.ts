// The only place that touches the file system: reading names and checkpoints, and writing files
// atomically (a temp file beside the target, then rename), so no reader ever sees a half-written file.

import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { buildDataset, parseNames, type Dataset } from '../core/reference/data.js';
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
    case 'ENOSPC': return 'no space left on the device';
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
  inputFile = resolveInput(inputFile); // `-i names`: the cached lecture file, unless a path of that name exists
  return { words: parseNames(readText(inputFile, 'names file'), inputFile), source: inputFile };
}

export function loadDataset(inputFile: string | undefined, blockSize = 3): Dataset {
  const { words, source } = loadNames(inputFile);
  return buildDataset(words, source, { blockSize });
}

/** Writes `data` to `path` through a temp file and a rename: the target is either old or whole. */
export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new UserError(`cannot write ${path}: ${reason(e)}`);
  }
}
