// Original file: oicf/v1/decode.proto

import type { FinishReason as _oicf_v1_FinishReason, FinishReason__Output as _oicf_v1_FinishReason__Output } from '../../oicf/v1/FinishReason.js';
import type { Usage as _oicf_v1_Usage, Usage__Output as _oicf_v1_Usage__Output } from '../../oicf/v1/Usage.js';
import type { DecodeTimings as _oicf_v1_DecodeTimings, DecodeTimings__Output as _oicf_v1_DecodeTimings__Output } from '../../oicf/v1/DecodeTimings.js';
import type { ErrorDetail as _oicf_v1_ErrorDetail, ErrorDetail__Output as _oicf_v1_ErrorDetail__Output } from '../../oicf/v1/ErrorDetail.js';
import type { TokenLogprob as _oicf_v1_TokenLogprob, TokenLogprob__Output as _oicf_v1_TokenLogprob__Output } from '../../oicf/v1/TokenLogprob.js';

export interface TokenChunk {
  'requestId'?: (string);
  /**
   * tokens produced since the previous chunk
   */
  'tokenIds'?: (number)[];
  /**
   * UTF-8 bytes of those tokens; a multi-byte character may span chunks
   */
  'text'?: (Buffer | Uint8Array | string);
  /**
   * set on the last chunk only
   */
  'finishReason'?: (_oicf_v1_FinishReason);
  /**
   * since the Decode call arrived, when this chunk was written
   */
  'emittedAfterSeconds'?: (number | string);
  /**
   * duration of the decode step that produced these tokens
   */
  'stepSeconds'?: (number | string);
  /**
   * set on the last chunk
   */
  'usage'?: (_oicf_v1_Usage | null);
  /**
   * set on the last chunk
   */
  'timings'?: (_oicf_v1_DecodeTimings | null);
  /**
   * set when finish_reason = FINISH_REASON_ERROR
   */
  'error'?: (_oicf_v1_ErrorDetail | null);
  /**
   * with sampling.logprobs: one per token_ids entry, in the same order
   */
  'logprobs'?: (_oicf_v1_TokenLogprob)[];
}

export interface TokenChunk__Output {
  'requestId': (string);
  /**
   * tokens produced since the previous chunk
   */
  'tokenIds': (number)[];
  /**
   * UTF-8 bytes of those tokens; a multi-byte character may span chunks
   */
  'text': (Buffer);
  /**
   * set on the last chunk only
   */
  'finishReason': (_oicf_v1_FinishReason__Output);
  /**
   * since the Decode call arrived, when this chunk was written
   */
  'emittedAfterSeconds': (number);
  /**
   * duration of the decode step that produced these tokens
   */
  'stepSeconds': (number);
  /**
   * set on the last chunk
   */
  'usage': (_oicf_v1_Usage__Output | null);
  /**
   * set on the last chunk
   */
  'timings': (_oicf_v1_DecodeTimings__Output | null);
  /**
   * set when finish_reason = FINISH_REASON_ERROR
   */
  'error': (_oicf_v1_ErrorDetail__Output | null);
  /**
   * with sampling.logprobs: one per token_ids entry, in the same order
   */
  'logprobs': (_oicf_v1_TokenLogprob__Output)[];
}
