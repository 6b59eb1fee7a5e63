// Errors in the OpenAI shape `{ error: { message, type, code, param } }` for every failure the HTTP front
// door answers: validation issues, policy rejects (429 + Retry-After), no workers (503), and OicfErrors
// from the pipeline (status from the transport's ERROR_MAPPING; `code` is the transport ErrorCode).
import { type RejectReason, rejectClass } from '@oicf/sched';
import { ERROR_MAPPING, toOicfError } from '@oicf/transport';
import type { ApiIssue } from '../core/generate-input.js';
import type { ReplySink } from './reply-sink.js';

export function errorBody(issue: ApiIssue): { error: Omit<ApiIssue, 'status'> } {
  return { error: { message: issue.message, type: issue.type, code: issue.code, param: issue.param } };
}

function typeForStatus(status: number): string {
  if (status === 429) return 'rate_limit_exceeded';
  if (status === 503) return 'service_unavailable';
  if (status === 504) return 'timeout';
  if (status === 499) return 'cancelled';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

/** Any thrown value as an API issue, keeping the OicfError code and field. */
export function issueFromError(err: unknown): ApiIssue {
  const e = toOicfError(err);
  const status = ERROR_MAPPING[e.code].httpStatus;
  return {
    status,
    type: typeForStatus(status),
    code: e.code,
    param: e.field === '' ? null : e.field,
    message: e.message,
  };
}

/**
 * An admission reject, by @oicf/sched rejectClass (docs/reliability.md): overloaded (no worker, capacity,
 * queue bounds) is 503 service_unavailable; rate-limited (a predicted-SLO reject) is 429. Both carry
 * Retry-After (the caller adds the header). `code` is the reason.
 */
export function rejectIssue(reason: RejectReason, message: string): ApiIssue {
  const overloaded = rejectClass(reason) === 'overloaded';
  return {
    status: overloaded ? 503 : 429,
    type: overloaded ? 'service_unavailable' : 'rate_limit_exceeded',
    code: reason,
    param: null,
    message,
  };
}

export function unavailableIssue(message: string): ApiIssue {
  return { status: 503, type: 'service_unavailable', code: 'UNAVAILABLE', param: null, message };
}

export function sendIssue(res: ReplySink, issue: ApiIssue, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const json = `${JSON.stringify(errorBody(issue))}\n`;
  // Length known up front: head and body go out in one write, unchunked (as in replyOnce).
  res.writeHead(issue.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(json),
    ...headers,
  });
  res.end(json);
}
