// PyTorch's printing, character for character: every case of test/fixtures/format.json (repr(t) recorded from
// torch 1.13 by scripts/make_format_fixture.py) is printed by src/core/torch/format.ts and compared whole.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  DEFAULT_PRINT_OPTIONS,
  formatDtype,
  formatSize,
  formatTensor,
  pyFormatExp,
  pyFormatFixed,
  setPrintOptions,
  type DTypeName,
  type FormatInput,
  type ResolvedPrintOptions,
  type SetPrintOptionsArgs,
} from '../../src/core/torch/format.js';
import { REPO } from '../helpers.js';

type JsonValue = number | string;
interface Recipe {
  kind: 'float' | 'int' | 'bool';
  n: number;
  a: number;
  c: number;
  m: number;
  offset?: number;
  scales?: number[];
  set?: Record<string, JsonValue>;
}
interface Case {
  name: string;
  shape: number[];
  dtype: DTypeName;
  values?: JsonValue[];
  recipe?: Recipe;
  requires_grad?: boolean;
  grad_fn?: string;
  printoptions?: Record<string, number | string | boolean | null>[];
  expected?: string;
  error?: string;
}
interface Fixture {
  torch: string;
  sizes: { shape: number[]; expected: string }[];
  dtypes: { dtype: DTypeName; expected: string }[];
  cases: Case[];
}

const fixture = JSON.parse(readFileSync(join(REPO, 'test', 'fixtures', 'format.json'), 'utf8')) as Fixture;

function decode(v: JsonValue): number {
  if (v === 'nan') return NaN;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  if (typeof v === 'string') throw new Error(`unexpected value ${v}`);
  return v;
}

/** The fixture's recipe, computed as the script computes it in Python (IEEE doubles, exact integers). */
function recipeValues(r: Recipe): number[] {
  const out: number[] = [];
  for (let i = 0; i < r.n; i++) {
    assert.ok(i * r.a + r.c < 2 ** 53);
    const u = (i * r.a + r.c) % r.m;
    if (r.kind === 'float') out.push((u / r.m - (r.offset ?? 0)) * r.scales![i % r.scales!.length]);
    else if (r.kind === 'int') out.push(u - (r.offset ?? 0));
    else out.push(u % 2);
  }
  for (const [k, v] of Object.entries(r.set ?? {})) out[Number(k)] = decode(v);
  return out;
}

function inputOf(c: Case): FormatInput {
  let data: ArrayLike<number> | ArrayLike<bigint>;
  if (c.values && c.values.some((v) => typeof v === 'string' && /^-?\d+$/.test(v))) {
    data = BigInt64Array.from(c.values.map((v) => BigInt(v)));
  } else {
    const raw = c.values ? c.values.map(decode) : recipeValues(c.recipe!);
    // Cast to the dtype as torch.tensor(list, dtype=...) does: float32 rounds each double to nearest-even.
    data = c.dtype === 'float32' ? Float32Array.from(raw) : Float64Array.from(raw);
  }
  return { shape: c.shape, dtype: c.dtype, data, requiresGrad: c.requires_grad, gradFn: c.grad_fn ?? null };
}

function optionsOf(c: Case): ResolvedPrintOptions {
  let o: ResolvedPrintOptions = { ...DEFAULT_PRINT_OPTIONS };
  for (const call of c.printoptions ?? []) {
    const args: SetPrintOptionsArgs = {};
    for (const [k, v] of Object.entries(call)) {
      if (k === 'sci_mode') args.sciMode = v as boolean | null;
      else if (k === 'profile') args.profile = v as SetPrintOptionsArgs['profile'];
      else if (k === 'threshold') args.threshold = v === 'inf' ? Infinity : (v as number);
      else if (k === 'precision' || k === 'edgeitems' || k === 'linewidth') args[k] = v as number;
      else throw new Error(`unknown print option ${k}`);
    }
    o = setPrintOptions(o, args);
  }
  return o;
}

test(`repr(tensor) equals torch ${fixture.torch}'s, character for character`, () => {
  const failures: string[] = [];
  let passed = 0;
  for (const c of fixture.cases) {
    let got: string;
    try {
      got = formatTensor(inputOf(c), optionsOf(c));
    } catch (err) {
      got = `error: ${(err as Error).message}`;
    }
    const want = c.expected ?? `error: ${c.error}`;
    if (got === want) passed++;
    else failures.push(`--- ${c.name}\nwant:\n${want}\ngot:\n${got}`);
  }
  console.log(`format golden cases: ${passed} of ${fixture.cases.length} equal torch's repr`);
  assert.equal(failures.length, 0, `${failures.length} cases differ:\n${failures.slice(0, 8).join('\n')}`);
  assert.ok(fixture.cases.length >= 500, 'the fixture holds its cases');
});

test('torch.Size and dtype reprs', () => {
  for (const s of fixture.sizes) assert.equal(formatSize(s.shape), s.expected);
  for (const d of fixture.dtypes) assert.equal(formatDtype(d.dtype), d.expected);
});

test('set_printoptions: a call without sci_mode resets it; profiles set four options', () => {
  const sci = setPrintOptions(DEFAULT_PRINT_OPTIONS, { sciMode: false });
  assert.equal(sci.sciMode, false);
  assert.equal(setPrintOptions(sci, { precision: 2 }).sciMode, null);
  assert.deepEqual(setPrintOptions(sci, { profile: 'full', precision: 6 }), {
    precision: 6,
    threshold: Infinity,
    edgeitems: 3,
    linewidth: 80,
    sciMode: null,
  });
});

// CPython's format(x, '.{p}f') / '.{p}e', values printed by /usr/bin/python3 3.11.
test('Python float formatting: exact value, ties to even, exponent with two digits', () => {
  const fixed: [number, number, string][] = [
    [0.03125, 4, '0.0312'],
    [2.5, 0, '2'],
    [3.5, 0, '4'],
    [-0.0, 4, '-0.0000'],
    [-0.00001, 4, '-0.0000'],
    [1e21, 2, '1000000000000000000000.00'],
    [0.1, 20, '0.10000000000000000555'],
    [1.005, 2, '1.00'],
    [NaN, 4, 'nan'],
    [-Infinity, 4, '-inf'],
  ];
  for (const [x, p, want] of fixed) assert.equal(pyFormatFixed(x, p), want, `format(${x}, '.${p}f')`);
  const exp: [number, number, string][] = [
    [0, 4, '0.0000e+00'],
    [-0.0, 0, '-0e+00'],
    [1.5, 0, '2e+00'],
    [1e-320, 4, '9.9999e-321'],
    [999985, 4, '9.9998e+05'],
    [999995, 4, '1.0000e+06'],
    [9.99996e5, 4, '1.0000e+06'],
    [1e100, 4, '1.0000e+100'],
    [5e-324, 2, '4.94e-324'],
    [1.7976931348623157e308, 4, '1.7977e+308'],
  ];
  for (const [x, p, want] of exp) assert.equal(pyFormatExp(x, p), want, `format(${x}, '.${p}e')`);
});
