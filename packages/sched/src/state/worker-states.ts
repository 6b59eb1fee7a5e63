// Registry entries → the WorkerState values the routing policies decide on. Heartbeat numbers are
// combined with the router's own in-flight record (the larger of the two wins: a heartbeat is up to one
// interval old, the in-flight record misses work from other routers), and speeds not yet measured fall
// back to configured priors so the cost model never predicts a zero-time prefill.
import type { WorkerState } from '../types.js';
import type { InflightTracker } from './inflight.js';
import type { WorkerEntry, WorkerSpec, WorkerTable } from './worker-table.js';

export interface SpeedPriors {
  readonly prefillSecondsPerToken: number;
  readonly decodeStepSeconds: number;
}

export function workerState(
  entry: WorkerEntry<WorkerSpec>,
  healthy: boolean,
  inflight: InflightTracker,
  priors: SpeedPriors,
): WorkerState {
  const reg = entry.registration;
  const load = entry.load;
  const mine = inflight.get(reg.workerId);
  const numRunning = load?.numRunningSequences ?? 0;
  const numWaiting = Math.max(load?.numWaitingSequences ?? 0, mine.numSequences - numRunning);
  const capacity = load !== undefined && load.kvCapacityBytes > 0 ? load.kvCapacityBytes : reg.kvCapacityBytes;
  return {
    workerId: reg.workerId,
    role: reg.role,
    healthy,
    numRunning,
    numWaiting,
    numQueuedPrefillTokens: mine.prefillTokens,
    // The last report, less what finished since (a report is up to one heartbeat old), or what the
    // router itself has in flight there, whichever is more.
    kvBytesUsed: Math.max(
      Math.max(0, (load?.kvUsedBytes ?? 0) - inflight.releasedSinceReport(reg.workerId)),
      mine.kvBytes,
    ),
    kvBytesCapacity: capacity,
    maxBatch: reg.maxBatch,
    prefillFixedSeconds: load !== undefined && load.prefillSecondsPerToken > 0 ? load.prefillFixedSeconds : 0,
    prefillSecondsPerToken:
      load !== undefined && load.prefillSecondsPerToken > 0
        ? load.prefillSecondsPerToken
        : priors.prefillSecondsPerToken,
    decodeStepSeconds:
      load !== undefined && load.decodeStepSeconds > 0 ? load.decodeStepSeconds : priors.decodeStepSeconds,
  };
}

/** Every registered worker as a WorkerState, in worker-id order. */
export function workerStates<R extends WorkerSpec>(
  table: WorkerTable<R>,
  nowSeconds: number,
  inflight: InflightTracker,
  priors: SpeedPriors,
): WorkerState[] {
  return table.entries().map((e) => workerState(e, table.isHealthy(e, nowSeconds), inflight, priors));
}
