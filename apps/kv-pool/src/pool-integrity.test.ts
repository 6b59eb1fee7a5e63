// Cache integrity beyond transport (issue 14.5) on a real pool with cluster credentials: a put must carry
// the writer's keyed digest binding its bytes to its id and the pool's kv format (model/precision), and be
// the model's block size; the digest is kept (across a restart, with the disk tier) and checked before the
// bytes are served, so a record rewritten at rest with another prompt's KV — valid XXH32 and all — is a
// counted corrupt block, never served.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blockChecksum, chainBlockIds, encodeBlockRecord } from '@oicf/kv';
import { contractBytes } from '@oicf/kv/testing';
import { blockDigest, connectKvPool, type KvPoolConnection } from '@oicf/pool-client';
import { credentialsFor, type RunningService, setClusterCredentials } from '@oicf/transport';
import { afterEach, describe, expect, it } from 'vitest';
import { kvPoolConfigSchema } from './config.js';
import { startKvPool } from './server.js';

const ROOT = Buffer.alloc(32, 21);
const BLOCK_BYTES = 4096;
const FORMAT = 'tiny-gqa/fp32';
const signer = { key: credentialsFor(ROOT, 'w').blockKey as Buffer, kvFormat: FORMAT };
const ids = chainBlockIds(Array.from({ length: 4 * 64 }, (_, i) => (i * 3) % 256));
const id = (i: number) => ids[i] as string;
const payload = (i: number) => contractBytes(i, BLOCK_BYTES);

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  setClusterCredentials(undefined);
});

async function start(dataDir: string): Promise<{ service: RunningService; client: KvPoolConnection }> {
  setClusterCredentials(credentialsFor(ROOT, 'kv-pool'));
  const config = kvPoolConfigSchema.parse({
    kvFormat: FORMAT,
    blockBytes: BLOCK_BYTES,
    drainTimeoutSeconds: 1,
    policy: { name: 'lru' },
    tiers: { disk: { capacityBytes: 1 << 20, dataDir } },
  });
  const { service } = await startKvPool(config, { handleSignals: false, log: () => {} });
  const client = await connectKvPool(service.endpoints as { ws: string; grpc: string });
  return { service, client };
}

const put = (i: number, over: { digest?: Uint8Array; bytes?: Uint8Array } = {}) => {
  const bytes = over.bytes ?? payload(i);
  return {
    blockId: id(i),
    parentId: i === 0 ? '' : id(i - 1),
    numTokens: 0,
    checksum: blockChecksum(bytes),
    payload: bytes,
    sessionId: '',
    ttlSeconds: 0,
    ...(over.digest === undefined ? {} : { digest: over.digest }),
  };
};

describe('keyed block digests', () => {
  it('refuses unsigned, mis-signed, other-model and wrong-size blocks; stores signed ones', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'kvpool-digest-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const { service, client } = await start(dataDir);
    cleanups.push(() => service.shutdown('test done'));
    cleanups.push(() => client.close());
    const channel = client.data;
    // The poisoning of the issue: random bytes with a valid XXH32, no digest.
    const poison = contractBytes(99, BLOCK_BYTES);
    await expect(channel.put(put(0, { bytes: poison }))).rejects.toMatchObject({
      code: 'CHECKSUM_MISMATCH',
      field: 'body.digest',
    });
    // Block 1's bytes with block 1's digest, offered as block 0 (another prompt's KV under this id).
    await expect(
      channel.put(put(0, { bytes: payload(1), digest: blockDigest(signer, id(1), payload(1)) })),
    ).rejects.toMatchObject({
      code: 'CHECKSUM_MISMATCH',
    });
    // The right bytes, signed for another model.
    const otherModel = { ...signer, kvFormat: 'tiny-mla/fp32' };
    await expect(channel.put(put(0, { digest: blockDigest(otherModel, id(0), payload(0)) }))).rejects.toMatchObject({
      code: 'CHECKSUM_MISMATCH',
    });
    // A full block of the wrong size.
    const short = payload(0).subarray(0, 1000);
    await expect(
      channel.put(put(0, { bytes: short, digest: blockDigest(signer, id(0), short) })),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      field: 'body.payload',
    });
    // Rightly signed bytes with a checksum that is not theirs: the pool would store that checksum with the
    // block and every frame reader would refuse the block against it, so the put is refused (the digest does
    // not cover the checksum field).
    await expect(
      channel.put({
        ...put(0, { digest: blockDigest(signer, id(0), payload(0)) }),
        checksum: blockChecksum(payload(1)),
      }),
    ).rejects.toMatchObject({ code: 'CHECKSUM_MISMATCH', field: 'body.checksum' });
    expect((await client.control.lookup([id(0)])).numCachedBlocks).toBe(0);
    await channel.put(put(0, { digest: blockDigest(signer, id(0), payload(0)) }));
    expect((await client.control.lookup([id(0)])).numCachedBlocks).toBe(1);
  });

  it('a record rewritten at rest with another block’s bytes (valid XXH32) is never served, after a restart too', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'kvpool-digest-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const first = await start(dataDir);
    for (const i of [0, 1]) await first.client.data.put(put(i, { digest: blockDigest(signer, id(i), payload(i)) }));
    await first.client.close();
    await first.service.shutdown('restart');
    // Block 0's file now holds block 1's KV, with a header and checksum valid for that content.
    const file = join(dataDir, 'blocks', id(0).slice(0, 2), `${id(0)}.okvb`);
    await writeFile(
      file,
      encodeBlockRecord(id(0), payload(1), blockChecksum(payload(1)), {
        parentId: undefined,
        position: 0,
        numTokens: 64,
      }),
    );
    const again = await start(dataDir);
    cleanups.push(() => again.service.shutdown('test done'));
    cleanups.push(() => again.client.close());
    const lease = await again.client.control.lease([id(0), id(1)], 10, 'test');
    expect(lease.leasedBlockIds).toEqual([id(0), id(1)]); // both still indexed after the restart
    const got = await again.client.get([id(0), id(1)], lease.leaseId);
    expect([...got.blocks.keys()]).toEqual([id(1)]);
    expect(Buffer.from(got.blocks.get(id(1)) as Uint8Array).equals(Buffer.from(payload(1)))).toBe(true);
    expect(got.failed.map((e) => e.blockId)).toEqual([id(0)]);
  });
});
