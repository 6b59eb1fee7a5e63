// Original file: oicf/v1/shm.proto

import type { Long } from '@grpc/proto-loader';

/**
 * A byte range inside an announced segment.
 */
export interface ShmExtent {
  /**
   * a segment announced on this connection (by either side)
   */
  'segmentId'?: (number);
  /**
   * byte offset in the segment file
   */
  'offset'?: (number | string | Long);
  /**
   * payload bytes
   */
  'length'?: (number);
}

/**
 * A byte range inside an announced segment.
 */
export interface ShmExtent__Output {
  /**
   * a segment announced on this connection (by either side)
   */
  'segmentId': (number);
  /**
   * byte offset in the segment file
   */
  'offset': (number);
  /**
   * payload bytes
   */
  'length': (number);
}
