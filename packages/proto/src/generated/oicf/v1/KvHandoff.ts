// Original file: oicf/v1/decode.proto

import type { ShmExtent as _oicf_v1_ShmExtent, ShmExtent__Output as _oicf_v1_ShmExtent__Output } from '../../oicf/v1/ShmExtent.js';

/**
 * kind "kv.handoff": one KV block of a request, pushed from prefill to decode. Same shape as a pool put,
 * plus the token range, because the trailing partial block of a prompt has no block id.
 */
export interface KvHandoff {
  'requestId'?: (string);
  /**
   * hash-chain id ("" for the trailing partial block)
   */
  'blockId'?: (string);
  /**
   * position of the block's first token in the prompt
   */
  'firstToken'?: (number);
  'numTokens'?: (number);
  /**
   * XXH32 (seed 0) of payload; the receiver verifies it
   */
  'checksum'?: (number);
  'payload'?: (Buffer | Uint8Array | string);
  /**
   * true on the request's final handoff frame
   */
  'last'?: (boolean);
  /**
   * set: the payload is in this extent of the sender's segment, `payload` is empty
   */
  'shm'?: (_oicf_v1_ShmExtent | null);
}

/**
 * kind "kv.handoff": one KV block of a request, pushed from prefill to decode. Same shape as a pool put,
 * plus the token range, because the trailing partial block of a prompt has no block id.
 */
export interface KvHandoff__Output {
  'requestId': (string);
  /**
   * hash-chain id ("" for the trailing partial block)
   */
  'blockId': (string);
  /**
   * position of the block's first token in the prompt
   */
  'firstToken': (number);
  'numTokens': (number);
  /**
   * XXH32 (seed 0) of payload; the receiver verifies it
   */
  'checksum': (number);
  'payload': (Buffer);
  /**
   * true on the request's final handoff frame
   */
  'last': (boolean);
  /**
   * set: the payload is in this extent of the sender's segment, `payload` is empty
   */
  'shm': (_oicf_v1_ShmExtent__Output | null);
}
