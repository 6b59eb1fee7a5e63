// The router prices reads from a pool tier with the figures the pool reports it models (Stats), not
// with a copy of the catalog: a fake pool holds one block in its CXL tier and reports that tier slow.
import { type KvPoolHandlers, loadProto } from '@oicf/proto';
import { defineService, type GrpcServer, OicfError, startGrpcServer } from '@oicf/transport';
import { afterEach, describe, expect, it } from 'vitest';
import { jsonOf, startTestRouter, type TestRouter, waitUntil } from './testing/router-harness.js';

let t: TestRouter | undefined;
let pool: GrpcServer | undefined;
afterEach(async () => {
  await t?.close();
  await pool?.shutdown(1);
  t = undefined;
  pool = undefined;
});

type ReadPath = { bandwidthBytesPerSecond: number; latencySeconds: number };

/**
 * A pool holding the chain's first block in CXL; `cxlRead` is what Stats reports (undefined = no Stats),
 * or a function asked on every Stats call (undefined = the call fails).
 */
async function fakePool(cxlRead: ReadPath | undefined | (() => ReadPath | undefined)) {
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
        Stats: () => {
          const read = typeof cxlRead === 'function' ? cxlRead() : cxlRead;
          if (read === undefined) return unimplemented();
          return {
            tiers: [
              {
                tier: 'TIER_CXL',
                readBandwidthBytesPerSecond: read.bandwidthBytesPerSecond,
                readLatencySeconds: read.latencySeconds,
              },
            ],
          };
        },
        Evict: unimplemented,
        Health: unimplemented,
      }),
    ],
  });
}

async function startRouterWithPool(cxlRead: Parameters<typeof fakePool>[0], refreshSeconds = 10): Promise<TestRouter> {
  pool = await fakePool(cxlRead);
  t = await startTestRouter({
    pool: { grpcAddress: pool.address, wsAddress: 'ws://127.0.0.1:9' },
    policy: { name: 'oicf-cost', params: { maxLocalPrefillTokens: 0 } },
    learnTransferPaths: false,
    poolReadPathsRefreshSeconds: refreshSeconds,
  });
  await t.addWorker({ workerId: 'prefill-0', role: 'prefill' });
  await t.addWorker({ workerId: 'decode-0', role: 'decode' });
  return t;
}

/** The predicted TTFT of a 130-token prompt (2 full blocks of 64 + 2 tokens) whose first block the pool holds. */
async function predict(router: TestRouter, firstToken = 0): Promise<number> {
  const prompt = Array.from({ length: 130 }, (_, i) => (firstToken + i) % 256);
  const body = await jsonOf(
    fetch(`${router.url}/v1/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'tiny-gqa', prompt, max_tokens: 2 }),
    }),
  );
  expect(body.oicf.cache_source).toBe('pool');
  return body.oicf.predicted_ttft_seconds as number;
}

async function predictedTtft(cxlRead: Parameters<typeof fakePool>[0]): Promise<{ seconds: number; logs: string[] }> {
  const router = await startRouterWithPool(cxlRead);
  const result = { seconds: await predict(router), logs: [...router.logs] };
  await router.close();
  await pool?.shutdown(1);
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

  it('re-reads them while running: a pool that could not report at the start is priced by its report once it does', async () => {
    let reporting = false;
    const router = await startRouterWithPool(
      () => (reporting ? { bandwidthBytesPerSecond: 1e6, latencySeconds: 0.5 } : undefined),
      0.05,
    );
    const before = await predict(router, 0);
    expect(router.logs.some((l) => l.includes('pool_tier_paths_from_catalog'))).toBe(true);
    reporting = true;
    await waitUntil(
      () => router.logs.some((l) => l.includes('pool_tier_paths_updated')),
      10,
      'the refreshed read paths',
    );
    // Another prompt (so the decode worker holds none of it): only the CXL read differs, as in the test above.
    const after = await predict(router, 1);
    expect(after - before).toBeCloseTo(0.762144 - (2.5e-6 + 262_144 / 63e9), 3);
  });
});
