// The folder tree is the architecture (docs/architecture.md, Layout): src/core's rooms in order, each importing only from
// the rooms before it, and the core importing nothing of Node (the browser runs the same code).

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { test } from 'node:test';
import { REPO } from '../helpers.js';

const ROOMS = ['errors', 'random', 'numpy', 'reference', 'wasm', 'torch', 'judge', 'fast', 'run', 'lab'];
const CORE = join(REPO, 'src', 'core');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? tsFiles(p) : n.endsWith('.ts') ? [p] : [];
  });
}

const roomOf = (file: string): string => {
  const first = relative(CORE, file).split(sep)[0];
  return first.startsWith('errors') ? 'errors' : first;
};

test('src/core: every import points to the same room or one before it, and none reaches Node', () => {
  const files = tsFiles(CORE);
  let imports = 0;
  const bad: string[] = [];
  for (const f of files) {
    const room = roomOf(f);
    assert.ok(ROOMS.includes(room), `${relative(REPO, f)} is in no room (${ROOMS.join(', ')})`);
    for (const m of readFileSync(f, 'utf8').matchAll(/from '([^']+)'/g)) {
      const spec = m[1];
      if (spec.startsWith('node:')) bad.push(`${relative(REPO, f)} imports ${spec}: the core does no I/O`);
      if (!spec.startsWith('.')) continue;
      imports++;
      const target = normalize(join(dirname(f), spec));
      if (!target.startsWith(CORE + sep)) {
        bad.push(`${relative(REPO, f)} imports ${spec}, outside src/core`);
        continue;
      }
      const to = roomOf(target);
      if (ROOMS.indexOf(to) > ROOMS.indexOf(room)) bad.push(`${relative(REPO, f)} (${room}) imports ${spec} (${to}): an import running back up`);
    }
  }
  assert.deepEqual(bad, []);
  assert.ok(files.length > 40 && imports > 100, `read ${files.length} files, ${imports} imports`);
});

test('src/core/torch: no import cycle (type-only imports aside): kernels below ops, ops below the op set, the engine above', () => {
  const dir = join(CORE, 'torch');
  const files = tsFiles(dir);
  // runtime imports only: `import type` and `export type` are erased and may point anywhere
  const deps = new Map<string, string[]>();
  for (const f of files) {
    const src = readFileSync(f, 'utf8');
    const out: string[] = [];
    for (const m of src.matchAll(/^(import|export)\s+(type\s+)?[^;]*?from '([^']+)'/gms)) {
      if (m[2] !== undefined || !m[3].startsWith('.')) continue;
      const target = normalize(join(dirname(f), m[3])).replace(/\.js$/, '.ts');
      if (target.startsWith(dir + sep)) out.push(target);
    }
    deps.set(f, out);
  }
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[] = [];
  const visit = (f: string, path: string[]): void => {
    const s = state.get(f);
    if (s === 'done') return;
    if (s === 'open') {
      cycles.push([...path.slice(path.indexOf(f)), f].map((p) => relative(dir, p)).join(' -> '));
      return;
    }
    state.set(f, 'open');
    for (const d of deps.get(f) ?? []) visit(d, [...path, f]);
    state.set(f, 'done');
  };
  for (const f of files) visit(f, []);
  assert.deepEqual(cycles, []);
  assert.ok(files.length > 15, `read ${files.length} files`);
});
