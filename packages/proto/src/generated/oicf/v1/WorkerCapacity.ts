// Original file: oicf/v1/worker.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Fixed capacities of a worker, announced once at registration.
 */
export interface WorkerCapacity {
  /**
   * KV memory the worker may fill (plays HBM)
   */
  'kvCapacityBytes'?: (number | string | Long);
  /**
   * most sequences it runs in one step
   */
  'maxBatch'?: (number);
  /**
   * longest sequence (prompt + output) it accepts
   */
  'maxContextTokens'?: (number);
}

/**
 * Fixed capacities of a worker, announced once at registration.
 */
export interface WorkerCapacity__Output {
  /**
   * KV memory the worker may fill (plays HBM)
   */
  'kvCapacityBytes': (number);
  /**
   * most sequences it runs in one step
   */
  'maxBatch': (number);
  /**
   * longest sequence (prompt + output) it accepts
   */
  'maxContextTokens': (number);
}
