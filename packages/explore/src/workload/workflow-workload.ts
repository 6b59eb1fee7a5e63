// A workload from a catalog workflow (chat, coding, web-use, computer-use): the same sessions `oicf trace
// synth` writes, read back through the trace reader, so the explorer sees exactly what a replay would send.
import { getWorkflow, simulateSession, unwrap, type WorkflowSpec } from '@oicf/core';
import { formatAgentTrace, readTraceText, synthesizeAgentTrace, type TraceRequest } from '@oicf/traces';

export interface WorkflowWorkloadOptions {
  /** A catalog workflow id or a WorkflowSpec. */
  readonly workflow: string | WorkflowSpec;
  /** Session starts per second (Poisson). */
  readonly sessionsPerSecond: number;
  /** Sessions start over this many seconds: numSessions = round(rate × seconds), at least 1. */
  readonly durationSeconds: number;
  readonly seed: number;
  /** Tokens per block id (default 512, Mooncake's). */
  readonly blockTokens?: number;
  /**
   * Context cap of the sessions (an agent compacts its history to stay within its model's window): the
   * workflow's own cap, lowered to this when given (the CLI passes the model's window less the longest output).
   */
  readonly maxContextTokens?: number;
}

export interface WorkflowWorkload {
  readonly requests: TraceRequest[];
  /** `trace synth` arguments that write the same trace, for reports. */
  readonly synthCommand: string;
  readonly numSessions: number;
}

export function workflowWorkload(options: WorkflowWorkloadOptions): WorkflowWorkload {
  const base = typeof options.workflow === 'string' ? unwrap(getWorkflow(options.workflow)) : options.workflow;
  const cap = options.maxContextTokens;
  const workflow = cap !== undefined && cap < base.maxContextTokens ? { ...base, maxContextTokens: cap } : base;
  const numSessions = Math.max(1, Math.round(options.sessionsPerSecond * options.durationSeconds));
  const blockTokens = options.blockTokens ?? 512;
  const trace = synthesizeAgentTrace({
    workflow,
    simulateSession,
    numSessions,
    seed: options.seed,
    sessionsPerSecond: options.sessionsPerSecond,
    blockTokens,
  });
  const read = readTraceText(formatAgentTrace(trace));
  if (!read.ok) throw read.error;
  return {
    requests: read.requests,
    numSessions,
    synthCommand: `oicf trace synth --workflow ${workflow.id} --sessions ${numSessions} --seed ${options.seed} --rate ${options.sessionsPerSecond} --block-tokens ${blockTokens}${workflow === base ? '' : ` (context capped at ${workflow.maxContextTokens} tokens)`}`,
  };
}
