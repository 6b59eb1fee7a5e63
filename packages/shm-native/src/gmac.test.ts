import { createCipheriv } from 'node:crypto';
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GMAC_SIGN, GMAC_VERIFY, GMAC_XXH32, nativeGmac, nativeGmacCopy } from './gmac.js';
import { MappedFile } from './mapped-file.js';
import { shmNative, shmNativeStatus } from './native.js';

const hex = (h: string) => Buffer.from(h, 'hex');
const gmacCopy = nativeGmacCopy();
const off = gmacCopy === undefined ? ' (skipped: the addon, or its GMAC, did not load)' : '';

// GMAC vectors (AES-256-GCM, empty plaintext, the AAD authenticated): NIST CAVP gcmEncryptExtIV256.rsp
// [Keylen = 256][IVlen = 96][PTlen = 0] with [AADlen = 0] Count 0, [AADlen = 128] Count 0 and 1, [AADlen = 160]
// Count 0; and McGrew & Viega's GCM specification, test case 13 (all-zero key and IV, nothing at all).
const VECTORS = [
  {
    name: 'CAVP AADlen 0',
    key: 'b52c505a37d78eda5dd34f20c22540ea1b58963cf8e5bf8ffa85f9f2492505b4',
    iv: '516c33929df5a3284ff463d7',
    aad: '',
    tag: 'bdc1ac884d332457a1d2664f168c76f0',
  },
  {
    name: 'CAVP AADlen 128 #0',
    key: '78dc4e0aaf52d935c3c01eea57428f00ca1fd475f5da86a49c8dd73d68c8e223',
    iv: 'd79cf22d504cc793c3fb6c8a',
    aad: 'b96baa8c1c75a671bfb2d08d06be5f36',
    tag: '3e5d486aa2e30b22e040b85723a06e76',
  },
  {
    name: 'CAVP AADlen 128 #1',
    key: '4457ff33683cca6ca493878bdc00373893a9763412eef8cddb54f91318e0da88',
    iv: '699d1f29d7b8c55300bb1fd2',
    aad: '6749daeea367d0e9809e2dc2f309e6e3',
    tag: 'd60c74d2517fde4a74e0cd4709ed43a9',
  },
  {
    name: 'CAVP AADlen 160 #0',
    key: '886cff5f3e6b8d0e1ad0a38fcdb26de97e8acbe79f6bed66959a598fa5047d65',
    iv: '3a8efa1cd74bbab5448f9945',
    aad: '519fee519d25c7a304d6c6aa1897ee1eb8c59655',
    tag: 'f6d47505ec96c98a42dc3ae719877b87',
  },
  {
    name: 'GCM spec case 13',
    key: '00'.repeat(32),
    iv: '00'.repeat(12),
    aad: '',
    tag: '530f8afbc74536b9a963b4f1c4cb738b',
  },
];

/** node:crypto's AES-256-GCM tag with `head` then `bytes` as AAD: the construction block-digest.ts runs in JS. */
function jsGmac(key: Uint8Array, iv: Uint8Array, head: Uint8Array, bytes: Uint8Array): Buffer {
  const g = createCipheriv('aes-256-gcm', key, iv);
  g.setAAD(head);
  g.setAAD(bytes);
  g.final();
  return g.getAuthTag();
}

const pattern = (n: number, seed: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 131 + seed) & 0xff));

describe.skipIf(gmacCopy === undefined)(`gmacCopy, GMAC in C with Node's OpenSSL${off}`, () => {
  const run = (mode: 0 | 1 | 2, key: Uint8Array, iv: Uint8Array, head: Uint8Array, src: Uint8Array) => {
    const tag = Buffer.alloc(16);
    const dst = mode === GMAC_XXH32 ? null : Buffer.alloc(src.byteLength, 0xee);
    const result = gmacCopy?.(mode, tag, key, iv, head, dst, src);
    return { tag: tag.toString('hex'), dst, result };
  };

  it('gives the NIST and GCM-spec tags in every mode, whatever part of the AAD comes as head or as bytes', () => {
    for (const v of VECTORS) {
      const aad = hex(v.aad);
      for (const cut of new Set([0, Math.floor(aad.length / 3), aad.length])) {
        for (const mode of [GMAC_SIGN, GMAC_VERIFY, GMAC_XXH32] as const) {
          const got = run(mode, hex(v.key), hex(v.iv), aad.subarray(0, cut), aad.subarray(cut));
          expect({ name: v.name, cut, mode, tag: got.tag }).toEqual({ name: v.name, cut, mode, tag: v.tag });
          if (got.dst !== null) expect(got.dst.equals(aad.subarray(cut))).toBe(true); // and the bytes were copied
        }
      }
    }
  });

  it("matches node:crypto's tag, copies exactly, and returns the copy's XXH32, across its 64 KiB chunks", () => {
    const key = pattern(32, 3);
    const iv = pattern(12, 5);
    const head = Buffer.from('oicf-block-v3\0ab\0tiny-gqa/fp32\0');
    const xxh32 = shmNative()?.xxh32 as (b: Uint8Array, s: number) => number;
    // XXH32 reference values (xxHash's: "" → 0x02CC5D05, "abc" → 0x32D153FF).
    expect(run(GMAC_XXH32, key, iv, head, new Uint8Array(0)).result).toBe(0x02cc5d05);
    expect(run(GMAC_XXH32, key, iv, head, Buffer.from('abc')).result).toBe(0x32d153ff);
    for (const n of [0, 1, 15, 16, 17, 65_535, 65_536, 65_537, 3 * 65_536 + 5, 262_144]) {
      const src = pattern(n, n & 0xff);
      const want = jsGmac(key, iv, head, src).toString('hex');
      for (const mode of [GMAC_SIGN, GMAC_VERIFY, GMAC_XXH32] as const) {
        const got = run(mode, key, iv, head, src);
        expect({ n, mode, tag: got.tag }).toEqual({ n, mode, tag: want });
        if (got.dst !== null) expect(got.dst.equals(src)).toBe(true);
        expect(got.result).toBe(mode === GMAC_XXH32 ? xxh32(src, 0) : 0);
      }
    }
    // Sign without a copy (private bytes).
    const tag = Buffer.alloc(16);
    gmacCopy?.(GMAC_SIGN, tag, key, iv, head, null, pattern(1000, 1));
    expect(tag.equals(jsGmac(key, iv, head, pattern(1000, 1)))).toBe(true);
  });

  it('refuses bad arguments with an error, not a wrong tag', () => {
    const ok = { tag: Buffer.alloc(16), key: Buffer.alloc(32), iv: Buffer.alloc(12) };
    const src = Buffer.alloc(8);
    expect(() => gmacCopy?.(GMAC_SIGN, Buffer.alloc(15), ok.key, ok.iv, src, null, src)).toThrow(/bad arguments/);
    expect(() => gmacCopy?.(GMAC_SIGN, ok.tag, Buffer.alloc(16), ok.iv, src, null, src)).toThrow(/bad arguments/);
    expect(() => gmacCopy?.(GMAC_SIGN, ok.tag, ok.key, Buffer.alloc(16), src, null, src)).toThrow(/bad arguments/);
    expect(() => gmacCopy?.(GMAC_VERIFY, ok.tag, ok.key, ok.iv, src, null, src)).toThrow(/copies into dst/);
    expect(() => gmacCopy?.(GMAC_XXH32, ok.tag, ok.key, ok.iv, src, Buffer.alloc(8), src)).toThrow(/takes no dst/);
    expect(() => gmacCopy?.(GMAC_VERIFY, ok.tag, ok.key, ok.iv, src, Buffer.alloc(7), src)).toThrow(/length/);
  });

  it('private-bytes GMAC (nativeGmac) follows the data path switch, with the same tag', () => {
    expect(nativeGmac !== undefined).toBe(shmNativeStatus().on);
    const tag = Buffer.alloc(16);
    nativeGmac?.(tag, { key: pattern(32, 9), nonce: pattern(12, 8), head: Buffer.from('h') }, pattern(5000, 7));
    if (nativeGmac !== undefined)
      expect(tag.equals(jsGmac(pattern(32, 9), pattern(12, 8), Buffer.from('h'), pattern(5000, 7)))).toBe(true);
  });
});

const DIR = mkdtempSync(join(tmpdir(), 'oicf-gmac-test-'));
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

describe.skipIf(gmacCopy === undefined)(`MappedFile's GMAC copies${off}`, () => {
  const gmac = { key: pattern(32, 1), nonce: pattern(12, 2), head: Buffer.from('oicf-block-v3\0id\0fmt\0') };
  const SIZE = 1 << 20;

  it('writeGmac signs what it writes, readGmac hashes what it copied out, hashGmac both of one copy', () => {
    const fd = openSync(join(DIR, 'seg'), 'w+');
    ftruncateSync(fd, SIZE);
    const file = MappedFile.open(fd, SIZE, true);
    if (typeof file === 'string') throw new Error(file);
    const bytes = pattern(300_001, 9);
    const want = jsGmac(gmac.key, gmac.nonce, gmac.head, bytes);
    const tag = Buffer.alloc(16);
    expect(file.writeGmac(bytes, 4096 + 3, gmac, tag)).toBe(true);
    expect(tag.equals(want)).toBe(true);
    const back = Buffer.alloc(bytes.length);
    tag.fill(0);
    expect(file.readGmac(back, 4096 + 3, gmac, tag)).toBe(true);
    expect(back.equals(bytes)).toBe(true);
    expect(tag.equals(want)).toBe(true);
    tag.fill(0);
    expect(file.hashGmac(4096 + 3, bytes.length, gmac, tag)).toBe(shmNative()?.xxh32(bytes, 0));
    expect(tag.equals(want)).toBe(true);
    // Past the mapping: the same RangeError as every access.
    expect(() => file.readGmac(Buffer.alloc(16), SIZE - 8, gmac, tag)).toThrow(RangeError);
    file.close();
    closeSync(fd);
  });
});
