// Results and errors of @oicf/core (expected outcomes are values; errors.ts has the throwing edge helper).
// Units are in the names (bytes, seconds, FLOPs, tokens); counts start with `num`; formulas in docs/oicf.md.

// ---------------------------------------------------------------------------------------------
// Results and errors (expected outcomes are values; see errors.ts for the throwing edge helper)
// ---------------------------------------------------------------------------------------------

/** Closed list of error codes used by this package (a subset of the transport's ErrorCode). */
export type CoreErrorCode = 'NOT_FOUND' | 'INVALID_ARGUMENT';

/** One bad field of an untrusted object: `path` like `moe.topK`, `message` says what is allowed. */
export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

export interface CoreError {
  readonly code: CoreErrorCode;
  /** Human-readable, names what was wrong and the valid choices (ids, ranges). */
  readonly message: string;
  /** Every bad field, for parse errors (all collected at once). */
  readonly issues?: readonly FieldIssue[];
  /** For NOT_FOUND: every valid id of the catalog that was searched. */
  readonly validIds?: readonly string[];
}

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: CoreError };
