// The Notebook tab's memory across reloads, in IndexedDB (a notebook with figures and a names.txt is too
// big for localStorage's few MB): the open notebook (cells, outputs, execution counts) with the data files
// dropped beside it, and the interpreter's memory snapshot (~30 MB) that makes every start after the first
// one fast. Used by the page and by the notebook worker; every failure is non-fatal for the caller (private
// windows may refuse storage).

import type { Notebook } from '../src/notebook/nbformat.js';
import type { DataFile } from './notebook-protocol.js';

export interface SavedNotebook {
  /** the file name it was opened from ('backprop-ninja-starter.py', 'makemore_part4_backprop.ipynb') */
  name: string;
  nb: Notebook;
  files: DataFile[];
}

const DB = 'backprop-ninja-notebook';
type Store = 'notebook' | 'snapshot';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 2);
    req.onupgradeneeded = () => {
      for (const s of ['notebook', 'snapshot'] as const) {
        if (!req.result.objectStoreNames.contains(s)) req.result.createObjectStore(s);
      }
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB refused'));
    req.onblocked = () => reject(new Error('IndexedDB is held by an older version of this page in another tab'));
  });
}

function request<T>(store: Store, mode: IDBTransactionMode, f: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return open().then((db) => new Promise<T>((resolve, reject) => {
    const tx = db.transaction(store, mode);
    const req = f(tx.objectStore(store));
    tx.oncomplete = () => {
      db.close();
      resolve(req.result);
    };
    tx.onerror = () => {
      db.close();
      reject(tx.error ?? new Error('IndexedDB transaction failed'));
    };
  }));
}

export async function loadSaved(): Promise<SavedNotebook | null> {
  const v = await request<unknown>('notebook', 'readonly', (s) => s.get('current'));
  return v === undefined ? null : (v as SavedNotebook);
}

export async function save(s: SavedNotebook): Promise<void> {
  await request('notebook', 'readwrite', (st) => st.put(s, 'current'));
}

/** The memory snapshot saved under `key` (runtime.ts's SNAPSHOT_KEY), or undefined. */
export async function loadSnapshot(key: string): Promise<Uint8Array | undefined> {
  const v = await request<unknown>('snapshot', 'readonly', (s) => s.get(key));
  return v instanceof Uint8Array ? v : undefined;
}

/** Keeps one snapshot: the one for `key` (older keys belong to older builds and are dropped). */
export async function saveSnapshot(key: string, bytes: Uint8Array): Promise<void> {
  await request('snapshot', 'readwrite', (s) => {
    s.clear();
    return s.put(bytes, key);
  });
}
