// The router prices reads from a pool tier with the figures the pool reports it models (Stats), not
// with a copy of the catalog: a fake pool holds one block in its CXL tier and reports that tier slow.
import { type KvPoolHandlers, loadProto } from '@oicf/proto';
import { defineService, type GrpcServer, OicfError, startGrpcServer } from '@oicf/transport';
import { afterEach, describe, expect, it } from 'vitest';
import { jsonOf, startTestRouter, type TestRouter } from './testing/router-harness.js';

let t: TestRouter | undefined;
let pool: GrpcServer | undefined;
afterEach(async () => {
  await t?.close();
  await pool?.shutdown(1);
  t = undefined;
  pool = undefined;
});

/** A pool holding the chain's first block in CXL; `cxlRead` is what Stats reports (undefined = no Stats). */
async function fakePool(cxlRead: { bandwidthBytesPerSecond: number; latencySeconds: number } | undefined) {
  const unimplemented = () => {
    throw new OicfError('UNIMPLEMENTED', 'not in this fake');
  };
  return startGrpcServer({
    services: [
      defineService<KvPoolHandlers>(loadProto().KvPool.service, {
        Lookup: (req) => ({
          numCachedBlocks: 1,
          numCachedTokens: 64,
          blocks: [{ blockId: req.blockIds[0], firstToken: 0, numTokens: 64, tier: 'TIER_CXL', sizeBytes: 262_144 }],
        }),
        Lease: (req) => ({ leaseId: 'L1', ttlSeconds: req.ttlSeconds, leasedBlockIds: req.blockIds }),
        Release: () => ({ released: true }),
        Stats:
          cxlRead === undefined
            ? unimplemented
            : () => ({
                tiers: [
                  {
                    tier: 'TIER_CXL',
                    readBandwidthBytesPerSecond: cxlRead.bandwidthBytesPerSecond,
                    readLatencySeconds: cxlRead.latencySeconds,
                  },
                ],
              }),
        Evict: unimplemented,
        Health: unimplemented,
      }),
    ],
  });
}

async function predictedTtft(cxlRead: Parameters<typeof fakePool>[0]): Promise<{ seconds: number; logs: string[] }> {
  pool = await fakePool(cxlRead);
  t = await startTestRouter({
    pool: { grpcAddress: pool.address, wsAddress: 'ws://127.0.0.1:9' },
    policy: { name: 'oicf-cost', params: { maxLocalPrefillTokens: 0 } },
    learnTransferPaths: false,
  });
  await t.addWorker({ workerId: 'prefill-0', role: 'prefill' });
  await t.addWorker({ workerId: 'decode-0', role: 'decode' });
  const prompt = Array.from({ length: 130 }, (_, i) => i % 256); // 2 full blocks of 64 + 2 tokens
  const body = await jsonOf(
    fetch(`${t.url}/v1/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'tiny-gqa', prompt, max_tokens: 2 }),
    }),
  );
  expect(body.oicf.cache_source).toBe('pool');
  const result = { seconds: body.oicf.predicted_ttft_seconds as number, logs: [...t.logs] };
  await t.close();
  await pool.shutdown(1);
  t = undefined;
  pool = undefined;
  return result;
}

describe('pool read pricing', () => {
  it('uses the read path the pool reports for its tier, else the @oicf/core figures (with a warning)', async () => {
    const slow = await predictedTtft({ bandwidthBytesPerSecond: 1e6, latencySeconds: 0.5 });
    const catalog = await predictedTtft(undefined);
    expect(slow.logs.some((l) => l.includes('pool_tier_paths_from_catalog'))).toBe(false);
    expect(catalog.logs.some((l) => l.includes('pool_tier_paths_from_catalog'))).toBe(true);
    // The one cached block, 262,144 bytes, read from CXL; every other term of the prediction is the same.
    // Reported: 0.5 s + 262,144 / 1e6 B/s = 0.762144 s. Catalog CXL 2.0 x16: 2.5 µs + 262,144 / 63e9 ≈ 6.66 µs.
    expect(slow.seconds - catalog.seconds).toBeCloseTo(0.762144 - (2.5e-6 + 262_144 / 63e9), 6);
  });
});
