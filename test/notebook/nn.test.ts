// torch.nn and torch.optim (src/notebook/python/torch/nn, optim) against Debian's PyTorch 1.13: the cases of
// test/python/nn_cases.py run in the notebook runtime and are compared with what PyTorch computed for the
// same cases (scripts/make_nn_fixture.py -> test/fixtures/torch_nn.json).
// - structure: reprs, state_dict keys/shapes/dtypes, named_* walks, train/eval flags, optimizer reprs and
//   state_dicts, error messages, and every parameter and buffer right after a seeded construction (sha256 of
//   its bytes: the init draws PyTorch's random streams, so it is equal bit for bit): character for character.
// - optim_exact: each optimizer's update alone (fixed parameters, gradients from formulas): bit for bit.
// - train_float32/float64: three layer stacks trained 4 steps; losses, logits and samples of every tensor of
//   the state_dict within the float error of the computation: K steps x N reductions along the longest path x
//   the unit roundoff, relative to the tensor's largest value (the matmul and reduction orders differ from
//   PyTorch's kernels; each element is a sum of at most N rounded terms per step).

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { NotebookHost, type CellEvent } from '../../src/node/notebook-host.js';
import { REPO } from '../helpers.js';

const T0 = performance.now();
const TMP = mkdtempSync(join(tmpdir(), 'backprop-ninja-nn-'));

interface Sample { stride: number; values: number[]; abs_sum: number; shape: number[] }
interface Trained { first_logits: Sample; losses: number[]; eval_logits: Sample; state: Record<string, Sample> }
interface Results {
  structure: Record<string, unknown> & { models: Record<string, Record<string, unknown>> };
  optim_exact: Record<string, number[][][]>;
  train_float32: Record<string, Trained>;
  train_float64: Record<string, Trained>;
}
const FIXTURE = JSON.parse(readFileSync(join(REPO, 'test', 'fixtures', 'torch_nn.json'), 'utf8')) as Results & {
  __metadata__: { torch: string };
};

let ours: Results;

before(async () => {
  const events: CellEvent[] = [];
  const host = await NotebookHost.start(TMP, (e) => events.push(e));
  try {
    const cases = readFileSync(join(REPO, 'test', 'python', 'nn_cases.py'), 'utf8');
    const t = performance.now();
    for (const [i, source] of [cases, 'import json\nprint(json.dumps(run()))'].entries()) {
      const outcome = await host.run(source, i + 1);
      if (outcome.status !== 'ok') assert.fail(`cell ${i + 1} of nn_cases.py failed:\n${outcome.traceback.join('\n')}`);
    }
    const out = events.map((e) => (e.type === 'stream' && e.name === 'stdout' ? e.text : '')).join('');
    ours = JSON.parse(out) as Results;
    console.log(`# nn_cases.py ran in ${((performance.now() - t) / 1000).toFixed(1)} s (runtime start ${(host.info.startMs / 1000).toFixed(1)} s)`);
  } finally {
    await host.close();
  }
});
after(() => {
  rmSync(TMP, { recursive: true, force: true });
  console.log(`# nn.test: ${((performance.now() - T0) / 1000).toFixed(1)} s`);
});

test('nn structure: reprs, state_dict keys, named_* walks, train/eval, errors equal PyTorch 1.13 character for character', () => {
  const want = FIXTURE.structure;
  const got = ours.structure;
  for (const [model, fields] of Object.entries(want.models)) {
    for (const [field, value] of Object.entries(fields)) {
      assert.deepEqual(got.models[model][field], value, `${model}.${field}`);
    }
  }
  for (const key of ['sequential', 'extra', 'optimizers', 'zero_grad']) {
    const w = want[key] as Record<string, unknown>;
    const g = got[key] as Record<string, unknown>;
    for (const [k, v] of Object.entries(w)) assert.deepEqual(g[k], v, `${key}.${k}`);
  }
  // the repr a learner sees first, spelled out here as well as in the fixture
  assert.match(String(got.models.part3.repr), /^Sequential\(\n {2}\(0\): Embedding\(27, 10\)\n {2}\(1\): Flatten\(start_dim=1, end_dim=-1\)\n {2}\(2\): Linear\(in_features=30, out_features=64, bias=False\)\n {2}\(3\): BatchNorm1d\(64, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True\)\n/);
});

test('nn init: every parameter and buffer of a seeded model equals PyTorch\'s bit for bit (Linear kaiming_uniform_ + bias, Embedding normal_)', () => {
  let n = 0;
  for (const [model, fields] of Object.entries(FIXTURE.structure.models)) {
    const want = fields.init_digests as Record<string, string>;
    const got = ours.structure.models[model].init_digests as Record<string, string>;
    for (const [k, digest] of Object.entries(want)) {
      const head = (ours.structure.models[model].init_head as Record<string, number[]>)[k];
      const wantHead = (fields.init_head as Record<string, number[]>)[k];
      assert.equal(got[k], digest, `${model}.${k}: not bit for bit PyTorch's (first values ${head} vs ${wantHead})`);
      n++;
    }
  }
  assert.ok(n >= 20, `${n} tensors compared`);
});

test('optim: SGD (momentum, dampening, nesterov, weight_decay, maximize), Adam (amsgrad, weight_decay), AdamW update bit for bit as PyTorch 1.13', () => {
  const names = Object.keys(FIXTURE.optim_exact);
  assert.ok(names.length >= 8);
  for (const name of names) {
    const want = FIXTURE.optim_exact[name];
    const got = ours.optim_exact[name];
    assert.equal(got.length, want.length, name);
    want.forEach((step, s) => step.forEach((tensor, t) => tensor.forEach((v, i) => {
      if (!Object.is(got[s][t][i], v)) assert.fail(`${name}: step ${s + 1}, param ${t}, [${i}]: ${got[s][t][i]} vs PyTorch ${v}`);
    })));
  }
});

/** Reductions along the longest path of each model (matmul fan-ins, normalisation and loss reductions). */
const N_PATH: Record<string, number> = {
  part3: 30 + 64 + 64 + 3 * 32 + 59, // three Linear, three BatchNorm1d over the batch of 32, the loss
  part5: 20 + 64 + 64 + 32 + (128 + 64 + 32) + 59, // four Linear, BatchNorm over B*T = 128, 64, 32, the loss
  mlp: 24 + 48 + 48 + 59, // two Linear, LayerNorm over 48, the loss
};
const STEPS = 4;

function closeSample(what: string, got: Sample, want: Sample, relTol: number): number {
  assert.deepEqual(got.shape, want.shape, `${what}: shape`);
  assert.equal(got.values.length, want.values.length, `${what}: samples`);
  let scale = 0;
  for (const v of want.values) scale = Math.max(scale, Math.abs(v));
  const tol = relTol * scale;
  let worst = 0;
  want.values.forEach((v, i) => {
    const d = Math.abs(got.values[i] - v);
    worst = Math.max(worst, d / (scale || 1));
    if (!(d <= tol)) assert.fail(`${what}: [${i * want.stride}] ${got.values[i]} vs PyTorch ${v} (tolerance ${tol})`);
  });
  const n = (want.shape.reduce((a, b) => a * b, 1) || 1);
  assert.ok(Math.abs(got.abs_sum - want.abs_sum) <= relTol * scale * n, `${what}: sum of |values| ${got.abs_sum} vs ${want.abs_sum}`);
  return worst;
}

for (const dtype of ['float32', 'float64'] as const) {
  const u = dtype === 'float32' ? 2 ** -24 : 2 ** -53;
  test(`nn + optim training in ${dtype}: part 3's and part 5's layer stacks and an nn.Module MLP, ${STEPS} steps, within float error of PyTorch`, () => {
    const want = FIXTURE[`train_${dtype}`];
    const got = ours[`train_${dtype}`];
    const report: string[] = [];
    for (const [variant, w] of Object.entries(want)) {
      const g = got[variant];
      const path = N_PATH[variant.split('/')[0]];
      let worst = closeSample(`${variant} first logits`, g.first_logits, w.first_logits, path * u);
      const lossScale = Math.max(...w.losses.map(Math.abs));
      w.losses.forEach((l, s) => {
        const tol = (s + 1) * path * u * lossScale;
        assert.ok(Math.abs(g.losses[s] - l) <= tol, `${variant} loss at step ${s}: ${g.losses[s]} vs PyTorch ${l} (tolerance ${tol})`);
        worst = Math.max(worst, Math.abs(g.losses[s] - l) / lossScale);
      });
      for (const [k, ws] of Object.entries(w.state)) {
        assert.ok(k in g.state, `${variant}: state_dict key ${k}`);
        worst = Math.max(worst, closeSample(`${variant} ${k}`, g.state[k], ws, STEPS * path * u));
      }
      worst = Math.max(worst, closeSample(`${variant} eval logits`, g.eval_logits, w.eval_logits, (STEPS + 1) * path * u));
      report.push(`${variant} ${(worst / u).toFixed(1)} u`);
    }
    console.log(`# ${dtype}: largest difference from PyTorch relative to the tensor's scale: ${report.join(', ')}`);
  });
}
