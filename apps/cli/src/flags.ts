// Flag parsing shared by the commands: node:util parseArgs with its errors as one clear UsageError line
// (exit 2 with the usage hint; a mistyped flag gets "did you mean"), and integer flags with one wording
// everywhere ("--x must be an integer ≥ 1, got 'y'").
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from './command.js';
import { clarifyParseError } from './usage-message.js';

/** parseArgs, with an unknown or malformed flag thrown as UsageError. */
export function parseFlags<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (err) {
    const known = Object.keys(config.options ?? {}).map((name) => `--${name}`);
    throw new UsageError(clarifyParseError((err as Error).message, known));
  }
}

/**
 * A decimal integer ≥ min, written as digits (`4096`, `-3`) or with an exponent (`1e6`). `min` at or below
 * Number.MIN_SAFE_INTEGER means any integer; `alternative` is appended to the rule in the message.
 */
export function integerFlag(text: string, flag: string, min: number, alternative = ''): number {
  const trimmed = text.trim();
  const value = /^-?\d+(?:[eE]\+?\d+)?$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min) {
    const rule = min <= Number.MIN_SAFE_INTEGER ? 'an integer' : `an integer ≥ ${min}`;
    throw new UsageError(`${flag} must be ${rule}${alternative ? ` ${alternative}` : ''}, got '${text}'`);
  }
  return value;
}

/** integerFlag for a flag that may be absent (`fallback` then). */
export function optionalIntegerFlag(text: string | undefined, flag: string, min: number, fallback: number): number {
  return text === undefined ? fallback : integerFlag(text, flag, min);
}

/** A finite decimal number > 0 (`0.019`, `2`, `1e-2`), as for scale factors. */
export function positiveNumberFlag(text: string, flag: string): number {
  const trimmed = text.trim();
  const value = /^[+]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!(Number.isFinite(value) && value > 0)) throw new UsageError(`${flag} must be a number > 0, got '${text}'`);
  return value;
}
