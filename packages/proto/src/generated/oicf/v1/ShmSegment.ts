// Original file: oicf/v1/shm.proto

import type { Long } from '@grpc/proto-loader';

/**
 * A shared-memory segment: a file on a tmpfs (/dev/shm) that its owner created, opened and unlinked, so
 * the kernel frees it when the last process holding it open exits, crashed or not.
 */
export interface ShmSegment {
  /**
   * owner-chosen, unique per owner process; ShmExtent.segment_id refers to it
   */
  'segmentId'?: (number);
  /**
   * what a peer on the same host opens, e.g. "/proc/4242/fd/23"
   */
  'path'?: (string);
  /**
   * 32 hex chars also written in the segment's header; checked after opening
   */
  'nonce'?: (string);
  /**
   * file size (header included)
   */
  'sizeBytes'?: (number | string | Long);
}

/**
 * A shared-memory segment: a file on a tmpfs (/dev/shm) that its owner created, opened and unlinked, so
 * the kernel frees it when the last process holding it open exits, crashed or not.
 */
export interface ShmSegment__Output {
  /**
   * owner-chosen, unique per owner process; ShmExtent.segment_id refers to it
   */
  'segmentId': (number);
  /**
   * what a peer on the same host opens, e.g. "/proc/4242/fd/23"
   */
  'path': (string);
  /**
   * 32 hex chars also written in the segment's header; checked after opening
   */
  'nonce': (string);
  /**
   * file size (header included)
   */
  'sizeBytes': (number);
}
