// Original file: oicf/v1/prefill.proto


/**
 * Where the time of one prefill went, seconds on the worker's monotonic clock.
 */
export interface PrefillTimings {
  /**
   * waiting for a prefill slot
   */
  'queueSeconds'?: (number | string);
  /**
   * pulling cached prefix blocks
   */
  'fetchKvSeconds'?: (number | string);
  /**
   * running the prefill graph on the uncached tokens
   */
  'computeSeconds'?: (number | string);
  /**
   * pushing KV to the decode worker (and pool), until acknowledged
   */
  'sendKvSeconds'?: (number | string);
  /**
   * from receipt of the request to this reply
   */
  'totalSeconds'?: (number | string);
}

/**
 * Where the time of one prefill went, seconds on the worker's monotonic clock.
 */
export interface PrefillTimings__Output {
  /**
   * waiting for a prefill slot
   */
  'queueSeconds': (number);
  /**
   * pulling cached prefix blocks
   */
  'fetchKvSeconds': (number);
  /**
   * running the prefill graph on the uncached tokens
   */
  'computeSeconds': (number);
  /**
   * pushing KV to the decode worker (and pool), until acknowledged
   */
  'sendKvSeconds': (number);
  /**
   * from receipt of the request to this reply
   */
  'totalSeconds': (number);
}
