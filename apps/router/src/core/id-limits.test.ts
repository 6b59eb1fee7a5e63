import { describe, expect, it } from 'vitest';
import { checkClientId, checkSessionTtl, MAX_CLIENT_ID_CHARS } from './id-limits.js';
import { parseMessages } from './validate-messages.js';

describe('client id limits', () => {
  it.each([
    [undefined, { ok: true, value: '' }],
    ['', { ok: true, value: '' }],
    ['a'.repeat(MAX_CLIENT_ID_CHARS), { ok: true, value: 'a'.repeat(256) }],
  ])('accepts %j', (v, want) => {
    expect(checkClientId('user', v)).toEqual(want);
  });

  it('refuses a 257-character id and a non-string, naming the field', () => {
    expect(checkClientId('user', 'a'.repeat(257))).toMatchObject({
      ok: false,
      issue: {
        status: 400,
        param: 'user',
        message: 'user is 257 characters; at most 256 are accepted (it is only a label)',
      },
    });
    expect(checkClientId('session_id', 7)).toMatchObject({ ok: false, issue: { param: 'session_id' } });
  });

  it('caps a session TTL', () => {
    expect(checkSessionTtl('session_ttl_seconds', 3600, 3600)).toEqual({ ok: true, value: 3600 });
    expect(checkSessionTtl('session_ttl_seconds', 3601, 3600)).toMatchObject({
      ok: false,
      issue: { param: 'session_ttl_seconds' },
    });
    expect(checkSessionTtl('session_ttl_seconds', -1, undefined)).toMatchObject({ ok: false });
  });

  it('tool call ids in chat messages are bounded too', () => {
    const long = 'c'.repeat(300);
    const call = { id: long, type: 'function', function: { name: 'f', arguments: '{}' } };
    expect(parseMessages([{ role: 'assistant', content: null, tool_calls: [call] }])).toMatchObject({
      ok: false,
      issue: { param: 'messages[0].tool_calls[0].id' },
    });
    expect(parseMessages([{ role: 'tool', content: 'x', tool_call_id: long }])).toMatchObject({
      ok: false,
      issue: { param: 'messages[0].tool_call_id' },
    });
  });
});
