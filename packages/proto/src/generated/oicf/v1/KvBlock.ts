// Original file: oicf/v1/kv_pool.proto

import type { Tier as _oicf_v1_Tier, Tier__Output as _oicf_v1_Tier__Output } from '../../oicf/v1/Tier.js';
import type { ShmExtent as _oicf_v1_ShmExtent, ShmExtent__Output as _oicf_v1_ShmExtent__Output } from '../../oicf/v1/ShmExtent.js';

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
   * set: the payload is in this arena extent, `payload` is empty; held until kv.get.release
   */
  'shm'?: (_oicf_v1_ShmExtent | null);
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
   * set: the payload is in this arena extent, `payload` is empty; held until kv.get.release
   */
  'shm': (_oicf_v1_ShmExtent__Output | null);
}
