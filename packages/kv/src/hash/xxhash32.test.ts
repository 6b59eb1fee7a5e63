import { describe, expect, it } from 'vitest';
import { xxhash32 } from './xxhash32.js';

const ascii = (s: string) => new TextEncoder().encode(s);
const range = (n: number) => Uint8Array.from({ length: n }, (_, i) => i & 0xff);

describe('xxhash32', () => {
  // Expected values from the reference C library: libxxhash 0.8.1 XXH32(input, len, seed),
  // called through Python ctypes on this machine. "" and "abc" also match xxHash's docs.
  it.each([
    ['""', new Uint8Array(0), 0, 0x02cc5d05],
    ['"a"', ascii('a'), 0, 0x550d7456],
    ['"abc"', ascii('abc'), 0, 0x32d153ff],
    ['"Nobody inspects the spammish repetition"', ascii('Nobody inspects the spammish repetition'), 0, 0xe2293b2f],
    ['bytes 0..16 (17 bytes)', range(17), 1, 0xce2e6190],
    ['bytes 0..255 ×3 (768 bytes)', Uint8Array.from({ length: 768 }, (_, i) => i & 0xff), 0x9e3779b1, 0xaed9c9a4],
  ])('matches the reference for %s', (_name, input, seed, expected) => {
    expect(xxhash32(input, seed)).toBe(expected);
  });

  // Long inputs exercise the bulk paths: a 4-byte-aligned start is read as a Uint32Array, an
  // unaligned one is copied through 16 KiB aligned stripes. Lengths straddle the 16-byte lane stripe
  // and the 16 KiB copy stripe. Bytes are (i·31 + 7) mod 256; expected values from libxxhash 0.8.1
  // XXH32(input, len, seed) through Python ctypes on this machine.
  const pattern = (n: number, offset: number) => {
    const backing = new Uint8Array(n + offset);
    for (let i = 0; i < n; i++) backing[offset + i] = (i * 31 + 7) & 0xff;
    return backing.subarray(offset);
  };
  it.each([
    [15, 0, 0x9f29f87b],
    [16, 0, 0x3f6c9665],
    [31, 7, 0xc9db64ff],
    [16383, 0, 0x43f04efd],
    [16384, 0, 0x17927059],
    [16385, 0, 0x6c1f9d58],
    [32768 + 15, 3, 0x6827439a],
    [100003, 0, 0x20796e40],
    [1 << 20, 0, 0xb555fac5],
  ])('matches the reference for %i patterned bytes (seed %i) at every start alignment', (n, seed, expected) => {
    expect([0, 1, 2, 3, 4].map((offset) => xxhash32(pattern(n, offset), seed))).toEqual([
      expected,
      expected,
      expected,
      expected,
      expected,
    ]);
  });

  it('gives the same answer for aligned and unaligned views of the same bytes', () => {
    const backing = new Uint8Array(4096 + 3);
    for (let i = 0; i < backing.length; i++) backing[i] = (i * 31 + 7) & 0xff;
    const aligned = new Uint8Array(4096);
    aligned.set(backing.subarray(3));
    expect(xxhash32(backing.subarray(3), 5)).toBe(xxhash32(aligned, 5));
  });

  it('changes when any single byte flips', () => {
    const data = range(1000);
    const base = xxhash32(data);
    for (const i of [0, 15, 16, 500, 999]) {
      const copy = data.slice();
      copy[i] = (copy[i] as number) ^ 0x01;
      expect(xxhash32(copy)).not.toBe(base);
    }
  });
});
