import { describe, expect, it } from 'vitest';
import { TextRelay } from './text-relay.js';

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
