// Original file: oicf/v1/kv_pool.proto

import type { Tier as _oicf_v1_Tier, Tier__Output as _oicf_v1_Tier__Output } from '../../oicf/v1/Tier.js';

/**
 * kind "kv.block": one block of a get stream.
 */
export interface KvBlock {
  'blockId'?: (string);
  /**
   * XXH32 (seed 0) of `payload`; the receiver verifies it
   */
  'checksum'?: (number);
  'payload'?: (Buffer | Uint8Array | string);
  'numTokens'?: (number);
  /**
   * tier the block was served from
   */
  'tier'?: (_oicf_v1_Tier);
  /**
   * the writer's keyed digest stored with the block (KvPutRequest.digest); a reader
   */
  'digest'?: (Buffer | Uint8Array | string);
}

/**
 * kind "kv.block": one block of a get stream.
 */
export interface KvBlock__Output {
  'blockId': (string);
  /**
   * XXH32 (seed 0) of `payload`; the receiver verifies it
   */
  'checksum': (number);
  'payload': (Buffer);
  'numTokens': (number);
  /**
   * tier the block was served from
   */
  'tier': (_oicf_v1_Tier__Output);
  /**
   * the writer's keyed digest stored with the block (KvPutRequest.digest); a reader
   */
  'digest': (Buffer);
}
