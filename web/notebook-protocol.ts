// Messages between the page and the notebook's module worker (web/notebook.worker.ts). The cell messages
// are the runtime's own (src/notebook/protocol.ts, shared with the CLI's worker thread, request ids and
// all); the browser adds the start (where Pyodide's files are, the interrupt buffer) and the data files
// written beside the notebook (and removed, when the user deletes or renames one).

import type { FromWorker, ToWorker } from '../src/notebook/protocol.js';

/** A file the notebook reads, written into the kernel's working directory. */
export interface DataFile {
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
    /** restore the interpreter from the snapshot in IndexedDB, and save one after a start from scratch */
    snapshots: boolean;
  }
  | { type: 'files'; id: number; files: DataFile[]; remove: string[] }
  | ToWorker;

export type NotebookReply = FromWorker | { type: 'written'; id: number; names: string[] };

/** The cells' working directory in the worker's file system. */
export const NOTEBOOK_CWD = '/home/pyodide/notebook';

/** A name a data file may have in the working directory: one path component. */
export const isPlainFileName = (name: string): boolean => /^[^/\\]+$/.test(name) && name !== '.' && name !== '..';
