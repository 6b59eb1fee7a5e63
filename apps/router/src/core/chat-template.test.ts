import { describe, expect, it } from 'vitest';
import { type ChatTurn, renderChat, renderChatTokens, renderTurn, type ToolSpec } from './chat-template.js';

const WEATHER: ToolSpec = {
  name: 'get_weather',
  description: 'Weather now',
  parameters: { type: 'object', properties: { city: { type: 'string' } } },
};

describe('the chat template', () => {
  it.each<[string, ChatTurn[], string]>([
    // The layout of the router API contract before tools existed is unchanged.
    ['one user turn', [{ role: 'user', content: 'hi' }], '<|user|>\nhi\n<|assistant|>\n'],
    [
      'system then user',
      [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'ok?' },
      ],
      '<|system|>\nbe brief\n<|user|>\nok?\n<|assistant|>\n',
    ],
    ['no messages', [], '<|assistant|>\n'],
    [
      'developer and a named user',
      [
        { role: 'developer', content: 'rules' },
        { role: 'user', name: 'ada', content: 'q' },
      ],
      '<|developer|>\nrules\n<|user:ada|>\nq\n<|assistant|>\n',
    ],
    [
      'an empty assistant reply keeps its empty line',
      [{ role: 'assistant', content: '', toolCalls: [] }],
      '<|assistant|>\n\n<|assistant|>\n',
    ],
  ])('%s', (_name, turns, text) => {
    expect(renderChat(turns)).toBe(text);
  });

  it('lays out tools, a call with null content, its result and the generation prompt', () => {
    const turns: ChatTurn[] = [
      { role: 'user', content: 'Paris?' },
      {
        role: 'assistant',
        content: '',
        toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city": "Paris"}' }],
      },
      { role: 'tool', toolCallId: 'call_1', content: '21 C' },
    ];
    expect(renderChat(turns, [WEATHER])).toBe(
      '<|tools|>\n' +
        '{"type":"function","function":{"name":"get_weather","description":"Weather now","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}\n' +
        '<|user|>\nParis?\n' +
        // arguments parsed and re-serialised compactly: {"city": "Paris"} → {"city":"Paris"}
        '<|assistant|>\n<tool_call>{"id":"call_1","name":"get_weather","arguments":{"city":"Paris"}}</tool_call>\n' +
        '<|tool|>\n<tool_response id="call_1">\n21 C\n</tool_response>\n' +
        '<|assistant|>\n',
    );
  });

  it('puts content before parallel calls, one line each; non-JSON arguments stay a string', () => {
    const turn: ChatTurn = {
      role: 'assistant',
      content: 'Checking.',
      toolCalls: [
        { id: 'a', name: 'f', arguments: '{}' },
        { id: 'b', name: 'g', arguments: 'not json' },
      ],
    };
    expect(renderTurn(turn)).toBe(
      '<|assistant|>\nChecking.\n<tool_call>{"id":"a","name":"f","arguments":{}}</tool_call>\n<tool_call>{"id":"b","name":"g","arguments":"not json"}</tool_call>\n',
    );
  });

  it('counts one token per byte of the rendered text', () => {
    // "<|tool|>\n" (9) + '<tool_response id="x">\n' (23) + "é" + "\n</tool_response>\n" (18): 51 characters,
    // and 52 tokens because "é" is 2 UTF-8 bytes (C3 A9).
    expect(renderTurn({ role: 'tool', toolCallId: 'x', content: 'é' })).toHaveLength(51);
    expect(
      renderChatTokens([{ role: 'tool', toolCallId: 'x', content: 'é' }], [], { addGenerationPrompt: false }),
    ).toHaveLength(52);
  });

  it("vLLM's add_generation_prompt false and continue_final_message leave the prompt open", () => {
    const turns: ChatTurn[] = [
      { role: 'user', content: 'Say hi' },
      { role: 'assistant', content: 'Hi, I am', toolCalls: [] },
    ];
    expect(renderChat(turns, [], { addGenerationPrompt: false })).toBe('<|user|>\nSay hi\n<|assistant|>\nHi, I am\n');
    expect(renderChat(turns, [], { continueFinalMessage: true })).toBe('<|user|>\nSay hi\n<|assistant|>\nHi, I am');
  });
});
