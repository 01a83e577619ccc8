// `npm run bench:page`: the same probe cell in the CLI's runtime (Pyodide in Node) and in the lab's Notebook
// tab (Pyodide in a Chromium module worker), side by side: per-op costs of the Python side (a loop, a small
// tensor op, an iteration of the lecture's dC loop) and of the library's kernels (tanh, matmul, multiply,
// sum, a new tensor) at the exercise-4 step's sizes, so that a gap between the page's steps/s and the CLI's can be placed.
// Needs the built site (`npm run build:web`) and Chromium (/usr/bin/chromium or BPN_CHROMIUM).
//
//   node dist/bench/page-probe.js

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import { NotebookRuntime } from '../src/notebook/runtime.js';
import { pyodideIndexURL } from '../src/node/notebook-worker.js';
import { CHROMIUM, serveSite } from '../test/web/site.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SITE = join(ROOT, 'dist-web');
if (!existsSync(join(SITE, 'pyodide', 'pyodide.asm.wasm')) || !existsSync(CHROMIUM)) {
  console.error(`bench:page needs the built site (npm run build:web: ${SITE}) and Chromium (${CHROMIUM}; apt-get install -y chromium)`);
  process.exit(2);
}

// each line: the best of 7 timed repetitions, per operation
const PROBE = `import time, torch
def t(label, f, n):
    best = 1e9
    for _ in range(7):
        s = time.perf_counter(); f(); best = min(best, time.perf_counter() - s)
    print(f'{label:34s} {best / n * 1e6:8.2f} us')
def loop():
    x = 0
    for i in range(300000): x += i
t('a Python loop iteration', loop, 300000)
a = torch.zeros(10); b = torch.ones(10)
def add():
    for i in range(30000): a + b
t('a + b, 10 elements', add, 30000)
X = torch.zeros(32, 3, dtype=torch.long); D = torch.zeros(32, 3, 10); dC = torch.zeros(27, 10)
def dcl():
    for rep in range(20):
        for k in range(32):
            for j in range(3):
                ix = X[k, j]
                dC[ix] += D[k, j]
t('an iteration of the dC loop', dcl, 96 * 20)
h = torch.randn(32, 200); e = torch.randn(32, 30); W = torch.randn(30, 200)
def f1():
    for _ in range(300): torch.tanh(h)
t('tanh, 32 x 200', f1, 300)
def f2():
    for _ in range(300): e @ W
t('matmul, 32 x 30 @ 30 x 200', f2, 300)
def f3():
    for _ in range(300): h * h
t('multiply, 32 x 200', f3, 300)
def f4():
    for _ in range(300): h.sum(0)
t('sum(0), 32 x 200', f4, 300)
def f5():
    for _ in range(300): torch.empty(32, 200)
t('a new tensor, 32 x 200', f5, 300)
`;

function lines(text: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const l of text.split('\n')) {
    const hit = /^(.+?)\s+([\d.]+) us$/.exec(l.trim());
    if (hit) m.set(hit[1], Number(hit[2]));
  }
  return m;
}

// the CLI's runtime, with an interrupt buffer as the CLI has; the cell twice (the first warms up)
let out = '';
const rt = await NotebookRuntime.start({
  indexURL: pyodideIndexURL(),
  cwd: tmpdir(),
  interruptBuffer: new Int32Array(new SharedArrayBuffer(4)),
  hooks: { write: (_n, text) => { out += text; }, display: () => {}, result: () => {} },
});
rt.runCell(PROBE, 1);
out = '';
rt.runCell(PROBE, 2);
const cli = lines(out);

// the page: a notebook of the same cell twice, Run all, the second cell's output
const server = await serveSite(SITE, 'always');
const profile = mkdtempSync(join(tmpdir(), 'bpn-probe-'));
const ctx = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
let page = '';
try {
  const p = ctx.pages()[0] ?? await ctx.newPage();
  await p.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  await p.getByTestId('tab-notebook').click();
  const cells = [PROBE, PROBE].map((source, i) => ({ cell_type: 'code', id: `probe-${i}`, source, metadata: {}, outputs: [], execution_count: null }));
  const nb = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells };
  await p.getByTestId('notebook-open').setInputFiles({ name: 'probe.ipynb', mimeType: 'application/x-ipynb+json', buffer: Buffer.from(JSON.stringify(nb)) });
  const idle = (): Promise<unknown> => p.waitForFunction(() => document.querySelector<HTMLElement>('[data-testid="notebook-status"]')?.dataset.state === 'idle', undefined, { timeout: 180_000, polling: 1000 });
  await idle();
  await p.getByTestId('notebook-run-all').click();
  // done when the second cell has printed its last line
  await p.waitForFunction(() => (document.querySelector('[data-testid="notebook-output-1"]')?.textContent ?? '').includes('a new tensor'), undefined, { timeout: 180_000, polling: 1000 });
  page = (await p.getByTestId('notebook-output-1').textContent()) ?? '';
} finally {
  await ctx.close();
  server.close();
  rmSync(profile, { recursive: true, force: true });
}
const inPage = lines(page);

console.log(`bench:page: per operation, the CLI's runtime (Node ${process.version}) and the Notebook tab (Chromium), best of 7`);
console.log('');
console.log('| what | CLI runtime | page | page/CLI time |');
console.log('|---|---|---|---|');
for (const [what, us] of cli) {
  const pg = inPage.get(what);
  console.log(`| ${what} | ${us.toFixed(2)} us | ${pg === undefined ? '-' : `${pg.toFixed(2)} us`} | ${pg === undefined ? '-' : (pg / us).toFixed(2)} |`);
}
