import { blockChecksum, blockIdFor, ROOT_BLOCK_ID } from '@oicf/kv';
import { connectKvPool, type KvPoolConnection, spareSlotBytes } from '@oicf/pool-client';
import { type RunningService, realClock } from '@oicf/transport';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type KvPoolConfig, loadKvPoolConfig } from '../config.js';
import type { KvPool } from '../pool/kv-pool.js';
import { startKvPool } from '../server.js';

// Overlapping shared-memory puts take one round trip each: the ack of a put carries a slot for the writer's
// next one (KvPutAck.next_slot), and the writer gives back the spares left when its puts stop.
const KiB = 1024;
let service: RunningService;
let pool: KvPool;
let client: KvPoolConnection;

beforeAll(async () => {
  const config: KvPoolConfig = loadKvPoolConfig({
    env: {},
    argv: ['--tiers.dram.capacityBytes=4194304', '--shm.stagingBytes=4194304', '--policy.name=lru'],
  });
  ({ service, pool } = await startKvPool(config, { clock: realClock, handleSignals: false, log: () => {} }));
  client = await connectKvPool(service.endpoints as { ws: string; grpc: string });
});
afterAll(async () => {
  await client.close();
  await service.shutdown('test done');
});

const id = (n: number) => blockIdFor(ROOT_BLOCK_ID, [n, 777]);
const bytes = (n: number) => Uint8Array.from({ length: 16 * KiB }, (_, i) => (i * 13 + n) & 0xff);

describe('spare arena slots', () => {
  it('16 puts, 8 in flight: only the first 8 ask for a slot, every block is stored, and no slot stays reserved', async () => {
    expect(client.link.mode).toBe('shm');
    const request = vi.spyOn(client.ws, 'request');
    const blocks = Array.from({ length: 16 }, (_, n) => ({ blockId: id(n), payload: bytes(n) }));
    await client.putMany(blocks, 8);
    const kinds = request.mock.calls.map((c) => c[0]);
    request.mockRestore();
    // 8 workers each start with kv.put.alloc; each of their acks brings the slot its next put uses.
    expect(kinds.filter((k) => k === 'kv.put.alloc')).toHaveLength(8);
    expect(kinds.filter((k) => k === 'kv.put')).toHaveLength(16);
    const got = await client.get(blocks.map((b) => b.blockId));
    expect([got.blocks.size, got.failed, got.missingBlockIds]).toEqual([16, [], []]);
    expect(blocks.every((b) => Buffer.from(got.blocks.get(b.blockId) ?? []).equals(Buffer.from(b.payload)))).toBe(true);
    // The writer went idle and gave its spares back (kv.put.unslot): nothing stays reserved.
    expect(spareSlotBytes(client.ws)).toBe(0);
    await until(() => pool.arena()?.pendingSlotBytes === 0);
  });

  it("a spare its writer never gives back returns when the writer's connection closes", async () => {
    const writer = await connectKvPool(service.endpoints as { ws: string; grpc: string });
    const payload = bytes(200);
    const slot = await writer.ws.request(
      'kv.put.alloc',
      { blockId: id(200), numBytes: payload.byteLength },
      'kv.put.slot',
    );
    const extent = slot.body.extent as { segmentId: number; offset: number; length: number };
    pool.arena()?.segment.write(payload, extent.offset); // the writer's pwrite, done through the pool's own fd
    const ack = await writer.ws.request(
      'kv.put',
      { blockId: id(200), checksum: blockChecksum(payload), shm: extent, nextSlotBytes: payload.byteLength },
      'kv.put.ack',
    );
    expect(ack.body.nextSlot?.extent?.length).toBe(payload.byteLength);
    expect(ack.body.nextSlot?.ttlSeconds).toBe(4);
    expect(pool.arena()?.pendingSlotBytes).toBe(payload.byteLength);
    await writer.close(); // no kv.put.unslot: as a writer killed between two puts
    await until(() => pool.arena()?.pendingSlotBytes === 0);
    expect((await client.get([id(200)])).blocks.size).toBe(1);
  });

  it('a lone put asks for no spare', async () => {
    const request = vi.spyOn(client.ws, 'request');
    await client.put({ blockId: id(100), payload: bytes(100) });
    await client.put({ blockId: id(101), payload: bytes(101) });
    const kinds = request.mock.calls.map((c) => c[0]);
    request.mockRestore();
    expect(kinds).toEqual(['kv.put.alloc', 'kv.put', 'kv.put.alloc', 'kv.put']);
    expect(pool.arena()?.pendingSlotBytes).toBe(0);
  });
});

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(cond()).toBe(true);
}
