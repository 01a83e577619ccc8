// The ops learners of the series reach for beyond the lectures (issue 18), through `import torch` in the notebook
// runtime, against Debian's PyTorch 1.13: the cases of test/python/ops_cases.py (tril/triu, masked_fill and
// masked_fill_, sort/argsort/topk with ties, cumsum/cumprod, flip/roll/repeat/outer, norm/logsumexp,
// unique/bincount, randperm on PyTorch's CPU stream) run here and are compared with what PyTorch computed for the
// same cases (scripts/make_ops_fixture.py -> test/fixtures/torch_ops.json).
// Every case: the repr character for character, dtype, shape, grad_fn's name, the values bit for bit, the
// gradients the same way, errors as 'Type: message'. Cases named approx_* (norm, logsumexp, repeat's backward
// sum, cumprod's backward through zeros: PyTorch's CPU reductions accumulate float32 in float32, ours in a
// double rounded once; softmax: PyTorch's float32 exp is Sleef's) compare values within 16 float32 ulp of the
// tensor's largest magnitude, and their repr only through those values.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { NotebookHost, type CellEvent } from '../../src/node/notebook-host.js';
import { REPO } from '../helpers.js';

const T0 = performance.now();
const TMP = mkdtempSync(join(tmpdir(), 'backprop-ninja-ops-'));

type Num = number | 'nan' | 'inf' | '-inf';
interface Rec {
  repr?: string;
  dtype?: string;
  shape?: number[];
  values?: Num[];
  grad_fn?: string | null;
  items?: Rec[];
  error?: string;
}
const FIXTURE = JSON.parse(readFileSync(join(REPO, 'test', 'fixtures', 'torch_ops.json'), 'utf8')) as Record<string, Rec> & {
  __metadata__: { torch: string };
};
let ours: Record<string, Rec>;

before(async () => {
  const events: CellEvent[] = [];
  const host = await NotebookHost.start(TMP, (e) => events.push(e));
  try {
    const cases = readFileSync(join(REPO, 'test', 'python', 'ops_cases.py'), 'utf8');
    const t = performance.now();
    for (const [i, source] of [cases, 'import json\nprint(json.dumps(run()))'].entries()) {
      const outcome = await host.run(source, i + 1);
      if (outcome.status !== 'ok') assert.fail(`cell ${i + 1} of ops_cases.py failed:\n${outcome.traceback.join('\n')}`);
    }
    const out = events.map((e) => (e.type === 'stream' && e.name === 'stdout' ? e.text : '')).join('');
    ours = JSON.parse(out) as Record<string, Rec>;
    console.log(`# ops_cases.py ran in ${((performance.now() - t) / 1000).toFixed(1)} s (runtime start ${(host.info.startMs / 1000).toFixed(1)} s)`);
  } finally {
    await host.close();
  }
});
after(() => {
  rmSync(TMP, { recursive: true, force: true });
  console.log(`# ops.test: ${((performance.now() - T0) / 1000).toFixed(1)} s`);
});

const num = (v: Num): number => (v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v);

/** The differences between our record and PyTorch's, as lines (none: equal). */
function diff(what: string, got: Rec | undefined, want: Rec, approx: boolean): string[] {
  if (got === undefined) return [`${what}: missing`];
  if (want.error !== undefined || got.error !== undefined) return got.error === want.error ? [] : [`${what}: ${got.error ?? got.repr} vs PyTorch ${want.error ?? want.repr}`];
  const out: string[] = [];
  if (!approx && got.repr !== want.repr) out.push(`${what}: repr\n--- ours\n${got.repr}\n--- PyTorch 1.13\n${want.repr}`);
  if (want.items !== undefined) {
    if (got.items?.length !== want.items.length) return [...out, `${what}: ${got.items?.length} items vs ${want.items.length}`];
    want.items.forEach((w, i) => out.push(...diff(`${what}[${i}]`, got.items![i], w, approx)));
    return out;
  }
  if (want.values === undefined) return out;
  for (const k of ['dtype', 'grad_fn'] as const) if (got[k] !== want[k]) out.push(`${what}: ${k} ${got[k]} vs ${want[k]}`);
  if (JSON.stringify(got.shape) !== JSON.stringify(want.shape)) out.push(`${what}: shape ${JSON.stringify(got.shape)} vs ${JSON.stringify(want.shape)}`);
  const e = want.values.map(num);
  const v = (got.values ?? []).map(num);
  let scale = 0;
  for (const x of e) if (Number.isFinite(x)) scale = Math.max(scale, Math.abs(x));
  const tol = approx ? 16 * 2 ** -24 * scale : 0;
  for (let i = 0; i < e.length; i++) {
    const ok = Number.isNaN(e[i]) ? Number.isNaN(v[i]) : Number.isFinite(e[i]) ? Math.abs(v[i] - e[i]) <= tol : v[i] === e[i];
    if (!ok) {
      out.push(`${what}: [${i}] ${v[i]} vs PyTorch ${e[i]}${approx ? ` (tolerance ${tol})` : ''}`);
      break;
    }
  }
  return out;
}

test('every case of ops_cases.py was recorded from PyTorch 1.13', () => {
  assert.match(FIXTURE.__metadata__.torch, /^1\.13\./);
  const names = Object.keys(FIXTURE).filter((k) => k !== '__metadata__');
  assert.deepEqual(Object.keys(ours).sort(), names.sort(), 'regenerate: /usr/bin/python3 scripts/make_ops_fixture.py');
  assert.ok(names.length >= 140, `${names.length} cases`);
});

const GROUPS: [string, RegExp][] = [
  ['tril/triu and masked_fill (the attention mask), masked_fill_', /^(tril|triu|attention|masked_fill)/],
  ['sort, argsort, topk: values, ties in libstdc++\'s order, NaN, grads, return_types reprs', /^(sort|argsort|topk)/],
  ['cumsum, cumprod: dtypes, grads', /^(cumsum|cumprod)/],
  ['flip, roll, repeat, outer: values, grads, errors', /^(flip|roll|repeat|outer)/],
  ['norm, logsumexp (within float error), unique, bincount', /^(norm|logsumexp|unique|bincount)/],
  ['randperm: PyTorch\'s CPU stream bit for bit, dtypes, errors; multinomial without replacement past the non-zero probabilities', /^(randperm|multinomial)/],
];

for (const [title, re] of GROUPS) {
  test(`${title}: equal PyTorch 1.13`, () => {
    const names = Object.keys(FIXTURE).filter((k) => re.test(k.replace(/^approx_/, '')));
    assert.ok(names.length > 0);
    const failures = names.flatMap((k) => diff(k, ours[k], FIXTURE[k], k.startsWith('approx_')));
    assert.equal(failures.length, 0, failures.join('\n'));
  });
}

test('every case belongs to a group', () => {
  const loose = Object.keys(FIXTURE).filter((k) => k !== '__metadata__' && !GROUPS.some(([, re]) => re.test(k.replace(/^approx_/, ''))));
  assert.deepEqual(loose, []);
});
