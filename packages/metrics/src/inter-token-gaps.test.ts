import { describe, expect, it } from 'vitest';
import { chunkGaps } from './inter-token-gaps.js';

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
