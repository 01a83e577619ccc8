// `npm run bench`: training-step time of our engines and of PyTorch (scripts/bench_torch.py, one thread),
// measured in the same run and interleaved (rep by rep) so machine noise hits both; then the evaluation
// forward over the training split. Every fast kernel is validated against ops.ts before it is timed.
//
//   node dist/bench/bench.js [-i names.txt] [--backend wasm|ts|ref|all] [--reps 7] [--ms 300]
//                            [--hidden 64,200,512] [--batch 32,256] [--no-torch] [--json]
//
// A timing is the median over reps of (wall time of a run of steps) / steps; a step is drawBatch + step(lr),
// as in training. steps per run are chosen to last about --ms milliseconds.

import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { buildDataset, drawBatch, parseNames, type Dataset } from '../src/core/reference/data.js';
import { Evaluator } from '../src/core/fast/evaluate.js';
import { initParams, type ModelConfig } from '../src/core/reference/model.js';
import { MT19937 } from '../src/core/random/python.js';
import { Trainer, parseEngine, type Engine } from '../src/core/fast/engines.js';
import { TsTrainer } from './ts-engine.js';
import { validateKernels, type KernelDiff } from './validate.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TORCH_PY = '/usr/bin/python3';

/** The product's engines, and the bench's own 'ts' baseline (ts-engine.ts). */
type BenchEngine = Engine | 'ts';

function parseBenchEngine(s: string): BenchEngine {
  return s === 'ts' ? 'ts' : parseEngine(s);
}

interface Opts {
  input: string;
  engines: BenchEngine[];
  reps: number;
  ms: number;
  hidden: number[];
  batch: number[];
  torch: boolean;
  json: boolean;
}

function parseArgs(argv: string[]): Opts {
  const o: Opts = {
    input: join(ROOT, '..', 'shared', 'data', 'names.txt'), engines: ['wasm', 'ts'], reps: 7, ms: 300,
    hidden: [64, 200, 512], batch: [32, 256], torch: true, json: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = (): string => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`${a} needs a value`);
      return x;
    };
    const nums = (): number[] => v().split(',').map((s) => {
      const n = Number(s);
      if (!Number.isInteger(n) || n < 2) throw new Error(`${a}: bad number ${s}`);
      return n;
    });
    if (a === '-i' || a === '--input') o.input = v();
    else if (a === '--backend') {
      const b = v();
      o.engines = b === 'all' ? ['wasm', 'ts', 'ref'] : b.split(',').map(parseBenchEngine);
    } else if (a === '--reps') o.reps = Number(v());
    else if (a === '--ms') o.ms = Number(v());
    else if (a === '--hidden') o.hidden = nums();
    else if (a === '--batch') o.batch = nums();
    else if (a === '--no-torch') o.torch = false;
    else if (a === '--json') o.json = true;
    else if (a === '--help' || a === '-h') {
      console.log('usage: node dist/bench/bench.js [-i names.txt] [--backend wasm|ts|ref|all|a,b] [--reps N] [--ms MS] [--hidden 64,200,512] [--batch 32,256] [--no-torch] [--json]');
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  return o;
}

/** The PyTorch peer as a line-protocol server (see scripts/bench_torch.py); null where torch is missing. */
class TorchPeer {
  private readonly lines: AsyncIterator<string>;
  private constructor(private readonly proc: ReturnType<typeof spawn>, readonly version: string) {
    this.lines = createInterface({ input: proc.stdout! })[Symbol.asyncIterator]();
  }

  static async start(input: string): Promise<TorchPeer | null> {
    const probe = spawnSync(TORCH_PY, ['-c', 'import torch'], { stdio: 'ignore' });
    if (probe.status !== 0) return null;
    const proc = spawn(TORCH_PY, [join(ROOT, 'scripts', 'bench_torch.py'), input], { stdio: ['pipe', 'pipe', 'inherit'] });
    const peer = new TorchPeer(proc, '');
    const hello = JSON.parse(await peer.next()) as { torch: string };
    return Object.assign(peer, { version: hello.torch });
  }

  private async next(): Promise<string> {
    const r = await this.lines.next();
    if (r.done) throw new Error('bench_torch.py ended early');
    return r.value;
  }

  async ask(cmd: string): Promise<Record<string, number>> {
    this.proc.stdin!.write(`${cmd}\n`);
    return JSON.parse(await this.next()) as Record<string, number>;
  }

  stop(): void {
    this.proc.stdin!.end('quit\n');
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

interface Row {
  hidden: number;
  batch: number;
  engine: BenchEngine | 'torch';
  /** max abs diff of the kernels vs ops.ts (validated before timing); null for torch and ref */
  maxdiff: number | null;
  usPerStep: number;
  stepsPerSec: number;
  /** this row's us/step over torch's at the same size */
  ratio: number | null;
  reps: number[];
}

function runSteps(t: Trainer | TsTrainer, ds: Dataset, rng: MT19937, n: number): number {
  const T = t.cfg.blockSize;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    drawBatch(ds.train, T, rng, t.X, t.Y);
    t.step(0.1);
  }
  return ((performance.now() - t0) * 1000) / n;
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const ds = buildDataset(parseNames(readFileSync(o.input, 'utf8'), o.input), o.input);
  const V = ds.itos.length;
  const log = (s: string): void => {
    if (!o.json) console.log(s);
  };
  const cpu = cpus()[0]?.model ?? 'unknown cpu';
  log(`backprop-ninja bench: ${cpu}, node ${process.version}, one thread; ${ds.train.n} training rows`);
  const torch = o.torch ? await TorchPeer.start(o.input) : null;
  log(torch ? `peer: PyTorch ${torch.version} (scripts/bench_torch.py, torch.set_num_threads(1), manual backward)` : 'peer: PyTorch not found (/usr/bin/python3 -c "import torch" fails): no ratio column');

  // 1. validate every fast kernel before timing anything
  const validation: Record<string, KernelDiff[]> = {};
  for (const e of o.engines) {
    if (e === 'ref') continue;
    for (const H of o.hidden) {
      for (const B of o.batch) {
        const d = validateKernels(e, { V, E: 10, T: 3, H, B });
        validation[`${e} H=${H} B=${B}`] = d;
      }
    }
    const worst = new Map<string, number>();
    for (const [k, ds2] of Object.entries(validation)) {
      if (!k.startsWith(`${e} `)) continue;
      for (const d of ds2) worst.set(d.kernel, Math.max(worst.get(d.kernel) ?? 0, d.maxdiff));
    }
    log(`\nkernels of '${e}' vs ops.ts, max abs diff over all sizes:`);
    for (const [k, v] of worst) log(`  ${k.padEnd(28)} ${v.toExponential(2)}`);
    for (const [k, v] of worst) if (!(v <= 1e-4)) throw new Error(`kernel ${k} of '${e}' disagrees with ops.ts: max abs diff ${v}`);
  }

  // 2. time: for each size, reps interleaved across our engines and torch
  const rows: Row[] = [];
  for (const H of o.hidden) {
    for (const B of o.batch) {
      const cfg: ModelConfig = { vocabSize: V, nEmbd: 10, nHidden: H, blockSize: 3 };
      const trainers = o.engines.map((e) => {
        const p = initParams(cfg, 'float32', new MT19937(42));
        return e === 'ts' ? new TsTrainer(cfg, B, p) : new Trainer(cfg, B, 'float32', p, { engine: e });
      });
      const rng = new MT19937(7);
      // steps per rep: about o.ms of work, from a short warm-up
      const per = trainers.map((t) => {
        runSteps(t, ds, rng, 50);
        const us = runSteps(t, ds, rng, 50);
        return Math.max(20, Math.round((o.ms * 1000) / us));
      });
      const torchSteps = Math.max(20, Math.round(per[0] / 10));
      const times: number[][] = trainers.map(() => []);
      const torchTimes: number[] = [];
      for (let r = 0; r < o.reps; r++) {
        trainers.forEach((t, i) => times[i].push(runSteps(t, ds, rng, per[i])));
        if (torch) torchTimes.push((await torch.ask(`step ${H} ${B} ${torchSteps}`)).us);
      }
      const torchUs = torch ? median(torchTimes) : null;
      trainers.forEach((t, i) => {
        const us = median(times[i]);
        const v = validation[`${t.engine} H=${H} B=${B}`];
        rows.push({
          hidden: H, batch: B, engine: t.engine, maxdiff: v ? Math.max(...v.map((d) => d.maxdiff)) : null,
          usPerStep: us, stepsPerSec: 1e6 / us, ratio: torchUs ? us / torchUs : null, reps: times[i],
        });
      });
      if (torchUs !== null) {
        rows.push({ hidden: H, batch: B, engine: 'torch', maxdiff: null, usPerStep: torchUs, stepsPerSec: 1e6 / torchUs, ratio: 1, reps: torchTimes });
      }
      if (!o.json) {
        for (const r of rows.filter((x) => x.hidden === H && x.batch === B)) console.error(`  measured H=${H} B=${B} ${r.engine}: ${r.usPerStep.toFixed(1)} us`);
      }
    }
  }

  // 3. the evaluation forward over the whole training split, H = 200 (or the middle size asked)
  const He = o.hidden.includes(200) ? 200 : o.hidden[Math.floor(o.hidden.length / 2)];
  const cfgE: ModelConfig = { vocabSize: V, nEmbd: 10, nHidden: He, blockSize: 3 };
  const pE = initParams(cfgE, 'float32', new MT19937(42));
  const mean = new Float32Array(He);
  const vr = new Float32Array(He).fill(1);
  const ev = new Evaluator(cfgE, 'wasm');
  const evalTimes: number[] = [];
  const torchEval: number[] = [];
  let evalLossValue = 0;
  for (let r = 0; r < Math.max(3, Math.min(o.reps, 5)); r++) {
    const t0 = performance.now();
    evalLossValue = ev.loss(pE, mean, vr, ds.train.X, ds.train.Y);
    evalTimes.push(performance.now() - t0);
    if (torch) torchEval.push((await torch.ask(`eval ${He}`)).ms);
  }
  torch?.stop();
  const evalRow = {
    hidden: He, rows: ds.train.n, engine: 'wasm', ms: median(evalTimes), loss: evalLossValue,
    torchMs: torch ? median(torchEval) : null, reps: evalTimes,
  };

  if (o.json) {
    console.log(JSON.stringify({ cpu, node: process.version, torch: torch?.version ?? null, rows, eval: evalRow, validation }, null, 2));
    return;
  }
  console.log('\n| H | B | engine | kernels max abs diff | us/step | steps/s | ours/torch |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(
      `| ${r.hidden} | ${r.batch} | ${r.engine} | ${r.maxdiff === null ? '-' : r.maxdiff.toExponential(1)} | ${r.usPerStep.toFixed(1)} | ` +
      `${Math.round(r.stepsPerSec)} | ${r.ratio === null ? '-' : r.ratio.toFixed(3)} |`,
    );
  }
  console.log(
    `\neval forward, ${evalRow.rows} training rows, H=${He}: ${evalRow.ms.toFixed(1)} ms (wasm, median of ${evalTimes.length})` +
    (evalRow.torchMs !== null ? `; torch ${evalRow.torchMs.toFixed(1)} ms; ratio ${(evalRow.ms / evalRow.torchMs).toFixed(3)}` : ''),
  );
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
