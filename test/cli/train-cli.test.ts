// train, sample, eval through the real CLI: resume bit for bit, Ctrl-C, divergence, and every bad input
// (one line on stderr, a non-zero exit, no stack, and any existing checkpoint left byte for byte).

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { decodeCheckpoint } from '../../src/core/run/checkpoint.js';
import { readBnStats, readTrainState } from '../../src/core/run/trainstate.js';
import { AZ_NAMES, CLI } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'bpn-train-'));
after(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function cli(...args: string[]): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function ok(...args: string[]): string {
  const r = cli(...args);
  assert.equal(r.status, 0, `backprop-ninja ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

const bytes = (p: string): Buffer => readFileSync(join(dir, p));
const load = (p: string): ReturnType<typeof decodeCheckpoint> => decodeCheckpoint(bytes(p), p);

// a small model on the embedded names: fast, and the same code path as the lecture's run
const SMALL = ['--n-hidden', '16'];

before(() => {
  ok('train', '-o', 'base', ...SMALL, '--max-steps', '20');
});

test('train writes a calibrated checkpoint, the loss curve, split losses and 20 samples; eval and sample agree', () => {
  const out = ok('train', '-o', 'full', ...SMALL, '--max-steps', '300', '--test');
  assert.match(out, / {6}0\/ {4}300: 3\.\d{4}\n/); // the lecture's line at step 0
  assert.match(out, / {4}270\/ {4}300: \d\.\d{4}\n/); // every tenth of a short run
  const losses = /train (\d\.\d{4})\nval {3}(\d\.\d{4})\ntest {2}(\d\.\d{4})/.exec(out);
  assert.ok(losses, out);
  const samples = /20 samples \(seed 42\):\n((?:.*\n){20})/.exec(out)![1].trimEnd().split('\n');
  assert.equal(samples.length, 20);

  const ck = load('full/model.safetensors');
  const st = readTrainState(ck, 'x');
  assert.equal(st.step, 300);
  assert.equal(st.losses.length, 300);
  assert.deepEqual(st.schedule, { learningRate: 0.1, lrDecayStep: 150, maxSteps: 300 });
  const bn = readBnStats(ck, 'x');
  assert.ok(bn !== null && bn.bnmean.length === 16 && bn.bnvar.every((v) => v > 0));
  const svg = bytes('full/loss.svg').toString('utf8');
  assert.match(svg, /^<svg [^>]*>[\s\S]*Training loss[\s\S]*<\/svg>\n$/);

  // eval recomputes the same numbers from the file; its data defaults to the training data
  const ev = ok('eval', '-o', 'full', '--test');
  assert.match(ev, new RegExp(`train ${losses[1]}\\nval {3}${losses[2]}\\ntest {2}${losses[3]}`));
  const evj = JSON.parse(ok('eval', '-o', 'full', '--json')) as { step: number; losses: Record<string, number> };
  assert.equal(evj.step, 300);
  assert.equal(evj.losses.train.toFixed(4), losses[1]);
  // sample's default seed is the training seed: it repeats train's 20 names
  assert.deepEqual(ok('sample', '-o', 'full').trimEnd().split('\n'), samples);
  const a = JSON.parse(ok('sample', '-o', 'full', '-n', '7', '--seed', '5', '--temperature', '0.8', '--top-k', '5', '--json')) as { samples: string[] };
  const b = JSON.parse(ok('sample', '-o', 'full', '-n', '7', '--seed', '5', '--temperature', '0.8', '--top-k', '5', '--json')) as { samples: string[] };
  assert.equal(a.samples.length, 7);
  assert.deepEqual(b.samples, a.samples);
  assert.notDeepEqual(JSON.parse(ok('sample', '-o', 'full', '-n', '7', '--seed', '6', '--json')).samples, a.samples);
});

test('--check-every runs the gradient check in the loop without changing the run; --max-steps 0 trains nothing', () => {
  const out = ok('train', '-o', 'checked', ...SMALL, '--max-steps', '20', '--check-every', '5');
  assert.match(out, /gradient check every 5 steps/);
  // checking reads the gradients, it does not touch them: the run equals the unchecked one
  const a = load('checked/model.safetensors');
  const b = load('base/model.safetensors');
  assert.deepEqual(Array.from(a.params.flat), Array.from(b.params.flat));
  ok('train', '-o', 'zero', ...SMALL, '--max-steps', '0');
  const z = load('zero/model.safetensors');
  assert.equal(readTrainState(z, 'x').step, 0);
  assert.ok(readBnStats(z, 'x') !== null);
});

test('2,000 steps straight equal 1,000 steps resumed for 1,000 more, bit for bit (the whole checkpoint)', () => {
  ok('train', '-o', 'straight', ...SMALL, '--max-steps', '2000', '--save-every', '0');
  ok('train', '-o', 'halves', ...SMALL, '--max-steps', '1000', '--lr-decay-step', '1000');
  const out = ok('train', '-o', 'halves', '--resume', '--max-steps', '2000');
  assert.match(out, /resumed at step 1000/);
  // params, losses, generator state, schedule, calibrated batchnorm: every byte
  assert.ok(bytes('halves/model.safetensors').equals(bytes('straight/model.safetensors')));
  // and the same seed gives the same losses every run
  ok('train', '-o', 'again', ...SMALL, '--max-steps', '2000', '--save-every', '0');
  assert.ok(bytes('again/model.safetensors').equals(bytes('straight/model.safetensors')));
});

test('Ctrl-C finishes the step, saves a resumable checkpoint and exits 130', async () => {
  const child = spawn(process.execPath, [CLI, 'train', '-o', 'sigint', ...SMALL, '--max-steps', '1000000', '--lr-decay-step', '1000000', '--save-every', '0'], { cwd: dir });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  await new Promise<void>((res) => {
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (/ {6}0\/1000000: /.test(stdout)) res(); // training has started
    });
  });
  child.kill('SIGINT');
  assert.equal(await exited, 130, stderr);
  const m = /interrupted at step (\d+) of 1000000; saved sigint\/model\.safetensors/.exec(stdout);
  assert.ok(m, stdout);
  const n = Number(m[1]);
  const st = readTrainState(load('sigint/model.safetensors'), 'x');
  assert.equal(st.step, n);
  assert.ok(n > 0);
  assert.equal(st.losses.length, n);
  assert.ok(st.losses.every(Number.isFinite));
  assert.equal(readBnStats(load('sigint/model.safetensors'), 'x'), null); // not calibrated: it did not finish
  assert.deepEqual(readdirSync(join(dir, 'sigint')), ['model.safetensors']); // no temp file left
  // an unfinished model cannot be sampled; it says how to finish it
  const s = cli('sample', '-o', 'sigint');
  assert.equal(s.status, 2);
  assert.match(s.stderr, /no calibrated batchnorm statistics .* stopped at step \d+ of 1000000\); finish it with: backprop-ninja train -o sigint --resume/);
  // resumed for 50 more steps, it equals a straight run of n + 50 steps
  ok('train', '-o', 'sigint', '--resume', '--max-steps', String(n + 50));
  ok('train', '-o', 'sigint-straight', ...SMALL, '--max-steps', String(n + 50), '--lr-decay-step', '1000000', '--save-every', '0');
  assert.ok(bytes('sigint/model.safetensors').equals(bytes('sigint-straight/model.safetensors')));
});

test('a diverging run stops at the step, keeps the last good checkpoint and suggests a lower lr', () => {
  mkdirSync(join(dir, 'nan'));
  writeFileSync(join(dir, 'nan/model.safetensors'), bytes('base/model.safetensors'));
  const before = bytes('nan/model.safetensors');
  // lr 1e22 from step 20 of a good run: the update of step 20 overflows, the loss of step 21 is NaN
  const r = cli('train', '-o', 'nan', '--resume', '--max-steps', '40', '-l', '1e22', '--save-every', '1');
  assert.equal(r.status, 2);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, /^backprop-ninja: error: the loss became NaN at step 21 \(learning rate 1e\+21\): the run diverged; the last good checkpoint nan\/model\.safetensors \(step 20\) is kept; try a lower --learning-rate, e\.g\. 1e\+20\n$/);
  assert.ok(bytes('nan/model.safetensors').equals(before));
  // and from scratch: nothing is written
  const f = cli('train', '-o', 'nan-fresh', ...SMALL, '-l', '1e30', '--max-steps', '50');
  assert.equal(f.status, 2);
  assert.match(f.stderr, /at step 1 .* nothing was saved/);
  assert.ok(!existsSync(join(dir, 'nan-fresh/model.safetensors')));
});

test('every bad input is one clear line, exit 2, and the existing checkpoint is untouched', () => {
  writeFileSync(join(dir, 'afile'), 'x');
  writeFileSync(join(dir, 'one.txt'), 'anna\n');
  writeFileSync(join(dir, 'latin1.txt'), Buffer.from([0x6a, 0xf6, 0x72, 0x67, 0x0a])); // 'jörg' in Latin-1
  writeFileSync(join(dir, 'az-names.txt'), AZ_NAMES); // the lecture's vocabulary, not the embedded default's
  mkdirSync(join(dir, 'empty'), { recursive: true });
  ok('init', '--out', 'empty/init.safetensors', '--n-hidden', '8');
  const cases: [string[], RegExp][] = [
    [['-l', '0'], /--learning-rate must be a number > 0, got 0$/],
    [['--learning-rate', '-0.5'], /--learning-rate must be a number > 0, got -0\.5$/],
    [['-l', 'nan'], /--learning-rate must be a number, got 'nan'$/],
    [['-l', 'fast'], /--learning-rate must be a number, got 'fast'$/],
    [['-b', '1'], /--batch-size must be an integer >= 2, got 1$/],
    [['--n-hidden', '0'], /--n-hidden must be an integer >= 1, got 0$/],
    [['--max-steps', '-1'], /--max-steps must be an integer >= 0, got -1$/],
    [['--learning-rat', '0.1'], /unknown flag --learning-rat for 'train'; did you mean --learning-rate\?/],
    [['--max-step', '10'], /unknown flag --max-step for 'train'; did you mean --max-steps\?/],
    [['-i', 'missing.txt'], /cannot read names file missing\.txt: no such file or directory$/],
    [['-i', 'empty'], /cannot read names file empty: it is a directory$/],
    [['-i', 'latin1.txt'], /latin1\.txt: not valid UTF-8 text; save the names file as UTF-8$/],
    [['--resume', '-i', 'az-names.txt'], /base\/model\.safetensors was made for a vocabulary of 28 tokens "\.-abcdefghijklmnopqrstuvwxyz" .* has 27 tokens, differing from token 1 on .*use the same names file/],
    [['--resume', '--n-hidden', '32'], /--n-hidden 32 does not match the checkpoint base\/model\.safetensors \(n-hidden 16\)/],
    [['--resume', '-b', '64'], /--batch-size 64 does not match the checkpoint base\/model\.safetensors \(batch-size 32\)/],
    [['--resume', '--max-steps', '10'], /--max-steps 10 is below the checkpoint's step 20/],
  ];
  const before = bytes('base/model.safetensors');
  for (const [args, re] of cases) {
    const r = cli('train', '-o', 'base', ...args);
    const what = `train ${args.join(' ')}`;
    assert.equal(r.status, 2, `${what}: exit ${r.status}; ${r.stderr}`);
    assert.equal(r.stdout, '', `${what}: checked before anything is printed`);
    assert.equal(r.stderr.split('\n').length, 2, `${what}: not one line: ${r.stderr}`);
    assert.match(r.stderr, /^backprop-ninja: error: /, what);
    assert.match(r.stderr.trimEnd(), re, what);
    assert.ok(bytes('base/model.safetensors').equals(before), `${what}: the checkpoint changed`);
  }
  assert.deepEqual(readdirSync(join(dir, 'base')).sort(), ['loss.svg', 'model.safetensors']);

  // work dirs that cannot be written, and resuming where there is nothing (or something else) to resume
  const elsewhere: [string[], RegExp][] = [
    [['-o', 'afile'], /cannot use work dir afile: it is a file, not a directory/],
    [['-o', 'afile/sub'], /cannot write to work dir afile\/sub: a part of the path is a file, not a directory/],
    [['-o', 'nothing', '--resume'], /--resume: there is no checkpoint nothing\/model\.safetensors to resume/],
    [['-o', 'nothing', '-i', 'one.txt'], /one\.txt: the training split is empty \(the 80\/10\/10 split needs at least 2 names\)$/],
    [['-o', 'empty', '--resume', '--max-steps', '5'], /no checkpoint empty\/model\.safetensors/],
  ];
  for (const [args, re] of elsewhere) {
    const r = cli('train', ...SMALL, '--max-steps', '5', ...args);
    assert.equal(r.status, 2, `train ${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.split('\n').length, 2, r.stderr);
    assert.match(r.stderr.trimEnd(), re);
  }
  assert.ok(!existsSync(join(dir, 'nothing')));
  // a checkpoint that is not a training run's (init's) cannot be resumed
  writeFileSync(join(dir, 'empty/model.safetensors'), bytes('empty/init.safetensors'));
  const r = cli('train', '-o', 'empty', '--resume');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /empty\/model\.safetensors: cannot resume from this checkpoint: metadata "step" is missing/);

  // sample and eval
  const other: [string[], RegExp][] = [
    [['sample', '-o', 'nothing'], /there is no checkpoint nothing\/model\.safetensors; train one first/],
    [['sample', '-o', 'base', '--temperature', '0'], /--temperature must be a number > 0, got 0$/],
    [['sample', '-o', 'base', '--top-k', '0'], /--top-k must be an integer >= 1, got 0$/],
    [['sample', '-o', 'base', '-n', '-2'], /--num-samples must be an integer >= 0, got -2$/],
    [['sample', '-o', 'base', '--temprature', '1'], /did you mean --temperature\?/],
    [['eval', '-o', 'base', '-i', 'az-names.txt'], /was made for a vocabulary of/],
    [['eval', '--checkpoint', 'afile'], /afile: not a valid safetensors file/],
  ];
  for (const [args, re] of other) {
    const res = cli(...args);
    assert.equal(res.status, 2, `${args.join(' ')}: ${res.stderr}`);
    assert.equal(res.stderr.split('\n').length, 2, res.stderr);
    assert.match(res.stderr.trimEnd(), re);
  }
});

test('--backend picks the kernels of the step: wasm and ref train the same model; a wrong name, and the retired ts, are one line', () => {
  const params = (engine: string): Float32Array => {
    const out = ok('train', '-o', `engine-${engine}`, ...SMALL, '--max-steps', '50', '--backend', engine);
    assert.match(out, new RegExp(`float32 on the ${engine} engine`));
    return load(`engine-${engine}/model.safetensors`).params.flat as Float32Array;
  };
  const ref = params('ref');
  for (const engine of ['wasm']) {
    const p = params(engine);
    let maxdiff = 0;
    for (let i = 0; i < ref.length; i++) maxdiff = Math.max(maxdiff, Math.abs(p[i] - ref[i]));
    // 50 SGD steps from the same init and batches: only float32 rounding (summation order, fast tanh/exp) differs
    assert.ok(maxdiff > 0 || engine === 'ref', `${engine}: identical to ref? the flag may be ignored`);
    assert.ok(maxdiff < 1e-4, `${engine} vs ref: params differ by ${maxdiff} after 50 steps`);
  }
  const bad = cli('train', '-o', 'engine-bad', ...SMALL, '--backend', 'gpu');
  assert.equal(bad.status, 2);
  assert.equal(bad.stderr, 'backprop-ninja: error: --backend must be one of wasm, ref, got \'gpu\'\n');
  const ts = cli('train', '-o', 'engine-ts', ...SMALL, '--backend', 'ts');
  assert.equal(ts.status, 2);
  assert.match(ts.stderr, /^backprop-ninja: error: the 'ts' engine left the product: .*bench\/.*\n$/);
  assert.equal(ts.stderr.split('\n').length, 2, 'one line');
});
