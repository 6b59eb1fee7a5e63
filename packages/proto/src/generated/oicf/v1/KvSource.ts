// Original file: oicf/v1/common.proto

import type { BlockRef as _oicf_v1_BlockRef, BlockRef__Output as _oicf_v1_BlockRef__Output } from '../../oicf/v1/BlockRef.js';

/**
 * Where to fetch some KV blocks from: one holder's WebSocket data address and the blocks it holds.
 */
export interface KvSource {
  /**
   * data-plane URL of the holder, e.g. "ws://127.0.0.1:40123" (kv-pool or a worker)
   */
  'wsAddress'?: (string);
  /**
   * lease that pins the blocks at the holder ("" when none was taken)
   */
  'leaseId'?: (string);
  /**
   * blocks to fetch from this holder, in chain order
   */
  'blocks'?: (_oicf_v1_BlockRef)[];
}

/**
 * Where to fetch some KV blocks from: one holder's WebSocket data address and the blocks it holds.
 */
export interface KvSource__Output {
  /**
   * data-plane URL of the holder, e.g. "ws://127.0.0.1:40123" (kv-pool or a worker)
   */
  'wsAddress': (string);
  /**
   * lease that pins the blocks at the holder ("" when none was taken)
   */
  'leaseId': (string);
  /**
   * blocks to fetch from this holder, in chain order
   */
  'blocks': (_oicf_v1_BlockRef__Output)[];
}
