// The control client against a scripted KvPool gRPC server: requests go out as the proto asks, replies
// come back as domain values (tier ids from @oicf/core, never wire enum names).
import { type KvPoolHandlers, loadProto, type Tier } from '@oicf/proto';
import { defineService, type GrpcServer, startGrpcServer } from '@oicf/transport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PoolControl } from './pool-control.js';

const calls: { method: string; request: unknown }[] = [];
const tierStats = (tier: Tier, readBandwidthBytesPerSecond: number, readLatencySeconds: number) => ({
  tier,
  capacityBytes: 1000,
  readBandwidthBytesPerSecond,
  readLatencySeconds,
});
let server: GrpcServer;
let control: PoolControl;

beforeAll(async () => {
  server = await startGrpcServer({
    services: [
      defineService<KvPoolHandlers>(loadProto().KvPool.service, {
        Lookup: (request) => {
          calls.push({ method: 'Lookup', request });
          return {
            numCachedBlocks: 2,
            numCachedTokens: 128,
            blocks: [
              { blockId: 'a', firstToken: 0, numTokens: 64, tier: 'TIER_CXL', sizeBytes: 10 },
              { blockId: 'b', firstToken: 64, numTokens: 64, tier: 'TIER_HBM', sizeBytes: 10 },
            ],
          };
        },
        Lease: (request) => ({ leaseId: 'L1', ttlSeconds: request.ttlSeconds, leasedBlockIds: request.blockIds }),
        Release: (request) => ({ released: request.leaseId === 'L1' }),
        Stats: () => ({
          // The second tier is what an older pool sends: no read figures (0).
          tiers: [tierStats('TIER_OPTICAL_POOL', 2e9, 1e-5), tierStats('TIER_DISK', 0, 0)],
          blockTokens: 64,
        }),
        Evict: (request) => {
          calls.push({ method: 'Evict', request });
          return { freedBytes: 5 };
        },
        Health: () => ({ status: 'SERVING_STATUS_DRAINING', uptimeSeconds: 3, version: 'v' }),
      }),
    ],
  });
  control = new PoolControl(server.address, { timeoutSeconds: 2 });
});
afterAll(async () => {
  control.close();
  await server.shutdown(1);
});

describe('PoolControl', () => {
  it('looks up a chain and returns pool tier ids; a non-pool tier reads as unknown', async () => {
    calls.length = 0;
    const lookup = await control.lookup(['a', 'b', 'c'], { touch: true });
    // `query` (LookupRequest field 3): whether the pool counts this as a request's prefix query; false here.
    expect(calls).toEqual([{ method: 'Lookup', request: { blockIds: ['a', 'b', 'c'], touch: true, query: false } }]);
    calls.length = 0;
    await control.lookup(['a'], { query: true });
    expect(calls).toEqual([{ method: 'Lookup', request: { blockIds: ['a'], touch: false, query: true } }]);
    expect(lookup.blocks.map((b) => [b.blockId, b.tier])).toEqual([
      ['a', 'cxl'],
      ['b', undefined],
    ]);
    expect(lookup.numCachedTokens).toBe(128);
  });

  it('makes no call for an empty chain', async () => {
    calls.length = 0;
    expect(await control.lookup([])).toEqual({ numCachedBlocks: 0, numCachedTokens: 0, blocks: [] });
    expect(calls).toEqual([]);
  });

  it('leases, releases, reports health', async () => {
    const lease = await control.lease(['a'], 30, 'test');
    expect(lease).toMatchObject({ leaseId: 'L1', ttlSeconds: 30, leasedBlockIds: ['a'], missingBlockIds: [] });
    expect(await control.release('L1')).toBe(true);
    expect(await control.release('L2')).toBe(false);
    expect(await control.health()).toEqual({ status: 'draining', uptimeSeconds: 3, version: 'v' });
  });

  it('encodes evict targets and tiers in wire terms', async () => {
    calls.length = 0;
    await control.evict({ freeBytes: 100 }, 'optical-pool');
    await control.evict({ blockIds: ['a'] });
    expect(calls.map((c) => c.request)).toMatchObject([
      { target: 'freeBytes', freeBytes: 100, tier: 'TIER_OPTICAL_POOL' },
      { target: 'blockIds', blockIds: { ids: ['a'] }, tier: 'TIER_UNSPECIFIED' },
    ]);
  });

  it('reads each tier path the pool reports, leaving out tiers without figures', async () => {
    expect([...(await control.readPaths())]).toEqual([
      ['optical-pool', { bandwidthBytesPerSecond: 2e9, latencySeconds: 1e-5 }],
    ]);
  });
});
