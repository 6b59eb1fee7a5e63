// Original file: oicf/v1/common.proto

/**
 * Memory tier that holds a KV block. HBM is a decode worker's own KV memory; the others live in the kv-pool.
 */
export const Tier = {
  TIER_UNSPECIFIED: 'TIER_UNSPECIFIED',
  /**
   * a worker's accelerator-local KV memory (emulated by process memory)
   */
  TIER_HBM: 'TIER_HBM',
  /**
   * pool host memory
   */
  TIER_DRAM: 'TIER_DRAM',
  /**
   * pool memory paced to a CXL link's bandwidth and latency
   */
  TIER_CXL: 'TIER_CXL',
  /**
   * pool memory paced to an optical-I/O memory pool's bandwidth and latency
   */
  TIER_OPTICAL_POOL: 'TIER_OPTICAL_POOL',
  /**
   * pool files on local disk
   */
  TIER_DISK: 'TIER_DISK',
} as const;

/**
 * Memory tier that holds a KV block. HBM is a decode worker's own KV memory; the others live in the kv-pool.
 */
export type Tier =
  | 'TIER_UNSPECIFIED'
  | 0
  /**
   * a worker's accelerator-local KV memory (emulated by process memory)
   */
  | 'TIER_HBM'
  | 1
  /**
   * pool host memory
   */
  | 'TIER_DRAM'
  | 2
  /**
   * pool memory paced to a CXL link's bandwidth and latency
   */
  | 'TIER_CXL'
  | 3
  /**
   * pool memory paced to an optical-I/O memory pool's bandwidth and latency
   */
  | 'TIER_OPTICAL_POOL'
  | 4
  /**
   * pool files on local disk
   */
  | 'TIER_DISK'
  | 5

/**
 * Memory tier that holds a KV block. HBM is a decode worker's own KV memory; the others live in the kv-pool.
 */
export type Tier__Output = typeof Tier[keyof typeof Tier]
