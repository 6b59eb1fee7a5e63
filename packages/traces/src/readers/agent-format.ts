import type { BlockHash } from '../types.js';

/**
 * The native agent-session trace (docs/traces.md): JSONL, a header line first, then one line per
 * turn (an LLM request). Turns of one session appear in turn order; sessions may interleave.
 *
 *   {"type":"header","format":"oicf-agent-trace","version":1,"blockTokens":512,...}
 *   {"type":"turn","sessionId":"coding-0000","turnIndex":0,"arrivalSeconds":3.2,"inputTokens":5321,...}
 */
export const AGENT_TRACE_FORMAT = 'oicf-agent-trace';
export const AGENT_TRACE_VERSION = 1;

export interface AgentTraceHeader {
  readonly type: 'header';
  readonly format: typeof AGENT_TRACE_FORMAT;
  readonly version: typeof AGENT_TRACE_VERSION;
  /** Tokens per entry of every turn's blockHashes; required when any turn has blockHashes. */
  readonly blockTokens?: number;
  /** Free-form provenance, e.g. "oicf trace synth --workflow coding --sessions 50 --seed 1". */
  readonly createdBy?: string;
  readonly workflow?: string;
  readonly seed?: number;
  readonly numSessions?: number;
  /** Parameters the generator used (echoed for provenance; readers ignore them). */
  readonly params?: Readonly<Record<string, unknown>>;
}

export interface AgentTurnRecord {
  readonly type: 'turn';
  readonly sessionId: string;
  /** 0-based; consecutive within a session. */
  readonly turnIndex: number;
  /** Optional explicit id; readers default to `<sessionId>/<turnIndex>`. */
  readonly requestId?: string;
  readonly workflow?: string;
  /** Seconds since the trace origin: when an open-loop replay sends this turn. */
  readonly arrivalSeconds: number;
  /** Whole prompt: previous context + previous output + newTokens (unless the agent compacted). */
  readonly inputTokens: number;
  /** Tokens added since the previous turn's completion (tool output, user text, screenshots). */
  readonly newTokens?: number;
  readonly outputTokens: number;
  /** Tool/think seconds between the previous turn's completion and this turn; absent on turn 0. */
  readonly gapAfterPreviousSeconds?: number;
  readonly numScreenshots?: number;
  /** Prefix-chained ids, ceil(inputTokens / header.blockTokens) of them. */
  readonly blockHashes?: readonly BlockHash[];
}

/** One JSONL line, keys in a fixed order so output is byte-stable. */
export function formatAgentHeader(header: Omit<AgentTraceHeader, 'type' | 'format' | 'version'>): string {
  return JSON.stringify({ type: 'header', format: AGENT_TRACE_FORMAT, version: AGENT_TRACE_VERSION, ...header });
}

/** One JSONL line; absent optional fields are omitted. */
export function formatAgentTurn(turn: Omit<AgentTurnRecord, 'type'>): string {
  const ordered: Record<string, unknown> = {
    type: 'turn',
    sessionId: turn.sessionId,
    turnIndex: turn.turnIndex,
    requestId: turn.requestId,
    workflow: turn.workflow,
    arrivalSeconds: turn.arrivalSeconds,
    inputTokens: turn.inputTokens,
    newTokens: turn.newTokens,
    outputTokens: turn.outputTokens,
    gapAfterPreviousSeconds: turn.gapAfterPreviousSeconds,
    numScreenshots: turn.numScreenshots,
    blockHashes: turn.blockHashes,
  };
  return JSON.stringify(ordered);
}
