// Original file: oicf/v1/kv_pool.proto

import type { BlockIds as _oicf_v1_BlockIds, BlockIds__Output as _oicf_v1_BlockIds__Output } from '../../oicf/v1/BlockIds.js';
import type { Tier as _oicf_v1_Tier, Tier__Output as _oicf_v1_Tier__Output } from '../../oicf/v1/Tier.js';
import type { Long } from '@grpc/proto-loader';

export interface EvictRequest {
  /**
   * evict exactly these (leased ones are skipped and reported)
   */
  'blockIds'?: (_oicf_v1_BlockIds | null);
  /**
   * free at least this many bytes, chosen by the eviction policy
   */
  'freeBytes'?: (number | string | Long);
  /**
   * restrict to one tier (TIER_UNSPECIFIED = any tier, lowest first)
   */
  'tier'?: (_oicf_v1_Tier);
  'target'?: "blockIds"|"freeBytes";
}

export interface EvictRequest__Output {
  /**
   * evict exactly these (leased ones are skipped and reported)
   */
  'blockIds'?: (_oicf_v1_BlockIds__Output | null);
  /**
   * free at least this many bytes, chosen by the eviction policy
   */
  'freeBytes'?: (number);
  /**
   * restrict to one tier (TIER_UNSPECIFIED = any tier, lowest first)
   */
  'tier': (_oicf_v1_Tier__Output);
  'target'?: "blockIds"|"freeBytes";
}
