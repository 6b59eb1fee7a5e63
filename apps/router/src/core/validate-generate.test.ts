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
        stream: true,
        base: {
          promptTokenIds: [97, 98],
          // no sampling message: OpenAI defaults (seed: a random one per request at admission); EOS (257)
          // is always a stop token here
          sampling: {
            maxTokens: 3,
            maxTokensParam: 'max_tokens',
            temperature: 1,
            topP: 1,
            topK: 0,
            seed: undefined,
            n: 1,
            stop: [],
            stopTokenIds: [257],
            numTopLogprobs: undefined,
          },
          sessionId: '',
          sessionTtlSeconds: 300,
        },
      },
    });
  });

  it('keeps explicit values: a client request id, greedy sampling, top_p 0 read as 1, a TTL, stop strings, logprobs', () => {
    const r = run({
      requestId: 'mine',
      text: undefined,
      prompt: 'tokenIds',
      tokenIds: { ids: [1, 2, 3] },
      sampling: {
        temperature: 0,
        topP: 0,
        topK: 5,
        seed: 7,
        stopTokenIds: [10, 257],
        logprobs: true,
        numTopLogprobs: 2,
      },
      sessionId: 's',
      sessionTtlSeconds: 9,
      stop: ['##'],
    });
    expect(r.ok && r.value).toMatchObject({
      requestId: 'mine',
      base: {
        promptTokenIds: [1, 2, 3],
        sampling: {
          temperature: 0,
          topP: 1,
          topK: 5,
          seed: 7,
          stopTokenIds: [10, 257],
          stop: ['##'],
          numTopLogprobs: 2,
        },
        sessionTtlSeconds: 9,
      },
    });
  });

  it('max_tokens 0 means up to the context limit (resolved at admission)', () => {
    const r = run({ maxTokens: 0 });
    expect(r.ok && r.value.base.sampling.maxTokens).toBeUndefined();
  });

  it.each([
    [{ text: undefined, prompt: undefined }, 'prompt', /set text or token_ids/],
    [{ text: 'abcde' }, 'prompt', /5 tokens; .* at most 4/],
    [{ text: undefined, prompt: 'tokenIds', tokenIds: { ids: [1, 300] } }, 'token_ids.ids[1]', /300 is outside/],
    [{ maxTokens: -1 }, 'max_tokens', /≥ 1 \(or 0: up to the context limit\), got -1/],
    [
      { sampling: { temperature: -1, topP: 1, topK: 0, seed: 0, stopTokenIds: [] } },
      'sampling.temperature',
      /≥ 0, got -1/,
    ],
    [
      { sampling: { temperature: 1, topP: 1, topK: 0, seed: 0, stopTokenIds: [], logprobs: true, numTopLogprobs: 21 } },
      'sampling.num_top_logprobs',
      /got 21/,
    ],
    [{ stop: [''] }, 'stop[0]', /non-empty/],
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
