// Frames with a large bytes field, sent and received without copying that field.
//
// A frame whose body holds a top-level bytes field of at least SPLIT_MIN_BYTES (a KV block payload) is
// sent as ONE WebSocket message in TWO fragments, with that field moved to the end of the body:
//
//   fragment 1, fin=0: msgpack { v: 1, kind, id, body: { …other fields…, payload: c6 <u32 BE n> } }
//                      (the envelope up to and including the bin header of the payload: ~100 bytes)
//   fragment 2, fin=1: the n payload bytes, the caller's own buffer (no copy)
//
// Joined, the two fragments are byte for byte an ordinary msgpack envelope (map order carries no
// meaning), so every peer that reassembles WebSocket messages decodes it as before; only the sender
// skips copying the payload into a packed buffer. A receiver that asks `ws` for the fragments
// (`binaryType = 'fragments'`) also skips the join: `decodeFrameParts` decodes fragment 1 with a
// zero-length placeholder in place of the payload and puts fragment 2 there, after checking that
// this gives exactly what decoding the joined bytes would give; anything else (other fragmentations,
// other encoders) is joined and decoded normally.
import { Buffer } from 'node:buffer';
import type { MessageType } from './body-check.js';
import {
  checkFrameSize,
  checkOutgoing,
  DEFAULT_MAX_FRAME_BYTES,
  type DecodeResult,
  decodeEnvelope,
  decodeFrame,
  encodeHotFrame,
  packEnvelope,
  tooLarge,
  unpackEnvelope,
} from './frame-codec.js';
import type { FrameBody, FrameKind } from './frame-kinds.js';

/** Smallest bytes field sent as its own fragment; below this one packed copy costs less than a second frame. */
export const SPLIT_MIN_BYTES = 16 * 1024;

const EMPTY: Uint8Array = new Uint8Array(0);
/** msgpack bin8 of length 0: how the placeholder for the split field ends the packed envelope. */
const BIN8 = 0xc4;
const BIN16 = 0xc5;
const BIN32 = 0xc6;

const bytesFields = new Map<MessageType, string[]>();
/** Names of the top-level, non-repeated bytes fields of `type`. */
function bytesFieldsOf(type: MessageType): string[] {
  let names = bytesFields.get(type);
  if (names === undefined) {
    names = type.fieldsArray.filter((f) => f.type === 'bytes' && !f.repeated).map((f) => f.name);
    bytesFields.set(type, names);
  }
  return names;
}

/**
 * Encodes a frame as the fragments of one WebSocket message: `[envelope]`, or `[head, payload]` when the
 * body has a bytes field of at least SPLIT_MIN_BYTES (see the layout above; `payload` is the caller's
 * buffer, so it must not change until sent), or with `hotFrames` `[binary frame]` for a `decode`/`decode.step`
 * body (as encodeFrame). Throws exactly what encodeFrame throws.
 */
export function encodeFrameParts<K extends FrameKind>(
  kind: K,
  id: string,
  body: FrameBody<K>,
  maxFrameBytes = DEFAULT_MAX_FRAME_BYTES,
  hotFrames = false,
): Uint8Array[] {
  const hot = hotFrames ? encodeHotFrame(kind, id, body, maxFrameBytes) : undefined;
  if (hot !== undefined) return [hot];
  const type = checkOutgoing(kind, id, body);
  const record = body as Record<string, unknown>;
  let split: string | undefined;
  let payload: Uint8Array = EMPTY;
  for (const name of bytesFieldsOf(type)) {
    const value = record[name];
    if (value instanceof Uint8Array && value.byteLength >= SPLIT_MIN_BYTES && value.byteLength > payload.byteLength) {
      split = name;
      payload = value;
    }
  }
  if (split === undefined) {
    const data = packEnvelope(kind, id, body);
    checkFrameSize(kind, data.byteLength, maxFrameBytes);
    return [data];
  }
  const rest: Record<string, unknown> = {};
  for (const key of Object.keys(record)) if (key !== split) rest[key] = record[key];
  rest[split] = EMPTY; // last key of body, and body is the envelope's last key
  const packed = packEnvelope(kind, id, rest);
  const stem = packed.byteLength - 2;
  if (packed[stem] !== BIN8 || packed[stem + 1] !== 0) {
    throw new Error('msgpack envelope does not end with the empty placeholder (broken invariant)');
  }
  const n = payload.byteLength;
  const headerBytes = n <= 0xffff ? 3 : 5;
  checkFrameSize(kind, stem + headerBytes + n, maxFrameBytes);
  const head = Buffer.allocUnsafe(stem + headerBytes);
  head.set(packed.subarray(0, stem), 0);
  if (headerBytes === 3) {
    head[stem] = BIN16;
    head.writeUInt16BE(n, stem + 1);
  } else {
    head[stem] = BIN32;
    head.writeUInt32BE(n, stem + 1);
  }
  return [head, payload];
}

/**
 * Decodes one WebSocket message given as its fragments (ws `binaryType = 'fragments'`): the same result
 * as decodeFrame of the fragments joined, without copying a split payload (see the layout above).
 */
export function decodeFrameParts(parts: readonly Uint8Array[], maxFrameBytes = DEFAULT_MAX_FRAME_BYTES): DecodeResult {
  if (parts.length === 1) return decodeFrame(parts[0] as Uint8Array, maxFrameBytes);
  let numBytes = 0;
  for (const p of parts) numBytes += p.byteLength;
  if (numBytes > maxFrameBytes) return tooLarge(numBytes, maxFrameBytes);
  if (parts.length === 2) {
    const envelope = joinWithoutCopy(parts[0] as Uint8Array, parts[1] as Uint8Array);
    if (envelope !== undefined) return decodeEnvelope(envelope);
  }
  return decodeFrame(Buffer.concat(parts, numBytes), maxFrameBytes);
}

/**
 * The envelope `head ‖ tail` decodes to, when head ends with the msgpack bin header of a body field
 * whose bytes are exactly `tail`; undefined when that cannot be shown (the caller then joins).
 *
 * Why it is exact: `stub` = head with that bin header replaced by an empty bin (c4 00). If decoding
 * `stub` consumes all of it and yields, as a field of `body`, a zero-length view starting at the very
 * end of `stub`, then those last two bytes were parsed as a value. The joined message has the same
 * bytes before that point, so the same parser state there; its bin header of length |tail| then reads
 * exactly `tail` and the message ends where `stub` did. So decode(head ‖ tail) is decode(stub) with
 * that field set to `tail`.
 */
function joinWithoutCopy(head: Uint8Array, tail: Uint8Array): unknown {
  const h = head.byteLength;
  const n = tail.byteLength;
  let headerBytes: number;
  if (h >= 5 && head[h - 5] === BIN32 && (head[h - 4] as number) * 2 ** 24 + readU24(head, h - 3) === n) {
    headerBytes = 5;
  } else if (h >= 3 && head[h - 3] === BIN16 && ((head[h - 2] as number) << 8) + (head[h - 1] as number) === n) {
    headerBytes = 3;
  } else if (h >= 2 && head[h - 2] === BIN8 && head[h - 1] === n) {
    headerBytes = 2;
  } else {
    return undefined;
  }
  const stub = Buffer.allocUnsafe(h - headerBytes + 2);
  stub.set(head.subarray(0, h - headerBytes), 0);
  stub[stub.byteLength - 2] = BIN8;
  stub[stub.byteLength - 1] = 0;
  let envelope: unknown;
  try {
    envelope = unpackEnvelope(stub);
  } catch {
    return undefined;
  }
  const body = (envelope as { body?: unknown } | null)?.body;
  if (typeof body !== 'object' || body === null) return undefined;
  const end = stub.byteOffset + stub.byteLength;
  const record = body as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const v = record[key];
    if (v instanceof Uint8Array && v.byteLength === 0 && v.buffer === stub.buffer && v.byteOffset === end) {
      record[key] = tail instanceof Buffer ? tail : Buffer.from(tail.buffer, tail.byteOffset, tail.byteLength);
      return envelope;
    }
  }
  return undefined;
}

function readU24(bytes: Uint8Array, at: number): number {
  return ((bytes[at] as number) << 16) | ((bytes[at + 1] as number) << 8) | (bytes[at + 2] as number);
}
