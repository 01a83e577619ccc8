// Runs one piece of learner code per message. The page terminates this worker when a run takes too long
// (an infinite loop), so nothing here guards against that.

import { runExercise } from '../src/core/lab/exercises.js';
import type { ExerciseRequest, ExerciseResponse } from './protocol.js';

self.onmessage = (e: MessageEvent<ExerciseRequest>): void => {
  const { id, code, variable, scope } = e.data;
  let res: ExerciseResponse;
  try {
    res = { id, ok: true, result: runExercise(code, variable, scope) };
  } catch (err) {
    const ex = err instanceof Error ? err : new Error(String(err));
    res = { id, ok: false, error: ex.name === 'TensorApiError' || ex.name === 'Error' ? ex.message : `${ex.name}: ${ex.message}` };
  }
  self.postMessage(res);
};
