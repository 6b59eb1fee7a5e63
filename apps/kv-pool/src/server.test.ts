import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blockChecksum, chainBlockIds } from '@oicf/kv';
import { contractBytes } from '@oicf/kv/testing';
import { connectKvPool, type KvPoolConnection } from '@oicf/pool-client';
import { connectWs, type RunningService } from '@oicf/transport';
import { Packr } from 'msgpackr';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { kvPoolConfigSchema } from './config.js';
import type { KvPool } from './pool/kv-pool.js';
import { startKvPool } from './server.js';

const KiB = 1024;
const ids = chainBlockIds(Array.from({ length: 16 * 64 }, (_, i) => (i * 7) % 256));
const id = (i: number) => ids[i] as string;

let running: { service: RunningService; pool: KvPool; client: KvPoolConnection; dataDir: string } | undefined;

afterEach(async () => {
  if (running === undefined) return;
  await running.client.close();
  await running.service.shutdown('test done');
  await rm(running.dataDir, { recursive: true, force: true });
  running = undefined;
});

/** A pool on 127.0.0.1 port 0: dram 64 KiB over disk 1 MiB, frames up to 128 KiB of payload. */
async function start() {
  const dataDir = await mkdtemp(join(tmpdir(), 'kvpool-svc-'));
  const config = kvPoolConfigSchema.parse({
    maxBlockBytes: 128 * KiB,
    drainTimeoutSeconds: 1,
    policy: { name: 'lru' },
    tiers: { dram: { capacityBytes: 64 * KiB }, disk: { capacityBytes: 1024 * KiB, dataDir } },
  });
  const { service, pool } = await startKvPool(config, { handleSignals: false, log: () => {} });
  const { ws, grpc } = service.endpoints as { ws: string; grpc: string };
  const client = await connectKvPool({ ws, grpc });
  running = { service, pool, client, dataDir };
  return running;
}

const block = (i: number, numBytes = 32 * KiB) => ({
  blockId: id(i),
  parentId: i === 0 ? '' : id(i - 1),
  payload: contractBytes(i, numBytes),
});

describe('kv-pool service', () => {
  it('round-trips blocks over the WebSocket data plane and answers the gRPC control API', async () => {
    const { client } = await start();
    for (let i = 0; i < 4; i++) await client.put(block(i)); // dram holds 2 of 32 KiB; 0 and 1 go to disk
    const lookup = await client.control.lookup(ids.slice(0, 6));
    expect(lookup).toMatchObject({ numCachedBlocks: 4, numCachedTokens: 256 });
    expect(lookup.blocks.map((b) => b.tier)).toEqual(['disk', 'disk', 'dram', 'dram']);
    const got = await client.get([id(3), id(0), id(7)]);
    expect([...got.blocks.keys()]).toEqual([id(3), id(0)]);
    expect(Buffer.from(got.blocks.get(id(0)) as Uint8Array).equals(Buffer.from(contractBytes(0, 32 * KiB)))).toBe(true);
    expect(got.missingBlockIds).toEqual([id(7)]);
    expect(got.failed).toEqual([]);
    const health = await client.control.health();
    expect(health.status).toBe('serving');
  });

  it('refuses bad puts with a clear code and keeps serving the same connection', async () => {
    const { client } = await start();
    const good = block(0, 1000);
    const cases: [Record<string, unknown>, string, string][] = [
      [{ blockId: 'not-a-block-id' }, 'INVALID_ARGUMENT', 'body.blockId'],
      [{ checksum: (blockChecksum(good.payload) + 1) >>> 0 }, 'CHECKSUM_MISMATCH', 'body.checksum'],
    ];
    for (const [over, code, field] of cases) {
      const body = {
        blockId: good.blockId,
        parentId: '',
        numTokens: 64,
        checksum: blockChecksum(good.payload),
        payload: good.payload,
        sessionId: '',
        ttlSeconds: 0,
        ...over,
      };
      await expect(client.ws.request('kv.put', body, 'kv.put.ack')).rejects.toMatchObject({ code, field });
    }
    expect(await client.put(good)).toEqual({
      blockId: good.blockId,
      tier: 'dram',
      alreadyPresent: false,
      storedBytes: 1000,
    });
    const metrics = await (await fetch(`${running?.service.endpoints.http}/metrics`)).text();
    expect(metrics).toMatch(/oicf_kvpool_checksum_failed_blocks_total\{where="receipt",component="kvpool"\} 1/);
    expect(metrics).toMatch(/oicf_kvpool_rejected_requests_total\{code="INVALID_ARGUMENT",component="kvpool"\} 1/);
  });

  it('closes a connection that sends an oversize frame or an unknown kind; others keep working', async () => {
    const { service, client } = await start();
    const url = service.endpoints.ws as string;
    // A client whose own limit is larger than the server's 128 KiB + headroom.
    const big = await connectWs(url, { maxFrameBytes: 4 * 1024 * KiB });
    const payload = contractBytes(1, 1024 * KiB);
    const body = {
      blockId: id(1),
      parentId: '',
      numTokens: 64,
      checksum: blockChecksum(payload),
      payload,
      sessionId: '',
      ttlSeconds: 0,
    };
    await expect(big.request('kv.put', body, 'kv.put.ack')).rejects.toMatchObject({ code: 'FRAME_TOO_LARGE' });
    await big.close();

    const raw = new WebSocket(url);
    await new Promise((resolve) => raw.once('open', resolve));
    const closed = new Promise<number>((resolve) => raw.once('close', (code) => resolve(code)));
    raw.send(new Packr({ useRecords: false }).pack({ v: 1, kind: 'kv.teleport', id: 'x1', body: {} }));
    expect(await closed).toBe(1003); // UNKNOWN_KIND

    expect(await client.put(block(2, 1000))).toEqual({
      blockId: id(2),
      tier: 'dram',
      alreadyPresent: false,
      storedBytes: 1000,
    });
    expect((await client.get([id(2)])).blocks.size).toBe(1);
  });

  it('refuses writes beyond capacity with RESOURCE_EXHAUSTED and serves what it has', async () => {
    const { client } = await start();
    // dram (64 KiB) takes block 0 (60 KiB); 120 KiB blocks fit disk only: 8 × 120 = 960 KiB of 1024.
    // With everything leased, a 100 KiB block (> 64 KiB free anywhere) has nowhere to go.
    await client.put(block(0, 60 * KiB));
    for (let i = 1; i <= 8; i++) await client.put(block(i, 120 * KiB));
    const lease = await client.control.lease(ids.slice(0, 9), 30, 'test');
    expect(lease.leasedBlockIds).toHaveLength(9);
    const extra = chainBlockIds(Array.from({ length: 64 }, () => 3))[0] as string;
    await expect(client.put({ blockId: extra, payload: contractBytes(99, 100 * KiB) })).rejects.toMatchObject({
      code: 'RESOURCE_EXHAUSTED',
    });
    expect((await client.get([id(0)], lease.leaseId)).blocks.size).toBe(1);
    expect(await client.control.release(lease.leaseId)).toBe(true);
    expect(await client.put({ blockId: extra, payload: contractBytes(99, 100 * KiB) })).toMatchObject({
      alreadyPresent: false,
    });
  });

  it('answers malformed control requests with INVALID_ARGUMENT', async () => {
    const { client } = await start();
    await expect(client.control.lookup(['zz'])).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      field: 'blockIds[0]',
    });
    await expect(client.control.lease([id(0)], 0, 'test')).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      field: 'ttlSeconds',
    });
    expect((await client.control.stats()).blockTokens).toBe(64);
  });

  it('turns a flipped byte in a stored file into a miss, counted, and drops the block', async () => {
    const { client, dataDir } = await start();
    for (let i = 0; i < 3; i++) await client.put(block(i)); // block 0 lands on disk
    const path = join(dataDir, 'blocks', id(0).slice(0, 2), `${id(0)}.okvb`);
    const bytes = await readFile(path);
    bytes[200] = (bytes[200] as number) ^ 0x40; // inside the payload (header is 64 bytes)
    await writeFile(path, bytes);
    const got = await client.get([id(0), id(1)]);
    expect(got.blocks.has(id(0))).toBe(false);
    expect(got.failed).toMatchObject([{ blockId: id(0), error: { code: 'CHECKSUM_MISMATCH' } }]);
    expect(got.blocks.has(id(1))).toBe(true);
    const stats = await client.control.stats();
    expect(stats.tiers.find((t) => t.tier === 'disk')?.numChecksumFailures).toBe(1);
    const metrics = await (await fetch(`${running?.service.endpoints.http}/metrics`)).text();
    expect(metrics).toMatch(/oicf_kvpool_checksum_failed_blocks_total\{where="disk",component="kvpool"\} 1/);
    expect((await client.get([id(0)])).missingBlockIds).toEqual([id(0)]);
  });

  it('reports the read path each tier models, configured or from the catalog (what routers price reads with)', async () => {
    const config = kvPoolConfigSchema.parse({
      tiers: {
        dram: { capacityBytes: 64 * KiB },
        opticalPool: { capacityBytes: 64 * KiB, bandwidthBytesPerSecond: 2e9, latencySeconds: 1e-5 },
      },
    });
    const { service, pool } = await startKvPool(config, { handleSignals: false, log: () => {} });
    const client = await connectKvPool(service.endpoints as { ws: string; grpc: string });
    running = { service, pool, client, dataDir: await mkdtemp(join(tmpdir(), 'kvpool-paths-')) };
    // dram: the catalog's host DDR5 over PCIe 5.0 x16, 63 GB/s and 2 µs; optical-pool as configured.
    expect([...(await client.control.readPaths())]).toEqual([
      ['dram', { bandwidthBytesPerSecond: 63e9, latencySeconds: 2e-6 }],
      ['optical-pool', { bandwidthBytesPerSecond: 2e9, latencySeconds: 1e-5 }],
    ]);
    const stats = await client.control.stats();
    expect(stats.tiers.map((t) => [t.tier, t.pacedBandwidthBytesPerSecond])).toEqual([
      ['dram', 0],
      ['optical-pool', 2e9],
    ]);
  });

  it('exports its metrics under oicf_kvpool_*', async () => {
    const { client, service } = await start();
    await client.put(block(0, 1000));
    await client.get([id(0)]);
    const text = await (await fetch(`${service.endpoints.http}/metrics`)).text();
    for (const name of [
      'oicf_kvpool_tier_used_bytes{tier="dram",component="kvpool"} 1000',
      'oicf_kvpool_tier_stored_blocks{tier="dram",component="kvpool"} 1',
      'oicf_kvpool_hit_blocks_total{tier="dram",component="kvpool"} 1',
      'oicf_kvpool_received_bytes_total{component="kvpool"} 1000',
      'oicf_kvpool_sent_bytes_total{component="kvpool"} 1000',
      'oicf_kvpool_put_latency_seconds_count{component="kvpool"} 1',
    ]) {
      expect(text).toContain(name);
    }
  });

  it('streams a large get with backpressure: a reader that stops reading stalls the server', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'kvpool-bp-'));
    const config = kvPoolConfigSchema.parse({
      policy: { name: 'lru' },
      tiers: { dram: { capacityBytes: 64 * 1024 * KiB } },
    });
    const { service, pool } = await startKvPool(config, { handleSignals: false, log: () => {} });
    const endpoints = service.endpoints as { ws: string; grpc: string; http: string };
    const client = await connectKvPool(endpoints);
    running = { service, pool, client, dataDir };
    const many = chainBlockIds(Array.from({ length: 48 * 64 }, (_, i) => (i * 5) % 256));
    await client.putMany(many.map((blockId, i) => ({ blockId, payload: contractBytes(i, 1024 * KiB) })));
    const sentBytes = async () => {
      const text = await (await fetch(`${endpoints.http}/metrics`)).text();
      return Number(/oicf_kvpool_sent_bytes_total\{component="kvpool"\} (\d+)/.exec(text)?.[1] ?? 0);
    };
    // Ask for 48 MiB but do not read: the client pauses its socket past its 8 MiB receive mark,
    // the kernel buffers fill, and the server's sends wait at its 8 MiB high-water mark.
    const frames = client.ws.stream('kv.get', { blockIds: many, leaseId: '' });
    const first = await frames.next(); // starts the request
    expect(first.value?.kind).toBe('kv.block');
    await new Promise((r) => setTimeout(r, 500));
    const stalledAt = await sentBytes();
    expect(stalledAt).toBeLessThan(40 * 1024 * KiB);
    let numBlocks = 1;
    for await (const frame of frames) if (frame.kind === 'kv.block') numBlocks++;
    expect(numBlocks).toBe(48);
    expect(await sentBytes()).toBe(48 * 1024 * KiB);
  });
});
