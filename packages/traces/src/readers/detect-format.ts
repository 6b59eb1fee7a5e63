import { TraceError } from '../trace-error.js';
import type { TraceFormat } from '../types.js';
import { AGENT_TRACE_FORMAT } from './agent-format.js';

/**
 * Picks a reader from the first non-blank line, falling back on the file extension.
 * Content wins because `.jsonl` alone cannot tell Mooncake from the native format:
 * - a JSON object with `"format":"oicf-agent-trace"` → agent
 * - a JSON object with `input_length`, `hash_ids` or `timestamp` → mooncake
 * - a CSV header naming `TIMESTAMP` and `ContextTokens` → azure
 * Returns a TraceError value naming what was looked at when neither decides.
 */
export function detectTraceFormat(
  firstLine: string | undefined,
  fileName?: string,
): { ok: true; format: TraceFormat } | { ok: false; error: TraceError } {
  const line = firstLine?.trim() ?? '';
  if (line.startsWith('{')) {
    try {
      const obj: unknown = JSON.parse(line);
      if (typeof obj === 'object' && obj !== null) {
        const rec = obj as Record<string, unknown>;
        if (rec.format === AGENT_TRACE_FORMAT) return { ok: true, format: 'agent' };
        if ('input_length' in rec || 'hash_ids' in rec || 'timestamp' in rec) return { ok: true, format: 'mooncake' };
      }
    } catch {
      // Not JSON: fall through to the extension.
    }
  } else if (/\bTIMESTAMP\b/i.test(line) && /\bContextTokens\b/i.test(line)) {
    return { ok: true, format: 'azure' };
  }
  const ext = fileName?.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];
  if (ext === 'csv') return { ok: true, format: 'azure' };
  const shown = line.length > 60 ? `${line.slice(0, 57)}...` : line;
  return {
    ok: false,
    error: new TraceError(
      'unknown-format',
      `${fileName ?? '<input>'}: cannot tell the trace format from its first line '${shown}'; ` +
        `expected a Mooncake JSON object (input_length, hash_ids), a native header ("format":"${AGENT_TRACE_FORMAT}") ` +
        `or an Azure CSV header (TIMESTAMP,ContextTokens,GeneratedTokens); pass the format explicitly`,
      fileName === undefined ? {} : { source: fileName },
    ),
  };
}
