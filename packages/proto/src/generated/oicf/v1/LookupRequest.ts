// Original file: oicf/v1/kv_pool.proto


export interface LookupRequest {
  /**
   * One sequence's hash chain, first block first. Lookup stops at the first id not in the pool.
   */
  'blockIds'?: (string)[];
  /**
   * When true, count the hits for recency/frequency (a real use is coming); when false, only peek.
   */
  'touch'?: (boolean);
}

export interface LookupRequest__Output {
  /**
   * One sequence's hash chain, first block first. Lookup stops at the first id not in the pool.
   */
  'blockIds': (string)[];
  /**
   * When true, count the hits for recency/frequency (a real use is coming); when false, only peek.
   */
  'touch': (boolean);
}
