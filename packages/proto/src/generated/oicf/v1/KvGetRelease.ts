// Original file: oicf/v1/shm.proto


/**
 * kind "kv.get.release": the reader has copied out every block of a get answered with extents. No answer.
 */
export interface KvGetRelease {
  'readLeaseId'?: (string);
}

/**
 * kind "kv.get.release": the reader has copied out every block of a get answered with extents. No answer.
 */
export interface KvGetRelease__Output {
  'readLeaseId': (string);
}
