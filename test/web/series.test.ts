// Issue 18's notebooks in the lab's Notebook tab (Debian's Chromium over the BUILT site, as test/web/notebook.test.ts
// runs it): each notebook, with the table's edits (test/fixtures/series-table.json), opened as a user opens one,
// names.txt added as a data file, Run all clicked; the executed notebook downloaded as nbformat, and each code
// cell's outputs compared with what Debian's PyTorch 1.13 showed (test/fixtures/series-golden.json) by the same
// comparison and the same listed differences as the CLI's test (test/notebook/series.ts). The lab has no --seed:
// the notebook opened has one cell in front, `random.seed(S); torch.manual_seed(S)`, as a user seeds a run, and
// the counts compared are one less. Run all stops at the first error, as Jupyter's does: the cells up to it are
// compared, and it must be PyTorch's first error (ename and message). The lab's file area is laid out as the
// table says, through the file panel as a user does it: the folders made (New folder) and entered, names.txt
// added where the table puts it, the notebook opened in its folder (seed004 in notebooks/learner, reading
// ../../data/names.txt; seed003's names.txt in kagglehub's cache layout in the file area's kagglehub/ folder,
// complete, and Kaggle's version lookup answered on 127.0.0.1 with CORS headers, as the CLI's test does, the
// endpoint set in the seeding cell). A fresh page (a fresh kernel) per notebook; the file area stays from one to the next.
// By default WEB_DEFAULT's two run (a lecture that stops where PyTorch stops, and graphviz), about 20 s;
// SERIES_WEB=all (npm run test:series) runs all the lab can, SERIES_WEB=name,name those.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { after, before } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { parseIpynb, type Output } from '../../src/notebook/nbformat.js';
import { NAMES_TXT, REPO, skipOrFail } from '../helpers.js';
import {
  DIFFERENCES, GOLDEN, TABLE, clean, compareCell, editedCells, missingInput, namesText, type CellRecord, type SeriesNotebook,
} from '../notebook/series.js';
import { NO_BROWSER, browserTest, launchBrowser, serveSite } from './site.js';

const SITE = join(REPO, 'dist-web');
const T0 = performance.now();

/** What the lab cannot run as written (none now). */
const NOT_IN_LAB: Record<string, string> = {};
/** The default set: a lecture that stops where PyTorch stops (part 2), micrograd with graphviz's SVGs (folders: test/web/labfs.test.ts). */
const WEB_DEFAULT = ['makemore_part2_mlp', 'micrograd_lecture_first_half_roughly'];
const pick = process.env.SERIES_WEB;
const CHOSEN = TABLE.notebooks.filter((nb) => NOT_IN_LAB[nb.name] === undefined &&
  (pick === 'all' || (pick === undefined ? WEB_DEFAULT : pick.split(',')).includes(nb.name)));
{
  const rest = TABLE.notebooks.filter((nb) => NOT_IN_LAB[nb.name] === undefined && !CHOSEN.includes(nb)).map((nb) => nb.name);
  if (rest.length > 0) console.log(`# lab series: not run here (npm run test:series runs all the lab can): ${rest.join(', ')}`);
}

let server: Server;
/** Kaggle's API as seed003 asks it: the version lookup of the dataset laid out in the file area (table: names_txt) */
let kaggle: Server;
let ctx: BrowserContext;
let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined;
const tally: string[] = [];
/** where names.txt was added to the lab's file area (kept in the browser from then on) */
const namesAt = new Set<string>();

before(async () => {
  if (NO_BROWSER !== undefined) return;
  server = await serveSite(SITE, 'always');
  kaggle = createServer((req, res) => {
    const nb = TABLE.notebooks.find((n) => n.kagglehub_cache !== undefined && n.names_txt !== null &&
      req.url === `/api/v1/datasets/view/${n.names_txt.split('/').slice(2, 4).join('/')}`);
    const version = nb?.names_txt?.split('/')[5];
    const cors = { 'access-control-allow-origin': '*', 'content-type': 'application/json' };
    if (version === undefined) res.writeHead(404, cors).end('{"code": 404, "message": "Not found"}');
    else res.writeHead(200, cors).end(JSON.stringify({ currentVersionNumber: Number(version) }));
  });
  await new Promise<void>((resolve) => kaggle.listen(0, '127.0.0.1', resolve));
  browser = await launchBrowser('series', { width: 1280, height: 800 });
  ctx = browser.ctx;
});

after(async () => {
  await browser?.close();
  server?.close();
  kaggle?.close();
  for (const line of tally) console.log(line);
  console.log(`# web-series.test: ${((performance.now() - T0) / 1000).toFixed(1)} s`);
});

const SEED_CELL = `import random, torch\nrandom.seed(${TABLE.seed})\ntorch.manual_seed(${TABLE.seed});`;

/** The edited notebook as an .ipynb, the seeding cell in front (with kagglehub's endpoint where it downloads). */
function labNotebook(nb: SeriesNotebook): string {
  const endpoint = `\nimport os\nos.environ['KAGGLE_API_ENDPOINT'] = 'http://127.0.0.1:${(kaggle.address() as { port: number }).port}'`;
  const cells = [{ code: true, source: SEED_CELL + (nb.kagglehub_cache === undefined ? '' : endpoint) }, ...editedCells(nb)].map((c) => (c.code
    ? { cell_type: 'code', metadata: {}, source: c.source, outputs: [], execution_count: null }
    : { cell_type: 'markdown', metadata: {}, source: c.source }));
  return JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells });
}

const text = (s: string | string[] | undefined): string => (Array.isArray(s) ? s.join('') : (s ?? ''));

/** A code cell's outputs as the fixture records them (counts one less: the seeding cell ran first). */
function record(outputs: Output[], count: number | null): CellRecord {
  const r: CellRecord = { count: count === null ? null : count - 1, stdout: '', stderr: '', result: null, display: [], images: 0, error: null };
  for (const o of outputs) {
    if (o.output_type === 'stream') r[o.name === 'stderr' ? 'stderr' : 'stdout'] += clean(text(o.text));
    else if (o.output_type === 'error') r.error = { ename: o.ename, evalue: clean(o.evalue) };
    else {
      const keys = Object.keys(o.data);
      if (o.output_type === 'execute_result') r.result = { count: (o.execution_count ?? 0) - 1, text: clean(text(o.data['text/plain'])) };
      if (keys.some((k) => k.startsWith('image/'))) r.images++;
      else if (o.output_type === 'display_data') r.display.push(clean(text(o.data['text/plain'])));
    }
  }
  return r;
}

/** Shows `folder` of the file area in the panel (a path; '' or '.' the root), making the folders missing on the way. */
async function goTo(page: Page, folder: string): Promise<void> {
  await page.getByTestId('notebook-crumb-').click();
  let at = '';
  for (const part of folder.split('/').filter((p) => p !== '' && p !== '.')) {
    const path = at === '' ? part : `${at}/${part}`;
    if (await page.getByTestId(`notebook-file-${path}`).count() === 0) {
      await page.getByTestId('notebook-new-folder').click();
      const dialog = page.getByTestId('notebook-dialog');
      await dialog.locator('input').fill(part);
      await dialog.getByRole('button', { name: 'Create', exact: true }).click();
      await dialog.waitFor({ state: 'detached' });
    }
    await page.getByTestId(`notebook-file-${path}`).click();
    await page.getByTestId(`notebook-crumb-${path}`).waitFor();
    at = path;
  }
}

async function runInLab(page: Page, nb: SeriesNotebook): Promise<ReturnType<typeof parseIpynb>> {
  const idle = (): Promise<unknown> => page.waitForFunction(
    () => document.querySelector<HTMLElement>('[data-testid="notebook-status"]')?.dataset.state === 'idle', undefined, { timeout: 120_000, polling: 250 });
  await page.goto(`http://127.0.0.1:${(server.address() as { port: number }).port}/index.html#notebook`);
  await idle();
  if (nb.names_txt !== null && NAMES_TXT !== undefined && !namesAt.has(nb.names_txt)) { // kept in the browser's file area from then on
    namesAt.add(nb.names_txt);
    const slash = nb.names_txt.lastIndexOf('/');
    await goTo(page, nb.names_txt.slice(0, Math.max(0, slash)));
    await page.getByTestId('notebook-data').setInputFiles({ name: nb.names_txt.slice(slash + 1), mimeType: 'text/plain', buffer: Buffer.from(namesText(NAMES_TXT)) });
    await page.getByTestId(`notebook-file-${nb.names_txt}`).waitFor();
    if (nb.kagglehub_cache !== undefined) {
      // complete, as kagglehub marks a version it extracted: {cache}/datasets/OWNER/DATASET/N.complete beside versions/N
      const parts = nb.names_txt.split('/');
      await goTo(page, parts.slice(0, 4).join('/'));
      await page.getByTestId('notebook-data').setInputFiles({ name: `${parts[5]}.complete`, mimeType: 'text/plain', buffer: Buffer.alloc(0) });
      await page.getByTestId(`notebook-file-${parts.slice(0, 4).join('/')}/${parts[5]}.complete`).waitFor();
    }
  }
  await goTo(page, nb.cwd);
  const name = `${nb.cwd === '.' ? '' : `${nb.cwd}/`}${nb.name}.ipynb`;
  await page.getByTestId('notebook-open').setInputFiles({ name: `${nb.name}.ipynb`, mimeType: 'application/x-ipynb+json', buffer: Buffer.from(labNotebook(nb)) });
  await page.waitForFunction((n) => document.getElementById('notebook-name')?.textContent === n, name);
  await page.getByTestId('notebook-run-all').click();
  await page.waitForFunction(() => document.querySelector<HTMLElement>('[data-testid="notebook-status"]')?.dataset.state === 'busy', undefined, { polling: 50 }).catch(() => undefined);
  await page.waitForFunction(() => document.querySelector<HTMLElement>('[data-testid="notebook-status"]')?.dataset.state === 'idle' &&
    document.querySelectorAll('#view-notebook .running, #view-notebook .queued').length === 0,
  undefined, { timeout: 240_000, polling: 500 });
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('notebook-download').click()]);
  return parseIpynb(readFileSync(await dl.path(), 'utf8'), name);
}

for (const nb of CHOSEN) {
  browserTest(`lab: ${nb.name} in the Notebook tab shows what PyTorch 1.13 showed, cell by cell`, async (t) => {
    const missing = missingInput(nb, NAMES_TXT);
    if (missing !== undefined) return skipOrFail(t, missing);
    const golden = GOLDEN.notebooks[nb.name];
    const t0 = performance.now();
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      const executed = await runInLab(page, nb);
      const cells = executed.cells.slice(1); // the seeding cell
      const seed = executed.cells[0];
      assert.deepEqual(seed.outputs ?? [], [], 'the seeding cell shows nothing');
      const failures: string[] = [];
      let equal = 0;
      let ran = 0;
      let stopsAt: number | null = null;
      for (const [index, cell] of cells.entries()) {
        if (cell.cell_type !== 'code' || text(cell.source).trim() === '') continue;
        const g = golden.cells.find((c) => c.cell === index);
        assert.ok(g, `${nb.name}: cell ${index} has no fixture`);
        if (stopsAt !== null) {
          assert.equal(cell.execution_count ?? null, null, `${nb.name} cell ${index}: ran after Run all stopped at cell ${stopsAt}`);
          continue;
        }
        ran++;
        const ours = record(cell.outputs ?? [], cell.execution_count ?? null);
        if (ours.error !== null) stopsAt = index;
        const v = compareCell(ours, g, nb.unrepeatable[index], DIFFERENCES[nb.name]?.[index] ?? []);
        if (v.equal) equal++;
        failures.push(...v.failures.map((f) => `${nb.name} cell ${index}: ${f}`));
      }
      tally.push(`# lab ${nb.name}: ${equal}/${ran} cells equal, ${stopsAt === null ? 'runs to the end' : `Run all stops at cell ${stopsAt}`} ` +
        `(PyTorch: ${golden.stops_at === null ? 'runs to the end' : `stops at cell ${golden.stops_at}`}), ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      assert.equal(failures.length, 0, failures.join('\n\n'));
      assert.equal(stopsAt, golden.stops_at, 'the first cell that raises (where Run all stops)');
      assert.deepEqual(errors, [], 'page errors');
    } finally {
      await page.close();
    }
  });
}
