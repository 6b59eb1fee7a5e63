// Original file: oicf/v1/shm.proto


/**
 * kind "kv.put.alloc": reserve room in the kv-pool's arena for one block (answered by "kv.put.slot").
 */
export interface KvPutAlloc {
  'blockId'?: (string);
  'numBytes'?: (number);
}

/**
 * kind "kv.put.alloc": reserve room in the kv-pool's arena for one block (answered by "kv.put.slot").
 */
export interface KvPutAlloc__Output {
  'blockId': (string);
  'numBytes': (number);
}
