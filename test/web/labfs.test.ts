// The lab's file area with folders, as a user drives it (Debian's Chromium over the BUILT site): a browser that
// kept the flat store of the lab before folders (IndexedDB version 3: every file at the root) opens it as the
// root's files; then New folder, a data file added into a folder, a notebook opened two folders down whose
// cells run in its own folder and read ../../data/names.txt, write files and folders back to the store (shown in
// the panel), and fail as CPython does above the file area's root; kagglehub.dataset_download in the page,
// against a local server playing Kaggle's API with CORS headers (the version lookup, the archive through a
// redirect, as Kaggle's): extracted into the file area's kagglehub/ folder, cached on the next call; and
// against one without CORS headers (as Kaggle's own): one line saying why and what to do. A reload keeps the
// tree (the cache with it) and the notebook's folder; a folder renamed (the open notebook inside follows) and
// one deleted.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { after, before } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { REPO, zip } from '../helpers.js';
import { NO_BROWSER, browserTest, launchBrowser, serveSite } from './site.js';

const SITE = join(REPO, 'dist-web');
const T0 = performance.now();
let server: Server;
let kaggle: Server;
/** the paths Kaggle's stand-in was asked for */
const asked: string[] = [];
let ctx: BrowserContext;
let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined;
const errors: string[] = [];

before(async () => {
  if (NO_BROWSER !== undefined) return;
  if (!existsSync(join(SITE, 'pyodide', 'pyodide.asm.wasm'))) assert.fail(`no built site with Pyodide at ${SITE}: run \`npm run build:web\` first (npm test does)`);
  server = await serveSite(SITE, 'always');
  kaggle = createServer((req, res) => {
    const url = req.url ?? '';
    asked.push(url);
    // /nocors/...: the same answers without the header that lets a page read them (Kaggle's own send none)
    const cors: Record<string, string> = url.startsWith('/nocors/') ? {} : { 'access-control-allow-origin': '*' };
    const path = url.replace(/^\/nocors/, '');
    if (path === '/api/v1/datasets/view/owner/names-txt') res.writeHead(200, { ...cors, 'content-type': 'application/json' }).end('{"currentVersionNumber": 1}');
    else if (path === '/api/v1/datasets/download/owner/names-txt?dataset_version_number=1') res.writeHead(302, { ...cors, location: '/storage/names-txt.zip' }).end();
    else if (path === '/storage/names-txt.zip') res.writeHead(200, { ...cors, 'content-type': 'application/zip' }).end(zip({ 'names.txt': 'ada\nbob\n' }));
    else res.writeHead(404, { ...cors, 'content-type': 'application/json' }).end('{"code": 404, "message": "Not found"}');
  });
  await new Promise<void>((resolve) => kaggle.listen(0, '127.0.0.1', resolve));
  browser = await launchBrowser('labfs', { width: 1280, height: 900 });
  ctx = browser.ctx;
});

after(async () => {
  await browser?.close();
  server?.close();
  kaggle?.close();
  console.log(`# web-labfs.test: ${((performance.now() - T0) / 1000).toFixed(1)} s`);
});

const NOTEBOOK = `# %%
import os
print(os.path.relpath(os.getcwd(), '/home/pyodide/notebook'), open('../../data/names.txt').read().split())
# %%
with open('out.txt', 'w') as f:
    f.write('written by a cell\\n')
os.makedirs('made/deep', exist_ok=True)
open('made/deep/f.txt', 'w').write('x')
print(sorted(os.listdir('.')))
# %%
try:
    open('../../../outside.txt')
except OSError as e:
    print(type(e).__name__, e)
try:
    open('../../../outside.txt', 'w')
except OSError as e:
    print(type(e).__name__, e)
print(open('/home/pyodide/notebook/notebooks/learners/out.txt').read(), end='')
`;

async function idle(page: Page): Promise<void> {
  await page.waitForFunction(() => document.querySelector<HTMLElement>('[data-testid="notebook-status"]')?.dataset.state === 'idle' &&
    document.querySelectorAll('#view-notebook .running, #view-notebook .queued').length === 0, undefined, { timeout: 60_000, polling: 100 });
}

/** Run all, and waits until it is over: idle again, the status naming another last cell (its count goes up). */
async function runAll(page: Page): Promise<void> {
  const before = await page.getByTestId('notebook-status').textContent();
  await page.getByTestId('notebook-run-all').click();
  await page.waitForFunction((b) => document.querySelector<HTMLElement>('[data-testid="notebook-status"]')?.textContent !== b, before, { polling: 20 });
  await idle(page);
}

/** Answers the tab's question: `input` typed into its field (when given), then the button `choice`. */
async function answer(page: Page, text: RegExp, choice: string, input?: string): Promise<void> {
  const dialog = page.getByTestId('notebook-dialog');
  await dialog.waitFor();
  assert.match(await dialog.textContent() ?? '', text);
  if (input !== undefined) await dialog.locator('input').fill(input);
  await dialog.getByRole('button', { name: choice, exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
}

const laps: string[] = [];
let lapT = performance.now();
/** Notes the seconds since the last lap (printed at the end: where the test's time goes). */
function lap(what: string): void {
  laps.push(`${what} ${((performance.now() - lapT) / 1000).toFixed(1)} s`);
  lapT = performance.now();
}

const out = async (page: Page, i: number): Promise<string> => (await page.getByTestId(`notebook-output-${i}`).textContent()) ?? '';
const shown = (page: Page, path: string) => page.getByTestId(`notebook-file-${path}`);

browserTest('folders in the lab\'s file area: made, entered, filled, a notebook run in its own folder, kagglehub\'s cache, kept over a reload, renamed, deleted', async () => {
  const site = `http://127.0.0.1:${(server.address() as { port: number }).port}/index.html#notebook`;
  const page = await ctx.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  try {
    // the flat store of the lab before folders (version 3), made from a page of the origin that runs nothing
    await page.goto(site.replace('index.html#notebook', 'no-such-page'));
    await page.evaluate(() => new Promise<void>((resolve, reject) => {
      const req = indexedDB.open('backprop-ninja-notebook', 3);
      req.onupgradeneeded = () => {
        for (const s of ['files', 'state', 'snapshot']) req.result.createObjectStore(s);
      };
      req.onsuccess = () => {
        const tx = req.result.transaction(['files', 'state'], 'readwrite');
        const nb = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: 'code', id: 'k', source: 'print(open("names.txt").read().split())', metadata: {}, execution_count: null, outputs: [] }] };
        const now = Date.now();
        tx.objectStore('files').put({ name: 'flat.py', kind: 'notebook', nb, rev: 3, modified: now, size: 200 }, 'flat.py');
        const bytes = new TextEncoder().encode('ann\nben\n');
        tx.objectStore('files').put({ name: 'names.txt', kind: 'data', bytes, rev: 1, modified: now, size: bytes.length }, 'names.txt');
        tx.objectStore('state').put('flat.py', 'open');
        tx.oncomplete = () => {
          req.result.close();
          resolve();
        };
        tx.onerror = () => reject(tx.error);
      };
      req.onerror = () => reject(req.error);
    }));
    errors.length = 0; // that page's 404
    await page.goto(site);
    await page.waitForFunction(() => document.getElementById('notebook-name')?.textContent === 'flat.py');
    await idle(page);
    lap('page open to kernel ready, cold');
    await runAll(page);
    assert.equal(await out(page, 0), "['ann', 'ben']\n", 'the flat store\'s notebook reads its names.txt at the root');

    // New folder 'data', entered by a click, a file added into it
    await page.getByTestId('notebook-new-folder').click();
    await answer(page, /New folder in the root/, 'Create', 'data');
    await shown(page, 'data').click();
    await page.getByTestId('notebook-crumb-data').waitFor();
    assert.equal(await shown(page, 'flat.py').count(), 0, 'the folder shown holds only its own files');
    await page.getByTestId('notebook-data').setInputFiles({ name: 'names.txt', mimeType: 'text/plain', buffer: Buffer.from('emma\nolivia\n') });
    await shown(page, 'data/names.txt').waitFor();
    // back to the root, notebooks/learners made, a notebook opened in it
    await page.getByTestId('notebook-crumb-').click();
    await page.getByTestId('notebook-new-folder').click();
    await answer(page, /New folder in the root/, 'Create', 'notebooks');
    await shown(page, 'notebooks').click();
    await page.getByTestId('notebook-new-folder').click();
    await answer(page, /New folder in notebooks/, 'Create', 'learners');
    await shown(page, 'notebooks/learners').click();
    await page.getByTestId('notebook-open').setInputFiles({ name: 'seed.py', mimeType: 'text/x-python', buffer: Buffer.from(NOTEBOOK) });
    await page.waitForFunction(() => document.getElementById('notebook-name')?.textContent === 'notebooks/learners/seed.py');
    lap('folders made, a file added, a notebook opened');
    await runAll(page);
    lap('its cells run');
    assert.equal(await out(page, 0), "notebooks/learners ['emma', 'olivia']\n", 'the cells run in the notebook\'s folder, ../../data is the file area\'s');
    assert.equal(await out(page, 1), "['made', 'out.txt']\n");
    assert.equal(await out(page, 2), "FileNotFoundError [Errno 2] No such file or directory: '../../../outside.txt'\n" +
      "PermissionError [Errno 13] Permission denied: '../../../outside.txt'\nwritten by a cell\n");
    // what the cells wrote is in the panel (and the store)
    await shown(page, 'notebooks/learners/out.txt').waitFor();
    await shown(page, 'notebooks/learners/made').click();
    await shown(page, 'notebooks/learners/made/deep').click();
    await shown(page, 'notebooks/learners/made/deep/f.txt').waitFor();

    // kagglehub in the page: downloaded through the page's _bpn_net into the file area's kagglehub/ folder
    const endpoint = `http://127.0.0.1:${(kaggle.address() as { port: number }).port}`;
    await page.getByTestId('notebook-crumb-').click();
    await page.getByTestId('notebook-open').setInputFiles({ name: 'kaggle.py', mimeType: 'text/x-python', buffer: Buffer.from(`# %%
import os, kagglehub
os.environ['KAGGLE_API_ENDPOINT'] = '${endpoint}'
path = kagglehub.dataset_download('owner/names-txt')
print(os.path.relpath(path), open(path + '/names.txt').read().split())
# %%
print(kagglehub.dataset_download('owner/names-txt') == path)
# %%
os.environ['KAGGLE_API_ENDPOINT'] = '${endpoint}/nocors'
kagglehub.dataset_download('owner/names-txt', force_download=True)
`) });
    await page.waitForFunction(() => document.getElementById('notebook-name')?.textContent === 'kaggle.py');
    asked.length = 0;
    await runAll(page);
    assert.equal(await out(page, 0), `Downloading from ${endpoint}/api/v1/datasets/download/owner/names-txt?dataset_version_number=1...\n` +
      "Extracting files...\nkagglehub/datasets/owner/names-txt/versions/1 ['ada', 'bob']\n");
    assert.equal(await out(page, 1), 'True\n');
    assert.match(await out(page, 2), new RegExp(`ConnectionError: kagglehub: cannot reach 127\\.0\\.0\\.1:\\d+: the browser lets a page read only the servers ` +
      'that allow it \\(CORS headers\\), and this one does not \\(or the network is down\\): add the dataset\'s files to the file area .*' +
      'or run the notebook in the CLI: npx backprop-ninja notebook FILE'));
    assert.deepEqual(asked, ['/api/v1/datasets/view/owner/names-txt', '/api/v1/datasets/download/owner/names-txt?dataset_version_number=1',
      '/storage/names-txt.zip', '/api/v1/datasets/view/owner/names-txt', '/nocors/api/v1/datasets/view/owner/names-txt'], 'the second call finds the cache');
    await shown(page, 'kagglehub').waitFor();
    lap('kagglehub');

    // a reload keeps the tree (kagglehub's cache with it), opens the notebook open last in its folder, and its
    // kernel has the files the cells wrote
    await shown(page, 'notebooks').click();
    await shown(page, 'notebooks/learners').click();
    await shown(page, 'notebooks/learners/seed.py').click();
    await page.waitForFunction(() => document.getElementById('notebook-name')?.textContent === 'notebooks/learners/seed.py');
    // the open notebook's name reaches IndexedDB asynchronously: reloading before it has is reloading into the last one
    await page.waitForFunction(() => document.getElementById('view-notebook')?.dataset.openKept === 'notebooks/learners/seed.py');
    await page.reload();
    await page.waitForFunction(() => document.getElementById('notebook-name')?.textContent === 'notebooks/learners/seed.py');
    await page.getByTestId('notebook-crumb-notebooks/learners').waitFor();
    await shown(page, 'notebooks/learners/out.txt').waitFor();
    await shown(page, 'notebooks/learners/made').waitFor();
    await idle(page);
    lap('reload to kernel ready');
    await runAll(page);
    assert.equal(await out(page, 0), "notebooks/learners ['emma', 'olivia']\n");
    assert.match(await out(page, 2), /\nwritten by a cell\n$/);
    await page.getByTestId('notebook-crumb-').click();
    assert.deepEqual(await page.locator('#notebook-file-list .nb-file-name').allTextContents(), ['data', 'kagglehub', 'notebooks', 'flat.py', 'kaggle.py', 'names.txt']);
    for (const dir of ['kagglehub', 'kagglehub/datasets', 'kagglehub/datasets/owner', 'kagglehub/datasets/owner/names-txt']) await shown(page, dir).click();
    assert.deepEqual(await page.locator('#notebook-file-list .nb-file-name').allTextContents(), ['versions', '1.complete']);
    await shown(page, 'kagglehub/datasets/owner/names-txt/versions').click();
    await shown(page, 'kagglehub/datasets/owner/names-txt/versions/1').click();
    await shown(page, 'kagglehub/datasets/owner/names-txt/versions/1/names.txt').waitFor();

    // a folder renamed: the open notebook inside follows, and its cells run in the renamed folder
    await page.getByTestId('notebook-crumb-').click();
    await page.getByTestId('notebook-rename-notebooks').click();
    await answer(page, /Rename notebooks/, 'Rename', 'nbs');
    await page.waitForFunction(() => document.getElementById('notebook-name')?.textContent === 'nbs/learners/seed.py');
    await runAll(page);
    assert.equal(await out(page, 0), "nbs/learners ['emma', 'olivia']\n");
    // a folder deleted (asked, what it holds counted): its files are gone from the kernel's file area too
    await page.getByTestId('notebook-delete-data').click();
    await answer(page, /The folder data and the 1 file and folders in it/, 'Delete');
    await shown(page, 'data').waitFor({ state: 'detached' });
    await runAll(page);
    assert.match(await out(page, 0), /FileNotFoundError: \[Errno 2\] No such file or directory: '\.\.\/\.\.\/data\/names\.txt'/);
    lap('rename, delete');
    console.log(`# labfs: ${laps.join(', ')}`);
    assert.deepEqual(errors, [], 'console errors');
  } finally {
    await page.close();
  }
});
