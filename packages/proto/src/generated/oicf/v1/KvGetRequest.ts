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
  /**
   * answer blocks in the arena as extents (only after a kv.hello with shm = true)
   */
  'wantShm'?: (boolean);
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
  /**
   * answer blocks in the arena as extents (only after a kv.hello with shm = true)
   */
  'wantShm': (boolean);
}
