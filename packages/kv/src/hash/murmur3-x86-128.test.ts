import { describe, expect, it } from 'vitest';
import { digestToHex, hexToDigest } from './hex.js';
import { murmur3x86_128, murmur3x86_128Words } from './murmur3-x86-128.js';

function leBytes(words: readonly number[]): Uint8Array {
  const out = new Uint8Array(words.length * 4);
  const view = new DataView(out.buffer);
  for (const [i, w] of words.entries()) view.setUint32(i * 4, w, true);
  return out;
}

describe('murmur3x86_128', () => {
  it('passes SMHasher verification (0xB3ECE62A, from SMHasher main.cpp g_hashes)', () => {
    // SMHasher's VerificationTest: for n = 0..255 hash key[0..n) (key[i] = i) with seed 256 − n,
    // concatenate the 16-byte digests, hash that with seed 0, read the first 4 bytes LE.
    const key = new Uint8Array(256);
    const all = new Uint8Array(256 * 16);
    for (let n = 0; n < 256; n++) {
      key[n] = n;
      const d = murmur3x86_128(key.subarray(0, n), 256 - n);
      all.set(leBytes(d), n * 16);
    }
    const final = murmur3x86_128(all, 0);
    expect(final[0]).toBe(0xb3ece62a);
  });

  it('hashes empty input with seed 0 to zero (every step maps 0 to 0)', () => {
    // h = seed = 0, no blocks, no tail, h ^= len (0); the additions and fmix(0) = 0 keep it 0.
    expect(murmur3x86_128(new Uint8Array(0), 0)).toEqual([0, 0, 0, 0]);
  });

  it.each([0, 1, 2, 3, 4, 5, 7, 8, 67])('word version equals the byte version over LE bytes (%i words)', (n) => {
    const words = Array.from({ length: n }, (_, i) => (i * 2654435761 + 12345) >>> 0);
    expect(murmur3x86_128Words(words, 99)).toEqual(murmur3x86_128(leBytes(words), 99));
  });

  it('hex round-trips and lays the digest out as LE bytes of h1..h4', () => {
    const d = [0x04030201, 0x08070605, 0x0c0b0a09, 0x100f0e0d] as const;
    expect(digestToHex(d)).toBe('0102030405060708090a0b0c0d0e0f10');
    expect(hexToDigest('0102030405060708090a0b0c0d0e0f10')).toEqual([...d]);
  });
});
