// The receipt check of a put (receipt-check.ts): what is kept as the block's XXH32, and what is refused.
import { blockChecksum, chainBlockIds } from '@oicf/kv';
import { contractBytes } from '@oicf/kv/testing';
import { blockDigest } from '@oicf/pool-client';
import { OicfError } from '@oicf/transport';
import { describe, expect, it } from 'vitest';
import { BlockDigests } from './block-digests.js';
import { receiptCheck } from './receipt-check.js';

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
