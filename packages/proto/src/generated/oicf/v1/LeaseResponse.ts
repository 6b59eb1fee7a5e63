// Original file: oicf/v1/kv_pool.proto

import type { Long } from '@grpc/proto-loader';

export interface LeaseResponse {
  /**
   * opaque id to pass to Release and KvGetRequest
   */
  'leaseId'?: (string);
  /**
   * wall-clock expiry on the pool's clock
   */
  'expiresAtUnixMs'?: (number | string | Long);
  /**
   * lifetime actually granted (after clamping)
   */
  'ttlSeconds'?: (number | string);
  /**
   * ids that were present and are now pinned
   */
  'leasedBlockIds'?: (string)[];
  /**
   * ids not in the pool (not pinned); a value, not an error
   */
  'missingBlockIds'?: (string)[];
}

export interface LeaseResponse__Output {
  /**
   * opaque id to pass to Release and KvGetRequest
   */
  'leaseId': (string);
  /**
   * wall-clock expiry on the pool's clock
   */
  'expiresAtUnixMs': (number);
  /**
   * lifetime actually granted (after clamping)
   */
  'ttlSeconds': (number);
  /**
   * ids that were present and are now pinned
   */
  'leasedBlockIds': (string)[];
  /**
   * ids not in the pool (not pinned); a value, not an error
   */
  'missingBlockIds': (string)[];
}
