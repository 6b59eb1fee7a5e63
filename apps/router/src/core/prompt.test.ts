import { describe, expect, it } from 'vitest';
import { renderChat, tokenize } from './prompt.js';

describe('renderChat', () => {
  it.each([
    [[{ role: 'user', content: 'hi' }], '<|user|>\nhi\n<|assistant|>\n'],
    [
      [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'ok?' },
      ],
      '<|system|>\nbe brief\n<|user|>\nok?\n<|assistant|>\n',
    ],
    [[], '<|assistant|>\n'],
  ])('%j', (messages, text) => {
    expect(renderChat(messages)).toBe(text);
  });
});

describe('tokenize', () => {
  it.each([
    ['abc', [97, 98, 99]],
    ['é!', [0xc3, 0xa9, 33]], // U+00E9 is C3 A9 in UTF-8
    ['', []],
  ])('%j → its UTF-8 bytes', (text, ids) => {
    expect(tokenize(text)).toEqual(ids);
  });
});
