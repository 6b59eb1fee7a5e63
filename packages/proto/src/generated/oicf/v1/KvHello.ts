// Original file: oicf/v1/shm.proto

import type { ShmSegment as _oicf_v1_ShmSegment, ShmSegment__Output as _oicf_v1_ShmSegment__Output } from '../../oicf/v1/ShmSegment.js';

/**
 * kind "kv.hello": a client offers shared memory (sent once, first, on a data-plane connection).
 */
export interface KvHello {
  /**
   * the client's host identity (kernel boot id)
   */
  'hostId'?: (string);
  /**
   * segments the server may read descriptors from (may be empty)
   */
  'segments'?: (_oicf_v1_ShmSegment)[];
}

/**
 * kind "kv.hello": a client offers shared memory (sent once, first, on a data-plane connection).
 */
export interface KvHello__Output {
  /**
   * the client's host identity (kernel boot id)
   */
  'hostId': (string);
  /**
   * segments the server may read descriptors from (may be empty)
   */
  'segments': (_oicf_v1_ShmSegment__Output)[];
}
