#!/usr/bin/env node
// backprop-ninja: the command line. Bad input is one line on stderr and a non-zero exit, never a stack.

import { readFileSync } from 'node:fs';
import { UserError } from '../core/errors.js';
import { formatHelp, nearest, parseArgs } from './args.js';
import { inputLimits } from './io.js';
import type { Command } from './command.js';
import { checkCommand } from './commands/check.js';
import { dataCommand } from './commands/data.js';
import { gradsCommand } from './commands/grads.js';
import { initCommand } from './commands/init.js';
import { notebookCommand } from './commands/notebook.js';
import { evalCommand } from './commands/eval.js';
import { sampleCommand } from './commands/sample.js';
import { trainCommand } from './commands/train.js';

export const COMMANDS: Command[] = [checkCommand, dataCommand, initCommand, gradsCommand, trainCommand, sampleCommand, evalCommand, notebookCommand];

/** The version in package.json (dist/src/node/cli.js is three levels below the package root). */
export function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The sentence a command is listed with: its brief, else its summary's first sentence (never cut mid-way). */
function brief(c: Command): string {
  if (c.brief !== undefined) return c.brief;
  const text = c.summary.replace(/\s*\n\s*/g, ' ');
  const end = /\.(\s|$)/.exec(text);
  return end === null ? text : text.slice(0, end.index + 1);
}

function usage(): string {
  const lines = [
    'usage: backprop-ninja <command> [flags]',
    '',
    'A character-level MLP whose backward pass is written by hand (makemore part 4).',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(8)} ${brief(c)}`),
    '',
    "run 'backprop-ninja <command> --help' for its flags; 'backprop-ninja --version' (-V) prints the version",
  ];
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V') {
    console.log(`backprop-ninja ${version()}`);
    return 0;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (cmd === undefined) {
    const near = nearest(name, COMMANDS.map((c) => c.name));
    throw new UserError(`unknown command '${name}'${near ? `; did you mean '${near}'?` : ''} (commands: ${COMMANDS.map((c) => c.name).join(', ')})`);
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(formatHelp(cmd.name, cmd.summary, cmd.flags, cmd.positional));
    return 0;
  }
  const args = parseArgs(rest, cmd.flags, cmd.name, cmd.positional);
  if (args.maxInputMb !== undefined) {
    const mb = args.maxInputMb as number;
    if (!(mb >= 1 && mb <= 1024 * 1024)) throw new UserError(`--max-input-mb must be an integer in [1, 1048576], got ${mb}`);
    inputLimits.namesBytes = mb * 1024 * 1024;
  }
  return cmd.run(args);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (e instanceof UserError) {
      process.stderr.write(`backprop-ninja: error: ${e.message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`backprop-ninja: internal error: ${(e as Error).message ?? String(e)}\n`);
      if (process.env.BACKPROP_NINJA_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
      else process.stderr.write('(this is a bug; rerun with BACKPROP_NINJA_DEBUG=1 for the stack trace and report it)\n');
      process.exitCode = 70;
    }
  },
);
