// npm's `prepare` script: `npm run build` unless the build is already newer than every file it is made from.
//
// Why: npm runs `prepare` after `npm install`/`npm ci`, and *again* when the first `npx backprop-ninja` in a
// checkout installs the project into npx's cache (a link to the checkout, ~/.npm/_npx/<hash>/). That second,
// identical build cost ~20 s of CPU on top of the first `train` (a first run of 28 s against the README's
// 10 s). A fresh clone has no dist/, so it builds; an edit to any source makes the build stale, so it builds.
// `npm run build` always builds.

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** What the build writes last (tsc), and what it writes before tsc runs (generated sources). */
const OUTPUT = join(root, 'dist', 'src', 'node', 'cli.js');
const GENERATED = ['src/core/wasm/kernelsWasm.ts', 'src/notebook/pythonFiles.ts'].map((p) => join(root, p));
/** Everything `npm run build` reads. */
const INPUT_DIRS = ['src', 'assembly', 'test', 'bench', 'scripts'];
const INPUT_FILES = ['package.json', 'package-lock.json', 'tsconfig.json'];

/** The newest modification time under `dir` (files only; node_modules and dot-folders are not inputs). */
function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p));
    else if (e.isFile() && !GENERATED.includes(p)) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

/** Why the build must run, or null when dist/ is newer than every input. */
function stale() {
  if (!existsSync(OUTPUT)) return 'no build yet';
  for (const g of GENERATED) if (!existsSync(g)) return `${g} is missing`;
  const built = statSync(OUTPUT).mtimeMs;
  let inputs = 0;
  for (const d of INPUT_DIRS) if (existsSync(join(root, d))) inputs = Math.max(inputs, newest(join(root, d)));
  for (const f of INPUT_FILES) if (existsSync(join(root, f))) inputs = Math.max(inputs, statSync(join(root, f)).mtimeMs);
  return inputs > built ? 'a source is newer than the build' : null;
}

const why = stale();
if (why === null) {
  console.log('prepare: the build is up to date (dist/ is newer than every source); `npm run build` rebuilds');
} else {
  const npm = process.env.npm_execpath;
  // npm_execpath is npm's own CLI script when npm runs us; fall back to `npm` on PATH
  const r = npm ? spawnSync(process.execPath, [npm, 'run', 'build'], { cwd: root, stdio: 'inherit' })
    : spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  process.exitCode = r.status ?? 1;
}
