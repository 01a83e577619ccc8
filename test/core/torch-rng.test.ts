// PyTorch's CPU random streams, draw by draw, against Debian's PyTorch 1.13 (test/fixtures/torch_rng.json,
// written by scripts/make_torch_rng_fixture.py). Every draw must match bit for bit (SHA-256 of its bytes):
// float32 and float64 normals and uniforms, integers, exponentials and multinomial samples, under the AVX2
// kernel and the scalar (DEFAULT build) kernel; plus glibc's libm functions the streams go through.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cosGlibc, cosfGlibc, logGlibc, logfGlibc, sinGlibc, sinfGlibc } from '../../src/core/random/libm.js';
import {
  TorchGenerator,
  TORCH_DEFAULT_SEED,
  exponential32,
  fma64,
  fmaf,
  multinomial,
  normal32,
  normal64,
  randint,
  randintArray,
  uniform32,
  uniform64,
  type TorchKernel,
} from '../../src/core/random/torch.js';
import { REPO } from '../helpers.js';

interface Draw {
  op: string;
  dtype: string;
  shape: number[];
  sha256: string;
  first: number;
  last: number;
  values?: number[];
  size?: number[];
  mean?: number;
  std?: number;
  from?: number;
  to?: number;
  low?: number;
  high?: number;
  lambd?: number;
  probs?: string;
  probs_dtype?: string;
  num_samples?: number;
  replacement?: boolean;
}
interface Case {
  name: string;
  seed: number | null;
  draws: Draw[];
}
interface Fixture {
  torch: string;
  capability: Record<string, string>;
  avx512_differs_from_avx2: string[];
  tables: Record<string, number[][]>;
  libm: Record<string, string | number>;
  states: { seed: number | null; ops: string[]; sha256: string }[];
  set_state: { state_b64: string; randn21: Draw; then_randn3: Draw };
  avx2: { cases: Case[]; sampling_loop: { table: number[]; seed: number; samples: number[][] } };
  default: { cases: Case[] };
}

const fixture = JSON.parse(readFileSync(join(REPO, 'test', 'fixtures', 'torch_rng.json'), 'utf8')) as Fixture;

const numel = (size: number[]): number => size.reduce((a, b) => a * b, 1);

function seedOf(seed: number | null): number | bigint {
  if (seed === null) return TORCH_DEFAULT_SEED;
  return Number.isSafeInteger(seed) ? seed : BigInt(seed);
}

/** Replays one recorded draw on g; returns the bytes as PyTorch stores them (int64 for integers). */
function replay(g: TorchGenerator, d: Draw, kernel: TorchKernel): Float32Array | Float64Array | BigInt64Array {
  const n = d.size ? numel(d.size) : 0;
  const f64 = d.dtype === 'float64';
  switch (d.op) {
    case 'randn':
      return f64 ? normal64(g, new Float64Array(n)) : normal32(g, new Float32Array(n), 0, 1, { kernel });
    case 'normal':
      return f64 ? normal64(g, new Float64Array(n), d.mean, d.std) : normal32(g, new Float32Array(n), d.mean, d.std, { kernel });
    case 'rand':
      return f64 ? uniform64(g, new Float64Array(n), 0, 1, { kernel }) : uniform32(g, new Float32Array(n), 0, 1, { kernel });
    case 'uniform':
      return f64 ? uniform64(g, new Float64Array(n), d.from, d.to, { kernel }) : uniform32(g, new Float32Array(n), d.from, d.to, { kernel });
    case 'exponential':
      return exponential32(g, new Float32Array(n), d.lambd);
    case 'randint': {
      const low = d.low ?? 0;
      const high = d.high ?? 0;
      // Bounds beyond 2**53 would not be numbers; the fixture keeps them within.
      return BigInt64Array.from(randintArray(g, low, high, n), (v) => BigInt(v));
    }
    case 'multinomial': {
      // d.probs names a table ('p', 'u') or one of its rows ('p:3')
      const [name, row] = (d.probs ?? '').split(':');
      const table = fixture.tables[name];
      const rows = row === undefined ? table : [table[Number(row)]];
      const flat = rows.flat();
      const probs = d.probs_dtype === 'float64' ? Float64Array.from(flat) : Float32Array.from(flat);
      const r = multinomial(g, probs, rows[0].length, d.num_samples ?? 1, d.replacement ?? false);
      return BigInt64Array.from(r, (v) => BigInt(v));
    }
    default:
      throw new Error(`unknown op ${d.op}`);
  }
}

const sha = (a: Float32Array | Float64Array | BigInt64Array): string =>
  createHash('sha256').update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).digest('hex');

interface Tally {
  f32: number;
  f32ok: number;
  int: number;
  intok: number;
  multi: number;
  multiok: number;
  f64: number;
  f64ok: number;
  failures: string[];
  /** Elements compared (all draws). */
  elements: number;
}

function runAll(cases: Case[], kernel: TorchKernel): Tally {
  const t: Tally = { f32: 0, f32ok: 0, int: 0, intok: 0, multi: 0, multiok: 0, f64: 0, f64ok: 0, failures: [], elements: 0 };
  for (const c of cases) {
    const g = new TorchGenerator(seedOf(c.seed));
    c.draws.forEach((d, i) => {
      const got = replay(g, d, kernel);
      t.elements += got.length;
      const ok = sha(got) === d.sha256;
      const where = `${c.name} #${i} ${d.op} ${JSON.stringify(d.size ?? d.shape)} ${d.dtype}`;
      if (d.op === 'multinomial') {
        t.multi++;
        if (ok) t.multiok++;
        else t.failures.push(`${where}: got ${Array.from(got as BigInt64Array).slice(0, 8).join(',')}, want ${(d.values ?? [d.first]).slice(0, 8).join(',')}`);
      } else if (d.dtype === 'int64') {
        t.int++;
        if (ok) t.intok++;
        else t.failures.push(`${where}: got first ${got[0]} last ${got[got.length - 1]}, want ${d.first} ${d.last}`);
      } else if (d.dtype === 'float32') {
        t.f32++;
        if (ok) t.f32ok++;
        else {
          let bad = -1;
          if (d.values) bad = d.values.findIndex((v, k) => v !== got[k]);
          t.failures.push(`${where}: first ${got[0]} vs ${d.first}, last ${got[got.length - 1]} vs ${d.last}${bad >= 0 ? `, first diff at ${bad}: ${got[bad]} vs ${d.values?.[bad]}` : ''}`);
        }
      } else {
        t.f64++;
        if (ok) t.f64ok++;
        else t.failures.push(`${where}: first ${got[0]} vs ${d.first}, last ${got[got.length - 1]} vs ${d.last}`);
      }
    });
  }
  return t;
}

function report(kernel: string, t: Tally): void {
  console.log(
    `torch ${fixture.torch} ${kernel}: float32 draws ${t.f32ok}/${t.f32} bitwise, integer draws ${t.intok}/${t.int}, ` +
      `multinomial samples ${t.multiok}/${t.multi}, float64 draws ${t.f64ok}/${t.f64} (${t.elements} elements)`,
  );
  if (t.failures.length) console.log(t.failures.slice(0, 20).join('\n'));
}

test('AVX2 kernel (this build on x86-64 with AVX2): every float32, integer and multinomial draw bitwise', () => {
  const t = runAll(fixture.avx2.cases, 'avx2');
  report('avx2', t);
  assert.equal(t.failures.length, 0, t.failures.slice(0, 5).join('\n'));
  assert.ok(t.f32 > 140 && t.int > 40 && t.multi > 70 && t.f64 > 50, 'fixture too small');
});

test('scalar kernel (the DEFAULT build, ATEN_CPU_CAPABILITY=default): every draw bitwise', () => {
  const t = runAll(fixture.default.cases, 'scalar');
  report('scalar', t);
  assert.equal(t.failures.length, 0, t.failures.slice(0, 5).join('\n'));
});

test("glibc's logf, sinf, cosf, log, sin, cos (FMA builds) on the generators' arguments, bitwise", () => {
  const L = fixture.libm;
  const step = Number(L.float_step);
  const fl: number[] = [];
  const fs: number[] = [];
  const fc: number[] = [];
  for (let k = 0; k < 1 << 24; k += step) {
    const u = k * 2 ** -24;
    const theta = Math.fround(2 * Math.PI * u);
    fl.push(logfGlibc(Math.fround(1 - u)));
    fs.push(sinfGlibc(theta));
    fc.push(cosfGlibc(theta));
  }
  const us = uniform64(new TorchGenerator(Number(L.double_seed)), new Float64Array(Number(L.double_n)));
  const dl = Array.from(us, (u) => logGlibc(1 - u));
  const ds = Array.from(us, (u) => sinGlibc(2 * Math.PI * u));
  const dc = Array.from(us, (u) => cosGlibc(2 * Math.PI * u));
  const got = {
    logf: sha(Float32Array.from(fl)),
    sinf: sha(Float32Array.from(fs)),
    cosf: sha(Float32Array.from(fc)),
    log: sha(Float64Array.from(dl)),
    sin: sha(Float64Array.from(ds)),
    cos: sha(Float64Array.from(dc)),
  };
  console.log(`libm: ${fl.length} float arguments (logf, sinf, cosf), ${us.length} double arguments (log, sin, cos)`);
  assert.deepEqual(got, { logf: L.logf, sinf: L.sinf, cosf: L.cosf, log: L.log, sin: L.sin, cos: L.cos });
  // V8's own functions are not glibc's: the port is what makes float64 normals bitwise.
  assert.notEqual(sha(Float64Array.from(us, (u) => Math.log(1 - u))), L.log);
});

test('the AVX512 build draws what the AVX2 build draws (recorded by the fixture script)', () => {
  assert.deepEqual(fixture.avx512_differs_from_avx2, []);
});

test("the lecture's sampling loop: 20 names by multinomial(probs[ix], 1) from a generator seeded 2147483647 + 10", () => {
  const loop = fixture.avx2.sampling_loop;
  const table = Float32Array.from(loop.table);
  const g = new TorchGenerator(loop.seed);
  const names: number[][] = [];
  for (let k = 0; k < 20; k++) {
    let ix = 0;
    const out: number[] = [];
    for (;;) {
      ix = multinomial(g, table.subarray(ix * 27, ix * 27 + 27), 27, 1)[0];
      out.push(ix);
      if (ix === 0 || out.length > 50) break;
    }
    names.push(out);
  }
  assert.deepEqual(names, loop.samples);
});

test('generator: default seed, seed wrapping, 64-bit draws, state round trip', () => {
  assert.equal(new TorchGenerator().initialSeed(), 67280421310721n);
  assert.equal(new TorchGenerator(-1).initialSeed(), 2n ** 64n - 1n);
  // Only the low 32 bits reach MT19937: 2**32 + 7 and 7 give the same stream (but keep their seeds).
  const a = new TorchGenerator(2 ** 32 + 7);
  const b = new TorchGenerator(7);
  assert.equal(a.random(), b.random());
  assert.throws(() => new TorchGenerator(2n ** 64n), RangeError);
  // std::mt19937 with the default seed 5489 gives 3499211612 first (the C++ standard's check value is the
  // 10000th draw: 4123659995).
  const s = new TorchGenerator(5489);
  assert.equal(s.random(), 3499211612);
  for (let i = 1; i < 9999; i++) s.random();
  assert.equal(s.random(), 4123659995);
  const g = new TorchGenerator(42);
  normal32(g, new Float32Array(5)); // leaves a cached normal
  for (let i = 0; i < 700; i++) g.random();
  const saved = JSON.parse(JSON.stringify(g.getState()));
  const h = new TorchGenerator();
  h.setState(saved);
  assert.equal(h.initialSeed(), 42n);
  assert.deepEqual(Array.from(normal32(h, new Float32Array(33))), Array.from(normal32(g, new Float32Array(33))));
  assert.deepEqual(randintArray(h, 0, 2 ** 40, 5), randintArray(g, 0, 2 ** 40, 5));
  assert.throws(() => h.setState({ ...saved, mt: [1, 2, 3] }), RangeError);
  assert.throws(() => randint(g, 5, 5), RangeError);
});

test('fused multiply-add emulation: exact single rounding', () => {
  // float: 1 + 2**-24 (a float midpoint between 1 and 1 + 2**-23) plus a tiny term must round up.
  const a = Math.fround(1 + 2 ** -23);
  // a*a = 1 + 2**-22 + 2**-46; minus 2**-22 leaves 1 + 2**-46 -> 1 in float either way
  assert.equal(fmaf(a, a, -(2 ** -22)), 1);
  // (1 + 2**-12)(1 - 2**-12) = 1 - 2**-24 exactly (a float); + 2**-24 ... + c chosen to land on a midpoint:
  const x = Math.fround(1 + 2 ** -12);
  const y = Math.fround(1 + 2 ** -13);
  // x*y = 1 + 3*2**-13 + 2**-25: the exact sum with c = 2**-24 is 1 + 3*2**-13 + 3*2**-25, above the
  // midpoint 1 + 3*2**-13 + 2**-24 between floats, so it rounds up; double rounding would round to even.
  assert.equal(fmaf(x, y, 2 ** -24), Math.fround(1 + 3 * 2 ** -13 + 2 ** -23));
  assert.equal(fmaf(x, y, 0), Math.fround(1 + 3 * 2 ** -13));
  // double: (1 + 2**-30)^2 - 1 - 2**-29 = 2**-60 exactly (lost without the fusion)
  const d = 1 + 2 ** -30;
  assert.equal(fma64(d, d, -(1 + 2 ** -29)), 2 ** -60);
  assert.equal(d * d - (1 + 2 ** -29), 0);
  assert.equal(fma64(0.1, 10, -1), 5.551115123125783e-17);
});

test("g.get_state() / g.set_state(): PyTorch's 5056-byte CPUGeneratorImplState, byte for byte", () => {
  const hex = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
  for (const st of fixture.states) {
    const g = new TorchGenerator(seedOf(st.seed));
    for (const op of st.ops) {
      if (op.startsWith('randn')) normal32(g, new Float32Array(Number(op.slice(5))));
      else uniform32(g, new Float32Array(Number(op.slice(4))));
    }
    assert.equal(hex(g.getTorchState()), st.sha256, `seed ${st.seed} after ${st.ops.join(', ') || 'nothing'}`);
    // the JSON state keeps everything the bytes hold
    const h = new TorchGenerator(1);
    h.setState(JSON.parse(JSON.stringify(g.getState())));
    assert.equal(hex(h.getTorchState()), st.sha256);
  }
  const g = new TorchGenerator(123);
  g.setTorchState(new Uint8Array(Buffer.from(fixture.set_state.state_b64, 'base64')));
  assert.equal(sha(normal32(g, new Float32Array(21))), fixture.set_state.randn21.sha256);
  // the cached normal came through set_state: a small randn uses it first
  assert.equal(sha(normal32(g, new Float32Array(3))), fixture.set_state.then_randn3.sha256);
  assert.throws(() => g.setTorchState(new Uint8Array(10)), RangeError);
  console.log(`get_state: ${fixture.states.length} states byte for byte; set_state continues PyTorch's stream`);
});
