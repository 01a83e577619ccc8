// The lab's Notebook tab in a real browser: Debian's Chromium driven by playwright-core over the BUILT site
// (dist-web/, Pyodide's files served from it), cross-origin isolated (COOP/COEP, as `npm run web` and `npm
// run preview:web` serve it: Stop interrupts the cell) and, with ?plain, as a plain static host (Stop ends the
// worker and a fresh kernel starts). Open a .py notebook, run all, read a printed value and a last expression,
// an error's traceback, a figure, Stop an endless loop, a reload keeping the notebook, the download as
// nbformat. Prints the runtime's cold load time and a cell's round trip, and exercise 4's steps/s in the page
// against the CLI's runtime on the same cells (measured, not asserted).
// BPN_SCREENSHOTS=docs writes docs/lab-notebook.png (1280x1040: the starter notebook, its first cells run).

import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { pyodideIndexURL } from '../../src/node/notebook-worker.js';
import { joinSource, parseIpynb, type Notebook } from '../../src/notebook/nbformat.js';
import { NotebookRuntime } from '../../src/notebook/runtime.js';
import { NAMES_TXT, REPO, skipOrFail } from '../helpers.js';
import { CHROMIUM, NO_BROWSER, browserTest, editorContent, editorText, fillEditor, serveSite } from './site.js';

const SITE = join(REPO, 'dist-web');
const SHOTS = process.env.BPN_SCREENSHOTS;

const url = (s: Server, plain = false): string => {
  const a = s.address();
  assert.ok(a !== null && typeof a === 'object');
  return `http://127.0.0.1:${a.port}/index.html${plain ? '?plain' : ''}#notebook`;
};

let server: Server;
let ctx: BrowserContext;
let page: Page;
let profile = '';
const consoleErrors: string[] = [];

const NOTEBOOK = `# %% [markdown]
# # A test notebook

# %%
x = 6 * 7
print('x is', x)

# %%
{'answer': x, 'list': [1, 2.5, 'three']}

# %%
def inner():
    return 1 / 0

def outer():
    return inner()

outer()

# %%
print(open('names.txt').read().split()[:3])
`;

before(async () => {
  if (NO_BROWSER !== undefined) return;
  if (!existsSync(join(SITE, 'pyodide', 'pyodide.asm.wasm'))) assert.fail(`no built site with Pyodide at ${SITE}: run \`npm run build:web\` first (npm test does)`);
  server = await serveSite(SITE, 'unless-plain');
  profile = mkdtempSync(join(tmpdir(), 'bpn-chromium-nb-'));
  ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 800 },
    acceptDownloads: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--no-first-run', '--disable-sync'],
  });
  page = ctx.pages()[0] ?? await ctx.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
});

after(async () => {
  await ctx?.close();
  server?.close();
  if (profile !== '') rmSync(profile, { recursive: true, force: true });
});

const output = async (i: number): Promise<string> => (await page.getByTestId(`notebook-output-${i}`).textContent()) ?? '';

/** Waits for the kernel to be idle (ready, nothing running); `polling` ms between looks (the default looks every frame). */
async function idle(timeout = 30_000, polling: number | 'raf' = 'raf'): Promise<void> {
  await page.waitForFunction(() => document.querySelector<HTMLElement>('[data-testid="notebook-status"]')?.dataset.state === 'idle',
    undefined, { timeout, polling });
}

/** Replaces cell i's code (typed into its CodeMirror editor). */
async function setCell(i: number, code: string): Promise<void> {
  await fillEditor(page, `notebook-editor-${i}`, code);
}

/** Runs cell i from the keyboard: Shift+Enter (run, move to the next cell, as Jupyter), or Ctrl+Enter (run in place). */
async function runCell(i: number, keys = 'Shift+Enter'): Promise<void> {
  await editorContent(page, `notebook-editor-${i}`).focus();
  await page.keyboard.press(keys);
}

browserTest('open a .py notebook, run all: printed text, a last expression, a traceback, the data file', async () => {
  await page.goto(url(server));
  const t0 = Date.now();
  await page.getByTestId('tab-notebook').waitFor();
  await idle(60_000);
  const loadMs = Date.now() - t0;
  const reported = await page.getByTestId('notebook-status').textContent();
  console.log(`# runtime load, cold cache (page open to kernel ready): ${(loadMs / 1000).toFixed(2)} s; status: ${reported}`);
  assert.equal(await page.evaluate(() => crossOriginIsolated), true);
  // the starter notebook is there before anything is opened, with the embedded names' note
  assert.match(await page.locator('#notebook-name').textContent() ?? '', /starter/);
  assert.match(await page.locator('#notebook-names-note').textContent() ?? '', /not the lecture's data/);

  await page.getByTestId('notebook-open').setInputFiles({ name: 'test.py', mimeType: 'text/x-python', buffer: Buffer.from(NOTEBOOK) });
  await page.getByTestId('notebook-cell-4').waitFor();
  assert.equal(await page.locator('[data-testid^="notebook-cell-"]').count(), 5);
  assert.match(await page.getByTestId('notebook-cell-0').textContent() ?? '', /A test notebook/);
  await page.getByTestId('notebook-run-all').click();
  // Run all stops at the error: cell 4 stays unrun
  await page.waitForFunction(() => (document.querySelector('[data-testid="notebook-output-3"]')?.textContent ?? '').includes('ZeroDivisionError'));
  await idle();
  assert.equal(await output(1), 'x is 42\n');
  assert.equal(await output(2), "{'answer': 42, 'list': [1, 2.5, 'three']}");
  const tb = await output(3);
  assert.match(tb, /Traceback \(most recent call last\)/);
  assert.match(tb, /line 7, in <module>\n\s+outer\(\)/);
  assert.match(tb, /in inner\n\s+return 1 \/ 0/);
  assert.match(tb, /ZeroDivisionError: division by zero$/);
  assert.equal(await output(4), '');
  // names.txt beside the notebook is the embedded list (none was given)
  await runCell(4, 'Control+Enter');
  await page.waitForFunction(() => (document.querySelector('[data-testid="notebook-output-4"]')?.textContent ?? '') !== '');
  assert.match(await output(4), /^\['[a-z]+', '[a-z]+', '[a-z]+'\]\n$/);
  // a data file dropped in beside the notebook replaces it
  await page.getByTestId('notebook-data').setInputFiles({ name: 'names.txt', mimeType: 'text/plain', buffer: Buffer.from('emma\nolivia\nava\n') });
  await page.locator('#notebook-names-note').waitFor({ state: 'hidden' });
  await runCell(4, 'Control+Enter');
  await page.waitForFunction(() => (document.querySelector('[data-testid="notebook-output-4"]')?.textContent ?? '').includes('emma'));
  assert.equal(await output(4), "['emma', 'olivia', 'ava']\n");
});

browserTest('a cell round trip (measured) and streamed output in order', async () => {
  await setCell(1, "print('a'); print('b', end=''); print('c')");
  const ms: number[] = [];
  for (let k = 0; k < 5; k++) {
    const t0 = Date.now();
    await runCell(1);
    await page.waitForFunction(() => (document.querySelector('[data-testid="notebook-cell-1"] .nb-count')?.textContent ?? '') !== '[*]');
    ms.push(Date.now() - t0);
    await idle();
  }
  assert.equal(await output(1), 'a\nbc\n');
  const status = await page.getByTestId('notebook-status').textContent();
  console.log(`# cell round trip (Shift+Enter to output shown, through Playwright), 5 runs: ${ms.map((m) => `${m} ms`).join(', ')}; ` +
    `in the page: ${status}`);
});

browserTest('output streams while the cell runs; the status shows the elapsed time; \\r rewrites a line', async () => {
  await setCell(1, [
    "print('10%', end='\\r'); print('100%')",
    "print('first')",
    'import time',
    't = time.time()',
    'while time.time() - t < 1.5:',
    '    pass',
    "print('second')",
  ].join('\n'));
  await runCell(1, 'Control+Enter');
  await page.waitForFunction(() => (document.querySelector('[data-testid="notebook-output-1"]')?.textContent ?? '').includes('first'));
  assert.equal(await page.getByTestId('notebook-status').getAttribute('data-state'), 'busy');
  assert.equal(await output(1), '100%\nfirst\n');
  await page.waitForFunction(() => /Running In \[\d+\]… (0\.[5-9]|1\.\d) s/.test(document.querySelector('[data-testid="notebook-status"]')?.textContent ?? ''));
  await idle();
  assert.equal(await output(1), '100%\nfirst\nsecond\n');
});

browserTest('a figure from matplotlib.pyplot shows inline as an SVG image; numpy runs in the page', async () => {
  // numpy's stream in the page's worker: the value Debian's numpy 1.24 gives after np.random.seed(0)
  await setCell(1, 'import numpy as np\nnp.random.seed(0)\nprint(repr(np.random.rand()), np.arange(3) * 0.5)');
  await runCell(1);
  await idle();
  assert.equal(await output(1), '0.5488135039273248 [0.  0.5 1. ]\n');
  await setCell(1, 'import matplotlib.pyplot as plt\nplt.plot(np.tanh(np.arange(-3, 3, 0.5)))\nplt.show()');
  await runCell(1);
  await idle();
  const img = page.locator('[data-testid="notebook-output-1"] img.nb-figure');
  await img.first().waitFor();
  assert.match(await img.first().getAttribute('src') ?? '', /^data:image\/svg\+xml/);
  assert.ok(await img.first().evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0), 'the SVG figure did not decode');
});

browserTest('Stop (cross-origin isolated): KeyboardInterrupt ends an endless loop, the variables stay', async () => {
  await setCell(1, 'kept = 123\nwhile True:\n    pass');
  await runCell(1);
  await page.waitForFunction(() => document.querySelector<HTMLElement>('[data-testid="notebook-status"]')?.dataset.state === 'busy');
  await page.waitForTimeout(300);
  // the page answers while Python spins in the worker
  assert.equal(await page.evaluate(() => 1 + 1), 2);
  const t0 = Date.now();
  await page.getByTestId('notebook-stop').click();
  await idle(10_000);
  console.log(`# Stop by interrupt: ${Date.now() - t0} ms from the click to the status idle`);
  assert.match(await output(1), /KeyboardInterrupt/);
  // time.sleep too (Pyodide's own would not look at the interrupt buffer: the worker's waits on it)
  await setCell(1, 'import time\ntime.sleep(0.05)\ntime.sleep(60)');
  await runCell(1);
  await page.waitForFunction(() => document.querySelector<HTMLElement>('[data-testid="notebook-status"]')?.dataset.state === 'busy');
  await page.waitForTimeout(300);
  const t1 = Date.now();
  await page.getByTestId('notebook-stop').click();
  await idle(10_000);
  console.log(`# Stop during time.sleep(60): ${Date.now() - t1} ms from the click to the status idle`);
  assert.match(await output(1), /line 3, in <module>\n\s+time\.sleep\(60\)\n(.*\n)*KeyboardInterrupt/);
  assert.doesNotMatch(await output(1), /_bpn/); // the sleep's own frame is left out, as the kernel's
  await setCell(1, 'kept + 1');
  await runCell(1);
  await idle();
  assert.equal(await output(1), '124');
});

browserTest('reload keeps the notebook and its outputs', async () => {
  await page.waitForFunction(() => document.querySelector<HTMLElement>('#view-notebook')?.dataset.saved === 'true');
  await page.reload();
  const t0 = Date.now();
  await page.getByTestId('notebook-cell-4').waitFor();
  assert.equal(await page.locator('#notebook-name').textContent(), 'test.py');
  assert.equal(await editorText(page, 'notebook-editor-1'), 'kept + 1');
  assert.equal(await output(1), '124');
  assert.match(await output(3), /ZeroDivisionError/);
  // the dropped names.txt came back too
  assert.equal(await page.locator('#notebook-names-note').isHidden(), true);
  await idle(60_000);
  const status = await page.getByTestId('notebook-status').textContent();
  console.log(`# runtime load after a reload (reload to kernel ready): ${((Date.now() - t0) / 1000).toFixed(2)} s; status: ${status}`);
  assert.match(status ?? '', /from its snapshot/);
});

browserTest('download: the executed notebook is nbformat 4.5 JSON with its outputs', async () => {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('notebook-download').click()]);
  assert.equal(dl.suggestedFilename(), 'test.ipynb');
  const path = await dl.path();
  const text = readFileSync(path, 'utf8');
  const nb = parseIpynb(text, 'test.ipynb');
  assert.equal(nb.nbformat_minor, 5);
  assert.equal(nb.cells.length, 5);
  assert.equal(nb.cells[0].cell_type, 'markdown');
  const err = nb.cells[3].outputs?.[0];
  assert.equal(err?.output_type, 'error');
  assert.equal(err.output_type === 'error' ? err.ename : '', 'ZeroDivisionError');
  const res = nb.cells[1].outputs?.[0];
  assert.equal(res?.output_type, 'execute_result');
  assert.deepEqual(res.output_type === 'execute_result' ? res.data['text/plain'] : null, ['124']);
  for (const c of nb.cells) assert.match(c.id ?? '', /^[a-zA-Z0-9-_]{1,64}$/);
});

browserTest('the lecture\'s notebook (.ipynb, dropped on the tab) with the lecture\'s names.txt beside it', async (t) => {
  const nbPath = join(REPO, '..', 'shared', 'notebooks', 'makemore_part4_backprop.ipynb');
  const namesPath = NAMES_TXT ?? '';
  if (!existsSync(nbPath) || namesPath === '') {
    skipOrFail(t, `needs the lecture's notebook in ../shared/notebooks/ and names.txt (npx backprop-ninja data --download)`);
    return;
  }
  // drag and drop: the notebook and its data file at once, as a DataTransfer dropped on the tab
  await page.evaluate(([nb, names]) => {
    const dt = new DataTransfer();
    dt.items.add(new File([nb], 'makemore_part4_backprop.ipynb', { type: 'application/x-ipynb+json' }));
    dt.items.add(new File([names], 'names.txt', { type: 'text/plain' }));
    document.getElementById('view-notebook')?.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, [readFileSync(nbPath, 'utf8'), readFileSync(namesPath, 'utf8')]);
  await page.waitForFunction(() => document.getElementById('notebook-name')?.textContent === 'makemore_part4_backprop.ipynb');
  const nb = parseIpynb(readFileSync(nbPath, 'utf8'), nbPath);
  assert.equal(await page.locator('[data-testid^="notebook-cell-"]').count(), nb.cells.length);
  // the cell that reads the words (pure Python: it runs before the torch shim is there)
  const i = nb.cells.findIndex((c) => (Array.isArray(c.source) ? c.source.join('') : c.source).includes("open('names.txt'"));
  await page.locator('#notebook-names-note').waitFor({ state: 'hidden' });
  await runCell(i, 'Control+Enter');
  await idle();
  assert.match(await output(i), /^32033\n15\n\['emma', 'olivia', 'ava', 'isabella', 'sophia', 'charlotte', 'mia', 'amelia'\]\n$/);

  // Run all, with exercise 4's max_steps lowered in its cell: exercise 1's table, tensor reprs, a figure
  const src = (k: number): string => { const s = nb.cells[k].source; return Array.isArray(s) ? s.join('') : s; };
  const train = nb.cells.findIndex((_, k) => /max_steps = \d+/.test(src(k)));
  const ex1 = nb.cells.findIndex((_, k) => src(k).startsWith('# Exercise 1'));
  const fig = nb.cells.findIndex((_, k) => src(k).includes('plt.imshow'));
  assert.ok(train > 0 && ex1 > 0 && fig > 0, 'the lecture notebook\'s cells moved');
  await setCell(train, src(train).replace(/max_steps = \d+/, 'max_steps = 200'));
  const t0 = Date.now();
  await page.getByTestId('notebook-run-all').click();
  await page.waitForFunction(() => document.querySelector<HTMLElement>('[data-testid="notebook-status"]')?.dataset.state === 'busy');
  await idle(240_000);
  console.log(`# the lecture's notebook, Run all with max_steps = 200: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const rows = (await output(ex1)).trim().split('\n');
  assert.equal(rows.length, 26, rows.join('\n'));
  for (const r of rows) assert.match(r, /^\w+ +\| exact: True  \| approximate: True  \| maxdiff: 0\.0$/);
  assert.match(await output(ex1 - 1), /^tensor\(3\.\d{4}, grad_fn=<NegBackward0>\)$/);
  await page.locator(`[data-testid="notebook-output-${fig}"] img.nb-figure`).waitFor();
  assert.match(await output(train), /^\d+\n +0\/ +200: \d\.\d{4}\n$/);
});

/**
 * The lecture's code cells up to and including exercise 4, its `max_steps` lowered: exercise 4 once with
 * `warmup` steps, then `runs` times with `steps` steps, each between two timing cells (Python's
 * perf_counter; the default generator reseeded, so every run draws the same numbers whatever ran before),
 * and a last cell that prints `exercise 4: best of R runs of N steps: X steps/s (all: a, b, c); last loss L`.
 * The exercise-4 cell is the lecture's as written, only `max_steps` changed. The best run is the one least
 * disturbed by whatever else the machine was doing.
 */
/**
 * The lecture's code cells up to exercise 4, exercise 4 as a warm-up of `warmup` steps, then `runs` timed
 * cells: exercise 4 as written with `steps` steps, the default generator reseeded and Python's perf_counter
 * around it inside the cell (no gap between cells in the time), its rate appended to `_ex4_rates`; and a
 * report cell.
 */
function exercise4Cells(nb: Notebook, warmup: number, runs: number, steps: number): string[] {
  const code = nb.cells.filter((c) => c.cell_type === 'code').map((c) => joinSource(c.source));
  const ex4 = code.findIndex((c) => c.startsWith('# Exercise 4'));
  assert.ok(ex4 > 0 && /max_steps = 200000\n/.test(code[ex4]), 'the lecture notebook\'s exercise-4 cell moved');
  const lowered = (n: number): string => code[ex4].replace(/max_steps = 200000\n/, `max_steps = ${n}\n`);
  const timed = `torch.manual_seed(2147483647)\n_ex4_t0 = time.perf_counter()\n${lowered(steps)}\n` +
    '_ex4_rates.append(max_steps / (time.perf_counter() - _ex4_t0))';
  return [
    ...code.slice(0, ex4),
    lowered(warmup),
    'import time\n_ex4_rates = []',
    ...Array.from({ length: runs }, () => timed),
    "print(f\"exercise 4: {len(_ex4_rates)} runs of {max_steps} steps: {', '.join(f'{r:.1f}' for r in _ex4_rates)} steps/s; last loss {loss.item()!r}\")",
  ];
}

const EX4_LINE = /^exercise 4: (\d+) runs of (\d+) steps: ([\d., ]+) steps\/s; last loss ([\d.]+)\n$/;

browserTest("exercise 4's training in the page and in the CLI runtime: steps/s of the same cells (measured, not asserted)", async (t) => {
  const nbPath = join(REPO, '..', 'shared', 'notebooks', 'makemore_part4_backprop.ipynb');
  const namesPath = NAMES_TXT ?? '';
  if (!existsSync(nbPath) || namesPath === '') {
    skipOrFail(t, `needs the lecture's notebook in ../shared/notebooks/ and names.txt (npx backprop-ninja data --download)`);
    return;
  }
  // a long warm-up: the wasm of Python tiers up later in the page than in Node
  const [WARMUP, RUNS, STEPS] = [400, 4, 200];
  const cells = exercise4Cells(parseIpynb(readFileSync(nbPath, 'utf8'), nbPath), WARMUP, RUNS, STEPS);
  const report = cells.length - 1;
  // the page: these cells as a notebook opened in the tab, names.txt beside it, Run all
  const nb = {
    nbformat: 4, nbformat_minor: 5, metadata: {},
    cells: cells.map((source, i) => ({ cell_type: 'code', id: `ex4-${i}`, source, metadata: {}, outputs: [], execution_count: null })),
  };
  await page.getByTestId('notebook-open').setInputFiles({ name: 'exercise4-timing.ipynb', mimeType: 'application/x-ipynb+json', buffer: Buffer.from(JSON.stringify(nb)) });
  await page.getByTestId('notebook-data').setInputFiles(namesPath);
  await page.waitForFunction(() => document.getElementById('notebook-name')?.textContent === 'exercise4-timing.ipynb');
  await page.locator('#notebook-names-note').waitFor({ state: 'hidden' });
  assert.equal(await page.locator('[data-testid^="notebook-cell-"]').count(), cells.length);
  await idle(60_000);
  await page.getByTestId('notebook-run-all').click();
  await page.waitForFunction(() => document.querySelector<HTMLElement>('[data-testid="notebook-status"]')?.dataset.state === 'busy');
  await idle(240_000, 1000); // a look a second, not every frame: the page's main thread stays quiet meanwhile
  assert.match(await output(report - 1), new RegExp(`^\\d+\\n +0/ +${STEPS}: \\d\\.\\d{4}\\n$`));
  const inPage = EX4_LINE.exec(await output(report));
  assert.ok(inPage !== null, `the page's report cell printed ${JSON.stringify(await output(report))}`);

  // then the CLI's runtime (Pyodide in Node, as `backprop-ninja notebook` runs it): the same cells, in this
  // process, the page idle meanwhile (not in turn with the page: a Node runtime that has just run compiles
  // in the background for a while, and on two cores that slows the page's next run)
  const work = mkdtempSync(join(tmpdir(), 'bpn-ex4-'));
  let out = '';
  try {
    copyFileSync(namesPath, join(work, 'names.txt'));
    const rt = await NotebookRuntime.start({
      indexURL: pyodideIndexURL(),
      cwd: work,
      interruptBuffer: new Int32Array(new SharedArrayBuffer(4)),
      hooks: { write: (_name, text) => { out += text; }, display: () => {}, result: () => {} },
      setup: (py) => {
        py.FS.mkdirTree(work);
        py.mountNodeFS(work, work);
      },
    });
    cells.forEach((src, i) => {
      out = '';
      const r = rt.runCell(src, i + 1);
      assert.equal(r.status, 'ok', r.status === 'error' ? `CLI runtime, cell ${i + 1}: ${r.ename}: ${r.evalue}` : '');
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const inCli = EX4_LINE.exec(out);
  assert.ok(inCli !== null, `the CLI runtime's report cell printed ${JSON.stringify(out)}`);
  assert.deepEqual([Number(inPage[1]), Number(inPage[2]), Number(inCli[1])], [RUNS, STEPS, RUNS]);
  // the same work on both sides: the same generator, the same kernels, the same last loss to the bit
  assert.equal(inPage[4], inCli[4]);
  const best = (m: RegExpExecArray): number => Math.max(...m[3].split(', ').map(Number));
  const [pageRate, cliRate] = [best(inPage), best(inCli)];
  console.log(`# exercise 4 in the page: ${pageRate.toFixed(1)} steps/s; in the CLI runtime: ${cliRate.toFixed(1)} steps/s; ` +
    `page/CLI = ${((100 * pageRate) / cliRate).toFixed(0)}% (best of ${RUNS} runs of ${STEPS} steps after a ${WARMUP}-step ` +
    `warm-up, each timed inside its cell by Python's perf_counter; the page's runs ${inPage[3]}, the CLI's ${inCli[3]} ` +
    'steps/s; target >= 80%)');
});

browserTest('a phone-sized screen: the Notebook tab does not scroll sideways', async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(100);
  const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  await page.setViewportSize({ width: 1280, height: 800 });
  assert.ok(over <= 0, `the page is ${over} px wider than a 390 px screen`);
});

browserTest('Stop on a plain static host (no cross-origin isolation): the kernel restarts, the next run works', async () => {
  await page.goto(url(server, true));
  assert.equal(await page.evaluate(() => crossOriginIsolated), false);
  await idle(60_000);
  // the starter notebook on the embedded names (and the screenshot)
  await page.locator('#notebook-starter').click();
  if (await page.locator('#notebook-embedded').count() > 0) await page.locator('#notebook-embedded').click();
  await page.locator('#notebook-names-note').waitFor();
  assert.match(await page.locator('#notebook-name').textContent() ?? '', /starter/);
  await runCell(1);
  await idle();
  await runCell(2);
  await idle();
  assert.match(await output(1), /^\d+\n\d+\n\['[a-z]+', /);
  assert.match(await output(2), /^\d+$/);
  await runCell(3);
  await idle();
  if (!(await output(3)).includes('ModuleNotFoundError')) await page.locator('[data-testid="notebook-output-3"] img.nb-figure').waitFor();
  if (SHOTS !== undefined) {
    mkdirSync(SHOTS, { recursive: true });
    await page.mouse.move(0, 0);
    await page.setViewportSize({ width: 1280, height: 1040 });
    await page.screenshot({ path: join(SHOTS, 'lab-notebook.png') });
    await page.setViewportSize({ width: 1280, height: 800 });
  }
  await setCell(1, 'kept = 1\nwhile True:\n    pass');
  await runCell(1);
  await page.waitForFunction(() => document.querySelector<HTMLElement>('[data-testid="notebook-status"]')?.dataset.state === 'busy');
  await page.getByTestId('notebook-stop').click();
  await page.waitForFunction(() => (document.querySelector('[data-testid="notebook-output-1"]')?.textContent ?? '').includes('restarted'));
  assert.match(await output(1), /the variables are gone/);
  assert.match(await page.getByTestId('notebook-status').textContent() ?? '', /restarted/);
  await idle(60_000);
  await setCell(1, "'kept' in globals(), 2 + 2");
  await runCell(1);
  await idle();
  assert.equal(await output(1), '(False, 4)');
});

browserTest('no console errors', () => {
  assert.deepEqual(consoleErrors, []);
});
