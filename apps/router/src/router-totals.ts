// Running totals of what the router counts, kept beside its Prometheus series so the dashboard
// (apps/router/src/dashboard) reads plain numbers instead of parsing its own /metrics page. Every map is
// keyed by a value from a closed set the code defines (HTTP/gRPC status, routing or reject reason, KV
// source), so none grows with traffic.

export interface FinishedTotals {
  readonly ttftSeconds: number;
  readonly interTokenSeconds: readonly number[];
  readonly e2eSeconds: number;
  readonly numPromptTokens: number;
  readonly numCompletionTokens: number;
  readonly numCachedTokens: number;
  readonly cacheSource: 'worker' | 'pool' | 'none';
}

export interface RouterTotalsSnapshot {
  readonly numFinished: number;
  readonly numPromptTokens: number;
  readonly numGenerationTokens: number;
  readonly ttftSecondsSum: number;
  readonly numInterTokenGaps: number;
  readonly interTokenSecondsSum: number;
  readonly e2eSecondsSum: number;
  /** Prompt tokens by where their KV came from: worker cache, pool, none (computed). */
  readonly promptTokensBySource: Readonly<Record<'worker' | 'pool' | 'none', number>>;
  readonly handledByStatus: Readonly<Record<string, number>>;
  readonly routedByReason: Readonly<Record<string, number>>;
  readonly rejectedByReason: Readonly<Record<string, number>>;
}

export interface RouterTotals {
  handled(status: string): void;
  routed(reason: string): void;
  rejected(reason: string): void;
  finished(o: FinishedTotals): void;
  /** A copy of the totals now. */
  snapshot(): RouterTotalsSnapshot;
}

export function routerTotals(): RouterTotals {
  let numFinished = 0;
  let numPromptTokens = 0;
  let numGenerationTokens = 0;
  let ttftSecondsSum = 0;
  let numInterTokenGaps = 0;
  let interTokenSecondsSum = 0;
  let e2eSecondsSum = 0;
  const bySource = { worker: 0, pool: 0, none: 0 };
  const handled = new Map<string, number>();
  const routed = new Map<string, number>();
  const rejected = new Map<string, number>();
  const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  return {
    handled: (status) => bump(handled, status),
    routed: (reason) => bump(routed, reason),
    rejected: (reason) => bump(rejected, reason),
    finished: (o) => {
      numFinished += 1;
      numPromptTokens += o.numPromptTokens;
      numGenerationTokens += o.numCompletionTokens;
      ttftSecondsSum += o.ttftSeconds;
      numInterTokenGaps += o.interTokenSeconds.length;
      for (const gap of o.interTokenSeconds) interTokenSecondsSum += gap;
      e2eSecondsSum += o.e2eSeconds;
      const cached = o.cacheSource === 'none' ? 0 : o.numCachedTokens;
      if (o.cacheSource !== 'none') bySource[o.cacheSource] += cached;
      bySource.none += o.numPromptTokens - cached;
    },
    snapshot: () => ({
      numFinished,
      numPromptTokens,
      numGenerationTokens,
      ttftSecondsSum,
      numInterTokenGaps,
      interTokenSecondsSum,
      e2eSecondsSum,
      promptTokensBySource: { ...bySource },
      handledByStatus: Object.fromEntries(handled),
      routedByReason: Object.fromEntries(routed),
      rejectedByReason: Object.fromEntries(rejected),
    }),
  };
}
