// The training loop (the lecture's exercise 4): draw a batch from the seeded generator, forward, the fused
// backward (exercises 2 and 3), SGD with the lecture's step schedule. It only drives a Trainer; the autograd
// never runs here except in the optional gradient check every `checkEvery` steps.
//
// Pure (no I/O): the CLI and the web lab run the same loop. It runs in slices (`run(untilStep, deadline)`),
// so the caller keeps control between slices: the CLI to notice Ctrl-C and to save, a browser to paint.
// A step allocates nothing; the per-step losses go into a preallocated Float64Array.

import { compare, runCheck, type CheckRow } from '../judge/check.js';
import { drawBatch, type BatchRng, type Split } from '../reference/data.js';
import type { MT19937 } from '../random/python.js';
import { PARAM_NAMES, type GradName } from '../reference/model.js';
import type { Trainer } from '../fast/engines.js';
import type { FloatArray, Tensor } from '../reference/block.js';

/** The lecture's schedule: `lr = 0.1 if i < 100000 else 0.01` for i in range(200000). */
export interface Schedule {
  readonly learningRate: number;
  /** the first step trained at the late rate */
  readonly lrDecayStep: number;
  readonly maxSteps: number;
  /** the rate from lrDecayStep on; default learningRate / 10, the lecture's fixed factor (the lab sets it) */
  readonly lateLearningRate?: number;
}

/** The learning rate of step `step` (0-based). */
export function lrAt(s: Schedule, step: number): number {
  return step < s.lrDecayStep ? s.learningRate : (s.lateLearningRate ?? s.learningRate / 10);
}

export type StopReason =
  | 'done' // step === maxSteps
  | 'until' // reached the step the caller asked for
  | 'deadline' // the time slice ran out
  | 'nonfinite' // the loss of step `step` is NaN or +-Infinity; that step was not applied
  | 'check'; // the gradient check of step `step` failed; that step was not applied

/** The training path's gradient of one parameter against the autograd's. */
export interface PathRow {
  name: string;
  maxdiff: number;
  /** max |autograd gradient| */
  scale: number;
  /** max(PATH_RTOL * scale, the derived float-error tolerance) */
  tol: number;
  ok: boolean;
}

export interface TrainingCheck {
  step: number;
  /** the `check` table: exercise 1 (26 rows) and the fused rows, against the autograd */
  rows: CheckRow[];
  /** the Trainer's gradients (the ones SGD actually applies), against the autograd */
  path: PathRow[];
  ok: boolean;
  /** the first failing row's description, for the one-line error */
  failure?: string;
}

/**
 * The tolerance of the training path against the autograd: the larger of PATH_RTOL of the gradient's
 * largest entry and PATH_TOL_FACTOR times the gradient's derived float-error bound (check.ts, TOL_FACTOR:
 * unit roundoff times the magnitudes summed to make it). Not elementwise allclose: the Trainer sums a float32 matmul in a different
 * order than the reference (which accumulates in doubles) and uses its own exp and tanh, so an entry near
 * zero can differ by more than 1e-5 of itself while the tensor is right to 7 digits. db1 is the case: its
 * true value is 0 (batchnorm removes the bias), so it is all rounding noise of the size of the terms summed,
 * which only the derived bound knows (a fixed atol of 1e-8 stopped a default run at step 1650). A real bug
 * (a missing term, a wrong index) is off by a sizeable part of max|g|.
 */
export const PATH_RTOL = 1e-5;
/**
 * The fast engines' forward is not the reference's (float32 sums in another order, their own exp and tanh),
 * so their gradients carry the forward's error too: their bound (runCheck's pathTols) adds the forward's
 * error on the logits side and in bnraw, and is this many times the table's. Measured over 1,472
 * configurations (V 2-60, H 1-512, batch 2-64, E 2-10, T 1-5, weights 0.3x-3x the init, degenerate batches
 * of identical rows, both engines): the worst correct path row reached 2.2 times TOL_FACTOR * u * scale
 * (dW2), against 8 here.
 */
export const PATH_TOL_FACTOR = 8;

/**
 * The training path's parameter gradients (the trainer's, after its backward) against the autograd's
 * (`reference`, from runCheck on the same params and batch), with the derived tolerances `tols`.
 */
export function trainingPathRows(
  trainer: Trainer, reference: Readonly<Record<GradName, Tensor>>, tols: Readonly<Record<GradName, number>>,
): PathRow[] {
  return PARAM_NAMES.map((k) => {
    const ref = reference[k];
    const row = compare(k, trainer.grads[k], ref);
    let scale = 0;
    for (let i = 0; i < ref.data.length; i++) scale = Math.max(scale, Math.abs(ref.data[i]));
    const tol = Math.max(PATH_RTOL * scale, PATH_TOL_FACTOR * tols[k]);
    return { name: k, maxdiff: row.maxdiff, scale, tol, ok: row.shapeOk && row.maxdiff <= tol };
  });
}

/** Runs `check` on the trainer's current params and batch (after its backward), plus the training path. */
export function checkTrainerStep(trainer: Trainer, step: number): TrainingCheck {
  const res = runCheck(trainer.params, trainer.X, trainer.Y, trainer.cfg);
  const rows = [...res.rows, ...res.fused];
  const path = trainingPathRows(trainer, res.reference, res.pathTols);
  const badRow = rows.find((r) => !r.pass);
  const badPath = path.find((r) => !r.ok);
  let failure: string | undefined;
  if (badRow !== undefined) {
    failure = `d${badRow.name} (check table) differs from the autograd's: maxdiff ${badRow.maxdiff} > tolerance ${badRow.tol}${badRow.shapeOk ? '' : `, shape [${badRow.shape.join(', ')}] vs [${badRow.refShape.join(', ')}]`}`;
  } else if (badPath !== undefined) {
    failure = `d${badPath.name} of the training path (the Trainer's fused backward) differs from the autograd's: maxdiff ${badPath.maxdiff} > tolerance ${badPath.tol}`;
  }
  return { step, rows, path, ok: failure === undefined, failure };
}

export interface LoopOptions {
  /** completed steps so far (a resumed run starts where its checkpoint stopped) */
  step?: number;
  /** the losses of the completed steps (at least `step` of them) */
  losses?: ArrayLike<number>;
  /** run checkTrainerStep every this many steps (0: never) */
  checkEvery?: number;
  /** the gradient check itself (default checkTrainerStep); a caller may wrap it, e.g. to inject a fault in a test */
  check?: (trainer: Trainer, step: number) => TrainingCheck;
}

interface Stateful {
  getState(): unknown;
  setState(state: never): void;
}

/** A function that puts the generator back where it is now, for a generator that can say its state. */
function rewinder(rng: BatchRng): (() => void) | null {
  const r = rng as Partial<Stateful>;
  if (typeof r.getState !== 'function' || typeof r.setState !== 'function') return null;
  const state = r.getState();
  return () => (r.setState as (s: unknown) => void)(state);
}

export class TrainLoop<R extends BatchRng = MT19937> {
  /** completed steps: the next step to run is `step` */
  step: number;
  /** losses[i] is the loss of step i (before its update); capacity maxSteps */
  losses: Float64Array;
  readonly checkEvery: number;
  private readonly check: (trainer: Trainer, step: number) => TrainingCheck;
  /** set when run() stopped with 'check' */
  lastCheck: TrainingCheck | null = null;
  /** after a 'check' stop: whether the generator was rewound to before the failed step's batch (it can be saved) */
  rewound = false;
  private readonly lrLow: number;

  constructor(
    readonly trainer: Trainer,
    readonly split: Split,
    readonly rng: R,
    readonly schedule: Schedule,
    opts: LoopOptions = {},
  ) {
    this.step = opts.step ?? 0;
    this.checkEvery = opts.checkEvery ?? 0;
    this.check = opts.check ?? checkTrainerStep;
    this.losses = new Float64Array(Math.max(schedule.maxSteps, this.step));
    if (opts.losses !== undefined) {
      for (let i = 0; i < this.step; i++) this.losses[i] = opts.losses[i];
    }
    this.lrLow = lrAt(schedule, schedule.lrDecayStep);
  }

  /** The losses of the completed steps (a view, no copy). */
  history(): Float64Array {
    return this.losses.subarray(0, this.step);
  }

  /**
   * Runs steps until `step` reaches min(untilStep, maxSteps), or `now()` passes `deadline` (read after every
   * 16th step, so a slice ends at most 15 steps late), or a step's loss is not finite, or a gradient check
   * fails. A step is either applied whole (forward, backward, update, loss recorded) or, on 'nonfinite' and
   * 'check', not applied: the parameters stay those of the last good step (the generator has drawn the
   * failed step's batch, so such a loop is for inspection, not for going on). On 'check' the generator is
   * rewound to before that batch as well, so the loop is exactly the state after step `step - 1`: the caller
   * can save it and a resumed run redraws the same batch.
   */
  run(untilStep = Infinity, deadline = Infinity, now: () => number = () => performance.now()): StopReason {
    const { trainer, split, rng, schedule, losses } = this;
    const T = trainer.cfg.blockSize;
    const stop = Math.min(untilStep, schedule.maxSteps);
    while (this.step < stop) {
      const i = this.step;
      const checkDue = this.checkEvery > 0 && i % this.checkEvery === 0;
      const rewind = checkDue ? rewinder(rng) : null; // only on check steps: a state copy, the check costs far more
      drawBatch(split, T, rng, trainer.X, trainer.Y);
      const loss = trainer.forward();
      if (!Number.isFinite(loss)) {
        losses[i] = loss;
        return 'nonfinite';
      }
      trainer.backward();
      if (checkDue) {
        const c = this.check(trainer, i);
        if (!c.ok) {
          this.lastCheck = c;
          this.rewound = rewind !== null;
          rewind?.();
          return 'check';
        }
      }
      trainer.update(i < schedule.lrDecayStep ? schedule.learningRate : this.lrLow);
      losses[i] = loss;
      this.step = i + 1;
      // the clock every 16 steps: a double returned from a call is a heap number, 16 bytes we need not make
      if ((this.step & 15) === 0 && this.step < stop && now() > deadline) return 'deadline';
    }
    return this.step >= schedule.maxSteps ? 'done' : 'until';
  }
}

/**
 * Whether the current parameters are worth a checkpoint: the loss they give on the last batch, NaN if any
 * parameter is not finite. A forward only: it touches neither the parameters nor the generator, so a
 * resumed run is unchanged. An update can leave finite but huge parameters whose next forward overflows;
 * this catches those before they are saved over a good checkpoint.
 */
export function probeLoss(loop: TrainLoop<BatchRng>): number {
  return allFinite(loop.trainer.params.flat) ? loop.trainer.forward() : NaN;
}

/** True when every value is finite. */
export function allFinite(a: FloatArray): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
  return true;
}

/** The lecture's progress line: `  10000/ 200000: 2.1775` (f'{i:7d}/{max_steps:7d}: {loss:.4f}'). */
export function lectureLine(step: number, maxSteps: number, loss: number): string {
  return `${String(step).padStart(7)}/${String(maxSteps).padStart(7)}: ${loss.toFixed(4)}`;
}
