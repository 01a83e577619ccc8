// Losing nothing (issue 12): every byte of a save reaches the disk or the old file stays; temp files are
// created exclusively and stale ones go; signals save like Ctrl-C; a failed gradient check keeps the work
// (nothing overwritten, one run per work dir: workdir.test.ts). Through the real CLI where it is the CLI's.

import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { UserError } from '../../src/core/errors.js';
import { decodeCheckpoint } from '../../src/core/run/checkpoint.js';
import { readTrainState } from '../../src/core/run/trainstate.js';
import { writeFileAtomic } from '../../src/node/io.js';
import { CLI, expectOneErrorLine, runCli, type Run } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'bpn-io-safety-'));
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

/** A pid that no process has: the lowest free one above 1000 (kill(pid, 0) says ESRCH). */
function deadPid(): number {
  for (let pid = 30000; pid > 1000; pid--) {
    try {
      process.kill(pid, 0);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ESRCH') return pid;
    }
  }
  throw new Error('no free pid');
}

// ---- every byte, or the old file ------------------------------------------------------------------------

test('writeFileAtomic: a writer that takes at most 7 bytes a call still installs the whole file', () => {
  const p = join(dir, 'short-writes.bin');
  const data = new Uint8Array(1000).map((_, i) => (i * 37) & 255);
  let calls = 0;
  writeFileAtomic(p, data, {
    write: (fd, buf, off, len) => {
      calls++;
      return spawnlessWrite(fd, buf, off, Math.min(7, len));
    },
  });
  assert.ok(readFileSync(p).equals(data));
  assert.ok(calls >= 1000 / 7, `${calls} calls`);
});

test('writeFileAtomic: a disk that fills mid-write (short write, then ENOSPC) keeps the old file and leaves no temp', () => {
  const sub = join(dir, 'enospc');
  mkdirSync(sub);
  const p = join(sub, 'model.safetensors');
  writeFileSync(p, 'the old checkpoint');
  let written = 0;
  const full = (fd: number, buf: Uint8Array, off: number, len: number): number => {
    if (written >= 100) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    const n = Math.min(len, 100 - written);
    written += n;
    return spawnlessWrite(fd, buf, off, n);
  };
  assert.throws(() => writeFileAtomic(p, new Uint8Array(500), { write: full }), (e: unknown) => {
    assert.ok(e instanceof UserError);
    assert.match(e.message, /cannot write .*model\.safetensors: no space left on the device; the previous .*model\.safetensors is kept/);
    assert.doesNotMatch(e.message, /\n/);
    return true;
  });
  assert.equal(readFileSync(p, 'utf8'), 'the old checkpoint');
  assert.deepEqual(readdirSync(sub), ['model.safetensors']);
  // a writer that reports 0 bytes written (no error, no progress) is a failure too, not a loop forever
  assert.throws(() => writeFileAtomic(p, new Uint8Array(10), { write: () => 0 }), /no space left on the device/);
  assert.equal(readFileSync(p, 'utf8'), 'the old checkpoint');
  assert.deepEqual(readdirSync(sub), ['model.safetensors']);
});

test('train on a full disk (a 64 KiB tmpfs): the old checkpoint stays, the run says so and exits non-zero', (t) => {
  const full = join(dir, 'tmpfs');
  mkdirSync(full);
  const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', full], { encoding: 'utf8' });
  if (m.status !== 0) {
    t.skip(`needs \`mount -t tmpfs\` (root, or a container allowed to mount): ${(m.stderr || String(m.error)).trim()}; the injected-writer tests above cover the logic`);
    return;
  }
  mounts.push(full);
  ok('train', '-o', 'tmpfs', ...SMALL, '--max-steps', '2000', '--save-every', '0', '--lr-decay-step', '1000000');
  const before = bytes('tmpfs/model.safetensors');
  // 6,000 steps of losses (48 KB) do not fit beside the old checkpoint (25 KB)
  const r = cli(['train', '-o', 'tmpfs', '--resume', '--max-steps', '6000']);
  oneLine(r, /cannot write tmpfs\/model\.safetensors: no space left on the device; the previous tmpfs\/model\.safetensors is kept/);
  assert.doesNotMatch(r.stdout, /wrote/);
  assert.ok(bytes('tmpfs/model.safetensors').equals(before), 'the old checkpoint is byte for byte the same');
  assert.deepEqual(readdirSync(full).sort(), ['loss.svg', 'model.safetensors']);
  ok('eval', '-o', 'tmpfs'); // and it still loads
});

// ---- temp files -----------------------------------------------------------------------------------------

test('temp files: a planted symlink at the temp name is not followed; stale temps of dead runs are removed', () => {
  const sub = join(dir, 'temps');
  mkdirSync(sub);
  const victim = join(sub, 'victim.txt');
  writeFileSync(victim, 'precious');
  const target = join(sub, 'model.safetensors');
  symlinkSync(victim, `${target}.tmp-${process.pid}`);
  const dead = `model.safetensors.tmp-${deadPid()}`;
  writeFileSync(join(sub, dead), 'left by a kill -9');
  const live = `model.safetensors.tmp-${process.ppid}`; // a running process's: not ours to remove
  writeFileSync(join(sub, live), 'being written');
  writeFileAtomic(target, 'new');
  assert.equal(readFileSync(victim, 'utf8'), 'precious');
  assert.equal(readFileSync(target, 'utf8'), 'new');
  assert.deepEqual(readdirSync(sub).sort(), [live, 'model.safetensors', 'victim.txt'].sort());
});

/** The real write(2), for the injected writers above. */
function spawnlessWrite(fd: number, buf: Uint8Array, off: number, len: number): number {
  return writeSync(fd, buf, off, len);
}

// ---- signals ----------------------------------------------------------------------------------------------

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

for (const [signal, code] of [['SIGTERM', 143], ['SIGHUP', 129]] as const) {
  test(`${signal} saves like Ctrl-C: a resumable checkpoint at a step boundary, exit ${code}`, async () => {
    const work = `sig-${signal}`;
    const run = await startLongTrain(work);
    run.child.kill(signal);
    assert.equal(await run.exited, code, run.err());
    const m = new RegExp(`stopped by ${signal} at step (\\d+) of 1000000; saved ${work}/model\\.safetensors`).exec(run.out());
    assert.ok(m, run.out());
    const ck = decodeCheckpoint(bytes(`${work}/model.safetensors`), 'x');
    assert.equal(readTrainState(ck, 'x').step, Number(m[1]));
    assert.deepEqual(readdirSync(join(dir, work)), ['model.safetensors']); // no temp file, no lock left
  });
}

// ---- a failed gradient check keeps the work ------------------------------------------------------------------

test('a failed --check-every saves the last good state first (fault injected with BPN_FAULT=check-every@N)', () => {
  const r = cli(['train', '-o', 'check-fault', ...SMALL, '--max-steps', '200', '--check-every', '10', '--save-every', '0'], { BPN_FAULT: 'check-every@120' });
  assert.equal(r.status, 1, r.stderr);
  const lines = r.stderr.split('\n').filter((l) => l.length > 0);
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], /^backprop-ninja: error: gradient check failed at step 120: .*injected.*; the last good state \(step 120\) is saved in check-fault\/model\.safetensors/);
  const st = readTrainState(decodeCheckpoint(bytes('check-fault/model.safetensors'), 'x'), 'x');
  assert.equal(st.step, 120);
  // resumed without the fault it is the straight run, bit for bit: the generator was rewound to before step 120's batch
  ok('train', '-o', 'check-fault', '--resume', '--max-steps', '200');
  ok('train', '-o', 'check-straight', ...SMALL, '--max-steps', '200', '--save-every', '0');
  assert.ok(bytes('check-fault/model.safetensors').equals(bytes('check-straight/model.safetensors')));
  // the hook is the CLI's, for tests only: a malformed value is one line
  oneLine(cli(['train', '-o', 'check-fault2', ...SMALL, '--max-steps', '5'], { BPN_FAULT: 'check-every@x' }), /BPN_FAULT/);
});
