// Original file: oicf/v1/kv_pool.proto


export interface LeaseRequest {
  /**
   * blocks to pin
   */
  'blockIds'?: (string)[];
  /**
   * lease lifetime, > 0; the pool may clamp it to its configured maximum
   */
  'ttlSeconds'?: (number | string);
  /**
   * who asked (worker id or request id), for stats and debugging
   */
  'holder'?: (string);
}

export interface LeaseRequest__Output {
  /**
   * blocks to pin
   */
  'blockIds': (string)[];
  /**
   * lease lifetime, > 0; the pool may clamp it to its configured maximum
   */
  'ttlSeconds': (number);
  /**
   * who asked (worker id or request id), for stats and debugging
   */
  'holder': (string);
}
