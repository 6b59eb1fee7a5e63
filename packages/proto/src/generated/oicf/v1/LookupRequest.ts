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
  /**
   * When true, this is a request's prefix-cache query (the router asks once per routed prompt): the pool
   * counts every id asked as queried and the leading ones it holds as prefix hits, so a query that finds
   * nothing counts as a miss (the pool's prefix hit ratio, docs/metrics.md). Other lookups (a worker checking
   * what to offer) leave these counters alone.
   */
  'query'?: (boolean);
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
  /**
   * When true, this is a request's prefix-cache query (the router asks once per routed prompt): the pool
   * counts every id asked as queried and the leading ones it holds as prefix hits, so a query that finds
   * nothing counts as a miss (the pool's prefix hit ratio, docs/metrics.md). Other lookups (a worker checking
   * what to offer) leave these counters alone.
   */
  'query': (boolean);
}
