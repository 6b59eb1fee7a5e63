import type { ClusterMetricsSummary } from './cluster-metrics.js';

/** What `reuseFigures` reads of the client-side prefix summary (replay-summary.ts PrefixSummary). */
export interface ClientPrefix {
  readonly numPromptTokens: number;
  readonly numCachedTokens: number;
  readonly hitRatio: number | null;
}

/**
 * The reuse figures of a replay, each defined once (docs/metrics.md, "Reuse figures") and shown side by
 * side so a difference between them is a fact about the cluster, not about counting:
 *
 *   client   Σ usage.prompt_tokens_details.cached_tokens ÷ Σ prompt tokens, over ok requests (what the
 *            service told its clients; the measured hit ratio)
 *   workers  Σ prefix_reused_tokens ÷ Σ (prefix_reused + computed_tokens) over prefill and decode workers:
 *            the worker that prefills a request counts each of its prompt tokens once, so the denominator
 *            is the prompt tokens sent (recomputation after preemption or a handoff gap is counted apart)
 *   pool     Σ prefix_hit_blocks ÷ Σ prefix_queried_blocks at the pool: of the blocks the router asked
 *            about (once per routed prompt), the leading ones it held; a query that finds nothing is all
 *            misses. Blocks, not tokens, and only the pool: a prefix a decode worker held itself is a pool
 *            miss but a client hit.
 */
export interface ReuseFigure {
  readonly figure: 'client' | 'workers' | 'pool';
  readonly ratio: number | null;
  readonly numerator: number | null;
  readonly denominator: number | null;
  readonly unit: 'tokens' | 'blocks';
  /** What the two numbers are, in words. */
  readonly counts: string;
}

export function reuseFigures(prefix: ClientPrefix, cluster: ClusterMetricsSummary): ReuseFigure[] {
  const w = cluster.workerReuse;
  const reused = w === null ? null : w.bySource.reduce((a, r) => a + r.value, 0);
  const p = cluster.poolHits;
  return [
    {
      figure: 'client',
      ratio: prefix.hitRatio,
      numerator: prefix.numCachedTokens,
      denominator: prefix.numPromptTokens,
      unit: 'tokens',
      counts: 'cached tokens reported in usage ÷ prompt tokens sent (ok requests)',
    },
    {
      figure: 'workers',
      ratio: w?.hitRatio ?? null,
      numerator: reused,
      denominator: w?.countedPromptTokens ?? null,
      unit: 'tokens',
      counts: 'prompt tokens reused ÷ prompt tokens counted (reused + computed) by the worker that prefilled',
    },
    {
      figure: 'pool',
      ratio: p?.hitRatio ?? null,
      numerator: p?.totalHitBlocks ?? null,
      denominator: p?.totalQueriedBlocks ?? null,
      unit: 'blocks',
      counts: 'leading blocks the pool held ÷ blocks the router’s prefix queries asked for',
    },
  ];
}
