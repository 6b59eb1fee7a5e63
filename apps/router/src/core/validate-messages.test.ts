// Chat messages, tools and tool_choice are validated field by field: every refusal names the field and
// carries OpenAI's code (unknown fields, unsupported content types and values), nothing is dropped.
import { describe, expect, it } from 'vitest';
import { chatPromptTokens } from './chat-prompt.js';

const m = (content: unknown, extra: Record<string, unknown> = {}) => ({
  model: 'tiny-gqa',
  ...extra,
  messages: content,
});

describe('chat messages and tools are refused field by field', () => {
  it.each([
    // messages
    ['chat', m([]), 'messages', 'invalid_value', /non-empty array/],
    [
      'chat',
      m([{ role: 'bot', content: 'x' }]),
      'messages[0].role',
      'invalid_value',
      /one of system, developer, user, assistant, tool, got "bot"/,
    ],
    ['chat', m([{ role: 'function', content: 'x' }]), 'messages[0].role', 'unsupported_value', /use "tool"/],
    [
      'chat',
      m([{ role: 'user', content: 'x', mood: 'happy' }]),
      'messages[0].mood',
      'unknown_parameter',
      /accepted: role, content, name/,
    ],
    [
      'chat',
      m([{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'x' } }] }]),
      'messages[0].content[0].type',
      'unsupported_content_type',
      /"image_url": .* text only/,
    ],
    [
      'chat',
      m([{ role: 'user', content: [{ type: 'text', text: 'a', cache_control: {} }] }]),
      'messages[0].content[0].cache_control',
      'unknown_parameter',
      /Unrecognized field/,
    ],
    ['chat', m([{ role: 'user', content: null }]), 'messages[0].content', 'invalid_value', /is required/],
    [
      'chat',
      m([{ role: 'assistant', content: null }]),
      'messages[0].content',
      'invalid_value',
      /unless the message has tool_calls/,
    ],
    ['chat', m([{ role: 'user', name: 'a b', content: 'x' }]), 'messages[0].name', 'invalid_value', /must match/],
    [
      'chat',
      m([{ role: 'assistant', content: 'x', refusal: 'no' }]),
      'messages[0].refusal',
      'unsupported_value',
      /send its text as content/,
    ],
    [
      'chat',
      m([
        {
          role: 'assistant',
          content: 'x',
          tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: {} } }],
        },
      ]),
      'messages[0].tool_calls[0].function.arguments',
      'invalid_value',
      /must be a string/,
    ],
    [
      'chat',
      m([
        {
          role: 'assistant',
          content: 'x',
          tool_calls: [
            { id: 'c', type: 'function', function: { name: 'f', arguments: '' } },
            { id: 'c', type: 'function', function: { name: 'f', arguments: '' } },
          ],
        },
      ]),
      'messages[0].tool_calls[1].id',
      'invalid_value',
      /repeats/,
    ],
    ['chat', m([{ role: 'tool', content: 'r' }]), 'messages[0].tool_call_id', 'invalid_value', /is required/],
    [
      'chat',
      m([{ role: 'tool', tool_call_id: 'nope', content: 'r' }]),
      'messages[0].tool_call_id',
      'invalid_value',
      /answers no tool call of an earlier assistant message/,
    ],
    // tools and tool_choice
    [
      'chat',
      m([{ role: 'user', content: 'x' }], { tools: [{ type: 'retrieval' }] }),
      'tools[0].type',
      'invalid_value',
      /must be "function"/,
    ],
    [
      'chat',
      m([{ role: 'user', content: 'x' }], { tools: [{ type: 'function', function: { name: 'f', parameters: 3 } }] }),
      'tools[0].function.parameters',
      'invalid_value',
      /JSON Schema object/,
    ],
    [
      'chat',
      m([{ role: 'user', content: 'x' }], {
        tools: [{ type: 'function', function: { name: 'f' } }],
        tool_choice: 'required',
      }),
      'tool_choice',
      'unsupported_value',
      /cannot produce tool calls: use tool_choice "auto" or "none"/,
    ],
    [
      'chat',
      m([{ role: 'user', content: 'x' }], {
        tools: [{ type: 'function', function: { name: 'f' } }],
        tool_choice: { type: 'function', function: { name: 'f' } },
      }),
      'tool_choice',
      'unsupported_value',
      /forces a call of "f"/,
    ],
    [
      'chat',
      m([{ role: 'user', content: 'x' }], {
        tools: [{ type: 'function', function: { name: 'f' } }],
        tool_choice: { type: 'function', function: { name: 'g' } },
      }),
      'tool_choice.function.name',
      'invalid_value',
      /not one of the tools/,
    ],
    [
      'chat',
      m([{ role: 'user', content: 'x' }], { parallel_tool_calls: 'yes' }),
      'parallel_tool_calls',
      'invalid_value',
      /true or false/,
    ],
  ] as const)('%s %j → 400 on %s', (_kind, body, param, code, message) => {
    const r = chatPromptTokens(body as Record<string, unknown>);
    if (r.ok) throw new Error('expected a validation issue');
    expect({ status: r.issue.status, param: r.issue.param, type: r.issue.type, code: r.issue.code }).toEqual({
      status: 400,
      param,
      type: 'invalid_request_error',
      code,
    });
    expect(r.issue.message).toMatch(message);
  });
});
