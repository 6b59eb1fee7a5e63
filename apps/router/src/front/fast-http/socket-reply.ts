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
  private hasLength = false;
  private connection: string | undefined;

  constructor(
    private readonly owner: ReplyOwner,
    keepAlive: boolean,
  ) {
    this.last = !keepAlive;
  }

  writeHead(status: number, headers?: OutgoingHttpHeaders | string[]): this {
    if (this.headersSent) throw new Error('writeHead called twice on one reply');
    let text = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'unknown'}\r\n`;
    // What the handler's headers say (`add` below): a Content-Length, a Connection of its own.
    this.hasLength = false;
    this.connection = undefined;
    // A flat [name, value, …] list (the whole-reply path) is read without a callback per header.
    if (Array.isArray(headers))
      for (let i = 0; i + 1 < headers.length; i += 2) text += this.add(headers[i] as string, headers[i + 1]);
    else if (headers !== undefined)
      for (const name in headers) {
        const value = headers[name];
        if (value === undefined) continue;
        if (Array.isArray(value)) for (const v of value) text += this.add(name, v);
        else text += this.add(name, value);
      }
    text += `Date: ${httpDate()}\r\n`;
    // As node:http: a handler's own Connection header decides (close or not); else the client's wish.
    const connection = this.connection as string | undefined;
    if (connection !== undefined) this.last = /(?:^|\W)close(?:$|\W)/i.test(connection);
    else if (this.last) text += 'Connection: close\r\n';
    else text += keepAliveLines(this.owner.keepAliveSeconds);
    this.chunked = !this.hasLength;
    if (this.chunked) text += 'Transfer-Encoding: chunked\r\n';
    this.head = `${text}\r\n`;
    this.headersSent = true;
    return this;
  }

  /** One header's line; notes Content-Length and Connection (writeHead). */
  private add(name: string, value: unknown): string {
    const lower = name.toLowerCase();
    if (lower === 'content-length') this.hasLength = true;
    else if (lower === 'transfer-encoding') throw new Error('a reply sets no transfer-encoding of its own');
    else if (lower === 'connection') this.connection = String(value);
    return `${name}: ${String(value)}\r\n`;
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
    // 'close' fires at most once (emitClose), so every close listener already runs once: no wrapper.
    return this.on('close', listener);
  }

  off(event: ReplyEvent, listener: () => void): this {
    if (event === 'drain') {
      this.owner.socket.off('drain', listener);
      return this;
    }
    const i = this.closeListeners.indexOf(listener);
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
    // 'close' fires once: the list is taken (a listener removed while others run still runs, as before).
    const listeners = this.closeListeners;
    this.closeListeners = [];
    for (const l of listeners) l();
  }
}

/** The Connection and Keep-Alive lines of a kept-alive reply, by keep-alive seconds (node:http's words). */
let keepAliveFor = -1;
let keepAliveText = '';
function keepAliveLines(seconds: number): string {
  if (seconds !== keepAliveFor) {
    keepAliveFor = seconds;
    keepAliveText = `Connection: keep-alive\r\n${seconds > 0 ? `Keep-Alive: timeout=${seconds}\r\n` : ''}`;
  }
  return keepAliveText;
}
