import { describe, expect, it } from 'vitest';
import { validateCompletion } from './validate-completion.js';

const limits = { servedModel: 'tiny-gqa', maxPromptTokens: 8, defaultSessionTtlSeconds: 300 };
const EOS = 257;

function issueOf(kind: 'completion' | 'chat', body: unknown) {
  const r = validateCompletion(kind, body, limits);
  if (r.ok) throw new Error('expected a validation issue');
  return r.issue;
}

describe('validateCompletion accepts', () => {
  it('a minimal completion with every default', () => {
    expect(validateCompletion('completion', { model: 'tiny-gqa', prompt: 'hi' }, limits)).toEqual({
      ok: true,
      value: {
        kind: 'completion',
        model: 'tiny-gqa',
        stream: false,
        includeUsage: false,
        input: {
          promptTokenIds: [104, 105], // 'h' = 0x68, 'i' = 0x69
          maxTokens: 16,
          sampling: { temperature: 1, topP: 1, topK: 0, seed: 0, stopTokenIds: [EOS] },
          sessionId: '',
          sessionTtlSeconds: 300,
        },
      },
    });
  });

  it.each([
    ['token ids', [1, 2, 258], [1, 2, 258]],
    ['one string in an array', ['A'], [65]],
    ['one token array in an array', [[7, 8]], [7, 8]],
  ])('prompt as %s', (_name, prompt, ids) => {
    const r = validateCompletion('completion', { model: 'tiny-gqa', prompt }, limits);
    expect(r.ok && r.value.input.promptTokenIds).toEqual(ids);
  });

  it('chat messages through the byte template, with every sampling extension', () => {
    const r = validateCompletion(
      'chat',
      {
        model: 'tiny-gqa',
        messages: [{ role: 'user', content: [{ type: 'text', text: 'a' }] }],
        max_completion_tokens: 3,
        temperature: 0,
        top_p: 0.5,
        top_k: -1,
        seed: 9,
        stream: true,
        stream_options: { include_usage: true },
        ignore_eos: true,
        stop_token_ids: [10],
        session_id: 's1',
        session_ttl_seconds: 5,
      },
      { ...limits, maxPromptTokens: 100 },
    );
    // "<|user|>\na\n<|assistant|>\n" is 8 + 1 + 1 + 1 + 13 + 1 = 25 bytes.
    expect(r.ok && r.value).toMatchObject({
      kind: 'chat',
      stream: true,
      includeUsage: true,
      input: {
        maxTokens: 3,
        sampling: { temperature: 0, topP: 0.5, topK: 0, seed: 9, stopTokenIds: [10] },
        sessionId: 's1',
        sessionTtlSeconds: 5,
      },
    });
    expect(r.ok && r.value.input.promptTokenIds.length).toBe(25);
  });

  it('takes the session id from the header when the body has none', () => {
    const r = validateCompletion('completion', { model: 'tiny-gqa', prompt: 'x' }, limits, 'hdr');
    expect(r.ok && r.value.input.sessionId).toBe('hdr');
  });
});

describe('validateCompletion rejects, naming the field', () => {
  it.each([
    ['completion', [1], null, /JSON object/],
    ['completion', { prompt: 'x' }, 'model', /model is required: use "tiny-gqa"/],
    ['completion', { model: 'tiny-gqa' }, 'prompt', /prompt is required/],
    ['completion', { model: 'tiny-gqa', prompt: 5 }, 'prompt', /prompt must be a string, .*, got 5$/],
    ['completion', { model: 'tiny-gqa', prompt: '' }, 'prompt', /at least one token/],
    ['completion', { model: 'tiny-gqa', prompt: '123456789' }, 'prompt', /has 9 tokens; .* at most 8/],
    ['completion', { model: 'tiny-gqa', prompt: [1, 259] }, 'prompt[1]', /\[0, 258\]/],
    ['completion', { model: 'tiny-gqa', prompt: [[1], [2]] }, 'prompt', /batches are not supported/],
    ['completion', { model: 'tiny-gqa', prompt: 'x', max_tokens: 0 }, 'max_tokens', /integer ≥ 1, got 0/],
    ['completion', { model: 'tiny-gqa', prompt: 'x', max_tokens: 2.5 }, 'max_tokens', /integer ≥ 1/],
    ['completion', { model: 'tiny-gqa', prompt: 'x', temperature: -1 }, 'temperature', /≥ 0/],
    ['completion', { model: 'tiny-gqa', prompt: 'x', top_p: 0 }, 'top_p', /\(0, 1\]/],
    ['completion', { model: 'tiny-gqa', prompt: 'x', seed: 'a' }, 'seed', /integer ≥ 0/],
    ['completion', { model: 'tiny-gqa', prompt: 'x', stream: 'yes' }, 'stream', /true or false/],
    ['completion', { model: 'tiny-gqa', prompt: 'x', stop_token_ids: [300] }, 'stop_token_ids[0]', /token id/],
    ['completion', { model: 'tiny-gqa', prompt: 'x', n: 2 }, 'n', /not supported/],
    ['completion', { model: 'tiny-gqa', prompt: 'x', stop: ['\n'] }, 'stop', /use stop_token_ids/],
    ['completion', { model: 'tiny-gqa', prompt: 'x', session_ttl_seconds: -1 }, 'session_ttl_seconds', /≥ 0/],
    ['chat', { model: 'tiny-gqa', messages: [] }, 'messages', /non-empty array/],
    ['chat', { model: 'tiny-gqa', messages: [{ role: 'bot', content: 'x' }] }, 'messages[0].role', /one of/],
    [
      'chat',
      { model: 'tiny-gqa', messages: [{ role: 'user', content: [{ type: 'image_url' }] }] },
      'messages[0].content[0]',
      /only text/,
    ],
  ] as const)('%s %j → 400 on %s', (kind, body, param, message) => {
    const issue = issueOf(kind, body);
    expect({ status: issue.status, param: issue.param, type: issue.type }).toEqual({
      status: 400,
      param,
      type: 'invalid_request_error',
    });
    expect(issue.message).toMatch(message);
  });

  it('answers an unknown model with 404 model_not_found listing the served id', () => {
    expect(issueOf('completion', { model: 'gpt-4', prompt: 'x' })).toEqual({
      status: 404,
      type: 'invalid_request_error',
      code: 'model_not_found',
      param: 'model',
      message: 'model "gpt-4" is not served here; valid ids: tiny-gqa',
    });
  });
});
