// The Notebook tab's files, kept in this browser (IndexedDB): notebooks, data files and folders, as
// JupyterLite keeps them, each under its path in the file area ('data/names.txt'; a record of kind 'folder'
// for each folder, so an empty one is kept too, made for every file's parents as the file is saved). The
// records of the flat store before folders (version 3) are the root's files: their names are their paths. Plus the interpreter's memory snapshot (~30 MB) that makes every
// start after the first one fast. Used by the page and by the notebook worker; every failure is non-fatal
// for the caller (private windows may refuse storage).
//
// Two tabs share this storage. Each stored file has a revision number, raised by every save; a tab saves a
// notebook only over the revision it loaded or last saved (checked and written in one transaction), so a
// stale tab never overwrites another tab's save without a word: it gets the stored version back and asks
// the user. Every change is also announced on a BroadcastChannel, so the other tabs know at once.

import type { Notebook } from '../src/notebook/nbformat.js';

export interface StoredFile {
  /** the file's path in the file area ('makemore_part4_backprop.ipynb', 'data/names.txt'; notebook-protocol.ts isAreaPath) */
  name: string;
  kind: 'notebook' | 'data' | 'folder';
  /** a notebook's cells and outputs (kind 'notebook') */
  nb?: Notebook;
  /** a data file's bytes (kind 'data') */
  bytes?: Uint8Array;
  /** raised by one at every save: a save names the revision it replaces */
  rev: number;
  /** Date.now() of the last save */
  modified: number;
  /** bytes of the file as downloaded (the notebook's JSON, the data's length; 0 for a folder) */
  size: number;
}

/** What a tab tells the others: a file saved, deleted or renamed (by the tab `tab`). */
export type StoreChange =
  | { type: 'saved'; tab: string; name: string; rev: number }
  | { type: 'deleted'; tab: string; name: string }
  | { type: 'renamed'; tab: string; from: string; to: string };

const DB = 'backprop-ninja-notebook';
const VERSION = 3;
type Store = 'files' | 'state' | 'snapshot';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, VERSION);
    req.onupgradeneeded = (e) => {
      const db = req.result;
      for (const s of ['files', 'state', 'snapshot'] as const) {
        if (!db.objectStoreNames.contains(s)) db.createObjectStore(s);
      }
      // version 2 kept one notebook ('current': { name, nb, files }) in 'notebook': its files move over
      if (e.oldVersion >= 1 && db.objectStoreNames.contains('notebook')) {
        const tx = req.transaction;
        if (tx === null) return;
        const get = tx.objectStore('notebook').get('current');
        get.onsuccess = () => {
          const old = get.result as { name?: unknown; nb?: Notebook; files?: { name: string; bytes: Uint8Array }[] } | undefined;
          if (old !== undefined && typeof old.name === 'string' && old.nb !== undefined) {
            const files = tx.objectStore('files');
            const now = Date.now();
            files.put(notebookRecord(old.name, old.nb, 1, now), old.name);
            for (const f of old.files ?? []) files.put(dataRecord(f.name, f.bytes, 1, now), f.name);
            tx.objectStore('state').put(old.name, 'open');
          }
          db.deleteObjectStore('notebook');
        };
      }
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB refused'));
    req.onblocked = () => reject(new Error('IndexedDB is held by an older version of this page in another tab: reload that tab'));
  });
}

function notebookRecord(name: string, nb: Notebook, rev: number, modified: number): StoredFile {
  return { name, kind: 'notebook', nb, rev, modified, size: JSON.stringify(nb, null, 1).length + 1 };
}

function dataRecord(name: string, bytes: Uint8Array, rev: number, modified: number): StoredFile {
  return { name, kind: 'data', bytes, rev, modified, size: bytes.length };
}

/** The keys of `path` and of everything inside it ('a' and 'a/...', not 'ab'). */
const subtree = (path: string): IDBKeyRange => IDBKeyRange.bound(`${path}/`, `${path}/\uffff`);

/** Puts a folder record for each folder above `path` that has none (in the caller's transaction). */
function makeParents(files: IDBObjectStore, path: string): void {
  const parts = path.split('/');
  for (let i = 1; i < parts.length; i++) {
    const dir = parts.slice(0, i).join('/');
    get<StoredFile>(files.get(dir), (f) => {
      if (f === undefined) files.put({ name: dir, kind: 'folder', rev: 1, modified: Date.now(), size: 0 } satisfies StoredFile, dir);
    });
  }
}

/** Runs `f` in one transaction over `stores`; resolves with what `f` resolved once the transaction commits. */
function transact<T>(stores: Store[], mode: IDBTransactionMode, f: (tx: IDBTransaction, done: (v: T) => void) => void): Promise<T> {
  return open().then((db) => new Promise<T>((resolve, reject) => {
    const tx = db.transaction(stores, mode);
    let value: T | undefined;
    let has = false;
    tx.oncomplete = () => {
      db.close();
      if (has) resolve(value as T);
      else reject(new Error('IndexedDB transaction ended without an answer'));
    };
    tx.onerror = () => {
      db.close();
      reject(tx.error ?? new Error('IndexedDB transaction failed'));
    };
    tx.onabort = () => {
      db.close();
      reject(tx.error ?? new Error('IndexedDB transaction aborted'));
    };
    f(tx, (v) => {
      value = v;
      has = true;
    });
  }));
}

function get<T>(req: IDBRequest, then: (v: T | undefined) => void): void {
  req.onsuccess = () => then(req.result as T | undefined);
}

/** Every stored file (notebooks and data), by name. */
export function listFiles(): Promise<StoredFile[]> {
  return transact(['files'], 'readonly', (tx, done) => {
    get<StoredFile[]>(tx.objectStore('files').getAll(), (v) => done((v ?? []).sort((a, b) => a.name.localeCompare(b.name))));
  });
}

export function readFile(name: string): Promise<StoredFile | undefined> {
  return transact(['files'], 'readonly', (tx, done) => get<StoredFile>(tx.objectStore('files').get(name), done));
}

/** The notebook this browser had open last (undefined: none yet). */
export function openName(): Promise<string | undefined> {
  return transact(['state'], 'readonly', (tx, done) => get<string>(tx.objectStore('state').get('open'), done));
}

export function setOpenName(name: string): Promise<void> {
  return transact(['state'], 'readwrite', (tx, done) => {
    tx.objectStore('state').put(name, 'open');
    done(undefined);
  });
}

export type SaveResult = { ok: true; rev: number } | { ok: false; stored: StoredFile | undefined };

/**
 * Saves a notebook over revision `over` (0: a new file that must not exist yet). When the stored revision is
 * another (another tab saved, or deleted it), nothing is written and the stored file comes back.
 */
export function saveNotebook(name: string, nb: Notebook, over: number): Promise<SaveResult> {
  return transact<SaveResult>(['files'], 'readwrite', (tx, done) => {
    const files = tx.objectStore('files');
    get<StoredFile>(files.get(name), (stored) => {
      if ((stored?.rev ?? 0) !== over) {
        done({ ok: false, stored });
        return;
      }
      const rev = over + 1;
      files.put(notebookRecord(name, nb, rev, Date.now()), name);
      makeParents(files, name);
      done({ ok: true, rev });
    });
  }).then((r) => {
    if (r.ok) announce({ type: 'saved', tab: TAB, name, rev: r.rev });
    return r;
  });
}

/** Saves a data file (a new one, or over whatever is stored: the caller asked the user first). */
export function saveData(name: string, bytes: Uint8Array): Promise<number> {
  return transact<number>(['files'], 'readwrite', (tx, done) => {
    const files = tx.objectStore('files');
    get<StoredFile>(files.get(name), (stored) => {
      const rev = (stored?.rev ?? 0) + 1;
      files.put(dataRecord(name, bytes, rev, Date.now()), name);
      makeParents(files, name);
      done(rev);
    });
  }).then((rev) => {
    announce({ type: 'saved', tab: TAB, name, rev });
    return rev;
  });
}

/** Makes a folder (and the folders above it); false when something is stored under that path already. */
export function saveFolder(path: string): Promise<boolean> {
  return transact<boolean>(['files'], 'readwrite', (tx, done) => {
    const files = tx.objectStore('files');
    get<StoredFile>(files.get(path), (stored) => {
      if (stored !== undefined) {
        done(false);
        return;
      }
      files.put({ name: path, kind: 'folder', rev: 1, modified: Date.now(), size: 0 } satisfies StoredFile, path);
      makeParents(files, path);
      done(true);
    });
  }).then((ok) => {
    if (ok) announce({ type: 'saved', tab: TAB, name: path, rev: 1 });
    return ok;
  });
}

/** Deletes a file, or a folder with everything in it. */
export function deleteFile(name: string): Promise<void> {
  return transact<void>(['files'], 'readwrite', (tx, done) => {
    tx.objectStore('files').delete(name);
    tx.objectStore('files').delete(subtree(name));
    done(undefined);
  }).then(() => announce({ type: 'deleted', tab: TAB, name }));
}

/**
 * Renames (or moves) a file, or a folder with everything in it (revisions kept); false (and nothing changed)
 * when `to` exists or `from` does not.
 */
export function renameFile(from: string, to: string): Promise<boolean> {
  return transact<boolean>(['files', 'state'], 'readwrite', (tx, done) => {
    const files = tx.objectStore('files');
    get<StoredFile>(files.get(to), (taken) => {
      if (taken !== undefined || to.startsWith(`${from}/`)) {
        done(false);
        return;
      }
      get<StoredFile>(files.get(from), (f) => {
        if (f === undefined) {
          done(false);
          return;
        }
        const now = Date.now();
        const move = (r: StoredFile): void => {
          const name = to + r.name.slice(from.length);
          files.delete(r.name);
          // the revision stays: a tab with this notebook open follows the rename and saves on over it
          files.put({ ...r, name, modified: now }, name);
        };
        move(f);
        makeParents(files, to);
        if (f.kind !== 'folder') {
          done(true);
          return;
        }
        get<StoredFile[]>(files.getAll(subtree(from)), (inside) => {
          for (const r of inside ?? []) move(r);
          done(true);
        });
      });
    });
  }).then((ok) => {
    if (ok) announce({ type: 'renamed', tab: TAB, from, to });
    return ok;
  });
}

// ---- between tabs ----------------------------------------------------------------------------------------
/** This tab's id in the messages (a tab ignores its own). */
export const TAB = Math.random().toString(36).slice(2);
let channel: BroadcastChannel | null = null;

/** The channel between the tabs (made on first use: the notebook worker, which only keeps the snapshot, has none). */
function tabs(): BroadcastChannel | null {
  if (channel === null && typeof BroadcastChannel !== 'undefined') channel = new BroadcastChannel(DB);
  return channel;
}

function announce(c: StoreChange): void {
  tabs()?.postMessage(c);
}

/** Calls `f` with every change another tab makes. */
export function onStoreChange(f: (c: StoreChange) => void): void {
  const ch = tabs();
  if (ch === null) return;
  ch.onmessage = (e: MessageEvent<StoreChange>) => {
    if (e.data.tab !== TAB) f(e.data);
  };
}

// ---- the interpreter's snapshot (the worker) -----------------------------------------------------------
/** The memory snapshot saved under `key` (runtime.ts's SNAPSHOT_KEY), or undefined. */
export function loadSnapshot(key: string): Promise<Uint8Array | undefined> {
  return transact(['snapshot'], 'readonly', (tx, done) => {
    get<unknown>(tx.objectStore('snapshot').get(key), (v) => done(v instanceof Uint8Array ? v : undefined));
  });
}

/** Keeps one snapshot: the one for `key` (older keys belong to older builds and are dropped). */
export function saveSnapshot(key: string, bytes: Uint8Array): Promise<void> {
  return transact(['snapshot'], 'readwrite', (tx, done) => {
    const s = tx.objectStore('snapshot');
    s.clear();
    s.put(bytes, key);
    done(undefined);
  });
}
