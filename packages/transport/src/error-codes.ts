// The closed list of error codes and the one table that maps each to a gRPC status, an HTTP status and a
// WebSocket close code. `ERROR_MAPPING` is a `Record<ErrorCode, …>`, so adding a code to ERROR_CODES does not
// compile until the code is mapped here.
import { status as GrpcStatus } from '@grpc/grpc-js';

export const ERROR_CODES = [
  'INVALID_ARGUMENT', // a request field is malformed or out of range (the error names the field)
  'NOT_FOUND', // the named thing (block, lease, request, worker) does not exist
  'ALREADY_EXISTS', // creating something whose id is taken
  'RESOURCE_EXHAUSTED', // a capacity limit (bytes, blocks, batch slots) is reached
  'FAILED_PRECONDITION', // the system is not in a state that allows this (e.g. draining, not registered)
  'UNAVAILABLE', // the peer is down, unreachable or shutting down; retry elsewhere or later
  'DEADLINE_EXCEEDED', // the deadline passed before the work finished
  'CANCELLED', // the caller cancelled
  'CHECKSUM_MISMATCH', // bytes do not match their checksum or block id: never use them
  'FRAME_TOO_LARGE', // a WebSocket frame exceeds the receiver's size limit
  'UNKNOWN_KIND', // a WebSocket frame kind not in the registry
  'PROTOCOL_ERROR', // a WebSocket frame that is not a msgpack envelope, or has an unsupported version
  'SLO_UNATTAINABLE', // admission control: the request cannot meet its latency target now
  'UNIMPLEMENTED', // the method or feature is not implemented by this peer
  'UNAUTHENTICATED', // no valid credentials: a cluster member token on internal planes, an API key on the public API
  'INTERNAL', // a broken invariant or an unexpected failure: a bug
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorMapping {
  /** gRPC status code (the closest standard one; the exact code travels in `oicf-error-code` metadata). */
  grpcStatus: GrpcStatus;
  /** HTTP status of an error response (Google AIP-193 conventions; 429 for capacity and admission). */
  httpStatus: number;
  /**
   * WebSocket close code. Unique per code so a close maps back to its code. Standard codes (RFC 6455
   * §7.4.1) where one fits; otherwise 4000 + the HTTP status, in the private-use range 4000–4999.
   */
  wsCloseCode: number;
}

export const ERROR_MAPPING: Record<ErrorCode, ErrorMapping> = {
  INVALID_ARGUMENT: { grpcStatus: GrpcStatus.INVALID_ARGUMENT, httpStatus: 400, wsCloseCode: 1007 },
  NOT_FOUND: { grpcStatus: GrpcStatus.NOT_FOUND, httpStatus: 404, wsCloseCode: 4404 },
  ALREADY_EXISTS: { grpcStatus: GrpcStatus.ALREADY_EXISTS, httpStatus: 409, wsCloseCode: 4409 },
  RESOURCE_EXHAUSTED: { grpcStatus: GrpcStatus.RESOURCE_EXHAUSTED, httpStatus: 429, wsCloseCode: 1013 },
  FAILED_PRECONDITION: { grpcStatus: GrpcStatus.FAILED_PRECONDITION, httpStatus: 400, wsCloseCode: 4412 },
  UNAVAILABLE: { grpcStatus: GrpcStatus.UNAVAILABLE, httpStatus: 503, wsCloseCode: 1001 },
  DEADLINE_EXCEEDED: { grpcStatus: GrpcStatus.DEADLINE_EXCEEDED, httpStatus: 504, wsCloseCode: 4504 },
  CANCELLED: { grpcStatus: GrpcStatus.CANCELLED, httpStatus: 499, wsCloseCode: 4499 },
  CHECKSUM_MISMATCH: { grpcStatus: GrpcStatus.DATA_LOSS, httpStatus: 422, wsCloseCode: 4422 },
  FRAME_TOO_LARGE: { grpcStatus: GrpcStatus.RESOURCE_EXHAUSTED, httpStatus: 413, wsCloseCode: 1009 },
  UNKNOWN_KIND: { grpcStatus: GrpcStatus.UNIMPLEMENTED, httpStatus: 400, wsCloseCode: 1003 },
  PROTOCOL_ERROR: { grpcStatus: GrpcStatus.INVALID_ARGUMENT, httpStatus: 400, wsCloseCode: 1002 },
  SLO_UNATTAINABLE: { grpcStatus: GrpcStatus.RESOURCE_EXHAUSTED, httpStatus: 429, wsCloseCode: 4429 },
  UNIMPLEMENTED: { grpcStatus: GrpcStatus.UNIMPLEMENTED, httpStatus: 501, wsCloseCode: 4501 },
  UNAUTHENTICATED: { grpcStatus: GrpcStatus.UNAUTHENTICATED, httpStatus: 401, wsCloseCode: 4401 },
  INTERNAL: { grpcStatus: GrpcStatus.INTERNAL, httpStatus: 500, wsCloseCode: 1011 },
};

const CODE_SET: ReadonlySet<string> = new Set(ERROR_CODES);

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && CODE_SET.has(value);
}

/**
 * The code a bare gRPC status maps back to when no `oicf-error-code` metadata came with it: the code named
 * like the status if there is one, else the first code mapped to it; statuses no code maps to
 * (UNKNOWN, ABORTED, …) read as INTERNAL.
 */
export function codeForGrpcStatus(grpcStatus: number): ErrorCode {
  const named = GrpcStatus[grpcStatus];
  if (isErrorCode(named) && ERROR_MAPPING[named].grpcStatus === grpcStatus) return named;
  if (grpcStatus === GrpcStatus.OUT_OF_RANGE) return 'INVALID_ARGUMENT';
  for (const code of ERROR_CODES) if (ERROR_MAPPING[code].grpcStatus === grpcStatus) return code;
  return 'INTERNAL';
}

/**
 * The code a WebSocket close code maps back to, or undefined for a normal close (1000). A connection lost
 * without a close frame (1006) and unknown codes read as UNAVAILABLE: the peer went away.
 */
export function codeForWsCloseCode(wsCloseCode: number): ErrorCode | undefined {
  if (wsCloseCode === 1000) return undefined;
  for (const code of ERROR_CODES) if (ERROR_MAPPING[code].wsCloseCode === wsCloseCode) return code;
  return 'UNAVAILABLE';
}
