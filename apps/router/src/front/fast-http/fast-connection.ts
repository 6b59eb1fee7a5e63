// One client connection on the fast door: reads request heads and bodies (request-head.ts), answers one
// request at a time in arrival order (pipelined requests wait their turn), keeps the connection alive
// between them, and hands the connection to node:http (with every byte not yet answered) at the first
// request it does not take. Memory per connection is bounded: a head is at most MAX_HEAD_BYTES, a body at
// most the body limit, and while a reply runs the socket stops being read once PIPELINE_BYTES wait.
import type { Socket } from 'node:net';
import { MAX_HEAD_BYTES, parseHead, type RequestHead } from './request-head.js';
import { type ReplyOwner, SocketReply } from './socket-reply.js';

/** Bytes read ahead of the running reply (pipelined requests) before the socket is paused. */
export const PIPELINE_BYTES = 64 * 1024;

/** What the door gives each connection. */
export interface ConnectionDoor {
  readonly paths: ReadonlySet<string>;
  readonly maxBodyBytes: number;
  readonly keepAliveSeconds: number;
  /**
   * Starts the request on `reply`, or returns false to leave it (with the rest of the connection) to
   * node:http: a draining service, a refused API key, a client at its in-flight limit.
   */
  start(head: RequestHead, body: Buffer, reply: SocketReply, remoteAddress: string): boolean;
  /** Gives the socket, with `unread` put back in front, to node:http. */
  handOff(socket: Socket, unread: Buffer | undefined): void;
  closed(conn: FastConnection): void;
}

export class FastConnection implements ReplyOwner {
  /** Bytes read and not yet answered, in order. */
  private chunks: Buffer[] = [];
  private size = 0;
  private head: RequestHead | undefined;
  private reply: SocketReply | undefined;
  private driving = false;
  private gone = false;
  private paused = false;
  private clientEnded = false;
  /** Replies wait in user space (the client does not read): no new request starts until 'drain'. */
  private waitingDrain = false;
  private peer: string | undefined;
  /** Date.now() of the last byte read or reply ended (idle and slow-request timeouts). */
  lastActiveMs = Date.now();
  /** Date.now() when the unanswered bytes began arriving (0: none buffered). */
  partialSinceMs = 0;

  constructor(
    readonly socket: Socket,
    private readonly door: ConnectionDoor,
  ) {
    socket.setNoDelay(true);
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('error', this.onError);
    socket.on('close', this.onClose);
  }

  /** The client's address (read once: the socket's getter asks the kernel's peer name through a call each time). */
  private get remoteAddress(): string {
    this.peer ??= this.socket.remoteAddress ?? '';
    return this.peer;
  }

  get keepAliveSeconds(): number {
    return this.door.keepAliveSeconds;
  }

  /** True while a reply runs. */
  get busy(): boolean {
    return this.reply !== undefined;
  }

  get idle(): boolean {
    return this.reply === undefined && this.size === 0;
  }

  destroy(): void {
    this.socket.destroy();
  }

  private readonly onData = (chunk: Buffer) => {
    // Closing: nothing more is answered, so nothing more is kept.
    if (this.gone) return;
    this.lastActiveMs = Date.now();
    if (this.size === 0) this.partialSinceMs = this.lastActiveMs;
    this.chunks.push(chunk);
    this.size += chunk.length;
    if (this.reply !== undefined) {
      if (this.size > PIPELINE_BYTES && !this.paused) {
        this.paused = true;
        this.socket.pause();
      }
      return;
    }
    this.drive();
  };

  private readonly onEnd = () => {
    this.clientEnded = true;
    this.drive();
  };

  private readonly onError = () => {
    // 'close' follows: the running reply learns of it there.
  };

  private readonly onClose = () => {
    this.gone = true;
    this.chunks = [];
    this.size = 0;
    const reply = this.reply;
    this.reply = undefined;
    reply?.socketClosed();
    this.door.closed(this);
  };

  replyEnded(reply: SocketReply, last: boolean): void {
    if (reply !== this.reply) return;
    this.reply = undefined;
    this.lastActiveMs = Date.now();
    if (last) {
      // As node:http after its last reply: end, and destroy once the reply is out.
      this.gone = true;
      this.socket.destroySoon();
      return;
    }
    if (this.paused) {
      this.paused = false;
      this.socket.resume();
    }
    this.drive();
  }

  /** Takes requests off the buffer while no reply runs; re-entered by a reply that ends at once. */
  private drive(): void {
    if (this.driving) return;
    this.driving = true;
    try {
      while (this.reply === undefined && !this.gone && this.size > 0 && !this.writeBlocked() && this.next()) {}
    } finally {
      this.driving = false;
    }
    // A client that half-closed gets the answers to its complete requests, then the close.
    if (this.clientEnded && this.reply === undefined && !this.gone && !this.waitingDrain) {
      this.gone = true;
      this.socket.end();
    }
  }

  /**
   * As node:http: while earlier replies wait unsent (the socket needs 'drain'), stop reading and start
   * nothing new, or a client that pipelines without reading grows the router's memory by every reply.
   */
  private writeBlocked(): boolean {
    if (!this.socket.writableNeedDrain) return false;
    if (!this.paused) {
      this.paused = true;
      this.socket.pause();
    }
    if (!this.waitingDrain) {
      this.waitingDrain = true;
      this.socket.once('drain', this.onDrain);
    }
    return true;
  }

  private readonly onDrain = () => {
    this.waitingDrain = false;
    if (this.paused && this.reply === undefined) {
      this.paused = false;
      this.socket.resume();
    }
    this.drive();
  };

  /** One step: false when more bytes are needed or the connection left the door. */
  private next(): boolean {
    if (this.head === undefined) {
      const parsed = parseHead(this.flat(), this.door.paths, this.door.maxBodyBytes);
      if (parsed.kind === 'partial') return false;
      if (parsed.kind === 'handoff') return this.leave();
      this.head = parsed;
    }
    const head = this.head;
    const total = head.bodyStart + head.contentLength;
    if (this.size < total) return false;
    const buf = this.flat();
    const reply = new SocketReply(this, head.keepAlive);
    this.reply = reply;
    if (!this.door.start(head, buf.subarray(head.bodyStart, total), reply, this.remoteAddress)) {
      this.reply = undefined;
      return this.leave();
    }
    this.head = undefined;
    if (buf.length > total) {
      this.chunks = [buf.subarray(total)];
      this.size = buf.length - total;
      this.partialSinceMs = Date.now();
    } else {
      this.chunks = [];
      this.size = 0;
      this.partialSinceMs = 0;
    }
    return true;
  }

  /** The unanswered bytes as one buffer (heads are at most MAX_HEAD_BYTES, so joining is bounded). */
  private flat(): Buffer {
    if (this.chunks.length !== 1) {
      const one = Buffer.concat(this.chunks, this.size);
      this.chunks = [one];
    }
    return this.chunks[0] as Buffer;
  }

  /** Hands the connection to node:http: nothing of this door touches the socket afterwards. */
  private leave(): false {
    this.gone = true;
    const unread = this.size > 0 ? this.flat() : undefined;
    this.chunks = [];
    this.size = 0;
    this.socket.off('data', this.onData);
    this.socket.off('end', this.onEnd);
    this.socket.off('error', this.onError);
    this.socket.off('close', this.onClose);
    this.door.closed(this);
    this.door.handOff(this.socket, unread);
    return false;
  }
}

export { MAX_HEAD_BYTES };
