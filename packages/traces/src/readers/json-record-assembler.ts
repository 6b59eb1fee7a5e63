/**
 * Assembles JSON object records that may span lines, for formats with one record per conversation
 * or session: JSONL (one record per line, the Copilot shards and the SemiAnalysis kv-cache-tester
 * corpus) and pretty-printed files (agentic-coding-analysis writes one indented object per file).
 * It tracks bracket depth outside strings, so it never parses anything; the caller parses a
 * complete record's text once.
 *
 *   line 1  {                       depth 1   → held
 *   line 2    "block_size": 64,     depth 1   → held
 *   line 3    "requests": [ ... ]   depth 1   → held
 *   line 4  }                       depth 0   → record (lines 1–4), starting on line 1
 */
export type AssemblerOutcome =
  | { readonly kind: 'none' }
  | { readonly kind: 'record'; readonly text: string; readonly startLine: number }
  | { readonly kind: 'error'; readonly reason: string; readonly startLine: number };

/** Largest record held (characters): about 0.5 GB of UTF-16, half V8's string limit. */
export const MAX_RECORD_CHARS = 1 << 28;

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

export class JsonRecordAssembler {
  private parts: string[] = [];
  private numChars = 0;
  private startLine = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;

  /** Feed a physical line (without its newline); a record is returned on the line that closes it. */
  push(line: string, lineNumber: number): AssemblerOutcome {
    if (this.depth === 0) {
      const trimmed = line.trim();
      if (trimmed === '') return { kind: 'none' };
      if (!trimmed.startsWith('{')) {
        const shown = trimmed.length > 40 ? `${trimmed.slice(0, 37)}...` : trimmed;
        return {
          kind: 'error',
          reason: `expected a JSON object starting with '{', got '${shown}'`,
          startLine: lineNumber,
        };
      }
      this.startLine = lineNumber;
    }
    const end = this.scan(line);
    this.numChars += line.length + 1;
    if (this.numChars > MAX_RECORD_CHARS) {
      return this.fail(`the record is longer than ${MAX_RECORD_CHARS.toLocaleString('en-US')} characters`);
    }
    if (end === undefined) {
      this.parts.push(line);
      return { kind: 'none' };
    }
    const rest = line.slice(end + 1).trim();
    if (rest !== '' && rest !== ',') {
      return this.fail(`unexpected text after the record's closing '}': '${rest.slice(0, 20)}'`);
    }
    this.parts.push(line.slice(0, end + 1));
    const text = this.parts.length === 1 ? (this.parts[0] as string) : this.parts.join('\n');
    const startLine = this.startLine;
    this.reset();
    return { kind: 'record', text, startLine };
  }

  /** End of input: a record still open is an error naming where it began. */
  finish(): AssemblerOutcome {
    if (this.depth === 0) return { kind: 'none' };
    return this.fail('the input ends inside this record (a closing brace is missing)');
  }

  /** Index of the character that closes the record (depth back to 0), undefined while it stays open. */
  private scan(line: string): number | undefined {
    for (let i = 0; i < line.length; i++) {
      const c = line.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) this.inString = false;
      } else if (c === QUOTE) {
        this.inString = true;
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        this.depth += 1;
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        this.depth -= 1;
        if (this.depth === 0) return i;
      }
    }
    return undefined;
  }

  private fail(reason: string): AssemblerOutcome {
    const startLine = this.startLine;
    this.reset();
    return { kind: 'error', reason, startLine };
  }

  private reset(): void {
    this.parts = [];
    this.numChars = 0;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
  }
}
