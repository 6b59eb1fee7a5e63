/**
 * Closed list of trace error codes. The transport layer (when it maps errors to statuses) treats
 * every code as a client error (bad input), never as a server fault.
 * - `invalid-line`: a line is not parseable at all (bad JSON, wrong number of CSV columns).
 * - `invalid-field`: a field is missing or has a bad value; `field` names it.
 * - `invalid-header`: the CSV header or the native header line is missing or wrong.
 * - `unknown-format`: auto-detection could not tell which reader to use.
 * - `empty-trace`: no non-blank line at all.
 * - `invalid-argument`: a helper got a bad option (negative factor, reversed window, ...).
 */
export type TraceErrorCode =
  | 'invalid-line'
  | 'invalid-field'
  | 'invalid-header'
  | 'unknown-format'
  | 'empty-trace'
  | 'invalid-argument';

/** One bad line: where (source + 1-based line number), which field (if one is to blame) and what was wrong. */
export interface TraceLineIssue {
  readonly code: 'invalid-line' | 'invalid-field' | 'invalid-header';
  /** File name or other label given by the caller; `<input>` when none. */
  readonly source: string;
  /** 1-based physical line number in the source (the CSV header is line 1). */
  readonly lineNumber: number;
  readonly field?: string;
  /** What was wrong, with the offending value where short, e.g. "must be an integer ≥ 1, got -3". */
  readonly reason: string;
}

/** The one error type of this package. Messages read `<source> line <n>: field '<f>': <reason>`. */
export class TraceError extends Error {
  override readonly name = 'TraceError';
  readonly code: TraceErrorCode;
  readonly source?: string;
  readonly lineNumber?: number;
  readonly field?: string;

  constructor(
    code: TraceErrorCode,
    message: string,
    where: { source?: string; lineNumber?: number; field?: string } = {},
  ) {
    super(message);
    this.code = code;
    if (where.source !== undefined) this.source = where.source;
    if (where.lineNumber !== undefined) this.lineNumber = where.lineNumber;
    if (where.field !== undefined) this.field = where.field;
  }

  static fromIssue(issue: TraceLineIssue): TraceError {
    return new TraceError(issue.code, formatLineIssue(issue), issue);
  }
}

/** `conversation.jsonl line 17: field 'input_length': must be an integer ≥ 1, got -3` */
export function formatLineIssue(issue: TraceLineIssue): string {
  const field = issue.field === undefined ? '' : `field '${issue.field}': `;
  return `${issue.source} line ${issue.lineNumber}: ${field}${issue.reason}`;
}
