import { describe, expect, it } from 'vitest';
import { spreadLabels } from './label-spread.js';

describe('spreadLabels', () => {
  it.each([
    // Downwards (+13): 100 stays, 105 → 113, 140 is already 27 past 113.
    [[100, 105, 140], 13, [100, 113, 140]],
    // Upwards (−15), sorted bottom first: 200 stays, 195 → 185, 190 → 170.
    [[200, 195, 190], -15, [200, 185, 170]],
    [[], 13, []],
  ])('%j by %s → %j', (positions, gap, expected) => {
    const labels = positions.map((pos) => ({ pos }));
    spreadLabels(labels, gap);
    expect(labels.map((l) => l.pos)).toEqual(expected);
  });
});
