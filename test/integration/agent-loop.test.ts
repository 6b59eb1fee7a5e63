// The standard agent loop through the official `openai` client against a real cluster (router, prefill and
// decode workers running the tiny ONNX model, KV pool, as OS processes): tool schemas, an assistant tool
// call with `content: null`, tool results, and prompt token counts that grow by exactly the rendered tool
// content (docs/openai.md "Chat template"; the byte tokenizer makes a segment's tokens its UTF-8 bytes).
// Also on the real model: logprobs (greedy picks the most likely token), stop strings and seeded n > 1.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive, launchCluster, parseClusterConfig, type RunningCluster } from '@oicf/cluster';
import OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

let cluster: RunningCluster;
let client: OpenAI;
beforeAll(async () => {
  const config = parseClusterConfig({
    mode: 'disaggregated',
    blockTokens: 16,
    prefill: { count: 1 },
    decode: { count: 1, kvCapacityBytes: 64 * 1024 * 1024, maxBatch: 8 },
    pool: { tiers: { dram: { capacityBytes: 64 * 1024 * 1024 } } },
  });
  if (!config.ok) throw new Error(config.errors.join('\n'));
  cluster = await launchCluster(config.value, { runDir: mkdtempSync(join(tmpdir(), 'oicf-agent-')) });
  client = new OpenAI({ baseURL: `${cluster.routerUrl}/v1`, apiKey: 'unused', maxRetries: 0 });
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
  expect(cluster.services.filter((s) => isAlive(s.pid))).toEqual([]);
});

const TOOLS: ChatCompletionTool[] = [
  {
    type: 'function',
    function: {
      name: 'get_weather',
      description: 'Current weather',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    },
  },
];

describe('a 3-turn tool-calling agent loop', () => {
  it('accepts tool calls with null content and tool results; prompt tokens grow by the rendered tool content', async () => {
    const ask = (messages: ChatCompletionMessageParam[]) =>
      client.chat.completions.create({
        model: 'tiny-gqa',
        messages,
        tools: TOOLS,
        tool_choice: 'auto',
        max_tokens: 8,
        temperature: 0,
        // @ts-expect-error oicf extension: turns of one agent session share KV
        session_id: 'agent-1',
      });

    // Turn 1: the user's question with the tool schemas.
    const history: ChatCompletionMessageParam[] = [
      { role: 'system', content: 'You are a weather agent.' },
      { role: 'user', content: 'Weather in Paris?' },
    ];
    const turn1 = await ask(history);
    expect(turn1.choices[0]?.message.role).toBe('assistant');
    // The whole prompt, written out as the template lays it down: tools block, turns, generation prompt.
    const prompt1 =
      '<|tools|>\n' +
      '{"type":"function","function":{"name":"get_weather","description":"Current weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}\n' +
      '<|system|>\nYou are a weather agent.\n' +
      '<|user|>\nWeather in Paris?\n' +
      '<|assistant|>\n';
    const p1 = turn1.usage?.prompt_tokens ?? 0;
    expect(p1).toBe(bytes(prompt1));

    // Turn 2: the agent's recorded tool call (content null: the tiny model cannot emit calls) and its result.
    const call: ChatCompletionMessageParam = {
      role: 'assistant',
      content: null,
      tool_calls: [
        { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city": "Paris"}' } },
      ],
    };
    const result: ChatCompletionMessageParam = { role: 'tool', tool_call_id: 'call_1', content: '{"temp_c": 21}' };
    history.push(call, result);
    const turn2 = await ask(history);
    // The two turns as rendered; the arguments string is JSON, so it is re-serialised compactly.
    const callTurn =
      '<|assistant|>\n<tool_call>{"id":"call_1","name":"get_weather","arguments":{"city":"Paris"}}</tool_call>\n';
    const resultTurn = '<|tool|>\n<tool_response id="call_1">\n{"temp_c": 21}\n</tool_response>\n';
    // By hand: the call JSON {"id":"call_1","name":"get_weather","arguments":{"city":"Paris"}} is
    // 1 + 5 + 8 + 1 + 7 + 13 + 1 + 12 + 16 + 1 = 65 bytes; its turn "<|assistant|>\n" (14) + "<tool_call>" (11)
    // + 65 + "</tool_call>" (12) + "\n" (1) = 103. The result turn "<|tool|>\n" (9) + '<tool_response
    // id="call_1">\n' (28) + '{"temp_c": 21}' (14) + "\n</tool_response>\n" (18) = 69. Growth: 172 tokens.
    expect([bytes(callTurn), bytes(resultTurn)]).toEqual([103, 69]);
    const p2 = turn2.usage?.prompt_tokens ?? 0;
    expect(p2 - p1).toBe(172);

    // Turn 3: the model's reply goes into the history with two parallel calls (content "" keeps them), and
    // both results.
    const reply2 = turn2.choices[0]?.message.content ?? '';
    history.push(
      {
        role: 'assistant',
        content: reply2,
        tool_calls: [
          { id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } },
          { id: 'call_3', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_2', content: '25' },
      { role: 'tool', tool_call_id: 'call_3', content: '4' },
    );
    const turn3 = await ask(history);
    const calls3 =
      '<tool_call>{"id":"call_2","name":"get_weather","arguments":{"city":"Rome"}}</tool_call>\n' +
      '<tool_call>{"id":"call_3","name":"get_weather","arguments":{"city":"Oslo"}}</tool_call>';
    const assistant3 = `<|assistant|>\n${reply2 === '' ? calls3 : `${reply2}\n${calls3}`}\n`;
    const results3 =
      '<|tool|>\n<tool_response id="call_2">\n25\n</tool_response>\n' +
      '<|tool|>\n<tool_response id="call_3">\n4\n</tool_response>\n';
    expect((turn3.usage?.prompt_tokens ?? 0) - p2).toBe(bytes(assistant3) + bytes(results3));
    expect(turn3.choices[0]?.finish_reason).toMatch(/^(stop|length)$/);
  }, 60_000);

  it('refuses a tool_choice that forces a call: the served model cannot produce one', async () => {
    await expect(
      client.chat.completions.create({
        model: 'tiny-gqa',
        messages: [{ role: 'user', content: 'Weather in Paris?' }],
        tools: TOOLS,
        tool_choice: { type: 'function', function: { name: 'get_weather' } },
      }),
    ).rejects.toMatchObject({ status: 400, code: 'unsupported_value', param: 'tool_choice' });
  });
});

describe('sampling on the real model', () => {
  it('logprobs are real: greedy tokens head their own top list, sorted, with probabilities summing ≤ 1', async () => {
    const res = await client.chat.completions.create({
      model: 'tiny-gqa',
      messages: [{ role: 'user', content: 'hello' }],
      max_tokens: 6,
      temperature: 0,
      logprobs: true,
      top_logprobs: 5,
      // @ts-expect-error vLLM extension
      ignore_eos: true,
    });
    const content = res.choices[0]?.logprobs?.content ?? [];
    expect(content).toHaveLength(6);
    for (const entry of content) {
      const top = entry.top_logprobs;
      expect(top).toHaveLength(5);
      expect(top[0]?.token).toBe(entry.token);
      expect(top[0]?.logprob).toBeCloseTo(entry.logprob, 9);
      expect(entry.logprob).toBeLessThanOrEqual(0);
      expect(top.map((t) => t.logprob)).toEqual([...top.map((t) => t.logprob)].sort((a, b) => b - a));
      expect(top.reduce((s, t) => s + Math.exp(t.logprob), 0)).toBeLessThanOrEqual(1 + 1e-9);
    }
  });

  it('a stop string taken from a greedy reply cuts the same reply there, as finish_reason stop', async () => {
    const ask = (stop?: string) =>
      client.completions.create({
        model: 'tiny-gqa',
        prompt: 'The capacity wall',
        max_tokens: 24,
        temperature: 0,
        ...(stop === undefined ? {} : { stop }),
        // @ts-expect-error vLLM extension
        ignore_eos: true,
      });
    const full = (await ask()).choices[0]?.text ?? '';
    const chars = [...full];
    expect(chars.length).toBeGreaterThanOrEqual(8);
    const stop = chars.slice(4, 6).join('');
    const cut = await ask(stop);
    expect(cut.choices[0]?.text).toBe(full.slice(0, full.indexOf(stop)));
    expect(cut.choices[0]?.finish_reason).toBe('stop');
  }, 60_000);

  it('n = 2 with a seed: choice 0 repeats the n = 1 reply of that seed; usage sums both choices', async () => {
    const ask = (n: number) =>
      client.completions.create({
        model: 'tiny-gqa',
        prompt: 'agents',
        max_tokens: 8,
        temperature: 1,
        seed: 11,
        n,
        logprobs: 0,
      });
    const one = await ask(1);
    const two = await ask(2);
    expect(two.choices.map((c) => c.index)).toEqual([0, 1]);
    expect(two.choices[0]?.text).toBe(one.choices[0]?.text);
    // Each choice's logprobs list its tokens: the usage is their sum, the prompt (6 bytes) counted once.
    const perChoice = two.choices.map((c) => c.logprobs?.tokens?.length ?? 0);
    expect(perChoice.every((k) => k >= 1)).toBe(true);
    expect(two.usage).toMatchObject({ prompt_tokens: 6, completion_tokens: perChoice.reduce((a, b) => a + b, 0) });
  }, 60_000);
});
