import type { TraceErrorCode } from '../trace-error.js';
import type { TraceFormat, TraceRequest } from '../types.js';
import { FieldProblem } from './field-checks.js';

/** A problem with one record: what (code, field, reason) and, when it is not the current line, where it began. */
export interface LineIssueOutcome {
  readonly kind: 'issue';
  readonly code: Extract<TraceErrorCode, 'invalid-line' | 'invalid-field' | 'invalid-header'>;
  readonly field?: string;
  readonly reason: string;
  /** 1-based line the bad record starts on, when a record spans lines (pretty-printed JSON); default the line just fed. */
  readonly lineNumber?: number;
}

/** What one physical line turned into. Bad lines are values, not exceptions. */
export type LineOutcome =
  | { readonly kind: 'request'; readonly request: TraceRequest }
  /** A line that completes a record holding many requests (a kv-cache-tester conversation, a Copilot session). */
  | { readonly kind: 'requests'; readonly requests: readonly TraceRequest[] }
  /** Blank lines, header lines and lines inside a record that is not complete yet. */
  | { readonly kind: 'ignored' }
  | LineIssueOutcome;

/**
 * A stateful per-trace parser: feed it every physical line in order with its 1-based number.
 * State covers headers (Azure columns, native blockTokens), the time origin, per-session checks and
 * records spanning several lines.
 */
export interface LineParser {
  readonly format: TraceFormat;
  parse(line: string, lineNumber: number): LineOutcome;
  /** End of input: an unfinished multi-line record becomes an issue. Parsers without such state omit it. */
  finish?(): LineOutcome;
  /** Facts about the read a user should see (records dropped by design, caps applied); empty when none. */
  notes?(): string[];
}

/** Runs a parse step, turning a FieldProblem into an issue outcome. */
export function guard(step: () => LineOutcome): LineOutcome {
  try {
    return step();
  } catch (err) {
    if (err instanceof FieldProblem) {
      return err.field === undefined
        ? { kind: 'issue', code: err.code, reason: err.reason }
        : { kind: 'issue', code: err.code, field: err.field, reason: err.reason };
    }
    throw err;
  }
}

/** Strips a trailing carriage return (CRLF files such as the Azure CSVs). */
export function cleanLine(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
