// Node's parseArgs errors as one clear line each, with a "did you mean" for a mistyped flag. Applied where
// flags are parsed (flags.ts) and again to every UsageError main.ts prints, so commands that call parseArgs
// themselves get the same wording; a message that is not a parseArgs one is returned unchanged.
import { closest } from './did-you-mean.js';

/** The flags a usage text mentions (`--out`, `--no-files`, …), for suggestions. */
export function flagsInUsage(usage: string): string[] {
  return [...new Set(usage.match(/--[a-z0-9][a-z0-9-]*/g) ?? [])];
}

export function clarifyParseError(message: string, knownFlags: readonly string[]): string {
  const unknown = /^Unknown option '([^']+)'/.exec(message);
  if (unknown !== null) {
    const flag = unknown[1] as string;
    const name = flag.split('=')[0] as string;
    const guess = closest(name, knownFlags);
    return `unknown option '${flag}'${guess === undefined ? '' : ` (did you mean '${guess}'?)`}`;
  }
  const missing = /^Option '(?:-\w, )?(--[\w-]+) <value>' argument missing/.exec(message);
  if (missing !== null) return `${missing[1]} needs a value: ${missing[1]} <value>`;
  const ambiguous = /^Option '(--[\w-]+)' argument is ambiguous/.exec(message);
  if (ambiguous !== null) {
    const flag = ambiguous[1] as string;
    return `${flag} needs a value, but the next argument is a flag; for a value starting with '-' write ${flag}=<value>`;
  }
  const noValue = /^Option '(?:-\w, )?(--[\w-]+)' does not take an argument/.exec(message);
  if (noValue !== null) return `${noValue[1]} is a switch and takes no value: write ${noValue[1]} alone`;
  const positional = /^Unexpected argument '([^']*)'\. This command does not take positional arguments/.exec(message);
  if (positional !== null) return `unexpected argument '${positional[1]}': this command takes no positional arguments`;
  return message;
}
