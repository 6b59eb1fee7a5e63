import { describe, expect, it } from 'vitest';
import { expectedDistinctExperts, expertsReadPerLayer } from './moe.js';

describe('expectedDistinctExperts', () => {
  it.each([
    // E·(1 − (1 − k/E)^T)
    [8, 2, 0, 0],
    [8, 2, 1, 2], // 8·(1 − 3/4) = 2
    [8, 2, 2, 3.5], // 8·(1 − 9/16) = 3.5
    [8, 2, 3, 4.625], // 8·(1 − 27/64) = 4.625
    [256, 8, 1, 8], // one token touches exactly its top-8
  ])('E=%i k=%i T=%i → %d', (experts, k, tokens, expected) => {
    expect(expectedDistinctExperts(experts, k, tokens)).toBeCloseTo(expected, 12);
  });

  it('tends to E for many tokens', () => {
    // 8·(1 − 0.75^100) = 8 − 8·3.2e-13
    expect(expectedDistinctExperts(8, 2, 100)).toBeCloseTo(8, 10);
  });

  it('rejects topK > numExperts', () => {
    expect(() => expectedDistinctExperts(8, 9, 1)).toThrow(/topK/);
  });
});

describe('expertsReadPerLayer', () => {
  const moe = {
    numExperts: 8,
    topK: 2,
    expertIntermediateSize: 1,
    numSharedExperts: 0,
    sharedExpertIntermediateSize: 0,
    numDenseLayers: 0,
  };
  it.each([
    ['all-experts', 4, 8],
    ['expected-distinct', 2, 3.5],
    ['top-k', 4, 2],
    ['all-experts', 0, 0],
  ] as const)('%s with %i tokens → %d', (mode, tokens, expected) => {
    expect(expertsReadPerLayer(moe, tokens, mode)).toBeCloseTo(expected, 12);
  });
});
