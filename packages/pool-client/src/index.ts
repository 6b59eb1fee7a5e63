// @oicf/pool-client: the kv-pool's API in domain types and the one client of it. Re-exports only.

export {
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
  wsBlockChannel,
  wsBlockChannels,
} from './data/block-channel.js';
export {
  type BlockToFetch,
  type FetchedBlock,
  type FetchOutcome,
  fetchBlocks,
  type GetOutcome,
  getBlocks,
} from './data/fetch-blocks.js';
export { type BlockToPut, type PutOutcome, putBlocks } from './data/put-blocks.js';
export {
  type BlockProblem,
  checkBlock,
  checksumMatches,
  type ExpectedBlock,
  payloadChecksum,
} from './data/verify-block.js';
