// The router's end of a request-plane connection at the WebSocket level (RFC 6455), without the `ws`
// library's per-message machinery: the opening handshake is node:http's client upgrade, and after it frames
// are read and written straight on the TCP socket. On the wire nothing changes — the worker's ws server
// (ws-server.ts, the `ws` library) sees an ordinary client: the same handshake headers (the cluster member
// token), masked binary messages (with the all-zero key, see zeroMask in ws-client.ts), pings, close frames.
//
// Why: a request costs the router one message out and one back. Through `ws` each received message passed
// a Writable stream (write → _write → the receiver loop → events) and each sent one a Sender dispatch, a
// header and payload written as two buffers (a writev); here a received frame is a length check and a
// subarray of the read chunk, and a sent frame one buffer, header and payload together.
//
// What a peer can send is bounded and checked as strictly as `ws` checks it: a message over maxFrameBytes
// (the sum of its fragments) closes the connection with 1009 before its bytes are held; reserved bits, a
// masked frame, an unknown opcode, a text message, a fragmented or oversized control frame, a continuation
// with no message open, or a close frame with a bad code close it with 1002 (1003 for text), and the reason
// names the problem. The bytes held at once are at most one message plus one frame header.
import type { Socket } from 'node:net';
import { upgrade } from './plane-handshake.js';

export { HandshakeError } from './plane-handshake.js';

const OP_CONTINUATION = 0x0;
const OP_TEXT = 0x1;
const OP_BINARY = 0x2;
const OP_CLOSE = 0x8;
const OP_PING = 0x9;
const OP_PONG = 0xa;
/** Longest control-frame payload (RFC 6455 §5.5). */
const MAX_CONTROL_BYTES = 125;
/** Frames up to this size are sent as one buffer (header copied in front); larger ones as two writes. */
const COPY_MAX_BYTES = 64 * 1024;

export interface PlaneSocketHandlers {
  /** One whole binary message (a view into the received bytes, which are never reused). */
  onMessage(data: Buffer): void;
  /** The peer broke the protocol (`why` names how); the connection is closing with a matching code. */
  onBadFrame(why: string): void;
  /** A pong (or any frame) arrived: the peer is alive. */
  onPong(): void;
  /** The connection ended: the peer's close code and reason, 1006 when it ended without a close frame. */
  onClose(code: number, reason: string): void;
}

export interface PlaneSocketOptions {
  readonly headers: Record<string, string>;
  readonly maxFrameBytes: number;
  readonly connectTimeoutSeconds: number;
}

export class PlaneSocket {
  private handlers: PlaneSocketHandlers | undefined;
  private chunks: Buffer[] = [];
  private numBuffered = 0;
  /** Fragments of the binary message being received (empty when none is open). */
  private fragments: Buffer[] = [];
  private numFragmentBytes = 0;
  private inMessage = false;
  private closeSent = false;
  private closeCode = 1006;
  private closeReason = '';
  private ended = false;
  private notified = false;

  private constructor(
    private readonly socket: Socket,
    private readonly maxFrameBytes: number,
  ) {}

  /** Opens a connection to `url` (ws://host:port/path); rejects with HandshakeError (plane-handshake.ts). */
  static async connect(url: string, options: PlaneSocketOptions): Promise<PlaneSocket> {
    const { socket, head } = await upgrade(url, options.headers, options.connectTimeoutSeconds);
    const s = new PlaneSocket(socket, options.maxFrameBytes);
    if (head.byteLength > 0) s.chunks.push(head);
    s.numBuffered = head.byteLength;
    return s;
  }

  /** Starts delivering frames to `handlers` (call once, right after connect). */
  start(handlers: PlaneSocketHandlers): void {
    this.handlers = handlers;
    this.socket.on('data', (chunk: Buffer) => this.received(chunk));
    this.socket.on('error', () => {}); // the 'close' that follows carries the outcome
    this.socket.on('close', () => this.finish());
    if (this.numBuffered > 0) this.parse();
  }

  get isOpen(): boolean {
    return !this.ended && !this.closeSent;
  }

  cork(): void {
    this.socket.cork();
  }

  uncork(): void {
    this.socket.uncork();
  }

  /** Sends one binary message made of `parts` (in order) as one frame. */
  send(parts: readonly Uint8Array[]): void {
    let n = 0;
    for (const p of parts) n += p.byteLength;
    const headerBytes = frameHeaderBytes(n);
    if (n <= COPY_MAX_BYTES) {
      const frame = Buffer.allocUnsafe(headerBytes + n);
      let at = writeHeader(frame, OP_BINARY, n);
      for (const p of parts) {
        frame.set(p, at);
        at += p.byteLength;
      }
      this.socket.write(frame);
      return;
    }
    const header = Buffer.allocUnsafe(headerBytes);
    writeHeader(header, OP_BINARY, n);
    this.socket.write(header);
    for (const p of parts) this.socket.write(p);
  }

  ping(): void {
    if (this.isOpen) this.control(OP_PING, Buffer.alloc(0));
  }

  /** Sends a close frame (once); the connection ends when the peer answers, or after 2 s. */
  close(code: number, reason: string): void {
    if (this.ended || this.closeSent) return;
    this.closeSent = true;
    this.closeCode = code;
    this.closeReason = reason;
    // A control frame holds at most 125 bytes: the code and up to 123 bytes of reason (write cuts it there).
    const payload = Buffer.allocUnsafe(2 + Math.min(Buffer.byteLength(reason), MAX_CONTROL_BYTES - 2));
    payload.writeUInt16BE(code, 0);
    payload.write(reason, 2);
    this.control(OP_CLOSE, payload);
    this.destroySoon();
  }

  /** Ends the TCP connection after what is queued, and drops it if the peer has not closed within 2 s. */
  private destroySoon(): void {
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 2000).unref();
  }

  /** Tells the handlers the connection ended, once (at a close frame or a bad one, else at the TCP close). */
  private finish(): void {
    this.ended = true;
    if (this.notified) return;
    this.notified = true;
    this.handlers?.onClose(this.closeCode, this.closeReason);
  }

  /** Closes with `code` because of what the peer sent, and ends at once (no wait for the peer's answer). */
  refuse(code: number, reason: string): void {
    this.close(code, reason);
    this.finish();
  }

  /** Drops the connection at once (no close frame). */
  terminate(): void {
    this.socket.destroy();
  }

  private control(opcode: number, payload: Buffer): void {
    const frame = Buffer.allocUnsafe(frameHeaderBytes(payload.byteLength) + payload.byteLength);
    frame.set(payload, writeHeader(frame, opcode, payload.byteLength));
    this.socket.write(frame);
  }

  private received(chunk: Buffer): void {
    if (this.ended) return;
    this.chunks.push(chunk);
    this.numBuffered += chunk.byteLength;
    this.parse();
  }

  /** Takes every whole frame off the buffered bytes. */
  private parse(): void {
    while (this.numBuffered >= 2 && !this.ended && this.takeFrame()) {}
  }

  /** Takes one frame off the buffered bytes: false when its bytes are not all here, or it was refused. */
  private takeFrame(): boolean {
    if (this.chunks.length > 1 && (this.chunks[0] as Buffer).byteLength < 14) this.join();
    const buf = this.chunks[0] as Buffer;
    const b0 = buf[0] as number;
    const b1 = buf[1] as number;
    const opcode = b0 & 0x0f;
    const fin = (b0 & 0x80) !== 0;
    if ((b0 & 0x70) !== 0) return this.fail(1002, 'reserved bits set (no extension was negotiated)');
    if ((b1 & 0x80) !== 0) return this.fail(1002, 'a masked frame from the server');
    let length = b1 & 0x7f;
    let at = 2;
    if (length === 126) {
      if (buf.byteLength < 4) return false; // the header is not complete yet
      length = buf.readUInt16BE(2);
      at = 4;
    } else if (length === 127) {
      if (buf.byteLength < 10) return false;
      const high = buf.readUInt32BE(2);
      if (high > 0x1fffff) return this.fail(1009, 'a frame longer than 2^53 bytes');
      length = high * 2 ** 32 + buf.readUInt32BE(6);
      at = 10;
    }
    if (opcode >= 0x8) {
      if (!fin) return this.fail(1002, 'a fragmented control frame');
      if (length > MAX_CONTROL_BYTES) return this.fail(1002, `a control frame of ${length} bytes (most 125)`);
    } else if (opcode === OP_BINARY || opcode === OP_CONTINUATION) {
      if ((opcode === OP_BINARY) === this.inMessage) {
        return this.fail(
          1002,
          opcode === OP_BINARY ? 'a new message inside a fragmented one' : 'a continuation frame with no message open',
        );
      }
      if (this.numFragmentBytes + length > this.maxFrameBytes) {
        return this.fail(1009, `a message over the ${this.maxFrameBytes}-byte limit`);
      }
    } else if (opcode === OP_TEXT) {
      return this.fail(1003, 'a text message (the request plane carries binary frames)');
    } else {
      return this.fail(1002, `unknown opcode ${opcode}`);
    }
    if (this.numBuffered < at + length) return false; // wait for the rest (bounded by the checks above)
    if (buf.byteLength < at + length) this.join();
    const whole = this.chunks[0] as Buffer;
    const payload = whole.subarray(at, at + length);
    this.consume(at + length);
    this.frame(opcode, fin, payload);
    return true;
  }

  private frame(opcode: number, fin: boolean, payload: Buffer): void {
    const handlers = this.handlers as PlaneSocketHandlers;
    handlers.onPong(); // any frame shows the peer alive
    switch (opcode) {
      case OP_BINARY:
      case OP_CONTINUATION: {
        if (fin && !this.inMessage) {
          handlers.onMessage(payload);
          return;
        }
        this.inMessage = !fin;
        this.fragments.push(payload);
        this.numFragmentBytes += payload.byteLength;
        if (!fin) return;
        const message = Buffer.concat(this.fragments, this.numFragmentBytes);
        this.fragments = [];
        this.numFragmentBytes = 0;
        handlers.onMessage(message);
        return;
      }
      case OP_PING:
        if (this.isOpen) this.control(OP_PONG, Buffer.from(payload));
        return;
      case OP_PONG:
        return;
      default: // OP_CLOSE
        this.peerClosed(payload);
    }
  }

  private peerClosed(payload: Buffer): void {
    let code = 1005;
    let reason = '';
    if (payload.byteLength === 1) {
      this.fail(1002, 'a close frame of 1 byte');
      return;
    }
    if (payload.byteLength >= 2) {
      code = payload.readUInt16BE(0);
      if (!validCloseCode(code)) {
        this.fail(1002, `close code ${code} is not valid`);
        return;
      }
      reason = payload.toString('utf8', 2);
    }
    if (!this.closeSent) {
      this.closeCode = code;
      this.closeReason = reason;
      this.closeSent = true;
      const echo = Buffer.allocUnsafe(2);
      echo.writeUInt16BE(code === 1005 ? 1000 : code, 0);
      this.control(OP_CLOSE, echo);
    }
    this.destroySoon();
    this.finish();
  }

  /** The peer broke the protocol: close with `code` naming why; its later bytes are dropped. */
  private fail(code: number, why: string): false {
    this.handlers?.onBadFrame(why);
    this.chunks = [];
    this.numBuffered = 0;
    this.fragments = [];
    this.close(code, `the worker sent ${why}`);
    this.finish();
    return false;
  }

  private join(): void {
    this.chunks = [Buffer.concat(this.chunks, this.numBuffered)];
  }

  private consume(numBytes: number): void {
    const first = this.chunks[0] as Buffer;
    this.numBuffered -= numBytes;
    if (first.byteLength === numBytes) this.chunks.shift();
    else this.chunks[0] = first.subarray(numBytes);
  }
}

function frameHeaderBytes(length: number): number {
  return (length < 126 ? 2 : length < 65536 ? 4 : 10) + 4; // + the masking key
}

/** Writes a client frame header (FIN, `opcode`, masked with the all-zero key) at 0; returns its length. */
function writeHeader(into: Buffer, opcode: number, length: number): number {
  into[0] = 0x80 | opcode;
  let at: number;
  if (length < 126) {
    into[1] = 0x80 | length;
    at = 2;
  } else if (length < 65536) {
    into[1] = 0x80 | 126;
    into.writeUInt16BE(length, 2);
    at = 4;
  } else {
    into[1] = 0x80 | 127;
    into.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    into.writeUInt32BE(length >>> 0, 6);
    at = 10;
  }
  into.writeUInt32BE(0, at); // the masking key: zeros, so the payload goes unchanged (zeroMask)
  return at + 4;
}

/** RFC 6455 §7.4: codes a close frame may carry. */
function validCloseCode(code: number): boolean {
  return (
    (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999)
  );
}
