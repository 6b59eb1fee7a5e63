// A WebSocket wrapped for frames: encode + send with backpressure, and close with a mapped error.
// Shared by the server's connections and the client.
//
// Backpressure: `send` queues the frame and resolves at once while the socket's buffered bytes
// (ws `bufferedAmount`: bytes queued in ws plus the socket's user-space write buffer) stay at or below
// the high-water mark; above it, `send` resolves only once earlier writes have flushed it back down. A
// writer that awaits every `send` therefore holds at most about highWaterMarkBytes + one frame in memory,
// however slow the reader.
//
// Large payloads: `send` encodes with encodeFrameParts, so a frame carrying a KV block goes out as one
// message in two fragments, the small envelope head and then the caller's payload buffer itself (no
// copy; see frame-parts.ts). The payload must therefore not be modified until the send has flushed.
//
// Writes per event-loop turn: the first frame sent in a turn corks the socket under the WebSocket, and a
// setImmediate (the check phase of the same loop iteration, after the poll callbacks that produced the frames)
// uncorks it, so every frame of that turn reaches the kernel in one writev: a get's block descriptors and its
// done frame, the acks of the puts that one read delivered. Frames wait at most for the rest of the turn.
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { toErrorDetail, toWsClose } from './error-convert.js';
import type { FrameBody, FrameKind } from './frame-kinds.js';
import { encodeFrameParts } from './frame-parts.js';
import { OicfError } from './oicf-error.js';
import { writeDirect } from './ws-direct-frame.js';

/** Default high-water mark of buffered outgoing bytes before `send` waits: 8 MiB. */
export const DEFAULT_HIGH_WATER_MARK_BYTES = 8 * 1024 * 1024;

/**
 * Envelope id of frames about the connection as a whole rather than one request: connection errors, and on
 * the request plane credits and step frames (which carry many requests' ids in their body).
 */
export const CONNECTION_SCOPE_ID = '*';

export interface FrameSocketOptions {
  maxFrameBytes: number;
  highWaterMarkBytes: number;
  /**
   * Send `decode` and `decode.step` in the binary layout (hot-frames.ts): only when the peer said at the
   * WebSocket upgrade that it reads it. Default false: msgpack, which every build reads.
   */
  hotFrames?: boolean;
}

export class FrameSocket {
  private readonly waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  private closedError: OicfError | undefined;
  /** The socket this turn's frames were corked on, until the turn's uncork. */
  private corked: Socket | undefined;

  /** Whether `decode`/`decode.step` go out in the binary layout (negotiated, see FrameSocketOptions). */
  readonly hotFrames: boolean;

  constructor(
    readonly ws: WebSocket,
    private readonly options: FrameSocketOptions,
  ) {
    this.hotFrames = options.hotFrames === true;
  }

  /** Bytes queued for sending and not yet handed to the kernel. */
  get bufferedBytes(): number {
    return this.ws.bufferedAmount;
  }

  get isOpen(): boolean {
    return this.ws.readyState === this.ws.OPEN && this.closedError === undefined;
  }

  /** Encodes and sends one frame; resolves when the caller may send the next one (see backpressure above). */
  send<K extends FrameKind>(kind: K, id: string, body: FrameBody<K>): Promise<void> {
    return this.sendParts(encodeFrameParts(kind, id, body, this.options.maxFrameBytes, this.hotFrames));
  }

  /**
   * Encodes and sends one frame without waiting and without a promise: for small frames whose volume the
   * sender bounds itself (request-plane requests, credits, step frames). Throws UNAVAILABLE when the socket
   * is closed, and what encodeFrame throws for a bad body. Returns false while the buffered bytes exceed the
   * high-water mark (a caller that can hold back should).
   */
  post<K extends FrameKind>(kind: K, id: string, body: FrameBody<K>): boolean {
    if (!this.isOpen) {
      throw this.closedError ?? new OicfError('UNAVAILABLE', 'WebSocket is not open: reconnect and retry');
    }
    const parts = encodeFrameParts(kind, id, body, this.options.maxFrameBytes, this.hotFrames);
    const last = parts.length - 1;
    this.corkTurn();
    // A small frame: one buffer straight to the socket (ws-direct-frame.ts), the bytes ws would write.
    if (last === 0 && writeDirect(this.ws, parts[0] as Uint8Array, this.onWritten))
      return this.ws.bufferedAmount <= this.options.highWaterMarkBytes;
    for (let i = 0; i < last; i++) this.ws.send(parts[i] as Uint8Array, { binary: true, fin: false });
    this.ws.send(parts[last] as Uint8Array, { binary: true, fin: true }, this.onWritten);
    return this.ws.bufferedAmount <= this.options.highWaterMarkBytes;
  }

  /** Sends an `error` frame for request `id` (CONNECTION_SCOPE_ID for the whole connection). */
  sendError(id: string, error: unknown): Promise<void> {
    return this.send('error', id, toErrorDetail(error));
  }

  sendEncoded(data: Uint8Array): Promise<void> {
    return this.sendParts([data]);
  }

  /**
   * Sends the fragments of one message back to back (nothing can come between them: ws queues both
   * synchronously); the callback of the last one tells when the whole message has been written.
   */
  private sendParts(parts: readonly Uint8Array[]): Promise<void> {
    if (!this.isOpen) {
      return Promise.reject(
        this.closedError ?? new OicfError('UNAVAILABLE', 'WebSocket is not open: reconnect and retry'),
      );
    }
    const last = parts.length - 1;
    this.corkTurn();
    for (let i = 0; i < last; i++) this.ws.send(parts[i] as Uint8Array, { binary: true, fin: false });
    this.ws.send(parts[last] as Uint8Array, { binary: true, fin: true }, this.onWritten);
    if (this.ws.bufferedAmount <= this.options.highWaterMarkBytes) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** Corks the socket for the rest of this event-loop turn (see the top of this file), once per turn. */
  private corkTurn(): void {
    if (this.corked !== undefined) return;
    const socket = (this.ws as unknown as { _socket?: Socket })._socket;
    if (socket === undefined || socket.destroyed) return;
    socket.cork();
    this.corked = socket;
    setImmediate(this.uncorkTurn);
  }

  private readonly uncorkTurn = (): void => {
    const socket = this.corked;
    this.corked = undefined;
    socket?.uncork();
  };

  private readonly onWritten = (err?: Error | null): void => {
    if (err !== undefined && err !== null)
      this.fail(new OicfError('UNAVAILABLE', `WebSocket send failed: ${err.message}`));
    else this.wake();
  };

  /** Closes with the close code mapped from `error` (1000 when none). Idempotent. */
  close(error?: unknown): void {
    if (this.ws.readyState === this.ws.CLOSED || this.ws.readyState === this.ws.CLOSING) return;
    if (error === undefined) this.ws.close(1000, 'done');
    else {
      const { code, reason } = toWsClose(error);
      this.ws.close(code, reason);
    }
  }

  /** Rejects every pending `send` (the socket closed); later sends reject with the same error. */
  fail(error: OicfError): void {
    this.closedError ??= error;
    for (const w of this.waiters.splice(0)) w.reject(this.closedError);
  }

  private wake(): void {
    if (this.waiters.length === 0 || this.ws.bufferedAmount > this.options.highWaterMarkBytes) return;
    for (const w of this.waiters.splice(0)) w.resolve();
  }
}
