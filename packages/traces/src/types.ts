/**
 * The one request shape every reader yields and every consumer (stats, replay,
 * synthesizers) works on. Times are seconds relative to the trace's origin
 * (Mooncake: timestamp 0; Azure: the first data row; native: the trace header).
 */
export interface TraceRequest {
  /** Unique within one trace. Mooncake/Azure: `req-<row>` (0-based data row); native, weka, copilot: `<sessionId>/<turnIndex>`. */
  readonly requestId: string;
  /**
   * Present for session-structured traces: the native format, kv-cache-tester (one per conversation
   * and per subagent), Copilot (one per session) and Mooncake lines carrying `session_id`.
   */
  readonly sessionId?: string;
  /** 0-based turn within the session. */
  readonly turnIndex?: number;
  /** Arrival time in seconds since the trace origin, ≥ 0. */
  readonly arrivalSeconds: number;
  /** Prompt tokens (the whole context sent with this request), ≥ 1. */
  readonly inputTokens: number;
  /** Generated tokens, ≥ 0 (Mooncake and Azure always have ≥ 1). */
  readonly outputTokens: number;
  /**
   * Prefix-chained block ids, one per `blockTokens` tokens of the prompt (the last block may be
   * partial): equal ids at position k mean equal first k+1 blocks. Length is
   * ceil(inputTokens / blockTokens). Absent when the trace carries no prefix information (Azure).
   * Copilot ids are synthesized from cached-token counts (readers/cached-prefix-blocks.ts).
   */
  readonly blockHashes?: readonly BlockHash[];
  /** Tokens per block of `blockHashes` (Mooncake: 512; weka: the trace's block_size; copilot: 64). Present exactly when blockHashes is. */
  readonly blockTokens?: number;
  /**
   * Closed-loop think/tool time: seconds between the completion of the session's previous turn and
   * the arrival of this one. Absent for the first turn and for traces without sessions.
   */
  readonly gapAfterPreviousSeconds?: number;
  /** Native format only: the workflow that produced the session (`coding`, `chat`, ...). */
  readonly workflow?: string;
  /** Native format only: tokens added since the previous turn's completion (tool output, user text, screenshots). */
  readonly newTokens?: number;
  /** Native format only: screenshots included in `newTokens`. */
  readonly numScreenshots?: number;
}

/** A block id as found in a trace: Mooncake and the native format use integers, scaled traces may add strings. */
export type BlockHash = number | string;

/**
 * Trace formats the readers understand. `agent` is the project's native agent-session JSONL;
 * `weka` the kv-cache-tester / agentic-coding-analysis Claude Code conversations; `copilot` the
 * GitHub Copilot coding-agent dataset 2026 (docs/traces.md §2).
 */
export type TraceFormat = 'mooncake' | 'azure' | 'agent' | 'weka' | 'copilot';

export const TRACE_FORMATS: readonly TraceFormat[] = ['mooncake', 'azure', 'agent', 'weka', 'copilot'];

/** Tokens per Mooncake `hash_ids` entry (FAST'25 trace README). */
export const MOONCAKE_BLOCK_TOKENS = 512;
