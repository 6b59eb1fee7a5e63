import { describe, expect, it } from 'vitest';
import { createPrng } from './prng.js';

describe('createPrng', () => {
  it('repeats per seed, differs across seeds, stays in [0, 1)', () => {
    const draw = (seed: number) => {
      const prng = createPrng(seed);
      return Array.from({ length: 1000 }, () => prng.next());
    };
    expect(draw(1)).toEqual(draw(1));
    expect(draw(1)).not.toEqual(draw(2));
    for (const value of draw(3)) expect(value >= 0 && value < 1).toBe(true);
    // mean of 1000 uniforms: 0.5 ± 3σ with σ = sqrt(1/12/1000) ≈ 0.0091
    const mean = draw(4).reduce((a, b) => a + b, 0) / 1000;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.0274);
  });
});
