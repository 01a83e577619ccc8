// safetensors, the format PyTorch users open with `safetensors.torch.load_file`:
//   8 bytes   little-endian u64 N, the header's length
//   N bytes   JSON: { name: { dtype, shape, data_offsets: [begin, end] }, "__metadata__": { str: str } }
//   rest      raw little-endian tensor data; offsets are relative to the start of this part
// Pure (bytes in, bytes out), so the browser writes and reads the very same files.

import { UserError } from '../errors.js';

export type StDType = 'F32' | 'F64' | 'I32' | 'I64' | 'BOOL';
/**
 * I64 (a notebook's torch.int64) as a Float64Array of exact integers (|v| <= 2^53; larger values are refused
 * when read), BOOL (torch.bool) as a Uint8Array of 0/1.
 */
export type StArray = Float32Array | Float64Array | Int32Array | Uint8Array;

export interface StTensor {
  dtype: StDType;
  shape: number[];
  data: StArray;
}

export interface StFile {
  tensors: Map<string, StTensor>;
  metadata: Record<string, string>;
}

const ITEM: Record<StDType, number> = { F32: 4, F64: 8, I32: 4, I64: 8, BOOL: 1 };

function dtypeOfArray(a: StArray): StDType {
  if (a instanceof Float32Array) return 'F32';
  if (a instanceof Float64Array) return 'F64';
  if (a instanceof Uint8Array) return 'BOOL';
  return 'I32';
}

/** A tensor to encode; its dtype follows its array's type, or `dtype` ('I64' for a Float64Array of integers). */
export function stTensor(shape: readonly number[], data: StArray, dtype?: StDType): StTensor {
  return { dtype: dtype ?? dtypeOfArray(data), shape: [...shape], data };
}

/** Serialises tensors (in the order given) and string metadata. The header is padded to 8 bytes. */
export function encodeSafetensors(tensors: Iterable<[string, StTensor]>, metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  const list = [...tensors];
  let off = 0;
  for (const [name, t] of list) {
    const bytes = t.data.length * ITEM[t.dtype];
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [off, off + bytes] };
    off += bytes;
  }
  let json = JSON.stringify(header);
  const enc = new TextEncoder();
  let hbytes = enc.encode(json);
  const pad = (8 - (hbytes.length % 8)) % 8;
  if (pad > 0) {
    json += ' '.repeat(pad);
    hbytes = enc.encode(json);
  }
  const out = new Uint8Array(8 + hbytes.length + off);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(hbytes.length), true);
  out.set(hbytes, 8);
  let p = 8 + hbytes.length;
  for (const [, t] of list) {
    const d = t.data;
    for (let i = 0; i < d.length; i++) {
      if (t.dtype === 'F32') view.setFloat32(p, d[i], true);
      else if (t.dtype === 'F64') view.setFloat64(p, d[i], true);
      else if (t.dtype === 'I64') view.setBigInt64(p, BigInt(d[i]), true);
      else if (t.dtype === 'BOOL') view.setUint8(p, d[i] !== 0 ? 1 : 0);
      else view.setInt32(p, d[i], true);
      p += ITEM[t.dtype];
    }
  }
  return out;
}

/** The largest header we accept; a real one for this model is a few KB. */
const MAX_HEADER = 100 * 1024 * 1024;
/** JSON nesting deeper than this is not a safetensors header (a real one nests 3 deep) */
const MAX_DEPTH = 32;
/** names that would reshape a plain object if used as a key */
const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

/** A JSON value as the strict parser returns it: objects are Maps (no prototype to reshape). */
export type Json = null | boolean | number | string | Json[] | Map<string, Json>;

class JsonError extends Error {}

/**
 * A strict JSON parser (RFC 8259) for the header: duplicate keys are an error (JSON.parse keeps the last),
 * objects become Maps, nesting is bounded (no stack overflow), and errors say where.
 */
export function parseJsonStrict(text: string): Json {
  let i = 0;
  const fail = (what: string): never => {
    throw new JsonError(`${what} at character ${i}`);
  };
  const ws = (): void => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
      else break;
    }
  };
  const str = (): string => {
    i++; // the opening quote
    let out = '';
    let from = i;
    for (;;) {
      if (i >= text.length) fail('an unterminated string');
      const c = text.charCodeAt(i);
      if (c === 0x22) break;
      if (c < 0x20) fail('a control character in a string');
      if (c !== 0x5c) {
        i++;
        continue;
      }
      out += text.slice(from, i);
      const e = text[i + 1];
      const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (e !== undefined && e in simple) {
        out += simple[e];
        i += 2;
      } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
        out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
        i += 6;
      } else {
        fail('a bad escape in a string');
      }
      from = i;
    }
    out += text.slice(from, i);
    i++;
    return out;
  };
  const NUM = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
  const value = (depth: number): Json => {
    if (depth > MAX_DEPTH) fail(`nested too deeply (more than ${MAX_DEPTH} levels)`);
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj = new Map<string, Json>();
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a key');
        const key = str();
        if (obj.has(key)) fail(`duplicate key ${quote(key)}`);
        ws();
        if (text[i] !== ':') fail("expected ':'");
        i++;
        obj.set(key, value(depth + 1));
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return obj;
        }
        fail("expected ',' or '}'");
      }
    }
    if (c === '[') {
      i++;
      const arr: Json[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value(depth + 1));
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        fail("expected ',' or ']'");
      }
    }
    if (c === '"') return str();
    for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    NUM.lastIndex = i;
    const m = NUM.exec(text);
    if (m === null) return fail('expected a value');
    i += m[0].length;
    return Number(m[0]);
  };
  const v = value(0);
  ws();
  if (i !== text.length) fail('text after the JSON value');
  return v;
}

/** A name or value for an error message: JSON-quoted (so one line), and cut short. */
export function quote(s: string, max = 60): string {
  const q = JSON.stringify(s.length > max ? `${s.slice(0, max)}...` : s);
  return q;
}

const shown = (v: Json): string => {
  if (v instanceof Map) return '{...}';
  const t = JSON.stringify(v);
  return t.length > 60 ? `${t.slice(0, 60)}...` : t;
};

/** Parses and validates a safetensors file; every defect is a one-line UserError naming `source`. */
export function decodeSafetensors(bytes: Uint8Array, source: string): StFile {
  const bad = (what: string): UserError => new UserError(`${source}: not a valid safetensors file: ${what}`);
  if (bytes.length < 8) throw bad(`only ${bytes.length} bytes, shorter than the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n64 = view.getBigUint64(0, true);
  if (n64 > BigInt(MAX_HEADER) || n64 > BigInt(bytes.length - 8)) {
    throw bad(`the header claims ${n64} bytes but the file has ${bytes.length - 8} after the length (truncated?)`);
  }
  const n = Number(n64);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n));
  } catch {
    throw bad('the header is not valid UTF-8 JSON');
  }
  let header: Json;
  try {
    header = parseJsonStrict(text);
  } catch (e) {
    if (e instanceof JsonError) throw bad(`the header is not valid JSON: ${e.message}`);
    throw e;
  }
  if (!(header instanceof Map)) throw bad('the header is not a JSON object');
  const dataStart = 8 + n;
  const dataLen = bytes.length - dataStart;
  const tensors = new Map<string, StTensor>();
  const metadata: Record<string, string> = {}; // reserved names are refused above, so a plain object is safe
  const spans: [number, number, string][] = [];
  for (const [name, raw] of header) {
    if (RESERVED.has(name)) throw bad(`reserved name ${quote(name)} in the header`);
    if (name === '__metadata__') {
      if (!(raw instanceof Map)) throw bad('__metadata__ must map strings to strings');
      for (const [k, v] of raw) {
        if (RESERVED.has(k)) throw bad(`reserved name ${quote(k)} in __metadata__`);
        if (typeof v !== 'string') throw bad('__metadata__ must map strings to strings');
        metadata[k] = v;
      }
      continue;
    }
    if (!(raw instanceof Map)) throw bad(`entry ${quote(name)} is not an object`);
    for (const k of raw.keys()) {
      if (k !== 'dtype' && k !== 'shape' && k !== 'data_offsets') throw bad(`tensor ${quote(name)} has an unknown field ${quote(k)}`);
    }
    const dtype = raw.get('dtype');
    if (dtype !== 'F32' && dtype !== 'F64' && dtype !== 'I32' && dtype !== 'I64' && dtype !== 'BOOL') {
      throw bad(`tensor ${quote(name)} has dtype ${dtype === undefined ? 'undefined' : shown(dtype)}; supported: F32, F64, I32, I64, BOOL`);
    }
    const shape = raw.get('shape');
    if (!Array.isArray(shape) || shape.length > 8 || !shape.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)) {
      throw bad(`tensor ${quote(name)} has a malformed shape ${shape === undefined ? 'undefined' : shown(shape)}`);
    }
    const offs = raw.get('data_offsets');
    if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0) || (offs[0] as number) > (offs[1] as number)) {
      throw bad(`tensor ${quote(name)} has malformed data_offsets ${offs === undefined ? 'undefined' : shown(offs)}`);
    }
    const [b, end] = offs as [number, number];
    const dims = shape as number[];
    // the element count, stopping as soon as it passes what the data could hold (no overflow past 2^53)
    let count = 1;
    for (const d of dims) count = count > dataLen ? count : count * d;
    const need = count * ITEM[dtype];
    if (end - b !== need) {
      throw bad(`tensor ${quote(name)} of shape [${dims.join(', ')}] needs ${count > dataLen ? 'more' : need} bytes but its offsets span ${end - b}`);
    }
    if (end > dataLen) throw bad(`tensor ${quote(name)} ends at byte ${end} but the data is only ${dataLen} bytes (truncated?)`);
    spans.push([b, end, name]);
    const dv = new DataView(bytes.buffer, bytes.byteOffset + dataStart + b, end - b);
    let data: StArray;
    if (dtype === 'F32') {
      data = new Float32Array(count);
      for (let i = 0; i < count; i++) data[i] = dv.getFloat32(4 * i, true);
    } else if (dtype === 'F64') {
      data = new Float64Array(count);
      for (let i = 0; i < count; i++) data[i] = dv.getFloat64(8 * i, true);
    } else if (dtype === 'I64') {
      data = new Float64Array(count);
      for (let i = 0; i < count; i++) {
        const v = dv.getBigInt64(8 * i, true);
        if (v > 2n ** 53n || v < -(2n ** 53n)) throw bad(`tensor ${quote(name)} holds the int64 ${v}, past 2^53 (the largest integer held exactly here)`);
        data[i] = Number(v);
      }
    } else if (dtype === 'BOOL') {
      data = new Uint8Array(count);
      for (let i = 0; i < count; i++) data[i] = dv.getUint8(i) !== 0 ? 1 : 0;
    } else {
      data = new Int32Array(count);
      for (let i = 0; i < count; i++) data[i] = dv.getInt32(4 * i, true);
    }
    tensors.set(name, { dtype, shape: dims, data });
  }
  spans.sort((x, y) => x[0] - y[0]);
  let at = 0;
  for (const [b, end, name] of spans) {
    if (b !== at) throw bad(b < at ? `tensor ${quote(name)} overlaps another tensor` : `a gap of unused bytes before tensor ${quote(name)}`);
    at = end;
  }
  if (at !== dataLen) throw bad(`${dataLen - at} bytes after the last tensor that no tensor claims`);
  return { tensors, metadata };
}

/** What a file's tensor must be: its dtypes, its exact shape, and (optionally) a check of its values. */
export interface TensorRule {
  dtypes: readonly StDType[];
  shape: readonly number[];
  /** a description of the first unusable value, or null when every value is fine */
  values?: (data: StArray) => string | null;
}

/** Checks one tensor against its rule; every mismatch is a UserError through `bad`. */
export function checkTensor(name: string, t: StTensor, rule: TensorRule, bad: (what: string) => UserError): void {
  if (!rule.dtypes.includes(t.dtype)) throw bad(`tensor ${quote(name)} is ${t.dtype}; it must be ${rule.dtypes.join(' or ')}`);
  if (t.shape.length !== rule.shape.length || t.shape.some((d, i) => d !== rule.shape[i])) {
    throw bad(`tensor ${quote(name)} has shape [${t.shape.join(', ')}]; it must be [${rule.shape.join(', ')}]`);
  }
  const v = rule.values?.(t.data) ?? null;
  if (v !== null) throw bad(`tensor ${quote(name)} holds ${v}`);
}

/** The first value that is not finite, as "NaN at index 5", or null. */
export function firstNonFinite(a: StArray): string | null {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return `${a[i]} at index ${i}`;
  return null;
}

/** The first value that is not finite or is negative, or null. */
export function firstNegative(a: StArray): string | null {
  const nf = firstNonFinite(a);
  if (nf !== null) return nf;
  for (let i = 0; i < a.length; i++) if (a[i] < 0) return `${a[i]} at index ${i}; a variance is >= 0`;
  return null;
}
