// @oicf/pool-client: the kv-pool's API in domain types and the one client of it. Re-exports only.

export { shmMapsByDefault, shmNativeStatus } from '@oicf/shm-native';
export {
  BLOCK_DIGEST_BYTES,
  type BlockSigner,
  blockDigest,
  blockSigner,
  digestMatches,
  kvFormatOf,
  setBlockSigner,
} from './api/block-digest.js';
export type {
  EvictResult,
  EvictTarget,
  GetEvent,
  PoolBlockRef,
  PoolHealth,
  PoolLease,
  PoolLookup,
  PoolServingStatus,
  PoolStats,
  PoolTierStats,
  PutAck,
  PutRequest,
  TierReadPath,
} from './api/pool-api.js';
export { connectKvPool, type KvPoolConnection, type PutBlock } from './connect-kv-pool.js';
export { PoolControl, type PoolControlOptions } from './control/pool-control.js';
export {
  type BlockCallOptions,
  type BlockChannel,
  type BlockChannels,
  type BlockGetOptions,
  wsBlockChannel,
  wsBlockChannels,
} from './data/block-channel.js';
export { type BlockTargets, GetTargets, targetsByPosition } from './data/block-targets.js';
export {
  type BlockToFetch,
  type FetchedBlock,
  type FetchOutcome,
  fetchBlocks,
  type GetOutcome,
  getBlocks,
} from './data/fetch-blocks.js';
export { type BlockToPut, type PutOutcome, putBlocks } from './data/put-blocks.js';
export { type Extent, ExtentAllocator } from './data/shm/extent-allocator.js';
export { hostIdentity } from './data/shm/host-identity.js';
export {
  shmBlockChannel,
  shmBlockChannels,
  spareSlotBytes,
  type TransferCounter,
} from './data/shm/shm-block-channel.js';
export { type ShmLink, ShmLinks, type ShmLinksOptions } from './data/shm/shm-link.js';
export { type ShmPeer, ShmPeers } from './data/shm/shm-peers.js';
export {
  DEFAULT_SHM_DIR,
  OwnedSegment,
  PeerSegment,
  SEGMENT_HEADER_BYTES,
  type SegmentDescriptor,
} from './data/shm/shm-segment.js';
export { ShmStaging } from './data/shm/shm-staging.js';
export { MAX_SPARE_SLOTS, type SlotExtent, SpareSlots } from './data/shm/spare-slots.js';
export {
  type BlockProblem,
  checkBlock,
  checksumMatches,
  type ExpectedBlock,
  payloadChecksum,
} from './data/verify-block.js';
