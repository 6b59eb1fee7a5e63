import { describe, expect, it } from 'vitest';
import { drawSeed, sampleToken, samplingFromProto, workerSampler } from './sampler.js';

// 50 logits with a clear argmax at id 7 and a smooth tail, so temperature sampling spreads widely.
const LOGITS = Float32Array.from({ length: 50 }, (_, i) => (i === 7 ? 3 : Math.sin(i)));

describe('sampling is a function of (seed, generation index)', () => {
  it('greedy is argmax whatever the seed and index', () => {
    for (const seed of [0, 1, 2 ** 40]) {
      expect(sampleToken(LOGITS, { temperature: 0, seed }, 0)).toBe(7);
      expect(sampleToken(LOGITS, { temperature: 0, seed }, 99)).toBe(7);
    }
  });

  it('a draw depends only on (seed, index), not on the draws before it', () => {
    const p = { temperature: 1.5, seed: 42 };
    const inOrder = [0, 1, 2, 3, 4, 5].map((i) => sampleToken(LOGITS, p, i));
    // A decode worker that starts at index 1 (index 0 was sampled by a prefill worker) and a
    // process that samples in reverse both reproduce the same tokens.
    const fromOne = [1, 2, 3, 4, 5].map((i) => sampleToken(LOGITS, p, i));
    const reversed = [5, 4, 3, 2, 1, 0].map((i) => sampleToken(LOGITS, p, i)).reverse();
    expect(fromOne).toEqual(inOrder.slice(1));
    expect(reversed).toEqual(inOrder);
    expect(workerSampler(LOGITS, p, 'any-seq', 3)).toBe(inOrder[3]);
  });

  it('different seeds and different indices give different streams', () => {
    const draws = (seed: number) =>
      Array.from({ length: 40 }, (_, i) => sampleToken(LOGITS, { temperature: 2, seed }, i));
    expect(draws(1)).toEqual(draws(1));
    expect(draws(1)).not.toEqual(draws(2));
    // 40 draws over a flat-ish 50-way distribution are not all one token.
    expect(new Set(draws(1)).size).toBeGreaterThan(5);
  });

  it('seeds above 2^32 are not truncated to their low 32 bits', () => {
    expect(drawSeed(5, 0)).not.toBe(drawSeed(5 + 2 ** 32, 0));
    expect(drawSeed(5, 0)).not.toBe(drawSeed(5, 1));
  });

  it('top-k 1 and a tiny top-p both collapse to the argmax', () => {
    expect(sampleToken(LOGITS, { temperature: 5, seed: 3, topK: 1 }, 0)).toBe(7);
    for (let i = 0; i < 20; i++) expect(sampleToken(LOGITS, { temperature: 5, seed: 3, topP: 1e-6 }, i)).toBe(7);
  });

  it('top-p keeps the smallest set reaching the mass', () => {
    // Logits [ln 6, ln 3, ln 1] at T = 1: probabilities 0.6, 0.3, 0.1. top-p 0.8 keeps {0, 1}
    // (0.6 < 0.8 ≤ 0.9), so id 2 never appears; both kept ids do over 200 draws.
    const logits = Float32Array.from([Math.log(6), Math.log(3), 0]);
    const seen = new Set(
      Array.from({ length: 200 }, (_, i) => sampleToken(logits, { temperature: 1, seed: 9, topP: 0.8 }, i)),
    );
    expect([...seen].sort()).toEqual([0, 1]);
  });
});

describe('samplingFromProto', () => {
  it.each([
    [
      { temperature: 0, topK: 0, topP: 0, seed: 0 },
      { temperature: 0, seed: 0 },
    ],
    [
      { temperature: 0.7, topK: 40, topP: 0.9, seed: 12 },
      { temperature: 0.7, seed: 12, topK: 40, topP: 0.9 },
    ],
    [
      { temperature: 1, topP: 1, seed: 1 },
      { temperature: 1, seed: 1 },
    ],
    [{}, { temperature: 0, seed: 0 }],
  ])('%j → %j', (proto, expected) => {
    expect(samplingFromProto(proto)).toEqual(expected);
  });
});
