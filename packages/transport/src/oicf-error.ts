// The one error type of the serving runtime. Thrown at the edges (bad input, a failed peer) and for broken
// invariants; expected outcomes (a cache miss, no free blocks) are returned values, not OicfErrors.
import { type ErrorCode, isErrorCode } from './error-codes.js';

export interface OicfErrorOptions {
  /** Path of the offending field, e.g. `body.blockIds[2]` or `tiers.dram.capacityBytes`. */
  field?: string;
  cause?: unknown;
  /** For refusals of an overloaded service: seconds after which a retry may succeed (HTTP Retry-After). */
  retryAfterSeconds?: number;
}

export class OicfError extends Error {
  override readonly name = 'OicfError';
  readonly code: ErrorCode;
  /** Path of the offending field ('' when the error is not about one field). */
  readonly field: string;
  /** Seconds after which a retry may succeed (refusals of an overloaded service); undefined when not said. */
  readonly retryAfterSeconds: number | undefined;

  /** `message` says what was wrong and what to do, e.g. "lease ab12 expired: take a new lease and retry". */
  constructor(code: ErrorCode, message: string, options: OicfErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.field = options.field ?? '';
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  toJSON(): { code: ErrorCode; message: string; field: string } {
    return { code: this.code, message: this.message, field: this.field };
  }
}

export function isOicfError(value: unknown): value is OicfError {
  return (
    value instanceof OicfError ||
    (value instanceof Error && value.name === 'OicfError' && isErrorCode((value as OicfError).code))
  );
}

/**
 * Any thrown value as an OicfError: OicfErrors pass through; errors of pure packages that carry a code from
 * the closed list (e.g. packages/kv's KvError: `code`, `message`, optional `field`) keep code and field;
 * anything else becomes INTERNAL.
 */
export function toOicfError(value: unknown): OicfError {
  if (isOicfError(value)) return value;
  const code = (value as { code?: unknown } | null)?.code;
  if (value instanceof Error && isErrorCode(code)) {
    const field = (value as { field?: unknown }).field;
    return new OicfError(code, value.message, {
      field: typeof field === 'string' ? field : '',
      cause: value,
    });
  }
  const message = value instanceof Error ? value.message : String(value);
  return new OicfError('INTERNAL', `unexpected failure: ${message}`, { cause: value });
}
