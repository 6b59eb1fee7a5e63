// Original file: oicf/v1/shm.proto

import type { ShmExtent as _oicf_v1_ShmExtent, ShmExtent__Output as _oicf_v1_ShmExtent__Output } from '../../oicf/v1/ShmExtent.js';

/**
 * kind "kv.put.slot": where to write the block; a "kv.put" naming this extent commits it. An extent never
 * committed is reclaimed when the connection closes or after the pool's slot TTL.
 */
export interface KvPutSlot {
  'extent'?: (_oicf_v1_ShmExtent | null);
  /**
   * the slot is reclaimed if not committed within this time
   */
  'ttlSeconds'?: (number | string);
}

/**
 * kind "kv.put.slot": where to write the block; a "kv.put" naming this extent commits it. An extent never
 * committed is reclaimed when the connection closes or after the pool's slot TTL.
 */
export interface KvPutSlot__Output {
  'extent': (_oicf_v1_ShmExtent__Output | null);
  /**
   * the slot is reclaimed if not committed within this time
   */
  'ttlSeconds': (number);
}
