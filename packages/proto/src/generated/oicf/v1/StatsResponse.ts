// Original file: oicf/v1/kv_pool.proto

import type { TierStats as _oicf_v1_TierStats, TierStats__Output as _oicf_v1_TierStats__Output } from '../../oicf/v1/TierStats.js';
import type { Long } from '@grpc/proto-loader';

export interface StatsResponse {
  /**
   * fastest tier first
   */
  'tiers'?: (_oicf_v1_TierStats)[];
  'numActiveLeases'?: (number);
  'numLeasedBlocks'?: (number);
  /**
   * agent sessions with a live retention TTL
   */
  'numSessions'?: (number);
  /**
   * leases that ended by timeout rather than Release
   */
  'numLeaseExpiries'?: (number | string | Long);
  /**
   * tokens per block the pool was configured with
   */
  'blockTokens'?: (number);
  /**
   * blocks asked for (lookup with touch, get) and found in no tier
   */
  'numMisses'?: (number | string | Long);
}

export interface StatsResponse__Output {
  /**
   * fastest tier first
   */
  'tiers': (_oicf_v1_TierStats__Output)[];
  'numActiveLeases': (number);
  'numLeasedBlocks': (number);
  /**
   * agent sessions with a live retention TTL
   */
  'numSessions': (number);
  /**
   * leases that ended by timeout rather than Release
   */
  'numLeaseExpiries': (number);
  /**
   * tokens per block the pool was configured with
   */
  'blockTokens': (number);
  /**
   * blocks asked for (lookup with touch, get) and found in no tier
   */
  'numMisses': (number);
}
