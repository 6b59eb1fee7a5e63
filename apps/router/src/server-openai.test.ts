// The router end to end with the official `openai` client, against real gRPC scripted workers that
// register through the router's Registry.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CompletionWire,
  chunksOf,
  jsonOf,
  postJson,
  readSse,
  startTestRouter,
  type TestRouter,
} from './testing/router-harness.js';

let t: TestRouter;
beforeAll(async () => {
  // maxLocalPrefillTokens 0: oicf-cost never prefills on the decode worker while a prefill worker exists.
  t = await startTestRouter({ policy: { name: 'oicf-cost', params: { maxLocalPrefillTokens: 0 } } });
  await t.addWorker({ workerId: 'prefill-0', role: 'prefill', text: 'hello' });
  await t.addWorker({ workerId: 'decode-0', role: 'decode', text: 'hello' });
});
afterAll(() => t.close());

describe('OpenAI-compatible API', () => {
  it('lists the served model', async () => {
    const client = new OpenAI({ baseURL: `${t.url}/v1`, apiKey: 'unused' });
    const models = await client.models.list();
    expect(models.data.map((m) => [m.id, m.object, m.owned_by])).toEqual([['tiny-gqa', 'model', 'oicf']]);
  });

  it('streams a chat completion to the openai client: prefill worker gives the first token, decode the rest', async () => {
    const client = new OpenAI({ baseURL: `${t.url}/v1`, apiKey: 'unused' });
    const stream = await client.chat.completions.create({
      model: 'tiny-gqa',
      messages: [{ role: 'user', content: 'hi' }],
      max_tokens: 16,
      stream: true,
    });
    let text = '';
    const finish: Array<string | null> = [];
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish.push(chunk.choices[0]?.finish_reason ?? null);
    }
    // Script "hello" then EOS (a stop token by default): the text is exactly the script.
    expect(text).toBe('hello');
    expect(finish.at(-1)).toBe('stop');
    const [prefill] = t.workers[0]?.calls.prefill ?? [];
    const decode = t.workers[1]?.calls.decode.at(-1);
    // "<|user|>\nhi\n<|assistant|>\n" = 9 + 3 + 14 = 26 prompt tokens, all handed off (decode held none).
    expect(prefill?.tokenIds).toHaveLength(26);
    expect(prefill?.decodeWsAddress).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    expect({
      numHandoffTokens: decode?.numHandoffTokens,
      firstTokenId: decode?.firstTokenId,
      maxTokens: decode?.maxTokens,
      stop: decode?.sampling?.stopTokenIds,
    }).toEqual({ numHandoffTokens: 26, firstTokenId: 104, maxTokens: 16, stop: [257] });
  });

  it('streams a text completion to the openai client, and surfaces a 400 as a BadRequestError', async () => {
    const client = new OpenAI({ baseURL: `${t.url}/v1`, apiKey: 'unused', maxRetries: 0 });
    const stream = await client.completions.create({ model: 'tiny-gqa', prompt: 'say', max_tokens: 16, stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.text ?? '';
    expect(text).toBe('hello');
    await expect(
      client.completions.create({ model: 'tiny-gqa', prompt: 'say', max_tokens: 16, temperature: -2 }),
    ).rejects.toMatchObject({ status: 400, param: 'temperature', type: 'invalid_request_error' });
  });

  it("ends at once when the prefill worker's first token is a stop token", async () => {
    const body = await jsonOf(
      postJson(`${t.url}/v1/completions`, { model: 'tiny-gqa', prompt: 'x', max_tokens: 8, stop_token_ids: [104] }),
    );
    // 'h' (104) is the script's first token and a stop token: text 'h', finish 'stop', one token.
    expect(body.choices[0]).toMatchObject({ text: 'h', finish_reason: 'stop' });
    expect(body.usage?.completion_tokens).toBe(1);
    // The decode worker still takes the handed-off KV, with max_tokens 1 so it finishes at once.
    expect(t.workers[1]?.calls.decode.at(-1)).toMatchObject({ firstTokenId: 104, maxTokens: 1 });
  });

  it('answers a non-streamed completion with usage and oicf info', async () => {
    const res = await postJson(`${t.url}/v1/completions`, {
      model: 'tiny-gqa',
      prompt: [1, 2, 3, 4, 5],
      max_tokens: 3,
      ignore_eos: true,
    });
    expect(res.status).toBe(200);
    const body = await jsonOf(res);
    // max_tokens 3 with ignore_eos: 'h' from prefill, 'e', 'l' from decode, finish 'length'.
    expect(body.choices).toEqual([{ index: 0, text: 'hel', logprobs: null, finish_reason: 'length' }]);
    expect(body.usage).toEqual({
      prompt_tokens: 5,
      completion_tokens: 3,
      total_tokens: 8,
      prompt_tokens_details: { cached_tokens: 0 },
    });
    expect(body.object).toBe('text_completion');
    expect(body.oicf).toMatchObject({
      policy: 'oicf-cost',
      reason: 'remote-prefill',
      prefill_worker_id: 'prefill-0',
      decode_worker_id: 'decode-0',
      num_cached_tokens: 0,
      cache_source: 'none',
      kv_bytes_moved: 5 * 4096, // the scripted prefill reports 5 handed-off tokens × 4096 B
    });
    expect(body.oicf.predicted_ttft_seconds).toBeGreaterThan(0);
    expect(body.oicf.ttft_seconds).toBeGreaterThan(0);
    expect(body.oicf.e2e_seconds).toBeGreaterThanOrEqual(body.oicf.ttft_seconds ?? Number.POSITIVE_INFINITY);
    expect(t.workers[1]?.calls.decode.at(-1)?.sampling?.stopTokenIds).toEqual([]);
  });

  it('streams a completion with a usage chunk, oicf info on the last chunk, then [DONE]', async () => {
    const res = await postJson(`${t.url}/v1/completions`, {
      model: 'tiny-gqa',
      prompt: 'abc',
      max_tokens: 2,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const chunks = chunksOf(await readSse(res));
    // One chunk per token, then a finish chunk with no text (as OpenAI does), then the usage chunk.
    expect(chunks.map((c) => c.choices[0]?.text ?? null)).toEqual(['h', 'e', '', null]);
    expect(chunks.map((c) => c.choices[0]?.finish_reason ?? null)).toEqual([null, null, 'length', null]);
    const requestId = chunks[0]?.oicf.request_id;
    expect(requestId).toMatch(/^[0-9a-f]{32}$/);
    expect(chunks.every((c) => c.oicf.request_id === requestId)).toBe(true);
    const usage = chunks.at(-1) as CompletionWire;
    expect(usage.usage).toEqual({
      prompt_tokens: 3,
      completion_tokens: 2,
      total_tokens: 5,
      prompt_tokens_details: { cached_tokens: 0 },
    });
    expect(Object.keys(usage.oicf ?? {}).sort()).toEqual([
      'cache_source',
      'decode_worker_id',
      'e2e_seconds',
      'kv_bytes_moved',
      'num_cached_tokens',
      'policy',
      'predicted_ttft_seconds',
      'prefill_worker_id',
      'reason',
      'request_id',
      'timings',
      'ttft_seconds',
    ]);
  });
});
