// Trust no file (issue 12): the safetensors header parsed strictly (duplicate keys, __proto__, format,
// shapes of every known tensor, values that cannot be used), and a seeded fuzz of the reader: thousands of
// mutants of a real checkpoint, each either loading or failing with one clean line (a UserError without a
// newline), never a RangeError or TypeError.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeCheckpoint, encodeCheckpoint } from '../../src/core/run/checkpoint.js';
import { UserError } from '../../src/core/errors.js';
import { initParams, type ModelConfig } from '../../src/core/reference/model.js';
import { MT19937 } from '../../src/core/random/python.js';
import { decodeSafetensors, encodeSafetensors, stTensor, type StTensor } from '../../src/core/run/safetensors.js';
import { readBnStats, readTrainState, trainStateMeta, trainStateTensors } from '../../src/core/run/trainstate.js';

const enc = new TextEncoder();
const CFG: ModelConfig = { vocabSize: 5, nEmbd: 2, nHidden: 3, blockSize: 2 };
const ITOS = ['.', 'a', 'b', 'c', 'd'];

function craft(header: string, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const h = enc.encode(header);
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

function rejects(bytes: Uint8Array, re: RegExp, decode: (b: Uint8Array, s: string) => unknown = decodeSafetensors): void {
  assert.throws(() => decode(bytes, 'bad.safetensors'), (e: unknown) => {
    assert.ok(e instanceof UserError, `a UserError, got ${String(e)}`);
    assert.ok(!e.message.includes('\n'), `one line: ${e.message}`);
    assert.match(e.message, /^bad\.safetensors: /);
    assert.match(e.message, re);
    return true;
  });
}

/** A trained-looking checkpoint: params, bnmean/bnvar, the training state. */
function trained(step = 4): Uint8Array {
  const p = initParams(CFG, 'float32', 3);
  const rng = new MT19937(3);
  const losses = Float64Array.from({ length: step }, (_, i) => 3 - i * 0.1);
  const stats = { bnmean: Float32Array.from([0.1, 0.2, 0.3]), bnvar: Float32Array.from([1, 2, 3]) };
  const extra = trainStateTensors(rng.getState(), losses, stats, CFG.nHidden);
  const meta = trainStateMeta({ step, schedule: { learningRate: 0.1, lrDecayStep: 2, maxSteps: 10 }, batchSize: 4, input: null });
  return encodeCheckpoint(p, CFG, ITOS, 3, extra, meta);
}

function paramsWith(edit: (t: Map<string, StTensor>) => void, meta: Record<string, string> = {}): Uint8Array {
  const file = decodeSafetensors(trained(), 'x');
  edit(file.tensors);
  return encodeSafetensors(file.tensors, { ...file.metadata, ...meta });
}

test('strict header: duplicate keys are refused, at the top and inside entries and metadata', () => {
  rejects(craft('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', new Uint8Array(4)),
    /the header is not valid JSON: duplicate key "a"/);
  rejects(craft('{"a":{"dtype":"F32","dtype":"F64","shape":[1],"data_offsets":[0,4]}}', new Uint8Array(4)), /duplicate key "dtype"/);
  rejects(craft('{"__metadata__":{"k":"1","k":"2"}}'), /duplicate key "k"/);
});

test('strict header: __proto__ is refused as a name or a metadata key; nesting is bounded', () => {
  rejects(craft('{"__metadata__":{"__proto__":"x"}}'), /reserved name "__proto__"/);
  rejects(craft('{"__proto__":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', new Uint8Array(4)), /reserved name "__proto__"/);
  rejects(craft(`{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`), /nested too deeply/);
  rejects(craft('{"a":1} x'), /not valid JSON/);
  rejects(craft('{"a":"\u0001"}'), /not valid JSON/);
});

test('format: checked only when present; a PyTorch file with no metadata, or "pt", still loads', () => {
  const t: [string, StTensor][] = [['a', stTensor([2], Float32Array.from([1, 2]))]];
  assert.equal(decodeSafetensors(encodeSafetensors(t), 'x').tensors.size, 1);
  const good = decodeSafetensors(trained(), 'x');
  // safetensors.torch.save_file writes {"format": "pt"}: a raw string, not JSON
  assert.doesNotThrow(() => decodeCheckpoint(encodeSafetensors(good.tensors, { ...good.metadata, format: 'pt' }), 'x'));
  const { format: _f, ...noFormat } = good.metadata;
  assert.doesNotThrow(() => decodeCheckpoint(encodeSafetensors(good.tensors, noFormat), 'x'));
  rejects(encodeSafetensors(good.tensors, { ...good.metadata, format: '"tensorflow"' }), /format "tensorflow" is not a backprop-ninja checkpoint/, decodeCheckpoint);
  // unknown metadata that is not JSON is kept as text, not an error
  assert.equal(decodeCheckpoint(encodeSafetensors(good.tensors, { ...good.metadata, note: 'hello' }), 'x').meta.note, 'hello');
});

test('bnmean, bnvar and train.* are checked by shape and dtype, not length', () => {
  const dec = (b: Uint8Array, s: string): unknown => {
    const ck = decodeCheckpoint(b, s);
    readBnStats(ck, s);
    return readTrainState(ck, s);
  };
  rejects(paramsWith((t) => t.set('bnmean', stTensor([3], Float32Array.from([1, 2, 3])))), /tensor "bnmean" has shape \[3\]; it must be \[1, 3\]/, dec);
  rejects(paramsWith((t) => t.set('bnvar', stTensor([3, 1], Float32Array.from([1, 2, 3])))), /tensor "bnvar" has shape \[3, 1\]; it must be \[1, 3\]/, dec);
  rejects(paramsWith((t) => t.set('bnvar', stTensor([1, 3], Int32Array.from([1, 2, 3])))), /tensor "bnvar" is I32; it must be F32 or F64/, dec);
  rejects(paramsWith((t) => t.set('train.rng', stTensor([5, 125], new Int32Array(625)))), /tensor "train.rng" has shape \[5, 125\]; it must be \[625\]/, dec);
  rejects(paramsWith((t) => t.set('train.losses', stTensor([2, 2], new Float64Array(4)))), /tensor "train.losses" has shape \[2, 2\]; it must be \[4\]/, dec);
  rejects(paramsWith((t) => t.set('train.losses', stTensor([4], new Float32Array(4)))), /tensor "train.losses" is F32; it must be F64/, dec);
});

test('values that cannot be used are refused on load, naming the tensor: NaN/Inf parameters, negative bnvar', () => {
  const nanW2 = paramsWith((t) => {
    const w2 = t.get('W2')!;
    w2.data[5] = NaN;
  });
  rejects(nanW2, /tensor "W2" holds NaN at index 5/, decodeCheckpoint);
  rejects(paramsWith((t) => (t.get('C')!.data[0] = Infinity)), /tensor "C" holds Infinity at index 0/, decodeCheckpoint);
  rejects(paramsWith((t) => t.set('bnvar', stTensor([1, 3], Float32Array.from([1, -2, 3])))), /tensor "bnvar" holds -2 at index 1; a variance is >= 0/, decodeCheckpoint);
  rejects(paramsWith((t) => t.set('bnmean', stTensor([1, 3], Float32Array.from([1, NaN, 3])))), /tensor "bnmean" holds NaN at index 1/, decodeCheckpoint);
});

test('sizes and seeds inside a checkpoint are checked before anything is allocated', () => {
  const good = decodeSafetensors(trained(), 'x');
  const withMeta = (m: Record<string, string>): Uint8Array => encodeSafetensors(good.tensors, { ...good.metadata, ...m });
  rejects(withMeta({ nHidden: '1000000000' }), /tensor "W1" has shape \[4, 3\] but the config .* needs \[4, 1000000000\]/, decodeCheckpoint);
  rejects(withMeta({ nHidden: '1e300' }), /metadata "nHidden" .* integer/, decodeCheckpoint);
  for (const seed of ['-1', '1.5', '1e300', '"42"', '9007199254740993']) {
    rejects(withMeta({ seed }), /metadata "seed" must be an integer in \[0, 2\^53\)/, decodeCheckpoint);
  }
});

test('fuzz: 6,000 seeded mutants of a trained checkpoint load or fail with one clean line', () => {
  const t0 = Date.now();
  const base = trained();
  const headerLen = Number(new DataView(base.buffer).getBigUint64(0, true));
  const headerText = new TextDecoder().decode(base.subarray(8, 8 + headerLen));
  const rng = new MT19937(12);
  const pick = (n: number): number => Math.floor(rng.random() * n);
  const tokens = ['{', '}', '[', ']', ',', ':', '"', '-1', '1e309', '0', '9007199254740993', '"__proto__"', 'null', 'true', '"F16"',
    '"I32"', '"F64"', '4294967296', '[[[[[[[[', '"\\u0000"', '"nHidden"', '"bnvar"', '"train.rng"', '"step"', '1.5', '-0', '"NaN"'];
  let loaded = 0;
  let refused = 0;
  const counts: Record<string, number> = {};
  const N = 6000;
  for (let i = 0; i < N; i++) {
    const kind = pick(7);
    let bytes: Uint8Array;
    if (kind === 6) {
      // a metadata value replaced: sizes, seeds, steps, the vocabulary, the names file, the format
      const file = decodeSafetensors(base, 'base');
      const keys = Object.keys(file.metadata);
      const values = ['-1', '0', '1.5', '1e300', '1e9', '100000', '4294967296', '"x"', 'null', '[]', '{}', '"\\u0000ab"', '".a"', '"/dev/zero"',
        '9007199254740993', '"..\\n"', 'true', '2', '"pt"', '""'];
      const meta = { ...file.metadata };
      for (let k = 1 + pick(2); k > 0; k--) meta[keys[pick(keys.length)]] = values[pick(values.length)];
      bytes = encodeSafetensors(file.tensors, meta);
    } else if (kind === 0) {
      bytes = base.slice();
      for (let k = 1 + pick(4); k > 0; k--) bytes[pick(bytes.length)] = pick(256); // random bytes anywhere
    } else if (kind === 1) {
      bytes = base.slice(0, pick(base.length)); // truncated
    } else if (kind === 2) {
      bytes = base.slice();
      new DataView(bytes.buffer).setBigUint64(0, BigInt(pick(2 ** 31)) * BigInt(1 + pick(3)), true); // the length field lies
    } else {
      // the header text: replace a token-sized span with a JSON-ish token, or a digit with another
      let h = headerText;
      for (let k = 1 + pick(3); k > 0; k--) {
        const at = pick(h.length);
        if (kind === 3) h = h.slice(0, at) + tokens[pick(tokens.length)] + h.slice(at + pick(4));
        else if (kind === 4) h = h.replace(/\d/g, (d) => (rng.random() < 0.05 ? String(pick(10)) + ['', '', '', '000', '0000000000'][pick(5)] : d));
        else h = h.slice(0, at) + h.slice(at + 1 + pick(20)); // a deletion
      }
      const hb = enc.encode(h);
      bytes = new Uint8Array(8 + hb.length + base.length - 8 - headerLen);
      new DataView(bytes.buffer).setBigUint64(0, BigInt(hb.length), true);
      bytes.set(hb, 8);
      bytes.set(base.subarray(8 + headerLen), 8 + hb.length);
    }
    try {
      const ck = decodeCheckpoint(bytes, 'mutant.safetensors');
      readBnStats(ck, 'mutant.safetensors');
      readTrainState(ck, 'mutant.safetensors');
      loaded++;
    } catch (e) {
      if (!(e instanceof UserError)) assert.fail(`mutant ${i} (kind ${kind}): ${(e as Error).name}: ${(e as Error).message}`);
      assert.ok(!e.message.includes('\n'), `mutant ${i}: a message with a newline: ${JSON.stringify(e.message)}`);
      assert.ok(e.message.length < 400, `mutant ${i}: a ${e.message.length}-char message`);
      const what = /: (not a [a-z ]+|cannot [a-z]+)/.exec(e.message)?.[1] ?? 'other';
      counts[what] = (counts[what] ?? 0) + 1;
      refused++;
    }
  }
  const ms = Date.now() - t0;
  console.log(`fuzz: ${N} mutants in ${ms} ms: ${loaded} loaded, ${refused} refused with one line (${JSON.stringify(counts)})`);
  assert.equal(loaded + refused, N);
  assert.ok(ms < 15_000, `${ms} ms`);
});


