// Small builders for sched tests (not exported from index.ts).
import type { RouteContext, RouteRequest, WorkerState } from './types.js';

export function worker(workerId: string, over: Partial<WorkerState> = {}): WorkerState {
  return {
    workerId,
    role: 'decode',
    healthy: true,
    numRunning: 0,
    numWaiting: 0,
    numQueuedPrefillTokens: 0,
    kvBytesUsed: 0,
    kvBytesCapacity: 1e9,
    maxBatch: 16,
    prefillFixedSeconds: 0.01,
    prefillSecondsPerToken: 1e-4,
    decodeStepSeconds: 0.02,
    ...over,
  };
}

export function request(over: Partial<RouteRequest> = {}): RouteRequest {
  const numPromptTokens = over.numPromptTokens ?? 1000;
  const blockTokens = over.blockTokens ?? 100;
  return {
    requestId: 'r1',
    numPromptTokens,
    maxOutputTokens: 100,
    blockIds: Array.from({ length: Math.floor(numPromptTokens / blockTokens) }, (_, i) => `b${i}`),
    blockTokens,
    kvBytesPerToken: 1000,
    workerPrefixBlocks: new Map(),
    poolPrefix: { numBlocks: 0, tierOfBlock: [] },
    ...over,
  };
}

export function context(workers: WorkerState[], over: Partial<RouteContext> = {}): RouteContext {
  return {
    workers,
    tierPaths: {
      dram: { bandwidthBytesPerSecond: 1e9, latencySeconds: 1e-3 },
      disk: { bandwidthBytesPerSecond: 1e8, latencySeconds: 1e-2 },
    },
    handoffPath: { bandwidthBytesPerSecond: 1e9, latencySeconds: 1e-4 },
    mode: 'disaggregated',
    ...over,
  };
}
