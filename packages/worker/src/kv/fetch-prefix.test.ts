import { blockChecksum } from '@oicf/kv';
import type { BlockChannel, BlockChannels } from '@oicf/pool-client';
import { OicfError } from '@oicf/transport';
import { describe, expect, it } from 'vitest';
import { fetchPrefix } from './fetch-prefix.js';
import { PayloadPool } from './payload-pool.js';

// One 2-token block at 4 KV bytes per token: an 8-byte payload with its XXH32.
const payload = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
const block = { blockId: 'a'.repeat(16), firstToken: 0, numTokens: 2 };

/** A holder whose lease `lease-1` has expired; it still holds the block for an unleased read. */
function holder(asked: string[]): BlockChannels {
  const channel: BlockChannel = {
    async *get(request) {
      asked.push(request.leaseId);
      if (request.leaseId !== '')
        throw new OicfError('FAILED_PRECONDITION', `lease ${request.leaseId} is unknown or expired`);
      yield { kind: 'block', ...block, checksum: blockChecksum(payload), payload, tier: 'dram' };
      yield { kind: 'done', missingBlockIds: [] };
    },
    put: async () => {
      throw new Error('not used');
    },
  };
  return { with: (_address, fn) => fn(channel), close: async () => {} };
}

describe('fetchPrefix', () => {
  it('reads blocks unleased when their lease expired while the request queued', async () => {
    const asked: string[] = [];
    const got = await fetchPrefix([{ wsAddress: 'ws://pool', leaseId: 'lease-1', blocks: [block] }], {
      channels: holder(asked),
      kvBytesPerToken: 4,
      timeoutSeconds: 5,
    });
    expect(asked).toEqual(['lease-1', '']);
    expect(got.blocks.map((b) => b.blockId)).toEqual([block.blockId]);
    expect(got.failures).toEqual([]);
  });
});

// Two 2-token blocks of 8 bytes each, distinct, so a block landing in the other's place would show.
const blocks2 = [
  { blockId: 'b'.repeat(16), firstToken: 0, numTokens: 2, bytes: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8) },
  { blockId: 'c'.repeat(16), firstToken: 2, numTokens: 2, bytes: Uint8Array.of(9, 10, 11, 12, 13, 14, 15, 16) },
];

/**
 * A same-host holder as the shared-memory channel behaves: each block is copied into the target `into` gives
 * (else fresh memory); a block whose copy fails the channel's own check (the keyed digest) is zero-filled there
 * and answered as an error event. `bad` names that block.
 */
function sameHost(bad?: string): BlockChannels {
  const channel: BlockChannel = {
    async *get(request, options) {
      for (const b of blocks2) {
        if (!request.blockIds.includes(b.blockId)) continue;
        const target = options?.into?.(b.blockId, b.bytes.byteLength)?.subarray(0, b.bytes.byteLength);
        const payload = target ?? new Uint8Array(b.bytes.byteLength);
        payload.set(b.bytes);
        if (b.blockId === bad) {
          payload.fill(0);
          yield { kind: 'error', blockId: b.blockId, error: new OicfError('CHECKSUM_MISMATCH', 'not what was signed') };
          continue;
        }
        yield {
          kind: 'block',
          blockId: b.blockId,
          numTokens: 2,
          checksum: blockChecksum(b.bytes),
          payload,
          tier: 'dram',
        };
      }
      yield { kind: 'done', missingBlockIds: [] };
    },
    put: async () => {
      throw new Error('not used');
    },
  };
  return { with: (_address, fn) => fn(channel), close: async () => {} };
}

const plan2 = { wsAddress: 'ws://pool', leaseId: '', blocks: blocks2.map(({ bytes: _, ...b }) => b) };

describe('fetchPrefix with staging', () => {
  it('reads each block into its own staging chunk and returns views of them; release gives every chunk back', async () => {
    const slab = new PayloadPool(64 * 1024);
    const got = await fetchPrefix([plan2], {
      channels: sameHost(),
      kvBytesPerToken: 4,
      timeoutSeconds: 5,
      staging: slab,
    });
    expect(got.problems).toEqual([]);
    expect(got.blocks.map((b) => [...b.payload])).toEqual(blocks2.map((b) => [...b.bytes]));
    // Both payloads are chunks of the slab (4 KiB chunks, one per block), not buffers of their own.
    expect(got.blocks.map((b) => b.payload.byteOffset)).toEqual([0, 4096]);
    expect(slab.carvedBytes).toBe(8192);
    expect(slab.pooledBytes).toBe(0);
    got.release();
    expect(slab.pooledBytes).toBe(8192);
  });

  it('a block the channel refused (an error event) is reported, not returned; the prefix stops there', async () => {
    const slab = new PayloadPool(64 * 1024);
    const handed: Uint8Array[] = [];
    const staging = {
      acquire: (n: number) => {
        const b = slab.acquire(n);
        handed.push(b);
        return b;
      },
      release: (b: Uint8Array) => slab.release(b),
    };
    const bad = blocks2[0]?.blockId as string;
    const got = await fetchPrefix([plan2], { channels: sameHost(bad), kvBytesPerToken: 4, timeoutSeconds: 5, staging });
    expect(got.blocks).toEqual([]); // block 1 alone does not extend a prefix whose block 0 is missing
    expect(got.problems).toContainEqual({ wsAddress: 'ws://pool', blockId: bad, problem: 'missing' });
    // Zeros there are the channel's doing (the fake zero-fills, as shm-block-channel.ts does; proved on a real
    // pool in test/integration/prefix-staging.test.ts); the next test has fetchPrefix's own path do it.
    expect([...(handed[0] ?? [])]).toEqual(Array(8).fill(0));
    got.release();
    expect(slab.pooledBytes).toBe(slab.carvedBytes);
  });

  it('a block read into its chunk that fails XXH32 here is refused and its chunk zero-filled by the fetch', async () => {
    // The holder writes block b's bytes into its chunk but announces the XXH32 of other bytes: fetchBlocks refuses
    // it ('checksum') and zero-fills the chunk (block-targets.ts). The slab is dirtied first, so zeros tell.
    const slab = new PayloadPool(64 * 1024);
    slab.release(slab.acquire(8).fill(0xee));
    const handed: Uint8Array[] = [];
    const staging = {
      acquire: (n: number) => handed[handed.push(slab.acquire(n)) - 1] as Uint8Array,
      release: (b: Uint8Array) => slab.release(b),
    };
    const b = blocks2[0] as (typeof blocks2)[number];
    const lying: BlockChannels = {
      with: (_address, fn) =>
        fn({
          async *get(_request, options) {
            const payload = options?.into?.(b.blockId, 8) ?? new Uint8Array(8);
            payload.set(b.bytes);
            yield {
              kind: 'block',
              blockId: b.blockId,
              numTokens: 2,
              checksum: blockChecksum(Uint8Array.of(0)),
              payload,
              tier: 'dram',
            };
            yield { kind: 'done', missingBlockIds: [] };
          },
          put: async () => {
            throw new Error('not used');
          },
        }),
      close: async () => {},
    };
    const got = await fetchPrefix([{ ...plan2, blocks: plan2.blocks.slice(0, 1) }], {
      channels: lying,
      kvBytesPerToken: 4,
      timeoutSeconds: 5,
      staging,
    });
    expect(got.blocks).toEqual([]);
    expect(got.problems).toEqual([{ wsAddress: 'ws://pool', blockId: b.blockId, problem: 'checksum' }]);
    expect(handed).toHaveLength(1);
    expect([...(handed[0] as Uint8Array)]).toEqual(Array(8).fill(0));
    got.release();
    expect(slab.pooledBytes).toBe(slab.carvedBytes);
  });

  it('gives a chunk only to a planned block of its planned size: whatever else a holder sends gets none', async () => {
    // Plan: block b, 2 tokens × 4 B = 8 bytes. The holder first announces an id not asked for (1 MiB), then b
    // at 16 bytes: neither is handed a chunk (each is read into fresh memory and refused: identity, size).
    const acquired: number[] = [];
    const slab = new PayloadPool(64 * 1024);
    const staging = {
      acquire: (n: number) => {
        acquired.push(n);
        return slab.acquire(n);
      },
      release: (x: Uint8Array) => slab.release(x),
    };
    const b = blocks2[0] as (typeof blocks2)[number];
    const sent: { id: string; n: number }[] = [
      { id: 'z'.repeat(16), n: 1024 * 1024 },
      { id: b.blockId, n: 16 },
    ];
    const pushy: BlockChannels = {
      with: (_address, fn) =>
        fn({
          async *get(_request, options) {
            for (const { id, n } of sent) {
              const payload = options?.into?.(id, n) ?? new Uint8Array(n);
              yield {
                kind: 'block',
                blockId: id,
                numTokens: 2,
                checksum: blockChecksum(payload),
                payload,
                tier: 'dram',
              };
            }
            yield { kind: 'done', missingBlockIds: [] };
          },
          put: async () => {
            throw new Error('not used');
          },
        }),
      close: async () => {},
    };
    const got = await fetchPrefix([{ ...plan2, blocks: plan2.blocks.slice(0, 1) }], {
      channels: pushy,
      kvBytesPerToken: 4,
      timeoutSeconds: 5,
      staging,
    });
    expect(got.blocks).toEqual([]);
    expect(got.problems.map((p) => p.problem)).toEqual(['identity', 'size']);
    expect(acquired).toEqual([]);
    got.release();
  });
});
