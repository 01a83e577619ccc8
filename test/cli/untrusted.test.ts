// Trust no file, no flag (issue 12): names files (regular files only, a size cap, control characters, a
// vocabulary cap), the names path a checkpoint records, every size checked against memory before it is
// allocated, seeds, and flag values that are not decimal numbers or that look like flags.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { decodeSafetensors, encodeSafetensors, stTensor, type StTensor } from '../../src/core/run/safetensors.js';
import { buildVocab } from '../../src/core/reference/data.js';
import { initParams, PARAM_NAMES } from '../../src/core/reference/model.js';
import { expectOneErrorLine, runCli, type Run } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'bpn-untrusted-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// a timeout: before the fix a FIFO hung the reader forever
const cli = (args: string[], env: Record<string, string> = {}): Run => runCli(dir, args, { BPN_MEMORY_MB: '512', ...env }, 20_000);
const oneLine = (r: Run, re: RegExp, what: string): void => expectOneErrorLine(r, re, 2, what);

const file = (name: string, text: string | Uint8Array): string => {
  writeFileSync(join(dir, name), text);
  return name;
};

const NAMES = ['anna', 'bob', 'carl', 'dora', 'emma', 'fred', 'gus', 'hal', 'ida', 'jo', 'kim', 'lea'].join('\n') + '\n';

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



test('a PyTorch file (no metadata) holding a NaN or a negative bnvar is refused too, naming the tensor', () => {
  file('pt-names.txt', NAMES);
  const itos = buildVocab(NAMES.trim().split('\n'));
  const cfg = { vocabSize: itos.length, nEmbd: 2, nHidden: 4, blockSize: 3 };
  const p = initParams(cfg, 'float32', 5);
  const tensors = (edit: (m: Map<string, StTensor>) => void): Uint8Array => {
    const m = new Map<string, StTensor>(PARAM_NAMES.map((k) => [k, stTensor(p[k].shape, Float32Array.from(p[k].data))]));
    edit(m);
    return encodeSafetensors(m); // no metadata at all, as safetensors.torch.save_file without metadata writes
  };
  file('pt-ok.safetensors', tensors(() => {}));
  assert.equal(cli(['check', '--checkpoint', 'pt-ok.safetensors', '-i', 'pt-names.txt', '-b', '4']).status, 0);
  file('pt-nan.safetensors', tensors((m) => (m.get('W1')!.data[3] = NaN)));
  oneLine(cli(['check', '--checkpoint', 'pt-nan.safetensors', '-i', 'pt-names.txt', '-b', '4']), /pt-nan\.safetensors: tensor "W1" holds NaN at index 3/, 'torch NaN');
  file('pt-var.safetensors', tensors((m) => {
    m.set('bnmean', stTensor([1, 4], new Float32Array(4)));
    m.set('bnvar', stTensor([1, 4], Float32Array.from([1, 1, -1, 1])));
  }));
  oneLine(cli(['eval', '--checkpoint', 'pt-var.safetensors', '-i', 'pt-names.txt']), /pt-var\.safetensors: tensor "bnvar" holds -1 at index 2; a variance is >= 0/, 'torch bnvar');
});
