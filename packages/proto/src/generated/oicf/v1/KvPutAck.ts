// Original file: oicf/v1/kv_pool.proto

import type { Tier as _oicf_v1_Tier, Tier__Output as _oicf_v1_Tier__Output } from '../../oicf/v1/Tier.js';
import type { KvPutSlot as _oicf_v1_KvPutSlot, KvPutSlot__Output as _oicf_v1_KvPutSlot__Output } from '../../oicf/v1/KvPutSlot.js';
import type { Long } from '@grpc/proto-loader';

/**
 * kind "kv.put.ack": the block is stored (or was already there).
 */
export interface KvPutAck {
  'blockId'?: (string);
  /**
   * tier the block was placed in
   */
  'tier'?: (_oicf_v1_Tier);
  /**
   * the pool already had this id; payload was verified and dropped
   */
  'alreadyPresent'?: (boolean);
  /**
   * payload bytes accounted to the tier
   */
  'storedBytes'?: (number | string | Long);
  /**
   * The slot asked for by KvPutRequest.next_slot_bytes (unset when none was asked or the arena had no room);
   * like a "kv.put.slot" answer, reclaimed if not committed within its ttl_seconds.
   */
  'nextSlot'?: (_oicf_v1_KvPutSlot | null);
}

/**
 * kind "kv.put.ack": the block is stored (or was already there).
 */
export interface KvPutAck__Output {
  'blockId': (string);
  /**
   * tier the block was placed in
   */
  'tier': (_oicf_v1_Tier__Output);
  /**
   * the pool already had this id; payload was verified and dropped
   */
  'alreadyPresent': (boolean);
  /**
   * payload bytes accounted to the tier
   */
  'storedBytes': (number);
  /**
   * The slot asked for by KvPutRequest.next_slot_bytes (unset when none was asked or the arena had no room);
   * like a "kv.put.slot" answer, reclaimed if not committed within its ttl_seconds.
   */
  'nextSlot': (_oicf_v1_KvPutSlot__Output | null);
}
