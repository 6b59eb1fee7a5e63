// Raw-socket baseline for kv-pool.bench.ts, run as its own process: the same bytes over a bare
// Node TCP socket with the least protocol that still does put and get.
//
//   put: client → [0x01][u32 LE length][payload]        server keeps the payload (by arrival index)
//        server → [0x01] once per put (ack)
//   get: client → [0x02][u32 LE index]                    server → [u32 LE length][payload]
//
// Prints {"port": N} on stdout once listening.
import { createServer, type Socket } from 'node:net';
import { ByteQueue } from './byte-queue.js';

const stored: Buffer[] = [];

function serve(socket: Socket): void {
  socket.setNoDelay(true);
  const queue = new ByteQueue();
  socket.on('data', (chunk: Buffer) => {
    queue.push(chunk);
    let numAcks = 0;
    while (queue.length >= 5) {
      const header = queue.peek(5);
      const op = header[0];
      const arg = header.readUInt32LE(1);
      if (op === 1) {
        if (queue.length < 5 + arg) break;
        queue.take(5);
        stored.push(queue.take(arg)); // socket chunks are fresh buffers: keeping a view is safe
        numAcks++;
      } else {
        queue.take(5);
        const payload = stored[arg] ?? Buffer.alloc(0);
        const length = Buffer.alloc(4);
        length.writeUInt32LE(payload.length, 0);
        socket.write(length);
        socket.write(payload);
      }
    }
    if (numAcks > 0) socket.write(Buffer.alloc(numAcks, 1));
  });
  socket.on('error', () => {});
}

const server = createServer(serve);
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(
    `${JSON.stringify({ port: typeof address === 'object' && address !== null ? address.port : 0 })}\n`,
  );
});
process.on('SIGTERM', () => process.exit(0));
