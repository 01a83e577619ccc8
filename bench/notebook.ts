// `npm run bench:notebook`: the lecture's notebook in our runtime (Pyodide + the TypeScript torch) and in
// Debian's PyTorch (/usr/bin/python3, one thread), side by side on the same machine in the same run: the
// runtime's start, the exercise-1 cell, and exercise 4 (the training loop as written, its Python dC loop
// included) at --steps steps, extrapolated to the lecture's 200,000. Then, from a second run of exercise 4
// with every bridge call counted and timed, where a step's time goes: the TypeScript library, the boundary
// (the calls counted, times the measured cost of an empty call), and the Python interpreter (the rest).
//
//   node dist/bench/notebook.js [--steps 2000] [--notebook PATH.ipynb] [-i names.txt] [--no-torch] [--no-count] [--json]
//
// --no-count skips the second, counted run (no breakdown).
//
// The lecture's notebook is not part of the repository: pass it with --notebook (default
// ../shared/notebooks/makemore_part4_backprop.ipynb beside the repo). Both sides run the same cell sources.

import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NotebookRuntime } from '../src/notebook/runtime.js';
import { jsModules } from '../src/notebook/jsmodules.js';
import { pyodideIndexURL } from '../src/node/notebook-worker.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const arg = (name: string, def: string): string => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : def;
};
const steps = Number(arg('--steps', '2000'));
const nbPath = arg('--notebook', join(ROOT, '..', 'shared', 'notebooks', 'makemore_part4_backprop.ipynb'));
const namesPath = arg('-i', join(ROOT, '..', 'shared', 'data', 'names.txt'));
const withTorch = !process.argv.includes('--no-torch');
const json = process.argv.includes('--json');
const log = (s: string): void => {
  if (!json) console.log(s);
};

if (!existsSync(nbPath) || !existsSync(namesPath)) {
  console.error(`bench:notebook needs the lecture's notebook and names.txt: --notebook PATH.ipynb -i names.txt (looked for ${nbPath} and ${namesPath})`);
  process.exit(2);
}

interface Cell {
  cell_type: string;
  source: string | string[];
}
const cells = (JSON.parse(readFileSync(nbPath, 'utf8')) as { cells: Cell[] }).cells
  .filter((c) => c.cell_type === 'code')
  .map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source));
const find = (prefix: string): number => {
  const i = cells.findIndex((c) => c.trimStart().startsWith(prefix));
  if (i < 0) throw new Error(`the notebook has no cell starting with ${JSON.stringify(prefix)}`);
  return i;
};
const ex1 = find('# Exercise 1');
const ex4 = find('# Exercise 4');
const setup = cells.slice(0, ex1).map((c) => c.replace(/^%.*$/gm, ''));
const ex1Src = cells[ex1];
const ex4Src = cells[ex4].replace(/max_steps = 200000/, `max_steps = ${steps}`);
if (ex4Src === cells[ex4]) throw new Error("exercise 4 has no 'max_steps = 200000' line to lower");

const work = mkdtempSync(join(tmpdir(), 'bpn-bench-nb-'));
copyFileSync(namesPath, join(work, 'names.txt'));

// ---------------------------------------------------------------------------------------------------------
// ours: the bridge wrapped so that every call is counted and its time inside TypeScript summed

let calls = 0;
let insideMs = 0;
let counting = false;
function instrument(mod: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(mod)) {
    if (typeof v !== 'function') {
      out[k] = v;
      continue;
    }
    const f = v as (...a: unknown[]) => unknown;
    out[k] = (...a: unknown[]): unknown => {
      if (!counting) return f(...a);
      calls++;
      const t0 = performance.now();
      try {
        return f(...a);
      } finally {
        insideMs += performance.now() - t0;
      }
    };
  }
  return out;
}

const quiet = { write: () => {}, display: () => {}, result: () => {} };
const t0 = performance.now();
const torchMod = instrument(jsModules({ seed: 42n })._bpn_torch as Record<string, unknown>);
const rt = await NotebookRuntime.start({
  indexURL: pyodideIndexURL(),
  hooks: quiet,
  cwd: work,
  jsModules: { _bpn_torch: torchMod, _bpn_bench: { noop: () => undefined } },
  setup: (py) => {
    py.mountNodeFS(work, work);
  },
});
const startMs = performance.now() - t0;
const run = (src: string, n: number): number => {
  const s = performance.now();
  const r = rt.runCell(src, n);
  if (r.status !== 'ok') throw new Error(`cell ${n} failed: ${r.evalue}\n${r.traceback.join('\n')}`);
  return performance.now() - s;
};
setup.forEach((c, i) => run(c, i + 1));
const ex1Ms = run(ex1Src, 90);
// the empty call's cost, measured in this process: a Python loop of calls minus the same loop without
rt.runCell('import _bpn_bench, time\n_nop = _bpn_bench.noop\n_t = time.perf_counter()\nfor _i in range(200000): _nop()\n_a = time.perf_counter() - _t\n_t = time.perf_counter()\nfor _i in range(200000): pass\n_b = time.perf_counter() - _t\n_bpn_bench_us = (_a - _b) / 200000 * 1e6', 91);
const callUs = Number(rt.py.globals.get('_bpn_bench_us'));
// exercise 4 timed as it runs for a user (no instrumentation); then once more with every bridge call
// counted and timed, for the breakdown (that run's own time, inflated by the timing, is not reported)
const cpu0 = process.cpuUsage();
const ex4Ms = run(ex4Src, 92);
const cpu = process.cpuUsage(cpu0);
// this process's CPU time over the cell (user + system; Node's GC threads included)
const ex4CpuMs = (cpu.user + cpu.system) / 1000;
let countedMs = 0;
if (!process.argv.includes('--no-count')) {
  counting = true;
  countedMs = run(ex4Src, 93);
  counting = false;
}
rmSync(work, { recursive: true, force: true });

// ---------------------------------------------------------------------------------------------------------
// PyTorch: the same cells, timed per cell, one thread

interface TorchTimes {
  version: string;
  startMs: number;
  ex1Ms: number;
  ex4Ms: number;
  ex4CpuMs: number;
}
let torch: TorchTimes | null = null;
if (withTorch) {
  const dir = mkdtempSync(join(tmpdir(), 'bpn-bench-torch-'));
  copyFileSync(namesPath, join(dir, 'names.txt'));
  writeFileSync(join(dir, 'cells.json'), JSON.stringify({ setup, ex1: ex1Src, ex4: ex4Src }));
  const py = [
    'import json, time, os, sys',
    't0 = time.perf_counter()',
    'import torch',
    'torch.set_num_threads(1)',
    'start = time.perf_counter() - t0',
    "cells = json.load(open('cells.json'))",
    "import matplotlib; matplotlib.use('Agg')",
    'ns = {}',
    "for c in cells['setup']: exec(compile(c, 'cell', 'exec'), ns)",
    "def timed(src):\n    t = time.perf_counter(); c = time.process_time(); exec(compile(src, 'cell', 'exec'), ns); return time.perf_counter() - t, time.process_time() - c",
    'import io, contextlib',
    'with contextlib.redirect_stdout(io.StringIO()):',
    "    e1 = timed(cells['ex1'])[0]; e4, c4 = timed(cells['ex4'])",
    "print(json.dumps({'version': torch.__version__, 'startMs': start * 1e3, 'ex1Ms': e1 * 1e3, 'ex4Ms': e4 * 1e3, 'ex4CpuMs': c4 * 1e3}))",
  ].join('\n');
  const r = spawnSync('/usr/bin/python3', ['-c', py], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 24 });
  rmSync(dir, { recursive: true, force: true });
  if (r.status === 0) torch = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as TorchTimes;
  else log(`PyTorch peer failed or missing (/usr/bin/python3 with python3-torch): ${r.stderr.trim().split('\n').pop()}`);
}

// ---------------------------------------------------------------------------------------------------------

const perStepUs = (ms: number): number => (ms * 1000) / steps;
const full = (ms: number): number => (ms / steps) * 200_000 / 1000;
const ratio = (a: number, b: number | undefined): string => (b ? (a / b).toFixed(2) : '-');
const stepUs = perStepUs(ex4Ms);
const countedUs = perStepUs(countedMs);
const callsPerStep = calls / steps;
const insideUs = (insideMs * 1000) / steps;
const boundaryUs = callsPerStep * callUs;
// the rest of the counted run's step; the timing's own cost (two clock reads a call) falls in here
const pythonUs = Math.max(0, countedUs - insideUs - boundaryUs);
const result = {
  steps, node: process.version, torchVersion: torch?.version ?? null,
  ours: { startMs, ex1Ms, ex4Ms, ex4CpuMs, stepUs, stepCpuUs: perStepUs(ex4CpuMs), full200kS: full(ex4Ms) },
  torch: torch && { startMs: torch.startMs, ex1Ms: torch.ex1Ms, ex4Ms: torch.ex4Ms, ex4CpuMs: torch.ex4CpuMs, stepUs: perStepUs(torch.ex4Ms), stepCpuUs: perStepUs(torch.ex4CpuMs), full200kS: full(torch.ex4Ms) },
  breakdown: { countedStepUs: countedUs, callsPerStep, callUs, insideUs, boundaryUs, pythonUs },
};
if (json) {
  console.log(JSON.stringify(result, null, 2));
} else {
  log(`bench:notebook: ${steps} steps of exercise 4 (n_hidden 200, batch 32), node ${process.version}${torch ? `, PyTorch ${torch.version} (one thread)` : ''}`);
  log('');
  log('| what | ours | PyTorch | ours/PyTorch |');
  log('|---|---|---|---|');
  log(`| start (runtime / import torch) | ${(startMs / 1000).toFixed(2)} s | ${torch ? (torch.startMs / 1000).toFixed(2) + ' s' : '-'} | ${ratio(startMs, torch?.startMs)} |`);
  log(`| exercise-1 cell | ${(ex1Ms / 1000).toFixed(3)} s | ${torch ? (torch.ex1Ms / 1000).toFixed(3) + ' s' : '-'} | ${ratio(ex1Ms, torch?.ex1Ms)} |`);
  log(`| exercise 4, ${steps} steps | ${(ex4Ms / 1000).toFixed(2)} s | ${torch ? (torch.ex4Ms / 1000).toFixed(2) + ' s' : '-'} | ${ratio(ex4Ms, torch?.ex4Ms)} |`);
  log(`| per step | ${stepUs.toFixed(0)} us (CPU ${perStepUs(ex4CpuMs).toFixed(0)} us) | ${torch ? `${perStepUs(torch.ex4Ms).toFixed(0)} us (CPU ${perStepUs(torch.ex4CpuMs).toFixed(0)} us)` : '-'} | ${ratio(ex4CpuMs, torch?.ex4CpuMs)} (CPU) |`);
  log(`| 200,000 steps (extrapolated) | ${full(ex4Ms).toFixed(0)} s | ${torch ? full(torch.ex4Ms).toFixed(0) + ' s' : '-'} | |`);
  if (calls === 0) process.exit(0); // --no-count: no breakdown
  log('');
  log(`where a step's time goes, from a second run with every call into TypeScript counted and timed (${countedUs.toFixed(0)} us a step`);
  log(`with that timing; ${callsPerStep.toFixed(0)} calls a step):`);
  log(`  TypeScript (the library: kernels, autograd bookkeeping, allocation)  ${insideUs.toFixed(0)} us (${((100 * insideUs) / countedUs).toFixed(0)}%)`);
  log(`  the boundary (${callsPerStep.toFixed(0)} calls x ${callUs.toFixed(2)} us, an empty call's cost)      ${boundaryUs.toFixed(0)} us (${((100 * boundaryUs) / countedUs).toFixed(0)}%)`);
  log(`  Python (the interpreter running the cell and the shim; the timing)    ${pythonUs.toFixed(0)} us (${((100 * pythonUs) / countedUs).toFixed(0)}%)`);
  if (torch) log(`Python and the boundary alone: ${(pythonUs + boundaryUs).toFixed(0)} us a step; PyTorch's whole step: ${perStepUs(torch.ex4Ms).toFixed(0)} us`);
}
