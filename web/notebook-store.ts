// The Notebook tab's memory across reloads: the open notebook (cells, outputs, execution counts) and the
// data files dropped beside it, in IndexedDB (a notebook with figures and a names.txt is too big for
// localStorage's few MB). One record; every failure here is non-fatal (private windows may refuse storage).

import type { Notebook } from '../src/notebook/nbformat.js';
import type { DataFile } from './notebook-protocol.js';

export interface SavedNotebook {
  /** the file name it was opened from ('starter.py', 'makemore_part4_backprop.ipynb') */
  name: string;
  nb: Notebook;
  files: DataFile[];
}

const DB = 'backprop-ninja-notebook';
const STORE = 'notebook';
const KEY = 'current';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB refused'));
  });
}

function request<T>(mode: IDBTransactionMode, f: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return open().then((db) => new Promise<T>((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const req = f(tx.objectStore(STORE));
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
  const v = await request<unknown>('readonly', (s) => s.get(KEY));
  return v === undefined ? null : (v as SavedNotebook);
}

export async function save(s: SavedNotebook): Promise<void> {
  await request('readwrite', (st) => st.put(s, KEY));
}
