import { blockChecksum } from '@oicf/kv';
import { startWsServer, WsClientPool, type WsServer } from '@oicf/transport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wsBlockChannels } from './block-channel.js';
import { fetchBlocks } from './fetch-blocks.js';
import { type BlockToPut, putBlocks } from './put-blocks.js';

const BYTES_PER_TOKEN = 16;
const BLOCK_TOKENS = 4;

/** A minimal pool data plane: stores verified puts, serves gets, can serve one block corrupted. */
const stored = new Map<string, { payload: Buffer; checksum: number; numTokens: number }>();
const corrupt = new Set<string>();
let server: WsServer;
const clients = wsBlockChannels(new WsClientPool());

beforeAll(async () => {
  server = await startWsServer({
    onFrame: async (frame, conn) => {
      if (frame.kind === 'kv.put') {
        const b = frame.body;
        if (blockChecksum(b.payload) !== b.checksum)
          throw Object.assign(new Error('bad checksum'), { code: 'CHECKSUM_MISMATCH' });
        const already = stored.has(b.blockId);
        if (!already)
          stored.set(b.blockId, { payload: Buffer.from(b.payload), checksum: b.checksum, numTokens: b.numTokens });
        await conn.send('kv.put.ack', frame.id, {
          blockId: b.blockId,
          tier: 'TIER_DRAM',
          alreadyPresent: already,
          storedBytes: b.payload.byteLength,
        });
      } else if (frame.kind === 'kv.get') {
        const missing: string[] = [];
        for (const id of frame.body.blockIds) {
          const s = stored.get(id);
          if (s === undefined) {
            missing.push(id);
            continue;
          }
          const payload = Buffer.from(s.payload);
          if (corrupt.has(id)) payload[3] = (payload[3] ?? 0) ^ 0xff;
          await conn.send('kv.block', frame.id, {
            blockId: id,
            checksum: s.checksum,
            payload,
            numTokens: s.numTokens,
            tier: 'TIER_DRAM',
          });
        }
        await conn.send('kv.get.done', frame.id, {
          numBlocksSent: frame.body.blockIds.length - missing.length,
          missingBlockIds: missing,
        });
      }
    },
  });
});
afterAll(async () => {
  await clients.close();
  await server.close();
});

function block(i: number): BlockToPut {
  const payload = Uint8Array.from({ length: BLOCK_TOKENS * BYTES_PER_TOKEN }, (_, k) => (i * 31 + k) & 0xff);
  return {
    blockId: `b${i}`,
    parentId: i === 0 ? '' : `b${i - 1}`,
    numTokens: BLOCK_TOKENS,
    payload,
    checksum: blockChecksum(payload),
  };
}
const BLOCKS = [0, 1, 2].map(block);
const WANT = BLOCKS.map((b, i) => ({ blockId: b.blockId, firstToken: i * BLOCK_TOKENS, numTokens: BLOCK_TOKENS }));

describe('pool data-plane client', () => {
  it('puts blocks with acks (a second offer is already present) and fetches them back verified', async () => {
    const put = await clients.with(server.url, (c) =>
      putBlocks(c, BLOCKS, { sessionId: 's1', ttlSeconds: 60, maxInFlight: 2 }),
    );
    expect(put).toEqual({ numStored: 3, numAlreadyPresent: 0, bytesSent: 3 * 64, failures: [] });
    const again = await clients.with(server.url, (c) => putBlocks(c, BLOCKS, { sessionId: 's1', ttlSeconds: 60 }));
    expect(again).toMatchObject({ numStored: 0, numAlreadyPresent: 3 });
    const got = await clients.with(server.url, (c) =>
      fetchBlocks(c, { blocks: WANT, kvBytesPerToken: BYTES_PER_TOKEN }),
    );
    expect(got.problems).toEqual([]);
    expect(
      got.blocks.map((b) => [
        b.blockId,
        b.firstToken,
        Buffer.from(b.payload).equals(Buffer.from(BLOCKS[b.firstToken / 4]?.payload ?? [])),
      ]),
    ).toEqual([
      ['b0', 0, true],
      ['b1', 4, true],
      ['b2', 8, true],
    ]);
    expect(got.bytesReceived).toBe(3 * 64);
  });

  it('a block failing its checksum is a miss, and so is everything after it', async () => {
    corrupt.add('b1');
    try {
      const got = await clients.with(server.url, (c) =>
        fetchBlocks(c, { blocks: WANT, kvBytesPerToken: BYTES_PER_TOKEN }),
      );
      expect(got.blocks.map((b) => b.blockId)).toEqual(['b0']);
      expect(got.problems).toEqual([{ blockId: 'b1', problem: 'checksum' }]);
    } finally {
      corrupt.clear();
    }
  });

  it('into: verified blocks are placed in their targets; a corrupt one is a miss and its target untouched', async () => {
    const slab = Buffer.alloc(3 * 64, 0xaa); // 64 = BLOCK_TOKENS × BYTES_PER_TOKEN bytes a block
    const targetOf = new Map(WANT.map((b, i) => [b.blockId, slab.subarray(i * 64, (i + 1) * 64)]));
    corrupt.add('b2');
    try {
      const got = await clients.with(server.url, (c) =>
        fetchBlocks(c, { blocks: WANT, kvBytesPerToken: BYTES_PER_TOKEN, into: (id) => targetOf.get(id) }),
      );
      expect(got.blocks.map((b) => b.blockId)).toEqual(['b0', 'b1']);
      expect(got.problems).toEqual([{ blockId: 'b2', problem: 'checksum' }]);
      got.blocks.forEach((b, i) => {
        expect([b.payload.buffer === slab.buffer, b.payload.byteOffset]).toEqual([true, i * 64]);
      });
      expect(
        slab.subarray(0, 128).equals(Buffer.concat([BLOCKS[0], BLOCKS[1]].map((b) => b?.payload ?? new Uint8Array()))),
      ).toBe(true);
      // Over byte frames the block is checked before it is copied: a refused one never reaches its target.
      expect(slab.subarray(128).every((b) => b === 0xaa)).toBe(true);
    } finally {
      corrupt.clear();
    }
    const small = await clients.with(server.url, (c) =>
      fetchBlocks(c, { blocks: WANT.slice(0, 1), kvBytesPerToken: BYTES_PER_TOKEN, into: () => Buffer.alloc(63) }),
    );
    expect([small.blocks, small.problems]).toEqual([[], [{ blockId: 'b0', problem: 'size' }]]);
  });

  it('a missing block or a wrong size is a miss; a refused put is a value', async () => {
    const got = await clients.with(server.url, (c) =>
      fetchBlocks(c, {
        blocks: [{ blockId: 'nope', firstToken: 0, numTokens: 4 }, WANT[1] as never],
        kvBytesPerToken: BYTES_PER_TOKEN,
      }),
    );
    expect(got.blocks).toEqual([]);
    expect(got.problems).toEqual([{ blockId: 'nope', problem: 'missing' }]);
    const wrongSize = await clients.with(server.url, (c) =>
      fetchBlocks(c, { blocks: WANT.slice(0, 1), kvBytesPerToken: 8 }),
    );
    expect(wrongSize.problems).toEqual([{ blockId: 'b0', problem: 'size' }]);
    const bad = { ...block(9), checksum: 1 };
    const put = await clients.with(server.url, (c) => putBlocks(c, [bad], { sessionId: '', ttlSeconds: 0 }));
    expect(put.failures).toEqual([{ blockId: 'b9', code: 'CHECKSUM_MISMATCH', message: 'bad checksum' }]);
  });

  it('puts only the wire fields of a block that carries more (a worker cache entry has a position)', async () => {
    const cached = { ...block(7), position: 7 };
    const put = await clients.with(server.url, (c) => putBlocks(c, [cached], { sessionId: '', ttlSeconds: 0 }));
    expect(put).toEqual({ numStored: 1, numAlreadyPresent: 0, bytesSent: 64, failures: [] });
  });

  it('an unreachable holder fails with UNAVAILABLE', async () => {
    const pool = wsBlockChannels(new WsClientPool({ connectTimeoutSeconds: 1 }));
    await expect(
      pool.with('ws://127.0.0.1:1', (c) => fetchBlocks(c, { blocks: WANT, kvBytesPerToken: 16 })),
    ).rejects.toMatchObject({
      code: 'UNAVAILABLE',
    });
    await pool.close();
  });
});
