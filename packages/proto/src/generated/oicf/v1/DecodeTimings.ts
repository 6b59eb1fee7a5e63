// Original file: oicf/v1/decode.proto


/**
 * Timings of a finished request on the decode worker, seconds on its monotonic clock.
 */
export interface DecodeTimings {
  /**
   * admitted until its first step
   */
  'queueSeconds'?: (number | string);
  /**
   * from the Decode call until all of the prompt's KV was present
   */
  'kvReceiveSeconds'?: (number | string);
  /**
   * first step until the last token
   */
  'decodeSeconds'?: (number | string);
}

/**
 * Timings of a finished request on the decode worker, seconds on its monotonic clock.
 */
export interface DecodeTimings__Output {
  /**
   * admitted until its first step
   */
  'queueSeconds': (number);
  /**
   * from the Decode call until all of the prompt's KV was present
   */
  'kvReceiveSeconds': (number);
  /**
   * first step until the last token
   */
  'decodeSeconds': (number);
}
