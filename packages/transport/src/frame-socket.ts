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
// done frame, the acks of the puts that one read delivered. Frames wait at most for the rest of the turn, and only
// while they come in a burst: a frame whose send starts more than MAX_CORK_GAP_MS after the previous send ended (work
// between them: a put's checks, a block's copy and signature) uncorks at once, and the rest of that turn's frames are written as they
// are sent. Held to the turn's end, such frames made the peer wait for all of the turn's work before it could start
// on the first (kv-pool round 10: signed 256 KiB puts slower on 2 cores, the two processes taking turns instead of
// overlapping).
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { toErrorDetail, toWsClose } from './error-convert.js';
import type { FrameBody, FrameKind } from './frame-kinds.js';
import { encodeFrameParts } from './frame-parts.js';
import { OicfError } from './oicf-error.js';
import { writeDirect } from './ws-direct-frame.js';

/**
 * Longest pause between two frames of one turn (from the end of one send to the start of the next: the caller's work,
 * not the frames' own encoding) that still corks them together, in milliseconds: a burst's frames fall well inside
 * it; a frame that follows a block's checks or copy (≈ 100 µs and more at 256 KiB) does not.
 */
export const MAX_CORK_GAP_MS = 0.05;

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
  /** The pause that ends a turn's corking (default MAX_CORK_GAP_MS; Infinity: cork every turn to its end). */
  maxCorkGapMs?: number;
}

export class FrameSocket {
  private readonly waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  private closedError: OicfError | undefined;
  /** The socket this turn's frames were corked on, until the turn's uncork. */
  private corked: Socket | undefined;
  /** When this turn's latest send ended (performance.now() ms), while corked. */
  private lastSendEndMs = 0;
  /** This turn uncorked early (a pause past MAX_CORK_GAP_MS): its later frames are written as they are sent. */
  private turnFlushing = false;

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
    // Corked before encoding: the pause that decides it is the caller's, not this frame's encoding.
    if (this.isOpen) this.corkTurn();
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
    this.corkTurn();
    const parts = encodeFrameParts(kind, id, body, this.options.maxFrameBytes, this.hotFrames);
    const last = parts.length - 1;
    // A small frame: one buffer straight to the socket (ws-direct-frame.ts), the bytes ws would write.
    if (last === 0 && writeDirect(this.ws, parts[0] as Uint8Array, this.onWritten)) {
      this.sent();
      return this.ws.bufferedAmount <= this.options.highWaterMarkBytes;
    }
    for (let i = 0; i < last; i++) this.ws.send(parts[i] as Uint8Array, { binary: true, fin: false });
    this.ws.send(parts[last] as Uint8Array, { binary: true, fin: true }, this.onWritten);
    this.sent();
    return this.ws.bufferedAmount <= this.options.highWaterMarkBytes;
  }

  /** Sends an `error` frame for request `id` (CONNECTION_SCOPE_ID for the whole connection). */
  sendError(id: string, error: unknown): Promise<void> {
    return this.send('error', id, toErrorDetail(error));
  }

  sendEncoded(data: Uint8Array): Promise<void> {
    if (this.isOpen) this.corkTurn();
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
    for (let i = 0; i < last; i++) this.ws.send(parts[i] as Uint8Array, { binary: true, fin: false });
    this.ws.send(parts[last] as Uint8Array, { binary: true, fin: true }, this.onWritten);
    this.sent();
    if (this.ws.bufferedAmount <= this.options.highWaterMarkBytes) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /**
   * Corks the socket for the rest of this event-loop turn (see the top of this file), once per turn; called when a
   * frame's send starts, before it is encoded. A frame that comes more than maxCorkGapMs after the turn's previous one uncorks now
   * (the held frames go, this one is written directly) and ends corking for the turn.
   */
  private corkTurn(): void {
    if (this.turnFlushing) return;
    if (this.corked !== undefined) {
      if (performance.now() - this.lastSendEndMs > (this.options.maxCorkGapMs ?? MAX_CORK_GAP_MS)) {
        this.turnFlushing = true;
        const socket = this.corked;
        this.corked = undefined;
        socket.uncork();
      }
      return;
    }
    const socket = (this.ws as unknown as { _socket?: Socket })._socket;
    if (socket === undefined || socket.destroyed) return;
    socket.cork();
    this.corked = socket;
    setImmediate(this.uncorkTurn);
  }

  /** After a frame went to ws: the end of the send that the next frame's pause counts from (while corked). */
  private sent(): void {
    if (this.corked !== undefined) this.lastSendEndMs = performance.now();
  }

  private readonly uncorkTurn = (): void => {
    const socket = this.corked;
    this.corked = undefined;
    this.turnFlushing = false;
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
