import { describe, expect, it } from 'vitest';
import { validateCompletion } from './validate-completion.js';

const limits = { servedModel: 'tiny-gqa', maxPromptTokens: 8, defaultSessionTtlSeconds: 300 };
const EOS = 257;

function issueOf(kind: 'completion' | 'chat', body: unknown, l = limits) {
  const r = validateCompletion(kind, body, l);
  if (r.ok) throw new Error('expected a validation issue');
  return r.issue;
}

describe('validateCompletion accepts', () => {
  it('a minimal completion with every default (OpenAI/vLLM: no max_tokens = context limit, no seed = random)', () => {
    expect(validateCompletion('completion', { model: 'tiny-gqa', prompt: 'hi' }, limits)).toEqual({
      ok: true,
      value: {
        kind: 'completion',
        model: 'tiny-gqa',
        stream: false,
        includeUsage: false,
        base: {
          promptTokenIds: [104, 105], // 'h' = 0x68, 'i' = 0x69
          sampling: {
            maxTokens: undefined,
            maxTokensParam: 'max_tokens',
            temperature: 1,
            topP: 1,
            topK: 0,
            seed: undefined,
            n: 1,
            stop: [],
            stopTokenIds: [EOS],
            numTopLogprobs: undefined,
          },
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
    expect(r.ok && r.value.base.promptTokenIds).toEqual(ids);
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
        n: 2,
        stop: 'END',
        logprobs: true,
        top_logprobs: 3,
        stream: true,
        stream_options: { include_usage: true },
        ignore_eos: true,
        stop_token_ids: [10],
        session_id: 's1',
        session_ttl_seconds: 5,
        store: false,
        parallel_tool_calls: true,
        tool_choice: 'auto',
      },
      { ...limits, maxPromptTokens: 100 },
    );
    // "<|user|>\na\n<|assistant|>\n" is 8 + 1 + 1 + 1 + 13 + 1 = 25 bytes.
    expect(r.ok && r.value).toMatchObject({
      kind: 'chat',
      stream: true,
      includeUsage: true,
      base: {
        sampling: {
          maxTokens: 3,
          maxTokensParam: 'max_completion_tokens',
          temperature: 0,
          topP: 0.5,
          topK: 0,
          seed: 9,
          n: 2,
          stop: ['END'],
          stopTokenIds: [10],
          numTopLogprobs: 3,
        },
        sessionId: 's1',
        sessionTtlSeconds: 5,
      },
    });
    expect(r.ok && r.value.base.promptTokenIds.length).toBe(25);
  });

  it('an assistant tool call with null content and its tool result (tokens = bytes of the template)', () => {
    const body = {
      model: 'tiny-gqa',
      messages: [
        { role: 'user', content: 'w?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }],
        },
        { role: 'tool', tool_call_id: 'c1', content: 'ok' },
      ],
      tools: [{ type: 'function', function: { name: 'f' } }],
    };
    const r = validateCompletion('chat', body, { ...limits, maxPromptTokens: 1000 });
    const text =
      '<|tools|>\n{"type":"function","function":{"name":"f"}}\n' +
      '<|user|>\nw?\n' +
      '<|assistant|>\n<tool_call>{"id":"c1","name":"f","arguments":{}}</tool_call>\n' +
      '<|tool|>\n<tool_response id="c1">\nok\n</tool_response>\n' +
      '<|assistant|>\n';
    expect(r.ok && Buffer.from(r.value.base.promptTokenIds).toString('utf8')).toBe(text);
  });

  it('an assistant message with content "" keeps its tool calls', () => {
    const body = {
      model: 'tiny-gqa',
      messages: [
        {
          role: 'assistant',
          content: '',
          tool_calls: [{ id: 'c', type: 'function', function: { name: 'g', arguments: 'x' } }],
        },
      ],
    };
    const r = validateCompletion('chat', body, { ...limits, maxPromptTokens: 1000 });
    expect(r.ok && Buffer.from(r.value.base.promptTokenIds).toString('utf8')).toBe(
      '<|assistant|>\n<tool_call>{"id":"c","name":"g","arguments":"x"}</tool_call>\n<|assistant|>\n',
    );
  });

  it('takes the session id from the header when the body has none', () => {
    const r = validateCompletion('completion', { model: 'tiny-gqa', prompt: 'x' }, limits, 'hdr');
    expect(r.ok && r.value.base.sessionId).toBe('hdr');
  });

  it('completions logprobs: k (0 = the sampled token only); neutral values of unsupported parameters pass', () => {
    const r = validateCompletion(
      'completion',
      {
        model: 'tiny-gqa',
        prompt: 'x',
        logprobs: 0,
        presence_penalty: 0,
        echo: false,
        best_of: 1,
        logit_bias: {},
        suffix: null,
      },
      limits,
    );
    expect(r.ok && r.value.base.sampling.numTopLogprobs).toBe(0);
  });
});

const m = (content: unknown, extra: Record<string, unknown> = {}) => ({
  model: 'tiny-gqa',
  ...extra,
  messages: content,
});

describe('validateCompletion rejects, naming the field', () => {
  it.each([
    ['completion', [1], null, 'invalid_value', /JSON object/],
    ['completion', { prompt: 'x' }, 'model', 'invalid_value', /model is required: use "tiny-gqa"/],
    ['completion', { model: 'tiny-gqa' }, 'prompt', 'invalid_value', /prompt is required/],
    ['completion', { model: 'tiny-gqa', prompt: 5 }, 'prompt', 'invalid_value', /prompt must be a string, .*, got 5$/],
    ['completion', { model: 'tiny-gqa', prompt: '' }, 'prompt', 'invalid_value', /at least one token/],
    [
      'completion',
      { model: 'tiny-gqa', prompt: 'x'.repeat(1001) },
      'prompt',
      'invalid_value',
      /has 1001 tokens; .* at most 1000/,
    ],
    [
      'completion',
      { model: 'tiny-gqa', prompt: [1, 259] },
      'prompt[1]',
      'invalid_value',
      /\[0, 258\] \(byte vocabulary\), got 259$/,
    ],
    ['completion', { model: 'tiny-gqa', prompt: [[1], [2]] }, 'prompt', 'invalid_value', /batches are not supported/],
    [
      'completion',
      { model: 'tiny-gqa', prompt: 'x', max_tokens: 0 },
      'max_tokens',
      'invalid_value',
      /integer ≥ 1, got 0$/,
    ],
    ['completion', { model: 'tiny-gqa', prompt: 'x', max_tokens: 2.5 }, 'max_tokens', 'invalid_value', /integer ≥ 1/],
    [
      'completion',
      { model: 'tiny-gqa', prompt: 'x', temperature: -1 },
      'temperature',
      'invalid_value',
      /≥ 0.*, got -1$/,
    ],
    ['completion', { model: 'tiny-gqa', prompt: 'x', top_p: 0 }, 'top_p', 'invalid_value', /\(0, 1\]/],
    ['completion', { model: 'tiny-gqa', prompt: 'x', seed: 'a' }, 'seed', 'invalid_value', /integer ≥ 0, got "a"$/],
    ['completion', { model: 'tiny-gqa', prompt: 'x', stream: 'yes' }, 'stream', 'invalid_value', /true or false/],
    [
      'completion',
      { model: 'tiny-gqa', prompt: 'x', stop_token_ids: [300] },
      'stop_token_ids[0]',
      'invalid_value',
      /token id/,
    ],
    // n: each choice is a request of its own; 16 is the cap. Numbers are not quoted in messages.
    ['completion', { model: 'tiny-gqa', prompt: 'x', n: 17 }, 'n', 'invalid_value', /\[1, 16\], got 17$/],
    ['completion', { model: 'tiny-gqa', prompt: 'x', stop: [''] }, 'stop[0]', 'invalid_value', /non-empty string/],
    ['completion', { model: 'tiny-gqa', prompt: 'x', stop: 7 }, 'stop', 'invalid_value', /got 7$/],
    ['completion', { model: 'tiny-gqa', prompt: 'x', logprobs: 21 }, 'logprobs', 'invalid_value', /\[0, 20\], got 21$/],
    [
      'completion',
      { model: 'tiny-gqa', prompt: 'x', session_ttl_seconds: -1 },
      'session_ttl_seconds',
      'invalid_value',
      /≥ 0/,
    ],
    // OpenAI's codes for parameters: unsupported (known, not implemented) and unrecognized.
    [
      'completion',
      { model: 'tiny-gqa', prompt: 'x', presence_penalty: 0.5 },
      'presence_penalty',
      'unsupported_parameter',
      /^Unsupported parameter: 'presence_penalty' = 0.5 is not supported by this server; accepted: 0$/,
    ],
    ['completion', { model: 'tiny-gqa', prompt: 'x', echo: true }, 'echo', 'unsupported_parameter', /= true/],
    [
      'completion',
      { model: 'tiny-gqa', prompt: 'x', frobnicate: 1 },
      'frobnicate',
      'unknown_parameter',
      /^Unrecognized request argument supplied: frobnicate$/,
    ],
    ['completion', { model: 'tiny-gqa', prompt: 'x', tools: [] }, 'tools', 'unknown_parameter', /Unrecognized/],
    // A key that names a property of every object ("constructor") is a parameter like any other.
    [
      'completion',
      JSON.parse('{"model":"tiny-gqa","prompt":"x","constructor":1}') as Record<string, unknown>,
      'constructor',
      'unknown_parameter',
      /^Unrecognized request argument supplied: constructor$/,
    ],
    [
      'chat',
      m([{ role: 'user', content: 'x' }], { response_format: { type: 'json_object' } }),
      'response_format',
      'unsupported_parameter',
      /accepted: \{"type":"text"\}/,
    ],
    [
      'chat',
      m([{ role: 'user', content: 'x' }], { top_logprobs: 2 }),
      'top_logprobs',
      'invalid_value',
      /needs logprobs: true/,
    ],
    [
      'chat',
      m([{ role: 'user', content: 'x' }], { logprobs: true, top_logprobs: 21 }),
      'top_logprobs',
      'invalid_value',
      /got 21$/,
    ],
  ] as const)('%s %j → 400 on %s', (kind, body, param, code, message) => {
    const issue = issueOf(kind, body, { ...limits, maxPromptTokens: 1000 });
    expect({ status: issue.status, param: issue.param, type: issue.type, code: issue.code }).toEqual({
      status: 400,
      param,
      type: 'invalid_request_error',
      code,
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
