// Conversions between OicfError and the error shapes of each protocol: gRPC status + metadata, HTTP JSON
// bodies (OpenAI-like), WebSocket `error` frame bodies (oicf.v1.ErrorDetail) and WebSocket close frames.
// Every conversion goes through ERROR_MAPPING; nothing else maps codes.
import { status as GrpcStatus, Metadata, type ServiceError } from '@grpc/grpc-js';
import type { ErrorDetail__Output } from '@oicf/proto';
import { codeForGrpcStatus, codeForWsCloseCode, ERROR_MAPPING, type ErrorCode, isErrorCode } from './error-codes.js';
import { OicfError, toOicfError } from './oicf-error.js';

/** gRPC metadata keys carrying the exact code and field next to the (coarser) status. */
export const ERROR_CODE_METADATA_KEY = 'oicf-error-code';
export const ERROR_FIELD_METADATA_KEY = 'oicf-error-field';
/** gRPC metadata key of an overloaded refusal's retry delay in whole seconds (HTTP's Retry-After). */
export const RETRY_AFTER_METADATA_KEY = 'retry-after';

/** A grpc-js server error: pass it to a unary callback or `call.destroy()` / `call.emit('error')`. */
export type GrpcServerError = Error & { code: GrpcStatus; details: string; metadata: Metadata };

/**
 * Longest status message sent over gRPC, in characters: it travels in an HTTP/2 trailer (grpc-message),
 * and a peer's header-size limit would otherwise drop the whole answer (a message quoting a 1 MB field
 * made a call never answer).
 */
export const MAX_GRPC_MESSAGE_CHARS = 2048;

function clipMessage(message: string): string {
  if (message.length <= MAX_GRPC_MESSAGE_CHARS) return message;
  return `${message.slice(0, MAX_GRPC_MESSAGE_CHARS)}… (${message.length - MAX_GRPC_MESSAGE_CHARS} more characters)`;
}

export function toGrpcError(value: unknown): GrpcServerError {
  const err = toOicfError(value);
  const text = clipMessage(err.message);
  const metadata = new Metadata();
  metadata.set(ERROR_CODE_METADATA_KEY, err.code);
  if (err.field !== '') metadata.set(ERROR_FIELD_METADATA_KEY, clipMessage(err.field));
  if (err.retryAfterSeconds !== undefined) metadata.set(RETRY_AFTER_METADATA_KEY, String(err.retryAfterSeconds));
  return Object.assign(new Error(text), {
    code: ERROR_MAPPING[err.code].grpcStatus,
    details: text,
    metadata,
  });
}

/** A grpc-js client error (or anything thrown by a call) as an OicfError with the original code when known. */
export function fromGrpcError(value: unknown): OicfError {
  if (value instanceof OicfError) return value;
  const e = value as Partial<ServiceError> | undefined;
  if (e === undefined || e === null || typeof e.code !== 'number') return toOicfError(value);
  const sent = e.metadata?.get(ERROR_CODE_METADATA_KEY)[0];
  const field = e.metadata?.get(ERROR_FIELD_METADATA_KEY)[0];
  const code: ErrorCode = isErrorCode(sent) ? sent : codeForGrpcStatus(e.code);
  const details = e.details ?? e.message ?? '';
  const message = isErrorCode(sent) ? details : `${details} (gRPC status ${GrpcStatus[e.code] ?? e.code})`;
  const retryAfter = Number(e.metadata?.get(RETRY_AFTER_METADATA_KEY)[0]);
  return new OicfError(code, message, {
    field: typeof field === 'string' ? field : '',
    cause: value,
    ...(retryAfter > 0 ? { retryAfterSeconds: retryAfter } : {}),
  });
}

/** The JSON body of an HTTP error response, shaped like OpenAI's (`field` plays OpenAI's `param`). */
export interface HttpErrorBody {
  error: { code: ErrorCode; message: string; field: string | null };
}

export function toHttpError(value: unknown): { status: number; body: HttpErrorBody } {
  const err = toOicfError(value);
  return {
    status: ERROR_MAPPING[err.code].httpStatus,
    body: { error: { code: err.code, message: err.message, field: err.field === '' ? null : err.field } },
  };
}

/** An HTTP error response back into an OicfError; a body of another shape maps by status alone. */
export function fromHttpError(httpStatus: number, body: unknown): OicfError {
  const e = (body as Partial<HttpErrorBody> | undefined)?.error;
  if (e !== undefined && isErrorCode(e.code) && typeof e.message === 'string') {
    return new OicfError(e.code, e.message, { field: typeof e.field === 'string' ? e.field : '' });
  }
  const byStatus = (Object.keys(ERROR_MAPPING) as ErrorCode[]).find((c) => ERROR_MAPPING[c].httpStatus === httpStatus);
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return new OicfError(byStatus ?? 'INTERNAL', `HTTP ${httpStatus}: ${text}`);
}

export function toErrorDetail(value: unknown): ErrorDetail__Output {
  const err = toOicfError(value);
  return { code: err.code, message: err.message, field: err.field };
}

/** An ErrorDetail from a peer; a code outside the closed list becomes INTERNAL, keeping the peer's text. */
export function fromErrorDetail(detail: { code?: string; message?: string; field?: string }): OicfError {
  const message = detail.message ?? '';
  if (isErrorCode(detail.code)) return new OicfError(detail.code, message, { field: detail.field ?? '' });
  return new OicfError('INTERNAL', `peer sent unknown error code ${JSON.stringify(detail.code)}: ${message}`, {
    field: detail.field ?? '',
  });
}

/** RFC 6455 limits a close reason to 123 bytes of UTF-8. */
const MAX_CLOSE_REASON_BYTES = 123;

export function toWsClose(value: unknown): { code: number; reason: string } {
  const err = toOicfError(value);
  let reason = `${err.code}: ${err.message}`;
  while (Buffer.byteLength(reason) > MAX_CLOSE_REASON_BYTES) reason = reason.slice(0, -1);
  return { code: ERROR_MAPPING[err.code].wsCloseCode, reason };
}

/** A close frame as an OicfError, or undefined for a normal close (1000). */
export function fromWsClose(closeCode: number, reason: string): OicfError | undefined {
  const code = codeForWsCloseCode(closeCode);
  if (code === undefined) return undefined;
  const text = reason === '' ? 'no reason given' : reason;
  return new OicfError(code, `connection closed by peer (close code ${closeCode}): ${text}`);
}
