import { describe, expect, it } from 'vitest';
import { CompletionLogprobFormatter, chatLogprobs, tokenBytes, tokenString } from './logprob-format.js';

describe('token strings', () => {
  it.each([
    [65, 'A', [65]],
    [10, '\n', [10]],
    [0xc3, '\\xc3', [0xc3]],
    [257, '<|eos|>', null],
  ])('%i → %j', (id, text, bytes) => {
    expect(tokenString(id)).toBe(text);
    expect(tokenBytes(id)).toEqual(bytes);
  });
});

describe('chat logprobs', () => {
  it('has OpenAI’s content list with bytes and top alternatives; −∞ becomes −9999', () => {
    expect(
      chatLogprobs([
        {
          tokenId: 104,
          logprob: -0.25,
          topLogprobs: [
            { tokenId: 104, logprob: -0.25 },
            { tokenId: 105, logprob: -2 },
          ],
        },
        { tokenId: 257, logprob: Number.NEGATIVE_INFINITY, topLogprobs: [] },
      ]),
    ).toEqual({
      content: [
        {
          token: 'h',
          logprob: -0.25,
          bytes: [104],
          top_logprobs: [
            { token: 'h', logprob: -0.25, bytes: [104] },
            { token: 'i', logprob: -2, bytes: [105] },
          ],
        },
        { token: '<|eos|>', logprob: -9999, bytes: null, top_logprobs: [] },
      ],
      refusal: null,
    });
  });
});

describe('completion logprobs', () => {
  it('offsets are text positions: the bytes of one character share its start, across chunks', () => {
    // "aé!" = 61 | C3 A9 | 21: 'a' at 0; C3 and A9 both at 1 (é completes on A9); '!' at 2.
    const f = new CompletionLogprobFormatter();
    const entry = (tokenId: number) => ({ tokenId, logprob: -1, topLogprobs: [{ tokenId, logprob: -1 }] });
    expect(f.format([entry(0x61), entry(0xc3)])).toEqual({
      tokens: ['a', '\\xc3'],
      token_logprobs: [-1, -1],
      top_logprobs: [{ a: -1 }, { '\\xc3': -1 }],
      text_offset: [0, 1],
    });
    expect(f.format([entry(0xa9), entry(0x21)]).text_offset).toEqual([1, 2]);
  });
});
