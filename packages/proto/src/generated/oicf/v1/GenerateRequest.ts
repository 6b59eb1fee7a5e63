// Original file: oicf/v1/router.proto

import type { TokenIds as _oicf_v1_TokenIds, TokenIds__Output as _oicf_v1_TokenIds__Output } from '../../oicf/v1/TokenIds.js';
import type { SamplingParams as _oicf_v1_SamplingParams, SamplingParams__Output as _oicf_v1_SamplingParams__Output } from '../../oicf/v1/SamplingParams.js';

export interface GenerateRequest {
  /**
   * client-chosen id ("" = the router assigns one)
   */
  'requestId'?: (string);
  /**
   * prompt text, tokenized by the router
   */
  'text'?: (string);
  /**
   * already tokenized prompt
   */
  'tokenIds'?: (_oicf_v1_TokenIds | null);
  /**
   * most tokens to generate (0 = up to the context limit, as vLLM)
   */
  'maxTokens'?: (number);
  /**
   * unset = temperature 1; seed 0 = a random seed per request (pass one to repeat)
   */
  'sampling'?: (_oicf_v1_SamplingParams | null);
  /**
   * agent session: turns of one session share KV ("" = none)
   */
  'sessionId'?: (string);
  /**
   * keep the session's KV warm this long after the turn (0 = router default)
   */
  'sessionTtlSeconds'?: (number | string);
  /**
   * true: a chunk per decode step; false: one chunk at the end
   */
  'stream'?: (boolean);
  /**
   * stop strings: generation ends before the first one in the text (not included)
   */
  'stop'?: (string)[];
  'prompt'?: "text"|"tokenIds";
}

export interface GenerateRequest__Output {
  /**
   * client-chosen id ("" = the router assigns one)
   */
  'requestId': (string);
  /**
   * prompt text, tokenized by the router
   */
  'text'?: (string);
  /**
   * already tokenized prompt
   */
  'tokenIds'?: (_oicf_v1_TokenIds__Output | null);
  /**
   * most tokens to generate (0 = up to the context limit, as vLLM)
   */
  'maxTokens': (number);
  /**
   * unset = temperature 1; seed 0 = a random seed per request (pass one to repeat)
   */
  'sampling': (_oicf_v1_SamplingParams__Output | null);
  /**
   * agent session: turns of one session share KV ("" = none)
   */
  'sessionId': (string);
  /**
   * keep the session's KV warm this long after the turn (0 = router default)
   */
  'sessionTtlSeconds': (number);
  /**
   * true: a chunk per decode step; false: one chunk at the end
   */
  'stream': (boolean);
  /**
   * stop strings: generation ends before the first one in the text (not included)
   */
  'stop': (string)[];
  'prompt'?: "text"|"tokenIds";
}
