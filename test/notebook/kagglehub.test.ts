// kagglehub.dataset_download in the notebook runtime, against a local HTTP server playing Kaggle's API
// (KAGGLE_API_ENDPOINT): the version lookup, the archive download (through a redirect, as Kaggle's goes to
// its storage), the extraction into kagglehub's cache layout, the cache on the next call, offline with and
// without a cached copy, an error answer, a hostile archive, and Ctrl-C during a download that stalls.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { NotebookHost, type CellEvent } from '../../src/node/notebook-host.js';
import type { CellError, CellOutcome } from '../../src/notebook/runtime.js';
import { zip } from '../helpers.js';

const TMP = mkdtempSync(join(tmpdir(), 'backprop-ninja-kagglehub-'));
const CACHE = join(TMP, 'kagglehub');
const WORK = join(TMP, 'work');
mkdirSync(WORK);

const NAMES = 'emma\nolivia\nava\n';
const requests: string[] = [];
let server: Server;
let endpoint = '';
let closedPort = 0; // a port nothing listens on: offline
let host: NotebookHost;
let events: CellEvent[] = [];
let count = 0;

before(async () => {
  server = createServer((req, res) => {
    const url = req.url ?? '';
    requests.push(url);
    const archive = (body: Buffer): void => {
      res.writeHead(200, { 'content-type': 'application/zip', 'content-length': body.length });
      res.end(body);
    };
    if (url === '/api/v1/datasets/view/rishitjakharia/names-txt') res.end(JSON.stringify({ currentVersionNumber: 2 }));
    else if (url === '/api/v1/datasets/download/rishitjakharia/names-txt?dataset_version_number=2') {
      res.writeHead(302, { location: '/storage/names-txt.zip' }).end(); // Kaggle redirects to its storage
    } else if (url === '/storage/names-txt.zip') archive(zip({ 'names.txt': NAMES }));
    else if (url === '/api/v1/datasets/view/evil/slip') res.end(JSON.stringify({ currentVersionNumber: 1 }));
    else if (url === '/api/v1/datasets/download/evil/slip?dataset_version_number=1') archive(zip({ '../../../outside.txt': 'x', 'in.txt': 'y' }));
    else if (url === '/api/v1/datasets/view/slow/stall') res.end(JSON.stringify({ currentVersionNumber: 1 }));
    else if (url.startsWith('/api/v1/datasets/download/slow/stall')) res.writeHead(200, { 'content-length': 1000 }).write('x'); // then nothing
    else res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 404, message: 'Not found' }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
  host = await NotebookHost.start(WORK, (e) => events.push(e), {
    env: { HOME: join(TMP, 'home'), KAGGLE_API_ENDPOINT: endpoint, KAGGLEHUB_CACHE: CACHE },
  });
});
after(async () => {
  await host?.close();
  server?.closeAllConnections();
  server?.close();
  rmSync(TMP, { recursive: true, force: true });
});

async function cell(source: string): Promise<{ outcome: CellOutcome; out: string; err: string }> {
  events = [];
  const outcome = await host.run(source, ++count);
  const text = (name: string): string => events.map((e) => (e.type === 'stream' && e.name === name ? e.text : '')).join('');
  return { outcome, out: text('stdout'), err: text('stderr') };
}

const lastLine = (o: CellOutcome): string => {
  assert.equal(o.status, 'error', JSON.stringify(o));
  const tb = (o as CellError).traceback;
  return tb[tb.length - 1];
};

test("dataset_download: the current version, the archive through the redirect, kagglehub's cache layout", async () => {
  const r = await cell("import kagglehub\npath = kagglehub.dataset_download('rishitjakharia/names-txt')\nprint(path)\nwords = open(path + '/names.txt', 'r').read().splitlines()\nprint(len(words), words)");
  assert.deepEqual(r.outcome, { status: 'ok' });
  const dir = join(CACHE, 'datasets', 'rishitjakharia', 'names-txt');
  assert.equal(r.out, [
    `Downloading from ${endpoint}/api/v1/datasets/download/rishitjakharia/names-txt?dataset_version_number=2...`,
    'Extracting files...',
    join(dir, 'versions', '2'),
    "3 ['emma', 'olivia', 'ava']",
    '',
  ].join('\n'));
  assert.deepEqual(requests, ['/api/v1/datasets/view/rishitjakharia/names-txt', '/api/v1/datasets/download/rishitjakharia/names-txt?dataset_version_number=2', '/storage/names-txt.zip']);
  assert.deepEqual(readdirSync(dir).sort(), ['2.complete', 'versions'], 'the archive is removed, the version marked complete');
});

test('the next call finds the cached version and downloads nothing; a versioned handle asks nothing at all', async () => {
  requests.length = 0;
  const r = await cell("print(kagglehub.dataset_download('rishitjakharia/names-txt') == path)\nprint(kagglehub.dataset_download('rishitjakharia/names-txt/versions/2') == path)");
  assert.equal(r.out, 'True\nTrue\n');
  assert.deepEqual(requests, ['/api/v1/datasets/view/rishitjakharia/names-txt']);
});

test('offline: the cached version with a note; a dataset not in the cache is one clear line', async () => {
  try {
    const r = await cell(`import os\nos.environ['KAGGLE_API_ENDPOINT'] = 'http://127.0.0.1:${closedPort}'\nprint(kagglehub.dataset_download('rishitjakharia/names-txt') == path)`);
    assert.equal(r.out, 'True\n');
    assert.equal(r.err, `[backprop-ninja] kagglehub: cannot reach 127.0.0.1:${closedPort}: connection refused; using the cached version 2 of rishitjakharia/names-txt\n`);
    const e = await cell("kagglehub.dataset_download('someone/else')");
    assert.equal(lastLine(e.outcome), `ConnectionError: kagglehub: cannot reach 127.0.0.1:${closedPort}: connection refused`);
  } finally {
    await cell(`os.environ['KAGGLE_API_ENDPOINT'] = ${JSON.stringify(endpoint)}`);
  }
});

test("an error answer is the API's error; a bad handle is kagglehub's ValueError", async () => {
  const e = await cell("kagglehub.dataset_download('nobody/nothing')");
  assert.equal(lastLine(e.outcome), `kagglehub.KaggleApiHTTPError: 404 Client Error: Not Found for url: ${endpoint}/api/v1/datasets/view/nobody/nothing (Not found)`);
  assert.equal(lastLine((await cell("kagglehub.dataset_download('just-one-part')")).outcome), 'ValueError: Invalid dataset handle: just-one-part');
});

test('an archive naming ../../../outside.txt extracts inside the dataset folder only', async () => {
  const r = await cell("p = kagglehub.dataset_download('evil/slip')\nimport os\nprint(sorted(os.listdir(p)))");
  assert.deepEqual(r.outcome, { status: 'ok' });
  assert.match(r.out, /\['in\.txt', 'outside\.txt'\]\n$/);
  assert.ok(!existsSync(join(CACHE, 'datasets', 'outside.txt')) && !existsSync(join(CACHE, 'outside.txt')) && !existsSync(join(TMP, 'outside.txt')));
});

test('Ctrl-C during a download that stalls: KeyboardInterrupt at once, no half file, the runtime goes on', async () => {
  const p = cell("kagglehub.dataset_download('slow/stall')");
  setTimeout(() => host.interruptCell(), 500);
  const t0 = performance.now();
  const r = await p;
  assert.equal(lastLine(r.outcome), 'KeyboardInterrupt');
  assert.ok(performance.now() - t0 < 5000);
  const dir = join(CACHE, 'datasets', 'slow', 'stall');
  assert.deepEqual(readdirSync(dir).filter((f) => f.includes('archive')), [], 'no archive or temp file left');
  assert.deepEqual((await cell('1 + 1')).outcome, { status: 'ok' });
});
