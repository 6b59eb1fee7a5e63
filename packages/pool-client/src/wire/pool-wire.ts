// The one mapping between the pool API's domain types (../api) and its wire messages (kv_pool.proto,
// common.proto). The client decodes replies here; the kv-pool's gRPC and WebSocket adapters encode
// replies and decode requests here. Tier enum names come from the owner module (@oicf/core tiers).
import { isPoolTierId, type PoolTierId, type TierId, tierFromProtoName, tierProtoName } from '@oicf/core';
import type {
  EvictRequest,
  EvictRequest__Output,
  EvictResponse,
  EvictResponse__Output,
  HealthResponse__Output,
  KvBlock,
  KvPutAck,
  KvPutAck__Output,
  KvPutRequest,
  KvPutRequest__Output,
  LeaseResponse,
  LeaseResponse__Output,
  LookupResponse,
  LookupResponse__Output,
  StatsResponse,
  StatsResponse__Output,
  Tier__Output,
  TierStats__Output,
} from '@oicf/proto';
import { OicfError } from '@oicf/transport';
import type {
  EvictResult,
  EvictTarget,
  PoolHealth,
  PoolLease,
  PoolLookup,
  PoolStats,
  PoolTierStats,
  PutAck,
  PutRequest,
} from '../api/pool-api.js';

/** A tier as its wire enum name; undefined (not known) → TIER_UNSPECIFIED. */
export function tierToWire(tier: TierId | undefined): Tier__Output {
  return tier === undefined ? 'TIER_UNSPECIFIED' : tierProtoName(tier);
}

/** A wire enum name as a tier id; undefined for TIER_UNSPECIFIED and names this build does not know. */
export function tierFromWire(name: string): TierId | undefined {
  return tierFromProtoName(name);
}

/** A wire enum name as a pool tier id; undefined for unspecified, unknown and non-pool tiers. */
export function poolTierFromWire(name: string): PoolTierId | undefined {
  const tier = tierFromProtoName(name);
  return tier !== undefined && isPoolTierId(tier) ? tier : undefined;
}

// --- control plane -------------------------------------------------------------------------------

export function lookupToWire(lookup: PoolLookup): LookupResponse {
  return {
    numCachedBlocks: lookup.numCachedBlocks,
    numCachedTokens: lookup.numCachedTokens,
    blocks: lookup.blocks.map((b) => ({
      blockId: b.blockId,
      firstToken: b.firstToken,
      numTokens: b.numTokens,
      tier: tierToWire(b.tier),
      sizeBytes: b.sizeBytes,
    })),
  };
}

export function lookupFromWire(res: LookupResponse__Output): PoolLookup {
  return {
    numCachedBlocks: res.numCachedBlocks,
    numCachedTokens: res.numCachedTokens,
    blocks: res.blocks.map((b) => ({
      blockId: b.blockId,
      firstToken: b.firstToken,
      numTokens: b.numTokens,
      tier: poolTierFromWire(b.tier),
      sizeBytes: b.sizeBytes,
    })),
  };
}

export function leaseToWire(lease: PoolLease): LeaseResponse {
  return {
    leaseId: lease.leaseId,
    expiresAtUnixMs: lease.expiresAtUnixMs,
    ttlSeconds: lease.ttlSeconds,
    leasedBlockIds: [...lease.leasedBlockIds],
    missingBlockIds: [...lease.missingBlockIds],
  };
}

export function leaseFromWire(res: LeaseResponse__Output): PoolLease {
  return {
    leaseId: res.leaseId,
    expiresAtUnixMs: res.expiresAtUnixMs,
    ttlSeconds: res.ttlSeconds,
    leasedBlockIds: res.leasedBlockIds,
    missingBlockIds: res.missingBlockIds,
  };
}

export function statsToWire(stats: PoolStats): StatsResponse {
  return {
    tiers: stats.tiers.map((t) => ({
      tier: tierToWire(t.tier),
      capacityBytes: t.capacityBytes,
      usedBytes: t.usedBytes,
      numBlocks: t.numBlocks,
      numHits: t.numHits,
      numPromotions: t.numPromotions,
      numDemotions: t.numDemotions,
      numEvictions: t.numEvictions,
      numChecksumFailures: t.numChecksumFailures,
      bandwidthBytesPerSecond: t.pacedBandwidthBytesPerSecond,
      latencySeconds: t.pacedLatencySeconds,
      readBandwidthBytesPerSecond: t.read.bandwidthBytesPerSecond,
      readLatencySeconds: t.read.latencySeconds,
    })),
    numActiveLeases: stats.numActiveLeases,
    numLeasedBlocks: stats.numLeasedBlocks,
    numSessions: stats.numSessions,
    numLeaseExpiries: stats.numLeaseExpiries,
    blockTokens: stats.blockTokens,
    numMisses: stats.numMisses,
  };
}

function tierStatsFromWire(t: TierStats__Output): PoolTierStats {
  return {
    tier: poolTierFromWire(t.tier),
    capacityBytes: t.capacityBytes,
    usedBytes: t.usedBytes,
    numBlocks: t.numBlocks,
    numHits: t.numHits,
    numPromotions: t.numPromotions,
    numDemotions: t.numDemotions,
    numEvictions: t.numEvictions,
    numChecksumFailures: t.numChecksumFailures,
    pacedBandwidthBytesPerSecond: t.bandwidthBytesPerSecond,
    pacedLatencySeconds: t.latencySeconds,
    read: { bandwidthBytesPerSecond: t.readBandwidthBytesPerSecond, latencySeconds: t.readLatencySeconds },
  };
}

export function statsFromWire(res: StatsResponse__Output): PoolStats {
  return {
    tiers: res.tiers.map(tierStatsFromWire),
    numActiveLeases: res.numActiveLeases,
    numLeasedBlocks: res.numLeasedBlocks,
    numSessions: res.numSessions,
    numLeaseExpiries: res.numLeaseExpiries,
    blockTokens: res.blockTokens,
    numMisses: res.numMisses,
  };
}

export function evictToWire(target: EvictTarget, tier: PoolTierId | undefined): EvictRequest {
  const base = { tier: tierToWire(tier) };
  return 'blockIds' in target
    ? { ...base, blockIds: { ids: [...target.blockIds] }, target: 'blockIds' }
    : { ...base, freeBytes: target.freeBytes, target: 'freeBytes' };
}

/** The target and tier of an Evict request; INVALID_ARGUMENT for a tier the pool cannot hold. */
export function evictFromWire(req: EvictRequest__Output): { target: EvictTarget; tier: PoolTierId | undefined } {
  const tier = poolTierFromWire(req.tier);
  if (tier === undefined && req.tier !== 'TIER_UNSPECIFIED') {
    throw new OicfError('INVALID_ARGUMENT', `tier ${req.tier} is not a pool tier: name a pool tier or leave it unset`, {
      field: 'tier',
    });
  }
  const target: EvictTarget =
    req.target === 'blockIds' ? { blockIds: req.blockIds?.ids ?? [] } : { freeBytes: req.freeBytes ?? 0 };
  return { target, tier };
}

export function evictResultToWire(result: EvictResult): EvictResponse {
  return {
    evictedBlockIds: [...result.evictedBlockIds],
    freedBytes: result.freedBytes,
    skippedBlockIds: [...result.skippedBlockIds],
  };
}

export function evictResultFromWire(res: EvictResponse__Output): EvictResult {
  return { evictedBlockIds: res.evictedBlockIds, freedBytes: res.freedBytes, skippedBlockIds: res.skippedBlockIds };
}

const STATUS = {
  SERVING_STATUS_SERVING: 'serving',
  SERVING_STATUS_NOT_SERVING: 'not-serving',
  SERVING_STATUS_DRAINING: 'draining',
  SERVING_STATUS_UNSPECIFIED: 'unknown',
} as const;

export function healthFromWire(res: HealthResponse__Output): PoolHealth {
  return { status: STATUS[res.status] ?? 'unknown', uptimeSeconds: res.uptimeSeconds, version: res.version };
}

// --- data plane ----------------------------------------------------------------------------------

export function putToWire(put: PutRequest): KvPutRequest {
  return {
    blockId: put.blockId,
    parentId: put.parentId,
    numTokens: put.numTokens,
    checksum: put.checksum ?? 0,
    payload: put.payload,
    sessionId: put.sessionId,
    ttlSeconds: put.ttlSeconds,
    ...(put.digest === undefined ? {} : { digest: put.digest }),
    ...(put.checksum === undefined ? { checksumFromPool: true } : {}),
  };
}

export function putFromWire(body: KvPutRequest__Output): PutRequest {
  // checksum_from_pool means "no checksum sent": a checksum beside it is a writer's mistake, not silently dropped.
  if (body.checksumFromPool && body.checksum !== 0) {
    throw new OicfError(
      'INVALID_ARGUMENT',
      `block ${body.blockId}: body.checksum is ${body.checksum} but body.checksumFromPool says none is sent: send one or the other`,
      { field: 'body.checksum' },
    );
  }
  return {
    blockId: body.blockId,
    parentId: body.parentId,
    numTokens: body.numTokens,
    ...(body.checksumFromPool ? {} : { checksum: body.checksum }),
    payload: body.payload,
    sessionId: body.sessionId,
    ttlSeconds: body.ttlSeconds,
    ...(body.digest !== undefined && body.digest.byteLength > 0 ? { digest: body.digest } : {}),
  };
}

export function putAckToWire(ack: PutAck): KvPutAck {
  return {
    blockId: ack.blockId,
    tier: tierToWire(ack.tier),
    alreadyPresent: ack.alreadyPresent,
    storedBytes: ack.storedBytes,
  };
}

export function putAckFromWire(ack: KvPutAck__Output): PutAck {
  return {
    blockId: ack.blockId,
    tier: poolTierFromWire(ack.tier),
    alreadyPresent: ack.alreadyPresent,
    storedBytes: ack.storedBytes,
  };
}

/** One served block as a `kv.block` body. */
export function blockToWire(block: {
  blockId: string;
  checksum: number;
  payload: Uint8Array;
  numTokens: number;
  tier: TierId | undefined;
  digest?: Uint8Array | undefined;
}): KvBlock {
  return {
    blockId: block.blockId,
    checksum: block.checksum,
    payload: block.payload,
    numTokens: block.numTokens,
    tier: tierToWire(block.tier),
    ...(block.digest === undefined ? {} : { digest: block.digest }),
  };
}
