// Original file: oicf/v1/prefill.proto

import type { BlockRef as _oicf_v1_BlockRef, BlockRef__Output as _oicf_v1_BlockRef__Output } from '../../oicf/v1/BlockRef.js';
import type { PrefillTimings as _oicf_v1_PrefillTimings, PrefillTimings__Output as _oicf_v1_PrefillTimings__Output } from '../../oicf/v1/PrefillTimings.js';
import type { TokenLogprob as _oicf_v1_TokenLogprob, TokenLogprob__Output as _oicf_v1_TokenLogprob__Output } from '../../oicf/v1/TokenLogprob.js';
import type { Long } from '@grpc/proto-loader';

export interface PrefillResponse {
  'requestId'?: (string);
  'firstTokenId'?: (number);
  /**
   * prompt tokens whose KV was fetched
   */
  'numCachedTokens'?: (number);
  /**
   * prompt tokens whose KV was computed here
   */
  'numComputedTokens'?: (number);
  /**
   * KV payload bytes pushed to the decode worker and pool together
   */
  'kvBytesSent'?: (number | string | Long);
  /**
   * the prompt's full blocks (ids, sizes) as handed off
   */
  'blocks'?: (_oicf_v1_BlockRef)[];
  'timings'?: (_oicf_v1_PrefillTimings | null);
  /**
   * with sampling.logprobs: the first token's log-probability
   */
  'firstTokenLogprob'?: (_oicf_v1_TokenLogprob | null);
}

export interface PrefillResponse__Output {
  'requestId': (string);
  'firstTokenId': (number);
  /**
   * prompt tokens whose KV was fetched
   */
  'numCachedTokens': (number);
  /**
   * prompt tokens whose KV was computed here
   */
  'numComputedTokens': (number);
  /**
   * KV payload bytes pushed to the decode worker and pool together
   */
  'kvBytesSent': (number);
  /**
   * the prompt's full blocks (ids, sizes) as handed off
   */
  'blocks': (_oicf_v1_BlockRef__Output)[];
  'timings': (_oicf_v1_PrefillTimings__Output | null);
  /**
   * with sampling.logprobs: the first token's log-probability
   */
  'firstTokenLogprob': (_oicf_v1_TokenLogprob__Output | null);
}
