// Original file: oicf/v1/common.proto

import type { Tier as _oicf_v1_Tier, Tier__Output as _oicf_v1_Tier__Output } from '../../oicf/v1/Tier.js';
import type { Long } from '@grpc/proto-loader';

/**
 * One fixed-size block of KV cache: which prefix it covers, which tokens, where it sits and how large it is.
 */
export interface BlockRef {
  /**
   * hash-chain id, lowercase hex (covers this block and every token before it)
   */
  'blockId'?: (string);
  /**
   * position in the sequence of the block's first token, 0-based
   */
  'firstToken'?: (number);
  /**
   * tokens in the block (the configured block size; only full blocks get ids)
   */
  'numTokens'?: (number);
  /**
   * tier that holds the block now (TIER_UNSPECIFIED when the sender does not know)
   */
  'tier'?: (_oicf_v1_Tier);
  /**
   * KV payload bytes of the block (all layers, K and V)
   */
  'sizeBytes'?: (number | string | Long);
}

/**
 * One fixed-size block of KV cache: which prefix it covers, which tokens, where it sits and how large it is.
 */
export interface BlockRef__Output {
  /**
   * hash-chain id, lowercase hex (covers this block and every token before it)
   */
  'blockId': (string);
  /**
   * position in the sequence of the block's first token, 0-based
   */
  'firstToken': (number);
  /**
   * tokens in the block (the configured block size; only full blocks get ids)
   */
  'numTokens': (number);
  /**
   * tier that holds the block now (TIER_UNSPECIFIED when the sender does not know)
   */
  'tier': (_oicf_v1_Tier__Output);
  /**
   * KV payload bytes of the block (all layers, K and V)
   */
  'sizeBytes': (number);
}
