// Original file: oicf/v1/kv_pool.proto


/**
 * kind "kv.put": store one block.
 */
export interface KvPutRequest {
  /**
   * hash-chain id of the block
   */
  'blockId'?: (string);
  /**
   * id of the previous block in the chain ("" for the first block)
   */
  'parentId'?: (string);
  /**
   * tokens covered by this block alone
   */
  'numTokens'?: (number);
  /**
   * XXH32 (seed 0) of `payload`, as packages/kv blockChecksum; verified before storing
   */
  'checksum'?: (number);
  /**
   * the block's KV bytes (layout defined by packages/kernels)
   */
  'payload'?: (Buffer | Uint8Array | string);
  /**
   * agent session that owns the block ("" = none); keeps it warm between turns
   */
  'sessionId'?: (string);
  /**
   * session retention TTL (0 = no session pin)
   */
  'ttlSeconds'?: (number | string);
}

/**
 * kind "kv.put": store one block.
 */
export interface KvPutRequest__Output {
  /**
   * hash-chain id of the block
   */
  'blockId': (string);
  /**
   * id of the previous block in the chain ("" for the first block)
   */
  'parentId': (string);
  /**
   * tokens covered by this block alone
   */
  'numTokens': (number);
  /**
   * XXH32 (seed 0) of `payload`, as packages/kv blockChecksum; verified before storing
   */
  'checksum': (number);
  /**
   * the block's KV bytes (layout defined by packages/kernels)
   */
  'payload': (Buffer);
  /**
   * agent session that owns the block ("" = none); keeps it warm between turns
   */
  'sessionId': (string);
  /**
   * session retention TTL (0 = no session pin)
   */
  'ttlSeconds': (number);
}
