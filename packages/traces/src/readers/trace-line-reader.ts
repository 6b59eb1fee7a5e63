import { TraceError, type TraceLineIssue } from '../trace-error.js';
import type { TraceFormat, TraceRequest } from '../types.js';
import { createLineParser } from './create-parser.js';
import { detectTraceFormat } from './detect-format.js';
import type { LineParser } from './line-parser.js';

export interface ReadTraceOptions {
  /** Default 'auto': detected from the first non-blank line, then the file extension of `source`. */
  readonly format?: TraceFormat | 'auto';
  /** File name (or label) used in messages and for extension-based detection. */
  readonly source?: string;
  /** 'error' (default, strict): the first bad line fails the read. 'skip': bad lines are counted and dropped. */
  readonly badLines?: 'error' | 'skip';
  /** With badLines 'skip': how many issues to keep for reporting (all are counted). Default 20. */
  readonly maxIssues?: number;
}

/** What a finished read saw besides the requests. */
export interface TraceReadSummary {
  readonly format: TraceFormat;
  readonly source: string;
  /** Physical lines consumed, including header and blank lines. */
  readonly numLines: number;
  readonly numRequests: number;
  readonly numSkippedLines: number;
  /** The first `maxIssues` skipped lines, in file order. */
  readonly issues: readonly TraceLineIssue[];
}

/**
 * Push-style reader shared by the sync and async entry points: feed physical lines in order,
 * get a request or undefined (header, blank, skipped) back; `finish()` returns the summary.
 * Throws TraceError for a bad line in strict mode, an undetectable format or an empty trace.
 */
export class TraceLineReader {
  private parser: LineParser | undefined;
  private numLines = 0;
  private numRequests = 0;
  private numSkippedLines = 0;
  private readonly issues: TraceLineIssue[] = [];
  private readonly source: string;
  private readonly strict: boolean;
  private readonly maxIssues: number;

  constructor(private readonly options: ReadTraceOptions = {}) {
    this.source = options.source ?? '<input>';
    this.strict = (options.badLines ?? 'error') === 'error';
    this.maxIssues = options.maxIssues ?? 20;
    if (options.maxIssues !== undefined && !(Number.isInteger(options.maxIssues) && options.maxIssues >= 0)) {
      throw new TraceError('invalid-argument', `maxIssues must be an integer ≥ 0, got ${options.maxIssues}`);
    }
    const format = options.format ?? 'auto';
    if (format !== 'auto') this.parser = createLineParser(format);
  }

  push(line: string): TraceRequest | undefined {
    this.numLines += 1;
    const lineNumber = this.numLines;
    if (this.parser === undefined) {
      if (line.trim() === '') return undefined;
      const detected = detectTraceFormat(line, this.options.source);
      if (!detected.ok) throw detected.error;
      this.parser = createLineParser(detected.format);
    }
    const outcome = this.parser.parse(line, lineNumber);
    if (outcome.kind === 'request') {
      this.numRequests += 1;
      return outcome.request;
    }
    if (outcome.kind === 'ignored') return undefined;
    const issue: TraceLineIssue = {
      code: outcome.code,
      source: this.source,
      lineNumber,
      ...(outcome.field === undefined ? {} : { field: outcome.field }),
      reason: outcome.reason,
    };
    // A bad header leaves nothing to interpret the rest by, so it fails even in skip mode.
    if (this.strict || issue.code === 'invalid-header') throw TraceError.fromIssue(issue);
    this.numSkippedLines += 1;
    if (this.issues.length < this.maxIssues) this.issues.push(issue);
    return undefined;
  }

  finish(): TraceReadSummary {
    if (this.parser === undefined) {
      throw new TraceError('empty-trace', `${this.source}: no non-blank line; nothing to read`, {
        source: this.source,
      });
    }
    return {
      format: this.parser.format,
      source: this.source,
      numLines: this.numLines,
      numRequests: this.numRequests,
      numSkippedLines: this.numSkippedLines,
      issues: [...this.issues],
    };
  }
}
