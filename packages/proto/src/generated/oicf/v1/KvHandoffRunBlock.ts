// Original file: oicf/v1/decode.proto


/**
 * One further block of a kv.handoff run: tokens [previous block's end, + num_tokens).
 */
export interface KvHandoffRunBlock {
  /**
   * hash-chain id ("" for the trailing partial block)
   */
  'blockId'?: (string);
  'numTokens'?: (number);
  /**
   * XXH32 (seed 0) of this block's bytes in the run
   */
  'checksum'?: (number);
}

/**
 * One further block of a kv.handoff run: tokens [previous block's end, + num_tokens).
 */
export interface KvHandoffRunBlock__Output {
  /**
   * hash-chain id ("" for the trailing partial block)
   */
  'blockId': (string);
  'numTokens': (number);
  /**
   * XXH32 (seed 0) of this block's bytes in the run
   */
  'checksum': (number);
}
