// A small agent-session workload for tests of whole twin runs: sessions of turns whose prompt is the previous
// turn's plus a few new trace blocks (growing context), the first block shared by every `prefixes`-th session,
// output lengths and tool gaps varying with (session, turn) by the caller's rules. Deterministic: no randomness.
import type { TraceRequest } from '@oicf/traces';

export interface AgentSessionsShape {
  readonly sessions: number;
  readonly turns: number;
  /** Sessions s and s + prefixes share their first block. */
  readonly prefixes: number;
  /** Trace block ids from here on are new (below it: the shared first blocks). */
  readonly firstBlockId: number;
  readonly blocksPerTurn: number;
  readonly blockTokens: number;
  /** Session s's first turn arrives at s × this. */
  readonly sessionSpacingSeconds: number;
  /** Turn t arrives t × this after its session's first. */
  readonly turnSpacingSeconds: number;
  readonly outputTokens: (session: number, turn: number) => number;
  /** The tool gap before turn t ≥ 1 (closed loop). */
  readonly gapSeconds: (session: number, turn: number) => number;
}

export function agentSessions(o: AgentSessionsShape): TraceRequest[] {
  const out: TraceRequest[] = [];
  let next = o.firstBlockId;
  for (let s = 0; s < o.sessions; s++) {
    const ids: number[] = [s % o.prefixes];
    for (let t = 0; t < o.turns; t++) {
      for (let k = 0; k < o.blocksPerTurn; k++) ids.push(next++);
      out.push({
        requestId: `s${s}/${t}`,
        sessionId: `s${s}`,
        turnIndex: t,
        arrivalSeconds: s * o.sessionSpacingSeconds + t * o.turnSpacingSeconds,
        inputTokens: ids.length * o.blockTokens - 1,
        outputTokens: o.outputTokens(s, t),
        blockHashes: [...ids],
        blockTokens: o.blockTokens,
        ...(t > 0 ? { gapAfterPreviousSeconds: o.gapSeconds(s, t) } : {}),
      });
    }
  }
  return out;
}
