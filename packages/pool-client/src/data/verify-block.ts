import { blockChecksum } from '@oicf/kv';
import { nativeXxh32 } from '@oicf/shm-native';

/**
 * Verification of received KV blocks, the same on every transport and for every holder (the pool, a
 * decode worker's block cache, a prefill worker's handoff): a block is used only when it is the one
 * asked for and its bytes match the XXH32 (seed 0) its sender recorded.
 */

let scratch = new Uint8Array(0);

/**
 * XXH32 (seed 0) of a payload, the value `blockChecksum` gives (natively when @oicf/shm-native is on). XXH32 reads 32-bit words 3× faster
 * from a 4-byte-aligned buffer; a payload received inside a frame usually sits at an odd offset, so it
 * is first copied into a reused aligned scratch buffer (memcpy costs far less than the slow path).
 */
export function payloadChecksum(payload: Uint8Array): number {
  // The same XXH32 in C when the shared-memory addon is built (any alignment; ≈ 25 % less CPU per byte here).
  if (nativeXxh32 !== undefined) return nativeXxh32(payload, 0);
  if (payload.byteOffset % 4 === 0 || payload.byteLength < 1024) return blockChecksum(payload);
  if (scratch.byteLength < payload.byteLength) scratch = new Uint8Array(payload.byteLength);
  const aligned = scratch.subarray(0, payload.byteLength);
  aligned.set(payload);
  return blockChecksum(aligned);
}

/** Why a received block cannot be used. Any of these is a miss (counted), never imported. */
export type BlockProblem = 'checksum' | 'identity' | 'size';

/** What the receiver expected at this position of the chain. */
export interface ExpectedBlock {
  readonly blockId: string;
  readonly numTokens: number;
}

/**
 * Verifies a received block: the id and token count are the ones asked for (identity), the payload
 * holds exactly numTokens × kvBytesPerToken bytes (size), and XXH32 matches (checksum) unless the channel
 * verified the keyed digest.
 */
export function checkBlock(
  expected: ExpectedBlock,
  received: {
    blockId: string;
    numTokens: number;
    payload: Uint8Array;
    checksum: number;
    digestVerified?: boolean;
    checksumVerified?: boolean;
  },
  kvBytesPerToken: number,
): BlockProblem | undefined {
  if (received.blockId !== expected.blockId || received.numTokens !== expected.numTokens) return 'identity';
  if (received.payload.byteLength !== expected.numTokens * kvBytesPerToken) return 'size';
  return checksumMatches(received) ? undefined : 'checksum';
}

/**
 * The payload's XXH32 is the checksum its sender recorded, or the channel already checked the payload against
 * its writer's keyed digest (which binds every byte to the id: one pass instead of two), or already computed the
 * payload's XXH32 during its copy and found it equal (checksumVerified).
 */
export function checksumMatches(received: {
  payload: Uint8Array;
  checksum: number;
  digestVerified?: boolean;
  checksumVerified?: boolean;
}): boolean {
  if (received.digestVerified === true || received.checksumVerified === true) return true;
  return payloadChecksum(received.payload) >>> 0 === received.checksum >>> 0;
}
