import { describe, expect, it } from 'vitest';
import {
  BOS_ID,
  BYTE_VOCAB_SIZE,
  decode,
  EOS_ID,
  encode,
  isSpecialToken,
  PAD_ID,
  StreamDecoder,
} from './byte-tokenizer.js';

describe('byte tokenizer', () => {
  it.each([
    ['hello', [104, 101, 108, 108, 111]],
    ['é', [0xc3, 0xa9]],
    ['→', [0xe2, 0x86, 0x92]],
    ['🙂', [0xf0, 0x9f, 0x99, 0x82]],
    ['', []],
  ])('%j ↔ its UTF-8 bytes', (text, ids) => {
    expect(encode(text)).toEqual(ids);
    expect(decode(ids)).toBe(text);
  });

  it('round-trips mixed text and wraps in BOS/EOS', () => {
    const text = 'Agent step 3: ran `pytest -q` → 2 failed ✗, 14 passed ✓ 你好';
    const ids = encode(text, { bos: true, eos: true });
    expect(ids[0]).toBe(BOS_ID);
    expect(ids[ids.length - 1]).toBe(EOS_ID);
    expect(decode(ids)).toBe(text);
    expect([BOS_ID, EOS_ID, PAD_ID, BYTE_VOCAB_SIZE]).toEqual([256, 257, 258, 259]);
    expect(isSpecialToken(PAD_ID) && !isSpecialToken(255)).toBe(true);
  });

  it('decodes invalid UTF-8 to U+FFFD and rejects ids outside the vocabulary', () => {
    expect(decode([0xff, 65])).toBe('\ufffdA');
    expect(() => decode([65, 259])).toThrow(/ids\[1\] = 259/);
  });

  it('streams multi-byte characters split across tokens', () => {
    const d = new StreamDecoder();
    expect(d.push([0xf0, 0x9f])).toBe('');
    expect(d.push([0x99, 0x82, 33])).toBe('🙂!');
    expect(d.push([0xc3])).toBe('');
    expect(d.end()).toBe('\ufffd');
  });

  it('ASCII after a held-back partial character still goes through the decoder (U+FFFD, then the text)', () => {
    const d = new StreamDecoder();
    expect(d.push([72, 257, 105])).toBe('Hi'); // EOS (257) is dropped
    expect(d.push([0xe2])).toBe(''); // the first byte of a 3-byte character: held back
    expect(d.push([0x41])).toBe('\ufffdA'); // 'A' is no continuation byte: the partial one becomes U+FFFD
    expect(d.push([0xe2, 0x82])).toBe('');
    expect(d.push([0xac, 0x21])).toBe('€!'); // E2 82 AC is '€'
    expect(d.push([0x6f, 0x6b])).toBe('ok');
    expect(() => d.push([65, 300])).toThrow(/ids\[1\] = 300/);
    expect(d.end()).toBe('');
  });

  it('keeps a U+FEFF that follows ASCII text, as decode() does; one at the very start is a byte-order mark', () => {
    // EF BB BF is U+FEFF. After "a" it is text: a decoder made only when the first non-ASCII byte comes must
    // not strip it as a leading byte-order mark.
    const d = new StreamDecoder();
    expect(d.push([0x61])).toBe('a');
    expect(d.push([0xef, 0xbb, 0xbf, 0x62])).toBe('\ufeffb');
    expect(decode([0x61, 0xef, 0xbb, 0xbf, 0x62])).toBe('a\ufeffb');
    // At the start of a stream TextDecoder's default (ignoreBOM false) strips it, as the stream did before.
    const atStart = new StreamDecoder();
    expect(atStart.push([0xef, 0xbb, 0xbf, 0x62])).toBe('b');
  });
});
