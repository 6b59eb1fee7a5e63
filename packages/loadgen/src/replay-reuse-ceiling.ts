import type { ReuseCeilingFigure } from '@oicf/report';
import { computeReuseCeiling, type TraceRequest } from '@oicf/traces';

/**
 * The reuse ceiling of a replay: what an unlimited prefix cache with the cluster's block size could serve
 * of the requests actually sent (after window and token scale), `computeReuseCeiling` of @oicf/traces
 * (docs/traces.md). The measured prefix-hit ratio can reach it but not pass it, so the report shows the two
 * side by side. Null when the requests carry no prefix information (e.g. Azure traces) or mix block sizes.
 */
export function replayReuseCeiling(
  requests: readonly TraceRequest[],
  clusterBlockTokens: number,
): ReuseCeilingFigure | null {
  const c = computeReuseCeiling(requests, clusterBlockTokens);
  if (!c.available) return null;
  return {
    blockTokens: c.blockTokens,
    numPromptTokens: c.numPromptTokens,
    numServedTokens: c.numServedTokens,
    ratio: c.ratio,
  };
}
