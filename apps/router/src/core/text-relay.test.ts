import { describe, expect, it } from 'vitest';
import { TextRelay } from './text-relay.js';

const bytes = (s: string) => [...Buffer.from(s, 'utf8')];

describe('TextRelay', () => {
  it.each([
    // 🙂 is F0 9F 99 82: nothing comes out until its fourth byte arrives.
    ['a 4-byte emoji split 1+3', [[0xf0], [0x9f, 0x99, 0x82]], ['', '🙂'], ''],
    ['a 4-byte emoji split 2+1+1 after ASCII', [[65, 0xf0, 0x9f], [0x99], [0x82, 66]], ['A', '', '🙂B'], ''],
    // é is C3 A9; EOS (257) yields no text.
    ['a 2-byte char then EOS', [[0xc3], [0xa9], [257]], ['', 'é', ''], ''],
    // A stream that ends inside a character flushes U+FFFD.
    ['a truncated 3-byte char', [[0xe2, 0x86]], [''], '\ufffd'],
  ])('%s', (_name, pushes, deltas, tail) => {
    const relay = new TextRelay();
    expect(pushes.map((ids) => relay.push(ids))).toEqual(deltas);
    expect(relay.end()).toBe(tail);
    expect(relay.fullText()).toBe(deltas.join('') + tail);
  });
});

describe('TextRelay with stop strings', () => {
  it.each([
    // name, stops, token pushes, per-push {text, numTokens, stopped}
    [
      'a stop completed by the last byte of a chunk',
      ['##'],
      [bytes('ab#'), bytes('#cd')],
      [
        { text: 'ab', numTokens: 3, stopped: false },
        // "#" (the 4th token) completes "##": one token of this push is output, "cd" never is.
        { text: '', numTokens: 1, stopped: true },
      ],
    ],
    [
      // → is E2 86 92; the stop "→x" completes on the byte after the 3-byte character, which itself
      // completes only on its third byte, across pushes.
      'a stop whose first character spans token pushes',
      ['→x'],
      [[0x61, 0xe2], [0x86], [0x92, 0x78, 0x79]],
      [
        { text: 'a', numTokens: 2, stopped: false },
        { text: '', numTokens: 1, stopped: false },
        { text: '', numTokens: 2, stopped: true },
      ],
    ],
    [
      'EOS between the bytes of a stop string is no text and does not break the match',
      ['ok'],
      [[0x6f], [257], [0x6b, 0x21]],
      [
        { text: '', numTokens: 1, stopped: false },
        { text: '', numTokens: 1, stopped: false },
        { text: '', numTokens: 1, stopped: true },
      ],
    ],
  ])('%s', (_name, stops, pushes, steps) => {
    const relay = new TextRelay(stops);
    expect(pushes.map((ids) => relay.pushTokens(ids))).toEqual(steps);
    expect(relay.stopped).toBe(true);
    // After a stop nothing more is consumed or flushed.
    expect(relay.pushTokens(bytes('zz'))).toEqual({ text: '', numTokens: 0, stopped: true });
    expect(relay.end()).toBe('');
  });

  it('flushes a held stop prefix when the stream ends without a match', () => {
    const relay = new TextRelay(['</end>']);
    expect(relay.pushTokens(bytes('done</e'))).toEqual({ text: 'done', numTokens: 7, stopped: false });
    expect(relay.end()).toBe('</e');
    expect(relay.fullText()).toBe('done</e');
  });
});
