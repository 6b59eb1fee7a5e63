import type { TraceErrorCode } from '../trace-error.js';
import type { TraceFormat, TraceRequest } from '../types.js';
import { FieldProblem } from './field-checks.js';

/** What one physical line turned into. Bad lines are values, not exceptions. */
export type LineOutcome =
  | { readonly kind: 'request'; readonly request: TraceRequest }
  /** Blank lines and header lines. */
  | { readonly kind: 'ignored' }
  | {
      readonly kind: 'issue';
      readonly code: Extract<TraceErrorCode, 'invalid-line' | 'invalid-field' | 'invalid-header'>;
      readonly field?: string;
      readonly reason: string;
    };

/**
 * A stateful per-trace parser: feed it every physical line in order with its 1-based number.
 * State covers headers (Azure columns, native blockTokens), the time origin and per-session checks.
 */
export interface LineParser {
  readonly format: TraceFormat;
  parse(line: string, lineNumber: number): LineOutcome;
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
