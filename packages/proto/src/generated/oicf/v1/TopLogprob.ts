// Original file: oicf/v1/common.proto


/**
 * One alternative of TokenLogprob.top_logprobs.
 */
export interface TopLogprob {
  'tokenId'?: (number);
  'logprob'?: (number | string);
}

/**
 * One alternative of TokenLogprob.top_logprobs.
 */
export interface TopLogprob__Output {
  'tokenId': (number);
  'logprob': (number);
}
