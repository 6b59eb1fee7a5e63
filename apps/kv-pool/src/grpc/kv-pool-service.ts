import { type KvPoolHandlers, loadProto, type ServingStatus } from '@oicf/proto';
import { defineService, type ServiceRegistration } from '@oicf/transport';
import type { KvPool } from '../pool/kv-pool.js';

/** The KvPool gRPC control API over a pool (bulk bytes stay on the WebSocket data plane). */
export function kvPoolService(
  pool: KvPool,
  health: { status: () => ServingStatus; startedAtMs: number; version: string },
): ServiceRegistration {
  return defineService<KvPoolHandlers>(loadProto().KvPool.service, {
    Lookup: (request) => pool.lookup(request),
    Lease: (request) => pool.lease(request),
    Release: (request) => ({ released: pool.release(request.leaseId) }),
    Stats: () => pool.stats(),
    Evict: (request) => pool.evict(request),
    Health: () => ({
      status: health.status(),
      uptimeSeconds: (Date.now() - health.startedAtMs) / 1000,
      version: health.version,
    }),
  });
}
