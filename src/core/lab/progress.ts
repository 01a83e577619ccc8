// The exercise mode's saved progress (localStorage, as JSON), and its migrations: v1 (camelCase ids), v2 (the
// lecture's names; answers in the old JavaScript function syntax), v3 (answers in the lecture's Python).

import { lectureName, lectureText } from '../reference/names.js';

export interface SavedProgress {
  current?: string;
  code?: Record<string, string>;
  /** v3: answers written in the old JavaScript function syntax, kept to show as a comment */
  old?: Record<string, string>;
  status?: Record<string, string>;
  hints?: Record<string, number>;
}

/**
 * Progress saved under the old camelCase ids (version 1: `countsSumInv`, code assigning `dcountsSumInv`)
 * in the lecture's names: ids renamed, and the old names in the learner's code rewritten, so the code
 * still runs against the new scope. Ids it does not know are kept as they are.
 */
export function migrateProgressV1(old: SavedProgress): SavedProgress {
  const rekey = <T>(r: Record<string, T> | undefined, f: (v: T) => T = (v) => v): Record<string, T> =>
    Object.fromEntries(Object.entries(r ?? {}).map(([k, v]) => [lectureName(k), f(v)]));
  return {
    current: old.current === undefined ? undefined : lectureName(old.current),
    code: rekey(old.code, (c) => (typeof c === 'string' ? lectureText(c) : c)),
    status: rekey(old.status),
    hints: rekey(old.hints),
  };
}


/**
 * Version 2 (answers in the old JavaScript function syntax, `dprobs = div(dlogprobs, probs)`) to version 3
 * (the lecture's Python): the old answers move to `old`, shown as a Python comment above the editor, and the
 * editor starts empty. Verdicts and hints are kept: a solved exercise stays solved.
 */
export function migrateProgressV2(v2: SavedProgress): SavedProgress {
  const old: Record<string, string> = {};
  for (const [k, c] of Object.entries(v2.code ?? {})) {
    if (typeof c === 'string' && c.trim() !== '' && !/^\s*d\w+\s*=\s*$/.test(c)) old[k] = c;
  }
  return { current: v2.current, code: {}, old, status: { ...(v2.status ?? {}) }, hints: { ...(v2.hints ?? {}) } };
}

/** An old answer as a Python comment: every line behind '# ', under a line that says what it is. */
export function oldAnswerComment(code: string): string {
  const lines = code.replace(/\s+$/, '').split('\n').map((l) => (l === '' ? '#' : `# ${l}`));
  return ['# your earlier answer, in the old function syntax (kept; the editor now takes the lecture\'s Python):', ...lines].join('\n');
}
