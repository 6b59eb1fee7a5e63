// Client side of the raw-socket baseline (protocol in raw-tcp-server.ts): a put is one corked write of
// a 5-byte header and the caller's payload (no copy); a get returns the block as one buffer, copied
// out of the socket chunks only when it spans several (as the pool and Redis clients do).
import { connect, type Socket } from 'node:net';
import { ByteQueue } from './byte-queue.js';
import { DrainGate } from './drain-gate.js';

export class RawClient {
  private readonly queue = new ByteQueue();
  private readonly waiting: Array<{ kind: 'ack' | 'block'; resolve: (value: Buffer | undefined) => void }> = [];
  private readonly drain: DrainGate;

  private constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    this.drain = new DrainGate(socket);
    socket.on('data', (chunk: Buffer) => {
      this.queue.push(chunk);
      this.parse();
    });
  }

  static connect(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  async put(payload: Uint8Array): Promise<void> {
    const done = new Promise<Buffer | undefined>((resolve) => this.waiting.push({ kind: 'ack', resolve }));
    const header = Buffer.allocUnsafe(5);
    header[0] = 1;
    header.writeUInt32LE(payload.length, 1);
    this.socket.cork();
    this.socket.write(header);
    const ok = this.socket.write(payload);
    this.socket.uncork();
    if (!ok) await this.drain.wait();
    await done;
  }

  async get(index: number): Promise<Buffer> {
    const done = new Promise<Buffer | undefined>((resolve) => this.waiting.push({ kind: 'block', resolve }));
    const request = Buffer.allocUnsafe(5);
    request[0] = 2;
    request.writeUInt32LE(index, 1);
    this.socket.write(request);
    return (await done) as Buffer;
  }

  close(): void {
    this.socket.destroy();
  }

  private parse(): void {
    for (;;) {
      const next = this.waiting[0];
      if (next === undefined) return;
      if (next.kind === 'ack') {
        if (this.queue.length < 1) return;
        this.queue.take(1);
        this.waiting.shift();
        next.resolve(undefined);
        continue;
      }
      if (this.queue.length < 4) return;
      const len = this.queue.peek(4).readUInt32LE(0);
      if (this.queue.length < 4 + len) return;
      this.queue.take(4);
      this.waiting.shift();
      next.resolve(this.queue.take(len));
    }
  }
}
