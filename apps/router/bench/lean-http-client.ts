// The router latency bench's HTTP client: the bytes node:http's client sends for the bench's request
// (`POST`, content-type, Host, Connection: keep-alive, Content-Length, the body: checked against node:http
// in lean-http-client.test.ts), written once per request on a pool of keep-alive sockets, and a reply read
// by its Content-Length. No ClientRequest, IncomingMessage, parser or promise per request: the client's own
// CPU per request is a fraction of node:http's, so on a 2-core machine it keeps its open-loop schedule
// while the router and the worker use the cores. One request per connection at a time (no pipelining):
// a request finds an idle connection or opens one.
import { connect, type Socket } from 'node:net';

/** Called once per request: milliseconds from the write to the reply's last byte, or an error. */
export type Done = (ms: number, error?: string) => void;

/** The request bytes node:http's client writes for `POST path` with a JSON body on a keep-alive agent. */
export function requestBytes(url: URL, path: string, body: string): Buffer {
  return Buffer.from(
    `POST ${path} HTTP/1.1\r\ncontent-type: application/json\r\nHost: ${url.host}\r\nConnection: keep-alive\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

const HEAD_END = Buffer.from('\r\n\r\n');

/**
 * Parses a reply head (status line and headers, `end` = index of the blank line's CR): the status and the
 * Content-Length, or an error naming what is missing. Chunked replies are refused (the bench's services
 * always send a length).
 */
export function parseReplyHead(head: string): { status: number; length: number; close: boolean } | string {
  const status = Number(head.slice(9, 12));
  if (!head.startsWith('HTTP/1.1 ') || !Number.isInteger(status))
    return `bad status line ${JSON.stringify(head.slice(0, 40))}`;
  const lower = `${head.toLowerCase()}\r\n`;
  const at = lower.indexOf('\r\ncontent-length:');
  if (at < 0) return `reply without Content-Length (status ${status})`;
  const length = Number.parseInt(lower.slice(at + 17, lower.indexOf('\r\n', at + 2)).trim(), 10);
  if (!Number.isInteger(length) || length < 0) return `bad Content-Length in reply (status ${status})`;
  return { status, length, close: lower.includes('\r\nconnection: close\r\n') };
}

class LeanConnection {
  private chunks: Buffer[] = [];
  private size = 0;
  /** Bytes still wanted by the reply in flight once its head is read (-1: head not read yet). */
  private need = -1;
  private close = false;
  private status = 0;
  private t0 = 0;
  private done: Done | undefined;

  constructor(
    readonly socket: Socket,
    private readonly release: (c: LeanConnection) => void,
    private readonly lost: (c: LeanConnection) => void,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (d: Buffer) => this.onData(d));
    socket.on('error', (e) => this.fail(e.message));
    socket.on('close', () => this.fail('connection closed'));
  }

  send(request: Buffer, done: Done): void {
    this.done = done;
    this.need = -1;
    this.t0 = performance.now();
    this.socket.write(request);
  }

  private onData(d: Buffer): void {
    this.chunks.push(d);
    this.size += d.length;
    if (this.done === undefined) {
      this.fail('bytes with no request in flight');
      return;
    }
    if (this.need < 0) {
      const buf = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks, this.size);
      this.chunks = [buf];
      const end = buf.indexOf(HEAD_END);
      if (end < 0) return;
      const head = parseReplyHead(buf.toString('latin1', 0, end));
      if (typeof head === 'string') {
        this.fail(head);
        return;
      }
      this.status = head.status;
      this.close = head.close;
      this.need = end + 4 + head.length;
    }
    if (this.size < this.need) return;
    if (this.size > this.need) {
      this.fail('bytes past the reply');
      return;
    }
    const ms = performance.now() - this.t0;
    const done = this.done;
    this.done = undefined;
    this.chunks = [];
    this.size = 0;
    if (this.close) this.socket.destroy();
    else this.release(this);
    if (this.status === 200) done(ms);
    else done(ms, `HTTP ${this.status}`);
  }

  private fail(why: string): void {
    const done = this.done;
    this.done = undefined;
    this.socket.destroy();
    this.lost(this);
    done?.(Number.NaN, why);
  }
}

export class LeanHttpClient {
  private readonly idle: LeanConnection[] = [];
  private readonly all = new Set<LeanConnection>();
  private readonly request: Buffer;

  constructor(
    private readonly url: URL,
    path: string,
    body: string,
  ) {
    this.request = requestBytes(url, path, body);
  }

  post(done: Done): void {
    const c = this.idle.pop() ?? this.open();
    c.send(this.request, done);
  }

  private open(): LeanConnection {
    const socket = connect({ host: this.url.hostname, port: Number(this.url.port) });
    const c = new LeanConnection(
      socket,
      (x) => this.idle.push(x),
      (x) => {
        this.all.delete(x);
        const i = this.idle.indexOf(x);
        if (i >= 0) this.idle.splice(i, 1);
      },
    );
    this.all.add(c);
    return c;
  }

  close(): void {
    for (const c of [...this.all]) c.socket.destroy();
  }
}
