// The hand cluster (hand-cluster.ts) on one shared host, for the host-cost tests that derive their timings by hand:
// no HTTP or RPC latency, no per-worker links (KV moves over the loopback: instant unless a bandwidth is given),
// 1 KV byte per token, every step demanding 1 thread.

import type { StepTimeModel } from '@oicf/core';
import type { SimCluster } from '../cluster/sim-cluster.js';
import type { HostCost } from '../host-cost/host-cost.js';
import { HAND_CLUSTER, HAND_REQUESTS, HAND_STEPS } from './hand-cluster.js';

/** An emulated target 3× slower than the hand kernels: the pacer sleeps to it after the kernel. */
export const HAND_TARGET_3X: StepTimeModel = {
  kind: 'oicf',
  label: 'target',
  stepSeconds: (s) => 3 * HAND_STEPS.stepSeconds(s),
};

export interface HandHostOptions {
  /** Cores of the shared host (default 2). */
  readonly cores?: number;
  /** Workers paced to HAND_TARGET_3X, their kernels the hand steps (default false). */
  readonly emulated?: boolean;
  /** Loopback bandwidth for KV handoffs (default 1e15 B/s: instant). */
  readonly loopbackBytesPerSecond?: number;
}

export function handClusterOnHost(cost: HostCost, options: HandHostOptions = {}): SimCluster {
  const cores = options.cores ?? 2;
  const emulated = options.emulated ?? false;
  return {
    ...HAND_CLUSTER,
    workers: HAND_CLUSTER.workers.map((w) => ({
      ...w,
      link: undefined,
      ...(emulated ? { stepTime: HAND_TARGET_3X, computeTime: HAND_STEPS } : {}),
    })),
    host: {
      httpSeconds: 0,
      rpcSeconds: 0,
      loopback: { bandwidthBytesPerSecond: options.loopbackBytesPerSecond ?? 1e15, latencySeconds: 0 },
      kvBytesPerToken: 1,
      cores,
      threadsPerStep: 1,
      cost,
      label: `test host, ${cores} cores`,
    },
  };
}

const [R1] = HAND_REQUESTS;
if (R1 === undefined) throw new Error('hand requests missing');
/** The first hand request as A, at 0 s: 10 prompt tokens (blocks 1, 2, 3), 3 out. */
export const HAND_A = { ...R1, requestId: 'A', arrivalSeconds: 0 };
