import type { RunMetrics } from '../metrics-snapshot.js';
import type { ReplayMeta, ReplayRequestRecord, ReplayRun, RoutingInfo } from '../replay-record.js';

/** Test helpers: records and runs with every field defaulted, overridden per case. */

export function makeRouting(overrides: Partial<RoutingInfo> = {}): RoutingInfo {
  return {
    serverRequestId: null,
    policy: null,
    reason: null,
    prefillWorkerId: null,
    decodeWorkerId: null,
    cacheSource: null,
    numCachedTokens: null,
    predictedTtftSeconds: null,
    serverTtftSeconds: null,
    serverE2eSeconds: null,
    kvBytesMoved: null,
    queueSeconds: null,
    prefillSeconds: null,
    kvTransferSeconds: null,
    decodeSeconds: null,
    ...overrides,
  };
}

export function makeRecord(overrides: Partial<ReplayRequestRecord> = {}): ReplayRequestRecord {
  return {
    requestId: 'r',
    sessionId: null,
    turnIndex: null,
    scheduledSeconds: 0,
    sentSeconds: 0,
    slotWaitSeconds: 0,
    numInputTokens: 100,
    numOutputTokensRequested: 10,
    numOutputTokens: 10,
    numCachedTokens: null,
    ttftSeconds: 0.1,
    interTokenSeconds: [],
    tpotSeconds: 0.01,
    e2eSeconds: 0.19,
    finishedSeconds: 0.19,
    status: 'ok',
    httpStatus: 200,
    errorCode: null,
    errorMessage: null,
    routing: null,
    ...overrides,
  };
}

export const EMPTY_METRICS: RunMetrics = { targets: [], before: null, during: [], after: null };

export function makeMeta(overrides: Partial<ReplayMeta> = {}): ReplayMeta {
  return {
    label: 'run',
    traceFile: 'trace.jsonl',
    startedAtIso: '2025-01-01T00:00:00.000Z',
    commandLine: 'oicf replay trace.jsonl',
    targetKind: 'url',
    routerUrl: 'http://127.0.0.1:1',
    model: 'tiny-gqa',
    loop: 'open',
    speed: 1,
    tokenScale: 1,
    concurrencyLimit: null,
    options: {},
    ...overrides,
  };
}

export function makeRun(records: ReplayRequestRecord[], overrides: Partial<ReplayRun> = {}): ReplayRun {
  return {
    meta: makeMeta(),
    numPlanned: records.length,
    durationSeconds: 10,
    interrupted: false,
    records,
    clientTimeline: [],
    metrics: EMPTY_METRICS,
    ...overrides,
  };
}
