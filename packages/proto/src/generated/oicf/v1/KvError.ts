// Original file: oicf/v1/kv_pool.proto

import type { ErrorDetail as _oicf_v1_ErrorDetail, ErrorDetail__Output as _oicf_v1_ErrorDetail__Output } from '../../oicf/v1/ErrorDetail.js';

/**
 * kind "kv.error": one block of a get stream failed (e.g. corrupt on disk); the stream continues.
 */
export interface KvError {
  'error'?: (_oicf_v1_ErrorDetail | null);
  'blockId'?: (string);
}

/**
 * kind "kv.error": one block of a get stream failed (e.g. corrupt on disk); the stream continues.
 */
export interface KvError__Output {
  'error': (_oicf_v1_ErrorDetail__Output | null);
  'blockId': (string);
}
