// Trust no file, no flag (issue 12): names files (regular files only, a size cap, control characters, a
// vocabulary cap), the names path a checkpoint records, every size checked against memory before it is
// allocated, seeds, and flag values that are not decimal numbers or that look like flags.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { decodeSafetensors, encodeSafetensors } from '../src/core/run/safetensors.js';
import { CLI } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'bpn-untrusted-'));
after(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string> = {}): Run {
  // a timeout: before the fix a FIFO hung the reader forever
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: dir, encoding: 'utf8', timeout: 20_000, env: { ...process.env, BACKPROP_NINJA_DEBUG: '', BPN_MEMORY_MB: '512', ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function oneLine(r: Run, re: RegExp, what: string): void {
  const lines = r.stderr.split('\n').filter((l) => l.length > 0);
  assert.equal(lines.length, 1, `${what}: one stderr line, got (exit ${r.status}):\n${r.stderr}`);
  assert.match(lines[0], /^backprop-ninja: error: /, what);
  assert.match(lines[0], re, what);
  assert.equal(r.status, 2, `${what}: exit code (stderr: ${r.stderr})`);
}

const file = (name: string, text: string | Uint8Array): string => {
  writeFileSync(join(dir, name), text);
  return name;
};

const NAMES = ['anna', 'bob', 'carl', 'dora', 'emma', 'fred', 'gus', 'hal', 'ida', 'jo', 'kim', 'lea'].join('\n') + '\n';

test('flags: 0x10, 0b11, 1_000, Infinity are not numbers; a value that looks like a flag is refused', () => {
  oneLine(cli(['check', '--n-hidden', '0x10']), /--n-hidden must be a number, got '0x10'$/, '0x10');
  oneLine(cli(['check', '--n-hidden', '0b11']), /--n-hidden must be a number, got '0b11'$/, '0b11');
  oneLine(cli(['check', '--n-hidden', '1_000']), /--n-hidden must be a number, got '1_000'$/, '1_000');
  oneLine(cli(['train', '-l', 'Infinity']), /--learning-rate must be a number, got 'Infinity'$/, 'Infinity');
  oneLine(cli(['train', '-o', '--resume']), /--work-dir needs a value, got the flag '--resume' \(to pass it as the value, write --work-dir=--resume\)/, '-o --resume');
  assert.ok(!existsSync(join(dir, '--resume')), 'no directory named --resume');
  oneLine(cli(['sample', '--checkpoint', '-n']), /--checkpoint needs a value, got the flag '-n'/, '--checkpoint -n');
  // negative numbers are values, and are range-checked as before
  oneLine(cli(['sample', '-n', '-2']), /--num-samples must be an integer >= 0, got -2$/, '-n -2');
});

test('seeds: integers in [0, 2^53); 9007199254740993 is not rounded to ...992', () => {
  oneLine(cli(['check', '--seed', '9007199254740993']), /--seed must be an integer below 2\^53/, 'seed 2^53+1');
  oneLine(cli(['check', '--seed', '-1']), /--seed must be an integer >= 0, got -1$/, 'seed -1');
  oneLine(cli(['check', '--seed', '1.5']), /--seed must be an integer, got '1\.5'$/, 'seed 1.5');
  assert.equal(cli(['check', '--seed', '9007199254740991', '--n-hidden', '4']).status, 0);
});

test('sizes: every size flag is checked against memory before anything is allocated', () => {
  const big: [string[], string][] = [
    [['check', '--n-hidden', '1000000000'], 'check --n-hidden 1e9'],
    [['check', '--n-hidden', '1e9'], 'check --n-hidden 1e9 (exponent form)'],
    [['check', '--n-embd', '100000000'], 'check --n-embd'],
    [['check', '--batch-size', '1000000000'], 'check --batch-size'],
    [['init', '--out', 'big.safetensors', '--n-hidden', '1000000000'], 'init --n-hidden'],
    [['train', '-o', 'big', '--n-hidden', '1000000000'], 'train --n-hidden'],
    [['train', '-o', 'big', '--batch-size', '1000000000'], 'train --batch-size'],
    [['train', '-o', 'big', '--n-embd', '30000000'], 'train --n-embd'],
  ];
  for (const [args, what] of big) {
    oneLine(cli(args), /needs about [0-9.]+ [GMK]iB, more than the 512 MiB this run may use; give a smaller --n-hidden, --n-embd, --block-size or --batch-size/, what);
  }
  oneLine(cli(['check', '--block-size', '100000000']), /needs? about .*more than the 512 MiB/, 'check --block-size');
  oneLine(cli(['train', '-o', 'big', '--max-steps', '10000000000']), /--max-steps 10000000000: the loss history needs .*more than the 512 MiB/, 'train --max-steps');
  assert.ok(!existsSync(join(dir, 'big')) && !existsSync(join(dir, 'big.safetensors')), 'nothing written');
});

test('names files: control characters are refused naming the first line; the vocabulary is capped', () => {
  file('esc.txt', 'anna\nbob\nmal\u001b[31mory\ndora\n');
  oneLine(cli(['data', '-i', 'esc.txt']), /esc\.txt:3: the name has the control character U\+001B; names are printable text/, 'ESC');
  file('nul.txt', 'anna\nb\u0000b\n');
  oneLine(cli(['data', '-i', 'nul.txt']), /nul\.txt:2: the name has the control character U\+0000/, 'NUL');
  file('c1.txt', 'anna\nb\u009bb\n');
  oneLine(cli(['data', '-i', 'c1.txt']), /c1\.txt:2: .*U\+009B/, 'C1 CSI');
  // 2,000 distinct characters (CJK): more than the vocabulary cap
  const many = Array.from({ length: 2000 }, (_, i) => String.fromCodePoint(0x4e00 + i)).join('\n');
  file('vocab.txt', many);
  oneLine(cli(['data', '-i', 'vocab.txt']), /vocab\.txt: more than 1023 distinct characters \(by line 1024\); the vocabulary is capped at 1024 tokens with '\.'/, 'vocab cap');
});

test('names files: only regular files, within a size cap (a flag raises it); past the cap it says so, not "not UTF-8"', () => {
  oneLine(cli(['data', '-i', '/dev/zero']), /cannot read names file \/dev\/zero: not a regular file \(a device\)/, '/dev/zero');
  const fifo = join(dir, 'fifo');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
  oneLine(cli(['data', '-i', 'fifo']), /cannot read names file fifo: not a regular file \(a FIFO\)/, 'fifo');
  // 3 MiB of valid names, one multi-byte character straddling every chunk boundary
  const big = ('é' + 'abcdefg\n').repeat(350_000);
  file('big.txt', big);
  oneLine(cli(['data', '-i', 'big.txt', '--max-input-mb', '1']), /big\.txt is 3\.[0-9]+ MiB, above the 1 MiB limit for a names file; raise it with --max-input-mb/, 'cap');
  const r = cli(['data', '-i', 'big.txt', '--max-input-mb', '4']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /names: +350000/);
  assert.match(r.stdout, /vocab: +9 tokens: "\.abcdefgé"/);
});

test("a checkpoint's recorded names path: a FIFO or device is refused, and no file's characters are echoed", () => {
  file('names.txt', NAMES);
  assert.equal(cli(['train', '-o', 'rec', '-i', 'names.txt', '--n-hidden', '4', '--max-steps', '5']).status, 0);
  const ckPath = join(dir, 'rec', 'model.safetensors');
  const f = decodeSafetensors(readFileSync(ckPath), 'x');
  const redirect = (input: string): void => {
    writeFileSync(ckPath, encodeSafetensors(f.tensors, { ...f.metadata, input: JSON.stringify(input) }));
  };
  redirect('/dev/zero');
  oneLine(cli(['eval', '-o', 'rec']), /cannot read names file \/dev\/zero: not a regular file \(a device\) \(the names file rec\/model\.safetensors was trained on; give it with -i\)/, 'eval /dev/zero');
  redirect(join(dir, 'fifo'));
  oneLine(cli(['eval', '-o', 'rec']), /not a regular file \(a FIFO\)/, 'eval fifo');
  oneLine(cli(['train', '-o', 'rec', '--resume', '--max-steps', '6']), /not a regular file \(a FIFO\)/, 'resume fifo');
  // a file with other characters (a stand-in for a system file): the mismatch names no character of it
  file('secret.txt', 'ΩЖ\nЖΩ\nqΩ\nwЖ\n');
  redirect(join(dir, 'secret.txt'));
  const r = cli(['eval', '-o', 'rec']);
  oneLine(r, /rec\/model\.safetensors was made for a vocabulary of \d+ tokens .* but .*secret\.txt has \d+ tokens/, 'eval secret');
  assert.doesNotMatch(r.stderr, /[ΩЖ]/, 'the characters of the other file are not printed');
});


