// A minimal pipelined RESP2 client over `net` for the Redis side of kv-pool.bench.ts: binary-safe
// commands, many in flight, replies parsed as they stream in. A command is one corked write of its
// protocol header(s) and the caller's value buffers (no copy); a bulk reply is returned as one buffer,
// copied out of the socket chunks only when it spans several.
import { connect, type Socket } from 'node:net';
import { ByteQueue } from './byte-queue.js';
import { DrainGate } from './drain-gate.js';

export type Reply =
  | { kind: 'status'; text: string }
  | { kind: 'bulk'; value: Buffer | null }
  | { kind: 'error'; text: string };

export class RespClient {
  private readonly queue = new ByteQueue();
  private readonly waiting: Array<(reply: Reply) => void> = [];
  private readonly drain: DrainGate;

  private constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    this.drain = new DrainGate(socket);
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
    // Strings go inline in the header text; each binary argument is written as its own buffer.
    let text = `*${args.length}\r\n`;
    this.socket.cork();
    let ok = true;
    for (const a of args) {
      if (typeof a === 'string') {
        text += `$${Buffer.byteLength(a)}\r\n${a}\r\n`;
      } else {
        ok = this.socket.write(`${text}$${a.length}\r\n`) && ok;
        ok = this.socket.write(a) && ok;
        text = '\r\n';
      }
    }
    ok = this.socket.write(text) && ok;
    this.socket.uncork();
    if (!ok) await this.drain.wait();
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
