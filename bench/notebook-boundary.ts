// `npm run bench:boundary`: what the notebook runtime costs before any tensor work: its start, and a
// million Python -> JavaScript calls (a no-op; one taking two ints and returning an int), each timed as
// a Python loop minus the same loop with no call. The torch shim crosses this boundary once per op.
//
//   node dist/bench/notebook-boundary.js [--calls 1000000] [--starts 3]

import { NotebookRuntime } from '../src/notebook/runtime.js';
import { pyodideIndexURL } from '../src/node/notebook-worker.js';

function flag(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}

const calls = flag('calls', 1_000_000);
const starts = flag('starts', 3);
const quiet = { write: () => {}, display: () => {}, result: () => {} };

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const fmt = (xs: number[]): string => `median ${(median(xs) / 1000).toFixed(2)} s of ${xs.length} (${xs.map((m) => (m / 1000).toFixed(2)).join(', ')})`;
const startMs: number[] = [];
const snapMs: number[] = [];
let snapshot: Uint8Array | undefined;
let rt: NotebookRuntime | undefined;
for (let i = 0; i < 2 * starts; i++) {
  const fromSnap = i % 2 === 1; // interleaved, so machine noise hits both
  const t0 = performance.now();
  rt = await NotebookRuntime.start({
    indexURL: pyodideIndexURL(),
    hooks: quiet,
    jsModules: { _bpn_bench: { noop: () => undefined, add: (a: number, b: number) => a + b } },
    snapshot: fromSnap ? snapshot : undefined,
    onSnapshot: fromSnap ? undefined : (bytes) => (snapshot = bytes),
  });
  (fromSnap ? snapMs : startMs).push(performance.now() - t0);
  if (fromSnap && !rt.fromSnapshot) throw new Error('the snapshot did not restore');
}
console.log(`start from scratch (loadPyodide to a ready kernel): ${fmt(startMs)}`);
console.log(`start from a memory snapshot (${((snapshot?.length ?? 0) / 2 ** 20).toFixed(0)} MiB):  ${fmt(snapMs)}`);

const py = rt!.py;
const seconds = (code: string): number => Number(py.runPython(code));
py.runPython(`
import time, _bpn_bench
noop, add = _bpn_bench.noop, _bpn_bench.add
def loop_empty(n):
    t = time.perf_counter()
    for i in range(n):
        pass
    return time.perf_counter() - t
def loop_noop(n):
    t = time.perf_counter()
    for i in range(n):
        noop()
    return time.perf_counter() - t
def loop_add(n):
    t = time.perf_counter()
    s = 0
    for i in range(n):
        s = add(s, 1)
    assert s == n, s
    return time.perf_counter() - t
`);
const reps = 3;
const best = (fn: string): number => Math.min(...Array.from({ length: reps }, () => seconds(`${fn}(${calls})`)));
const empty = best('loop_empty');
const noop = best('loop_noop');
const add = best('loop_add');
const us = (s: number): string => ((s * 1e6) / calls).toFixed(3);
console.log(`${calls} calls, best of ${reps}:`);
console.log(`  empty Python loop     ${empty.toFixed(3)} s  (${us(empty)} us per iteration)`);
console.log(`  noop()                ${noop.toFixed(3)} s  (${us(noop - empty)} us per call, loop subtracted)`);
console.log(`  add(int, int) -> int  ${add.toFixed(3)} s  (${us(add - empty)} us per call, loop subtracted)`);
