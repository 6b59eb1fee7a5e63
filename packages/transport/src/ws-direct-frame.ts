// One small binary WebSocket message as ONE buffer written straight to the socket under the WebSocket: the
// bytes ws's Sender would write (FIN + binary opcode, the length, and on a client the mask key: ws's own
// mask generator is asked for it, and only an all-zero key, which ws itself leaves unapplied, takes this
// path), without ws's per-send option objects and without splitting head and payload into two writes (a
// writev at the end of a corked turn). Used by FrameSocket.post for the request plane's small frames.
//
// Only when ws would have written the frame synchronously too: an open socket, nothing queued in ws's
// Sender (no compression or blob read in progress; permessage-deflate not negotiated) and no fragmented
// message under way, so the order of messages on the wire is ws's. Anything else returns false and the
// caller sends through ws.
import type { WebSocket } from 'ws';

/** The parts of ws internals this reads (ws 8). */
interface WsInternals {
  readonly _isServer?: boolean;
  readonly _socket?: { write(data: Uint8Array, cb?: (err?: Error | null) => void): boolean };
  readonly _extensions?: Record<string, unknown>;
  readonly _sender?: {
    readonly _state?: number;
    readonly _queue?: readonly unknown[];
    readonly _firstFragment?: boolean;
    readonly _generateMask?: (mask: Buffer) => void;
  };
}

/** Frames longer than this go through ws (the 64-bit length form is not written here). */
export const DIRECT_MAX_PAYLOAD_BYTES = 0xffff;

const mask = Buffer.alloc(4);

/**
 * The bytes of one final binary message carrying `data`, as ws frames it for a server (`masked` false) or
 * for a client with an all-zero mask key.
 */
export function binaryFrame(data: Uint8Array, masked: boolean): Buffer {
  const n = data.byteLength;
  if (n > DIRECT_MAX_PAYLOAD_BYTES) throw new RangeError(`binaryFrame: ${n} bytes is above the direct limit`);
  const lengthBytes = n > 125 ? 2 : 0;
  const head = 2 + lengthBytes + (masked ? 4 : 0);
  const out = Buffer.allocUnsafe(head + n);
  out[0] = 0x82; // FIN, binary
  out[1] = (masked ? 0x80 : 0) | (lengthBytes === 0 ? n : 126);
  if (lengthBytes === 2) out.writeUInt16BE(n, 2);
  if (masked) out.writeUInt32BE(0, 2 + lengthBytes);
  out.set(data, head);
  return out;
}

/**
 * Writes `data` as one final binary message straight to `ws`'s socket when ws would have written it at
 * once (see above); returns false, having written nothing, when the caller must send through ws.
 */
export function writeDirect(ws: WebSocket, data: Uint8Array, cb: (err?: Error | null) => void): boolean {
  const w = ws as unknown as WsInternals;
  const sender = w._sender;
  const socket = w._socket;
  if (
    data.byteLength > DIRECT_MAX_PAYLOAD_BYTES ||
    socket === undefined ||
    sender === undefined ||
    sender._state !== 0 ||
    (sender._queue?.length ?? 1) !== 0 ||
    sender._firstFragment !== true ||
    w._extensions === undefined ||
    w._extensions['permessage-deflate'] !== undefined
  )
    return false;
  let masked = false;
  if (w._isServer !== true) {
    // A client masks every frame; only a key that is all zero (ws skips applying it) is written here.
    if (sender._generateMask === undefined) return false;
    sender._generateMask(mask);
    if (mask.readUInt32LE(0) !== 0) return false;
    masked = true;
  }
  socket.write(binaryFrame(data, masked), cb);
  return true;
}
