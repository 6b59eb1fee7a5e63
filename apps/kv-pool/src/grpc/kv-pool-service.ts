import { evictFromWire, evictResultToWire, leaseToWire, lookupToWire, statsToWire } from '@oicf/pool-client/wire';
import { type KvPoolHandlers, loadProto, type ServingStatus } from '@oicf/proto';
import { defineService, type ServiceRegistration } from '@oicf/transport';
import type { KvPool } from '../pool/kv-pool.js';

/**
 * The KvPool gRPC control API over a pool (bulk bytes stay on the WebSocket data plane). The server
 * side's proto boundary: requests are decoded to the pool's domain types and replies encoded here,
 * through the pool API's one wire mapping (@oicf/pool-client/wire).
 */
export function kvPoolService(
  pool: KvPool,
  health: { status: () => ServingStatus; startedAtMs: number; version: string },
): ServiceRegistration {
  return defineService<KvPoolHandlers>(loadProto().KvPool.service, {
    Lookup: (request) => lookupToWire(pool.lookup(request.blockIds, { touch: request.touch, query: request.query })),
    Lease: (request) => leaseToWire(pool.lease(request.blockIds, request.ttlSeconds)),
    Release: (request) => ({ released: pool.release(request.leaseId) }),
    Stats: async () => statsToWire(await pool.stats()),
    Evict: async (request) => {
      const { target, tier } = evictFromWire(request);
      return evictResultToWire(await pool.evict(target, tier));
    },
    Health: () => ({
      status: health.status(),
      uptimeSeconds: (Date.now() - health.startedAtMs) / 1000,
      version: health.version,
    }),
  });
}
