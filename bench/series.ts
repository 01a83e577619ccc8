// `npm run bench:series`: whole lecture notebooks, start-up included, in `backprop-ninja notebook` and in
// Debian's PyTorch 1.13 (an IPython shell running the same cells, bench/python/run_notebook.py: with
// PyTorch's default threads and with one), side by side on the same machine in the same run. Each notebook's
// training loop is lowered by one mechanical edit (`max_steps = 200000` -> --steps), the same on both sides;
// everything else runs as written, to the end or to the first cell that raises (where Jupyter's Run all and
// the CLI stop), which the table names. Wall time and peak RSS (/usr/bin/time) per run.
//
//   node dist/bench/series.js [--steps 20000] [--notebooks part3,part4,part5] [-i names.txt] [--reps 1] [--json]
//
// names.txt: -i, else ../shared/data/names.txt beside the repository, else lectures/names.txt.

import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const arg = (name: string, def: string): string => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : def;
};
const steps = Number(arg('--steps', '20000'));
const reps = Number(arg('--reps', '1'));
const json = process.argv.includes('--json');
const FILES: Record<string, string> = {
  part2: 'makemore_part2_mlp.ipynb',
  part3: 'makemore_part3_bn.ipynb',
  part4: 'makemore_part4_backprop.ipynb',
  part5: 'makemore_part5_cnn1.ipynb',
};
const wanted = arg('--notebooks', 'part4,part3,part5').split(',');
const namesPath = [arg('-i', ''), join(ROOT, '..', 'shared', 'data', 'names.txt'), join(ROOT, 'lectures', 'names.txt')]
  .find((p) => p !== '' && existsSync(p));
for (const w of wanted) {
  if (!(w in FILES)) {
    console.error(`bench:series: no notebook '${w}' (choose from ${Object.keys(FILES).join(', ')})`);
    process.exit(2);
  }
}
if (!Number.isInteger(steps) || steps < 1 || !Number.isInteger(reps) || reps < 1) {
  console.error('bench:series: --steps and --reps take a positive whole number');
  process.exit(2);
}
if (namesPath === undefined) {
  console.error("bench:series: needs the lecture's names.txt: -i names.txt (or npx backprop-ninja data --download and pass its path)");
  process.exit(2);
}
const log = (s: string): void => {
  if (!json) console.log(s);
};

/** The notebook with its training loops lowered: every `max_steps = 200000` / `range(200000)` -> steps. */
function lowered(file: string): string {
  const text = readFileSync(join(ROOT, 'lectures', file), 'utf8');
  const out = text.replaceAll('max_steps = 200000', `max_steps = ${steps}`).replaceAll('range(200000)', `range(${steps})`);
  if (out === text) throw new Error(`${file}: no training loop of 200,000 steps to lower`);
  return out;
}

interface Run { seconds: number; rssMb: number; outcome: string }

/** argv under /usr/bin/time in dir: wall seconds, peak RSS, and how it ended. */
function timed(argv: string[], dir: string, outcome: (status: number | null, stderr: string) => string): Run {
  const timeFile = join(dir, 'time.txt');
  const r = spawnSync('/usr/bin/time', ['-o', timeFile, '-f', '%e %M', ...argv], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 });
  const [e, m] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
  return { seconds: e, rssMb: m / 1024, outcome: outcome(r.status, r.stderr ?? '') };
}

const ours = (dir: string, file: string): Run =>
  timed([process.execPath, join(ROOT, 'dist', 'src', 'node', 'cli.js'), 'notebook', file, '--seed', '42'], dir, (status, stderr) => {
    if (status === 0) return 'ran to the end';
    const line = stderr.trim().split('\n').filter((l) => l.startsWith('stopped') || /Error|Exception/.test(l)).pop();
    return `exit ${status}: ${line ?? stderr.trim().split('\n').pop()}`;
  });

const torch = (dir: string, file: string, threads: number | null): Run =>
  timed(['/usr/bin/python3', join(ROOT, 'bench', 'python', 'run_notebook.py'), file, '--seed', '42',
    ...(threads === null ? [] : ['--threads', String(threads)])], dir, (status, stderr) => {
    const last = stderr.trim().split('\n').pop() ?? '';
    try {
      const r = JSON.parse(last) as { cells: number; error: string | null };
      return r.error === null ? `ran to the end (${r.cells} cells)` : `stopped by ${r.error} (cell ${r.cells})`;
    } catch {
      return `failed (exit ${status}): ${last}`;
    }
  });

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

log(`bench:series: ${wanted.join(', ')} at ${steps} training steps, ${reps} rep(s); node ${process.version}, ` +
  `${cpus().length} CPUs (${cpus()[0]?.model}), load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} at the start`);
const table: Record<string, Record<string, Run[]>> = {};
for (const w of wanted) {
  const dir = mkdtempSync(join(tmpdir(), `bpn-bench-series-${w}-`));
  try {
    copyFileSync(namesPath, join(dir, 'names.txt'));
    writeFileSync(join(dir, FILES[w]), lowered(FILES[w]));
    const runs: Record<string, Run[]> = { ours: [], torch: [], torch1: [] };
    for (let r = 0; r < reps; r++) {
      // interleaved, so that a change in the machine's load falls on all three
      runs.torch.push(torch(dir, FILES[w], null));
      runs.ours.push(ours(dir, FILES[w]));
      runs.torch1.push(torch(dir, FILES[w], 1));
    }
    table[w] = runs;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (json) console.log(JSON.stringify({ steps, reps, table }));
log('\n| notebook | PyTorch (default threads) | PyTorch (1 thread) | ours | ours / PyTorch default | ours / PyTorch 1 thread | peak RSS ours / PyTorch |');
log('|---|---|---|---|---|---|---|');
for (const [w, runs] of Object.entries(table)) {
  const s = (k: string): number => median(runs[k].map((x) => x.seconds));
  const m = (k: string): number => median(runs[k].map((x) => x.rssMb));
  log(`| ${FILES[w]} | ${s('torch').toFixed(1)} s | ${s('torch1').toFixed(1)} s | ${s('ours').toFixed(1)} s | ` +
    `${(s('ours') / s('torch')).toFixed(2)} | ${(s('ours') / s('torch1')).toFixed(2)} | ` +
    `${m('ours').toFixed(0)} MB / ${m('torch').toFixed(0)} MB = ${(m('ours') / m('torch')).toFixed(2)} |`);
}
log('\nhow each run ended (the same cell on both sides, or the notebook does not yet run here):');
for (const [w, runs] of Object.entries(table)) {
  log(`  ${w}: ours ${runs.ours[0].outcome}; PyTorch ${runs.torch[0].outcome}`);
}
