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
