import { describe, expect, it } from 'vitest';
import { tokenize } from './prompt.js';

describe('tokenize', () => {
  it.each([
    ['abc', [97, 98, 99]],
    ['é!', [0xc3, 0xa9, 33]], // U+00E9 is C3 A9 in UTF-8
    ['', []],
  ])('%j → its UTF-8 bytes', (text, ids) => {
    expect(tokenize(text)).toEqual(ids);
  });
});
