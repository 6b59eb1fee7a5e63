// One reply of the fast door, written straight to the connection's socket with the bytes node:http's
// ServerResponse would write (status line, the handler's headers in order, then Date, Connection /
// Keep-Alive and Transfer-Encoding as Node adds them; chunked framing when no Content-Length is given).
// A reply with its length known goes out as one socket write, head and body together.
import { type OutgoingHttpHeaders, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { ReplyEvent, ReplySink } from '../reply-sink.js';
import { httpDate } from './http-date.js';

/** What a reply tells its connection. */
export interface ReplyOwner {
  readonly socket: Socket;
  /** Seconds of Node's `Keep-Alive: timeout=N` header (0: none). */
  readonly keepAliveSeconds: number;
  /** The reply has called end(); `last`: the connection closes after it. */
  replyEnded(reply: SocketReply, last: boolean): void;
}

export class SocketReply implements ReplySink {
  headersSent = false;
  destroyed = false;
  writableEnded = false;
  writableFinished = false;
  private head = '';
  private chunked = false;
  private last: boolean;
  private closeListeners: Array<() => void> = [];
  private closed = false;

  constructor(
    private readonly owner: ReplyOwner,
    keepAlive: boolean,
  ) {
    this.last = !keepAlive;
  }

  writeHead(status: number, headers?: OutgoingHttpHeaders | string[]): this {
    if (this.headersSent) throw new Error('writeHead called twice on one reply');
    let text = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'unknown'}\r\n`;
    let hasLength = false;
    let connection: string | undefined;
    const add = (name: string, value: unknown) => {
      const lower = name.toLowerCase();
      if (lower === 'content-length') hasLength = true;
      else if (lower === 'transfer-encoding') throw new Error('a reply sets no transfer-encoding of its own');
      else if (lower === 'connection') connection = String(value);
      text += `${name}: ${String(value)}\r\n`;
    };
    if (Array.isArray(headers))
      for (let i = 0; i + 1 < headers.length; i += 2) add(headers[i] as string, headers[i + 1]);
    else if (headers !== undefined)
      for (const name in headers) {
        const value = headers[name];
        if (value === undefined) continue;
        if (Array.isArray(value)) for (const v of value) add(name, v);
        else add(name, value);
      }
    text += `Date: ${httpDate()}\r\n`;
    // As node:http: a handler's own Connection header decides (close or not); else the client's wish.
    if (connection !== undefined) this.last = /(?:^|\W)close(?:$|\W)/i.test(connection);
    else if (this.last) text += 'Connection: close\r\n';
    else {
      text += 'Connection: keep-alive\r\n';
      if (this.owner.keepAliveSeconds > 0) text += `Keep-Alive: timeout=${this.owner.keepAliveSeconds}\r\n`;
    }
    this.chunked = !hasLength;
    if (this.chunked) text += 'Transfer-Encoding: chunked\r\n';
    this.head = `${text}\r\n`;
    this.headersSent = true;
    return this;
  }

  flushHeaders(): void {
    if (this.head === '' || this.destroyed) return;
    this.owner.socket.write(this.head);
    this.head = '';
  }

  write(chunk: string): boolean {
    if (this.writableEnded) throw new Error('write after end');
    if (!this.headersSent) this.writeHead(200);
    if (this.destroyed) return true;
    if (chunk.length === 0) return this.owner.socket.writableNeedDrain === false;
    const data = this.chunked ? `${Buffer.byteLength(chunk).toString(16)}\r\n${chunk}\r\n` : chunk;
    const out = this.head === '' ? data : this.head + data;
    this.head = '';
    return this.owner.socket.write(out);
  }

  end(chunk?: string): this {
    if (this.writableEnded) return this;
    if (!this.headersSent) this.writeHead(200);
    this.writableEnded = true;
    let out = this.head;
    this.head = '';
    if (chunk !== undefined && chunk.length > 0)
      out += this.chunked ? `${Buffer.byteLength(chunk).toString(16)}\r\n${chunk}\r\n` : chunk;
    if (this.chunked) out += '0\r\n\r\n';
    if (!this.destroyed) this.owner.socket.write(out, this.finished);
    this.owner.replyEnded(this, this.last);
    return this;
  }

  cork(): void {
    this.owner.socket.cork();
  }

  uncork(): void {
    this.owner.socket.uncork();
  }

  on(event: ReplyEvent, listener: () => void): this {
    if (event === 'close') this.closeListeners.push(listener);
    else this.owner.socket.on('drain', listener);
    return this;
  }

  once(event: ReplyEvent, listener: () => void): this {
    if (event === 'drain') {
      this.owner.socket.once('drain', listener);
      return this;
    }
    const wrapped = () => {
      this.off('close', wrapped);
      listener();
    };
    (wrapped as { listener?: () => void }).listener = listener;
    return this.on('close', wrapped);
  }

  off(event: ReplyEvent, listener: () => void): this {
    if (event === 'drain') {
      this.owner.socket.off('drain', listener);
      return this;
    }
    const i = this.closeListeners.findIndex(
      (l) => l === listener || (l as { listener?: unknown }).listener === listener,
    );
    if (i >= 0) this.closeListeners.splice(i, 1);
    return this;
  }

  /** The connection broke before this reply finished: 'close' with writableFinished still false. */
  socketClosed(): void {
    if (this.writableFinished) return;
    this.destroyed = true;
    this.emitClose();
  }

  private readonly finished = (err?: Error | null) => {
    if (err) {
      // The connection broke before the last bytes went out. The connection forgot this reply at end(),
      // so its close does not reach it: report it here (a ServerResponse emits 'close' either way).
      this.destroyed = true;
      this.emitClose();
      return;
    }
    this.writableFinished = true;
    this.emitClose();
  };

  private emitClose(): void {
    if (this.closed) return;
    this.closed = true;
    for (const l of this.closeListeners.slice()) l();
  }
}
