// Original file: oicf/v1/router.proto


/**
 * How the router placed the request (on the first chunk).
 */
export interface RoutingInfo {
  /**
   * "" when prefill ran on the decode worker
   */
  'prefillWorkerId'?: (string);
  'decodeWorkerId'?: (string);
  /**
   * routing policy name, e.g. "oicf-cost"
   */
  'policy'?: (string);
  /**
   * why this placement, in words
   */
  'reason'?: (string);
  /**
   * prompt tokens served from cache
   */
  'numCachedTokens'?: (number);
  /**
   * the cost model's prediction (0 when the policy does not predict)
   */
  'predictedTtftSeconds'?: (number | string);
}

/**
 * How the router placed the request (on the first chunk).
 */
export interface RoutingInfo__Output {
  /**
   * "" when prefill ran on the decode worker
   */
  'prefillWorkerId': (string);
  'decodeWorkerId': (string);
  /**
   * routing policy name, e.g. "oicf-cost"
   */
  'policy': (string);
  /**
   * why this placement, in words
   */
  'reason': (string);
  /**
   * prompt tokens served from cache
   */
  'numCachedTokens': (number);
  /**
   * the cost model's prediction (0 when the policy does not predict)
   */
  'predictedTtftSeconds': (number);
}
