// Original file: oicf/v1/shm.proto

import type { ShmSegment as _oicf_v1_ShmSegment, ShmSegment__Output as _oicf_v1_ShmSegment__Output } from '../../oicf/v1/ShmSegment.js';

/**
 * kind "kv.hello.ack": the server's answer.
 */
export interface KvHelloAck {
  /**
   * the server's host identity
   */
  'hostId'?: (string);
  /**
   * true: the server opened and checked every offered segment
   */
  'shm'?: (boolean);
  /**
   * why shared memory is off, when shm = false
   */
  'reason'?: (string);
  /**
   * segments the server owns (the kv-pool's arena) for the client to open
   */
  'segments'?: (_oicf_v1_ShmSegment)[];
}

/**
 * kind "kv.hello.ack": the server's answer.
 */
export interface KvHelloAck__Output {
  /**
   * the server's host identity
   */
  'hostId': (string);
  /**
   * true: the server opened and checked every offered segment
   */
  'shm': (boolean);
  /**
   * why shared memory is off, when shm = false
   */
  'reason': (string);
  /**
   * segments the server owns (the kv-pool's arena) for the client to open
   */
  'segments': (_oicf_v1_ShmSegment__Output)[];
}
