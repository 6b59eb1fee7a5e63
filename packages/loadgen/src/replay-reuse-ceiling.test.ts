import type { TraceRequest } from '@oicf/traces';
import { describe, expect, it } from 'vitest';
import { replayReuseCeiling } from './replay-reuse-ceiling.js';

const req = (requestId: string, arrivalSeconds: number, inputTokens: number, blockHashes?: number[]): TraceRequest => ({
  requestId,
  arrivalSeconds,
  inputTokens,
  outputTokens: 1,
  ...(blockHashes === undefined ? {} : { blockHashes, blockTokens: 8 }),
});

describe('replayReuseCeiling', () => {
  it('is the ceiling of the requests as sent, at the cluster block size', () => {
    // Trace blocks of 8 tokens, cluster blocks of 4. a: 16 tokens [1, 2] caches its 4 full 4-blocks.
    // b: 16 tokens [1, 3] reuses at most ⌊15 / 4⌋ = 3 blocks; (1, 3) and (1, 7) are cached, (3, 3) not → 8.
    // c: 13 tokens [1, 2(5)] reuses at most ⌊12 / 4⌋ = 3: (1, 3), (1, 7), (2, 3) → 12. 20 of 45.
    const got = replayReuseCeiling([req('a', 0, 16, [1, 2]), req('b', 1, 16, [1, 3]), req('c', 2, 13, [1, 2])], 4);
    expect(got).toEqual({ blockTokens: 4, numPromptTokens: 45, numServedTokens: 20, ratio: 20 / 45 });
  });

  it('is null for requests without prefix information', () => {
    expect(replayReuseCeiling([req('a', 0, 16), req('b', 1, 16)], 4)).toBeNull();
  });
});
