/**
 * MurmurHash3_x86_128 (Austin Appleby, public domain), in pure TypeScript with 32-bit
 * arithmetic only (Math.imul), so it is fast in V8 and needs no BigInt.
 *
 * Two entry points compute the same function:
 * - `murmur3x86_128(bytes, seed)` over arbitrary bytes;
 * - `murmur3x86_128Words(words, seed)` over 32-bit words, defined as the byte version applied
 *   to the words' little-endian encoding. Block ids hash token ids this way without
 *   building a byte buffer.
 *
 * The digest is 16 bytes: h1, h2, h3, h4 each little-endian (the reference `out` layout),
 * returned as four uint32 words. Checked against SMHasher's verification value 0xB3ECE62A.
 */

const C1 = 0x239b961b;
const C2 = 0xab0e9789;
const C3 = 0x38b34ae5;
const C4 = 0xa1e38b93;

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

function fmix(h: number): number {
  let x = h;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x;
}

/** A 128-bit digest as four uint32 words (h1..h4). */
export type Digest128 = readonly [number, number, number, number];

/** Mixes one 16-byte block (k1..k4) into state; `s` is [h1, h2, h3, h4], updated in place. */
function mixBlock(s: number[], k1In: number, k2In: number, k3In: number, k4In: number): void {
  let k1 = k1In;
  let k2 = k2In;
  let k3 = k3In;
  let k4 = k4In;
  let h1 = s[0] as number;
  let h2 = s[1] as number;
  let h3 = s[2] as number;
  let h4 = s[3] as number;

  k1 = Math.imul(k1, C1);
  k1 = rotl(k1, 15);
  k1 = Math.imul(k1, C2);
  h1 ^= k1;
  h1 = rotl(h1, 19);
  h1 = (h1 + h2) | 0;
  h1 = (Math.imul(h1, 5) + 0x561ccd1b) | 0;

  k2 = Math.imul(k2, C2);
  k2 = rotl(k2, 16);
  k2 = Math.imul(k2, C3);
  h2 ^= k2;
  h2 = rotl(h2, 17);
  h2 = (h2 + h3) | 0;
  h2 = (Math.imul(h2, 5) + 0x0bcaa747) | 0;

  k3 = Math.imul(k3, C3);
  k3 = rotl(k3, 17);
  k3 = Math.imul(k3, C4);
  h3 ^= k3;
  h3 = rotl(h3, 15);
  h3 = (h3 + h4) | 0;
  h3 = (Math.imul(h3, 5) + 0x96cd1c35) | 0;

  k4 = Math.imul(k4, C4);
  k4 = rotl(k4, 18);
  k4 = Math.imul(k4, C1);
  h4 ^= k4;
  h4 = rotl(h4, 13);
  h4 = (h4 + h1) | 0;
  h4 = (Math.imul(h4, 5) + 0x32ac3b17) | 0;

  s[0] = h1;
  s[1] = h2;
  s[2] = h3;
  s[3] = h4;
}

/** Tail mixing: k1..k4 hold the 0–15 leftover bytes, little-endian, zero-padded. */
function mixTail(s: number[], k1In: number, k2In: number, k3In: number, k4In: number, tailBytes: number): void {
  let k1 = k1In;
  let k2 = k2In;
  let k3 = k3In;
  let k4 = k4In;
  if (tailBytes > 12) {
    k4 = Math.imul(k4, C4);
    k4 = rotl(k4, 18);
    k4 = Math.imul(k4, C1);
    s[3] = (s[3] as number) ^ k4;
  }
  if (tailBytes > 8) {
    k3 = Math.imul(k3, C3);
    k3 = rotl(k3, 17);
    k3 = Math.imul(k3, C4);
    s[2] = (s[2] as number) ^ k3;
  }
  if (tailBytes > 4) {
    k2 = Math.imul(k2, C2);
    k2 = rotl(k2, 16);
    k2 = Math.imul(k2, C3);
    s[1] = (s[1] as number) ^ k2;
  }
  if (tailBytes > 0) {
    k1 = Math.imul(k1, C1);
    k1 = rotl(k1, 15);
    k1 = Math.imul(k1, C2);
    s[0] = (s[0] as number) ^ k1;
  }
}

function finalize(s: number[], numBytes: number): Digest128 {
  // The reference XORs the length as a 32-bit int.
  let h1 = (s[0] as number) ^ numBytes;
  let h2 = (s[1] as number) ^ numBytes;
  let h3 = (s[2] as number) ^ numBytes;
  let h4 = (s[3] as number) ^ numBytes;
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  h1 = fmix(h1);
  h2 = fmix(h2);
  h3 = fmix(h3);
  h4 = fmix(h4);
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

function u32le(bytes: Uint8Array, i: number): number {
  return (
    ((bytes[i] as number) |
      ((bytes[i + 1] as number) << 8) |
      ((bytes[i + 2] as number) << 16) |
      ((bytes[i + 3] as number) << 24)) >>>
    0
  );
}

/** MurmurHash3_x86_128 of `bytes` with a 32-bit `seed`. */
export function murmur3x86_128(bytes: Uint8Array, seed = 0): Digest128 {
  const s = [seed >>> 0, seed >>> 0, seed >>> 0, seed >>> 0];
  const numBlocks = bytes.length >>> 4;
  for (let b = 0; b < numBlocks; b++) {
    const i = b << 4;
    mixBlock(s, u32le(bytes, i), u32le(bytes, i + 4), u32le(bytes, i + 8), u32le(bytes, i + 12));
  }
  const tailStart = numBlocks << 4;
  const tailBytes = bytes.length - tailStart;
  const k = [0, 0, 0, 0];
  for (let j = 0; j < tailBytes; j++) {
    const w = j >>> 2;
    k[w] = (k[w] as number) | ((bytes[tailStart + j] as number) << ((j & 3) * 8));
  }
  mixTail(s, k[0] as number, k[1] as number, k[2] as number, k[3] as number, tailBytes);
  return finalize(s, bytes.length);
}

/**
 * MurmurHash3_x86_128 of the little-endian encoding of `words` (each taken modulo 2^32).
 * `words[i]` must be an integer in [0, 2^32); callers validate token ids first.
 */
export function murmur3x86_128Words(words: ArrayLike<number>, seed = 0): Digest128 {
  const s = [seed >>> 0, seed >>> 0, seed >>> 0, seed >>> 0];
  const n = words.length;
  const numBlocks = n >>> 2;
  for (let b = 0; b < numBlocks; b++) {
    const i = b << 2;
    mixBlock(s, words[i] as number, words[i + 1] as number, words[i + 2] as number, words[i + 3] as number);
  }
  const tailStart = numBlocks << 2;
  const tailWords = n - tailStart;
  mixTail(
    s,
    tailWords > 0 ? (words[tailStart] as number) : 0,
    tailWords > 1 ? (words[tailStart + 1] as number) : 0,
    tailWords > 2 ? (words[tailStart + 2] as number) : 0,
    0,
    tailWords * 4,
  );
  return finalize(s, n * 4);
}
