// The registry of WebSocket frame kinds: each kind names the oicf.v1 message its body must be. This is the
// only list of kinds; the frame codec refuses any other (UNKNOWN_KIND). Body types are derived from the
// registry and the generated proto types, so a kind cannot be typed as one message and checked as another.
import type { MessageTypeDefinition } from '@grpc/proto-loader';
import type { OicfV1Grpc } from '@oicf/proto';
import type { OicfError } from './oicf-error.js';

/** Names of the messages in package oicf.v1 (not services or enums). */
export type MessageName = {
  [N in keyof OicfV1Grpc]: OicfV1Grpc[N] extends MessageTypeDefinition<object, object> ? N : never;
}[keyof OicfV1Grpc];

export interface FrameKindSpec {
  /** The message type of the body, in package oicf.v1. */
  message: MessageName;
  /**
   * True when a frame of this kind ends its request: the WS client resolves (or, for `error`, rejects)
   * the request with the same id and forgets it. Non-terminal kinds are items of a stream.
   */
  terminal: boolean;
}

export const FRAME_KINDS = {
  /** A request failed (request-scoped); the connection stays open unless the server closes it. */
  error: { message: 'ErrorDetail', terminal: true },
  'kv.put': { message: 'KvPutRequest', terminal: false },
  'kv.put.ack': { message: 'KvPutAck', terminal: true },
  'kv.get': { message: 'KvGetRequest', terminal: false },
  'kv.block': { message: 'KvBlock', terminal: false },
  /** One block of a get stream failed; the stream goes on. */
  'kv.error': { message: 'KvError', terminal: false },
  'kv.get.done': { message: 'KvGetDone', terminal: true },
  'kv.handoff': { message: 'KvHandoff', terminal: false },
  'kv.handoff.ack': { message: 'KvHandoffAck', terminal: true },
  /** Same-host shared memory (shm.proto): the handshake, arena slots for puts, the end of a get's reads. */
  'kv.hello': { message: 'KvHello', terminal: false },
  'kv.hello.ack': { message: 'KvHelloAck', terminal: true },
  'kv.put.alloc': { message: 'KvPutAlloc', terminal: false },
  'kv.put.slot': { message: 'KvPutSlot', terminal: true },
  'kv.put.unslot': { message: 'KvPutUnslot', terminal: false },
  'kv.get.release': { message: 'KvGetRelease', terminal: false },
  /** Router front door: one generation request (client → router). */
  generate: { message: 'GenerateRequest', terminal: false },
  /** A generation's chunks (router → client): tokens of one decode step, routing info on the first. */
  'generate.chunk': { message: 'GenerateChunk', terminal: false },
  /** A generation's last chunk (finish_reason, usage, e2e time; `error` on failure): ends the request. */
  'generate.done': { message: 'GenerateChunk', terminal: true },
  // The request plane (request_plane.proto): router ↔ worker over one multiplexed connection per worker.
  /** Router → decode worker: start decoding request `id`; its output comes in `decode.step` frames. */
  decode: { message: 'DecodeRequest', terminal: false },
  /** Router → prefill worker: start prefilling request `id`; answered by `prefill.done` or `error`. */
  prefill: { message: 'PrefillRequest', terminal: false },
  /** Prefill worker → router: the prefill of request `id` is done (first token, timings). */
  'prefill.done': { message: 'PrefillResponse', terminal: true },
  /** Router → worker: stop request `id` (its stream ends with a cancelled finish, or nothing if unknown). */
  cancel: { message: 'CancelRequest', terminal: false },
  /** Router → worker, id "*": the worker may send this many more `decode.step` frames. */
  'plane.credit': { message: 'PlaneCredit', terminal: false },
  /** Decode worker → router, id "*": every sequence's output of one engine step on this connection. */
  'decode.step': { message: 'DecodeStep', terminal: false },
} as const satisfies Record<string, FrameKindSpec>;

export type FrameKind = keyof typeof FRAME_KINDS;

type Definition<K extends FrameKind> = OicfV1Grpc[(typeof FRAME_KINDS)[K]['message']];

/** What a sender may pass as the body of kind K (the generated "permissive" type). */
export type FrameBody<K extends FrameKind> = Definition<K> extends MessageTypeDefinition<infer I, object> ? I : never;

/** What a receiver gets as the body of kind K: every field present, enums as names, bytes as Buffers. */
export type FrameBodyOutput<K extends FrameKind> =
  Definition<K> extends MessageTypeDefinition<object, infer O> ? O : never;

/** A decoded frame; `kind` discriminates the body type. */
export type Frame<K extends FrameKind = FrameKind> = K extends FrameKind
  ? { v: typeof FRAME_VERSION; kind: K; id: string; body: FrameBodyOutput<K> }
  : never;

/** Envelope version this code speaks. Bump it only with a migration plan: peers refuse other versions. */
export const FRAME_VERSION = 1;

export function isFrameKind(value: unknown): value is FrameKind {
  return typeof value === 'string' && Object.hasOwn(FRAME_KINDS, value);
}

export function isTerminalKind(kind: FrameKind): boolean {
  return FRAME_KINDS[kind].terminal;
}

/** Longest request id accepted, in characters. */
export const MAX_ID_LENGTH = 128;

/**
 * Outcome of decoding a received frame. On failure, `id` is the request id when the envelope was readable
 * (so the error can be answered to that request), and `fatal` says whether the peer broke the protocol
 * (oversize, not an envelope, wrong version, unknown kind: close the connection) or only sent a bad body
 * (answer with an error frame and keep the connection).
 */
export type DecodeResult =
  | { ok: true; frame: Frame }
  | { ok: false; error: OicfError; id: string | undefined; fatal: boolean };
