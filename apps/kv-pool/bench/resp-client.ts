// A minimal pipelined RESP2 client over `net` for the Redis side of kv-pool.bench.ts: binary-safe
// commands, many in flight, replies parsed as they stream in.
import { connect, type Socket } from 'node:net';
import { ByteQueue } from './byte-queue.js';

export type Reply =
  | { kind: 'status'; text: string }
  | { kind: 'bulk'; value: Buffer | null }
  | { kind: 'error'; text: string };

export class RespClient {
  private readonly queue = new ByteQueue();
  private readonly waiting: Array<(reply: Reply) => void> = [];

  private constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.queue.push(chunk);
      this.parse();
    });
  }

  static connect(port: number): Promise<RespClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(new RespClient(socket)));
      socket.once('error', reject);
    });
  }

  /** Sends one command; resolves with its reply. Waits for drain when the socket is backed up. */
  async command(args: readonly (string | Uint8Array)[]): Promise<Reply> {
    const reply = new Promise<Reply>((resolve) => this.waiting.push(resolve));
    this.socket.cork();
    let ok = this.socket.write(`*${args.length}\r\n`);
    for (const a of args) {
      const len = typeof a === 'string' ? Buffer.byteLength(a) : a.length;
      ok = this.socket.write(`$${len}\r\n`) && ok;
      ok = this.socket.write(a) && ok;
      ok = this.socket.write('\r\n') && ok;
    }
    this.socket.uncork();
    if (!ok) await new Promise((r) => this.socket.once('drain', r));
    return reply;
  }

  close(): void {
    this.socket.destroy();
  }

  private parse(): void {
    while (this.queue.length > 0) {
      const eol = this.queue.indexOfCrlf();
      if (eol < 0) return;
      const head = this.queue.peek(eol).toString('latin1');
      const type = head[0];
      let reply: Reply;
      if (type === '$') {
        const len = Number(head.slice(1));
        if (len < 0) {
          this.queue.take(eol + 2);
          reply = { kind: 'bulk', value: null };
        } else {
          if (this.queue.length < eol + 2 + len + 2) return;
          this.queue.take(eol + 2);
          reply = { kind: 'bulk', value: this.queue.take(len) };
          this.queue.take(2);
        }
      } else {
        this.queue.take(eol + 2);
        reply = type === '-' ? { kind: 'error', text: head.slice(1) } : { kind: 'status', text: head.slice(1) };
      }
      this.waiting.shift()?.(reply);
    }
  }
}
