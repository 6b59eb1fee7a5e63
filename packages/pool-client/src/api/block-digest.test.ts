import { createCipheriv, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BLOCK_DIGEST_BYTES, blockDigest, digestMatches } from './block-digest.js';

const signer = { key: Buffer.alloc(32, 7), kvFormat: 'tiny-gqa/fp32' };
const payload = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 31) & 0xff));
const ID = 'ab'.repeat(32);

describe('block digest (GMAC under a per-digest subkey)', () => {
  it('is salt ‖ AES-256-GCM tag under HMAC(key, "oicf-block-subkey-v3" ‖ salt[0..12]), nonce salt[12..24], over "oicf-block-v3" ‖ 0 ‖ id ‖ 0 ‖ kv format ‖ 0 ‖ payload', () => {
    const d = blockDigest(signer, ID, payload);
    expect(d.byteLength).toBe(BLOCK_DIGEST_BYTES); // 24-byte salt + 16-byte tag
    expect(BLOCK_DIGEST_BYTES).toBe(40);
    // The same tag from the construction written out: the subkey by HMAC, one AAD of the concatenated fields
    // (so the field-by-field setAAD calls add up to it).
    const sub = createHmac('sha256', signer.key).update('oicf-block-subkey-v3').update(d.subarray(0, 12)).digest();
    const gcm = createCipheriv('aes-256-gcm', sub, d.subarray(12, 24));
    gcm.setAAD(Buffer.concat([Buffer.from('oicf-block-v3\0'), Buffer.from(`${ID}\0tiny-gqa/fp32\0`), payload]));
    gcm.final();
    expect(gcm.getAuthTag().equals(d.subarray(24))).toBe(true);
    // The block key itself never runs GMAC: the same nonce under the block key gives another tag.
    const direct = createCipheriv('aes-256-gcm', signer.key, d.subarray(12, 24));
    direct.setAAD(Buffer.concat([Buffer.from('oicf-block-v3\0'), Buffer.from(`${ID}\0tiny-gqa/fp32\0`), payload]));
    direct.final();
    expect(direct.getAuthTag().equals(d.subarray(24))).toBe(false);
  });

  it('two digests of the same bytes differ (fresh salts) and both verify', () => {
    const a = blockDigest(signer, ID, payload);
    const b = blockDigest(signer, ID, payload);
    expect(a.equals(b)).toBe(false);
    expect([digestMatches(signer, ID, payload, a), digestMatches(signer, ID, payload, b)]).toEqual([true, true]);
  });

  it('refuses changed bytes, another id, another kv format, another key, a changed salt (either half) or tag, a short digest', () => {
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
      digestMatches(signer, ID, payload, at(0)), // the subkey half of the salt
      digestMatches(signer, ID, payload, at(12)), // the nonce half
      digestMatches(signer, ID, payload, at(39)), // tag
      digestMatches(signer, ID, payload, d.subarray(0, 39)),
      digestMatches(signer, ID, payload, Buffer.alloc(0)),
    ]).toEqual([false, false, false, false, false, false, false, false, false]);
  });

  it('field boundaries are unambiguous: moving a byte between id and kv format changes the tag', () => {
    const d = blockDigest(signer, 'abc', payload);
    // "abc" ‖ 0 ‖ "tiny…" vs "ab" ‖ 0 ‖ "ctiny…": the separators keep these apart.
    expect(digestMatches({ ...signer, kvFormat: 'ctiny-gqa/fp32' }, 'ab', payload, d)).toBe(false);
  });
});
