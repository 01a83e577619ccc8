// PyTorch 1.13's tensor printing, character for character: what repr(t) and str(t) print.
//
// A port of torch/_tensor_str.py (its _Formatter, _vector_str, _tensor_str_with_formatter,
// get_summarized_data, _add_suffixes and the strided-tensor branch of _str_intern) plus the bits of CPython it
// relies on: format(x, '.4f'), format(x, '.4e'), format(x, '.0f') and str(int). Pure: no I/O.
//
// How each element reaches Python in PyTorch: the formatter iterates 0-d tensors whose __format__ calls
// .item(), and the printer calls .tolist() / .item(); both turn a float32 (or float16/bfloat16, which are
// first cast to float32) into a Python float, a double, exactly. So every value here is formatted from its
// exact binary value, and CPython rounds that value half to even at the requested digit (format(0.03125,
// '.4f') == '0.0312', format(2.5, '.0f') == '2'). JavaScript's toFixed/toExponential round ties away from
// zero instead and switch to exponent form at 1e21, so the digits are computed here with BigInt.

export type DTypeName =
  | 'float32'
  | 'float64'
  | 'float16'
  | 'bfloat16'
  | 'int64'
  | 'int32'
  | 'int16'
  | 'int8'
  | 'uint8'
  | 'bool';

export interface FormatInput {
  shape: readonly number[];
  dtype: DTypeName;
  /** Row-major values, contiguous. int64 as exact JS numbers (or bigints beyond 2**53); bool as 0/1. */
  data: ArrayLike<number> | ArrayLike<bigint>;
  requiresGrad?: boolean;
  /** The grad_fn's class name, e.g. 'NegBackward0'; printed instead of requires_grad=True. */
  gradFn?: string | null;
}

/** torch.set_printoptions' state (torch._tensor_str.PRINT_OPTS). sciMode null: chosen per tensor. */
export interface PrintOptions {
  precision?: number;
  threshold?: number;
  edgeitems?: number;
  linewidth?: number;
  sciMode?: boolean | null;
}

export type ResolvedPrintOptions = Required<PrintOptions>;

/** The arguments of torch.set_printoptions(precision, threshold, edgeitems, linewidth, profile, sci_mode). */
export interface SetPrintOptionsArgs extends PrintOptions {
  profile?: 'default' | 'short' | 'full' | null;
}

export const DEFAULT_PRINT_OPTIONS: Readonly<ResolvedPrintOptions> = Object.freeze({
  precision: 4,
  threshold: 1000,
  edgeitems: 3,
  linewidth: 80,
  sciMode: null,
});

/**
 * torch.set_printoptions as a pure function: the options after the call. As in PyTorch, a profile is applied
 * first and the named options override it; sci_mode is always assigned, so any call without sci_mode resets
 * it to null (automatic). Other profile names change nothing, as in PyTorch.
 */
export function setPrintOptions(current: Readonly<ResolvedPrintOptions>, args: SetPrintOptionsArgs): ResolvedPrintOptions {
  const next: ResolvedPrintOptions = { ...current };
  if (args.profile === 'default') Object.assign(next, { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80 });
  else if (args.profile === 'short') Object.assign(next, { precision: 2, threshold: 1000, edgeitems: 2, linewidth: 80 });
  else if (args.profile === 'full') Object.assign(next, { precision: 4, threshold: Infinity, edgeitems: 3, linewidth: 80 });
  if (args.precision != null) next.precision = args.precision;
  if (args.threshold != null) next.threshold = args.threshold;
  if (args.edgeitems != null) next.edgeitems = args.edgeitems;
  if (args.linewidth != null) next.linewidth = args.linewidth;
  next.sciMode = args.sciMode ?? null;
  return next;
}

/** repr(torch.Size(shape)): 'torch.Size([32, 27])'. */
export function formatSize(shape: readonly number[]): string {
  return `torch.Size([${shape.join(', ')}])`;
}

/** repr(dtype): 'torch.float32'. */
export function formatDtype(dtype: DTypeName): string {
  return `torch.${dtype}`;
}

export function isFloatingDtype(dtype: DTypeName): boolean {
  return dtype === 'float32' || dtype === 'float64' || dtype === 'float16' || dtype === 'bfloat16';
}

// ---------------------------------------------------------------------------------------------------------
// CPython's number formatting, exact.

const POW10: bigint[] = [1n];
function pow10(k: number): bigint {
  while (POW10.length <= k) POW10.push(POW10[POW10.length - 1] * 10n);
  return POW10[k];
}

const F64 = new DataView(new ArrayBuffer(8));

/** |x| = m * 2**e exactly, for finite nonzero x. */
function decompose(x: number): { m: bigint; e: number } {
  F64.setFloat64(0, x);
  const hi = F64.getUint32(0);
  const lo = F64.getUint32(4);
  const bits = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (bits === 0) return { m, e: -1074 }; // subnormal
  m |= 1n << 52n;
  return { m, e: bits - 1075 };
}

/** round(num / den), ties to even (num, den > 0). */
function divRoundHalfEven(num: bigint, den: bigint): bigint {
  const q = num / den;
  const r2 = (num - q * den) * 2n;
  if (r2 > den || (r2 === den && (q & 1n) === 1n)) return q + 1n;
  return q;
}

/** round(|x| * 10**k), ties to even, k of either sign, x finite nonzero. */
function scaledRound(x: number, k: number): bigint {
  const { m, e } = decompose(x);
  let num = m;
  let den = 1n;
  if (e >= 0) num <<= BigInt(e);
  else den <<= BigInt(-e);
  if (k >= 0) num *= pow10(k);
  else den *= pow10(-k);
  return divRoundHalfEven(num, den);
}

function signOf(x: number): string {
  return x < 0 || Object.is(x, -0) ? '-' : '';
}

function nonFinite(x: number): string | null {
  if (Number.isNaN(x)) return 'nan'; // CPython prints a NaN without its sign bit
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return null;
}

/** CPython's format(x, f'.{p}f'). */
export function pyFormatFixed(x: number, p: number): string {
  const special = nonFinite(x);
  if (special !== null) return special;
  const digits = x === 0 ? '0' : scaledRound(x, p).toString();
  const padded = digits.padStart(p + 1, '0');
  const intPart = padded.slice(0, padded.length - p);
  return signOf(x) + intPart + (p > 0 ? '.' + padded.slice(padded.length - p) : '');
}

/** CPython's format(x, f'.{p}e'): p + 1 significant digits, exponent with a sign and at least two digits. */
export function pyFormatExp(x: number, p: number): string {
  const special = nonFinite(x);
  if (special !== null) return special;
  let exp = 0;
  let digits: string;
  if (x === 0) {
    digits = '0'.repeat(p + 1);
  } else {
    const lo = pow10(p);
    const hi = pow10(p + 1);
    exp = Math.floor(Math.log10(Math.abs(x))); // an estimate: corrected below
    let n = scaledRound(x, p - exp);
    for (let guard = 0; guard < 4 && (n >= hi || n < lo); guard++) {
      exp += n >= hi ? 1 : -1;
      n = scaledRound(x, p - exp);
    }
    digits = n.toString();
  }
  const mantissa = digits[0] + (p > 0 ? '.' + digits.slice(1) : '');
  return `${signOf(x)}${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

/** CPython's str(int) of an integer element (exact for bigints and for numbers up to 2**53 and beyond). */
function pyIntStr(v: number | bigint): string {
  return typeof v === 'bigint' ? v.toString() : BigInt(v).toString();
}

// ---------------------------------------------------------------------------------------------------------
// torch/_tensor_str.py

/** _Formatter: decides int mode, sci mode and the column width from the (summarised) values. */
class Formatter {
  readonly floating: boolean;
  intMode = true;
  sciMode = false;
  maxWidth = 1;

  constructor(
    values: readonly (number | bigint)[],
    private readonly dtype: DTypeName,
    private readonly opts: ResolvedPrintOptions,
  ) {
    this.floating = isFloatingDtype(dtype);
    const p = opts.precision;
    if (!this.floating) {
      for (const v of values) this.maxWidth = Math.max(this.maxWidth, this.plain(v).length);
      return;
    }
    const vals: number[] = [];
    for (const v of values) {
      const x = Number(v);
      if (Number.isFinite(x) && x !== 0) vals.push(x);
    }
    // No nonzero finite value: PyTorch returns here, before applying sci_mode from the print options.
    if (vals.length === 0) return;
    let min = Infinity;
    let max = 0;
    for (const x of vals) {
      const a = Math.abs(x);
      if (a < min) min = a;
      if (a > max) max = a;
    }
    for (const x of vals) {
      if (x !== Math.ceil(x)) {
        this.intMode = false;
        break;
      }
    }
    if (this.intMode) {
      // Integers get a trailing '.' to show the dtype is floating: one more column.
      if (max / min > 1000.0 || max > 1.0e8) {
        this.sciMode = true;
        for (const x of vals) this.maxWidth = Math.max(this.maxWidth, pyFormatExp(x, p).length);
      } else {
        for (const x of vals) this.maxWidth = Math.max(this.maxWidth, pyFormatFixed(x, 0).length + 1);
      }
    } else if (max / min > 1000.0 || max > 1.0e8 || min < 1.0e-4) {
      this.sciMode = true;
      for (const x of vals) this.maxWidth = Math.max(this.maxWidth, pyFormatExp(x, p).length);
    } else {
      for (const x of vals) this.maxWidth = Math.max(this.maxWidth, pyFormatFixed(x, p).length);
    }
    if (opts.sciMode !== null) this.sciMode = opts.sciMode;
  }

  private plain(v: number | bigint): string {
    if (this.dtype === 'bool') return Number(v) !== 0 ? 'True' : 'False';
    return pyIntStr(v);
  }

  width(): number {
    return this.maxWidth;
  }

  format(v: number | bigint): string {
    let ret: string;
    if (this.floating) {
      const x = Number(v);
      if (this.sciMode) ret = pyFormatExp(x, this.opts.precision);
      else if (this.intMode) ret = pyFormatFixed(x, 0) + (Number.isFinite(x) ? '.' : '');
      else ret = pyFormatFixed(x, this.opts.precision);
    } else {
      ret = this.plain(v);
    }
    return ret.padStart(this.maxWidth, ' ');
  }
}

/** A row-major tensor seen through its strides, for the recursive printer. */
interface View {
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly data: ArrayLike<number> | ArrayLike<bigint>;
  readonly dtype: DTypeName;
}

function at(v: View, i: number): number | bigint {
  return v.data[i];
}

/** Indices [0, e) and the last e (for e = 0, Python's self[-0:] is the whole dimension). */
function edgeIndices(size: number, e: number, isVector: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < e; i++) out.push(i);
  const from = e === 0 && isVector ? 0 : size - e;
  for (let i = from; i < size; i++) out.push(i);
  return out;
}

/** get_summarized_data: the values the formatter sees when the tensor is summarised. */
function summarizedValues(v: View, opts: ResolvedPrintOptions): (number | bigint)[] {
  const out: (number | bigint)[] = [];
  const e = opts.edgeitems;
  const walk = (d: number, offset: number): void => {
    const ndim = v.shape.length - d;
    if (ndim === 0) {
      out.push(at(v, offset));
      return;
    }
    const size = v.shape[d];
    const stride = v.strides[d];
    const all = size > 2 * e ? null : Array.from({ length: size }, (_, i) => i);
    if (ndim === 1) {
      for (const i of all ?? edgeIndices(size, e, true)) out.push(at(v, offset + i * stride));
      return;
    }
    // torch.stack of an empty list when edgeitems is 0.
    if (all === null && e <= 0) throw new Error('stack expects a non-empty TensorList');
    for (const i of all ?? edgeIndices(size, e, false)) walk(d + 1, offset + i * stride);
  };
  walk(0, 0);
  return out;
}

function allValues(v: View): (number | bigint)[] {
  return Array.from(v.data as ArrayLike<number | bigint>);
}

function vectorStr(v: View, d: number, offset: number, indent: number, summarize: boolean, f: Formatter, opts: ResolvedPrintOptions): string {
  const elementLength = f.width() + 2; // ', ' between elements
  const elementsPerLine = Math.max(1, Math.floor((opts.linewidth - indent) / elementLength));
  const size = v.shape[d];
  const stride = v.strides[d];
  const e = opts.edgeitems;
  const fmt = (i: number): string => f.format(at(v, offset + i * stride));
  let data: string[];
  if (summarize && size > 2 * e) {
    data = [];
    for (let i = 0; i < e; i++) data.push(fmt(i));
    data.push(' ...');
    for (let i = e === 0 ? 0 : size - e; i < size; i++) data.push(fmt(i));
  } else {
    data = Array.from({ length: size }, (_, i) => fmt(i));
  }
  const lines: string[] = [];
  for (let i = 0; i < data.length; i += elementsPerLine) lines.push(data.slice(i, i + elementsPerLine).join(', '));
  return '[' + lines.join(',\n' + ' '.repeat(indent + 1)) + ']';
}

function tensorStrWithFormatter(v: View, d: number, offset: number, indent: number, summarize: boolean, f: Formatter, opts: ResolvedPrintOptions): string {
  const dim = v.shape.length - d;
  if (dim === 0) return f.format(at(v, offset));
  if (dim === 1) return vectorStr(v, d, offset, indent, summarize, f, opts);
  const size = v.shape[d];
  const stride = v.strides[d];
  const e = opts.edgeitems;
  const sub = (i: number): string => tensorStrWithFormatter(v, d + 1, offset + i * stride, indent + 1, summarize, f, opts);
  const slices: string[] = [];
  if (summarize && size > 2 * e) {
    for (let i = 0; i < e; i++) slices.push(sub(i));
    slices.push('...');
    for (let i = size - e; i < size; i++) slices.push(sub(i));
  } else {
    for (let i = 0; i < size; i++) slices.push(sub(i));
  }
  return '[' + slices.join(',' + '\n'.repeat(dim - 1) + ' '.repeat(indent + 1)) + ']';
}

/** _tensor_str for a nonempty strided tensor. */
function tensorStr(v: View, indent: number, opts: ResolvedPrintOptions): string {
  const numel = v.shape.reduce((a, b) => a * b, 1);
  const summarize = numel > opts.threshold;
  const f = new Formatter(summarize ? summarizedValues(v, opts) : allValues(v), v.dtype, opts);
  return tensorStrWithFormatter(v, 0, 0, indent, summarize, f, opts);
}

/** _add_suffixes: ', dtype=...' etc., each on a new line (indented) when the line would pass linewidth. */
function addSuffixes(tensorStr: string, suffixes: readonly string[], indent: number, linewidth: number): string {
  const parts = [tensorStr];
  let lastLineLen = tensorStr.length - tensorStr.lastIndexOf('\n') + 1;
  for (const suffix of suffixes) {
    if (lastLineLen + suffix.length + 2 > linewidth) {
      parts.push(',\n' + ' '.repeat(indent) + suffix);
      lastLineLen = indent + suffix.length;
    } else {
      parts.push(', ' + suffix);
      lastLineLen += suffix.length + 2;
    }
  }
  parts.push(')');
  return parts.join('');
}

function pyTuple(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/**
 * What repr(t) and str(t) print in PyTorch 1.13 for a dense CPU tensor (the default dtype float32).
 * Throws (with PyTorch's message) where PyTorch's printer fails: edgeitems=0 on a summarised n-d tensor.
 */
export function formatTensor(t: FormatInput, opts?: PrintOptions): string {
  const o: ResolvedPrintOptions = { ...DEFAULT_PRINT_OPTIONS };
  if (opts) {
    for (const k of ['precision', 'threshold', 'edgeitems', 'linewidth'] as const) if (opts[k] != null) o[k] = opts[k] as number;
    if (opts.sciMode !== undefined) o.sciMode = opts.sciMode;
  }
  const shape = t.shape;
  const numel = shape.reduce((a, b) => a * b, 1);
  if (t.data.length !== numel) throw new Error(`formatTensor: ${t.data.length} values for shape [${shape.join(', ')}]`);
  const prefix = 'tensor(';
  const indent = prefix.length;
  const suffixes: string[] = [];
  let body: string;
  if (numel === 0) {
    // The shape is explicit unless it is (0,), as in NumPy; the dtype too unless it is the default float32
    // (no element shows an int64 as an integer).
    if (shape.length !== 1) suffixes.push('size=' + pyTuple(shape));
    if (t.dtype !== 'float32') suffixes.push('dtype=' + formatDtype(t.dtype));
    body = '[]';
  } else {
    if (!(t.dtype === 'float32' || t.dtype === 'int64' || t.dtype === 'bool')) suffixes.push('dtype=' + formatDtype(t.dtype));
    const strides: number[] = new Array<number>(shape.length);
    let s = 1;
    for (let d = shape.length - 1; d >= 0; d--) {
      strides[d] = s;
      s *= shape[d];
    }
    body = tensorStr({ shape, strides, data: t.data, dtype: t.dtype }, indent, o);
  }
  if (t.gradFn) suffixes.push(`grad_fn=<${t.gradFn}>`);
  else if (t.requiresGrad) suffixes.push('requires_grad=True');
  return addSuffixes(prefix + body, suffixes, indent, o.linewidth);
}
