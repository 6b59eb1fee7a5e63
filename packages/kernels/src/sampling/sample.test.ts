import { describe, expect, it } from 'vitest';
import { argmax, SampleRng, sample } from './sample.js';

describe('sampling', () => {
  it('greedy picks the largest logit, the lowest id on ties', () => {
    expect(argmax([0.1, 3, -1, 3])).toBe(1);
    expect(sample(Float32Array.from([0, 0, 5, 1]))).toBe(2);
    expect(sample([0, 9, 2], { temperature: 1, topK: 1 }, new SampleRng(1))).toBe(1);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const logits = Array.from({ length: 50 }, (_, i) => Math.sin(i));
    const draw = (seed: number) => {
      const rng = new SampleRng(seed);
      return Array.from({ length: 30 }, () => sample(logits, { temperature: 1.5 }, rng));
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it('follows softmax(logits / T)', () => {
    // Logits [ln 3, 0] at T = 1 → probabilities 3/4 and 1/4. 4000 seeded draws: the count of
    // id 0 has mean 3000 and standard deviation √(4000·¾·¼) ≈ 27; allow ±5σ.
    const rng = new SampleRng(7);
    let zeros = 0;
    for (let i = 0; i < 4000; i++) if (sample([Math.log(3), 0], { temperature: 1 }, rng) === 0) zeros++;
    expect(Math.abs(zeros - 3000)).toBeLessThan(5 * 27);
  });

  it('top-k never returns an id outside the k largest', () => {
    const rng = new SampleRng(3);
    const logits = [5, 4, 3, 2, 1, 0];
    for (let i = 0; i < 500; i++) expect(sample(logits, { temperature: 100, topK: 2 }, rng)).toBeLessThan(2);
  });

  it('rejects bad options', () => {
    expect(() => sample([1, 2], { temperature: -1 })).toThrow(/temperature must be ≥ 0/);
    expect(() => sample([1, 2], { topK: 3 })).toThrow(/topK must be an integer in \[1, 2\]/);
    expect(() => sample([1, 2], { temperature: 1 })).toThrow(/needs a SampleRng/);
  });
});
