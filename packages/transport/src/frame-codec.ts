// The one WebSocket frame encoder. A frame is one binary WebSocket message holding a msgpack map:
//
//   { v: 1, kind: 'kv.put', id: 'c1-42', body: { blockId: 'ab…', payload: <bin 1 MiB>, … } }
//     v     envelope version (FRAME_VERSION)
//     kind  key of FRAME_KINDS; names the oicf.v1 message the body must be
//     id    request id chosen by the requester; every response frame of that request repeats it
//     body  the message as a plain object: camelCase fields, enums by name or number, 64-bit ints as
//           numbers, bytes as msgpack bin
//
// Except the request plane's two hot kinds, `decode` and `decode.step`, when the caller asks (`hotFrames`: the
// peer said at the WebSocket upgrade that it reads them, see hot-frames.ts): those then go out in a fixed
// binary layout that starts with 0xc1, a byte no msgpack message starts with. decodeFrame reads both forms
// into the same Frame. A hot-kind body the layout cannot carry is sent as msgpack.
//
// Binary payloads travel as raw msgpack bin. Decoding returns Buffers that are views into the received
// frame (no copy), so a payload stays valid as long as the caller keeps it; copy it if the frame's memory
// is reused.
import { loadProtoRoot } from '@oicf/proto';
import { Packr, Unpackr } from 'msgpackr';
import { checkMessage, type MessageType } from './body-check.js';
import { normalizePlan } from './body-normalize.js';
import { planOf } from './body-plan.js';
import {
  type DecodeResult,
  FRAME_KINDS,
  FRAME_VERSION,
  type Frame,
  type FrameBody,
  type FrameKind,
  isFrameKind,
  MAX_ID_LENGTH,
} from './frame-kinds.js';
import { HOT_MARKER, isHotKind } from './hot-frames.js';
import { decodeHot } from './hot-frames-decode.js';
import { encodeHot } from './hot-frames-encode.js';
import { OicfError } from './oicf-error.js';

// Defined beside Frame (frame-kinds.ts) so hot-frames-decode.ts can use them without importing this module.
export { type DecodeResult, MAX_ID_LENGTH };

/** Default largest frame, in bytes: a 16 MiB KV block plus envelope headroom. */
export const DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024 + 64 * 1024;
// Plain msgpack maps (no msgpackr record extension), so any msgpack implementation can read the frames.
const packr = new Packr({ useRecords: false });
const unpackr = new Unpackr({ useRecords: false });

const types = new Map<FrameKind, MessageType>();
/** The oicf.v1 message type of a kind's body (internal). */
export function typeOf(kind: FrameKind): MessageType {
  let t = types.get(kind);
  if (t === undefined) {
    t = loadProtoRoot().lookupType(`oicf.v1.${FRAME_KINDS[kind].message}`);
    types.set(kind, t);
  }
  return t;
}

// Received bodies are normalised to the generated `__Output` shape (body-normalize.ts: what protobufjs'
// toObject(fromObject(body)) with longs: Number, enums: String, defaults and oneofs gives). Bytes fields
// stay the same Buffer objects, so the zero-copy view survives.

/**
 * Encodes a frame: msgpack, or with `hotFrames` a `decode`/`decode.step` frame in the binary layout (only for
 * a peer that said it reads it). Throws OicfError INVALID_ARGUMENT (with the field path) when `body` does not
 * conform to the kind's message, and FRAME_TOO_LARGE when the encoded frame exceeds `maxFrameBytes`.
 */
export function encodeFrame<K extends FrameKind>(
  kind: K,
  id: string,
  body: FrameBody<K>,
  maxFrameBytes = DEFAULT_MAX_FRAME_BYTES,
  hotFrames = false,
): Buffer {
  const hot = hotFrames ? encodeHotFrame(kind, id, body, maxFrameBytes) : undefined;
  if (hot !== undefined) return hot;
  checkOutgoing(kind, id, body);
  const data = packEnvelope(kind, id, body);
  checkFrameSize(kind, data.byteLength, maxFrameBytes);
  return data;
}

/**
 * A `decode` or `decode.step` frame in the fixed binary layout (hot-frames.ts), or undefined for every other
 * kind and for a body that layout cannot carry (the caller then checks and packs msgpack as usual). Throws
 * what encodeFrame throws for a bad id and for a frame over the limit (internal: shared with frame-parts.ts).
 */
export function encodeHotFrame(kind: FrameKind, id: string, body: unknown, maxFrameBytes: number): Buffer | undefined {
  if (!isHotKind(kind)) return undefined;
  checkId(id);
  const data = encodeHot(kind, id, body);
  if (data !== undefined) checkFrameSize(kind, data.byteLength, maxFrameBytes);
  return data;
}

function checkId(id: string): void {
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH) {
    throw new OicfError(
      'INVALID_ARGUMENT',
      `frame id must be a non-empty string of at most ${MAX_ID_LENGTH} characters`,
      { field: 'id' },
    );
  }
}

/** Throws what encodeFrame throws for a bad kind, id or body (internal: shared with frame-parts.ts). */
export function checkOutgoing(kind: FrameKind, id: string, body: unknown): MessageType {
  if (!isFrameKind(kind))
    throw new OicfError('UNKNOWN_KIND', `cannot encode frame kind ${JSON.stringify(kind)}: not in FRAME_KINDS`);
  checkId(id);
  const type = typeOf(kind);
  const problem = checkMessage(type, body, 'body');
  if (problem !== undefined) {
    throw new OicfError('INVALID_ARGUMENT', `cannot send ${kind} frame: ${problem.field}: ${problem.problem}`, {
      field: problem.field,
    });
  }
  return type;
}

/** The msgpack envelope, `body` last (internal: frame-parts.ts relies on that order). */
export function packEnvelope(kind: FrameKind, id: string, body: unknown): Buffer {
  return packr.pack({ v: FRAME_VERSION, kind, id, body });
}

/** Throws FRAME_TOO_LARGE when an encoded frame of `numBytes` exceeds the limit (internal). */
export function checkFrameSize(kind: FrameKind, numBytes: number, maxFrameBytes: number): void {
  if (numBytes > maxFrameBytes) {
    throw new OicfError(
      'FRAME_TOO_LARGE',
      `${kind} frame is ${numBytes} bytes, over the ${maxFrameBytes}-byte limit: split the payload into smaller blocks`,
    );
  }
}

export function decodeFrame(data: Uint8Array, maxFrameBytes = DEFAULT_MAX_FRAME_BYTES): DecodeResult {
  if (data.byteLength > maxFrameBytes) return tooLarge(data.byteLength, maxFrameBytes);
  // The fixed layout of the hot request-plane frames starts with a byte no msgpack message starts with.
  if (data[0] === HOT_MARKER) return decodeHot(data);
  let envelope: unknown;
  try {
    envelope = unpackr.unpack(data);
  } catch (cause) {
    const error = new OicfError('PROTOCOL_ERROR', 'frame is not a msgpack message: send msgpack-encoded envelopes', {
      cause,
    });
    return { ok: false, error, id: undefined, fatal: true };
  }
  return decodeEnvelope(envelope);
}

/** The FRAME_TOO_LARGE outcome of decoding (internal: shared with frame-parts.ts). */
export function tooLarge(numBytes: number, maxFrameBytes: number): DecodeResult {
  const error = new OicfError(
    'FRAME_TOO_LARGE',
    `frame of ${numBytes} bytes exceeds the ${maxFrameBytes}-byte limit: send smaller blocks`,
  );
  return { ok: false, error, id: undefined, fatal: true };
}

/** Unpacks msgpack bytes; throws what msgpackr throws (internal: frame-parts.ts). */
export function unpackEnvelope(data: Uint8Array): unknown {
  return unpackr.unpack(data);
}

/** Checks and normalises an unpacked envelope: everything decodeFrame does after msgpack (internal). */
export function decodeEnvelope(envelope: unknown): DecodeResult {
  if (typeof envelope !== 'object' || envelope === null || Array.isArray(envelope)) {
    const error = new OicfError('PROTOCOL_ERROR', 'frame is not an envelope map {v, kind, id, body}');
    return { ok: false, error, id: undefined, fatal: true };
  }
  const { v, kind, id, body } = envelope as Record<string, unknown>;
  const idOk = typeof id === 'string' && id.length > 0 && id.length <= MAX_ID_LENGTH;
  const knownId = idOk ? (id as string) : undefined;
  if (v !== FRAME_VERSION) {
    const error = new OicfError(
      'PROTOCOL_ERROR',
      `unsupported envelope version ${JSON.stringify(v)}: this peer speaks version ${FRAME_VERSION}`,
      { field: 'v' },
    );
    return { ok: false, error, id: knownId, fatal: true };
  }
  if (!idOk) {
    const error = new OicfError(
      'PROTOCOL_ERROR',
      `envelope id must be a non-empty string of at most ${MAX_ID_LENGTH} characters`,
      {
        field: 'id',
      },
    );
    return { ok: false, error, id: undefined, fatal: true };
  }
  if (!isFrameKind(kind)) {
    const error = new OicfError(
      'UNKNOWN_KIND',
      `unknown frame kind ${JSON.stringify(kind)}: expected one of ${Object.keys(FRAME_KINDS).join(', ')}`,
      { field: 'kind' },
    );
    return { ok: false, error, id: knownId, fatal: true };
  }
  const type = typeOf(kind);
  const problem = checkMessage(type, body, 'body');
  if (problem !== undefined) {
    const error = new OicfError('INVALID_ARGUMENT', `bad ${kind} body: ${problem.field}: ${problem.problem}`, {
      field: problem.field,
    });
    return { ok: false, error, id: knownId, fatal: false };
  }
  const normalized: unknown = normalizePlan(planOf(type), body as Record<string, unknown>);
  return { ok: true, frame: { v: FRAME_VERSION, kind, id: knownId as string, body: normalized } as Frame };
}
