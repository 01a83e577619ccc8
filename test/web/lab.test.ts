// The browser lab in a real browser: Debian's Chromium driven by playwright-core over the BUILT site
// (dist-web/, served here by a tiny static server). Click a node and see its check row, solve an exercise
// right and one wrong (and a keepdim mistake, a runaway loop), train a few hundred steps and see the loss
// fall, sample names, reject a bad file, fit a phone-sized screen; no console errors anywhere.
// BPN_SCREENSHOTS=docs writes a PNG of each view (1280x800) into that folder.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { decodeCheckpoint } from '../../src/core/run/checkpoint.js';
import { CLI, REPO } from '../helpers.js';
import { CHROMIUM, NO_BROWSER, browserTest, editorContent, editorText, fillEditor, serveSite } from './site.js';

const SITE = join(REPO, 'dist-web');
const SHOTS = process.env.BPN_SCREENSHOTS;

let server: Server;
let base = '';
let ctx: BrowserContext;
let page: Page;
let profile = '';
const consoleErrors: string[] = [];

before(async () => {
  if (NO_BROWSER !== undefined) return;
  if (!existsSync(join(SITE, 'index.html'))) assert.fail(`no built site at ${SITE}: run \`npm run build:web\` first (npm test does)`);
  server = await serveSite(SITE, 'none');
  const addr = server.address();
  assert.ok(addr !== null && typeof addr === 'object');
  base = `http://127.0.0.1:${addr.port}`;
  profile = mkdtempSync(join(tmpdir(), 'bpn-chromium-'));
  ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--no-first-run', '--disable-sync'],
  });
  page = ctx.pages()[0] ?? await ctx.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
  await page.goto(`${base}/index.html`);
  await page.getByTestId('graph-node-logits').waitFor();
});

after(async () => {
  await ctx?.close();
  server?.close();
  if (profile !== '') rmSync(profile, { recursive: true, force: true });
});

async function shot(name: string): Promise<void> {
  if (SHOTS === undefined) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `lab-${name}.png`) });
}

const text = async (id: string): Promise<string> => (await page.getByTestId(id).textContent()) ?? '';

browserTest('graph view: 27 nodes; clicking one shows its check row against the autograd', async () => {
  assert.equal(await page.locator('[data-testid^="graph-node-"]').count(), 27);
  await page.getByTestId('graph-node-hprebn').click();
  const row = page.getByTestId('check-row-hprebn');
  await row.waitFor();
  assert.match(await row.textContent() ?? '', /^hprebn \| exact: True \| approximate: True \| maxdiff: 0\.0 \| shape: \[32, 64\]$/);
  assert.match(await page.locator('#graph-detail').textContent() ?? '', /dhprebn = dbndiff \+ 1\/n/);
  await page.getByTestId('graph-node-bnmeani').click();
  assert.match(await text('check-row-bnmeani'), /exact: True .*shape: \[1, 64\]/);
  // the lecture's names on the cards, in the check rows and in the hooks
  assert.equal(await page.getByTestId('graph-node-counts_sum_inv').locator('b').textContent(), 'counts_sum_inv');
  await page.getByTestId('graph-node-counts_sum_inv').click();
  assert.match(await text('check-row-counts_sum_inv'), /^counts_sum_inv \| exact: True .*shape: \[32, 1\]$/);
  assert.match(await page.locator('#graph-detail').textContent() ?? '', /dcounts_sum_inv = \(counts \* dprobs\)\.sum\(1, keepdim=True\)/);
  for (const k of ['bnvar_inv', 'logit_maxes', 'norm_logits', 'counts_sum']) await page.getByTestId(`graph-node-${k}`).waitFor();
  assert.equal(await page.locator('[data-testid="graph-node-countsSumInv"]').count(), 0);
  const before = await page.locator('#graph-status').textContent();
  await page.getByRole('button', { name: 'New batch' }).click();
  assert.notEqual(await page.locator('#graph-status').textContent(), before);
  assert.match(await page.locator('#graph-status').textContent() ?? '', /26\/26 gradients exact, 28\/28/);
  await page.getByTestId('graph-node-logits').click();
  // hovering a heatmap reads out the value under the pointer
  const map = page.locator('#graph-detail canvas').first();
  const box = await map.boundingBox();
  assert.ok(box !== null);
  await page.mouse.move(box.x + 32, box.y + 6); // the first cell, right of the row numbers
  assert.match(await page.locator('#graph-detail figcaption').first().textContent() ?? '', /^\[0, 0\] = -?\d/);
  await page.mouse.move(0, 0);
  await shot('graph');
});

async function attempt(code: string): Promise<{ kind: string; text: string }> {
  await fillEditor(page, 'exercise-editor', code);
  await page.getByTestId('exercise-submit').click();
  const v = page.getByTestId('exercise-verdict');
  await page.waitForFunction(() => {
    const k = document.querySelector<HTMLElement>('[data-testid="exercise-verdict"]')?.dataset.kind;
    return k !== undefined && k !== 'running';
  }, undefined, { timeout: 30_000 });
  return { kind: await v.getAttribute('data-kind') ?? '', text: await v.textContent() ?? '' };
}

browserTest("exercise mode (a plain static host: no cross-origin isolation): the lecture's lines, a wrong one, the keepdim slip, an error, a runaway loop", async () => {
  await page.getByRole('tab', { name: 'Exercises' }).click();
  assert.match(await page.locator('#exercise-title').textContent() ?? '', /^dlogprobs/);
  const right = await attempt('dlogprobs = torch.zeros_like(logprobs)\ndlogprobs[range(n), Yb] = -1.0/n');
  assert.equal(right.kind, 'exact', right.text);
  await page.getByRole('button', { name: 'Next' }).click();
  const wrong = await attempt('dprobs = dlogprobs * probs');
  assert.equal(wrong.kind, 'wrong');
  assert.match(wrong.text, /^Wrong: maxdiff \d/);
  await page.locator('#exercise-list button[data-id="bnmeani"]').click();
  const keepdim = await attempt('dbnmeani = (-dbndiff).sum(0)');
  assert.equal(keepdim.kind, 'shape');
  assert.match(keepdim.text, /shape \[64\] but the tensor is \[1, 64\]: keepdim\?/);
  const thrown = await attempt('dbnmeani = dbndiff @ W1');
  assert.equal(thrown.kind, 'error');
  assert.match(thrown.text, /^Error: RuntimeError: .*\(line 1\)/);
  const t0 = Date.now();
  const loop = await attempt('while True: pass');
  assert.equal(loop.kind, 'error');
  assert.match(loop.text, /time limit/);
  assert.ok(Date.now() - t0 < 8000);
  // the worker was ended and the spare took over: the next run works at once
  // from the keyboard: Ctrl+Enter in the editor checks the code
  await fillEditor(page, 'exercise-editor', 'dbnmeani = (-dbndiff).sum(0, keepdim=True)');
  const t1 = Date.now();
  await editorContent(page, 'exercise-editor').press('Control+Enter');
  await page.waitForFunction(() => document.querySelector<HTMLElement>('[data-testid="exercise-verdict"]')?.dataset.kind === 'exact');
  console.log(`# exercise (not isolated): the run after an endless loop took ${Date.now() - t1} ms`);
  await page.getByRole('button', { name: /^Hint/ }).click();
  assert.match(await page.locator('#exercise-hints').textContent() ?? '', /The local derivative/);
  // progress survives a reload (localStorage)
  await page.reload();
  await page.getByRole('tab', { name: 'Exercises' }).click();
  assert.match(await page.locator('#exercise-title').textContent() ?? '', /^dbnmeani/);
  assert.equal(await editorText(page, 'exercise-editor'), 'dbnmeani = (-dbndiff).sum(0, keepdim=True)');
  assert.equal(await page.locator('#exercise-list button[data-id="logprobs"]').getAttribute('class'), 'exact');
  assert.equal(await page.locator('#exercise-list button[data-id="probs"]').getAttribute('class'), 'wrong');
});

browserTest('saved progress in the old function syntax (v1 camelCase ids, v2) is kept as a comment above the editor', async () => {
  const old = {
    current: 'countsSumInv',
    code: { countsSumInv: 'dcountsSumInv = sum(mul(counts, dprobs), 1, { keepdim: true })', logitMaxes: 'dlogitMaxes = dnormLogits' },
    status: { countsSumInv: 'exact', logitMaxes: 'wrong', logprobs: 'exact' },
    hints: { countsSumInv: 1 },
  };
  await page.evaluate((v1) => {
    localStorage.removeItem('backprop-ninja.lab.v3');
    localStorage.removeItem('backprop-ninja.lab.v2');
    localStorage.setItem('backprop-ninja.lab.v1', v1);
  }, JSON.stringify(old));
  await page.reload();
  await page.getByRole('tab', { name: 'Exercises' }).click();
  assert.match(await page.locator('#exercise-title').textContent() ?? '', /^dcounts_sum_inv {2}\[32, 1\]/);
  // the old answer, in the lecture's names, as a Python comment above an editor that starts afresh
  assert.equal(await page.getByTestId('exercise-old').textContent(),
    "# your earlier answer, in the old function syntax (kept; the editor now takes the lecture's Python):\n" +
    '# dcounts_sum_inv = sum(mul(counts, dprobs), 1, { keepdim: true })');
  assert.equal(await editorText(page, 'exercise-editor'), 'dcounts_sum_inv = ');
  assert.equal(await page.locator('#exercise-list button[data-id="counts_sum_inv"]').getAttribute('class'), 'exact');
  assert.equal(await page.locator('#exercise-list button[data-id="logit_maxes"]').getAttribute('class'), 'wrong');
  assert.equal(await page.locator('#exercise-list button[data-id="logprobs"]').getAttribute('class'), 'exact');
  assert.match(await page.locator('#exercise-list button[data-id="counts_sum_inv"]').textContent() ?? '', /^3\. dcounts_sum_inv/);
  assert.match(await page.locator('#exercise-hints').textContent() ?? '', /The local derivative/);
  const v = await attempt('dcounts_sum_inv = (counts * dprobs).sum(1, keepdim=True)');
  assert.equal(v.kind, 'exact', v.text);
  const v3 = await page.evaluate(() => localStorage.getItem('backprop-ninja.lab.v3'));
  assert.ok(v3 !== null && JSON.parse(v3).status.counts_sum_inv === 'exact', String(v3));
  assert.equal(JSON.parse(v3).old.counts_sum_inv, 'dcounts_sum_inv = sum(mul(counts, dprobs), 1, { keepdim: true })');
  // the other exercise's old answer too, and the v2 store left in place for an older page
  await page.locator('#exercise-list button[data-id="logit_maxes"]').click();
  assert.match(await page.getByTestId('exercise-old').textContent() ?? '', /\n# dlogit_maxes = dnorm_logits$/);
  await page.locator('#exercise-list button[data-id="logprobs"]').click();
  assert.equal(await page.getByTestId('exercise-old').isHidden(), true);
});

browserTest('train: a bad file gets a clear message; 300 steps in a worker make the loss fall', async () => {
  await page.getByRole('tab', { name: 'Train' }).click();
  // a dropped file, as a user drags one in
  await page.evaluate(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['ann\nj.r.\n'], 'bad.txt', { type: 'text/plain' }));
    document.getElementById('train-drop')?.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  await page.waitForFunction(() => (document.getElementById('train-error')?.textContent ?? '') !== '');
  assert.match(await page.locator('#train-error').textContent() ?? '', /bad\.txt:2: the name "j\.r\." contains '\.'/);
  await page.locator('#train-file').setInputFiles({ name: 'empty.txt', mimeType: 'text/plain', buffer: Buffer.from('') });
  await page.waitForFunction(() => document.getElementById('train-error')?.textContent?.startsWith('empty.txt'));
  assert.match(await page.locator('#train-error').textContent() ?? '', /empty\.txt: the file is empty/);
  await page.locator('#train-embedded').click();
  assert.equal(await page.locator('#train-error').textContent(), '');
  // pause really pauses the worker; resume goes on; stop ends the run early (and still reports)
  await page.locator('#train-steps-input').fill('1000000');
  await page.getByTestId('train-start').click();
  await page.waitForFunction(() => Number(document.getElementById('train-steps')?.textContent) > 50);
  await page.locator('#train-pause').click();
  await page.waitForTimeout(150);
  const paused = await text('train-steps');
  await page.waitForTimeout(400);
  assert.equal(await text('train-steps'), paused);
  assert.equal(await page.locator('#train-pause').textContent(), 'Resume');
  await page.locator('#train-pause').click();
  await page.waitForFunction((n) => Number(document.getElementById('train-steps')?.textContent) > n, Number(paused));
  await page.locator('#train-stop').click();
  await page.waitForFunction(() => document.getElementById('train-result')?.textContent?.includes('split losses'), undefined, { timeout: 30_000 });
  await page.locator('#train-steps-input').fill('600');
  await page.getByTestId('train-start').click();
  await page.waitForFunction(() => document.getElementById('train-result')?.textContent?.startsWith('600 steps'), undefined, { timeout: 30_000 });
  assert.equal(await text('train-steps'), '600');
  const last = Number(await text('train-loss'));
  const first = Number(await page.getByTestId('train-loss').getAttribute('data-first'));
  assert.ok(first > 3 && last < first - 0.4, `loss ${first} -> ${last}`);
  const result = await page.locator('#train-result').textContent() ?? '';
  const m = /train (\d\.\d+)\s+val (\d\.\d+)/.exec(result);
  assert.ok(m !== null && Number(m[1]) < 2.8 && Number(m[2]) < 2.9, result);
  assert.ok(Number(await page.locator('#train-rate').textContent()) > 0);
  await shot('train');
});

browserTest('checkpoint: the downloaded safetensors is what the CLI reads; loading it back, and a bad file', async () => {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('#train-download').click()]);
  const file = join(profile, 'model.safetensors');
  await dl.saveAs(file);
  const ck = decodeCheckpoint(new Uint8Array(readFileSync(file)), file);
  assert.deepEqual([ck.cfg.nEmbd, ck.cfg.nHidden, ck.cfg.blockSize, ck.itos.length], [10, 64, 3, 28]);
  assert.deepEqual(ck.extra.get('bnmean')?.shape, [1, 64]); // the lecture's keepdim shape, as the CLI writes it
  const cli = spawnSync(process.execPath, [CLI, 'check', '--checkpoint', file, '--json'], { encoding: 'utf8' });
  assert.equal(cli.status, 0, cli.stderr);
  assert.equal((JSON.parse(cli.stdout) as { ok: boolean }).ok, true);
  await page.locator('#train-load').setInputFiles(file);
  await page.waitForFunction(() => document.getElementById('train-result')?.textContent?.startsWith('loaded'));
  await page.locator('#train-load').setInputFiles({ name: 'junk.safetensors', mimeType: 'application/octet-stream', buffer: Buffer.from('not a checkpoint') });
  await page.waitForFunction(() => (document.getElementById('train-error')?.textContent ?? '') !== '');
  assert.match(await page.locator('#train-error').textContent() ?? '', /^junk\.safetensors: /);
});

browserTest('sample: names from the trained model, reproducible by seed', async () => {
  await page.getByRole('tab', { name: 'Sample' }).click();
  assert.match(await page.locator('#sample-model').textContent() ?? '', /model: trained/);
  await page.getByTestId('sample-button').click();
  const names = await page.getByTestId('sample-output').locator('li').allTextContents();
  assert.equal(names.length, 20);
  assert.ok(names.filter((n) => /^[a-z-]+$/.test(n)).length >= 15, names.join(', '));
  await page.getByTestId('sample-button').click();
  assert.deepEqual(await page.getByTestId('sample-output').locator('li').allTextContents(), names);
  await page.locator('#sample-topk').fill('1');
  await page.getByTestId('sample-button').click();
  const greedy = await page.getByTestId('sample-output').locator('li').allTextContents();
  assert.equal(new Set(greedy).size, 1, 'top-k 1 is greedy: every name the same');
  await page.locator('#sample-topk').fill('0');
  await page.getByTestId('sample-button').click();
  await shot('sample');
});

browserTest('graph view on the trained model: its gradients, still checked exactly', async () => {
  await page.getByRole('tab', { name: 'Graph' }).click();
  await page.locator('#graph-model').selectOption('current');
  const status = await page.locator('#graph-status').textContent() ?? '';
  assert.match(status, /^the trained model .*: loss (\d\.\d+); 26\/26 gradients exact, 28\/28/);
  assert.ok(Number(/loss (\d\.\d+)/.exec(status)?.[1]) < 3, status);
  await page.getByTestId('graph-node-W1').click();
  assert.match(await text('check-row-W1'), /^W1 \| exact: True .*shape: \[30, 64\]$/);
  await page.locator('#graph-model').selectOption('init');
});

browserTest('a phone-sized screen: no horizontal scrolling in any view; tabs work from the keyboard', async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  for (const v of ['Graph', 'Exercises', 'Train', 'Sample']) {
    await page.getByRole('tab', { name: v }).click();
    const [sw, w] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    assert.ok(sw <= w + 1, `${v}: page is ${sw}px wide in a ${w}px window`);
  }
  await page.getByRole('tab', { name: 'Sample' }).focus();
  await page.keyboard.press('ArrowLeft');
  assert.equal(await page.getByRole('tab', { name: 'Train' }).getAttribute('aria-selected'), 'true');
  await page.setViewportSize({ width: 1280, height: 800 });
});

browserTest('no console errors', () => {
  assert.deepEqual(consoleErrors, []);
});
