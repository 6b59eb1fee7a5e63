import { describe, expect, it } from 'vitest';
import {
  fullResponse,
  type OicfInfo,
  type ResponseMeta,
  SSE_DONE,
  sseData,
  streamChunk,
  usageBody,
  usageChunk,
} from './openai-format.js';

const completion: ResponseMeta = { kind: 'completion', requestId: 'r1', model: 'tiny-gqa', created: 1700000000 };
const chat: ResponseMeta = { ...completion, kind: 'chat' };
const info: OicfInfo = {
  request_id: 'r1',
  policy: 'oicf-cost',
  reason: 'remote-prefill',
  prefill_worker_id: 'p0',
  decode_worker_id: 'd0',
  num_cached_tokens: 64,
  cache_source: 'pool',
  predicted_ttft_seconds: 0.01,
  ttft_seconds: 0.02,
  e2e_seconds: 0.5,
  kv_bytes_moved: 4096,
  timings: { queue_seconds: 0, prefill_seconds: 0.01, kv_transfer_seconds: 0.001, decode_seconds: 0.4 },
};

describe('SSE framing', () => {
  it('frames one JSON object per event, blank-line terminated', () => {
    expect(sseData({ a: 1, b: 'x\ny' })).toBe('data: {"a":1,"b":"x\\ny"}\n\n');
    expect(SSE_DONE).toBe('data: [DONE]\n\n');
  });
});

describe('usageBody', () => {
  it('sums prompt and completion tokens', () => {
    expect(usageBody(10, 3, 4)).toEqual({
      prompt_tokens: 10,
      completion_tokens: 3,
      total_tokens: 13,
      prompt_tokens_details: { cached_tokens: 4 },
    });
  });
});

describe('stream chunks', () => {
  it.each([
    [
      'completion delta',
      completion,
      { text: 'he', oicf: { request_id: 'r1' } },
      {
        id: 'cmpl-r1',
        object: 'text_completion',
        created: 1700000000,
        model: 'tiny-gqa',
        choices: [{ index: 0, text: 'he', logprobs: null, finish_reason: null }],
        oicf: { request_id: 'r1' },
      },
    ],
    [
      'first chat delta carries the role',
      chat,
      { text: 'h', first: true, oicf: { request_id: 'r1' } },
      {
        id: 'chatcmpl-r1',
        object: 'chat.completion.chunk',
        created: 1700000000,
        model: 'tiny-gqa',
        choices: [{ index: 0, delta: { role: 'assistant', content: 'h' }, logprobs: null, finish_reason: null }],
        oicf: { request_id: 'r1' },
      },
    ],
    [
      'chat finish chunk',
      chat,
      { text: '', finishReason: 'length' as const, oicf: info },
      {
        id: 'chatcmpl-r1',
        object: 'chat.completion.chunk',
        created: 1700000000,
        model: 'tiny-gqa',
        choices: [{ index: 0, delta: { content: '' }, logprobs: null, finish_reason: 'length' }],
        oicf: info,
      },
    ],
  ])('%s', (_name, meta, part, expected) => {
    expect(streamChunk(meta, part)).toEqual(expected);
  });

  it('usage chunk has no choices', () => {
    expect(usageChunk(completion, usageBody(2, 1, 0), info)).toEqual({
      id: 'cmpl-r1',
      object: 'text_completion',
      created: 1700000000,
      model: 'tiny-gqa',
      choices: [],
      usage: usageBody(2, 1, 0),
      oicf: info,
    });
  });
});

describe('fullResponse', () => {
  it.each([
    [completion, { index: 0, text: 'hey', logprobs: null, finish_reason: 'stop' }, 'text_completion', 'cmpl-r1'],
    [
      chat,
      { index: 0, message: { role: 'assistant', content: 'hey' }, logprobs: null, finish_reason: 'stop' },
      'chat.completion',
      'chatcmpl-r1',
    ],
  ])('%j', (meta, choice, object, id) => {
    expect(
      fullResponse(meta, [{ text: 'hey', finishReason: 'stop', logprobs: null }], usageBody(5, 3, 0), info),
    ).toEqual({
      id,
      object,
      created: 1700000000,
      model: 'tiny-gqa',
      choices: [choice],
      usage: usageBody(5, 3, 0),
      oicf: info,
    });
  });
});

describe('choices and logprobs', () => {
  it('a streamed chunk of choice 2 carries its index and its delta logprobs', () => {
    const lp = { content: [], refusal: null };
    expect(streamChunk(chat, { text: 'x', index: 2, logprobs: lp, oicf: { request_id: 'r1' } })).toMatchObject({
      choices: [{ index: 2, delta: { content: 'x' }, logprobs: lp, finish_reason: null }],
    });
  });

  it('a whole response of n = 2 numbers its choices and keeps each one’s finish reason and logprobs', () => {
    const lp = { tokens: ['a'], token_logprobs: [-0.5], top_logprobs: [{}], text_offset: [0] };
    const body = fullResponse(
      completion,
      [
        { text: 'a', finishReason: 'stop', logprobs: lp },
        { text: 'bc', finishReason: 'length', logprobs: null },
      ],
      usageBody(5, 3, 0),
      { ...info, choices: [info, info] },
    );
    expect(body.choices).toEqual([
      { index: 0, text: 'a', logprobs: lp, finish_reason: 'stop' },
      { index: 1, text: 'bc', logprobs: null, finish_reason: 'length' },
    ]);
  });
});
