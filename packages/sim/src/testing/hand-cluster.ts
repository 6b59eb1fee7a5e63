// A small hand-checkable cluster for the twin's tests (three-requests.test.ts derives its timings by hand):
// one prefill worker p0, one decode worker d0, prefix-aware routing (always remote prefill), a dram pool,
// no host latencies. Steps: prefill of t new tokens 0.010 + 0.001·t s; a decode step of B sequences
// 0.005 + 0.001·B s. Each worker's KV link: 1 MB/s (1,000 B per token → 1 ms per token on the wire), 1 ms
// latency, one transfer at a time (FIFO) per direction. Blocks of 4 tokens.

import type { StepTimeModel } from '@oicf/core';
import type { TraceRequest } from '@oicf/traces';
import type { SimCluster, SimLinkSpec, SimWorkerSpec } from '../cluster/sim-cluster.js';

export const HAND_STEPS: StepTimeModel = {
  kind: 'oicf',
  label: 'hand model',
  stepSeconds: (s) => (s.phase === 'prefill' ? 0.01 + 0.001 * s.numNewTokens : 0.005 + 0.001 * s.contextTokens.length),
};
const link: SimLinkSpec = { bandwidthBytesPerSecond: 1e6, latencySeconds: 0.001, bytesPerToken: 1000, sharing: 'fifo' };
const worker = (workerId: string, role: 'prefill' | 'decode'): SimWorkerSpec => ({
  workerId,
  role,
  kvCapacityBytes: 1e6,
  maxBatch: 8,
  maxContextTokens: 0,
  maxPrefillTokensPerStep: 512,
  stepTime: HAND_STEPS,
  link,
  label: 'hand',
});
const path = { bandwidthBytesPerSecond: 1e9, latencySeconds: 0 };

export const HAND_CLUSTER: SimCluster = {
  kvBytesPerToken: 1000,
  blockTokens: 4,
  mode: 'disaggregated',
  sessionTtlSeconds: 0,
  router: {
    policy: 'prefix-aware',
    policyParams: {},
    heartbeatIntervalSeconds: 0.5,
    workerTimeoutSeconds: 3,
    workerDropSeconds: 30,
    priorPrefillSecondsPerToken: 1e-3,
    priorDecodeStepSeconds: 0.005,
    leaseTtlSeconds: 30,
    maxPromptTokens: 1000,
    handoffPath: path,
    tierPaths: { dram: path },
    learnTransferPaths: false,
  },
  workers: [worker('p0', 'prefill'), worker('d0', 'decode')],
  pool: {
    tiers: [{ id: 'dram', capacityBytes: 1e6, bandwidthBytesPerSecond: 1e9, latencySeconds: 0, paced: false }],
    policy: 'lru',
    recompute: { modelId: 'llama-3-8b', deviceId: 'h100', precision: 'bf16' },
    maxLeaseTtlSeconds: 300,
    link: undefined,
  },
  host: undefined,
};

// Trace blocks of 4 tokens align with the cluster's: R1 and R2 share their 2 full blocks (ids 1, 2); the
// third trace block (2 tokens) is partial, so R1 = [b1, b2] = R2 as far as full blocks go. R3 is R1 again.
const request = (requestId: string, arrivalSeconds: number, ids: number[], outputTokens: number): TraceRequest => ({
  requestId,
  arrivalSeconds,
  inputTokens: 10,
  outputTokens,
  blockHashes: ids,
  blockTokens: 4,
});
export const HAND_REQUESTS = [
  request('R1', 0, [1, 2, 3], 3),
  request('R2', 0, [1, 2, 4], 2),
  request('R3', 1, [1, 2, 3], 1),
];
