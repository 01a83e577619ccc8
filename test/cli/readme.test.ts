// The README as a stranger uses it: its command lines run in order and print what they must (the quick form
// of `npm run test:fresh-clone`, which clones the repository and runs every line as written), every link in
// the README and docs/ resolves, and CI runs the README's own set-up commands.
//
// Quick, so it fits in `npm test`: the CLI lines run here from dist/ in an empty temp directory with its own
// cache (XDG_CACHE_HOME), train's lines with --max-steps 600 appended. Left to the fresh-clone run: the npm
// lines (`npm install`, `npm test`: this suite is that; `npm run web`, `build:web`) and the `notebook` lines
// (a runtime start is 3 to 12 s here; test/notebook/ runs the runtime, and the lecture's notebook with
// exercise 4 at 1,000 steps).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { CLI, NAMES_MISSING, NAMES_TXT, REPO, skipOrFail } from '../helpers.js';
import { checkCliLine, checkTopLevelHelp, cliArgs, readmeCommands, readmeNumbers, type Result, type Session } from './readme-commands.js';

const README = readFileSync(join(REPO, 'README.md'), 'utf8');
const TMP = mkdtempSync(join(tmpdir(), 'bpn-readme-'));
after(() => rmSync(TMP, { recursive: true, force: true }));

const QUICK_STEPS = '600';

function run(args: string[], cwd: string, env: Record<string, string>): Result {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd, encoding: 'utf8', timeout: 180_000, env: { ...process.env, BACKPROP_NINJA_DEBUG: '', ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Does this README line need the lecture's names.txt? */
const needsNames = (args: string[]): boolean =>
  (args[0] === 'data' && args.includes('--download')) || args.join(' ').includes('-i names');

test("the README's command lines, in order, from an empty directory (train shortened to 600 steps)", async (t) => {
  const lines = readmeCommands(README);
  assert.ok(lines.includes('npm install && npx backprop-ninja train') && lines.includes('npm test'), "the README's two set-up commands");
  const cwd = join(TMP, 'work');
  const cache = join(TMP, 'cache');
  mkdirSync(cwd);
  const env = { XDG_CACHE_HOME: cache };
  const s: Session = { trained: new Map(), mode: 'quick', numbers: readmeNumbers(README), cwd };
  /** work dirs whose train line was skipped: eval and sample there have nothing to compare with */
  const untrained = new Set<string>();
  const left: string[] = [];
  for (const line of lines) {
    // `npm install && npx backprop-ninja train`: the install is this checkout's; the train runs here
    const cliLine = line.replace(/^npm install && /, '');
    const args = cliArgs(cliLine);
    if (args === null || args[0] === 'notebook') {
      left.push(line);
      continue;
    }
    await t.test(line, (st) => {
      const workDir = args.includes('-o') ? args[args.indexOf('-o') + 1] : 'out';
      if (needsNames(args) && NAMES_TXT === undefined) {
        if (args[0] === 'train') untrained.add(workDir);
        skipOrFail(st, NAMES_MISSING);
        return;
      }
      if ((args[0] === 'eval' || args[0] === 'sample') && untrained.has(workDir)) {
        skipOrFail(st, `the train line before it was skipped: ${NAMES_MISSING}`);
        return;
      }
      let runArgs = args;
      if (args[0] === 'train' && !args.includes('--max-steps')) runArgs = [...args, '--max-steps', QUICK_STEPS];
      if (args[0] === 'data' && args.includes('--download')) {
        // this machine is offline: as the README says for that case, the file goes in with --add first, and
        // --download then verifies the cached copy instead of fetching
        const add = run(['data', '--add', NAMES_TXT!], cwd, env);
        assert.equal(add.status, 0, add.stderr);
      }
      checkCliLine(line, args, run(runArgs, cwd, env), s);
    });
  }
  t.diagnostic(`left to npm run test:fresh-clone: ${left.map((l) => `\`${l}\``).join(', ')}`);
});

test('top-level --help: every command with one whole sentence, none cut mid-way', () => {
  const r = run(['--help'], TMP, {});
  assert.equal(r.status, 0, r.stderr);
  checkTopLevelHelp(r.stdout);
  const listed = [...r.stdout.matchAll(/^ {2}([a-z]+) /gm)].map((m) => m[1]);
  assert.deepEqual(listed, ['check', 'data', 'init', 'grads', 'train', 'sample', 'eval', 'notebook']);
});

test("CI runs the README's set-up: .ci/run ends with npm ci and npm test", () => {
  const ci = readFileSync(join(REPO, '.ci', 'run'), 'utf8').trimEnd().split('\n');
  assert.deepEqual(ci.slice(-2), ['npm ci --no-audit --no-fund', 'npm test']);
  const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  assert.match(pkg.scripts.test, /node --test dist\/test\//);
  assert.ok(pkg.scripts['test:fresh-clone'], 'npm run test:fresh-clone exists (docs/testing.md)');
});

/** Markdown files a reader is sent to: README.md and docs/*.md. */
function markdownFiles(): string[] {
  const docs = join(REPO, 'docs');
  return [join(REPO, 'README.md'), ...readdirSync(docs).filter((f) => f.endsWith('.md')).map((f) => join(docs, f))];
}

/** GitHub's anchor of a heading: lowercase, punctuation dropped, spaces to hyphens. */
const anchor = (heading: string): string => heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\- _]/gu, '').replace(/ /g, '-');

test('every relative link in README.md and docs/*.md points at a file that exists, and at a heading in it', () => {
  const strip = (md: string): string => md.replace(/^```[\s\S]*?^```$/gm, '');
  const headings = new Map<string, Set<string>>();
  for (const f of markdownFiles()) {
    headings.set(resolve(f), new Set([...strip(readFileSync(f, 'utf8')).matchAll(/^#+ (.*)$/gm)].map((m) => anchor(m[1]))));
  }
  const bad: string[] = [];
  let links = 0;
  for (const f of markdownFiles()) {
    for (const m of strip(readFileSync(f, 'utf8')).matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1];
      if (/^[a-z]+:/.test(target)) continue; // https:, mailto:
      links++;
      const [path, hash] = target.split('#');
      const file = path === '' ? resolve(f) : resolve(dirname(f), path);
      if (!existsSync(file)) bad.push(`${f.slice(REPO.length + 1)}: ${target}: no such file`);
      else if (hash !== undefined && !(headings.get(file)?.has(hash) ?? false)) bad.push(`${f.slice(REPO.length + 1)}: ${target}: no such heading`);
    }
  }
  assert.deepEqual(bad, []);
  assert.ok(links > 20, `${links} links checked`);
});

test('docs/README.md lists every page in docs/', () => {
  const index = readFileSync(join(REPO, 'docs', 'README.md'), 'utf8');
  const pages = readdirSync(join(REPO, 'docs')).filter((f) => f.endsWith('.md') && f !== 'README.md');
  assert.deepEqual(pages.filter((p) => !index.includes(`](${p})`)), [], 'pages docs/README.md does not link');
});
