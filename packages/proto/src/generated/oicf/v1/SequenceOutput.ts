// Original file: oicf/v1/request_plane.proto

import type { TokenChunk as _oicf_v1_TokenChunk, TokenChunk__Output as _oicf_v1_TokenChunk__Output } from '../../oicf/v1/TokenChunk.js';

/**
 * One sequence's share of a DecodeStep.
 */
export interface SequenceOutput {
  /**
   * Generation index of chunk.token_ids[0]: 0 is the request's first generated token (the one a prefill
   * worker sampled, when one did). A receiver drops indexes it already relayed and fails on a gap, so a
   * stream that is resumed or migrated to another worker never duplicates or loses a token.
   */
  'firstTokenIndex'?: (number);
  /**
   * The tokens, in order; on the sequence's last output also finish_reason, usage and timings, or error.
   * `text` is left empty on the plane (the router decodes ids itself). New TokenChunk fields (logprobs, …)
   * travel without any change here.
   */
  'chunk'?: (_oicf_v1_TokenChunk | null);
}

/**
 * One sequence's share of a DecodeStep.
 */
export interface SequenceOutput__Output {
  /**
   * Generation index of chunk.token_ids[0]: 0 is the request's first generated token (the one a prefill
   * worker sampled, when one did). A receiver drops indexes it already relayed and fails on a gap, so a
   * stream that is resumed or migrated to another worker never duplicates or loses a token.
   */
  'firstTokenIndex': (number);
  /**
   * The tokens, in order; on the sequence's last output also finish_reason, usage and timings, or error.
   * `text` is left empty on the plane (the router decodes ids itself). New TokenChunk fields (logprobs, …)
   * travel without any change here.
   */
  'chunk': (_oicf_v1_TokenChunk__Output | null);
}
