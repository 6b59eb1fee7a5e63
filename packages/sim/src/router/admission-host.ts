// Building the router's Admission from a cluster design, as apps/router/src/server.ts builds it from the
// router config: the same options, the design's priors and transfer paths.
import { Admission, type RoutingPolicy, type WorkerSpec } from '@oicf/sched';
import type { SimCluster, SimWorkerSpec } from '../cluster/sim-cluster.js';

/** What a twin worker registers (the router's WorkerRegistration without addresses, plus a label). */
export interface SimRegistration extends WorkerSpec {
  readonly label: string;
}

export function newAdmission(cluster: SimCluster, policy: RoutingPolicy): Admission<SimRegistration> {
  const r = cluster.router;
  return new Admission<SimRegistration>({
    policy,
    mode: cluster.mode,
    blockTokens: cluster.blockTokens,
    kvBytesPerToken: cluster.kvBytesPerToken,
    priors: { prefillSecondsPerToken: r.priorPrefillSecondsPerToken, decodeStepSeconds: r.priorDecodeStepSeconds },
    heartbeatIntervalSeconds: r.heartbeatIntervalSeconds,
    health: { timeoutSeconds: r.workerTimeoutSeconds, dropSeconds: r.workerDropSeconds },
    transfer: { tierPaths: r.tierPaths, handoffPath: r.handoffPath, learn: r.learnTransferPaths },
  });
}

export function registrationOf(w: SimWorkerSpec): SimRegistration {
  return {
    workerId: w.workerId,
    role: w.role,
    kvCapacityBytes: w.kvCapacityBytes,
    maxBatch: w.maxBatch,
    maxContextTokens: w.maxContextTokens,
    label: w.label,
  };
}
