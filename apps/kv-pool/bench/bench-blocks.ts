// What the kv-pool bench and its profiling aid (pool-shm-cycle.ts) share: the blocks they move, the window of
// requests in flight, signing as a cluster member, and one put as a cluster's writer makes it.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blockDigest, type connectKvPool, setBlockSigner } from '@oicf/pool-client';
import { credentialsFor, credentialsToJson, setClusterCredentials } from '@oicf/transport';

type PoolClient = Awaited<ReturnType<typeof connectKvPool>>;
export type BlockSigner = { key: Buffer; kvFormat: string };

/** Runs `task(i)` for i in [0, n) with at most `window` in flight. */
export async function windowed(n: number, window: number, task: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < n) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(window, n) }, worker));
}

/** Distinct pseudo-random blocks (xorshift32), fresh buffers each. */
export function payloads(size: number, n: number, seed: number): Buffer[] {
  return Array.from({ length: n }, (_, i) => {
    const words = new Uint32Array(size / 4);
    let x = (seed * 7919 + i * 104729 + 1) >>> 0;
    for (let j = 0; j < words.length; j++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      words[j] = x >>> 0;
    }
    return Buffer.from(words.buffer);
  });
}

/** A fresh cluster secret: the pool started next reads its credentials file, this process signs its puts. */
export function signAsACluster(kvFormat: string): BlockSigner {
  const root = randomBytes(32);
  const file = join(mkdtempSync(join(tmpdir(), 'kvpool-bench-')), 'kv-pool.json');
  writeFileSync(file, JSON.stringify(credentialsToJson(credentialsFor(root, 'kv-pool'))), { mode: 0o600 });
  process.env.OICF_CLUSTER_AUTH_FILE = file; // inherited by the pool process started next
  const mine = credentialsFor(root, 'bench-client');
  setClusterCredentials(mine);
  const signer = { key: mine.blockKey as Buffer, kvFormat };
  setBlockSigner(signer);
  return signer;
}

/**
 * One put: plain (the client computes XXH32), or, signing as a cluster, with the writer's keyed block digest
 * only: the digest covers every byte XXH32 would, and the pool, which checks it, computes the XXH32 it keeps
 * (`checksum_from_pool`), so a signed writer hashes its block once.
 */
export function putBlock(client: PoolClient, signer: BlockSigner | undefined, blockId: string, payload: Buffer) {
  if (signer === undefined) return client.put({ blockId, payload });
  return client.data.put({
    blockId,
    parentId: '',
    numTokens: 0,
    payload,
    sessionId: '',
    ttlSeconds: 0,
    digest: blockDigest(signer, blockId, payload),
  });
}
