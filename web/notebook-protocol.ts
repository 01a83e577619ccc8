// Messages between the page and the notebook's module worker (web/notebook.worker.ts). The cell messages
// are the runtime's own (src/notebook/protocol.ts, shared with the CLI's worker thread, request ids and
// all); the browser adds the start (where Pyodide's files are, the interrupt buffer), the file area's data
// files and folders written at their paths under FILES_ROOT (and removed, when the user deletes or renames
// one), the folder the cells run in (the open notebook's), and the files a cell wrote, sent back to be kept.

import type { FromWorker, ToWorker } from '../src/notebook/protocol.js';

/** A file the notebook reads, written at its path in the file area. */
export interface DataFile {
  /** its path in the file area: 'names.txt', 'data/names.txt' (isAreaPath) */
  name: string;
  bytes: Uint8Array;
}

export type NotebookRequest =
  | {
    type: 'start';
    /** the absolute URL of the folder holding pyodide.asm.wasm, pyodide.asm.mjs and python_stdlib.zip */
    indexURL: string;
    /** [0] = 2 raises KeyboardInterrupt in the running cell; absent when the page is not cross-origin isolated */
    interrupt?: SharedArrayBuffer;
    files: DataFile[];
    /** the file area's folders (empty ones included), parents before children */
    folders: string[];
    /** the folder the cells run in, a path in the file area ('' the root) */
    cwd: string;
    /** restore the interpreter from the snapshot in IndexedDB, and save one after a start from scratch */
    snapshots: boolean;
  }
  /** `remove` (files or folders, with what they hold) goes first, then `folders` are made and `files` written */
  | { type: 'files'; id: number; files: DataFile[]; folders: string[]; remove: string[]; cwd?: string }
  | ToWorker;

/** What a cell changed in the file area (sent before its 'done'): the page keeps it in the browser's storage. */
export interface AreaChanges {
  files: DataFile[];
  folders: string[];
  removed: string[];
}

export type NotebookReply = FromWorker | { type: 'written'; id: number; names: string[] } | ({ type: 'changed'; id: number } & AreaChanges);

/** Where the file area is in the worker's file system: the notebook at 'a/b.ipynb' runs in FILES_ROOT/a. */
export const FILES_ROOT = '/home/pyodide/notebook';

/** A path in the file area: components joined by '/', none empty, '.' or '..', no '\\', at most 1000 characters. */
export const isAreaPath = (path: string): boolean =>
  path.length > 0 && path.length <= 1000 && !path.includes('\\') && path.split('/').every((c) => c !== '' && c !== '.' && c !== '..');

/** The folder holding a path ('' for the root), and its last component. */
export const parentOf = (path: string): string => path.slice(0, Math.max(0, path.lastIndexOf('/')));
export const baseName = (path: string): string => path.slice(path.lastIndexOf('/') + 1);
/** `folder`/`name`, or `name` at the root. */
export const joinArea = (folder: string, name: string): string => (folder === '' ? name : `${folder}/${name}`);
/** Whether `path` is `folder` or inside it. */
export const within = (path: string, folder: string): boolean => path === folder || path.startsWith(`${folder}/`);
