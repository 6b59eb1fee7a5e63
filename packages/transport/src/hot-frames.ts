// A fixed binary layout for the request plane's two hot frames, `decode` (router → decode worker) and
// `decode.step` (decode worker → router), in place of the msgpack envelope and its body check. Every other
// kind, and any decode/decode.step body this layout cannot carry (a string over 65,535 UTF-8 bytes, a key the
// layout does not know, a value of the wrong type), goes out as msgpack exactly as before; the receiver tells
// the two apart by the first byte.
//
// All integers little-endian. `str` = u16 byte length + UTF-8; `u32s` = u32 count + count × u32; `u64` = u32
// low + u32 high (a non-negative integer below 2^53); `bool` = u8 0 or 1; `has` = u8 0 or 1 (a nested
// message follows when 1); enums are their u8 number.
//
//   u8  0xc1  HOT_MARKER: msgpack's never-used byte, so no msgpack envelope starts with it
//   u8  type  HOT_DECODE (1) or HOT_STEP (2); any other value is refused
//   str id    the envelope id (1..MAX_ID_LENGTH characters)
//   body:
//   HOT_DECODE (DecodeRequest):
//     str requestId, u32s promptTokenIds, u32 n + n × BlockRef promptBlocks,
//     u32 n + n × { str wsAddress, str leaseId, u32 m + m × BlockRef blocks } kvSources,
//     u32 numHandoffTokens, u32 firstTokenId, u32 maxTokens,
//     has sampling { f64 temperature, f64 topP, u32 topK, u64 seed, u32s stopTokenIds, bool logprobs,
//                    u32 numTopLogprobs },
//     str sessionId, f64 sessionTtlSeconds, f64 kvWaitSeconds, u32 numAwaitPrefixTokens,
//     str awaitPrefixRequestId, u32s resumeTokenIds
//     BlockRef = str blockId, u32 firstToken, u32 numTokens, u8 tier, u64 sizeBytes
//   HOT_STEP (DecodeStep):
//     u32 n + n × { u32 firstTokenIndex, has chunk {
//       str requestId, u32s tokenIds, u32 len + bytes text, u8 finishReason, f64 emittedAfterSeconds,
//       f64 stepSeconds, has usage { u32 numPromptTokens, u32 numCompletionTokens, u32 numCachedPromptTokens },
//       has timings { f64 queueSeconds, f64 kvReceiveSeconds, f64 decodeSeconds },
//       has error { str code, str message, str field },
//       u32 n + n × { u32 tokenId, f64 logprob, u32 m + m × { u32 tokenId, f64 logprob } } logprobs } }
//   and nothing after the body.
//
// Decoding gives the same Frame as the msgpack path (the `__Output` shape: every field present, enums by
// name, absent messages null, `text` a view into the frame). It is strict: a truncated field, a count larger
// than the bytes left, a bool or `has` byte other than 0/1, an enum number the proto does not define and
// trailing bytes are each refused naming the field (INVALID_ARGUMENT, the connection keeps going, as for a
// bad msgpack body); an unknown type byte or a bad id is PROTOCOL_ERROR and fatal, as a bad envelope is.
//
// Negotiated per connection: a peer of an older build refuses a frame starting with 0xc1 (PROTOCOL_ERROR, the
// channel closes), so nothing is sent in this layout unless the peer said it reads it. The WebSocket upgrade
// carries that, before any frame: the client (the router's PlaneChannel) sends the request header
// `x-oicf-hot-frames: 1` ("I read the layout"), and a server of this build (a worker's ws port) answers it in
// the 101 response with the same header ("so do I"). Each end then encodes hot kinds in this layout only
// when the other end's header came (FrameSocket's `hotFrames`); without it (an older peer, which neither
// sends nor answers the header) every frame is msgpack. decodeFrame reads both forms regardless.
//
// This file: the layout's constants, its negotiation and the proto's enum names; the encoder is
// hot-frames-encode.ts, the decoder hot-frames-decode.ts.
import { Buffer } from 'node:buffer';
import { loadProtoRoot } from '@oicf/proto';
import type { FrameKind } from './frame-kinds.js';

export const HOT_MARKER = 0xc1;
export const HOT_DECODE = 1;
export const HOT_STEP = 2;

/** The WebSocket upgrade header (request and response) by which each end says it reads this layout. */
export const HOT_FRAMES_HEADER = 'x-oicf-hot-frames';
/** Its value for this layout; any other value (a future layout) or none means the peer reads msgpack only. */
export const HOT_FRAMES_VERSION = '1';

/** True when upgrade headers (Node's lower-cased IncomingHttpHeaders) say the sender reads this layout. */
export function offersHotFrames(headers: Readonly<Record<string, string | string[] | undefined>>): boolean {
  return headers[HOT_FRAMES_HEADER] === HOT_FRAMES_VERSION;
}

export const U32_MAX = 0xffffffff;
export const U16_MAX = 0xffff;
export const TWO_32 = 2 ** 32;
export const EMPTY_BYTES: Buffer = Buffer.alloc(0);

let enumNames: { finish: string[]; tier: string[] } | undefined;
/** Names of FinishReason and Tier by number, from the .proto (one source of truth). */
export function enums(): { finish: string[]; tier: string[] } {
  if (enumNames === undefined) {
    const root = loadProtoRoot();
    const byId = (name: string) => {
      const e = root.lookupEnum(`oicf.v1.${name}`);
      const out: string[] = [];
      for (const [n, v] of Object.entries(e.values)) out[v] = n;
      return out;
    };
    enumNames = { finish: byId('FinishReason'), tier: byId('Tier') };
  }
  return enumNames;
}

/** True for the kinds this layout carries. */
export function isHotKind(kind: FrameKind): kind is 'decode' | 'decode.step' {
  return kind === 'decode' || kind === 'decode.step';
}
