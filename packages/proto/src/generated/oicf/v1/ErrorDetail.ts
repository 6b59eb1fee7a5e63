// Original file: oicf/v1/common.proto


/**
 * A failure, as carried in WebSocket `error` frames and HTTP error bodies.
 */
export interface ErrorDetail {
  /**
   * one of packages/transport ERROR_CODES, e.g. "INVALID_ARGUMENT", "CHECKSUM_MISMATCH"
   */
  'code'?: (string);
  /**
   * what was wrong and what to do about it
   */
  'message'?: (string);
  /**
   * path of the offending field, e.g. "body.blockIds[2]" ("" when not about one field)
   */
  'field'?: (string);
}

/**
 * A failure, as carried in WebSocket `error` frames and HTTP error bodies.
 */
export interface ErrorDetail__Output {
  /**
   * one of packages/transport ERROR_CODES, e.g. "INVALID_ARGUMENT", "CHECKSUM_MISMATCH"
   */
  'code': (string);
  /**
   * what was wrong and what to do about it
   */
  'message': (string);
  /**
   * path of the offending field, e.g. "body.blockIds[2]" ("" when not about one field)
   */
  'field': (string);
}
