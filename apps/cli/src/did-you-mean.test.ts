import { describe, expect, it } from 'vitest';
import { closest, editDistance } from './did-you-mean.js';
import { clarifyParseError, flagsInUsage } from './usage-message.js';

describe('editDistance', () => {
  it.each([
    ['cluster', 'cluster', 0],
    ['clustr', 'cluster', 1], // one deletion
    ['anlayze', 'analyze', 1], // one adjacent transposition
    ['kitten', 'sitting', 3], // the textbook example: k→s, e→i, +g
    ['', 'abc', 3],
  ])('%s → %s: %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });
});

describe('closest', () => {
  it.each([
    ['analyse', ['analyze', 'roofline', 'replay'], 'analyze'],
    ['--jsn', ['--json', '--out'], '--json'],
    ['--contxt', ['--contexts', '--batches'], '--contexts'],
    // Too far to be a typo: no suggestion.
    ['frobnicate', ['analyze', 'roofline', 'replay'], undefined],
    ['xyz', ['up', 'down'], undefined],
  ])('%s → %s', (word, candidates, guess) => {
    expect(closest(word, candidates)).toBe(guess);
  });
});

describe('clarifyParseError', () => {
  const flags = ['--out', '--json', '--quick'];
  it.each([
    ["Unknown option '--jsno'", "unknown option '--jsno' (did you mean '--json'?)"],
    ["Unknown option '--zzzzzz'", "unknown option '--zzzzzz'"],
    [
      "Unknown option '--qiuck'. To specify a positional argument starting with a '-', place it at the end of the command after '--', as in '-- \"--qiuck\"",
      "unknown option '--qiuck' (did you mean '--quick'?)",
    ],
    ["Option '--out <value>' argument missing", '--out needs a value: --out <value>'],
    ["Option '-o, --out <value>' argument missing", '--out needs a value: --out <value>'],
    [
      "Option '--out' argument is ambiguous.\nDid you forget to specify the option argument for '--out'?\nTo specify an option argument starting with a dash use '--out=-XYZ'.",
      "--out needs a value, but the next argument is a flag; for a value starting with '-' write --out=<value>",
    ],
    ["Option '--json' does not take an argument", '--json is a switch and takes no value: write --json alone'],
    [
      "Unexpected argument 'x'. This command does not take positional arguments",
      "unexpected argument 'x': this command takes no positional arguments",
    ],
    ['--runs must be an integer ≥ 1, got 0', '--runs must be an integer ≥ 1, got 0'],
  ])('%j', (raw, clear) => {
    expect(clarifyParseError(raw, flags)).toBe(clear);
    expect(clear).not.toContain('\n');
  });

  it('finds the flags a usage text mentions', () => {
    expect(flagsInUsage('Usage: oicf x [--out DIR] [--no-files]\n  --out DIR  where\n')).toEqual([
      '--out',
      '--no-files',
    ]);
  });
});
