import { TraceError } from '../trace-error.js';
import { TRACE_FORMATS, type TraceFormat } from '../types.js';
import { AGENT_TRACE_FORMAT } from './agent-format.js';

export type Detection = { ok: true; format: TraceFormat } | { ok: false; error: TraceError };

/**
 * Picks a reader from the first non-blank line, falling back on the file extension.
 * Content wins because `.jsonl` alone cannot tell the JSON formats apart. A JSON object's top-level keys decide:
 * - `"format":"oicf-agent-trace"` → agent
 * - `turns` → copilot (one Copilot coding-agent session)
 * - `requests` or `block_size` → weka (one kv-cache-tester conversation)
 * - `input_length`, `hash_ids` or `timestamp` → mooncake
 * A CSV header naming `TIMESTAMP` and `ContextTokens` → azure. Extensions (after a `.gz`): `.csv` → azure,
 * `.json` → weka. Returns a TraceError value naming what was looked at when nothing decides.
 */
export function detectTraceFormat(firstLine: string | undefined, fileName?: string): Detection {
  return decide(firstLine?.trim() ?? '', fileName, true) as Detection;
}

/** Lines the sniffer may hold while a record spanning lines (pretty-printed JSON) has not named its format. */
export const MAX_SNIFF_LINES = 1000;

/**
 * Detection over the first lines, for records that span lines: a pretty-printed kv-cache-tester file
 * starts with a bare `{`, and its `"block_size"` key comes a few lines later. Feed lines until
 * `push` returns a decision; `finish` decides with what was seen (then the extension).
 */
export class FormatSniffer {
  private first: string | undefined;
  private numMore = 0;

  constructor(private readonly fileName?: string) {}

  /** A decision, or undefined while more lines are needed. Each line is looked at once. */
  push(line: string): Detection | undefined {
    if (this.first === undefined) {
      if (line.trim() === '') return undefined;
      this.first = line.trim();
      return decide(this.first, this.fileName, false);
    }
    this.numMore += 1;
    const byLine = formatOfLaterLine(line);
    if (byLine !== undefined) return { ok: true, format: byLine };
    return this.numMore >= MAX_SNIFF_LINES ? this.finish() : undefined;
  }

  /** End of input: decide with what was seen; undefined when every line was blank. */
  finish(): Detection | undefined {
    return this.first === undefined ? undefined : (decide(this.first, this.fileName, true) as Detection);
  }
}

function decide(first: string, fileName: string | undefined, final: boolean) {
  if (first.startsWith('{')) {
    const obj = parseObject(first);
    if (obj !== undefined) {
      const byKeys = formatFromKeys(obj);
      if (byKeys !== undefined) return { ok: true as const, format: byKeys };
    } else {
      // A JSON record spanning lines, or a broken first line: the first line that names a format decides
      // (FormatSniffer feeds the later ones to formatOfLaterLine); at the end, the extension.
      const byText = formatFromText(first);
      if (byText !== undefined) return { ok: true as const, format: byText };
      if (!final) return undefined;
    }
  } else if (/\bTIMESTAMP\b/i.test(first) && /\bContextTokens\b/i.test(first)) {
    return { ok: true as const, format: 'azure' as const };
  }
  const ext = fileName
    ?.toLowerCase()
    .replace(/\.gz$/, '')
    .match(/\.([a-z0-9]+)$/)?.[1];
  if (ext === 'csv') return { ok: true as const, format: 'azure' as const };
  if (ext === 'json') return { ok: true as const, format: 'weka' as const };
  return { ok: false as const, error: unknownFormat(first, fileName) };
}

/** A line after an undecided first line: a top-level key of a multi-line format, or a whole record of a one-line format. */
function formatOfLaterLine(line: string): TraceFormat | undefined {
  const byText = formatFromText(line);
  if (byText !== undefined) return byText;
  const trimmed = line.trim();
  const whole = trimmed.startsWith('{') ? parseObject(trimmed) : undefined;
  return whole === undefined ? undefined : formatFromKeys(whole);
}

function parseObject(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function formatFromKeys(rec: Record<string, unknown>): TraceFormat | undefined {
  if (rec.format === AGENT_TRACE_FORMAT) return 'agent';
  if ('turns' in rec) return 'copilot';
  if ('requests' in rec || 'block_size' in rec) return 'weka';
  if ('input_length' in rec || 'hash_ids' in rec || 'timestamp' in rec) return 'mooncake';
  return undefined;
}

/** Keys that only one multi-line format has at its top (they come before any nested `hash_ids` or `timestamp`). */
function formatFromText(line: string): TraceFormat | undefined {
  if (/"(turns|llm_calls)"\s*:/.test(line)) return 'copilot';
  if (/"(requests|block_size|hash_id_scope)"\s*:/.test(line)) return 'weka';
  return undefined;
}

function unknownFormat(first: string, fileName: string | undefined): TraceError {
  const shown = first.length > 60 ? `${first.slice(0, 57)}...` : first;
  return new TraceError(
    'unknown-format',
    `${fileName ?? '<input>'}: cannot tell the trace format from its first line '${shown}'; ` +
      `expected a Mooncake JSON object (input_length, hash_ids), a native header ("format":"${AGENT_TRACE_FORMAT}"), ` +
      'a kv-cache-tester conversation (block_size, requests), a Copilot session (session_id, turns) ' +
      `or an Azure CSV header (TIMESTAMP,ContextTokens,GeneratedTokens); pass the format explicitly (${TRACE_FORMATS.join(', ')})`,
    fileName === undefined ? {} : { source: fileName },
  );
}
