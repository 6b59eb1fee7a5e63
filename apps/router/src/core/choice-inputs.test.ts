import { describe, expect, it } from 'vitest';
import { choiceInputs, choiceSeed } from './choice-inputs.js';
import { longestSequenceTokens, resolveMaxTokens } from './context-window.js';
import type { SamplingRequest } from './validate-sampling.js';

const sampling: SamplingRequest = {
  maxTokens: undefined,
  maxTokensParam: 'max_tokens',
  temperature: 0.8,
  topP: 1,
  topK: 0,
  seed: undefined,
  n: 1,
  stop: ['\n'],
  stopTokenIds: [257],
  numTopLogprobs: undefined,
};
const base = { promptTokenIds: [1, 2, 3], sampling, sessionId: 's', sessionTtlSeconds: 60 };

describe('the context limit', () => {
  it('is the largest decode worker’s stated limit, capped by its KV capacity in tokens', () => {
    // 4096 B/token: 1 MiB holds 256 tokens (< its stated 8192); 64 MiB holds 16384 (> 8192 → 8192).
    const workers = [
      { role: 'decode' as const, maxContextTokens: 8192, kvCapacityBytes: 1 << 20 },
      { role: 'both' as const, maxContextTokens: 8192, kvCapacityBytes: 64 << 20 },
      { role: 'prefill' as const, maxContextTokens: 100_000, kvCapacityBytes: 1 << 30 },
    ];
    expect(longestSequenceTokens(workers, 4096)).toBe(8192);
    expect(longestSequenceTokens(workers.slice(0, 1), 4096)).toBe(256);
    // A worker stating no limit (0) is bounded by its KV alone: 1 MiB / 4096 B = 256.
    expect(longestSequenceTokens([{ role: 'decode', maxContextTokens: 0, kvCapacityBytes: 1 << 20 }], 4096)).toBe(256);
    expect(longestSequenceTokens(workers.slice(2), 4096)).toBeUndefined();
  });

  it('max_tokens defaults to limit − prompt (vLLM), at least 1; a sent value is kept', () => {
    expect(resolveMaxTokens(undefined, 100, 8192)).toBe(8092);
    expect(resolveMaxTokens(undefined, 9000, 8192)).toBe(1);
    expect(resolveMaxTokens(7, 100, 8192)).toBe(7);
    expect(resolveMaxTokens(undefined, 5, undefined)).toBe(1);
  });
});

describe('choiceInputs', () => {
  it('one request of n = 1: context-limit max_tokens and a fresh random seed', () => {
    const inputs = choiceInputs(base, 'r', { longestSequenceTokens: 256, randomSeed: () => 1234 });
    expect(inputs).toEqual([
      {
        requestId: 'r',
        promptTokenIds: [1, 2, 3],
        maxTokens: 253, // 256 − 3 prompt tokens
        sampling: { temperature: 0.8, topP: 1, topK: 0, seed: 1234, stopTokenIds: [257] },
        sessionId: 's',
        sessionTtlSeconds: 60,
        stop: ['\n'],
      },
    ]);
  });

  it('n = 3 without a seed: three ids, each its own random seed', () => {
    let next = 10;
    const inputs = choiceInputs({ ...base, sampling: { ...sampling, n: 3, maxTokens: 5 } }, 'r', {
      longestSequenceTokens: 256,
      randomSeed: () => next++,
    });
    expect(inputs.map((i) => [i.requestId, i.sampling.seed, i.maxTokens])).toEqual([
      ['r', 10, 5],
      ['r-1', 11, 5],
      ['r-2', 12, 5],
    ]);
  });

  it('n = 3 with a seed: choice 0 keeps it (same as n = 1), the others derive distinct repeatable seeds', () => {
    const seeded = { ...base, sampling: { ...sampling, n: 3, seed: 42, numTopLogprobs: 2 } };
    const never = () => {
      throw new Error('a seeded request draws no random seed');
    };
    const a = choiceInputs(seeded, 'r', { longestSequenceTokens: 256, randomSeed: never });
    const b = choiceInputs(seeded, 'q', { longestSequenceTokens: 256, randomSeed: never });
    const seeds = a.map((i) => i.sampling.seed);
    expect(seeds[0]).toBe(42);
    expect(new Set(seeds).size).toBe(3);
    expect(b.map((i) => i.sampling.seed)).toEqual(seeds);
    expect(a[1]?.sampling.numTopLogprobs).toBe(2);
    expect(seeds.every((s) => Number.isSafeInteger(s) && s >= 0 && s < 2 ** 48)).toBe(true);
  });

  it('derived seeds differ across choices and across request seeds, including seeds above 2^32', () => {
    const seen = new Set<number>();
    for (const seed of [0, 1, 2 ** 32, 2 ** 32 + 1, 2 ** 52])
      for (let i = 1; i < 16; i++) seen.add(choiceSeed(seed, i));
    expect(seen.size).toBe(5 * 15);
  });
});
