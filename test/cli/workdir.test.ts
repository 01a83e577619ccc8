// Losing nothing (issue 12), the work dir: nothing is overwritten silently (grads, init, a fresh train keeps
// a backup), and one run owns a work dir at a time (a lock that a crashed run does not leave stuck).

import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { decodeCheckpoint } from '../../src/core/run/checkpoint.js';
import { readTrainState } from '../../src/core/run/trainstate.js';
import { CLI, expectOneErrorLine, runCli, type Run } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'bpn-workdir-'));
const mounts: string[] = [];
after(() => {
  for (const m of mounts) spawnSync('umount', [m]);
  rmSync(dir, { recursive: true, force: true });
});

const cli = (args: string[], env: Record<string, string> = {}): Run => runCli(dir, args, env);

function ok(...args: string[]): string {
  const r = cli(args);
  assert.equal(r.status, 0, `backprop-ninja ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

const oneLine = (r: Run, re: RegExp, code = 2): void => expectOneErrorLine(r, re, code);

const bytes = (p: string): Buffer => readFileSync(join(dir, p));
const SMALL = ['--n-hidden', '16'];

/** Starts a long train in `work`, resolves once its first progress line is out. */
async function startLongTrain(work: string, extra: string[] = []): Promise<{ child: ChildProcess; exited: Promise<number | null>; out: () => string; err: () => string }> {
  const child = spawn(process.execPath, [CLI, 'train', '-o', work, ...SMALL, '--max-steps', '1000000', '--lr-decay-step', '1000000', '--save-every', '0', ...extra], { cwd: dir });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  await new Promise<void>((res, rej) => {
    child.on('exit', () => rej(new Error(`train exited early: ${stderr}`)));
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (/ {6}0\/1000000: /.test(stdout)) res();
    });
  });
  return { child, exited, out: () => stdout, err: () => stderr };
}

// ---- no silent overwrites ---------------------------------------------------------------------------------

test('grads --out onto its own --checkpoint (or the names file) is refused; the model is untouched', () => {
  ok('init', '--out', 'g-model.safetensors', '--n-hidden', '8');
  const before = bytes('g-model.safetensors');
  oneLine(cli(['grads', '--checkpoint', 'g-model.safetensors', '--out', 'g-model.safetensors']),
    /--out g-model\.safetensors is the checkpoint being read; writing there would replace it; give another --out/);
  mkdirSync(join(dir, 'g-sub'));
  oneLine(cli(['grads', '--checkpoint', 'g-model.safetensors', '--out', './g-sub/../g-model.safetensors']), /is the checkpoint being read/);
  symlinkSync(join(dir, 'g-model.safetensors'), join(dir, 'g-link.safetensors'));
  oneLine(cli(['grads', '--checkpoint', 'g-link.safetensors', '--out', 'g-model.safetensors', '--force']), /is the checkpoint being read/);
  writeFileSync(join(dir, 'g-names.txt'), 'anna\nbob\ncarl\ndora\nemma\nfred\ngus\nhal\nida\njo\n');
  oneLine(cli(['grads', '--checkpoint', 'g-model.safetensors', '-i', 'g-names.txt', '--out', 'g-names.txt']), /--out g-names\.txt is the names file being read/);
  assert.ok(bytes('g-model.safetensors').equals(before));
  // an existing other file needs --force, as with init
  ok('grads', '--checkpoint', 'g-model.safetensors', '--out', 'g-grads.safetensors');
  oneLine(cli(['grads', '--checkpoint', 'g-model.safetensors', '--out', 'g-grads.safetensors']), /g-grads\.safetensors exists; add --force to replace it/);
  ok('grads', '--checkpoint', 'g-model.safetensors', '--out', 'g-grads.safetensors', '--force');
});

test('init --out over an existing file is refused without --force', () => {
  ok('init', '--out', 'i-model.safetensors', '--n-hidden', '8');
  const before = bytes('i-model.safetensors');
  oneLine(cli(['init', '--out', 'i-model.safetensors', '--n-hidden', '8', '--seed', '7']), /i-model\.safetensors exists; add --force to replace it/);
  assert.ok(bytes('i-model.safetensors').equals(before));
  const out = ok('init', '--out', 'i-model.safetensors', '--n-hidden', '8', '--seed', '7', '--force');
  assert.match(out, /wrote i-model\.safetensors/);
  assert.ok(!bytes('i-model.safetensors').equals(before));
});

test('a fresh train into a work dir with a checkpoint keeps it as model.prev.safetensors and says so', () => {
  ok('train', '-o', 'twice', ...SMALL, '--max-steps', '20');
  const first = bytes('twice/model.safetensors');
  const out = ok('train', '-o', 'twice', ...SMALL, '--max-steps', '30');
  assert.match(out, /twice\/model\.safetensors is from an earlier run: kept as twice\/model\.prev\.safetensors/);
  assert.ok(bytes('twice/model.prev.safetensors').equals(first));
  assert.equal(readTrainState(decodeCheckpoint(bytes('twice/model.safetensors'), 'x'), 'x').step, 30);
  // one generation: a third run replaces the backup with the second run's checkpoint
  const second = bytes('twice/model.safetensors');
  ok('train', '-o', 'twice', ...SMALL, '--max-steps', '10');
  assert.ok(bytes('twice/model.prev.safetensors').equals(second));
  assert.deepEqual(readdirSync(join(dir, 'twice')).sort(), ['loss.svg', 'model.prev.safetensors', 'model.safetensors']);
  // --resume continues the run: no backup is made
  const third = bytes('twice/model.safetensors');
  const res = ok('train', '-o', 'twice', '--resume', '--max-steps', '15');
  assert.doesNotMatch(res, /kept as/);
  assert.ok(bytes('twice/model.prev.safetensors').equals(second));
  assert.ok(!bytes('twice/model.safetensors').equals(third));
});

// ---- one run per work dir ---------------------------------------------------------------------------------

test('a second train in a busy work dir is refused; eval and sample do not wait; a kill -9 leaves no stuck lock', async () => {
  ok('train', '-o', 'busy', ...SMALL, '--max-steps', '20');
  const run = await startLongTrain('busy');
  try {
    oneLine(cli(['train', '-o', 'busy', ...SMALL, '--max-steps', '5']), new RegExp(`work dir busy is in use by another run \\(pid ${run.child.pid}\\b`));
    oneLine(cli(['train', '-o', 'busy', '--resume']), /work dir busy is in use by another run/);
    // readers take the last complete checkpoint, at once
    const t0 = Date.now();
    ok('eval', '-o', 'busy');
    ok('sample', '-o', 'busy', '-n', '2');
    assert.ok(Date.now() - t0 < 10_000);
  } finally {
    run.child.kill('SIGKILL');
  }
  assert.equal(await run.exited, null);
  assert.ok(existsSync(join(dir, 'busy', '.lock')), 'a kill -9 leaves its lock');
  const out = ok('train', '-o', 'busy', ...SMALL, '--max-steps', '5');
  assert.match(out, /removed a stale lock of pid \d+ \(no longer running\)/);
  assert.ok(!existsSync(join(dir, 'busy', '.lock')), 'released at exit');
  // a lock whose pid is alive but belongs to another process (the pid was reused) is stale too
  writeFileSync(join(dir, 'busy', '.lock'), JSON.stringify({ pid: process.pid, start: 'not-this-process' }));
  assert.match(ok('train', '-o', 'busy', ...SMALL, '--max-steps', '5'), /removed a stale lock of pid \d+/);
  // and a lock file that is not ours at all is refused, not removed
  writeFileSync(join(dir, 'busy', '.lock'), 'garbage');
  oneLine(cli(['train', '-o', 'busy', ...SMALL, '--max-steps', '5']), /busy\/\.lock is not a backprop-ninja lock/);
});
