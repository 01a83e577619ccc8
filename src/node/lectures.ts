// The zero-to-hero lecture notebooks shipped in the package (lectures/, MIT, with their licence notices) and
// makemore's names.txt beside them: `notebook --lecture part4` runs one without a download.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The short names `--lecture` takes, in the series' order, and their files in lectures/. */
export const LECTURES: ReadonlyArray<{ name: string; file: string; title: string; names: boolean }> = [
  { name: 'micrograd1', file: 'micrograd_lecture_first_half_roughly.ipynb', title: 'micrograd, first half', names: false },
  { name: 'micrograd2', file: 'micrograd_lecture_second_half_roughly.ipynb', title: 'micrograd, second half', names: false },
  { name: 'part1', file: 'makemore_part1_bigrams.ipynb', title: 'makemore 1: bigrams', names: true },
  { name: 'part2', file: 'makemore_part2_mlp.ipynb', title: 'makemore 2: MLP', names: true },
  { name: 'part3', file: 'makemore_part3_bn.ipynb', title: 'makemore 3: activations, gradients, batchnorm', names: true },
  { name: 'part4', file: 'makemore_part4_backprop.ipynb', title: 'makemore 4: becoming a backprop ninja', names: true },
  { name: 'part5', file: 'makemore_part5_cnn1.ipynb', title: 'makemore 5: a WaveNet', names: true },
];

/** The package's lectures/ folder (dist/src/node/lectures.js is three levels below the package root). */
export function lecturesDir(): string {
  return fileURLToPath(new URL('../../../lectures/', import.meta.url));
}

/** lectures/names.txt, when the package has it. */
export function shippedNamesTxt(): string | undefined {
  const p = join(lecturesDir(), 'names.txt');
  return existsSync(p) ? p : undefined;
}

/** The listing `--lecture` alone prints, and a bad name's error carries. */
export function lectureList(): string {
  return LECTURES.map((l) => `  ${l.name.padEnd(11)} ${l.title} (${l.file})`).join('\n');
}
