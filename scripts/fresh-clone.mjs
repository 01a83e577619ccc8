#!/usr/bin/env node
// npm run test:fresh-clone: the README from a fresh clone, as a stranger follows it. Clones this repository's
// committed HEAD into a temp directory, then runs every command line of the README's ```sh blocks in order,
// as written (`npm install && npx backprop-ninja train`, `npm test`, the CLI lines through npx, `npm run
// web`, `npm run build:web`), each checked by test/cli/readme-commands.ts (the same checks as the quick
// in-suite test/cli/readme.test.ts, plus the README's own numbers: full-length runs here), and prints how long
// each took. Several minutes (npm test alone is most of it): not part of `npm test`.
//
// What differs from a stranger's machine, and why:
// - a private cache (XDG_CACHE_HOME in the temp directory), so your own is neither used nor touched;
// - npm installs with prefer-offline from your npm cache (the registry is not needed when it has the packages);
// - this machine may be offline: `data --download` then finds the file already stored with `data --add`, the
//   README's way for that case (the lecture's names.txt from $BPN_NAMES_TXT, ../shared/data, or your cache);
//   --online skips that and downloads for real;
// - the lecture's notebook comes from ../shared/notebooks (the README says to download it), with exercise 4
//   lowered to 1,000 steps unless --full-notebook (7 minutes as written).
//
// Usage: npm run test:fresh-clone [-- --skip-npm-test] [--online] [--full-notebook] [--keep]

import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const opts = new Set(process.argv.slice(2));
for (const o of opts) {
  if (!['--skip-npm-test', '--online', '--full-notebook', '--keep'].includes(o)) {
    console.error(`fresh-clone: unknown option ${o} (options: --skip-npm-test, --online, --full-notebook, --keep)`);
    process.exit(2);
  }
}
const helpers = join(root, 'dist', 'test', 'cli', 'readme-commands.js');
if (!existsSync(helpers)) {
  console.error('fresh-clone: run `npm run build` first (it compiles test/cli/readme-commands.ts)');
  process.exit(2);
}
const R = await import(pathToFileURL(helpers).href);

const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: root, encoding: 'utf8' }).trim();
if (dirty !== '') console.log('fresh-clone: note: uncommitted changes are not in the clone (it is of HEAD)');

const tmp = mkdtempSync(join(tmpdir(), 'bpn-fresh-clone-'));
const clone = join(tmp, 'backprop-ninja');
const cache = join(tmp, 'cache');
const env = {
  ...process.env,
  XDG_CACHE_HOME: cache,
  npm_config_prefer_offline: 'true',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  BACKPROP_NINJA_DEBUG: '',
};
delete env.CI; // a stranger's npm test: skips (with their lines) are not failures
delete env.BPN_NAMES_TXT;

const namesTxt = [process.env.BPN_NAMES_TXT, join(root, '..', 'shared', 'data', 'names.txt'), join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'backprop-ninja', 'names.txt')]
  .find((p) => p !== undefined && p !== '' && existsSync(p));
const lectureNb = join(root, '..', 'shared', 'notebooks', 'makemore_part4_backprop.ipynb');

const times = [];
let failed = 0;
const t = () => performance.now() / 1000;

/** npx's cache entry for the clone (~/.npm/_npx/<hash>/, a link to it): removed with the clone. */
function removeNpxEntry() {
  const npx = join(process.env.npm_config_cache || join(homedir(), '.npm'), '_npx');
  if (!existsSync(npx)) return;
  for (const h of readdirSync(npx)) {
    const pkg = join(npx, h, 'package.json');
    try {
      if (readFileSync(pkg, 'utf8').includes(clone)) rmSync(join(npx, h), { recursive: true, force: true });
    } catch {
      // not ours
    }
  }
}

async function step(line, fn) {
  const t0 = t();
  process.stdout.write(`\n$ ${line}\n`);
  try {
    await fn();
    times.push([line, t() - t0, 'ok']);
    console.log(`  ok (${(t() - t0).toFixed(1)} s)`);
  } catch (e) {
    failed++;
    times.push([line, t() - t0, 'FAILED']);
    console.log(`  FAILED (${(t() - t0).toFixed(1)} s): ${e.message}`);
  }
}

/** The failed tests of a node --test run (TAP): each `not ok` line with its error, for the report. */
function failures(tap) {
  const out = [];
  const lines = tap.split('\n');
  lines.forEach((l, i) => {
    if (!/^\s*not ok /.test(l) || /failureType: 'subtestsFailed'/.test(lines.slice(i, i + 5).join('\n'))) return;
    const err = lines.slice(i + 1, i + 40).findIndex((x) => /^\s*error:/.test(x));
    out.push(l.trim(), ...(err < 0 ? [] : lines.slice(i + 1 + err, i + 1 + err + 8).map((x) => `    ${x.trim()}`)));
  });
  return out.join('\n');
}

/** `npm run web`: the dev server answers with the lab's page; then it is stopped. */
async function web(line) {
  const p = spawn('bash', ['-c', line], { cwd: clone, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  try {
    const url = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL from the server in 60 s:\n${out}`)), 60_000);
      const see = (d) => {
        out += d;
        const m = /(http:\/\/(?:127\.0\.0\.1|localhost):\d+\/?)/.exec(out.replace(/\x1b\[[0-9;]*m/g, ''));
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      };
      p.stdout.on('data', see);
      p.stderr.on('data', see);
      p.on('exit', (c) => reject(new Error(`exited ${c}:\n${out}`)));
    });
    const res = await fetch(url);
    const html = await res.text();
    if (res.status !== 200 || !/<title>[^<]*backprop-ninja/i.test(html)) throw new Error(`${url}: HTTP ${res.status}, not the lab's page`);
    console.log(`  served ${url}`);
  } finally {
    try {
      process.kill(-p.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}

const readme = readFileSync(join(root, 'README.md'), 'utf8');
const lines = R.readmeCommands(readme);
const session = { trained: new Map(), mode: 'full', numbers: R.readmeNumbers(readme), cwd: clone };
const start = t();
try {
  await step(`git clone ${root}`, () => {
    execFileSync('git', ['clone', '--quiet', root, clone], { stdio: 'inherit' });
  });
  for (const line of lines) {
    await step(line, async () => {
      if (line === 'npm run web') return web(line);
      const args = R.cliArgs(line.replace(/^npm install && /, ''));
      if (args === null) {
        if (line === 'npm test' && opts.has('--skip-npm-test')) {
          console.log('  skipped (--skip-npm-test)');
          return;
        }
        const r = R.shell(line, clone, env, 45 * 60_000);
        if (r.status !== 0) throw new Error(`exit ${r.status}\n${failures(r.stdout) || r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`);
        if (line === 'npm run build:web' && !existsSync(join(clone, 'dist-web', 'index.html'))) throw new Error('no dist-web/index.html');
        if (line === 'npm test') console.log(`  ${(/^# (tests|pass|fail|skipped) \d+$/gm[Symbol.match](r.stdout) ?? []).join(', ')}`);
        return;
      }
      if (args[0] === 'data' && args.includes('--download') && !opts.has('--online')) {
        if (namesTxt === undefined) throw new Error("offline and no names.txt here to --add: set BPN_NAMES_TXT, or pass --online");
        const add = R.shell(`npx backprop-ninja data --add ${JSON.stringify(namesTxt)}`, clone, env, 120_000);
        if (add.status !== 0) throw new Error(add.stderr);
      }
      if (args[0] === 'notebook') {
        if (args[1].endsWith('.py')) R.placeScript(clone);
        else if (existsSync(lectureNb)) R.placeLectureNotebook(lectureNb, clone, opts.has('--full-notebook') ? null : 1000);
        else throw new Error(`no lecture notebook at ${lectureNb} to stand for the download`);
      }
      const r = R.shell(line, clone, env, 30 * 60_000);
      R.checkCliLine(line, args, r, session);
      if (args[0] === 'train') {
        const m = /^trained \d+ steps in .*$/m.exec(r.stdout);
        if (m) console.log(`  ${m[0]}`);
      }
    });
  }
} finally {
  console.log(`\n${'seconds'.padStart(8)}  result  command`);
  for (const [line, s, res] of times) console.log(`${s.toFixed(1).padStart(8)}  ${res.padEnd(6)}  ${line}`);
  console.log(`${(t() - start).toFixed(1).padStart(8)}  ${failed === 0 ? 'ok' : `${failed} FAILED`}  in all (${tmp}${opts.has('--keep') ? ', kept' : ''})`);
  if (!opts.has('--keep')) {
    removeNpxEntry();
    rmSync(tmp, { recursive: true, force: true });
  }
}
process.exitCode = failed === 0 ? 0 : 1;
