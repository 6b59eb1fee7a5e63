// The client's end-to-end check: a fake data plane serves blocks, one of them damaged after its
// checksum was recorded (as a pool memory tier would serve a payload damaged in place).
import { blockChecksum, chainBlockIds } from '@oicf/kv';
import { contractBytes } from '@oicf/kv/testing';
import { startWsServer, type WsServer } from '@oicf/transport';
import { afterEach, describe, expect, it } from 'vitest';
import { connectKvPool, type KvPoolConnection } from './connect-kv-pool.js';

const ids = chainBlockIds(Array.from({ length: 4 * 64 }, (_, i) => i % 200));
const [good, damaged, missing, stranger] = ids as [string, string, string, string];
const PAYLOAD_BYTES = 40 * 1024; // above the transport's split size: the payload travels as its own fragment

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function fakePool(): Promise<{ server: WsServer; client: KvPoolConnection }> {
  const server = await startWsServer({
    onFrame: async (frame, conn) => {
      if (frame.kind !== 'kv.get') return;
      const send = (blockId: string, payload: Uint8Array, checksum: number) =>
        conn.send('kv.block', frame.id, { blockId, payload, checksum, numTokens: 64, tier: 'TIER_DRAM' });
      await send(good, contractBytes(1, PAYLOAD_BYTES), blockChecksum(contractBytes(1, PAYLOAD_BYTES)));
      const bad = contractBytes(2, PAYLOAD_BYTES);
      const recorded = blockChecksum(bad);
      bad[123] = (bad[123] as number) ^ 0x10;
      await send(damaged, bad, recorded);
      await send(stranger, contractBytes(3, 10), blockChecksum(contractBytes(3, 10)));
      await conn.send('kv.get.done', frame.id, { numBlocksSent: 3, missingBlockIds: [missing] });
    },
  });
  cleanups.push(() => server.close());
  // The gRPC channel connects lazily and this test makes no control call.
  const client = await connectKvPool({ ws: server.url, grpc: '127.0.0.1:1' });
  cleanups.push(() => client.close());
  return { server, client };
}

describe('connectKvPool get', () => {
  it('hands out only verified blocks: a damaged payload and an unrequested id are failures', async () => {
    const { client } = await fakePool();
    const got = await client.get([good, damaged, missing]);
    expect([...got.blocks.keys()]).toEqual([good]);
    expect(Buffer.from(got.blocks.get(good) as Uint8Array).equals(Buffer.from(contractBytes(1, PAYLOAD_BYTES)))).toBe(
      true,
    );
    expect(got.failed).toEqual([
      { blockId: damaged, error: 'checksum mismatch on receipt' },
      { blockId: stranger, error: 'unrequested block id' },
    ]);
    expect(got.missingBlockIds).toEqual([missing]);
    expect(got.tiers.get(good)).toBe('dram'); // the wire's TIER_DRAM as its @oicf/core tier id
  });
});
