import type { CoreError, CoreErrorCode, FieldIssue, Result } from './types.js';

// Expected outcomes (unknown id, bad user JSON) are returned as Result values. Analysis functions
// throw OicfCoreError for arguments that break their contract (negative batch, NaN context): a
// caller bug, or untrusted input that should have gone through a parse*() function first.
// At the edge, unwrap() turns a failed Result into the same thrown error; the transport layer maps
// `code` onto its own ErrorCode (the names are a subset of it).

export class OicfCoreError extends Error {
  override readonly name = 'OicfCoreError';
  readonly code: CoreErrorCode;
  readonly issues: readonly FieldIssue[];
  readonly validIds: readonly string[];

  constructor(error: CoreError) {
    super(error.message);
    this.code = error.code;
    this.issues = error.issues ?? [];
    this.validIds = error.validIds ?? [];
  }
}

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T>(error: CoreError): Result<T> {
  return { ok: false, error };
}

/** Returns the value or throws OicfCoreError carrying the error's code, message and issues. */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw new OicfCoreError(result.error);
}

/** Throws INVALID_ARGUMENT naming the argument unless `value` is a finite number ≥ min. */
export function requireNumber(name: string, value: number, min: number, integer = false): void {
  const bad =
    typeof value !== 'number' || !Number.isFinite(value) || value < min || (integer && !Number.isInteger(value));
  if (bad) {
    const kind = integer ? 'an integer' : 'a finite number';
    throw new OicfCoreError({
      code: 'INVALID_ARGUMENT',
      message: `${name}: must be ${kind} ≥ ${min}, got ${String(value)}`,
      issues: [{ path: name, message: `must be ${kind} ≥ ${min}` }],
    });
  }
}
