// Original file: oicf/v1/kv_pool.proto

import type { ShmExtent as _oicf_v1_ShmExtent, ShmExtent__Output as _oicf_v1_ShmExtent__Output } from '../../oicf/v1/ShmExtent.js';

/**
 * kind "kv.put": store one block.
 */
export interface KvPutRequest {
  /**
   * hash-chain id of the block
   */
  'blockId'?: (string);
  /**
   * id of the previous block in the chain ("" for the first block)
   */
  'parentId'?: (string);
  /**
   * tokens covered by this block alone
   */
  'numTokens'?: (number);
  /**
   * XXH32 (seed 0) of `payload`, as packages/kv blockChecksum; verified before storing
   */
  'checksum'?: (number);
  /**
   * the block's KV bytes (layout defined by packages/kernels)
   */
  'payload'?: (Buffer | Uint8Array | string);
  /**
   * agent session that owns the block ("" = none); keeps it warm between turns
   */
  'sessionId'?: (string);
  /**
   * session retention TTL (0 = no session pin)
   */
  'ttlSeconds'?: (number | string);
  /**
   * set: the payload is in this arena extent (from "kv.put.slot"), `payload` is empty
   */
  'shm'?: (_oicf_v1_ShmExtent | null);
  /**
   * Keyed block digest: 24-byte salt ‖ GMAC(subkey from the block key and salt, nonce from the salt, block_id ‖ model ‖ precision ‖ payload), the key derived
   * from the cluster secret (docs/reliability.md, "cache integrity"). Binds the bytes to this id and model;
   * a pool holding the block key refuses a put whose digest does not match. Empty = not sent (no block key).
   * Also required with `shm`: the digest covers the arena bytes the pool reads back.
   */
  'digest'?: (Buffer | Uint8Array | string);
  /**
   * With `shm`: also reserve a slot of this many bytes for the writer's next put, answered in
   * KvPutAck.next_slot (one round trip per put instead of two). 0 = none.
   */
  'nextSlotBytes'?: (number);
  /**
   * Set: `checksum` is not sent (0). Only with `digest`, to a pool that holds the block key: the pool checks the
   * digest and computes the XXH32 it keeps from the same bytes (a signed writer hashes its block once, not twice).
   */
  'checksumFromPool'?: (boolean);
}

/**
 * kind "kv.put": store one block.
 */
export interface KvPutRequest__Output {
  /**
   * hash-chain id of the block
   */
  'blockId': (string);
  /**
   * id of the previous block in the chain ("" for the first block)
   */
  'parentId': (string);
  /**
   * tokens covered by this block alone
   */
  'numTokens': (number);
  /**
   * XXH32 (seed 0) of `payload`, as packages/kv blockChecksum; verified before storing
   */
  'checksum': (number);
  /**
   * the block's KV bytes (layout defined by packages/kernels)
   */
  'payload': (Buffer);
  /**
   * agent session that owns the block ("" = none); keeps it warm between turns
   */
  'sessionId': (string);
  /**
   * session retention TTL (0 = no session pin)
   */
  'ttlSeconds': (number);
  /**
   * set: the payload is in this arena extent (from "kv.put.slot"), `payload` is empty
   */
  'shm': (_oicf_v1_ShmExtent__Output | null);
  /**
   * Keyed block digest: 24-byte salt ‖ GMAC(subkey from the block key and salt, nonce from the salt, block_id ‖ model ‖ precision ‖ payload), the key derived
   * from the cluster secret (docs/reliability.md, "cache integrity"). Binds the bytes to this id and model;
   * a pool holding the block key refuses a put whose digest does not match. Empty = not sent (no block key).
   * Also required with `shm`: the digest covers the arena bytes the pool reads back.
   */
  'digest': (Buffer);
  /**
   * With `shm`: also reserve a slot of this many bytes for the writer's next put, answered in
   * KvPutAck.next_slot (one round trip per put instead of two). 0 = none.
   */
  'nextSlotBytes': (number);
  /**
   * Set: `checksum` is not sent (0). Only with `digest`, to a pool that holds the block key: the pool checks the
   * digest and computes the XXH32 it keeps from the same bytes (a signed writer hashes its block once, not twice).
   */
  'checksumFromPool': (boolean);
}
