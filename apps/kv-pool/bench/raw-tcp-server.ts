// Raw-socket baseline for kv-pool.bench.ts, run as its own process: the same bytes over a bare
// Node TCP socket with the least protocol that still does put and get, done competently: the server
// keeps each payload as views of the socket chunks it arrived in (no copy) and answers a get with one
// corked write of those views; acks for all puts completed by one socket read go out as one write.
//
//   put: client → [0x01][u32 LE length][payload]        server keeps the payload (by arrival index)
//        server → [0x01] once per put (ack)
//   get: client → [0x02][u32 LE index]                    server → [u32 LE length][payload]
//
// Prints {"port": N} on stdout once listening.
import { createServer, type Socket } from 'node:net';
import { ByteQueue } from './byte-queue.js';

/** Stored payloads by arrival index, each as the chunk views it arrived in. */
const stored: Buffer[][] = [];

function serve(socket: Socket): void {
  socket.setNoDelay(true);
  const queue = new ByteQueue();
  socket.on('data', (chunk: Buffer) => {
    queue.push(chunk);
    let numAcks = 0;
    socket.cork();
    while (queue.length >= 5) {
      const header = queue.peek(5);
      const op = header[0];
      const arg = header.readUInt32LE(1);
      if (op === 1) {
        if (queue.length < 5 + arg) break;
        queue.take(5);
        stored.push(queue.takeChunks(arg)); // socket chunks are fresh buffers: keeping views is safe
        numAcks++;
      } else {
        queue.take(5);
        const parts = stored[arg] ?? [];
        const length = Buffer.allocUnsafe(4);
        length.writeUInt32LE(
          parts.reduce((sum, p) => sum + p.length, 0),
          0,
        );
        socket.write(length);
        for (const p of parts) socket.write(p);
      }
    }
    if (numAcks > 0) socket.write(Buffer.alloc(numAcks, 1));
    socket.uncork();
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
