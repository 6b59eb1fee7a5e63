// Original file: oicf/v1/kv_pool.proto

import type { Tier as _oicf_v1_Tier, Tier__Output as _oicf_v1_Tier__Output } from '../../oicf/v1/Tier.js';
import type { Long } from '@grpc/proto-loader';

/**
 * Occupancy and cumulative counters of one tier since the pool started.
 */
export interface TierStats {
  'tier'?: (_oicf_v1_Tier);
  'capacityBytes'?: (number | string | Long);
  'usedBytes'?: (number | string | Long);
  'numBlocks'?: (number);
  /**
   * blocks served by this tier (lookups with touch, and gets)
   */
  'numHits'?: (number | string | Long);
  /**
   * blocks copied up into this tier on a hit (onboard)
   */
  'numPromotions'?: (number | string | Long);
  /**
   * blocks moved down out of this tier under pressure (offload)
   */
  'numDemotions'?: (number | string | Long);
  /**
   * blocks dropped from this tier without a lower tier to take them
   */
  'numEvictions'?: (number | string | Long);
  /**
   * blocks found corrupt on read here, dropped and counted as misses
   */
  'numChecksumFailures'?: (number | string | Long);
  /**
   * configured pacing bandwidth (0 = unpaced)
   */
  'bandwidthBytesPerSecond'?: (number | string);
  /**
   * configured pacing latency per transfer
   */
  'latencySeconds'?: (number | string);
  /**
   * The read path the pool's placement model uses for this tier (configured, else the tier catalog's,
   * packages/oicf hardware/tiers.ts), paced or not: what a router prices reads from this tier with.
   */
  'readBandwidthBytesPerSecond'?: (number | string);
  'readLatencySeconds'?: (number | string);
}

/**
 * Occupancy and cumulative counters of one tier since the pool started.
 */
export interface TierStats__Output {
  'tier': (_oicf_v1_Tier__Output);
  'capacityBytes': (number);
  'usedBytes': (number);
  'numBlocks': (number);
  /**
   * blocks served by this tier (lookups with touch, and gets)
   */
  'numHits': (number);
  /**
   * blocks copied up into this tier on a hit (onboard)
   */
  'numPromotions': (number);
  /**
   * blocks moved down out of this tier under pressure (offload)
   */
  'numDemotions': (number);
  /**
   * blocks dropped from this tier without a lower tier to take them
   */
  'numEvictions': (number);
  /**
   * blocks found corrupt on read here, dropped and counted as misses
   */
  'numChecksumFailures': (number);
  /**
   * configured pacing bandwidth (0 = unpaced)
   */
  'bandwidthBytesPerSecond': (number);
  /**
   * configured pacing latency per transfer
   */
  'latencySeconds': (number);
  /**
   * The read path the pool's placement model uses for this tier (configured, else the tier catalog's,
   * packages/oicf hardware/tiers.ts), paced or not: what a router prices reads from this tier with.
   */
  'readBandwidthBytesPerSecond': (number);
  'readLatencySeconds': (number);
}
