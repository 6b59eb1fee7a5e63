// Original file: oicf/v1/common.proto

import type { TopLogprob as _oicf_v1_TopLogprob, TopLogprob__Output as _oicf_v1_TopLogprob__Output } from '../../oicf/v1/TopLogprob.js';

/**
 * The log-probability of one generated token: the natural-log softmax of the raw logits of its position
 * (temperature 1, before top-k/top-p: vLLM's default "raw_logprobs"), computed by the sampler that drew it.
 */
export interface TokenLogprob {
  /**
   * the sampled token
   */
  'tokenId'?: (number);
  /**
   * its log-probability (≤ 0)
   */
  'logprob'?: (number | string);
  /**
   * the num_top_logprobs most likely tokens, descending (ties: lower id first)
   */
  'topLogprobs'?: (_oicf_v1_TopLogprob)[];
}

/**
 * The log-probability of one generated token: the natural-log softmax of the raw logits of its position
 * (temperature 1, before top-k/top-p: vLLM's default "raw_logprobs"), computed by the sampler that drew it.
 */
export interface TokenLogprob__Output {
  /**
   * the sampled token
   */
  'tokenId': (number);
  /**
   * its log-probability (≤ 0)
   */
  'logprob': (number);
  /**
   * the num_top_logprobs most likely tokens, descending (ties: lower id first)
   */
  'topLogprobs': (_oicf_v1_TopLogprob__Output)[];
}
