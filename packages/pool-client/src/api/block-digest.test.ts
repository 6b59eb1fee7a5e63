import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BLOCK_DIGEST_BYTES, blockDigest, digestMatches } from './block-digest.js';

const signer = { key: Buffer.alloc(32, 7), kvFormat: 'tiny-gqa/fp32' };
const payload = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 31) & 0xff));
const ID = 'ab'.repeat(32);

describe('block digest (GMAC, random nonce)', () => {
  it('is nonce ‖ AES-256-GCM tag over "oicf-block-v2" ‖ 0 ‖ id ‖ 0 ‖ kv format ‖ 0 ‖ payload, empty plaintext', () => {
    const d = blockDigest(signer, ID, payload);
    expect(d.byteLength).toBe(BLOCK_DIGEST_BYTES); // 12-byte nonce + 16-byte tag
    // The same tag from one AAD of the concatenated fields (so the field-by-field setAAD calls add up to it).
    const gcm = createCipheriv('aes-256-gcm', signer.key, d.subarray(0, 12));
    gcm.setAAD(Buffer.concat([Buffer.from('oicf-block-v2\0'), Buffer.from(`${ID}\0tiny-gqa/fp32\0`), payload]));
    gcm.final();
    expect(gcm.getAuthTag().equals(d.subarray(12))).toBe(true);
  });

  it('two digests of the same bytes differ (fresh nonces) and both verify', () => {
    const a = blockDigest(signer, ID, payload);
    const b = blockDigest(signer, ID, payload);
    expect(a.equals(b)).toBe(false);
    expect([digestMatches(signer, ID, payload, a), digestMatches(signer, ID, payload, b)]).toEqual([true, true]);
  });

  it('refuses changed bytes, another id, another kv format, another key, a changed nonce or tag, a short digest', () => {
    const d = blockDigest(signer, ID, payload);
    const flipped = Buffer.from(payload);
    flipped[4095] = (flipped[4095] ?? 0) ^ 1;
    const at = (i: number) => {
      const x = Buffer.from(d);
      x[i] = (x[i] ?? 0) ^ 0x80;
      return x;
    };
    expect([
      digestMatches(signer, ID, flipped, d),
      digestMatches(signer, 'cd'.repeat(32), payload, d),
      digestMatches({ ...signer, kvFormat: 'tiny-gqa/int8' }, ID, payload, d),
      digestMatches({ ...signer, key: Buffer.alloc(32, 8) }, ID, payload, d),
      digestMatches(signer, ID, payload, at(0)), // nonce
      digestMatches(signer, ID, payload, at(27)), // tag
      digestMatches(signer, ID, payload, d.subarray(0, 27)),
      digestMatches(signer, ID, payload, Buffer.alloc(0)),
    ]).toEqual([false, false, false, false, false, false, false, false]);
  });

  it('field boundaries are unambiguous: moving a byte between id and kv format changes the tag', () => {
    const d = blockDigest(signer, 'abc', payload);
    // "abc" ‖ 0 ‖ "tiny…" vs "ab" ‖ 0 ‖ "ctiny…": the separators keep these apart.
    expect(digestMatches({ ...signer, kvFormat: 'ctiny-gqa/fp32' }, 'ab', payload, d)).toBe(false);
  });
});
