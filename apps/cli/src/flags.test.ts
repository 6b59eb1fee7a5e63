import { describe, expect, it } from 'vitest';
import { UsageError } from './command.js';
import { integerFlag, optionalIntegerFlag, parseFlags } from './flags.js';

describe('integerFlag', () => {
  it.each([
    ['4096', 1, 4096],
    [' 1e6 ', 1, 1_000_000],
    ['-3', Number.MIN_SAFE_INTEGER, -3],
    ['0', 0, 0],
  ])('%s (min %s) → %s', (text, min, value) => {
    expect(integerFlag(text, '--n', min)).toBe(value);
  });

  it.each([
    ['1.5', 1, "--n must be an integer ≥ 1, got '1.5'"],
    ['0', 1, "--n must be an integer ≥ 1, got '0'"],
    ['-4', 1, "--n must be an integer ≥ 1, got '-4'"],
    ['x', Number.MIN_SAFE_INTEGER, "--n must be an integer, got 'x'"],
    // 2^53 is past Number.MAX_SAFE_INTEGER = 2^53 − 1.
    ['9007199254740992', 1, "--n must be an integer ≥ 1, got '9007199254740992'"],
  ])('refuses %s (min %s)', (text, min, message) => {
    expect(() => integerFlag(text, '--n', min)).toThrow(new UsageError(message));
  });

  it('falls back when the flag is absent', () => {
    expect(optionalIntegerFlag(undefined, '--n', 1, 7)).toBe(7);
    expect(optionalIntegerFlag('8', '--n', 1, 7)).toBe(8);
  });
});

describe('parseFlags', () => {
  it('turns parseArgs errors into UsageError', () => {
    expect(() => parseFlags({ args: ['--nope'], options: {}, strict: true })).toThrow(UsageError);
    expect(parseFlags({ args: ['--n', '2'], options: { n: { type: 'string' } } }).values.n).toBe('2');
  });

  it('words them as one clear line, suggesting the closest flag of the command', () => {
    const options = { runs: { type: 'string' }, json: { type: 'boolean' } } as const;
    expect(() => parseFlags({ args: ['--rusn', '2'], options, strict: true })).toThrow(
      new UsageError("unknown option '--rusn' (did you mean '--runs'?)"),
    );
    expect(() => parseFlags({ args: ['--json=yes'], options, strict: true })).toThrow(
      new UsageError('--json is a switch and takes no value: write --json alone'),
    );
  });
});
