// Exercise 4 in the page: once every exercise is accepted, the lecture's training loop runs in a code runner
// with the learner's own backward (their accepted answers, in the order of the lecture's exercise-4 cell),
// while a worker of the page trains the built-in backward (the fast engine the Train tab and the CLI use) on
// the same init and batches, kept in step. Both loss curves on one chart; at the end (or at Stop) both
// models are evaluated and sampled the same way, and the learner's can be opened in the Sample tab.

import { EXERCISES, exerciseById, type ExerciseId } from '../src/core/lab/content.js';
import { EX4_CHAIN, EX4_DEFAULTS, bucketed, missingGradientNote, trainPlan, trainScope, type TrainPlan } from '../src/core/lab/train.js';
import { PARAM_NAMES, allocParams, paramShapes, type ModelConfig } from '../src/core/reference/model.js';
import { calibrateBatchnorm } from '../src/core/run/infer.js';
import { sameShape } from '../src/core/reference/block.js';
import { curves } from './draw.js';
import { $, embeddedDataset, errorText, h, intInput, setCurrentModel } from './dom.js';
import type { ExercisePool, TrainEvent, Training } from './exercise-runner.js';
import type { BuiltinReply, BuiltinRequest, ModelReport } from './exercise-builtin.worker.js';
import type { TensorCopy } from './exercise-protocol.js';

/**
 * The default length of a run: the learner's Python runs every step (the lecture's dC loop, 96 indexed adds,
 * is two thirds of a step), 184 steps/s in headless Chromium on this project's 2-core machine at a load
 * average of ~10: 1,000 steps take about 5 s and bring the loss from 3.3 to about 2.5. The lecture's 200,000
 * steps would take some 20 minutes: the CLI's `train` is the place for those.
 */
export const EX4_STEPS = 1000;
/**
 * The longest run the page takes: every step's batch is drawn up front and handed to the runner (20,000 steps
 * are 1.9 M indices), and at the learner's pace that is minutes already. The lecture's 200,000 steps are the
 * CLI's job (`npx backprop-ninja train`).
 */
export const EX4_MAX_STEPS = 20_000;

interface Deps {
  /** the accepted answers' code, by exercise */
  answers: () => Partial<Record<ExerciseId, string>>;
  pool: ExercisePool;
  /** told when a run starts or ends (the list's mark) */
  onChange: () => void;
}

let deps: Deps;

interface Run {
  plan: TrainPlan;
  training: Training | null;
  builtin: Worker;
  yours: number[];
  ref: number[];
  /** when the first report came, and at which step: the rate counts from there (the runner's start left out) */
  first: { at: number; step: number } | null;
  forward: string;
  yourParams: Float32Array | null;
  done: boolean;
}

let run: Run | null = null;

const chainOf = (answers: Partial<Record<ExerciseId, string>>): { exercise: string; variable: string; code: string }[] =>
  EX4_CHAIN.map((id) => ({ exercise: id, variable: exerciseById(id).variable, code: answers[id] ?? '' }));

/** The code the runner runs each step, as one listing: the lecture's exercise-4 cell with the learner's lines. */
function listing(answers: Partial<Record<ExerciseId, string>>): string {
  const lines = [
    '# each step: Xb, Yb = this step\'s batch; the forward (the exercise-4 cell\'s, or exercise 1\'s chunked one',
    '# when an answer reads its tensors); then your accepted answers, in this order:',
  ];
  for (const l of chainOf(answers)) lines.push(`# -- ${l.exercise}`, l.code.trimEnd());
  lines.push('# update (the lecture\'s): lr = 0.1 for the first half of the steps, 0.01 after', 'for p, grad in zip(parameters, grads):', '  p.data += -lr * grad');
  return lines.join('\n');
}

function missing(): string[] {
  const a = deps.answers();
  return EXERCISES.filter((e) => a[e.id] === undefined).map((e) => e.variable);
}

function renderStatus(): void {
  const left = missing();
  const train = $<HTMLButtonElement>('ex4-train');
  if (left.length > 0) {
    $('ex4-status').textContent = `Solve every exercise first: your backward is then complete, and it trains the network here. ` +
      `${EXERCISES.length - left.length} of ${EXERCISES.length} accepted; still to do: ${left.slice(0, 6).join(', ')}${left.length > 6 ? ` and ${left.length - 6} more` : ''}.`;
    train.disabled = true;
    $('ex4-code').textContent = '';
    $('ex4-listing').hidden = true;
  } else {
    $('ex4-status').textContent = 'Your backward is complete. Exercise 4 runs the lecture\'s training loop with your accepted answers ' +
      '(the fused dlogits and dhprebn of exercises 2 and 3, exercise 1\'s lines for the rest), and the built-in backward on the same init and batches.';
    train.disabled = run !== null && !run.done;
    $('ex4-code').textContent = listing(deps.answers());
    $('ex4-listing').hidden = false;
  }
}

function every(steps: number): number {
  return Math.max(1, Math.floor(steps / 100));
}

function draw(): void {
  const r = run;
  const c = $<HTMLCanvasElement>('ex4-curve');
  if (r === null) {
    curves(c, [], 1);
    return;
  }
  // the planned steps while it runs (the curve grows across), the steps run once it ended (stopped early)
  const xMax = r.done ? Math.max(1, r.yours.length) : r.plan.settings.steps;
  const k = every(xMax);
  const n = Math.min(r.yours.length, r.ref.length);
  curves(c, [
    { label: 'built-in backward', colour: '#f0b060', points: bucketed(r.ref.slice(0, n), k), width: 5 },
    { label: 'your backward', colour: '#2456a6', points: bucketed(r.yours, k) },
  ], xMax, 'log10 loss');
}

function mean(a: readonly number[], last = 100): number {
  const s = a.slice(-last);
  return s.reduce((x, y) => x + y, 0) / Math.max(1, s.length);
}

function maxDiff(a: readonly number[], b: readonly number[]): number {
  let m = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function showProgress(r: Run): void {
  const el = $('ex4-progress');
  const step = r.yours.length;
  const rate = r.first === null || step === r.first.step ? 0 : (step - r.first.step) / Math.max(1e-3, (performance.now() - r.first.at) / 1000);
  el.dataset.step = String(step);
  el.dataset.builtinStep = String(r.ref.length);
  el.textContent = `step ${step} of ${r.plan.settings.steps}${rate > 0 ? ` · ${rate.toFixed(0)} steps/s` : ''} · loss ${step > 0 ? r.yours[step - 1].toFixed(4) : '-'}` +
    `${r.ref.length >= step && step > 0 ? ` (built-in ${r.ref[step - 1].toFixed(4)})` : ''}`;
  el.dataset.stepsPerSec = rate.toFixed(1);
}

/** The parameters the runner sent back, as one flat float32 buffer in PARAM_NAMES order, if each has its shape. */
function flatParams(cfg: ModelConfig, params: TensorCopy[]): Float32Array | null {
  const shapes = paramShapes(cfg);
  const p = allocParams(cfg, 'float32');
  for (let i = 0; i < PARAM_NAMES.length; i++) {
    const k = PARAM_NAMES[i];
    if (!sameShape(params[i].shape, shapes[k]) || (params[i].dtype !== 'float32' && params[i].dtype !== 'float64')) return null;
    p[k].data.set(params[i].data);
  }
  return p.flat as Float32Array;
}

function onTrain(r: Run, e: TrainEvent): void {
  if (run !== r) return;
  if (e.type === 'progress') {
    r.first ??= { at: performance.now(), step: e.step };
    r.yours.push(...e.losses);
    r.forward = e.forward;
    post(r, { type: 'advance', step: e.step });
    showProgress(r);
    draw();
    return;
  }
  r.training = null;
  $<HTMLButtonElement>('ex4-stop').disabled = true;
  if (e.type === 'error') {
    const at = e.step === undefined ? '' : ` at step ${e.step}`;
    const why = e.missing !== undefined && e.exercise !== '' ? `; ${missingGradientNote(e.exercise, e.missing)}` : '';
    $('ex4-error').textContent = `${e.exercise === '' ? '' : `your answer for ${e.exercise}: `}${e.error}${at}${why}`;
    finish(r);
    return;
  }
  r.yourParams = flatParams(r.plan.cfg, e.params);
  if (r.yourParams === null) $('ex4-error').textContent = 'the code runner sent parameters of the wrong shape: nothing to evaluate';
  post(r, { type: 'advance', step: e.step });
  post(r, { type: 'evaluate', yours: r.yourParams });
  $('ex4-result').textContent = `evaluating both models (${e.step} steps)…`;
}

function post(r: Run, m: BuiltinRequest): void {
  r.builtin.postMessage(m);
}

function finish(r: Run): void {
  r.done = true;
  draw();
  r.builtin.terminate();
  $<HTMLButtonElement>('ex4-stop').disabled = true;
  deps.onChange();
  renderStatus();
}

function report(r: Run, step: number, builtin: ModelReport, yours: ModelReport | null): void {
  const row = (what: string, a: string, b: string): HTMLElement => h('tr', {}, h('th', { scope: 'row' }, what), h('td', {}, a), h('td', {}, b));
  const f = (x: number): string => (Number.isFinite(x) ? x.toFixed(4) : String(x));
  const diff = maxDiff(r.yours, r.ref);
  const same = yours !== null && Math.abs(mean(r.yours) - mean(r.ref.slice(0, r.yours.length))) < 0.01;
  const names = (title: string, list: string[], id: string): HTMLElement =>
    h('div', {}, h('h4', {}, title), h('ol', { class: 'names', 'data-testid': id }, ...list.map((n) => h('li', {}, n === '' ? '(empty)' : n))));
  const out = $('ex4-result');
  out.replaceChildren(
    h('p', { 'data-testid': 'ex4-verdict' }, same
      ? `Your backward trained the network as the built-in one did: over ${step} steps the two losses never differed by more than ${diff.toExponential(1)} (float rounding: your lines and the built-in ones sum in another order).`
      : `Your backward trained differently from the built-in one: the losses differ by up to ${diff.toPrecision(3)}.`),
    h('table', { class: 'ex4-table' },
      h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', { scope: 'col' }, 'your backward'), h('th', { scope: 'col' }, 'built-in backward'))),
      h('tbody', {},
        row(`loss, mean of the last ${Math.min(100, r.yours.length)} steps`, f(mean(r.yours)), f(mean(r.ref.slice(0, r.yours.length)))),
        row('train split (batchnorm calibrated)', yours === null ? '-' : f(yours.train), f(builtin.train)),
        row('val split', yours === null ? '-' : f(yours.val), f(builtin.val)))),
    h('div', { class: 'ex4-names' },
      names('Names from your model', yours?.names ?? [], 'ex4-names-yours'),
      names('from the built-in model (the same draws)', builtin.names, 'ex4-names-builtin')),
  );
  if (yours !== null && r.yourParams !== null) {
    const params = r.yourParams;
    const b = h('button', { 'data-testid': 'ex4-sample' }, 'Sample more from your model (Sample tab)');
    b.addEventListener('click', () => {
      const ds = embeddedDataset();
      const p = allocParams(r.plan.cfg, 'float32');
      p.flat.set(params);
      const bn = calibrateBatchnorm(p, r.plan.cfg, ds.train);
      setCurrentModel({
        cfg: r.plan.cfg, itos: [...ds.itos], seed: r.plan.settings.seed, flat: Float32Array.from(params),
        bnmean: Float64Array.from(bn.bnmean), bnvar: Float64Array.from(bn.bnvar), source: `${ds.source}, your backward (exercise 4)`, trained: true,
      });
      $('tab-sample').click();
    });
    out.append(b);
  }
}

function start(): void {
  $('ex4-error').textContent = '';
  $('ex4-result').textContent = '';
  const answers = deps.answers();
  if (missing().length > 0) return;
  let steps: number;
  try {
    steps = intInput('ex4-steps', 10, EX4_MAX_STEPS, 'steps');
  } catch (e) {
    $('ex4-error').textContent = errorText(e);
    return;
  }
  const ds = embeddedDataset();
  const cfg: ModelConfig = { vocabSize: ds.itos.length, nEmbd: 10, nHidden: 64, blockSize: ds.blockSize };
  const plan = trainPlan(ds, cfg, { ...EX4_DEFAULTS, steps });
  const builtin = new Worker(new URL('./exercise-builtin.worker.ts', import.meta.url), { type: 'module', name: 'exercise-4-builtin' });
  const r: Run = { plan, training: null, builtin, yours: [], ref: [], first: null, forward: '', yourParams: null, done: false };
  run?.training?.stop();
  if (run !== null && !run.done) run.builtin.terminate();
  run = r;
  builtin.onmessage = (ev: MessageEvent<BuiltinReply>) => {
    if (run !== r) return;
    const m = ev.data;
    if (m.type === 'losses') {
      r.ref.splice(m.from, m.losses.length, ...m.losses);
      showProgress(r);
      draw();
    } else if (m.type === 'report') {
      report(r, m.step, m.builtin, m.yours);
      finish(r);
    } else {
      $('ex4-error').textContent = `the built-in run failed: ${m.message}`;
      finish(r);
    }
  };
  builtin.onerror = (ev) => {
    ev.preventDefault();
    $('ex4-error').textContent = `the built-in run failed: ${ev.message}`;
    finish(r);
  };
  post(r, {
    type: 'plan', plan: {
      cfg, batchSize: plan.settings.batchSize, seed: plan.settings.seed, init: Float32Array.from(plan.init.flat), X: plan.X, Y: plan.Y,
      steps, lr: plan.settings.lr, lrLate: plan.settings.lrLate, decayStep: plan.decayStep,
    },
  });
  const sc = trainScope(plan);
  $<HTMLButtonElement>('ex4-train').disabled = true;
  $<HTMLButtonElement>('ex4-stop').disabled = false;
  showProgress(r);
  draw();
  deps.onChange();
  r.training = deps.pool.train({
    chain: chainOf(answers), params: sc.params, X: sc.X, Y: sc.Y, ints: sc.ints, steps,
    lr: plan.settings.lr, lrLate: plan.settings.lrLate, decayStep: plan.decayStep,
  }, (e) => onTrain(r, e));
}

export function initExercise4(d: Deps): void {
  deps = d;
  $<HTMLInputElement>('ex4-steps').value = String(EX4_STEPS);
  $('ex4-train').addEventListener('click', start);
  $('ex4-stop').addEventListener('click', () => {
    run?.training?.stop();
    $<HTMLButtonElement>('ex4-stop').disabled = true;
  });
}

export function showExercise4(): void {
  renderStatus();
  requestAnimationFrame(draw);
}
