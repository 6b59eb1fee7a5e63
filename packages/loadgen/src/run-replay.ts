import { type ReplayMeta, type ReplayRun, replayMetricNames, type ScrapeTarget, TIMELINE_METRICS } from '@oicf/report';
import type { TraceRequest } from '@oicf/traces';
import type { Clock } from '@oicf/transport';
import { ClusterEventsReader } from './cluster-events.js';
import { runDriver } from './driver.js';
import { createHttpTarget, discoverModel } from './http-target.js';
import { PeriodicScraper, scrapeTargets } from './metrics-scraper.js';
import { ProgressReporter } from './progress.js';
import { promptTokenIds } from './prompt-tokens.js';
import { replayReuseCeiling } from './replay-reuse-ceiling.js';

/**
 * One replay against one router: find the model, scrape metrics before, replay (scraping the
 * timeline gauges every interval and drawing progress), scrape after. Never throws for request
 * failures (they are records); throws only when the router cannot be reached at all.
 */
export interface ReplayRunInput {
  readonly label: string;
  readonly routerUrl: string;
  readonly targetKind: 'url' | 'cluster';
  readonly scrapeTargets: readonly ScrapeTarget[];
  readonly requests: readonly TraceRequest[];
  readonly loop: 'open' | 'closed';
  readonly speed: number;
  readonly tokenScale: number;
  /** Tokens per KV block of the cluster replayed against: the reuse ceiling in the record is at this size. */
  readonly clusterBlockTokens: number;
  readonly concurrencyLimit: number | null;
  readonly model: string | null;
  readonly sessionTtlSeconds: number | null;
  readonly scrapeIntervalSeconds: number;
  readonly traceFile: string;
  readonly commandLine: string;
  readonly options: Readonly<Record<string, unknown>>;
  readonly clock: Clock;
  readonly signal: AbortSignal;
  readonly stderr: (text: string) => void;
  readonly isTty: boolean;
}

export async function executeReplay(input: ReplayRunInput): Promise<ReplayRun> {
  const { clock } = input;
  const model = input.model ?? (await discoverModel(input.routerUrl, input.signal));
  const allNames = replayMetricNames();
  const timelineNames = replayMetricNames(TIMELINE_METRICS);
  const events = new ClusterEventsReader(input.routerUrl);
  await events.start();
  const startedAtUnixMs = Date.now();
  const startedAtIso = new Date(startedAtUnixMs).toISOString();
  const before = input.scrapeTargets.length > 0 ? await scrapeTargets(input.scrapeTargets, 0, allNames) : null;

  const origin = clock.nowSeconds();
  const scraper = new PeriodicScraper(input.scrapeTargets, timelineNames, clock, origin, input.scrapeIntervalSeconds);
  const progress = new ProgressReporter({ write: input.stderr, isTty: input.isTty, clock, label: input.label });
  const ticker = new AbortController();
  const ticking = (async () => {
    for (;;) {
      try {
        await clock.sleep(input.isTty ? 0.25 : 1, ticker.signal);
      } catch {
        return;
      }
      progress.tick();
    }
  })();
  scraper.start();
  const target = createHttpTarget({
    baseUrl: input.routerUrl,
    model,
    clock,
    ...(input.sessionTtlSeconds !== null ? { sessionTtlSeconds: input.sessionTtlSeconds } : {}),
  });
  let result: Awaited<ReturnType<typeof runDriver>>;
  try {
    result = await runDriver({
      requests: input.requests,
      loop: input.loop,
      speed: input.speed,
      concurrencyLimit: input.concurrencyLimit,
      target,
      clock,
      signal: input.signal,
      toTargetRequest: (r) => ({
        requestId: r.requestId,
        promptTokenIds: promptTokenIds(r),
        // The API needs max_tokens ≥ 1; a trace row with 0 output tokens asks for one.
        maxTokens: Math.max(1, r.outputTokens),
        ...(r.sessionId !== undefined ? { sessionId: r.sessionId } : {}),
      }),
      onProgress: (p) => progress.update(p),
    });
  } finally {
    ticker.abort();
    await ticking;
    progress.finish();
  }
  const during = await scraper.stop();
  const after =
    input.scrapeTargets.length > 0
      ? await scrapeTargets(input.scrapeTargets, clock.nowSeconds() - origin, allNames)
      : null;
  const clusterEvents = await events.collect(startedAtUnixMs);
  const meta: ReplayMeta = {
    label: input.label,
    traceFile: input.traceFile,
    startedAtIso,
    commandLine: input.commandLine,
    targetKind: input.targetKind,
    routerUrl: input.routerUrl,
    model,
    loop: input.loop,
    speed: input.speed,
    tokenScale: input.tokenScale,
    concurrencyLimit: input.concurrencyLimit,
    options: input.options,
    reuseCeiling: replayReuseCeiling(input.requests, input.clusterBlockTokens),
  };
  return {
    meta,
    numPlanned: result.numPlanned,
    durationSeconds: result.durationSeconds,
    interrupted: result.interrupted,
    records: result.records,
    clientTimeline: result.clientTimeline,
    metrics: { targets: input.scrapeTargets, before, during, after },
    clusterEvents,
  };
}
