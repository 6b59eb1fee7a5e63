import { describe, expect, it } from 'vitest';
import { type GenerateRequestLike, validateGenerate } from './validate-generate.js';

const limits = { maxPromptTokens: 4, defaultSessionTtlSeconds: 300 };
const base: GenerateRequestLike = {
  requestId: '',
  text: 'ab',
  prompt: 'text',
  maxTokens: 3,
  sampling: null,
  sessionId: '',
  sessionTtlSeconds: 0,
  stream: true,
};
const run = (over: Partial<GenerateRequestLike>) => validateGenerate({ ...base, ...over }, limits, () => 'assigned');

describe('validateGenerate', () => {
  it('fills proto3 zero values with the router defaults', () => {
    expect(run({})).toEqual({
      ok: true,
      value: {
        requestId: 'assigned',
        promptTokenIds: [97, 98],
        maxTokens: 3,
        // no sampling message: OpenAI defaults; EOS (257) is always a stop token here
        sampling: { temperature: 1, topP: 1, topK: 0, seed: 0, stopTokenIds: [257] },
        sessionId: '',
        sessionTtlSeconds: 300,
        stream: true,
      },
    });
  });

  it('keeps explicit values: a client request id, greedy sampling, top_p 0 read as 1, a TTL', () => {
    const r = run({
      requestId: 'mine',
      text: undefined,
      prompt: 'tokenIds',
      tokenIds: { ids: [1, 2, 3] },
      sampling: { temperature: 0, topP: 0, topK: 5, seed: 7, stopTokenIds: [10, 257] },
      sessionId: 's',
      sessionTtlSeconds: 9,
    });
    expect(r.ok && r.value).toMatchObject({
      requestId: 'mine',
      promptTokenIds: [1, 2, 3],
      sampling: { temperature: 0, topP: 1, topK: 5, seed: 7, stopTokenIds: [10, 257] },
      sessionTtlSeconds: 9,
    });
  });

  it.each([
    [{ text: undefined, prompt: undefined }, 'prompt', /set text or token_ids/],
    [{ text: 'abcde' }, 'prompt', /5 tokens; .* at most 4/],
    [{ text: undefined, prompt: 'tokenIds', tokenIds: { ids: [1, 300] } }, 'token_ids.ids[1]', /300 is outside/],
    [{ maxTokens: 0 }, 'max_tokens', /≥ 1, got 0/],
    [{ sampling: { temperature: -1, topP: 1, topK: 0, seed: 0, stopTokenIds: [] } }, 'sampling.temperature', /≥ 0/],
    [{ sessionTtlSeconds: -1 }, 'session_ttl_seconds', /≥ 0/],
  ] as const)('%j → INVALID_ARGUMENT at %s', (over, param, message) => {
    const r = run(over as Partial<GenerateRequestLike>);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.issue.param).toBe(param);
      expect(r.issue.message).toMatch(message);
    }
  });
});
