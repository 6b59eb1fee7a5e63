// Original file: oicf/v1/decode.proto

import type { ShmExtent as _oicf_v1_ShmExtent, ShmExtent__Output as _oicf_v1_ShmExtent__Output } from '../../oicf/v1/ShmExtent.js';

/**
 * One further block of a batched kv.handoff frame: its token range, checksum and extent.
 */
export interface KvHandoffBlock {
  /**
   * hash-chain id ("" for the trailing partial block)
   */
  'blockId'?: (string);
  'firstToken'?: (number);
  'numTokens'?: (number);
  /**
   * XXH32 (seed 0) of the extent's bytes; the receiver verifies it
   */
  'checksum'?: (number);
  /**
   * where the bytes are (required)
   */
  'shm'?: (_oicf_v1_ShmExtent | null);
}

/**
 * One further block of a batched kv.handoff frame: its token range, checksum and extent.
 */
export interface KvHandoffBlock__Output {
  /**
   * hash-chain id ("" for the trailing partial block)
   */
  'blockId': (string);
  'firstToken': (number);
  'numTokens': (number);
  /**
   * XXH32 (seed 0) of the extent's bytes; the receiver verifies it
   */
  'checksum': (number);
  /**
   * where the bytes are (required)
   */
  'shm': (_oicf_v1_ShmExtent__Output | null);
}
