// The receipt check of a put (receipt-check.ts): what is kept as the block's XXH32, and what is refused.

import { createCipheriv } from 'node:crypto';
import { blockChecksum, chainBlockIds } from '@oicf/kv';
import { contractBytes } from '@oicf/kv/testing';
import { blockDigest, type GmacInput } from '@oicf/pool-client';
import { OicfError } from '@oicf/transport';
import { describe, expect, it } from 'vitest';
import { BlockDigests } from './block-digests.js';
import { receiptCheck, receiptCheckOnce } from './receipt-check.js';

const signer = { key: Buffer.alloc(32, 9), kvFormat: 'tiny-gqa/fp32' };
const [id] = chainBlockIds(Array.from({ length: 64 }, (_, i) => i)) as [string];
const bytes = Buffer.from(contractBytes(1, 4096));
const other = Buffer.from(contractBytes(2, 4096));
const digests = new BlockDigests({ signer });

describe('receiptCheck', () => {
  it("keeps the writer's XXH32 when it matches, refuses it when it does not (with or without the block key)", () => {
    for (const d of [undefined, digests]) {
      const digest = d === undefined ? undefined : blockDigest(signer, id, bytes);
      const check = receiptCheck({ checksum: blockChecksum(bytes), digest }, id, false, d);
      expect(check(bytes)).toBe(blockChecksum(bytes));
      const wrong = receiptCheck({ checksum: blockChecksum(other), digest }, id, false, d)(bytes);
      expect(wrong).toMatchObject({ code: 'CHECKSUM_MISMATCH', field: 'body.checksum' });
    }
  });

  it('a signed put without XXH32: the XXH32 kept is computed from the bytes the digest verified', () => {
    const check = receiptCheck({ digest: blockDigest(signer, id, bytes) }, id, false, digests);
    const kept = check(bytes);
    expect(kept).toBe(blockChecksum(bytes));
    expect(kept).not.toBe(blockChecksum(other)); // the two payloads differ in XXH32, so the line above tells
    // Bytes other than the signed ones (a torn or tampered slot): refused by the digest, no XXH32 is made up.
    expect(check(other)).toMatchObject({ code: 'CHECKSUM_MISMATCH', field: 'body.digest' });
  });

  it('refuses a put without XXH32 that carries no digest, and one sent to a pool without the block key', () => {
    expect(receiptCheck({}, id, false, digests)(bytes)).toMatchObject({
      code: 'CHECKSUM_MISMATCH',
      field: 'body.digest',
    });
    let thrown: unknown;
    try {
      receiptCheck({ digest: blockDigest(signer, id, bytes) }, id, false, undefined);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(OicfError);
    expect(thrown).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'body.checksumFromPool' });
    expect((thrown as Error).message).toContain(id);
  });
});

describe('receiptCheckOnce (one pass over a mapped slot: GMAC and XXH32 of one copy)', () => {
  /** A pass as the arena's: GMAC (node:crypto here) and XXH32 of `slot`, or undefined when it "cannot run". */
  const passOver =
    (slot: Buffer, calls: { n: number }, can = true) =>
    (g: GmacInput, tagOut: Buffer) => {
      calls.n++;
      if (!can) return undefined;
      const c = createCipheriv('aes-256-gcm', g.key, g.nonce);
      c.setAAD(g.head);
      c.setAAD(slot);
      c.final();
      c.getAuthTag().copy(tagOut);
      return blockChecksum(slot);
    };
  const sized = new BlockDigests({ signer, blockBytes: 4096 });

  it('the same answers as receiptCheck on a copy: XXH32 kept, tampered bytes, a wrong XXH32', () => {
    const calls = { n: 0 };
    const digest = blockDigest(signer, id, bytes);
    expect(receiptCheckOnce({ digest }, id, 4096, true, sized, passOver(bytes, calls))).toBe(blockChecksum(bytes));
    expect(receiptCheckOnce({ digest }, id, 4096, true, sized, passOver(other, calls))).toMatchObject({
      code: 'CHECKSUM_MISMATCH',
      field: 'body.digest',
    });
    const wrongSum = { digest, checksum: blockChecksum(other) };
    expect(receiptCheckOnce(wrongSum, id, 4096, true, sized, passOver(bytes, calls))).toMatchObject({
      code: 'CHECKSUM_MISMATCH',
      field: 'body.checksum',
    });
    expect(calls.n).toBe(3);
  });

  it('refuses a wrong size or a missing digest without reading the slot; undefined when the pass cannot run', () => {
    const calls = { n: 0 };
    const digest = blockDigest(signer, id, bytes);
    expect(receiptCheckOnce({ digest }, id, 4095, true, sized, passOver(bytes, calls))).toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    expect(receiptCheckOnce({}, id, 4096, true, sized, passOver(bytes, calls))).toMatchObject({
      code: 'CHECKSUM_MISMATCH',
      field: 'body.digest',
    });
    expect(calls.n).toBe(0);
    expect(receiptCheckOnce({ digest }, id, 4096, true, sized, passOver(bytes, calls, false))).toBeUndefined();
    // A digest of the wrong length never reads the slot either: undefined, and the copy's check refuses it.
    expect(receiptCheckOnce({ digest: digest.subarray(0, 39) }, id, 4096, true, sized, passOver(bytes, calls))).toBe(
      undefined,
    );
    expect(calls.n).toBe(1);
  });
});
