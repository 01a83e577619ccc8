// `data --download`, `data --add` and `-i names`, as a user runs them (the CLI in a child process), against
// a local HTTP server on 127.0.0.1 and a temporary cache directory (XDG_CACHE_HOME in the child's
// environment): never the internet, never the user's cache. Success, a wrong hash, 404, a refused
// connection, a body cut short, a body over the size limit: each failure is one line, exit 2, nothing kept.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { LECTURE_NAMES, cacheDir, countLines, download, expectation } from '../../src/node/data-cache.js';
import { decodeSafetensors, encodeSafetensors } from '../../src/core/run/safetensors.js';
import { AZ_NAMES, CLI, NAMES_ENV, findNamesTxt, needNames } from '../helpers.js';

const TMP = mkdtempSync(join(tmpdir(), 'bpn-cache-'));
after(() => rmSync(TMP, { recursive: true, force: true }));

const AZ = Buffer.from(AZ_NAMES);
/**
 * A failed download's line: `what` (a regex source), then that nothing was kept and how to store a copy got
 * some other way (with the --sha256 it was asked for).
 */
const failed = (what: string, sha?: string): RegExp =>
  new RegExp(`${what}; nothing was kept; with the file from elsewhere \\(a browser, a colleague\\): backprop-ninja data --add FILE${sha === undefined ? '' : ` --sha256 ${sha}`}$`);
const AZ_SHA = createHash('sha256').update(AZ).digest('hex');
/** The lecture's file, when this machine has it (the tests that serve it skip otherwise). */
const LECTURE = ((): Buffer | undefined => {
  const p = findNamesTxt();
  return p === undefined ? undefined : readFileSync(p);
})();

let server: Server;
let base = '';
let refusedPort = 0;

before(async () => {
  server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (url === '/az.txt') {
      res.writeHead(200, { 'content-length': AZ.length }).end(AZ);
    } else if (url === '/names.txt' && LECTURE !== undefined) {
      res.writeHead(200, { 'content-length': LECTURE.length }).end(LECTURE);
    } else if (url === '/corrupt/names.txt' && LECTURE !== undefined) {
      const bad = Buffer.from(LECTURE);
      bad[1000] ^= 1; // one bit flipped: same length, same line count, another hash
      res.writeHead(200, { 'content-length': bad.length }).end(bad);
    } else if (url === '/short/names.txt') {
      // the announced length, then the connection dropped part way
      res.writeHead(200, { 'content-length': LECTURE_NAMES.bytes });
      res.write(AZ.subarray(0, 100), () => res.socket?.destroy());
    } else if (url === '/huge.txt') {
      // no length announced, and more than the limit: refused while it streams in
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(1 << 20, 'a\n');
      let sent = 0;
      const pump = (): void => {
        while (sent < 20 && res.write(chunk)) sent++;
        if (sent < 20) res.once('drain', pump);
        else res.end();
      };
      res.on('error', () => undefined);
      pump();
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  assert.ok(addr !== null && typeof addr === 'object');
  base = `http://127.0.0.1:${addr.port}`;
  // a port nobody listens on: bind one, then close it
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  refusedPort = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
});

after(() => server?.close());

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let n = 0;
/** A fresh temporary cache (and working directory) per call unless one is given. */
function freshCache(): string {
  const d = join(TMP, `cache-${n++}`);
  mkdirSync(d, { recursive: true });
  return d;
}

/** The CLI with its cache in `cache`; async so that the in-process server keeps answering. */
function cli(cache: string, args: string[], cwd = cache): Promise<Run> {
  return new Promise((resolve) => {
    const env = { ...process.env, XDG_CACHE_HOME: cache, BACKPROP_NINJA_DEBUG: '' };
    const p = spawn(process.execPath, [CLI, ...args], { cwd, env });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    p.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** One stderr line `backprop-ninja: error: ...` matching re, exit 2, nothing on stdout, no stack. */
function expectOneLine(r: Run, re: RegExp): void {
  const lines = r.stderr.split('\n').filter((l) => l.length > 0);
  assert.equal(lines.length, 1, `one stderr line, got:\n${r.stderr}`);
  assert.match(lines[0], /^backprop-ninja: error: /);
  assert.match(lines[0], re);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
}

/** Every file under the cache (temp files included): nothing may be kept after a failure. */
function filesIn(cache: string): string[] {
  const dir = join(cache, 'backprop-ninja');
  return existsSync(dir) ? readdirSync(dir) : [];
}

test('--url URL --sha256 HEX: downloads, verifies, stores atomically and prints the path; -i <name> reads it', async () => {
  const cache = freshCache();
  const r = await cli(cache, ['data', '--download', '--url', `${base}/az.txt`, '--sha256', AZ_SHA]);
  assert.equal(r.code, 0, r.stderr);
  const path = join(cache, 'backprop-ninja', 'az.txt');
  assert.equal(r.stdout, `${path}\n`);
  assert.match(r.stderr, /^downloaded, verified \(sha256 [0-9a-f]{8}\.\.\.\); read it with -i az\b/);
  assert.deepEqual(readFileSync(path), AZ);
  assert.deepEqual(filesIn(cache), ['az.txt'], 'no temp file left');
  // asked again: the verified copy in the cache is the file (known by its hash), no network needed
  const again = await cli(cache, ['data', '--download', '--url', `http://127.0.0.1:${refusedPort}/az.txt`, '--sha256', AZ_SHA]);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(again.stdout, `${path}\n`);
  assert.match(again.stderr, /^already in the cache, verified/);
  // a cached copy that no longer verifies is fetched again (and replaced atomically)
  writeFileSync(path, 'tampered\n');
  const refetch = await cli(cache, ['data', '--download', '--url', `${base}/az.txt`, '--sha256', AZ_SHA]);
  assert.equal(refetch.code, 0, refetch.stderr);
  assert.deepEqual(readFileSync(path), AZ);
  const d = await cli(cache, ['data', '-i', 'az', '--json']);
  assert.equal(d.code, 0, d.stderr);
  assert.equal((JSON.parse(d.stdout) as { names: number; source: string }).names, 60);
});

test("the lecture's file from a local mirror (--url): 32,033 lines, its sha256, then `-i names` everywhere", async (t) => {
  if (needNames(t) === undefined) return;
  const cache = freshCache();
  const r = await cli(cache, ['data', '--download', '--url', `${base}/names.txt`]);
  assert.equal(r.code, 0, r.stderr);
  const path = join(cache, 'backprop-ninja', 'names.txt');
  assert.equal(r.stdout.trim(), path);
  assert.match(r.stderr, /read it with -i names, e\.g\. npx backprop-ninja train -i names --test/);
  assert.equal(createHash('sha256').update(readFileSync(path)).digest('hex'), LECTURE_NAMES.sha256);
  const d = await cli(cache, ['data', '-i', 'names']);
  assert.equal(d.code, 0, d.stderr);
  assert.match(d.stdout, /names: +32033/);
  assert.match(d.stdout, /shuffled: +yuheng, diondre, xavien,/);
  // an existing path of that name wins over the cache
  const cwd = join(cache, 'work');
  mkdirSync(cwd);
  writeFileSync(join(cwd, 'names'), AZ_NAMES);
  const local = await cli(cache, ['data', '-i', 'names', '--json'], cwd);
  assert.equal(local.code, 0, local.stderr);
  assert.deepEqual(JSON.parse(local.stdout).names, 60);
});

test('a corrupted file (same length, one bit flipped) is refused, and nothing is kept', async (t) => {
  if (needNames(t) === undefined) return;
  const cache = freshCache();
  const r = await cli(cache, ['data', '--download', '--url', `${base}/corrupt/names.txt`]);
  expectOneLine(r, failed(String.raw`corrupt/names\.txt: sha256 [0-9a-f]{64}, expected 0a30b555[0-9a-f]{56} \(corrupted or another file\?\)`));
  assert.deepEqual(filesIn(cache), []);
});

test('a wrong hash, a 404, a refused connection, a body cut short, a body over the limit: one line each, nothing kept', async () => {
  const cases: [string[], RegExp][] = [
    [['--url', `${base}/az.txt`, '--sha256', 'f'.repeat(64)], failed(String.raw`az\.txt: sha256 [0-9a-f]{64}, expected f{64} \(corrupted or another file\?\)`, 'f'.repeat(64))],
    // the default expectation (the lecture's file): another file fails on its line count first
    [['--url', `${base}/az.txt`], failed(String.raw`az\.txt: 60 lines, expected the lecture's 32033 \(truncated or another file\?\)`)],
    [['--url', `${base}/missing/names.txt`], failed(String.raw`cannot download http://127\.0\.0\.1:\d+/missing/names\.txt: HTTP 404 Not Found`)],
    // what offline looks like from here: nothing answers
    [['--url', `http://127.0.0.1:${refusedPort}/names.txt`], failed('cannot download .*: connection refused')],
    [['--url', `${base}/short/names.txt`], failed(String.raw`cannot download .*short/names\.txt: the connection closed before the whole file arrived \(truncated\) after 100 bytes`)],
    [['--url', `${base}/huge.txt`, '--sha256', AZ_SHA], failed(String.raw`cannot download .*huge\.txt: more than 16777216 bytes \(the limit for a names file\)`, AZ_SHA)],
    [['--url', 'ftp://example.com/names.txt'], /--url must be http\(s\), got 'ftp:\/\/example\.com\/names\.txt'$/],
    [['--sha256', 'abc'], /--sha256 must be 64 hex digits, got 'abc'$/],
  ];
  // side by side (each has its own cache): the test's time is one CLI start, not eight
  const caches = cases.map(() => freshCache());
  const runs = await Promise.all(cases.map(([args], i) => cli(caches[i], ['data', '--download', ...args])));
  cases.forEach(([args, re], i) => {
    expectOneLine(runs[i], re);
    assert.deepEqual(filesIn(caches[i]), [], `${args.join(' ')}: nothing kept`);
  });
});

test('data --add FILE: verifies and stores a copy; a wrong file is refused and not stored', async (t) => {
  const cache = freshCache();
  const az = join(cache, 'az.txt');
  writeFileSync(az, AZ);
  const ok = await cli(cache, ['data', '--add', az, '--sha256', AZ_SHA]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stdout.trim(), join(cache, 'backprop-ninja', 'az.txt'));
  const wrong = await cli(cache, ['data', '--add', az]); // checked against the lecture's file by default
  expectOneLine(wrong, /az\.txt: 60 lines, expected the lecture's 32033/);
  assert.deepEqual(filesIn(cache), ['az.txt']);
  expectOneLine(await cli(cache, ['data', '--add', join(cache, 'nope.txt')]), /cannot read names file .*nope\.txt: no such file or directory/);
  const names = needNames(t);
  if (names === undefined) return;
  const lecture = await cli(cache, ['data', '--add', names]);
  assert.equal(lecture.code, 0, lecture.stderr);
  assert.deepEqual(filesIn(cache).sort(), ['az.txt', 'names.txt']);
});

test('-i names with nothing cached: one line that says how to download it', async () => {
  const cache = freshCache();
  for (const cmd of [['data'], ['check'], ['train', '--max-steps', '1'], ['init', '--out', 'x.safetensors']]) {
    const r = await cli(cache, [...cmd, '-i', 'names']);
    expectOneLine(r, /no file 'names' here and no names\.txt in the cache \(.*backprop-ninja\); download the lecture's names with: npx backprop-ninja data --download$/);
  }
  // a path-like value is never taken for a cached name
  expectOneLine(await cli(cache, ['data', '-i', 'names.txt']), /cannot read names file names\.txt: no such file or directory/);
  assert.deepEqual(filesIn(cache), []);
});

test('the cache is per user and per platform; XDG_CACHE_HOME wins everywhere', () => {
  assert.equal(cacheDir({ XDG_CACHE_HOME: '/x/cache' }, 'linux'), join('/x/cache', 'backprop-ninja'));
  assert.equal(cacheDir({ XDG_CACHE_HOME: '/x/cache' }, 'darwin'), join('/x/cache', 'backprop-ninja'));
  assert.match(cacheDir({}, 'linux'), /\.cache[/\\]backprop-ninja$/);
  assert.match(cacheDir({}, 'darwin'), /Library[/\\]Caches[/\\]backprop-ninja$/);
  assert.equal(cacheDir({ LOCALAPPDATA: 'C:\\Users\\a\\AppData\\Local' }, 'win32'), join('C:\\Users\\a\\AppData\\Local', 'backprop-ninja', 'Cache'));
  assert.equal(countLines(Buffer.from('a\nb')), 2);
  assert.equal(countLines(Buffer.from('a\nb\n')), 2);
  assert.equal(countLines(Buffer.from('')), 0);
});

test('a progress line while it downloads, on a terminal only', async () => {
  const cache = freshCache();
  const saved = process.env.XDG_CACHE_HOME;
  process.env.XDG_CACHE_HOME = cache;
  try {
    let drawn = '';
    const tty = { isTTY: true, write: (s: string) => (drawn += s) };
    const path = await download({ url: `${base}/az.txt`, want: expectation(AZ_SHA), progress: tty });
    assert.equal(path, join(cache, 'backprop-ninja', 'az.txt'));
    assert.match(drawn, /\r\x1b\[2Kdownloading az\.txt: 299 B of 299 B \(100%\)/);
    assert.ok(drawn.endsWith('\r\x1b[2K'), 'the line is cleared at the end');
    let quiet = '';
    await download({ url: `${base}/az.txt`, want: expectation(AZ_SHA), progress: { isTTY: false, write: (s: string) => (quiet += s) } });
    assert.equal(quiet, '');
  } finally {
    if (saved === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = saved;
  }
});

test(`the tests find names.txt in order: $${NAMES_ENV}, ../shared beside the repo, the cache`, () => {
  const f = join(TMP, 'elsewhere.txt');
  writeFileSync(f, AZ);
  assert.equal(findNamesTxt({ [NAMES_ENV]: f }), f);
  assert.throws(() => findNamesTxt({ [NAMES_ENV]: join(TMP, 'missing.txt') }), /no such file/);
});

test('train -i <cached name> records the file it read: eval and --resume find it from any directory; an older checkpoint that recorded ./<name> still loads', async () => {
  // `-i az` is the cache's az.txt (as `-i names` is names.txt); before the fix the checkpoint recorded
  // <cwd>/az, a file that does not exist, and `eval -o out` failed with "cannot read names file"
  const cache = freshCache();
  writeFileSync(join(cache, 'az.txt'), AZ);
  assert.equal((await cli(cache, ['data', '--add', join(cache, 'az.txt'), '--sha256', AZ_SHA])).code, 0);
  rmSync(join(cache, 'az.txt'));
  const cwd = join(cache, 'work');
  mkdirSync(cwd);
  const stored = join(cache, 'backprop-ninja', 'az.txt');
  const trained = await cli(cache, ['train', '-i', 'az', '--n-hidden', '8', '--max-steps', '40', '--lr-decay-step', '40'], cwd);
  assert.equal(trained.code, 0, trained.stderr);
  const ckPath = join(cwd, 'out', 'model.safetensors');
  const file = decodeSafetensors(readFileSync(ckPath), ckPath);
  assert.equal(JSON.parse(file.metadata.input), stored, 'the checkpoint records the cached file it read');
  const losses = /^(train .*\nval .*)$/m.exec(trained.stdout)![1];
  for (const [args, where] of [[['eval', '-o', 'out'], cwd], [['eval', '--checkpoint', ckPath], cache]] as const) {
    const r = await cli(cache, [...args], where);
    assert.equal(r.code, 0, `${args.join(' ')} in ${where}: ${r.stderr}`);
    assert.ok(r.stdout.includes(`on ${stored}:\n${losses}\n`), r.stdout);
  }
  // a checkpoint from before the fix: `input` is <the directory train ran in>/az
  file.metadata.input = JSON.stringify(join(cwd, 'az'));
  writeFileSync(ckPath, encodeSafetensors(file.tensors, file.metadata));
  const old = await cli(cache, ['eval', '-o', 'out'], cwd);
  assert.equal(old.code, 0, old.stderr);
  assert.ok(old.stdout.includes(`on ${stored}:\n${losses}\n`), old.stdout);
  const resumed = await cli(cache, ['train', '-o', 'out', '--resume', '--max-steps', '60'], cwd);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.equal(JSON.parse(decodeSafetensors(readFileSync(ckPath), ckPath).metadata.input), stored, '--resume records the file it read');
});
