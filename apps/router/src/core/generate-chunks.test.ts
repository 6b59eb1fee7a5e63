import { describe, expect, it } from 'vitest';
import { finalChunk, tokensChunk } from './generate-chunks.js';
import type { OicfInfo } from './openai-format.js';

const routing = {
  requestId: 'r',
  policy: 'oicf-cost',
  reason: 'colocated',
  prefillWorkerId: null,
  decodeWorkerId: 'd0',
  numCachedTokens: 64,
  cacheSource: 'worker' as const,
  predictedTtftSeconds: 0.02,
};

describe('GenerateChunk bodies', () => {
  it('puts routing and TTFT on the first chunk only ("" for local prefill)', () => {
    expect(tokensChunk('r', [104], 'h', { routing, ttftSeconds: 0.03 })).toEqual({
      requestId: 'r',
      tokenIds: [104],
      text: 'h',
      routing: {
        prefillWorkerId: '',
        decodeWorkerId: 'd0',
        policy: 'oicf-cost',
        reason: 'colocated',
        numCachedTokens: 64,
        predictedTtftSeconds: 0.02,
      },
      ttftSeconds: 0.03,
    });
    expect(tokensChunk('r', [105], 'i', undefined)).toEqual({ requestId: 'r', tokenIds: [105], text: 'i' });
  });

  it('puts finish reason, usage and e2e on the last chunk', () => {
    const info = { e2e_seconds: 1.5 } as OicfInfo;
    expect(
      finalChunk('r', {
        finishReason: 'stop',
        text: '',
        numPromptTokens: 10,
        numCompletionTokens: 4,
        numCachedTokens: 8,
        info,
      }),
    ).toEqual({
      requestId: 'r',
      tokenIds: [],
      text: '',
      finishReason: 'FINISH_REASON_STOP',
      usage: { numPromptTokens: 10, numCompletionTokens: 4, numCachedPromptTokens: 8 },
      e2eSeconds: 1.5,
    });
  });
});
