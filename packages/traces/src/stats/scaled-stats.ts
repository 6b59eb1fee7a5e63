import { scaleTrace, type TraceScaling } from '../transform/scale-trace.js';
import type { TraceRequest } from '../types.js';
import { type Distribution, summarize } from './distribution.js';
import { computeReuseCeiling, type ReuseCeilingResult } from './reuse-ceiling.js';

export interface ScaledStatsOptions {
  /** Input/output factors and mode, as `oicf replay --token-scale/--output-token-scale` apply them. Default 1, blocks. */
  readonly scaling?: TraceScaling;
  /** The serving cluster's KV block size in tokens, for the ceiling it can reach. */
  readonly blockTokens?: number;
}

/** The trace as a replay would send it after token scaling, and the reuse ceilings that go with it. */
export interface ScaledTraceStats {
  readonly inputFactor: number;
  readonly outputFactor: number;
  readonly inputTokens: Distribution | undefined;
  readonly outputTokens: Distribution | undefined;
  /** Outputs that became exactly 1 token though the trace asked for more. */
  readonly numOutputsBecameOne: number;
  /** Ceiling at the scaled trace's own block size (blocks mode: round(trace block × input factor) tokens). */
  readonly ceilingAtTraceBlocks: ReuseCeilingResult;
  /** Ceiling at `blockTokens` (the cluster's block), when given. */
  readonly ceilingAtBlockTokens?: ReuseCeilingResult;
}

export function computeScaledStats(requests: readonly TraceRequest[], options: ScaledStatsOptions): ScaledTraceStats {
  const scaled = scaleTrace(requests, options.scaling ?? { input: 1 });
  const traceBlockTokens = scaled.requests[0]?.blockTokens;
  return {
    inputFactor: scaled.inputFactor,
    outputFactor: scaled.outputFactor,
    inputTokens: summarize(scaled.requests.map((r) => r.inputTokens)),
    outputTokens: summarize(scaled.requests.map((r) => r.outputTokens)),
    numOutputsBecameOne: scaled.numOutputsBecameOne,
    ceilingAtTraceBlocks:
      traceBlockTokens === undefined
        ? computeReuseCeiling(scaled.requests, 1)
        : computeReuseCeiling(scaled.requests, traceBlockTokens),
    ...(options.blockTokens === undefined
      ? {}
      : { ceilingAtBlockTokens: computeReuseCeiling(scaled.requests, options.blockTokens) }),
  };
}
