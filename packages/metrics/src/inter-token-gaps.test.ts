import { describe, expect, it } from 'vitest';
import { appendChunkGaps, chunkGaps } from './inter-token-gaps.js';

describe('chunkGaps (per token, the router rule)', () => {
  const cases: [string, number | null, number, number, number[]][] = [
    ['first chunk of 1 token opens the series', null, 1, 1, []],
    ['first chunk of 3 tokens: 2 extra tokens with it (gap 0)', null, 1, 3, [0, 0]],
    ['1 token 0.1 s later', 1, 1.1, 1, [0.1]],
    ['2 tokens 0.4 s later: two gaps of 0.2', 1.1, 1.5, 2, [0.2, 0.2]],
  ];
  for (const [what, prev, at, k, want] of cases) {
    it(what, () => {
      const got = chunkGaps(prev, at, k);
      expect(got).toHaveLength(want.length);
      got.forEach((g, i) => {
        expect(g).toBeCloseTo(want[i] as number, 12);
      });
    });
  }
});

describe('appendChunkGaps (the same rule, appended in place)', () => {
  it('appends after what is there, one value per gap, and keeps the array', () => {
    const into = [9];
    const same = into;
    appendChunkGaps(into, null, 1, 3); // first chunk of 3 tokens: 2 extra tokens with it, gap 0 each
    appendChunkGaps(into, 1, 1.5, 2); // 2 tokens 0.5 s later: two gaps of 0.25 s
    appendChunkGaps(into, 1.5, 2, 1); // 1 token 0.5 s later: one gap of 0.5 s
    expect(into).toBe(same);
    expect(into).toEqual([9, 0, 0, 0.25, 0.25, 0.5]);
  });

  it('adds nothing for the first chunk of one token', () => {
    const into: number[] = [];
    appendChunkGaps(into, null, 4, 1);
    expect(into).toEqual([]);
  });
});

describe('chunkGaps with a count no array can hold', () => {
  // As before appendChunkGaps (new Array(NaN) and new Array(∞) threw RangeError): an error naming the count,
  // not an empty result (NaN) or a loop that never ends (∞).
  for (const numTokens of [Number.NaN, Number.POSITIVE_INFINITY, 2 ** 32]) {
    it(`refuses numTokens ${numTokens} with a RangeError naming it, and appends nothing`, () => {
      const into = [1];
      expect(() => appendChunkGaps(into, null, 1, numTokens)).toThrow(RangeError);
      expect(() => appendChunkGaps(into, 0, 1, numTokens)).toThrow(/numTokens must be a finite count below 2\^32/);
      expect(() => chunkGaps(0, 1, numTokens)).toThrow(String(numTokens));
      expect(into).toEqual([1]);
    });
  }
});
