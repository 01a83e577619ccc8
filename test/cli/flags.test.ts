// Trust no flag (issue 12): flag values that are not decimal numbers or that look like flags, seeds, and
// every size checked against memory before it is allocated.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { expectOneErrorLine, runCli, type Run } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'bpn-flags-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// a timeout: before the fix a FIFO hung the reader forever
const cli = (args: string[], env: Record<string, string> = {}): Run => runCli(dir, args, { BPN_MEMORY_MB: '512', ...env }, 20_000);
const oneLine = (r: Run, re: RegExp, what: string): void => expectOneErrorLine(r, re, 2, what);

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

