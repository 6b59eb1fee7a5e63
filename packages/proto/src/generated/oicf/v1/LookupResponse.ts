// Original file: oicf/v1/kv_pool.proto

import type { BlockRef as _oicf_v1_BlockRef, BlockRef__Output as _oicf_v1_BlockRef__Output } from '../../oicf/v1/BlockRef.js';

export interface LookupResponse {
  /**
   * leading ids of the chain present in the pool, 0..len(block_ids)
   */
  'numCachedBlocks'?: (number);
  /**
   * tokens covered by those blocks
   */
  'numCachedTokens'?: (number);
  /**
   * one per cached block, in chain order (length = num_cached_blocks)
   */
  'blocks'?: (_oicf_v1_BlockRef)[];
}

export interface LookupResponse__Output {
  /**
   * leading ids of the chain present in the pool, 0..len(block_ids)
   */
  'numCachedBlocks': (number);
  /**
   * tokens covered by those blocks
   */
  'numCachedTokens': (number);
  /**
   * one per cached block, in chain order (length = num_cached_blocks)
   */
  'blocks': (_oicf_v1_BlockRef__Output)[];
}
