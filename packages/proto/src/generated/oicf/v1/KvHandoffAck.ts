// Original file: oicf/v1/decode.proto

import type { Long } from '@grpc/proto-loader';

/**
 * kind "kv.handoff.ack": all frames up to the one with last = true arrived and verified.
 */
export interface KvHandoffAck {
  'requestId'?: (string);
  'numBlocks'?: (number);
  /**
   * payload bytes received
   */
  'numBytes'?: (number | string | Long);
}

/**
 * kind "kv.handoff.ack": all frames up to the one with last = true arrived and verified.
 */
export interface KvHandoffAck__Output {
  'requestId': (string);
  'numBlocks': (number);
  /**
   * payload bytes received
   */
  'numBytes': (number);
}
