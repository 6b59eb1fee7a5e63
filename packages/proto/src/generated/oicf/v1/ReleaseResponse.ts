// Original file: oicf/v1/kv_pool.proto


export interface ReleaseResponse {
  /**
   * false when the lease was unknown or had already expired
   */
  'released'?: (boolean);
}

export interface ReleaseResponse__Output {
  /**
   * false when the lease was unknown or had already expired
   */
  'released': (boolean);
}
