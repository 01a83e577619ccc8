// safetensors and checkpoints: round trips, the exact bytes of a tiny file, every kind of bad file as one
// clear UserError (one line, naming the file), and a file written by another implementation (the Python
// fixture script) read back.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { decodeCheckpoint, encodeCheckpoint } from '../../src/core/run/checkpoint.js';
import { UserError } from '../../src/core/errors.js';
import { PARAM_NAMES, initParams, paramShapes, type ModelConfig } from '../../src/core/reference/model.js';
import { decodeSafetensors, encodeSafetensors, stTensor, type StTensor } from '../../src/core/run/safetensors.js';
import { REPO } from '../helpers.js';

const enc = new TextEncoder();

/** A file from a header given as text (or an object) and raw data bytes, with a chosen length field. */
function craft(header: string | object, data: Uint8Array = new Uint8Array(0), lengthField?: bigint): Uint8Array {
  const h = enc.encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, lengthField ?? BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

/** Asserts decode fails with one UserError line that names the file and matches `re`. */
function rejects(bytes: Uint8Array, re: RegExp, decode: (b: Uint8Array, s: string) => unknown = decodeSafetensors): void {
  assert.throws(() => decode(bytes, 'bad.safetensors'), (e: unknown) => {
    assert.ok(e instanceof UserError, `a UserError, got ${String(e)}`);
    assert.ok(!e.message.includes('\n'), `one line: ${e.message}`);
    assert.match(e.message, /^bad\.safetensors: /);
    assert.match(e.message, re);
    return true;
  });
}

test('round trip: F32, F64, I32, a scalar [], an empty [0], metadata; the header is padded to 8 bytes', () => {
  const tensors: [string, StTensor][] = [
    ['w', stTensor([2, 3], Float32Array.from([1.5, -2, 3.25, 0, 1e-30, -7]))],
    ['d', stTensor([3], Float64Array.from([Math.PI, -1e300, 5e-324]))],
    ['ids', stTensor([2, 2], Int32Array.from([0, -1, 2147483647, -2147483648]))],
    ['loss', stTensor([], Float64Array.from([3.5]))],
    ['none', stTensor([0], new Float32Array(0))],
  ];
  const bytes = encodeSafetensors(tensors, { vocab: '".abc"', note: 'ünïcode ✓' });
  const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  assert.equal(n % 8, 0);
  assert.equal(bytes.length, 8 + n + 24 + 24 + 16 + 8 + 0);
  const back = decodeSafetensors(bytes, 'x');
  assert.deepEqual(back.metadata, { vocab: '".abc"', note: 'ünïcode ✓' });
  assert.deepEqual([...back.tensors.keys()], ['w', 'd', 'ids', 'loss', 'none']);
  for (const [k, t] of tensors) {
    const b = back.tensors.get(k)!;
    assert.equal(b.dtype, t.dtype, k);
    assert.deepEqual(b.shape, t.shape, k);
    assert.equal(b.data.constructor, t.data.constructor, k);
    assert.deepEqual(Array.from(b.data), Array.from(t.data), k);
  }
  // no metadata: no __metadata__ key at all
  const plain = decodeSafetensors(encodeSafetensors([['a', stTensor([1], Int32Array.from([7]))]]), 'x');
  assert.deepEqual(plain.metadata, {});
  // a view into a larger buffer (byteOffset != 0) decodes the same
  const shifted = new Uint8Array(bytes.length + 3);
  shifted.set(bytes, 3);
  assert.deepEqual(Array.from(decodeSafetensors(shifted.subarray(3), 'x').tensors.get('d')!.data), Array.from(tensors[1][1].data));
});

test('the exact bytes of a one-tensor file', () => {
  const bytes = encodeSafetensors([['a', stTensor([1], Int32Array.from([258]))]]);
  const json = '{"a":{"dtype":"I32","shape":[1],"data_offsets":[0,4]}}'; // 54 bytes, padded with 2 spaces to 56
  assert.equal(json.length, 54);
  assert.deepEqual(Array.from(bytes.subarray(0, 8)), [56, 0, 0, 0, 0, 0, 0, 0]);
  assert.equal(new TextDecoder().decode(bytes.subarray(8, 64)), `${json}  `);
  assert.deepEqual(Array.from(bytes.subarray(64)), [2, 1, 0, 0]); // 258 little-endian
});

test('a file written by the Python script (a fixture) decodes: another implementation agrees on the format', () => {
  const path = join(REPO, 'test', 'fixtures', 'odd_f64.safetensors');
  const bytes = readFileSync(path);
  const f = decodeSafetensors(bytes, path);
  assert.equal(f.metadata.made_by, 'scripts/make_fixtures.py');
  assert.equal(f.tensors.get('X')!.dtype, 'I32');
  assert.deepEqual(f.tensors.get('X')!.shape, [5, 2]);
  assert.deepEqual(f.tensors.get('loss')!.shape, []);
  assert.deepEqual(f.tensors.get('C')!.shape, [11, 3]);
  assert.deepEqual(f.tensors.get('d.bnmeani')!.shape, [1, 7]);
  assert.deepEqual(f.tensors.get('d.b1')!.shape, [7]);
  assert.equal(f.tensors.size, 7 + 3 + 26 + 2 + 19);
  // and we write the same bytes Python wrote for the same tensors in the same order and header
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, unknown>;
  const order = Object.keys(header).filter((k) => k !== '__metadata__');
  const again = encodeSafetensors(order.map((k) => [k, f.tensors.get(k)!]), f.metadata);
  assert.deepEqual(Buffer.from(again.subarray(8 + n)), Buffer.from(bytes.subarray(8 + n)), 'the data section is byte-identical');
});

// ---------------------------------------------------------------------------------------------------------
// bad files

const good = encodeSafetensors([
  ['a', stTensor([2, 3], new Float32Array(6).fill(1))],
  ['b', stTensor([2], Float64Array.from([1, 2]))],
]);
const f32 = (n: number): Uint8Array => new Uint8Array(4 * n);

test('bad files: truncated, too short, header length past the end', () => {
  rejects(good.subarray(0, good.length - 4), /tensor "b" ends at byte 40 but the data is only 36 bytes \(truncated\?\)/);
  rejects(good.subarray(0, 5), /only 5 bytes, shorter than the 8-byte header length/);
  rejects(new Uint8Array(0), /only 0 bytes/);
  rejects(good.subarray(0, 30), /the header claims \d+ bytes but the file has 22 after the length \(truncated\?\)/);
  rejects(craft({}, new Uint8Array(0), 1000000n), /the header claims 1000000 bytes but the file has 2 after the length/);
  rejects(craft({}, new Uint8Array(0), 2n ** 63n), /the header claims 9223372036854775808 bytes/);
});

test('bad files: the header is not JSON, not UTF-8, not an object', () => {
  rejects(craft('{"a": {"dtype": "F32",'), /the header is not valid JSON: expected a key at character 22/);
  const notUtf8 = craft('{"a":1}');
  notUtf8[10] = 0xff;
  rejects(notUtf8, /not valid UTF-8 JSON/);
  rejects(craft('[1, 2]'), /the header is not a JSON object/);
  rejects(craft('null'), /the header is not a JSON object/);
  rejects(craft({ a: 5 }), /entry "a" is not an object/);
  rejects(craft({ __metadata__: { n: 3 } }), /__metadata__ must map strings to strings/);
});

test('bad files: the header lies about sizes, tensors overlap or leave gaps, trailing bytes', () => {
  // [2, 3] F32 needs 24 bytes; the offsets claim 20
  rejects(craft({ a: { dtype: 'F32', shape: [2, 3], data_offsets: [0, 20] } }, f32(5)),
    /tensor "a" of shape \[2, 3\] needs 24 bytes but its offsets span 20/);
  rejects(craft({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } }, f32(3)),
    /overlaps another tensor/);
  rejects(craft({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] }, b: { dtype: 'F32', shape: [1], data_offsets: [8, 12] } }, f32(3)),
    /a gap of unused bytes before tensor "b"/);
  const trailing = new Uint8Array(good.length + 4);
  trailing.set(good);
  rejects(trailing, /4 bytes after the last tensor that no tensor claims/);
  rejects(craft({ a: { dtype: 'F32', shape: [2], data_offsets: [8, 4] } }, f32(2)), /malformed data_offsets \[8,4\]/);
  rejects(craft({ a: { dtype: 'F32', shape: [2], data_offsets: [0] } }, f32(2)), /malformed data_offsets \[0\]/);
  rejects(craft({ a: { dtype: 'F32', shape: [-2], data_offsets: [0, 8] } }, f32(2)), /malformed shape \[-2\]/);
  rejects(craft({ a: { dtype: 'F32', shape: '2', data_offsets: [0, 8] } }, f32(2)), /malformed shape "2"/);
});

test('bad files: unsupported dtypes are named', () => {
  rejects(craft({ a: { dtype: 'BF16', shape: [2], data_offsets: [0, 4] } }, f32(1)), /tensor "a" has dtype "BF16"; supported: F32, F64, I32, I64, BOOL/);
  rejects(craft({ a: { dtype: 'F16', shape: [2], data_offsets: [0, 4] } }, f32(1)), /dtype "F16"/);
  rejects(craft({ a: { shape: [2], data_offsets: [0, 4] } }, f32(1)), /has dtype undefined/);
});

test("I64 and BOOL (a notebook's torch.int64 and torch.bool): bytes as safetensors writes them, round trip, past 2^53 refused", () => {
  const bytes = encodeSafetensors([
    ['ids', stTensor([2, 2], Float64Array.from([0, -1, 2 ** 53, 26]), 'I64')],
    ['mask', stTensor([3], Uint8Array.from([1, 0, 1]))],
  ]);
  const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, { dtype: string; data_offsets: number[] }>;
  assert.deepEqual([header.ids.dtype, header.ids.data_offsets, header.mask.dtype, header.mask.data_offsets], ['I64', [0, 32], 'BOOL', [32, 35]]);
  const dv = new DataView(bytes.buffer, 8 + n);
  assert.deepEqual([dv.getBigInt64(8, true), dv.getBigInt64(16, true), dv.getUint8(33)], [-1n, 2n ** 53n, 0]);
  const back = decodeSafetensors(bytes, 'x.safetensors');
  assert.deepEqual(Array.from(back.tensors.get('ids')!.data), [0, -1, 2 ** 53, 26]);
  assert.equal(back.tensors.get('ids')!.dtype, 'I64');
  assert.deepEqual(Array.from(back.tensors.get('mask')!.data), [1, 0, 1]);
  const big = new Uint8Array(8);
  new DataView(big.buffer).setBigInt64(0, 2n ** 53n + 1n, true);
  rejects(craft({ a: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, big), /tensor "a" holds the int64 9007199254740993, past 2\^53/);
});

// ---------------------------------------------------------------------------------------------------------
// checkpoints

const CFG: ModelConfig = { vocabSize: 5, nEmbd: 2, nHidden: 3, blockSize: 2 };
const ITOS = ['.', 'a', 'b', 'c', 'd'];

function ckTensors(cfg: ModelConfig, skip = ''): [string, StTensor][] {
  const p = initParams(cfg, 'float32', 1);
  return PARAM_NAMES.filter((k) => k !== skip).map((k) => [k, stTensor(p[k].shape, p[k].data)]);
}
const META = { nEmbd: '2', nHidden: '3', blockSize: '2', vocab: '".abcd"', seed: '1' };

test('checkpoint round trip: params, config, vocab, seed, extra tensors, metadata; float64 too', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    const p = initParams(CFG, dtype, 9);
    const bytes = encodeCheckpoint(p, CFG, ITOS, 9, { bnmean: stTensor([1, 3], Float32Array.from([1, 2, 3])) }, { steps: 200 });
    const ck = decodeCheckpoint(bytes, 'ck');
    assert.deepEqual(ck.cfg, CFG);
    assert.deepEqual(ck.itos, ITOS);
    assert.equal(ck.seed, 9);
    assert.equal(ck.meta.steps, 200);
    assert.equal(ck.meta.format, 'backprop-ninja');
    assert.equal(ck.params.flat.constructor, p.flat.constructor);
    assert.deepEqual(Array.from(ck.params.flat), Array.from(p.flat));
    assert.deepEqual(Array.from(ck.extra.get('bnmean')!.data), [1, 2, 3]);
    // the metadata are JSON strings, as the issue says
    assert.equal(decodeSafetensors(bytes, 'ck').metadata.vocab, '".abcd"');
  }
});

test('bad checkpoints: a missing tensor, shapes that disagree with the metadata config, missing metadata', () => {
  const dec = decodeCheckpoint;
  rejects(encodeSafetensors(ckTensors(CFG, 'W2'), META), /not a usable backprop-ninja checkpoint: tensor "W2" is missing/, dec);
  rejects(encodeSafetensors(ckTensors(CFG, 'C'), META), /tensor "C" is missing/, dec);
  // the tensors are for nHidden 3, the metadata says 4
  rejects(encodeSafetensors(ckTensors(CFG), { ...META, nHidden: '4' }),
    /tensor "W1" has shape \[4, 3\] but the config \(nEmbd 2, nHidden 4, blockSize 2, vocab 5\) needs \[4, 4\]/, dec);
  // the vocab says 4 tokens, C has 5 rows
  rejects(encodeSafetensors(ckTensors(CFG), { ...META, vocab: '".abc"' }), /tensor "C" has shape \[5, 2\] but the config .* needs \[4, 2\]/, dec);
  rejects(encodeSafetensors(ckTensors(CFG)), /metadata "vocab" is missing/, dec);
  const { nEmbd: _drop, ...noEmbd } = META;
  rejects(encodeSafetensors(ckTensors(CFG), noEmbd), /metadata "nEmbd" is missing or not an integer/, dec);
  rejects(encodeSafetensors(ckTensors(CFG), { ...META, blockSize: '"2"' }), /metadata "blockSize" is missing or not an integer/, dec);
  rejects(encodeSafetensors(ckTensors(CFG), { ...META, vocab: '.abcd' }), /metadata "vocab" is not JSON/, dec);
  rejects(encodeSafetensors(ckTensors(CFG), { ...META, nHidden: '0' }), /n_hidden must be an integer >= 1, got 0/, dec);
  // dtypes: C must be floating point, and every parameter must share C's
  const mixed = ckTensors(CFG).map(([k, t]): [string, StTensor] => (k === 'W1' ? [k, stTensor(t.shape, Float64Array.from(t.data))] : [k, t]));
  rejects(encodeSafetensors(mixed, META), /tensor "W1" is F64 but "C" is F32/, dec);
  const intC = ckTensors(CFG).map(([k, t]): [string, StTensor] => (k === 'C' ? [k, stTensor(t.shape, Int32Array.from(t.data))] : [k, t]));
  rejects(encodeSafetensors(intC, META), /tensor "C" is not floating point/, dec);
  // a truncated checkpoint fails in the safetensors layer, with the same one-line shape
  const whole = encodeSafetensors(ckTensors(CFG), META);
  rejects(whole.subarray(0, whole.length - 1), /not a valid safetensors file: .*truncated/, dec);
  // the shapes the config asks for are the ones paramShapes states
  assert.deepEqual(paramShapes(CFG).W1, [4, 3]);
});
