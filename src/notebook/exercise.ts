// One exercise submission on a notebook runtime (python/_bpn_exercise.py): the scope's tensors created from
// copied values, the learner's code run in a fresh namespace, and the answer's dtype, shape and values copied
// back out. Shared by the lab's exercise worker and the node tests; nothing here judges: the page does.

import * as H from '../core/torch/handles.js';
import type { DType } from '../core/torch/dtype.js';
import type { Data } from '../core/torch/tensor.js';
import type { NotebookRuntime } from './runtime.js';

/** A tensor the code may read, by name (float32/float64 values, or int64 as float64). */
export interface ExerciseTensor {
  name: string;
  dtype: DType;
  shape: number[];
  data: Float32Array | Float64Array;
}

export interface ExerciseRun {
  code: string;
  /** the variable the code assigns (dcounts_sum_inv) */
  variable: string;
  tensors: ExerciseTensor[];
  ints: Record<string, number>;
}

export type ExerciseOutcome =
  | { ok: true; dtype: DType; shape: number[]; data: Data }
  | { ok: false; error: string; interrupted?: boolean };

interface PyCallable {
  (...args: unknown[]): unknown;
}

/** The runner's Python side, imported once per runtime. */
export class ExerciseRunner {
  private constructor(private readonly runPy: PyCallable) {}

  static create(rt: NotebookRuntime): ExerciseRunner {
    const mod = rt.py.pyimport('_bpn_exercise') as unknown as Record<string, PyCallable>;
    mod.warm();
    return new ExerciseRunner(mod.run);
  }

  run(req: ExerciseRun): ExerciseOutcome {
    if (!/^[A-Za-z_]\w*$/.test(req.variable)) return { ok: false, error: `bad variable name ${req.variable}` };
    // Python's wrappers own these handles from here (their __del__ frees them)
    const handles = req.tensors.map((t) => H.fromValues(t.data, t.shape, t.dtype));
    const res = JSON.parse(String(this.runPy(
      req.code, req.variable, JSON.stringify(req.tensors.map((t) => t.name)), JSON.stringify(handles), JSON.stringify(req.ints),
    ))) as { ok: true; handle: number } | { ok: false; error: string; interrupted?: boolean };
    if (!res.ok) return res;
    return { ok: true, dtype: H.dtype(res.handle), shape: H.shape(res.handle), data: H.values(res.handle) };
  }
}

/** One answer in exercise 4's chain: the exercise it was accepted on, the variable it assigns, its code. */
export interface ChainLink {
  exercise: string;
  variable: string;
  code: string;
}

/** Exercise 4: the lecture's training loop with the learner's own backward (python/_bpn_exercise.py). */
export interface TrainRun {
  chain: ChainLink[];
  /** the 7 parameters' initial values, by name (C, W1, b1, W2, b2, bngain, bnbias) */
  params: ExerciseTensor[];
  /** every step's batch: X (steps, B, T) and Y (steps, B), int64 as float64 */
  X: ExerciseTensor;
  Y: ExerciseTensor;
  ints: Record<string, number>;
  steps: number;
  /** the learning rate before decayStep, and from it on (the lecture's step decay) */
  lr: number;
  lrLate: number;
  decayStep: number;
}

export type TrainFailure = { ok: false; exercise: string; error: string; step?: number; missing?: string; interrupted?: boolean };
export type TrainSlice = { ok: true; step: number; losses: number[] } | TrainFailure;

/** Runs exercise 4 in slices on a runtime (one run at a time per runtime). */
export class ExerciseTrainer {
  /** completed steps */
  step = 0;

  private constructor(private readonly mod: Record<string, PyCallable>) {}

  static create(rt: NotebookRuntime): ExerciseTrainer {
    return new ExerciseTrainer(rt.py.pyimport('_bpn_exercise') as unknown as Record<string, PyCallable>);
  }

  /** Sets up a run (which forward its chain needs: 'fused' or 'chunked'); an answer that does not compile is reported here. */
  start(run: TrainRun): { ok: true; forward: string } | TrainFailure {
    for (const l of run.chain) if (!/^[A-Za-z_]\w*$/.test(l.variable)) return { ok: false, exercise: l.exercise, error: `bad variable name ${l.variable}` };
    const handles = run.params.map((t) => H.fromValues(t.data, t.shape, t.dtype));
    const x = H.fromValues(run.X.data, run.X.shape, run.X.dtype);
    const y = H.fromValues(run.Y.data, run.Y.shape, run.Y.dtype);
    return JSON.parse(String(this.mod.train_start(
      JSON.stringify(run.chain.map((l) => [l.exercise, l.variable, l.code])), JSON.stringify(run.params.map((t) => t.name)),
      JSON.stringify(handles), JSON.stringify(run.ints), x, y,
      JSON.stringify({ steps: run.steps, lr: run.lr, lr_late: run.lrLate, decay_step: run.decayStep }),
    ))) as { ok: true; forward: string } | TrainFailure;
  }

  /** Steps for about budgetMs (at least one), or to the end. */
  run(budgetMs: number): TrainSlice {
    const r = JSON.parse(String(this.mod.train_run(budgetMs))) as TrainSlice;
    if (r.ok) this.step = r.step;
    return r;
  }

  /** The parameters now, in PARAM_NAMES order (C, W1, b1, W2, b2, bngain, bnbias): copies. */
  params(): { dtype: DType; shape: number[]; data: Data }[] {
    const hs = JSON.parse(String(this.mod.train_params())) as number[];
    return hs.map((h) => ({ dtype: H.dtype(h), shape: H.shape(h), data: H.values(h) }));
  }
}
