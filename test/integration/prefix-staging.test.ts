// A worker's prefix fetch (fetchPrefix with the worker's reused slab as `staging`, as both workers call it) on a
// real kv-pool in this process, through its shared-memory arena (same host) and through byte frames: each block
// lands in a slab chunk once, verified there; a block whose arena bytes were changed is reported and never
// returned, its chunk zero-filled; every chunk goes back on release, also when the fetch throws.
import { blockChecksum, blockIdFor, ROOT_BLOCK_ID } from '@oicf/kv';
import { loadKvPoolConfig } from '@oicf/kv-pool/config';
import { startKvPool } from '@oicf/kv-pool/server';
import { type BlockChannels, ShmLinks, shmBlockChannels } from '@oicf/pool-client';
import { type RunningService, realClock, WsClientPool } from '@oicf/transport';
import { fetchPrefix, PayloadPool, type PrefixStaging } from '@oicf/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const KiB = 1024;
const BLOCK_TOKENS = 64; // the pool's default block size
const BLOCK = 16 * KiB; // so 256 KV bytes per token
const id = (n: number) => blockIdFor(ROOT_BLOCK_ID, [n]);
const bytes = (n: number) => Uint8Array.from({ length: BLOCK }, (_, i) => (i * 7 + n) & 0xff);
const same = (a: Uint8Array | undefined, b: Uint8Array) => a !== undefined && Buffer.from(a).equals(Buffer.from(b));
const plan = (address: string, ns: number[]) => ({
  wsAddress: address,
  leaseId: '',
  blocks: ns.map((n, i) => ({ blockId: id(n), firstToken: i * BLOCK_TOKENS, numTokens: BLOCK_TOKENS })),
});

let service: RunningService;
let pool: Awaited<ReturnType<typeof startKvPool>>['pool'];
let address: string;
const paths: string[] = [];
const channels = (shm: boolean): BlockChannels =>
  shmBlockChannels({
    connections: new WsClientPool({ connectTimeoutSeconds: 5 }),
    links: new ShmLinks({ enabled: shm, writable: true }),
    count: (path, direction) => paths.push(`${path} ${direction}`),
  });

/** The worker's slab (PayloadPool), recording what was handed out and what came back. */
function recording(slab: PayloadPool) {
  const acquired: Uint8Array[] = [];
  const released: Uint8Array[] = [];
  const staging: PrefixStaging = {
    acquire: (n) => {
      const b = slab.acquire(n);
      acquired.push(b);
      return b;
    },
    release: (b) => {
      released.push(b);
      slab.release(b);
    },
  };
  return { staging, acquired, released };
}

beforeAll(async () => {
  const config = loadKvPoolConfig({
    env: {},
    argv: ['--tiers.dram.capacityBytes=4194304', '--shm.stagingBytes=1048576', '--policy.name=lru'],
  });
  ({ service, pool } = await startKvPool(config, { clock: realClock, handleSignals: false, log: () => {} }));
  address = (service.endpoints as { ws: string }).ws;
  const writer = channels(true);
  await writer.with(address, async (c) => {
    for (let n = 0; n < 8; n++) {
      await c.put({
        blockId: id(n),
        parentId: n === 0 ? '' : id(n - 1),
        numTokens: BLOCK_TOKENS,
        checksum: blockChecksum(bytes(n)),
        payload: bytes(n),
        sessionId: '',
        ttlSeconds: 0,
      });
    }
  });
  await writer.close();
});
afterAll(async () => {
  await service.shutdown('test done');
});

describe('fetchPrefix into the worker slab', () => {
  for (const shm of [true, false]) {
    it(`${shm ? 'through the arena' : 'over byte frames'}: each block is read into its own slab chunk, verified, and the chunks come back on release`, async () => {
      const slab = new PayloadPool(1024 * KiB);
      const { staging, acquired, released } = recording(slab);
      const ch = channels(shm);
      paths.length = 0;
      try {
        const got = await fetchPrefix([plan(address, [0, 1, 2, 3])], {
          channels: ch,
          kvBytesPerToken: BLOCK / BLOCK_TOKENS,
          timeoutSeconds: 5,
          staging,
        });
        expect(got.problems).toEqual([]);
        expect(paths).toEqual(Array(4).fill(shm ? 'shm received' : 'ws received'));
        expect(got.blocks.map((b) => b.blockId)).toEqual([id(0), id(1), id(2), id(3)]);
        got.blocks.forEach((b, n) => {
          expect(same(b.payload, bytes(n))).toBe(true); // the right bytes, in the right block's place
          // The very chunk handed out for it: no buffer in between.
          const chunk = acquired[n];
          expect([b.payload.buffer === chunk?.buffer, b.payload.byteOffset, b.payload.byteLength]).toEqual([
            true,
            chunk?.byteOffset,
            BLOCK,
          ]);
        });
        expect(acquired).toHaveLength(4);
        expect(slab.pooledBytes).toBe(0);
        got.release();
        got.release(); // idempotent
        expect(released).toEqual(acquired);
        expect(slab.pooledBytes).toBe(slab.carvedBytes);
        // A second fetch reuses the same chunks (the slab is not grown).
        const carved = slab.carvedBytes;
        const again = await fetchPrefix([plan(address, [4, 5])], {
          channels: ch,
          kvBytesPerToken: BLOCK / BLOCK_TOKENS,
          timeoutSeconds: 5,
          staging,
        });
        expect(again.blocks.map((b) => same(b.payload, bytes(4 + again.blocks.indexOf(b))))).toEqual([true, true]);
        again.release();
        expect(slab.carvedBytes).toBe(carved);
      } finally {
        await ch.close();
      }
    });
  }

  it('a block changed in the arena is reported, never returned, its chunk zero-filled; the prefix stops before it', async () => {
    pool.arena()?.scribble(id(6), 100, Uint8Array.of(0xde, 0xad));
    const { staging, acquired, released } = recording(new PayloadPool(1024 * KiB));
    const ch = channels(true);
    paths.length = 0;
    try {
      const got = await fetchPrefix([plan(address, [5, 6, 7])], {
        channels: ch,
        kvBytesPerToken: BLOCK / BLOCK_TOKENS,
        timeoutSeconds: 5,
        staging,
      });
      expect(paths).toEqual(['shm received', 'shm received', 'shm received']);
      expect(got.blocks.map((b) => b.blockId)).toEqual([id(5)]);
      expect(same(got.blocks[0]?.payload, bytes(5))).toBe(true);
      expect(got.problems).toEqual([{ wsAddress: address, blockId: id(6), problem: 'checksum' }]);
      // Block 6 was read into its chunk, refused there: zeros, not bytes that could pass for KV.
      expect(acquired[1]?.every((b) => b === 0)).toBe(true);
      got.release();
      expect(released).toEqual(acquired);
    } finally {
      await ch.close();
    }
  });

  it('a fetch that throws (cancelled) gives back every chunk it took', async () => {
    const { staging, acquired, released } = recording(new PayloadPool(1024 * KiB));
    const ch = channels(true);
    const abort = new AbortController();
    let n = 0;
    const cancelling: PrefixStaging = {
      acquire: (bytesWanted) => {
        if (++n === 2) {
          // Cancelled while the get is under way (the second block's read then fails with it).
          abort.abort();
          throw new Error('cancelled mid-fetch');
        }
        return staging.acquire(bytesWanted);
      },
      release: staging.release,
    };
    try {
      await expect(
        fetchPrefix([plan(address, [0, 1, 2, 3])], {
          channels: ch,
          kvBytesPerToken: BLOCK / BLOCK_TOKENS,
          timeoutSeconds: 5,
          signal: abort.signal,
          staging: cancelling,
        }),
      ).rejects.toThrow('cancelled mid-fetch');
      expect(acquired).toHaveLength(1); // the first block's chunk, read before the cancel
      expect(released).toEqual(acquired);
    } finally {
      await ch.close();
    }
  });
});
