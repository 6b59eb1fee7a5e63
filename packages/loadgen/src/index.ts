// @oicf/loadgen: replays a request trace against an OpenAI-compatible router and records every
// request. Re-exports only; README.md says what each part owns.

export { ConcurrencyGate } from './concurrency-gate.js';
export {
  type ContextFit,
  contextFit,
  contextFitWarning,
  DEFAULT_OVERFLOW_SHARE,
  floorSignificant,
  maxContextFromWorkers,
  type OverflowPolicy,
  type OverflowVerdict,
  overflowVerdict,
  scaleKeepingShare,
  sequenceTokens,
} from './context-fit.js';
export { type DriverOptions, type DriverProgress, type DriverResult, runDriver } from './driver.js';
export { createHttpTarget, discoverModel, type HttpTargetOptions, trimSlash } from './http-target.js';
export {
  discoverScrapeTargets,
  type FetchText,
  fetchText,
  PeriodicScraper,
  poolScrapeTarget,
  type ScrapeOptions,
  scrapeTargets,
  workerScrapeTargets,
} from './metrics-scraper.js';
export { isFullOicfInfo, parseOicfInfo } from './oicf-info.js';
export { type PreparedTrace, type PrepareTraceResult, prepareTrace, type TraceOptions } from './prepare-trace.js';
export { formatProgressBar, formatProgressLine, type ProgressOptions, ProgressReporter } from './progress.js';
export { promptTokenIds } from './prompt-tokens.js';
export { RecordBuilder } from './record-builder.js';
export { replayReuseCeiling } from './replay-reuse-ceiling.js';
export { executeReplay, type ReplayRunInput } from './run-replay.js';
export { type SseEvent, SseParser } from './sse-parser.js';
export type { Target, TargetEvent, TargetRequest, TargetUsage } from './target.js';
