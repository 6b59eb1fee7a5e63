// A same-host kv-pool client that stops mid-transfer and waits to be killed (shm-crash.test.ts):
//   put <ws> <grpc> <blockId> <numBytes>   takes an arena slot, writes half the block into it, never commits
//   get <ws> <grpc> <blockId>…             asks for blocks as extents, reads them, never releases the lease
//   handoff <decode ws> <requestId> <numBlocks>  a prefill worker: stages half the blocks of a handoff in its
//                                          shared-memory segment, sends their kv.handoff frames, stops
// It prints "ready" once it holds what the test wants it to hold.
import { blockChecksum } from '@oicf/kv';
import { connectKvPool, ShmLinks, ShmStaging } from '@oicf/pool-client';
import { connectWs } from '@oicf/transport';

const [mode, ws, grpc, ...rest] = process.argv.slice(2);
if (mode === 'handoff') {
  const [requestId, numBlocks] = [grpc as string, Number(rest[0])];
  const client = await connectWs(ws as string);
  const staging = new ShmStaging({ dir: process.env.OICF_TEST_SHM_DIR as string, dataBytes: 64 << 20 });
  const link = await new ShmLinks({ enabled: true, offer: () => staging.owned() }).of(client);
  if (link.mode !== 'shm') throw new Error(`no shm link: ${link.reason}`);
  const call = client.call({ id: requestId });
  const bytesPerBlock = 64 * 4096; // tiny-gqa: 64 tokens × 4096 B
  for (let i = 0; i < numBlocks / 2; i++) {
    const payload = new Uint8Array(bytesPerBlock).fill(i + 1);
    const extent = staging.put(payload);
    if (extent === undefined) throw new Error('staging full');
    const segmentId = staging.owned()?.segmentId ?? 0;
    await call.send('kv.handoff', {
      requestId,
      firstToken: i * 64,
      numTokens: 64,
      checksum: blockChecksum(payload),
      last: false,
      shm: { segmentId, offset: extent.offset, length: bytesPerBlock },
    });
  }
  process.stdout.write('ready\n');
  setInterval(() => {}, 1 << 30);
  await new Promise(() => {});
}
const pool = await connectKvPool({ ws: ws as string, grpc: grpc as string });
if (pool.link.mode !== 'shm') throw new Error(`no shm link: ${pool.link.reason}`);
const arena = pool.link.peerSegments.values().next().value;
if (mode === 'put') {
  const [blockId, numBytes] = rest;
  const slot = await pool.ws.request('kv.put.alloc', { blockId, numBytes: Number(numBytes) }, 'kv.put.slot');
  const extent = slot.kind === 'kv.put.slot' ? slot.body.extent : null;
  if (extent === null) throw new Error('no slot');
  arena?.write(new Uint8Array(Number(numBytes) / 2).fill(0xab), extent.offset);
} else {
  const kinds: string[] = [];
  for await (const frame of pool.ws.stream('kv.get', { blockIds: rest, leaseId: '', wantShm: true })) {
    if (frame.kind === 'kv.block' && frame.body.shm !== null) {
      arena?.read(new Uint8Array(frame.body.shm.length), frame.body.shm.offset);
    }
    kinds.push(frame.kind);
  }
  if (kinds.filter((k) => k === 'kv.block').length !== rest.length) throw new Error(`got ${kinds.join(',')}`);
}
process.stdout.write('ready\n');
setInterval(() => {}, 1 << 30);
