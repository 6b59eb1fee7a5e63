// Original file: oicf/v1/router.proto

import type { FinishReason as _oicf_v1_FinishReason, FinishReason__Output as _oicf_v1_FinishReason__Output } from '../../oicf/v1/FinishReason.js';
import type { Usage as _oicf_v1_Usage, Usage__Output as _oicf_v1_Usage__Output } from '../../oicf/v1/Usage.js';
import type { RoutingInfo as _oicf_v1_RoutingInfo, RoutingInfo__Output as _oicf_v1_RoutingInfo__Output } from '../../oicf/v1/RoutingInfo.js';
import type { ErrorDetail as _oicf_v1_ErrorDetail, ErrorDetail__Output as _oicf_v1_ErrorDetail__Output } from '../../oicf/v1/ErrorDetail.js';
import type { TokenLogprob as _oicf_v1_TokenLogprob, TokenLogprob__Output as _oicf_v1_TokenLogprob__Output } from '../../oicf/v1/TokenLogprob.js';

export interface GenerateChunk {
  'requestId'?: (string);
  'tokenIds'?: (number)[];
  /**
   * decoded text; the router holds back bytes of an incomplete character
   */
  'text'?: (string);
  /**
   * set on the last chunk only
   */
  'finishReason'?: (_oicf_v1_FinishReason);
  /**
   * set on the last chunk
   */
  'usage'?: (_oicf_v1_Usage | null);
  /**
   * set on the first chunk
   */
  'routing'?: (_oicf_v1_RoutingInfo | null);
  /**
   * router-observed time to first token (set on the first chunk)
   */
  'ttftSeconds'?: (number | string);
  /**
   * router-observed end-to-end time (set on the last chunk)
   */
  'e2eSeconds'?: (number | string);
  /**
   * set when finish_reason = FINISH_REASON_ERROR
   */
  'error'?: (_oicf_v1_ErrorDetail | null);
  /**
   * with sampling.logprobs: one per token_ids entry, in the same order
   */
  'logprobs'?: (_oicf_v1_TokenLogprob)[];
}

export interface GenerateChunk__Output {
  'requestId': (string);
  'tokenIds': (number)[];
  /**
   * decoded text; the router holds back bytes of an incomplete character
   */
  'text': (string);
  /**
   * set on the last chunk only
   */
  'finishReason': (_oicf_v1_FinishReason__Output);
  /**
   * set on the last chunk
   */
  'usage': (_oicf_v1_Usage__Output | null);
  /**
   * set on the first chunk
   */
  'routing': (_oicf_v1_RoutingInfo__Output | null);
  /**
   * router-observed time to first token (set on the first chunk)
   */
  'ttftSeconds': (number);
  /**
   * router-observed end-to-end time (set on the last chunk)
   */
  'e2eSeconds': (number);
  /**
   * set when finish_reason = FINISH_REASON_ERROR
   */
  'error': (_oicf_v1_ErrorDetail__Output | null);
  /**
   * with sampling.logprobs: one per token_ids entry, in the same order
   */
  'logprobs': (_oicf_v1_TokenLogprob__Output)[];
}
