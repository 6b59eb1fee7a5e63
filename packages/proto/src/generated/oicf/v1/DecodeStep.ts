// Original file: oicf/v1/request_plane.proto

import type { SequenceOutput as _oicf_v1_SequenceOutput, SequenceOutput__Output as _oicf_v1_SequenceOutput__Output } from '../../oicf/v1/SequenceOutput.js';

/**
 * kind "decode.step": the output of one engine step for every sequence of this connection that produced
 * any (tokens, a finish, or an error). A worker out of credit merges several steps into one frame.
 */
export interface DecodeStep {
  'outputs'?: (_oicf_v1_SequenceOutput)[];
}

/**
 * kind "decode.step": the output of one engine step for every sequence of this connection that produced
 * any (tokens, a finish, or an error). A worker out of credit merges several steps into one frame.
 */
export interface DecodeStep__Output {
  'outputs': (_oicf_v1_SequenceOutput__Output)[];
}
