// The work directory (-o, default `out`): where train writes model.safetensors and loss.svg, and where
// sample and eval find them.

import { closeSync, existsSync, mkdirSync, openSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../core/errors.js';

export const MODEL_FILE = 'model.safetensors';
export const CURVE_FILE = 'loss.svg';

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
