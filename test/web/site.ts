// What the three browser test files share: the built site served on 127.0.0.1 by a tiny static server, the
// rule for a machine without Chromium (each browser test skipped with one line; failed under CI=true), and
// how a test types into the lab's CodeMirror editors (the notebook's cells, the exercise's answer).

import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { test, type TestContext } from 'node:test';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { skipOrFail } from '../helpers.js';

export const CHROMIUM = process.env.BPN_CHROMIUM ?? '/usr/bin/chromium';

/** Why the browser tests cannot run here, or undefined when they can. */
export const NO_BROWSER = existsSync(CHROMIUM) ? undefined
  : `needs Chromium at ${CHROMIUM}: install it with \`sudo apt-get install -y chromium\` (Debian/Ubuntu), or set BPN_CHROMIUM to a Chromium binary`;

/** A browser test: skipped (CI=true: failed) with one line when there is no Chromium. */
export function browserTest(name: string, fn: (t: TestContext) => Promise<void> | void): void {
  test(name, async (t: TestContext) => {
    if (NO_BROWSER !== undefined) {
      skipOrFail(t, NO_BROWSER);
      return;
    }
    await fn(t);
  });
}

/**
 * Headless Chromium with a fresh profile of its own (its IndexedDB starts empty: the lab's first start is a
 * cold one); close() ends it and removes the profile.
 */
export async function launchBrowser(name: string, viewport: { width: number; height: number }): Promise<{ ctx: BrowserContext; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), `bpn-chromium-${name}-`));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, viewport, acceptDownloads: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
  return {
    ctx,
    close: async () => {
      await ctx.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css',
  '.json': 'application/json', '.wasm': 'application/wasm', '.zip': 'application/zip', '.svg': 'image/svg+xml',
};

/**
 * Serves root on 127.0.0.1 (a free port). isolation: 'none' as a plain static host; 'always' with the
 * COOP/COEP headers `npm run web` sends (cross-origin isolated: SharedArrayBuffer, interrupts); 'unless-plain'
 * isolated except for a page asked with ?plain (and what it loads), on the same origin.
 */
export function serveSite(root: string, isolation: 'none' | 'always' | 'unless-plain'): Promise<Server> {
  const s = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    let file = join(root, path);
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!file.startsWith(root) || !existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    const headers: Record<string, string> = { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' };
    const plain = (req.url ?? '').includes('?plain') || (req.headers.referer ?? '').includes('?plain');
    if (isolation === 'always' || (isolation === 'unless-plain' && !plain)) {
      headers['cross-origin-opener-policy'] = 'same-origin';
      headers['cross-origin-embedder-policy'] = 'require-corp';
    }
    res.writeHead(200, headers).end(readFileSync(file));
  });
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve(s)));
}

/** The editing area (CodeMirror's contenteditable `.cm-content`) of the editor in the element `testId`. */
export const editorContent = (page: Page, testId: string): Locator => page.locator(`[data-testid="${testId}"] .cm-content`);

/** Replaces an editor's text as a user pasting it would (Playwright's fill() on the contenteditable: select all, insert). */
export async function fillEditor(page: Page, testId: string, code: string): Promise<void> {
  await editorContent(page, testId).fill(code);
}

/** An editor's text, line by line as CodeMirror shows it (every line of a short text is in the DOM). */
export async function editorText(page: Page, testId: string): Promise<string> {
  return (await page.locator(`[data-testid="${testId}"] .cm-line`).allTextContents()).join('\n');
}
