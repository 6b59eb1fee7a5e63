import { createCipheriv, createHmac } from 'node:crypto';
import { GMAC_SIGN, GMAC_VERIFY, type GmacInput, nativeGmacCopy } from '@oicf/shm-native';
import { describe, expect, it } from 'vitest';
import { BLOCK_DIGEST_BYTES, blockDigest, digestMatches, type GmacPass } from './block-digest.js';

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

  // The GMAC runs in C where the native data path is on (block-digest.ts): the JS construction and the native one must
  // give the same tags, on a hand-picked digest and on NIST's own vectors.
  const hex = (h: string) => Buffer.from(h, 'hex');
  /** The digest written out in node:crypto, from a chosen salt (the JS path of block-digest.ts, term by term). */
  const jsDigest = (salt: Buffer, id: string, bytes: Uint8Array) => {
    const sub = createHmac('sha256', signer.key).update('oicf-block-subkey-v3').update(salt.subarray(0, 12)).digest();
    const gcm = createCipheriv('aes-256-gcm', sub, salt.subarray(12, 24));
    gcm.setAAD(Buffer.from(`oicf-block-v3\0${id}\0tiny-gqa/fp32\0`));
    gcm.setAAD(bytes);
    gcm.final();
    return Buffer.concat([salt, gcm.getAuthTag()]);
  };
  const SALT = hex('000102030405060708090a0b0c0d0e0f1011121314151617');
  const gmacCopy = nativeGmacCopy();

  it("node:crypto's AES-256-GCM with everything as AAD, as the JS path runs it, gives NIST's GMAC vectors", () => {
    // NIST CAVP gcmEncryptExtIV256.rsp, [PTlen = 0][AADlen = 128] Count 0 and [AADlen = 160] Count 0.
    for (const v of [
      [
        '78dc4e0aaf52d935c3c01eea57428f00ca1fd475f5da86a49c8dd73d68c8e223',
        'd79cf22d504cc793c3fb6c8a',
        'b96baa8c1c75a671bfb2d08d06be5f36',
        '3e5d486aa2e30b22e040b85723a06e76',
      ],
      [
        '886cff5f3e6b8d0e1ad0a38fcdb26de97e8acbe79f6bed66959a598fa5047d65',
        '3a8efa1cd74bbab5448f9945',
        '519fee519d25c7a304d6c6aa1897ee1eb8c59655',
        'f6d47505ec96c98a42dc3ae719877b87',
      ],
    ] as const) {
      const g = createCipheriv('aes-256-gcm', hex(v[0]), hex(v[1]));
      g.setAAD(hex(v[2]).subarray(0, 5));
      g.setAAD(hex(v[2]).subarray(5));
      g.final();
      expect(g.getAuthTag().toString('hex')).toBe(v[3]);
      if (gmacCopy === undefined) continue;
      const tag = Buffer.alloc(16);
      gmacCopy(GMAC_SIGN, tag, hex(v[0]), hex(v[1]), hex(v[2]).subarray(0, 5), null, hex(v[2]).subarray(5));
      expect(tag.toString('hex')).toBe(v[3]);
    }
  });

  it.skipIf(gmacCopy === undefined)(
    'a digest whose GMAC ran in C during a copy is the JS digest, for payloads across its 64 KiB chunks',
    () => {
      for (const n of [0, 1, 4096, 65_536 + 17, 262_144]) {
        const bytes = Buffer.from(Array.from({ length: n }, (_, i) => (i * 7 + n) & 0xff));
        const want = jsDigest(SALT, ID, bytes);
        // Verified as a reader does: the pass copies the bytes into `into` and hashes the copy.
        const into = Buffer.alloc(n);
        const copyOut: GmacPass = (g: GmacInput, tagOut) => {
          gmacCopy?.(GMAC_VERIFY, tagOut, g.key, g.nonce, g.head, into, bytes);
          return true;
        };
        expect(digestMatches(signer, ID, into, want, copyOut)).toBe(true);
        expect(into.equals(bytes)).toBe(true);
        // And without a pass: nativeGmac when the data path is on, node:crypto otherwise; the same answer.
        expect(digestMatches(signer, ID, bytes, want)).toBe(true);
        const flipped = Buffer.from(bytes);
        if (n > 0) flipped[n - 1] = (flipped[n - 1] ?? 0) ^ 1;
        expect(digestMatches(signer, ID, flipped, want)).toBe(n === 0);
      }
    },
  );

  it('a pass that could not hash leaves the GMAC to the digest, over the bytes it moved; a short digest never runs it', () => {
    const into = Buffer.alloc(payload.length);
    const moveOnly: GmacPass = () => {
      into.set(payload);
      return false;
    };
    expect(digestMatches(signer, ID, into, jsDigest(SALT, ID, payload), moveOnly)).toBe(true);
    let ran = 0;
    const counted: GmacPass = () => {
      ran++;
      return false;
    };
    expect(digestMatches(signer, ID, payload, jsDigest(SALT, ID, payload).subarray(0, 39), counted)).toBe(false);
    expect(ran).toBe(0);
    // A signing pass: the digest made during the copy verifies in JS.
    const out = Buffer.alloc(payload.length);
    const d = blockDigest(signer, ID, payload, (g, tagOut) => {
      out.set(payload);
      if (gmacCopy === undefined) return false;
      gmacCopy(GMAC_SIGN, tagOut, g.key, g.nonce, g.head, null, payload);
      return true;
    });
    expect(jsDigest(d.subarray(0, 24), ID, payload).equals(d)).toBe(true);
  });
});
