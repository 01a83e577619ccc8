// Shared test helpers. expectClose reports the max difference, the first bad index and a few pairs.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

type Arr = ArrayLike<number>;

/** Passes when |a - e| <= atol + rtol |e| everywhere (and the lengths agree). */
export function expectClose(actual: Arr, expected: Arr, opts: { atol?: number; rtol?: number; what?: string } = {}): number {
  const { atol = 0, rtol = 0, what = 'values' } = opts;
  assert.equal(actual.length, expected.length, `${what}: length ${actual.length}, expected ${expected.length}`);
  let maxdiff = 0;
  let firstBad = -1;
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs(actual[i] - expected[i]);
    if (!(d <= atol + rtol * Math.abs(expected[i]))) {
      if (firstBad < 0) firstBad = i;
      maxdiff = Number.isNaN(d) ? NaN : Math.max(maxdiff, d);
    } else if (d > maxdiff) maxdiff = d;
  }
  if (firstBad >= 0) {
    const pairs = [];
    for (let i = firstBad; i < Math.min(expected.length, firstBad + 4); i++) pairs.push(`[${i}] ${actual[i]} vs ${expected[i]}`);
    assert.fail(`${what}: not close (atol ${atol}, rtol ${rtol}); max diff ${maxdiff}; first bad index ${firstBad}: ${pairs.join(', ')}`);
  }
  return maxdiff;
}

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The lecture's names, beside the repo (never copied into it). */
export const NAMES_TXT = join(REPO, '..', 'shared', 'data', 'names.txt');
export const CLI = join(REPO, 'dist', 'src', 'node', 'cli.js');

export function readNamesTxt(): string {
  return readFileSync(NAMES_TXT, 'utf8');
}

/**
 * d f / d x[i] for every i, by the five-point stencil (-f(x+2h) + 8f(x+h) - 8f(x-h) + f(x-2h)) / 12h in
 * float64: truncation O(h^4) ~ 1e-12 at h = 1e-3. f reads x (perturbed in place, restored after).
 */
export function numericGrad(f: () => number, x: Float64Array, h = 1e-3): Float64Array {
  const g = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const x0 = x[i];
    const at = (dx: number): number => {
      x[i] = x0 + dx;
      return f();
    };
    g[i] = (-at(2 * h) + 8 * at(h) - 8 * at(-h) + at(-2 * h)) / (12 * h);
    x[i] = x0;
  }
  return g;
}

/** n standard normal samples in float64 from a seeded generator (MT19937, our Python-compatible one). */
export function randn(rng: { normal(): number }, n: number, scale = 1): Float64Array {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.normal() * scale;
  return a;
}
