import type { Digest128 } from './murmur3-x86-128.js';

/**
 * Hex rendering of 128-bit digests: the 16 digest bytes in order (h1 little-endian first),
 * lower-case, 32 characters — the same text `mmh3.hash_bytes(x).hex()` prints.
 */

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const HEX_128 = /^[0-9a-f]{32}$/;

function wordHexLe(w: number): string {
  return (
    (HEX[w & 0xff] as string) +
    (HEX[(w >>> 8) & 0xff] as string) +
    (HEX[(w >>> 16) & 0xff] as string) +
    (HEX[(w >>> 24) & 0xff] as string)
  );
}

export function digestToHex(d: Digest128): string {
  return wordHexLe(d[0]) + wordHexLe(d[1]) + wordHexLe(d[2]) + wordHexLe(d[3]);
}

/** True for a 32-character lower-case hex string (the block id format). */
export function isHex128(text: unknown): text is string {
  return typeof text === 'string' && HEX_128.test(text);
}

/** Inverse of digestToHex; the caller checks isHex128 first. */
export function hexToDigest(hex: string): Digest128 {
  const words = [0, 0, 0, 0];
  for (let w = 0; w < 4; w++) {
    let v = 0;
    for (let b = 3; b >= 0; b--) {
      v = (v << 8) | Number.parseInt(hex.slice(w * 8 + b * 2, w * 8 + b * 2 + 2), 16);
    }
    words[w] = v >>> 0;
  }
  return words as unknown as Digest128;
}

/** The 16 digest bytes (h1 little-endian first). */
export function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function bytesToHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i] as number] as string;
  return s;
}
