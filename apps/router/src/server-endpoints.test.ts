// The router's non-generate HTTP surface: model lookup, vLLM's health, version, tokenize and detokenize,
// and OpenAI-shaped errors for unknown routes (404) and wrong methods (405 with Allow).
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiErrorBody, jsonOf, postJson, startTestRouter, type TestRouter } from './testing/router-harness.js';

let t: TestRouter;
beforeAll(async () => {
  t = await startTestRouter();
  await t.addWorker({ workerId: 'both-0', role: 'both', text: 'ok' });
});
afterAll(() => t.close());

describe('models', () => {
  it('GET /v1/models/{id} answers the served model, and a 404 model_not_found for any other', async () => {
    const client = new OpenAI({ baseURL: `${t.url}/v1`, apiKey: 'unused', maxRetries: 0 });
    expect(await client.models.retrieve('tiny-gqa')).toMatchObject({
      id: 'tiny-gqa',
      object: 'model',
      owned_by: 'oicf',
    });
    await expect(client.models.retrieve('gpt-4')).rejects.toMatchObject({ status: 404, code: 'model_not_found' });
  });
});

describe("vLLM's utility routes", () => {
  it('GET /health is 200 with an empty body; GET /version names the router version', async () => {
    const health = await fetch(`${t.url}/health`);
    expect([health.status, await health.text()]).toEqual([200, '']);
    expect(await jsonOf(fetch(`${t.url}/version`))).toEqual({ version: '0.1.0' }); // apps/router/package.json
  });

  it('POST /tokenize (prompt): vLLM shape, one token per UTF-8 byte, token strings on request', async () => {
    const body = await jsonOf(
      postJson(`${t.url}/tokenize`, { model: 'tiny-gqa', prompt: 'hé', return_token_strs: true }),
    );
    // 'h' = 0x68, 'é' = C3 A9; max_model_len = 256 MiB / 4096 B per token = 65,536 (scripted worker).
    expect(body).toEqual({
      count: 3,
      max_model_len: 65_536,
      tokens: [0x68, 0xc3, 0xa9],
      token_strs: ['h', '\\xc3', '\\xa9'],
    });
  });

  it('POST /tokenize (messages + tools) counts exactly what a chat completion reports as prompt_tokens', async () => {
    const chat = {
      messages: [
        { role: 'user', content: 'weather?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'a', type: 'function', function: { name: 'w', arguments: '{}' } }],
        },
        { role: 'tool', tool_call_id: 'a', content: 'sunny' },
      ],
      tools: [{ type: 'function', function: { name: 'w' } }],
    };
    const tokenized = await jsonOf<{ count: number; tokens: number[] }>(postJson(`${t.url}/tokenize`, chat));
    const reply = await jsonOf(postJson(`${t.url}/v1/chat/completions`, { model: 'tiny-gqa', max_tokens: 1, ...chat }));
    expect(reply.usage?.prompt_tokens).toBe(tokenized.count);
    // add_generation_prompt false drops the trailing "<|assistant|>\n" (14 bytes).
    const open = await jsonOf<{ count: number }>(
      postJson(`${t.url}/tokenize`, { ...chat, add_generation_prompt: false }),
    );
    expect(tokenized.count - open.count).toBe(14);
  });

  it('POST /detokenize turns ids back into text; bad input is a 400 naming the field', async () => {
    expect(await jsonOf(postJson(`${t.url}/detokenize`, { tokens: [0x68, 0xc3, 0xa9, 257] }))).toEqual({
      prompt: 'hé',
    });
    const bad = await postJson(`${t.url}/detokenize`, { tokens: [1, 400] });
    expect(bad.status).toBe(400);
    expect((await jsonOf<ApiErrorBody>(bad)).error).toMatchObject({ param: 'tokens[1]', code: 'invalid_value' });
    const both = await postJson(`${t.url}/tokenize`, { prompt: 'a', messages: [] });
    expect((await jsonOf<ApiErrorBody>(both)).error.message).toMatch(/exactly one of prompt/);
    const unknown = await postJson(`${t.url}/tokenize`, { prompt: 'a', truncate: 3 });
    expect((await jsonOf<ApiErrorBody>(unknown)).error).toMatchObject({ code: 'unknown_parameter', param: 'truncate' });
  });
});

describe('OpenAI-shaped errors on every route', () => {
  it.each([
    ['GET', '/v1/nothing', 404, null, 'unknown_url', /^Invalid URL \(GET \/v1\/nothing\)/],
    [
      'GET',
      '/v1/completions',
      405,
      'POST',
      'method_not_allowed',
      /^Method GET is not allowed on \/v1\/completions: use POST$/,
    ],
    ['POST', '/v1/models', 405, 'GET', 'method_not_allowed', /use GET/],
    ['DELETE', '/v1/models/tiny-gqa', 405, 'GET', 'method_not_allowed', /use GET/],
    ['POST', '/metrics', 405, 'GET', 'method_not_allowed', /use GET/],
  ] as const)('%s %s → %i', async (method, path, status, allow, code, message) => {
    const res = await fetch(`${t.url}${path}`, { method });
    expect([res.status, res.headers.get('allow')]).toEqual([status, allow]);
    const body = await jsonOf<ApiErrorBody>(res);
    expect(body.error).toMatchObject({ type: 'invalid_request_error', code, param: null });
    expect(body.error.message).toMatch(message);
  });
});
