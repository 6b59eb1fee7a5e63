// Stop strings, n choices, seeds, default max_tokens, logprobs wiring and tool transcripts through the
// router's HTTP front door, against real gRPC scripted workers (they "generate" the bytes of a fixed
// script; the real model's logprobs are checked in test/integration/agent-loop.test.ts).
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chunksOf,
  jsonOf,
  postJson,
  readSse,
  startTestRouter,
  type TestRouter,
  waitUntil,
} from './testing/router-harness.js';

let t: TestRouter;
beforeAll(async () => {
  t = await startTestRouter({ policy: { name: 'oicf-cost', params: { maxLocalPrefillTokens: 0 } } });
  await t.addWorker({ workerId: 'prefill-0', role: 'prefill', text: 'hello world' });
  // A pause per token, so a Cancel sent after a stop string reaches the worker mid-stream.
  await t.addWorker({ workerId: 'decode-0', role: 'decode', text: 'hello world', tokenIntervalSeconds: 0.01 });
});
afterAll(() => t.close());

const decodeCalls = () => t.workers[1]?.calls.decode ?? [];
const decodeOf = (requestId: string) => decodeCalls().find((d) => d.requestId === requestId);

describe('stop strings', () => {
  it('end the output before the stop string, count tokens up to the one completing it, and cancel the worker', async () => {
    const body = await jsonOf(postJson(`${t.url}/v1/completions`, { model: 'tiny-gqa', prompt: 'x', stop: ['o w'] }));
    // Script "hello world": h (prefill) e l l o ␣ w (decode). "o w" completes on 'w', the 7th token.
    expect(body.choices[0]).toMatchObject({ text: 'hell', finish_reason: 'stop' });
    expect(body.usage?.completion_tokens).toBe(7);
    const requestId = body.oicf.request_id;
    await waitUntil(() => (t.workers[1]?.calls.cancel ?? []).some((c) => c.requestId === requestId), 5, 'the Cancel');
    expect(t.workers[1]?.calls.cancel.find((c) => c.requestId === requestId)?.reason).toBe('stop string');
  });

  it('streamed: the deltas never show a held-back prefix of the stop string', async () => {
    const res = await postJson(`${t.url}/v1/chat/completions`, {
      model: 'tiny-gqa',
      messages: [{ role: 'user', content: 'x' }],
      stop: ['lo wo', 'zzz'],
      stream: true,
    });
    const chunks = chunksOf(await readSse(res));
    const text = chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('');
    expect(text).toBe('hel');
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
  });

  it('a stop string completed by the prefill worker’s first token ends the request at once', async () => {
    const body = await jsonOf(postJson(`${t.url}/v1/completions`, { model: 'tiny-gqa', prompt: 'x', stop: 'h' }));
    expect(body.choices[0]).toMatchObject({ text: '', finish_reason: 'stop' });
    expect(body.usage?.completion_tokens).toBe(1);
    // The decode worker still takes the handed-off KV, with max_tokens 1, so it finishes at once.
    expect(decodeOf(body.oicf.request_id)?.maxTokens).toBe(1);
  });
});

describe('n choices and seeds', () => {
  it('n = 3: three requests sharing the prompt, choice seeds derived from the request seed, usage summed', async () => {
    const body = await jsonOf(
      postJson(`${t.url}/v1/completions`, { model: 'tiny-gqa', prompt: 'abcd', n: 3, seed: 5, max_tokens: 4 }),
    );
    expect(body.choices.map((c) => [c.index, c.text, c.finish_reason])).toEqual([
      [0, 'hell', 'length'],
      [1, 'hell', 'length'],
      [2, 'hell', 'length'],
    ]);
    // The prompt counts once (4 tokens); completions sum 3 × 4.
    expect(body.usage).toMatchObject({ prompt_tokens: 4, completion_tokens: 12, total_tokens: 16 });
    const id = body.oicf.request_id;
    const seeds = [id, `${id}-1`, `${id}-2`].map((r) => decodeOf(r)?.sampling?.seed);
    expect(seeds[0]).toBe(5);
    expect(new Set(seeds).size).toBe(3);
    expect((body.oicf as unknown as { choices: unknown[] }).choices).toHaveLength(3);
  });

  it('n = 2 streamed: each chunk names its choice, each choice finishes, one usage chunk, then [DONE]', async () => {
    const res = await postJson(`${t.url}/v1/chat/completions`, {
      model: 'tiny-gqa',
      messages: [{ role: 'user', content: 'x' }],
      n: 2,
      max_tokens: 3,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = chunksOf(await readSse(res));
    const usage = chunks.at(-1);
    expect(usage?.choices).toEqual([]);
    expect(usage?.usage?.completion_tokens).toBe(6);
    for (const index of [0, 1]) {
      const mine = chunks.slice(0, -1).filter((c) => c.choices[0]?.index === index);
      expect(mine[0]?.choices[0]?.delta?.role).toBe('assistant');
      expect(mine.map((c) => c.choices[0]?.delta?.content ?? '').join('')).toBe('hel');
      expect(mine.at(-1)?.choices[0]?.finish_reason).toBe('length');
    }
  });

  it('without a seed, temperature > 0 gets a fresh random seed per request', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      ids.push(
        (await jsonOf(postJson(`${t.url}/v1/completions`, { model: 'tiny-gqa', prompt: 'q', max_tokens: 1 }))).oicf
          .request_id,
      );
    }
    const [a, b] = ids.map((id) => decodeOf(id)?.sampling?.seed);
    expect(a).not.toBe(b);
  });
});

describe('defaults and logprobs wiring', () => {
  it('without max_tokens, generation may run to the context limit: max_model_len − prompt', async () => {
    const models = await jsonOf<{ data: Array<{ max_model_len: number }> }>(fetch(`${t.url}/v1/models`));
    // The scripted decode worker states no limit and holds 256 MiB of KV; tiny-gqa keeps 4096 B per token
    // (4 layers × 2 × 2 kv heads × 64 dims × 4 B): 268,435,456 / 4096 = 65,536 tokens.
    expect(models.data[0]?.max_model_len).toBe(65_536);
    const body = await jsonOf(postJson(`${t.url}/v1/completions`, { model: 'tiny-gqa', prompt: 'abc' }));
    expect(decodeOf(body.oicf.request_id)?.maxTokens).toBe(65_536 - 3);
    // The script ends with EOS, a stop token: the reply is the whole script.
    expect(body.choices[0]).toMatchObject({ text: 'hello world', finish_reason: 'stop' });
  });

  it('asks both workers for logprobs with the requested number of alternatives', async () => {
    const body = await jsonOf(
      postJson(`${t.url}/v1/chat/completions`, {
        model: 'tiny-gqa',
        messages: [{ role: 'user', content: 'x' }],
        logprobs: true,
        top_logprobs: 4,
        max_tokens: 2,
      }),
    );
    const prefill = t.workers[0]?.calls.prefill.find((p) => p.requestId === body.oicf.request_id);
    expect(prefill?.sampling).toMatchObject({ logprobs: true, numTopLogprobs: 4 });
    expect(decodeOf(body.oicf.request_id)?.sampling).toMatchObject({ logprobs: true, numTopLogprobs: 4 });
  });

  it('relays each token’s logprob from the prefill reply and the decode steps to the client, in order', async () => {
    const request = {
      model: 'tiny-gqa',
      messages: [{ role: 'user', content: 'x' }],
      logprobs: true,
      top_logprobs: 1,
      max_tokens: 4,
    };
    // The scripted workers report −(index + 1) / 8 for the token at generation index i: "h" (index 0, from
    // the prefill reply) −0.125, then "e" −0.25, "l" −0.375, "l" −0.5 from the decode worker's step outputs.
    const expected = [
      ['h', -0.125],
      ['e', -0.25],
      ['l', -0.375],
      ['l', -0.5],
    ];
    type Logprobs = { content: Array<{ token: string; logprob: number }> };
    const body = await jsonOf<{ choices: Array<{ logprobs: Logprobs }> }>(
      postJson(`${t.url}/v1/chat/completions`, request),
    );
    expect(body.choices[0]?.logprobs.content.map((e) => [e.token, e.logprob])).toEqual(expected);
    const streamed = chunksOf(
      await readSse(await postJson(`${t.url}/v1/chat/completions`, { ...request, stream: true })),
    );
    const content = streamed.flatMap(
      (c) => (c.choices[0] as { logprobs?: Logprobs | null } | undefined)?.logprobs?.content ?? [],
    );
    expect(content.map((e) => [e.token, e.logprob])).toEqual(expected);
  });
});

describe('tool transcripts through the openai client', () => {
  it('accepts an assistant tool call with null content and its tool result; refuses a forced tool call clearly', async () => {
    const client = new OpenAI({ baseURL: `${t.url}/v1`, apiKey: 'unused', maxRetries: 0 });
    const tools = [{ type: 'function' as const, function: { name: 'f', parameters: { type: 'object' } } }];
    const reply = await client.chat.completions.create({
      model: 'tiny-gqa',
      tools,
      tool_choice: 'auto',
      parallel_tool_calls: true,
      max_tokens: 2,
      messages: [
        { role: 'developer', content: [{ type: 'text', text: 'Be terse.' }] },
        { role: 'user', content: 'go' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }],
        },
        { role: 'tool', tool_call_id: 'c1', content: 'done' },
      ],
    });
    expect(reply.choices[0]?.message.content).toBe('he');
    await expect(
      client.chat.completions.create({
        model: 'tiny-gqa',
        tools,
        tool_choice: 'required',
        messages: [{ role: 'user', content: 'go' }],
      }),
    ).rejects.toMatchObject({ status: 400, code: 'unsupported_value', param: 'tool_choice' });
  });
});
