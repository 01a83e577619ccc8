// What every subcommand is, and the flags several of them share (names follow makemore.py).

import type { Args, FlagSpec } from './args.js';

export interface Command {
  name: string;
  /** the first lines of `<command> --help` */
  summary: string;
  /**
   * One whole sentence for the top-level `--help` list (default: the summary's first sentence); with its
   * indent it fits in 100 columns (test/cli/flags.test.ts).
   */
  brief?: string;
  flags: FlagSpec[];
  /** the name of the one bare argument the command takes (args[positional]), if any: `notebook FILE` */
  positional?: string;
  /** returns the exit code */
  run(args: Args): number | Promise<number>;
}

export const F = {
  input: { name: 'input-file', short: 'i', type: 'string', help: "names file, one name a line, or 'names' for the lecture's file in the cache (backprop-ninja data --download) (default: the embedded English first names)" },
  nEmbd: { name: 'n-embd', type: 'int', default: 10, help: 'embedding size E' },
  nHidden: (def: number): FlagSpec => ({ name: 'n-hidden', type: 'int', default: def, help: 'hidden layer size H' }),
  blockSize: { name: 'block-size', type: 'int', default: 3, help: 'context length T' },
  batchSize: { name: 'batch-size', short: 'b', type: 'int', default: 32, help: 'batch size (>= 2: batchnorm divides by n-1)' },
  seed: { name: 'seed', type: 'int', digits: true, default: 42, help: 'seed of the MT19937 generator (init, then batches)' },
  json: { name: 'json', type: 'boolean', help: 'print JSON instead of text' },
  dtype: { name: 'dtype', type: 'string', default: 'float32', choices: ['float32', 'float64'], help: 'float precision' },
  maxInput: { name: 'max-input-mb', type: 'int', default: 64, help: 'the largest names file to read, in MiB' },
  force: { name: 'force', type: 'boolean', help: 'replace --out if it exists' },
  help: { name: 'help', short: 'h', type: 'boolean', help: 'show this help' },
} satisfies Record<string, FlagSpec | ((d: number) => FlagSpec)>;
