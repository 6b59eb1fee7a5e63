import { tokensForHashId } from '@oicf/kv';
import { describe, expect, it } from 'vitest';
import { promptTokenIds } from './prompt-tokens.js';

const mooncake = (requestId: string, inputTokens: number, blockHashes: (number | string)[]) => ({
  requestId,
  arrivalSeconds: 0,
  inputTokens,
  outputTokens: 1,
  blockHashes,
  blockTokens: 512,
});

describe('promptTokenIds', () => {
  it('concatenates the synthetic runs of the block ids, cut to the input length', () => {
    // 1100 tokens over ids [0, 5, 9]: 512 + 512 + the first 76 of id 9's run.
    const got = promptTokenIds(mooncake('r', 1100, [0, 5, 9]));
    expect(got).toHaveLength(1100);
    expect(got.slice(0, 512)).toEqual([...tokensForHashId(0, 512)]);
    expect(got.slice(512, 1024)).toEqual([...tokensForHashId(5, 512)]);
    expect(got.slice(1024)).toEqual([...tokensForHashId(9, 512).subarray(0, 76)]);
    expect(got.every((t) => Number.isInteger(t) && t >= 0 && t <= 255)).toBe(true);
  });

  it('requests sharing leading ids share exactly those tokens', () => {
    const a = promptTokenIds(mooncake('a', 1024, [0, 1]));
    const b = promptTokenIds(mooncake('b', 1024, [0, 2]));
    expect(b.slice(0, 512)).toEqual(a.slice(0, 512));
    expect(b.slice(512)).not.toEqual(a.slice(512));
  });

  it('requests without block ids share nothing, and are deterministic', () => {
    const a = { requestId: 'req-0', arrivalSeconds: 0, inputTokens: 600, outputTokens: 1 };
    const b = { ...a, requestId: 'req-1' };
    expect(promptTokenIds(a)).toEqual(promptTokenIds(a));
    expect(promptTokenIds(a)).toHaveLength(600);
    // The first 64-token block already differs, so no prefix cache can match them.
    expect(promptTokenIds(a).slice(0, 64)).not.toEqual(promptTokenIds(b).slice(0, 64));
  });
});
