// Makes the CLI that tsc just wrote executable. npm marks a package's bin executable when it links it, but in
// a fresh clone the bin (dist/src/node/cli.js) only exists after `prepare` has built it, and tsc writes files
// 0644: without this, `npx backprop-ninja` in a fresh clone is "Permission denied".

import { chmodSync, readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
for (const bin of Object.values(pkg.bin ?? {})) chmodSync(new URL(`../${bin}`, import.meta.url), 0o755);
