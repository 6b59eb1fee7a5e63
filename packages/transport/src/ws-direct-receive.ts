// The receive side of ws-direct-frame.ts: small binary messages read straight off the socket's chunk on a
// client WebSocket, without ws's Receiver (a Writable stream: a write, its state machine, a callback and a
// tick per chunk, two events per message). Used by the request-plane channel (the router's end), whose
// worker sends one small step frame per engine step.
//
// A chunk is taken here only while ws's Receiver is idle (between frames, nothing buffered, no fragmented
// message, no close frame seen, synchronous events, Buffer messages), and only as far as it holds whole
// frames of the one shape ws would turn into a 'message' at once with no check left to fail:
//
//   0x82 (FIN, no RSV bits, binary) | len 1–125, or 126 + u16 BE len | payload (unmasked: from a server)
//
// at most the Receiver's maxPayload. Each such frame is emitted as ws emits it (`'message'`, a Buffer view
// of the payload, isBinary true). The first byte of anything else (a ping, a close, a text or empty frame, a
// frame cut by the chunk's end) and everything after it go to the Receiver as usual, so ws still answers
// pings, closes, and refuses what it refuses.
import type { WebSocket } from 'ws';

/** The parts of ws internals this reads (ws 8). */
interface ReceiverInternals {
  _state: number;
  _bufferedBytes: number;
  _fragmented: number;
  _errored: boolean;
  _opcode: number;
  _binaryType: string;
  _allowSynchronousEvents: boolean;
  _isServer: boolean;
  _maxPayload: number;
  readonly writableLength: number;
  readonly writableEnded: boolean;
  write(chunk: unknown, ...rest: unknown[]): boolean;
}

const GET_INFO = 0;
const CLOSE_OPCODE = 0x08;

/** Whether `r` is between frames with nothing held, as the fast path needs (see above). */
function idle(r: ReceiverInternals): boolean {
  return (
    r._state === GET_INFO &&
    r._bufferedBytes === 0 &&
    r._fragmented === 0 &&
    !r._errored &&
    r._opcode !== CLOSE_OPCODE &&
    r.writableLength === 0 &&
    !r.writableEnded &&
    r._binaryType === 'nodebuffer'
  );
}

/**
 * Emits the whole small binary frames at the start of `chunk` as ws would; returns the offset of the first
 * byte left for the Receiver (chunk.length: all taken).
 */
export function emitDirect(ws: WebSocket, r: ReceiverInternals, chunk: Buffer): number {
  let at = 0;
  const end = chunk.length;
  while (at + 2 <= end && idle(r)) {
    if (chunk[at] !== 0x82) break;
    const b1 = chunk[at + 1] as number;
    if (b1 & 0x80) break; // masked: ws refuses it from a server
    let len = b1;
    let head = 2;
    if (len === 126) {
      if (at + 4 > end) break;
      len = chunk.readUInt16BE(at + 2);
      head = 4;
    } else if (len === 127 || len === 0) break;
    if (r._maxPayload > 0 && len > r._maxPayload) break;
    const start = at + head;
    if (start + len > end) break;
    at = start + len;
    ws.emit('message', chunk.subarray(start, at), true);
  }
  return at;
}

/**
 * Puts the fast path in front of `ws`'s Receiver. False (nothing changed) for a server-side socket or one
 * whose internals are not ws 8's as expected: it then reads as before.
 */
export function receiveDirect(ws: WebSocket): boolean {
  const r = (ws as unknown as { _receiver?: ReceiverInternals })._receiver;
  if (
    r === undefined ||
    r._isServer !== false ||
    r._binaryType !== 'nodebuffer' ||
    r._allowSynchronousEvents !== true ||
    typeof r._state !== 'number' ||
    typeof r._bufferedBytes !== 'number' ||
    typeof r.write !== 'function'
  )
    return false;
  const write = r.write;
  r.write = (chunk: unknown, ...rest: unknown[]): boolean => {
    if (rest.length === 0 && Buffer.isBuffer(chunk)) {
      const taken = emitDirect(ws, r, chunk);
      if (taken === chunk.length) return true;
      if (taken > 0) return write.call(r, chunk.subarray(taken));
    }
    return write.call(r, chunk, ...rest);
  };
  return true;
}
