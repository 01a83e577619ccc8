// A small, strict flag parser: every flag is declared, values are typed and range-checked by the caller,
// and an unknown flag is one clear line that suggests the nearest known one.

import { UserError } from '../core/errors.js';

export type FlagType = 'string' | 'int' | 'number' | 'boolean';

export interface FlagSpec {
  /** long name, kebab-case: 'input-file' is --input-file and args.inputFile */
  name: string;
  short?: string;
  type: FlagType;
  help: string;
  default?: string | number | boolean;
  choices?: readonly string[];
  /** an 'int' written in digits only: a seed names a stream, it is not a size (1e3 is refused, not read as 1000) */
  digits?: boolean;
  /** a 'string' flag that may be given bare (`--lecture` alone): its value is then '' */
  bare?: boolean;
}

export type Args = Record<string, string | number | boolean | undefined>;

/** A decimal number as a person writes it: 42, -3, 0.5, .5, 1e-3, 2E5. Not 0x10, 0b11, Infinity, 1_000. */
const NUMBER = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;

export function camel(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

function levenshtein(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length][b.length];
}

/** The closest of `options` to `word`, if it is close enough to be a plausible typo. */
export function nearest(word: string, options: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const o of options) {
    const dist = o.startsWith(word) || word.startsWith(o) ? Math.abs(o.length - word.length) * 0.5 : levenshtein(word, o);
    if (dist < bestD) {
      bestD = dist;
      best = o;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/**
 * Parses argv against the declared flags. `positional` names the one bare argument a command takes (e.g.
 * 'file' for `notebook FILE`): it lands in args[positional]; commands without one refuse bare arguments.
 */
export function parseArgs(argv: readonly string[], specs: readonly FlagSpec[], command: string, positional?: string): Args {
  const args: Args = {};
  for (const s of specs) args[camel(s.name)] = s.default;
  const byLong = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short !== undefined).map((s) => [s.short!, s]));
  for (let i = 0; i < argv.length; i++) {
    const tok = argv[i];
    let spec: FlagSpec | undefined;
    let inline: string | undefined;
    if (tok.startsWith('--')) {
      const eq = tok.indexOf('=');
      const name = eq >= 0 ? tok.slice(2, eq) : tok.slice(2);
      inline = eq >= 0 ? tok.slice(eq + 1) : undefined;
      spec = byLong.get(name);
      if (spec === undefined) {
        const near = nearest(name, [...byLong.keys()]);
        throw new UserError(
          `unknown flag --${name} for '${command}'${near ? `; did you mean --${near}?` : ''} (see: backprop-ninja ${command} --help)`,
        );
      }
    } else if (tok.startsWith('-') && tok.length > 1 && Number.isNaN(Number(tok))) {
      spec = byShort.get(tok.slice(1));
      if (spec === undefined) throw new UserError(`unknown flag ${tok} for '${command}' (see: backprop-ninja ${command} --help)`);
    } else if (positional !== undefined && args[positional] === undefined) {
      args[positional] = tok;
      continue;
    } else {
      throw new UserError(`unexpected argument '${tok}' for '${command}': flags start with -- (see: backprop-ninja ${command} --help)`);
    }
    const flag = `--${spec.name}`;
    if (spec.type === 'boolean') {
      if (inline !== undefined) throw new UserError(`${flag} takes no value`);
      args[camel(spec.name)] = true;
      continue;
    }
    if (spec.bare === true && inline === undefined && (argv[i + 1] === undefined || argv[i + 1].startsWith('-'))) {
      args[camel(spec.name)] = '';
      continue;
    }
    const raw = inline ?? argv[++i];
    if (raw === undefined) throw new UserError(`${flag} needs a value`);
    // `-o --resume` would make a directory named --resume: a value that looks like a flag must be given
    // as --flag=VALUE (a negative number is a value)
    if (inline === undefined && raw.startsWith('-') && raw.length > 1 && !NUMBER.test(raw)) {
      throw new UserError(`${flag} needs a value, got the flag '${raw}' (to pass it as the value, write ${flag}=${raw})`);
    }
    if (spec.type === 'string') {
      if (spec.choices && !spec.choices.includes(raw)) {
        throw new UserError(`${flag} must be one of ${spec.choices.join(', ')}, got '${raw}'`);
      }
      args[camel(spec.name)] = raw;
    } else {
      // decimal only: Number() would also take 0x10, 0b11, 0o7, '' and ' 5 '
      const v = NUMBER.test(raw) ? Number(raw) : NaN;
      if (!Number.isFinite(v)) throw new UserError(`${flag} must be a number, got '${raw.slice(0, 40)}'`);
      if (spec.type === 'int') {
        if (!Number.isInteger(v)) throw new UserError(`${flag} must be an integer, got '${raw}'`);
        if (spec.digits === true && !/^[+-]?[0-9]+$/.test(raw)) throw new UserError(`${flag} must be an integer written in digits, got '${raw}'`);
        // past 2^53 a double cannot hold every integer: 9007199254740993 would silently become ...992
        if (!Number.isSafeInteger(v)) throw new UserError(`${flag} must be an integer below 2^53 (9007199254740992) in size, got '${raw}'`);
      }
      args[camel(spec.name)] = v;
    }
  }
  return args;
}

export function formatHelp(command: string, summary: string, specs: readonly FlagSpec[], positional?: string): string {
  const lines = [`usage: backprop-ninja ${command}${positional ? ` ${positional.toUpperCase()}` : ''} [flags]`, '', summary, '', 'flags:'];
  for (const s of specs) {
    const names = `${s.short ? `-${s.short}, ` : '    '}--${s.name}${s.type === 'boolean' ? '' : ` <${s.choices ? s.choices.join('|') : s.type}>`}`;
    const def = s.default !== undefined && s.type !== 'boolean' ? ` (default: ${s.default})` : '';
    lines.push(`  ${names.padEnd(34)} ${s.help}${def}`);
  }
  return lines.join('\n');
}

/** Range checks shared by the commands: one clear line naming the flag. */
export function requireInt(args: Args, name: string, min: number): number {
  const v = args[camel(name)];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new UserError(`--${name} must be an integer >= ${min}, got ${v}`);
  }
  return v;
}
