// A same-host kv-pool client that stops mid-transfer and waits to be killed (shm-crash.test.ts):
//   put <ws> <grpc> <blockId> <numBytes>   takes an arena slot, writes half the block into it, never commits
//   get <ws> <grpc> <blockId>…             asks for blocks as extents, reads them, never releases the lease
// It prints "ready" once it holds what the test wants it to hold.
import { connectKvPool } from '../../packages/pool-client/src/index.js';

const [mode, ws, grpc, ...rest] = process.argv.slice(2);
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
