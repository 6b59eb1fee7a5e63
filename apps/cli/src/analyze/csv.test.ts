import { describe, expect, it } from 'vitest';
import { toCsv } from './csv.js';

describe('toCsv', () => {
  it.each([
    [['plain', 1.5, true], 'plain,1.5,true'],
    [['a,b', 'say "hi"', 'two\nlines'], '"a,b","say ""hi""","two\nlines"'],
    [[null, undefined, Number.NaN, Number.POSITIVE_INFINITY, 0], ',,,,0'],
    // Full precision, no grouping or rounding.
    [[149_743_468_544, 1.0669397400036447], '149743468544,1.0669397400036447'],
  ])('%j → %s', (row, line) => {
    expect(toCsv(['h'], [row])).toBe(`h\n${line}\n`);
  });
});
