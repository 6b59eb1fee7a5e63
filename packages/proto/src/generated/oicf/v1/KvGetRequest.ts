// Original file: oicf/v1/kv_pool.proto


/**
 * kind "kv.get": stream some blocks back.
 */
export interface KvGetRequest {
  /**
   * blocks to send, in the order wanted
   */
  'blockIds'?: (string)[];
  /**
   * lease that pins them ("" = best effort: evicted blocks come back missing)
   */
  'leaseId'?: (string);
}

/**
 * kind "kv.get": stream some blocks back.
 */
export interface KvGetRequest__Output {
  /**
   * blocks to send, in the order wanted
   */
  'blockIds': (string)[];
  /**
   * lease that pins them ("" = best effort: evicted blocks come back missing)
   */
  'leaseId': (string);
}
