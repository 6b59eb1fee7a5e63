// What a put's bytes must pass before the pool keeps them (docs/reliability.md, "cache integrity"). With the
// block key the writer's digest is checked; XXH32 is computed always, because the pool keeps it with the block
// and every frame reader checks the bytes against it (the digest does not cover that field). The XXH32 must
// equal the writer's `checksum`, or, when a signed writer left it to the pool (`checksum_from_pool`: one hash at
// the writer instead of two), it is taken from these bytes, which the digest has just bound to the writer's.
import { type PutRequest, payloadChecksum } from '@oicf/pool-client';
import { OicfError } from '@oicf/transport';
import type { BlockDigests } from './block-digests.js';

/**
 * Checks a put's bytes: the XXH32 to keep with them, or why they are refused. `xxh32`: the bytes' XXH32 the caller
 * computed itself (a guarded pass over a mapped slot in place), only for a pool without a block key: `bytes` then goes
 * unread (pass an empty array).
 */
export type ReceiptCheck = (bytes: Uint8Array, xxh32?: number) => OicfError | number;

/**
 * The check for one put. Throws INVALID_ARGUMENT at once for a put that leaves its XXH32 to a pool that holds
 * no block key (such a pool could verify nothing about the bytes).
 */
export function receiptCheck(
  body: Pick<PutRequest, 'checksum' | 'digest'>,
  blockId: string,
  isFullBlock: boolean,
  digests: BlockDigests | undefined,
): ReceiptCheck {
  if (body.checksum === undefined && digests === undefined) {
    throw new OicfError(
      'INVALID_ARGUMENT',
      `block ${blockId}: body.checksumFromPool needs a pool holding the block key to check body.digest; this one holds none: send body.checksum`,
      { field: 'body.checksumFromPool' },
    );
  }
  return (bytes, xxh32) => {
    if (xxh32 !== undefined && digests !== undefined) {
      // The digest and the XXH32 it binds must run on one copy of the bytes (see kv-pool.ts).
      return new OicfError('INTERNAL', `block ${blockId}: a keyed put was checked without its bytes`);
    }
    const refused = digests?.check(blockId, bytes, isFullBlock, body.digest);
    if (refused !== undefined) return refused;
    const sum = xxh32 ?? payloadChecksum(bytes); // XXH32 (blockChecksum's value), in C when the shm addon is on
    if (body.checksum === undefined || sum === body.checksum >>> 0) return sum;
    return new OicfError(
      'CHECKSUM_MISMATCH',
      `block ${blockId}: payload does not match body.checksum (XXH32, seed 0): resend it`,
      { field: 'body.checksum' },
    );
  };
}
