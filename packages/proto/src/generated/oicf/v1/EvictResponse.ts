// Original file: oicf/v1/kv_pool.proto

import type { Long } from '@grpc/proto-loader';

export interface EvictResponse {
  'evictedBlockIds'?: (string)[];
  'freedBytes'?: (number | string | Long);
  /**
   * asked for but leased or absent
   */
  'skippedBlockIds'?: (string)[];
}

export interface EvictResponse__Output {
  'evictedBlockIds': (string)[];
  'freedBytes': (number);
  /**
   * asked for but leased or absent
   */
  'skippedBlockIds': (string)[];
}
