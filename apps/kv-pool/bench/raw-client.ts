// Client side of the raw-socket baseline (protocol in raw-tcp-server.ts).
import { connect, type Socket } from 'node:net';
import { ByteQueue } from './byte-queue.js';

export class RawClient {
  private readonly queue = new ByteQueue();
  private readonly waiting: Array<{ kind: 'ack' | 'block'; resolve: (value: Buffer | undefined) => void }> = [];

  private constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
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
    const header = Buffer.alloc(5);
    header[0] = 1;
    header.writeUInt32LE(payload.length, 1);
    this.socket.cork();
    this.socket.write(header);
    const ok = this.socket.write(payload);
    this.socket.uncork();
    if (!ok) await new Promise((r) => this.socket.once('drain', r));
    await done;
  }

  async get(index: number): Promise<Buffer> {
    const done = new Promise<Buffer | undefined>((resolve) => this.waiting.push({ kind: 'block', resolve }));
    const request = Buffer.alloc(5);
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
      } else {
        if (this.queue.length < 4) return;
        const len = this.queue.peek(4).readUInt32LE(0);
        if (this.queue.length < 4 + len) return;
        this.queue.take(4);
        next.resolve(this.queue.take(len));
        this.waiting.shift();
        continue;
      }
      this.waiting.shift();
      next.resolve(undefined);
    }
  }
}
