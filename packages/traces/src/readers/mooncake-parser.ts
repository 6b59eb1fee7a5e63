import { MOONCAKE_BLOCK_TOKENS, type TraceRequest } from '../types.js';
import {
  FieldProblem,
  optionalNumber,
  parseJsonLine,
  requireBlockHashes,
  requireInteger,
  requireNumber,
  show,
} from './field-checks.js';
import { cleanLine, guard, type LineParser } from './line-parser.js';

/**
 * Mooncake FAST'25 JSONL: `{"timestamp": ms, "input_length": n, "output_length": n, "hash_ids": [...]}`.
 * Each hash id covers 512 tokens (the last may be partial) and its whole prefix, so
 * len(hash_ids) must equal ceil(input_length / 512); both fields are checked against each other.
 * Unknown extra fields are ignored. requestId is `req-<0-based data row>`.
 *
 * Optional, as AIPerf's Mooncake loader reads them: `session_id` (a non-empty string or an integer)
 * puts the line in that session (turns in file order, timestamps never going back), so an agent trace
 * replays closed-loop without conversion; `delay` (ms ≥ 0) is the think/tool time before a later turn,
 * else the gap is the difference of the turns' timestamps. Lines without `session_id` stay open-loop.
 */
export function createMooncakeParser(): LineParser {
  let numDataRows = 0;
  const sessions = new Map<string, { numTurns: number; lastSeconds: number }>();
  return {
    format: 'mooncake',
    parse(raw) {
      const line = cleanLine(raw);
      if (line.trim() === '') return { kind: 'ignored' };
      const rowIndex = numDataRows++;
      return guard(() => {
        const obj = parseJsonLine(line);
        const timestampMs = requireNumber(obj, 'timestamp', 0);
        const inputTokens = requireInteger(obj, 'input_length', 1);
        const outputTokens = requireInteger(obj, 'output_length', 0);
        const blockHashes = requireBlockHashes(
          obj.hash_ids,
          'hash_ids',
          inputTokens,
          'input_length',
          MOONCAKE_BLOCK_TOKENS,
          false,
        );
        const sessionId = readSessionId(obj.session_id);
        const delayMs = optionalNumber(obj, 'delay', 0);
        const arrivalSeconds = timestampMs / 1000;
        const request: TraceRequest = {
          requestId: `req-${rowIndex}`,
          arrivalSeconds,
          inputTokens,
          outputTokens,
          blockHashes,
          blockTokens: MOONCAKE_BLOCK_TOKENS,
        };
        if (sessionId === undefined) {
          if (delayMs !== undefined)
            throw new FieldProblem('delay', 'needs session_id (a delay follows the previous turn of a session)');
          return { kind: 'request', request };
        }
        const prev = sessions.get(sessionId);
        if (prev !== undefined && arrivalSeconds < prev.lastSeconds) {
          throw new FieldProblem(
            'timestamp',
            `${timestampMs} is before the previous turn of session '${sessionId}' (${prev.lastSeconds * 1000})`,
          );
        }
        const turnIndex = prev?.numTurns ?? 0;
        sessions.set(sessionId, { numTurns: turnIndex + 1, lastSeconds: arrivalSeconds });
        const gap =
          prev === undefined ? undefined : delayMs === undefined ? arrivalSeconds - prev.lastSeconds : delayMs / 1000;
        return {
          kind: 'request',
          request: { ...request, sessionId, turnIndex, ...(gap === undefined ? {} : { gapAfterPreviousSeconds: gap }) },
        };
      });
    },
  };
}

function readSessionId(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' && value.length > 0) return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  throw new FieldProblem('session_id', `must be a non-empty string or an integer, got ${show(value)}`);
}
