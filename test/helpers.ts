// Shared test helpers. expectClose reports the max difference, the first bad index and a few pairs.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { cachedPath } from '../src/node/data-cache.js';

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
export const CLI = join(REPO, 'dist', 'src', 'node', 'cli.js');

/** With CI=true a test that cannot run is a failure, not a skip: CI has every input, so it runs every test. */
export const IN_CI = process.env.CI === 'true';

/**
 * A test that needs something this machine lacks: skipped with one visible line saying how to get it
 * (node:test prints the reason beside the test's name), or failed under CI=true.
 */
export function skipOrFail(t: TestContext, why: string): void {
  if (IN_CI) assert.fail(`${why} (CI=true: a test that cannot run is a failure)`);
  t.skip(why);
}

/**
 * A small names file whose vocabulary is the lecture's ('.' and a-z) but which is not the lecture's file:
 * for the tests that only need "another vocabulary than the embedded default's", so they run anywhere.
 */
export const AZ_NAMES = Array.from({ length: 60 }, (_, i) => {
  const c = (k: number): string => String.fromCharCode(97 + (k % 26));
  return `${c(i)}${c(i * 7 + 3)}${c(i * 11 + 5)}a`;
}).join('\n');

export const NAMES_ENV = 'BPN_NAMES_TXT';
const SHIPPED_NAMES = join(REPO, 'lectures', 'names.txt');

/**
 * The lecture's names.txt, found in this order: $BPN_NAMES_TXT, then ../shared/data/names.txt beside the
 * repository, then the copy the package ships (lectures/names.txt, makemore's, MIT), then the per-user cache
 * (`backprop-ninja data --download`). Undefined when none is there.
 */
export function findNamesTxt(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const fromEnv = env[NAMES_ENV];
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!existsSync(fromEnv)) throw new Error(`${NAMES_ENV}=${fromEnv}: no such file`);
    return fromEnv;
  }
  for (const p of [join(REPO, '..', 'shared', 'data', 'names.txt'), SHIPPED_NAMES, cachedPath('names')]) if (existsSync(p)) return p;
  return undefined;
}

export const NAMES_TXT = findNamesTxt();

/** The places findNamesTxt looks, in its order, as a skip line names them. */
const NAMES_PLACES = `$${NAMES_ENV} (unset), ${join(REPO, '..', 'shared', 'data', 'names.txt')}, ${SHIPPED_NAMES}, ${cachedPath('names')}`;

export const NAMES_MISSING =
  `needs the lecture's names.txt, which is in none of ${NAMES_PLACES}: run \`npx backprop-ninja data --download\` (or set ${NAMES_ENV}=/path/to/names.txt)`;

/** The lecture's notebook, as the tests find it: beside the repository, in ../shared/notebooks/, else the copy the package ships in lectures/ (the same bytes). */
export const LECTURE_NOTEBOOK = [join(REPO, '..', 'shared', 'notebooks', 'makemore_part4_backprop.ipynb'), join(REPO, 'lectures', 'makemore_part4_backprop.ipynb')]
  .find((p) => existsSync(p)) ?? join(REPO, '..', 'shared', 'notebooks', 'makemore_part4_backprop.ipynb');

/**
 * Why a test that runs the lecture's notebook with its names.txt cannot run here (each missing input named,
 * with where to get it), or undefined when both are here.
 */
export function lectureMissing(): string | undefined {
  const missing: string[] = [];
  if (!existsSync(LECTURE_NOTEBOOK)) {
    missing.push(`the lecture's notebook at ${LECTURE_NOTEBOOK} (lectures/makemore/makemore_part4_backprop.ipynb of github.com/karpathy/nn-zero-to-hero; docs/notebook.md)`);
  }
  if (NAMES_TXT === undefined) missing.push(NAMES_MISSING.replace(/^needs /, ''));
  return missing.length === 0 ? undefined : `needs ${missing.join('; and ')}`;
}

/** names.txt's path for a test that needs it; undefined after skipping the test (failing it under CI=true). */
export function needNames(t: TestContext): string | undefined {
  if (NAMES_TXT === undefined) skipOrFail(t, NAMES_MISSING);
  return NAMES_TXT;
}

/** names.txt's text for a test that needs it; undefined after skipping the test (failing it under CI=true). */
export function readNamesTxt(t: TestContext): string | undefined {
  const p = needNames(t);
  return p === undefined ? undefined : readFileSync(p, 'utf8');
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

/** A finished CLI run. */
export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `backprop-ninja ARGS` in `cwd` (stack traces off; env added to this process's), with a time limit so a
 * reader that would hang (a FIFO) fails the test instead of stalling it.
 */
export function runCli(cwd: string, args: string[], env: Record<string, string> = {}, timeout = 120_000): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout, env: { ...process.env, BACKPROP_NINJA_DEBUG: '', ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Exactly one stderr line, `backprop-ninja: error: ...` matching re, and the exit code. */
export function expectOneErrorLine(r: Run, re: RegExp, code = 2, what = 'backprop-ninja'): void {
  const lines = r.stderr.split('\n').filter((l) => l.length > 0);
  assert.equal(lines.length, 1, `${what}: one stderr line, got (exit ${r.status}):\n${r.stderr}`);
  assert.match(lines[0], /^backprop-ninja: error: /, what);
  assert.match(lines[0], re, what);
  assert.equal(r.status, code, `${what}: exit code (stderr: ${r.stderr})`);
}

/** A zip archive of stored (uncompressed) files, as Python's zipfile reads it. */
export function zip(files: Record<string, string>): Buffer {
  const local: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(files)) {
    const data = Buffer.from(text);
    const fname = Buffer.from(name);
    const crc = crc32(data);
    const head = Buffer.alloc(30);
    head.writeUInt32LE(0x04034b50, 0);
    head.writeUInt16LE(20, 4);
    head.writeUInt32LE(crc, 14);
    head.writeUInt32LE(data.length, 18);
    head.writeUInt32LE(data.length, 22);
    head.writeUInt16LE(fname.length, 26);
    local.push(head, fname, data);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt32LE(crc, 16);
    dir.writeUInt32LE(data.length, 20);
    dir.writeUInt32LE(data.length, 24);
    dir.writeUInt16LE(fname.length, 28);
    dir.writeUInt32LE(offset, 42);
    central.push(dir, fname);
    offset += 30 + fname.length + data.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...local, cd, end]);
}
