// `npm run bench:ops`: micro-ops of the series' notebooks (bench/python/ops_cases.py) timed the same way in
// backprop-ninja's notebook runtime and in Debian's PyTorch 1.13 (/usr/bin/python3, with its default threads
// and with one), side by side in one run on this machine. Each number is the best of five loops of the op,
// per op, in microseconds.
//
//   node dist/bench/ops.js [--json] [--no-torch]

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NotebookRuntime } from '../src/notebook/runtime.js';
import { pyodideIndexURL } from '../src/node/notebook-worker.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CASES = readFileSync(join(ROOT, 'bench', 'python', 'ops_cases.py'), 'utf8');
const json = process.argv.includes('--json');
const withTorch = !process.argv.includes('--no-torch');

type Times = Record<string, number>;

async function ours(): Promise<Times> {
  let out = '';
  const rt = await NotebookRuntime.start({
    indexURL: pyodideIndexURL(),
    hooks: { write: (_n, t) => (out += t), display: () => {}, result: () => {} },
  });
  rt.runCell(`${CASES}\nimport torch\nimport torch.nn.functional as F\nrun(torch, F)`, 1);
  const line = out.trim().split('\n').pop() ?? '';
  if (!line.startsWith('{')) throw new Error(`the runtime's run printed: ${out.slice(-2000)}`);
  return JSON.parse(line) as Times;
}

function pytorch(threads: number | null): Times | null {
  const py = `${CASES}\nimport torch\nimport torch.nn.functional as F\n${threads === null ? '' : `torch.set_num_threads(${threads})\n`}run(torch, F)`;
  const r = spawnSync('/usr/bin/python3', ['-c', py], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) {
    console.error(`PyTorch peer failed or missing (/usr/bin/python3 with python3-torch): ${r.stderr.trim().split('\n').pop()}`);
    return null;
  }
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as Times;
}

const t1 = withTorch ? pytorch(1) : null;
const tAll = withTorch ? pytorch(null) : null;
const o = await ours();
const threadsAll = withTorch ? spawnSync('/usr/bin/python3', ['-c', 'import torch; print(torch.get_num_threads())'], { encoding: 'utf8' }).stdout.trim() : '-';
if (json) {
  console.log(JSON.stringify({ ours: o, torch1: t1, torchDefault: tAll, defaultThreads: threadsAll }, null, 2));
} else {
  const f = (v: number | undefined): string => (v === undefined ? '-' : v >= 1000 ? `${(v / 1000).toFixed(1)} ms` : `${v.toFixed(v < 10 ? 2 : 1)} us`);
  const r = (a: number, b: number | undefined): string => (b === undefined ? '-' : (a / b).toFixed(2));
  console.log(`bench:ops: node ${process.version}; PyTorch ${withTorch ? `1.13 (Debian), 1 thread and its default ${threadsAll}` : 'not run'}; best of 5 loops, per op`);
  console.log('');
  console.log(`| op | PyTorch, 1 thread | PyTorch, ${threadsAll} threads | ours | ours / PyTorch 1 thread | ours / PyTorch ${threadsAll} threads |`);
  console.log('|---|---|---|---|---|---|');
  for (const [name, us] of Object.entries(o)) {
    console.log(`| ${name} | ${f(t1?.[name])} | ${f(tAll?.[name])} | ${f(us)} | ${r(us, t1?.[name])} | ${r(us, tAll?.[name])} |`);
  }
}
