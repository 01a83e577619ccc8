// The lecture's names. The code spells the model's tensors in camelCase (countsSumInv); everything a
// person reads (the check table, check --json, the grads file's d.<name> keys, the lab's cards, rows,
// exercises and data-testid hooks) spells them as the lecture's notebook and its cmp print them
// (counts_sum_inv). This table is the one place that maps the two; names not in it are spelled the same.

import type { ActName, GradName } from './model.js';

const SNAKE = {
  bnvarInv: 'bnvar_inv',
  logitMaxes: 'logit_maxes',
  normLogits: 'norm_logits',
  countsSum: 'counts_sum',
  countsSumInv: 'counts_sum_inv',
} as const satisfies Partial<Record<ActName, string>>;

type Camel = keyof typeof SNAKE;
/** A tensor's name as the lecture prints it: LectureName<'countsSumInv'> is 'counts_sum_inv'. */
export type LectureName<K extends string> = K extends Camel ? (typeof SNAKE)[K] : K;
export type LectureGradName = LectureName<GradName>;

const CAMEL: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(SNAKE).map(([c, s]) => [s, c]));

/** countsSumInv -> counts_sum_inv; any other name unchanged. */
export function lectureName<K extends string>(name: K): LectureName<K> {
  return ((SNAKE as Readonly<Record<string, string>>)[name] ?? name) as LectureName<K>;
}

/** counts_sum_inv -> countsSumInv; any other name unchanged. */
export function codeName(name: string): string {
  return CAMEL[name] ?? name;
}

const OLD_WORD = new RegExp(`\\b(d?)(${Object.keys(SNAKE).join('|')})\\b`, 'g');

/**
 * A piece of code or text with the old camelCase names (and their d-prefixed gradients) rewritten to the
 * lecture's: `dcountsSumInv = mul(counts, dprobs)` -> `dcounts_sum_inv = mul(counts, dprobs)`. Used to
 * migrate what learners saved before the lab spoke the lecture's names.
 */
export function lectureText(text: string): string {
  return text.replace(OLD_WORD, (_, d: string, k: Camel) => `${d}${SNAKE[k]}`);
}
