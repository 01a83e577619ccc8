// The README's commands, run in order as a stranger types them, with what each must print. Shared by the
// quick in-suite test (test/cli/readme.test.ts: the CLI lines, short training runs, in a temp directory) and
// the opt-in fresh-clone run (scripts/fresh-clone.mjs: `git clone`, then every line as written, npm's
// included). No test lives here: node --test runs this file too, and it only exports.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Every command line of the README's ```sh blocks, in order, without its trailing `# comment`. */
export function readmeCommands(readme: string): string[] {
  const lines: string[] = [];
  for (const block of readme.matchAll(/^```sh\n([\s\S]*?)^```$/gm)) {
    for (const raw of block[1].split('\n')) {
      const line = raw.replace(/\s+#.*$/, '').trim();
      if (line !== '' && !line.startsWith('#')) lines.push(line);
    }
  }
  return lines;
}

/** The final split losses the README promises for a run, as printed (4 decimals). */
export interface Losses {
  train: string;
  val: string;
}

/** The numbers the README states for the default run and the lecture's run (its prose, not a code block). */
export function readmeNumbers(readme: string): { embedded: Losses; lecture: Losses } {
  const pick = (re: RegExp, what: string): Losses => {
    const m = re.exec(readme.replace(/\s+/g, ' '));
    assert.ok(m, `the README no longer states ${what} (${re})`);
    return { train: m[1], val: m[2] };
  };
  return {
    embedded: pick(/\(train (\d\.\d{4}), val (\d\.\d{4})\) and 20 sampled names/, "the default run's losses"),
    lecture: pick(/The lecture's run ends at train (\d\.\d{4}), val (\d\.\d{4})/, "the lecture's run's losses"),
  };
}

export interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** What a training run printed: its split losses and its 20 samples. */
interface Trained {
  losses: Record<string, string>;
  samples: string[];
}

/** The state carried from one command to the next (the checks compare eval and sample with train). */
export interface Session {
  /** the last `train`'s output, per work dir */
  trained: Map<string, Trained>;
  /** 'quick': the in-suite test's short runs; 'full': every line as written (the numbers must be the README's) */
  mode: 'quick' | 'full';
  numbers: { embedded: Losses; lecture: Losses };
  /** where the commands run (files they write land here) */
  cwd: string;
}

const fail = (line: string, r: Result, why: string): never =>
  assert.fail(`\`${line}\`: ${why}\n  exit ${r.status}\n  stdout: ${r.stdout.slice(-1500)}\n  stderr: ${r.stderr.slice(-1500)}`);

function ok(line: string, r: Result): void {
  if (r.status !== 0) fail(line, r, 'did not exit 0');
}

function parseTrain(line: string, r: Result): Trained {
  const losses: Record<string, string> = {};
  for (const m of r.stdout.matchAll(/^(train|val|test) +(\d+\.\d{4})$/gm)) losses[m[1]] = m[2];
  const s = /^20 samples \(seed \d+\):\n((?:.*\n){20})/m.exec(r.stdout);
  if (s === null || losses.train === undefined || losses.val === undefined) fail(line, r, 'no split losses or no 20 samples');
  return { losses, samples: s![1].trimEnd().split('\n') };
}

/** The CLI's arguments of a README line `npx backprop-ninja ...`, or null for any other line. */
export function cliArgs(line: string): string[] | null {
  const m = /^npx backprop-ninja(?: (.*))?$/.exec(line);
  return m === null ? null : (m[1] ?? '').split(/\s+/).filter((a) => a !== '');
}

/**
 * Checks what one README line printed, and throws a message naming the line when it is wrong. `args` are the
 * CLI's arguments as the README writes them (the quick test appends a shorter --max-steps to train's).
 */
export function checkCliLine(line: string, args: string[], r: Result, s: Session): void {
  const [cmd] = args;
  const flag = (name: string): string | undefined => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const workDir = flag('-o') ?? flag('--work-dir') ?? 'out';
  switch (cmd) {
    case 'train': {
      ok(line, r);
      const t = parseTrain(line, r);
      if (args.includes('--test') && t.losses.test === undefined) fail(line, r, 'no test loss with --test');
      if (!existsSync(join(s.cwd, workDir, 'model.safetensors')) || !existsSync(join(s.cwd, workDir, 'loss.svg'))) {
        fail(line, r, `no ${workDir}/model.safetensors and ${workDir}/loss.svg`);
      }
      if (s.mode === 'full') {
        const want = flag('-i') === undefined ? s.numbers.embedded : s.numbers.lecture;
        assert.deepEqual({ train: t.losses.train, val: t.losses.val }, want, `\`${line}\`: the README says ${JSON.stringify(want)}`);
      }
      s.trained.set(workDir, t);
      return;
    }
    case 'eval': {
      ok(line, r);
      const t = s.trained.get(workDir);
      assert.ok(t, `\`${line}\`: the README runs eval before any train into ${workDir}`);
      for (const k of args.includes('--test') ? ['train', 'val', 'test'] : ['train', 'val']) {
        const m = new RegExp(`^${k} +(\\d+\\.\\d{4})$`, 'm').exec(r.stdout);
        if (m === null) fail(line, r, `no ${k} loss`);
        assert.equal(m![1], t.losses[k], `\`${line}\`: ${k} loss ${m![1]}, but train printed ${t.losses[k]}`);
      }
      return;
    }
    case 'sample': {
      ok(line, r);
      const t = s.trained.get(workDir);
      assert.ok(t, `\`${line}\`: the README samples before any train into ${workDir}`);
      const names = r.stdout.trimEnd().split('\n');
      assert.equal(names.length, Number(flag('-n') ?? 20), `\`${line}\`: ${names.length} names`);
      // its default seed is the training seed: the names train printed (docs/cli.md)
      if (flag('--seed') === undefined && flag('--temperature') === undefined && flag('--top-k') === undefined) {
        assert.deepEqual(names, t.samples.slice(0, names.length), `\`${line}\`: not the names train printed`);
      }
      return;
    }
    case 'check':
      ok(line, r);
      if (!/^OK: 26\/26 exact/m.test(r.stdout)) fail(line, r, "not 'OK: 26/26 exact'");
      return;
    case 'data':
      ok(line, r);
      if (args.includes('--download')) {
        if (!/names\.txt\n$/.test(r.stdout)) fail(line, r, 'did not print the cached names.txt path');
        if (!/verified/.test(r.stderr)) fail(line, r, 'did not say the file was verified');
      }
      return;
    case 'init':
    case 'grads': {
      ok(line, r);
      const out = flag('--out');
      if (out === undefined || !existsSync(join(s.cwd, out))) fail(line, r, `no ${out}`);
      return;
    }
    case 'notebook':
      ok(line, r);
      if (args[1].endsWith('.py')) {
        // placeScript's two cells: a printed tensor, then a last expression shown as Out[2]
        if (!r.stdout.includes('tensor([ 3, 12])\n') || !/Out\[2\]: \n?tensor\(\[\[0, 3\],\n {8}\[1, 4\],\n {8}\[2, 5\]\]\)/.test(r.stdout)) {
          fail(line, r, "not the script's two outputs");
        }
      } else if ((r.stdout.match(/exact: True/g) ?? []).length < 26) fail(line, r, "fewer than 26 'exact: True' rows (exercise 1)");
      if (args.includes('--out') && !existsSync(join(s.cwd, flag('--out')!))) fail(line, r, `no ${flag('--out')}`);
      return;
    case '--help': {
      ok(line, r);
      checkTopLevelHelp(r.stdout);
      return;
    }
    default:
      assert.fail(`\`${line}\`: the README runs a command this test does not know how to check (${cmd}); add it to test/cli/readme-commands.ts`);
  }
}

/** The top-level help lists every command with one whole sentence that fits in 100 columns. */
export function checkTopLevelHelp(stdout: string): void {
  const list = stdout.split('\ncommands:\n')[1]?.split('\n\n')[0];
  assert.ok(list !== undefined, `no command list in:\n${stdout}`);
  const rows = list.split('\n');
  assert.ok(rows.length >= 8, `${rows.length} commands listed`);
  for (const row of rows) {
    assert.match(row, /^ {2}[a-z]+ +[A-Z]/, `a command row: ${JSON.stringify(row)}`);
    assert.ok(row.endsWith('.'), `cut mid-sentence: ${JSON.stringify(row)}`);
    assert.ok(row.length <= 100, `${row.length} columns: ${JSON.stringify(row)}`);
  }
}

/**
 * The lecture's notebook as a runnable copy in `dir` (the README says: download it, run it): from `from`
 * (../shared/notebooks), with exercise 4's max_steps lowered from 200,000 to `maxSteps` unless null (the
 * one mechanical edit test/notebook/lecture.test.ts makes too).
 */
export function placeLectureNotebook(from: string, dir: string, maxSteps: number | null): void {
  const name = 'makemore_part4_backprop.ipynb';
  if (maxSteps === null) {
    copyFileSync(from, join(dir, name));
    return;
  }
  const text = readFileSync(from, 'utf8');
  const lowered = text.replace('max_steps = 200000', `max_steps = ${maxSteps}`);
  assert.notEqual(lowered, text, 'the lecture notebook sets max_steps = 200000');
  writeFileSync(join(dir, name), lowered);
}

/** The README's `script.py`: a percent-format script of two cells. */
export function placeScript(dir: string): void {
  writeFileSync(join(dir, 'script.py'), '# %%\nimport torch\nx = torch.arange(6).view(2, 3)\nprint(x.sum(1))\n# %%\nx.T\n');
}

/** Runs a shell line (npm's) in `cwd`: the full fresh-clone run only. */
export function shell(line: string, cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Result {
  const r = spawnSync('bash', ['-c', line], { cwd, env, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}
