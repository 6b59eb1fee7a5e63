import { chainBlockIds } from '@oicf/kv';
import type { DecodeRequest__Output } from '@oicf/proto';
import { describe, expect, it } from 'vitest';
import { checkPromptBlocks, validateDecodeRequest } from './decode-request.js';

const PROMPT = Array.from({ length: 40 }, (_, i) => i);
function req(over: Partial<DecodeRequest__Output> = {}): DecodeRequest__Output {
  return {
    requestId: 'r',
    promptTokenIds: PROMPT,
    promptBlocks: [],
    kvSources: [],
    numHandoffTokens: 0,
    firstTokenId: 0,
    maxTokens: 4,
    sampling: null,
    sessionId: '',
    sessionTtlSeconds: 0,
    kvWaitSeconds: 0,
    numAwaitPrefixTokens: 0,
    awaitPrefixRequestId: '',
    ...over,
  };
}

describe('validateDecodeRequest names the bad field', () => {
  it.each([
    [{ requestId: '' }, /request_id: must be 1–128 characters/],
    [{ promptTokenIds: [] }, /prompt_token_ids: the prompt is empty/],
    [{ promptTokenIds: [1, 259] }, /prompt_token_ids\[1\]: 259 is not a token id in \[0, 259\)/],
    [{ maxTokens: 0 }, /max_tokens: must be ≥ 1/],
    [{ maxTokens: 100 }, /prompt \(40\) \+ max_tokens \(100\) exceed this worker's 128-token/],
    [{ numHandoffTokens: 41 }, /num_handoff_tokens: 41 exceeds the prompt's 40 tokens/],
    [{ numHandoffTokens: 40, firstTokenId: 300 }, /first_token_id: 300/],
    [{ sampling: { temperature: -1, topP: 0, topK: 0, seed: 0, stopTokenIds: [] } }, /sampling.temperature/],
  ] as const)('%j', (over, message) => {
    expect(() => validateDecodeRequest(req(over as Partial<DecodeRequest__Output>), 259, 128)).toThrow(message);
  });

  it('accepts a well-formed request', () => {
    expect(() => validateDecodeRequest(req(), 259, 128)).not.toThrow();
  });
});

describe('checkPromptBlocks', () => {
  const ids = chainBlockIds(PROMPT, { blockTokens: 16 });
  const refs = ids.map((blockId, i) => ({
    blockId,
    firstToken: i * 16,
    numTokens: 16,
    tier: 'TIER_UNSPECIFIED' as const,
    sizeBytes: 0,
  }));
  it('passes the router’s blocks when both sides use the same blockTokens', () => {
    expect(() => checkPromptBlocks(req({ promptBlocks: refs }), 16)).not.toThrow();
  });
  it('refuses blocks chained with another blockTokens, naming the first bad one', () => {
    expect(() => checkPromptBlocks(req({ promptBlocks: refs }), 8)).toThrow(/prompt_blocks\[0\].*blockTokens 8/);
    const wrong = [refs[0], { ...refs[1], blockId: 'ff'.repeat(16) }] as typeof refs;
    expect(() => checkPromptBlocks(req({ promptBlocks: wrong }), 16)).toThrow(/prompt_blocks\[1\]/);
  });
});
