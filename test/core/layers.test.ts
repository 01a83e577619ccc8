// The folder tree is the architecture (docs/architecture.md, Layout): src/core's rooms in order, each importing only from
// the rooms before it, and the core importing nothing of Node (the browser runs the same code).

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { test } from 'node:test';
import { REPO } from '../helpers.js';

const ROOMS = ['errors', 'random', 'reference', 'wasm', 'torch', 'judge', 'fast', 'run', 'lab'];
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
