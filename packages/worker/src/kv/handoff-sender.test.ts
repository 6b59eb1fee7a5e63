import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blockChecksum } from '@oicf/kv';
import { ShmLinks, ShmPeers, ShmStaging, shmMapsByDefault, shmNativeStatus } from '@oicf/pool-client';
import { connectWs, startWsServer, type WsServer } from '@oicf/transport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KvBlockPayload } from './block-codec.js';
import { sendHandoff } from './handoff-sender.js';

// A receiver that does what the decode worker does with a frame (copy the bytes out, verify XXH32, ack
// the last one), recording which path each frame's bytes took.
const DIR = mkdtempSync(join(tmpdir(), 'oicf-handoff-test-'));
const peers = new ShmPeers({ enabled: true });
const seen: { path: 'shm' | 'ws'; ok: boolean }[] = [];
/** Per shm frame: whether the receiver's view of the sender's segment is mapped, and the XXH32 its copy gave. */
const views: { mapped: boolean; copiedSum: number | undefined }[] = [];
let server: WsServer;
beforeAll(async () => {
  server = await startWsServer({
    onFrame: async (frame, conn) => {
      if (frame.kind === 'kv.hello') return conn.send('kv.hello.ack', frame.id, peers.answerHello(frame.body, conn));
      if (frame.kind !== 'kv.handoff') return;
      const b = frame.body;
      let bytes: Uint8Array = b.payload;
      if (b.shm !== null) {
        bytes = new Uint8Array(b.shm.length);
        const segment = peers.of(conn)?.segments.get(b.shm.segmentId);
        segment?.read(bytes, b.shm.offset);
        if (segment !== undefined) {
          views.push({
            mapped: segment.isMapped,
            copiedSum: segment.readHashed(new Uint8Array(b.shm.length), b.shm.offset),
          });
        }
      }
      seen.push({ path: b.shm === null ? 'ws' : 'shm', ok: blockChecksum(bytes) === b.checksum });
      if (b.last) await conn.send('kv.handoff.ack', frame.id, { requestId: b.requestId, numBlocks: seen.length });
    },
  });
});
afterAll(async () => {
  await server.close();
  rmSync(DIR, { recursive: true, force: true });
});

function blocks(n: number, bytes: number): KvBlockPayload[] {
  return Array.from({ length: n }, (_, i) => {
    const payload = Uint8Array.from({ length: bytes }, (_, k) => (i * 13 + k) & 0xff);
    return { blockId: '', firstToken: i * 4, numTokens: 4, payload, checksum: blockChecksum(payload) };
  });
}

describe('sendHandoff over shared memory', () => {
  it('sends extents of its staging segment to a same-host receiver and frees them on the ack', async () => {
    const staging = new ShmStaging({ dir: DIR, dataBytes: 1 << 20 });
    const links = new ShmLinks({ enabled: true, offer: () => staging.owned() });
    const client = await connectWs(server.url);
    seen.length = 0;
    await sendHandoff(client, 'r1', blocks(3, 10_000), { shm: { links, staging } });
    expect(seen).toEqual([0, 1, 2].map(() => ({ path: 'shm', ok: true })));
    expect(staging.usedBytes).toBe(0);
    await client.close();
    staging.close();
  });

  it("maps the staging segment and the receiver's view of it by default when the addon loaded (round 7, rule H)", async () => {
    // The handoff's default since round 7 (apps/decode-worker/bench/results/handoff-r7-pool.md): staging maps whenever
    // the addon loaded, unless OICF_SHM_NATIVE=0; the pool's arena only with OICF_SHM_NATIVE=1.
    const loaded = shmMapsByDefault('staging');
    expect(shmMapsByDefault('arena')).toBe(shmNativeStatus().on);
    const staging = new ShmStaging({ dir: DIR, dataBytes: 1 << 20 });
    const links = new ShmLinks({ enabled: true, offer: () => staging.owned() });
    const client = await connectWs(server.url);
    seen.length = 0;
    views.length = 0;
    const sent = blocks(2, 10_001);
    expect(staging.owned()?.isMapped).toBe(loaded);
    await sendHandoff(client, 'r1m', sent, { shm: { links, staging } });
    expect(seen).toEqual([0, 1].map(() => ({ path: 'shm', ok: true })));
    // Mapped, the receiver copies and hashes in one pass: the XXH32 of the block sent; unmapped it leaves it to the caller.
    expect(views).toEqual(sent.map((b) => ({ mapped: loaded, copiedSum: loaded ? b.checksum : undefined })));
    await client.close();
    staging.close();
  });

  it('puts blocks that do not fit the staging segment inline, and still frees what it staged', async () => {
    // 12 KiB of staging: one 10,000-byte block takes 3 pages (12 KiB); the others go in frames.
    const staging = new ShmStaging({ dir: DIR, dataBytes: 3 * 4096 });
    const links = new ShmLinks({ enabled: true, offer: () => staging.owned() });
    const client = await connectWs(server.url);
    seen.length = 0;
    await sendHandoff(client, 'r2', blocks(3, 10_000), { shm: { links, staging } });
    expect(seen).toEqual([
      { path: 'shm', ok: true },
      { path: 'ws', ok: true },
      { path: 'ws', ok: true },
    ]);
    expect(staging.usedBytes).toBe(0);
    await client.close();
    staging.close();
  });

  it('falls back to frames when shared memory is off', async () => {
    const staging = new ShmStaging({ dir: DIR, dataBytes: 1 << 20 });
    const links = new ShmLinks({ enabled: false, offer: () => staging.owned() });
    const client = await connectWs(server.url);
    seen.length = 0;
    await sendHandoff(client, 'r3', blocks(2, 100), { shm: { links, staging } });
    expect(seen.map((s) => s.path)).toEqual(['ws', 'ws']);
    await client.close();
    staging.close();
  });
});
