// Original file: oicf/v1/kv_pool.proto

import type { Long } from '@grpc/proto-loader';

/**
 * kind "kv.get.done": the end of a get stream.
 */
export interface KvGetDone {
  'numBlocksSent'?: (number);
  /**
   * payload bytes sent in kv.block frames
   */
  'numBytesSent'?: (number | string | Long);
  /**
   * asked for but not present (a value, not an error)
   */
  'missingBlockIds'?: (string)[];
  /**
   * set when blocks were sent as extents: send "kv.get.release" with it
   */
  'readLeaseId'?: (string);
}

/**
 * kind "kv.get.done": the end of a get stream.
 */
export interface KvGetDone__Output {
  'numBlocksSent': (number);
  /**
   * payload bytes sent in kv.block frames
   */
  'numBytesSent': (number);
  /**
   * asked for but not present (a value, not an error)
   */
  'missingBlockIds': (string)[];
  /**
   * set when blocks were sent as extents: send "kv.get.release" with it
   */
  'readLeaseId': (string);
}
