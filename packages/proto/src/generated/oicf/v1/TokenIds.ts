// Original file: oicf/v1/common.proto


/**
 * A list of token ids. Wrapped in a message so it can sit inside a oneof.
 */
export interface TokenIds {
  /**
   * token ids of the byte-level tokenizer (UTF-8 bytes plus a few specials)
   */
  'ids'?: (number)[];
}

/**
 * A list of token ids. Wrapped in a message so it can sit inside a oneof.
 */
export interface TokenIds__Output {
  /**
   * token ids of the byte-level tokenizer (UTF-8 bytes plus a few specials)
   */
  'ids': (number)[];
}
