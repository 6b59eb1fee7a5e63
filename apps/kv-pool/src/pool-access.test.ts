// The pool's access rules (issue 14.4) on a real pool with real sockets: with cluster credentials
// installed, only members reach its gRPC control (Evict among it) and its data plane (kv.put); with
// requireLeaseForReads, kv.get needs a live lease that pins every block read; lease ids are unguessable.
import { blockChecksum, chainBlockIds } from '@oicf/kv';
import { contractBytes } from '@oicf/kv/testing';
import { blockDigest, connectKvPool, type KvPoolConnection, PoolControl } from '@oicf/pool-client';
import { loadProto } from '@oicf/proto';
import { createGrpcClient, credentialsFor, type RunningService, setClusterCredentials } from '@oicf/transport';
import { afterEach, describe, expect, it } from 'vitest';
import { kvPoolConfigSchema } from './config.js';
import { RouterWatch } from './router-watch.js';
import { startKvPool } from './server.js';

const ROOT = Buffer.alloc(32, 11);
const ids = chainBlockIds(Array.from({ length: 4 * 64 }, (_, i) => (i * 5) % 256));
const id = (i: number) => ids[i] as string;
const block = (i: number) => ({ blockId: id(i), parentId: i === 0 ? '' : id(i - 1), payload: contractBytes(i, 4096) });

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  setClusterCredentials(undefined);
});

async function start(requireLeaseForReads: boolean): Promise<{ service: RunningService; ws: string; grpc: string }> {
  const config = kvPoolConfigSchema.parse({
    requireLeaseForReads,
    drainTimeoutSeconds: 1,
    tiers: { dram: { capacityBytes: 1 << 20 } },
  });
  const { service } = await startKvPool(config, { handleSignals: false, log: () => {} });
  cleanups.push(() => service.shutdown('test done'));
  const { ws, grpc } = service.endpoints as { ws: string; grpc: string };
  return { service, ws, grpc };
}

async function connect(endpoints: { ws: string; grpc: string }): Promise<KvPoolConnection> {
  const c = await connectKvPool(endpoints);
  cleanups.push(() => c.close());
  return c;
}

describe('kv-pool access', () => {
  it('outsiders cannot Evict, put or get; members can', async () => {
    setClusterCredentials(credentialsFor(ROOT, 'kv-pool'));
    const pool = await start(false);
    const member = await connect(pool);
    // With cluster credentials the pool stores only signed blocks (pool-integrity.test.ts).
    const signer = { key: credentialsFor(ROOT, 'decode-0').blockKey as Buffer, kvFormat: 'tiny-gqa/fp32' };
    const b = block(0);
    const checksum = blockChecksum(b.payload);
    const digest = blockDigest(signer, b.blockId, b.payload);
    await member.data.put({ ...b, numTokens: 0, checksum, sessionId: '', ttlSeconds: 0, digest });
    const outsider = new PoolControl(pool.grpc, {
      connect: (a) => createGrpcClient(loadProto().KvPool, a, { auth: null }),
    });
    cleanups.push(() => outsider.close());
    await expect(outsider.evict({ freeBytes: 1e15 })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(outsider.lookup([id(0)])).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(connectKvPool(pool, { ws: { auth: null } })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect((await member.control.lookup([id(0)])).numCachedBlocks).toBe(1);
  });

  it('requireLeaseForReads: a get without a lease, or of a block its lease does not pin, is FAILED_PRECONDITION', async () => {
    const pool = await start(true);
    const c = await connect(pool);
    for (let i = 0; i < 3; i++) await c.put(block(i));
    await expect(c.get([id(0)])).rejects.toMatchObject({ code: 'FAILED_PRECONDITION', field: 'body.leaseId' });
    const lease = await c.control.lease([id(0), id(1)], 10, 'test');
    expect(lease.leaseId).toMatch(/^lease-[0-9a-f]{24}$/);
    await expect(c.get([id(0), id(2)], lease.leaseId)).rejects.toMatchObject({
      code: 'FAILED_PRECONDITION',
      field: 'body.blockIds[1]',
    });
    await expect(c.get([id(0)], 'lease-1')).rejects.toMatchObject({ code: 'FAILED_PRECONDITION' });
    const got = await c.get([id(1), id(0)], lease.leaseId);
    expect([...got.blocks.keys()]).toEqual([id(1), id(0)]);
    await c.control.release(lease.leaseId);
    await expect(c.get([id(0)], lease.leaseId)).rejects.toMatchObject({ code: 'FAILED_PRECONDITION' });
  });
});

describe('RouterWatch', () => {
  it('fires once after the grace period of silence that follows the first keepalive, never before one', () => {
    let now = 0;
    const fired: number[] = [];
    const watch = new RouterWatch(
      10,
      () => fired.push(now),
      () => now,
    );
    cleanups.push(() => watch.stop());
    now = 100_000;
    watch.check(); // never heard: a pool started before its router waits
    expect(fired).toEqual([]);
    watch.heard({ memberId: 'decode-0', identityVerified: false }); // not the router
    watch.check();
    expect(fired).toEqual([]);
    watch.heard({ memberId: 'router', identityVerified: false });
    now += 9_999;
    watch.check();
    expect(fired).toEqual([]);
    now += 1;
    watch.check();
    watch.check();
    expect(fired).toEqual([110_000]);
  });
});
