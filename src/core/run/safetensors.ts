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

/** Parses and validates a safetensors file; every defect is a UserError naming `source`. */
export function decodeSafetensors(bytes: Uint8Array, source: string): StFile {
  const bad = (what: string): UserError => new UserError(`${source}: not a valid safetensors file: ${what}`);
  if (bytes.length < 8) throw bad(`only ${bytes.length} bytes, shorter than the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n64 = view.getBigUint64(0, true);
  if (n64 > BigInt(MAX_HEADER) || n64 > BigInt(bytes.length - 8)) {
    throw bad(`the header claims ${n64} bytes but the file has ${bytes.length - 8} after the length (truncated?)`);
  }
  const n = Number(n64);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch {
    throw bad('the header is not valid UTF-8 JSON');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw bad('the header is not a JSON object');
  const dataStart = 8 + n;
  const dataLen = bytes.length - dataStart;
  const tensors = new Map<string, StTensor>();
  let metadata: Record<string, string> = {};
  const spans: [number, number, string][] = [];
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof raw !== 'object' || raw === null || Object.values(raw).some((v) => typeof v !== 'string')) {
        throw bad('__metadata__ must map strings to strings');
      }
      metadata = raw as Record<string, string>;
      continue;
    }
    const e = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof e !== 'object' || e === null) throw bad(`entry "${name}" is not an object`);
    if (e.dtype !== 'F32' && e.dtype !== 'F64' && e.dtype !== 'I32' && e.dtype !== 'I64' && e.dtype !== 'BOOL') {
      throw bad(`tensor "${name}" has dtype ${JSON.stringify(e.dtype)}; supported: F32, F64, I32, I64, BOOL`);
    }
    const shape = e.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      throw bad(`tensor "${name}" has a malformed shape ${JSON.stringify(shape)}`);
    }
    const offs = e.data_offsets;
    if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((d) => Number.isSafeInteger(d) && d >= 0) || offs[0] > offs[1]) {
      throw bad(`tensor "${name}" has malformed data_offsets ${JSON.stringify(offs)}`);
    }
    const [b, end] = offs as [number, number];
    const count = (shape as number[]).reduce((a, d) => a * d, 1);
    if (end - b !== count * ITEM[e.dtype]) {
      throw bad(`tensor "${name}" of shape [${(shape as number[]).join(', ')}] needs ${count * ITEM[e.dtype]} bytes but its offsets span ${end - b}`);
    }
    if (end > dataLen) throw bad(`tensor "${name}" ends at byte ${end} but the data is only ${dataLen} bytes (truncated?)`);
    spans.push([b, end, name]);
    const dv = new DataView(bytes.buffer, bytes.byteOffset + dataStart + b, end - b);
    let data: StArray;
    if (e.dtype === 'F32') {
      data = new Float32Array(count);
      for (let i = 0; i < count; i++) data[i] = dv.getFloat32(4 * i, true);
    } else if (e.dtype === 'F64') {
      data = new Float64Array(count);
      for (let i = 0; i < count; i++) data[i] = dv.getFloat64(8 * i, true);
    } else if (e.dtype === 'I64') {
      data = new Float64Array(count);
      for (let i = 0; i < count; i++) {
        const v = dv.getBigInt64(8 * i, true);
        if (v > 2n ** 53n || v < -(2n ** 53n)) throw bad(`tensor "${name}" holds the int64 ${v}, past 2^53 (the largest integer held exactly here)`);
        data[i] = Number(v);
      }
    } else if (e.dtype === 'BOOL') {
      data = new Uint8Array(count);
      for (let i = 0; i < count; i++) data[i] = dv.getUint8(i) !== 0 ? 1 : 0;
    } else {
      data = new Int32Array(count);
      for (let i = 0; i < count; i++) data[i] = dv.getInt32(4 * i, true);
    }
    tensors.set(name, { dtype: e.dtype, shape: shape as number[], data });
  }
  spans.sort((x, y) => x[0] - y[0]);
  let at = 0;
  for (const [b, end, name] of spans) {
    if (b !== at) throw bad(b < at ? `tensor "${name}" overlaps another tensor` : `a gap of unused bytes before tensor "${name}"`);
    at = end;
  }
  if (at !== dataLen) throw bad(`${dataLen - at} bytes after the last tensor that no tensor claims`);
  return { tensors, metadata };
}
