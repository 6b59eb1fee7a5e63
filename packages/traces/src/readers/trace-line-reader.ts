import { TraceError, type TraceLineIssue } from '../trace-error.js';
import type { TraceFormat, TraceRequest } from '../types.js';
import { createLineParser } from './create-parser.js';
import { FormatSniffer } from './detect-format.js';
import type { LineOutcome, LineParser } from './line-parser.js';

export interface ReadTraceOptions {
  /** Default 'auto': detected from the first non-blank line(s), then the file extension of `source`. */
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
  /** Bad records dropped in skip mode (a record spanning lines counts once). */
  readonly numSkippedLines: number;
  /** The first `maxIssues` skipped lines, in file order. */
  readonly issues: readonly TraceLineIssue[];
  /** Present when the reader has something to say beyond issues (e.g. Copilot calls with no prompt left out). */
  readonly notes?: readonly string[];
}

const NONE: readonly TraceRequest[] = [];

/**
 * Push-style reader shared by the sync and async entry points: feed physical lines in order, get
 * the requests they complete back (none for a header, blank, skipped or unfinished line);
 * `finish()` returns the summary. While the format is still being detected, lines are held and
 * replayed into the parser once it is known. Throws TraceError for a bad line in strict mode, an
 * undetectable format or an empty trace.
 */
export class TraceLineReader {
  private parser: LineParser | undefined;
  private readonly sniffer: FormatSniffer;
  private readonly held: string[] = [];
  private numLines = 0;
  private ended = false;
  private numParsedLines = 0;
  private numRequests = 0;
  private numSkippedLines = 0;
  private readonly issues: TraceLineIssue[] = [];
  private readonly source: string;
  private readonly strict: boolean;
  private readonly maxIssues: number;

  constructor(options: ReadTraceOptions = {}) {
    this.source = options.source ?? '<input>';
    this.strict = (options.badLines ?? 'error') === 'error';
    this.maxIssues = options.maxIssues ?? 20;
    if (options.maxIssues !== undefined && !(Number.isInteger(options.maxIssues) && options.maxIssues >= 0)) {
      throw new TraceError('invalid-argument', `maxIssues must be an integer ≥ 0, got ${options.maxIssues}`);
    }
    this.sniffer = new FormatSniffer(options.source);
    const format = options.format ?? 'auto';
    if (format !== 'auto') this.parser = createLineParser(format);
  }

  push(line: string): readonly TraceRequest[] {
    this.numLines += 1;
    if (this.parser !== undefined) return this.parseLine(this.parser, line);
    this.held.push(line);
    const detected = this.sniffer.push(line);
    if (detected === undefined) return NONE;
    if (!detected.ok) throw detected.error;
    return this.release(createLineParser(detected.format));
  }

  /**
   * End of input: decides the format of held lines (content, then extension), parses them and ends a
   * record left open. Returns the requests this completes; call it once, before finish().
   */
  end(): readonly TraceRequest[] {
    if (this.ended) return NONE;
    this.ended = true;
    let out: readonly TraceRequest[] = NONE;
    if (this.parser === undefined) {
      const detected = this.sniffer.finish();
      if (detected === undefined) {
        throw new TraceError('empty-trace', `${this.source}: no non-blank line; nothing to read`, {
          source: this.source,
        });
      }
      if (!detected.ok) throw detected.error;
      out = this.release(createLineParser(detected.format));
    }
    const last = (this.parser as LineParser).finish?.();
    if (last === undefined) return out;
    const closing = this.take(last, this.numLines);
    return out.length === 0 ? closing : [...out, ...closing];
  }

  /** The summary; ends the input first if end() was not called (its requests are then only counted). */
  finish(): TraceReadSummary {
    this.end();
    const parser = this.parser as LineParser;
    const notes = parser.notes?.() ?? [];
    return {
      format: parser.format,
      source: this.source,
      numLines: this.numLines,
      numRequests: this.numRequests,
      numSkippedLines: this.numSkippedLines,
      issues: [...this.issues],
      ...(notes.length > 0 ? { notes } : {}),
    };
  }

  private release(parser: LineParser): readonly TraceRequest[] {
    this.parser = parser;
    const out: TraceRequest[] = [];
    for (const held of this.held.splice(0)) for (const r of this.parseLine(parser, held)) out.push(r);
    return out;
  }

  private parseLine(parser: LineParser, line: string): readonly TraceRequest[] {
    this.numParsedLines += 1;
    return this.take(parser.parse(line, this.numParsedLines), this.numParsedLines);
  }

  private take(outcome: LineOutcome, lineNumber: number): readonly TraceRequest[] {
    if (outcome.kind === 'request') {
      this.numRequests += 1;
      return [outcome.request];
    }
    if (outcome.kind === 'requests') {
      this.numRequests += outcome.requests.length;
      return outcome.requests;
    }
    if (outcome.kind === 'ignored') return NONE;
    const issue: TraceLineIssue = {
      code: outcome.code,
      source: this.source,
      lineNumber: outcome.lineNumber ?? lineNumber,
      ...(outcome.field === undefined ? {} : { field: outcome.field }),
      reason: outcome.reason,
    };
    // A bad header leaves nothing to interpret the rest by, so it fails even in skip mode.
    if (this.strict || issue.code === 'invalid-header') throw TraceError.fromIssue(issue);
    this.numSkippedLines += 1;
    if (this.issues.length < this.maxIssues) this.issues.push(issue);
    return NONE;
  }
}
