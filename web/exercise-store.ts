// The exercise runners' interpreter snapshot, kept by the page (never by a runner: they have no storage):
// the bytes in an IndexedDB database of their own, their SHA-256 in localStorage. A snapshot is only taken
// from a runner's start, before any learner code ran in it (web/exercise-runner.ts), and only used when its
// digest matches: IndexedDB is shared with the Notebook tab's kernel, whose code has the page's origin,
// while localStorage is out of every worker's reach. A missing, stale or altered snapshot is a cold start.

const DB = 'backprop-ninja-exercise';
const STORE = 'snapshot';
const DIGEST = 'backprop-ninja.exercise.snapshot';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB refused'));
    req.onblocked = () => reject(new Error('IndexedDB is held by another tab'));
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

export async function sha256(bytes: Uint8Array): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The snapshot saved last, with the runtime's SNAPSHOT_KEY it was made under, if its digest is the one
 * recorded; else undefined.
 */
export async function loadRunnerSnapshot(): Promise<{ key: string; bytes: Uint8Array } | undefined> {
  try {
    const rec = JSON.parse(localStorage.getItem(DIGEST) ?? 'null') as { key: string; sha256: string } | null;
    if (rec === null || typeof rec.key !== 'string') return undefined;
    const v = await request<unknown>('readonly', (s) => s.get(rec.key));
    if (!(v instanceof Uint8Array)) return undefined;
    return (await sha256(v)) === rec.sha256 ? { key: rec.key, bytes: v } : undefined;
  } catch {
    return undefined; // no storage (a private window): a cold start each time
  }
}

/** Keeps one snapshot (for `key`), with its digest. Failures are silent: the next start is cold. */
export async function saveRunnerSnapshot(key: string, bytes: Uint8Array): Promise<void> {
  try {
    const digest = await sha256(bytes);
    await request('readwrite', (s) => {
      s.clear();
      return s.put(bytes, key);
    });
    localStorage.setItem(DIGEST, JSON.stringify({ key, sha256: digest }));
  } catch {
    // storage refused or full: nothing kept
  }
}
