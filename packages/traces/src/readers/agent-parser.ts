import type { TraceRequest } from '../types.js';
import { AGENT_TRACE_FORMAT, AGENT_TRACE_VERSION } from './agent-format.js';
import {
  FieldProblem,
  optionalInteger,
  optionalNumber,
  optionalString,
  parseJsonLine,
  requireBlockHashes,
  requireInteger,
  requireNumber,
  requireString,
  show,
} from './field-checks.js';
import { cleanLine, guard, type LineParser } from './line-parser.js';

/**
 * Native agent-session JSONL (see agent-format.ts and docs/traces.md). Checks per line: field types
 * and ranges, newTokens ≤ inputTokens, blockHashes length; across lines: the header comes first,
 * each session's turnIndex increases (writers emit 0, 1, 2, ...; increasing rather than
 * consecutive so that one skipped bad line does not condemn the rest of its session) and its arrivals never go back in time.
 */
export function createAgentParser(): LineParser {
  let headerSeen = false;
  let blockTokens: number | undefined;
  const sessions = new Map<string, { lastTurnIndex: number; lastArrivalSeconds: number }>();
  return {
    format: 'agent',
    parse(raw) {
      const line = cleanLine(raw);
      if (line.trim() === '') return { kind: 'ignored' };
      return guard(() => {
        const obj = parseJsonLine(line);
        if (!headerSeen) {
          checkHeader(obj);
          headerSeen = true;
          blockTokens = optionalInteger(obj, 'blockTokens', 1);
          return { kind: 'ignored' };
        }
        if (obj.type !== 'turn') {
          throw new FieldProblem('type', `must be "turn" after the header line, got ${show(obj.type)}`);
        }
        const sessionId = requireString(obj, 'sessionId');
        const turnIndex = requireInteger(obj, 'turnIndex', 0);
        const arrivalSeconds = requireNumber(obj, 'arrivalSeconds', 0);
        const inputTokens = requireInteger(obj, 'inputTokens', 1);
        const outputTokens = requireInteger(obj, 'outputTokens', 0);
        const newTokens = optionalInteger(obj, 'newTokens', 0);
        if (newTokens !== undefined && newTokens > inputTokens) {
          throw new FieldProblem('newTokens', `must be ≤ inputTokens (${inputTokens}), got ${newTokens}`);
        }
        const gapAfterPreviousSeconds = optionalNumber(obj, 'gapAfterPreviousSeconds', 0);
        if (gapAfterPreviousSeconds !== undefined && turnIndex === 0) {
          throw new FieldProblem('gapAfterPreviousSeconds', 'must be absent on turn 0 (there is no previous turn)');
        }
        const numScreenshots = optionalInteger(obj, 'numScreenshots', 0);
        const workflow = optionalString(obj, 'workflow');
        const requestId = optionalString(obj, 'requestId') ?? `${sessionId}/${turnIndex}`;
        let blockHashes: (number | string)[] | undefined;
        if (obj.blockHashes !== undefined && obj.blockHashes !== null) {
          if (blockTokens === undefined) {
            throw new FieldProblem('blockHashes', 'present but the header line has no blockTokens');
          }
          blockHashes = requireBlockHashes(
            obj.blockHashes,
            'blockHashes',
            inputTokens,
            'inputTokens',
            blockTokens,
            true,
          );
        }
        checkSessionOrder(sessions, sessionId, turnIndex, arrivalSeconds);
        const request: TraceRequest = {
          requestId,
          sessionId,
          turnIndex,
          arrivalSeconds,
          inputTokens,
          outputTokens,
          ...(blockHashes !== undefined && blockTokens !== undefined ? { blockHashes, blockTokens } : {}),
          ...(gapAfterPreviousSeconds !== undefined ? { gapAfterPreviousSeconds } : {}),
          ...(workflow !== undefined ? { workflow } : {}),
          ...(newTokens !== undefined ? { newTokens } : {}),
          ...(numScreenshots !== undefined ? { numScreenshots } : {}),
        };
        return { kind: 'request', request };
      });
    },
  };
}

function checkHeader(obj: Record<string, unknown>): void {
  if (obj.type !== 'header' || obj.format !== AGENT_TRACE_FORMAT) {
    throw new FieldProblem(
      'type',
      `the first line must be the header {"type":"header","format":"${AGENT_TRACE_FORMAT}","version":${AGENT_TRACE_VERSION},...}`,
      'invalid-header',
    );
  }
  if (obj.version !== AGENT_TRACE_VERSION) {
    throw new FieldProblem(
      'version',
      `unsupported version ${show(obj.version)}; this reader knows ${AGENT_TRACE_VERSION}`,
      'invalid-header',
    );
  }
}

function checkSessionOrder(
  sessions: Map<string, { lastTurnIndex: number; lastArrivalSeconds: number }>,
  sessionId: string,
  turnIndex: number,
  arrivalSeconds: number,
): void {
  const prev = sessions.get(sessionId);
  if (prev !== undefined && turnIndex <= prev.lastTurnIndex) {
    throw new FieldProblem(
      'turnIndex',
      `must increase within session '${sessionId}': got ${turnIndex} after ${prev.lastTurnIndex}`,
    );
  }
  if (prev !== undefined && arrivalSeconds < prev.lastArrivalSeconds) {
    throw new FieldProblem(
      'arrivalSeconds',
      `${arrivalSeconds} is before turn ${prev.lastTurnIndex} of session '${sessionId}' (${prev.lastArrivalSeconds})`,
    );
  }
  sessions.set(sessionId, { lastTurnIndex: turnIndex, lastArrivalSeconds: arrivalSeconds });
}
