// The registry's state: registered workers, their last load, and their health, as plain values with time
// passed in (`nowSeconds`, the host's monotonic clock: the router's, or a simulator's virtual one), so every
// rule is testable without sleeping.
//
//   Register ──▶ healthy ──no heartbeat for timeoutSeconds──▶ unhealthy ──for dropSeconds──▶ dropped
//                   ▲  │ a call to it fails (markFailed)          │                        (Heartbeat → REREGISTER)
//                   └──┴──────────── next heartbeat ──────────────┘
//
// Generic over the registration record `R`: the decision code reads only the WorkerSpec fields; a host adds
// what it needs to reach the worker (the router: gRPC, WebSocket and HTTP addresses).
import type { WorkerRole } from '../types.js';

/** What routing and admission read of a worker's registration. */
export interface WorkerSpec {
  readonly workerId: string;
  readonly role: WorkerRole;
  readonly kvCapacityBytes: number;
  readonly maxBatch: number;
  /** Longest sequence it accepts (0 = not stated). */
  readonly maxContextTokens: number;
}

/** One heartbeat's load report (WorkerLoad in worker.proto). */
export interface WorkerLoadReport {
  readonly numRunningSequences: number;
  readonly numWaitingSequences: number;
  readonly kvUsedBytes: number;
  readonly kvCapacityBytes: number;
  /** 0 = not measured yet. */
  readonly prefillSecondsPerToken: number;
  /** Fitted fixed seconds of a prefill (0 = not measured, or a worker that does not report it). */
  readonly prefillFixedSeconds: number;
  /** 0 = not measured yet. */
  readonly decodeStepSeconds: number;
  readonly prefillIntensityFlopsPerByte: number;
  readonly decodeIntensityFlopsPerByte: number;
}

export interface WorkerEntry<R extends WorkerSpec = WorkerSpec> {
  readonly registration: R;
  readonly registeredAtSeconds: number;
  lastSeenSeconds: number;
  load: WorkerLoadReport | undefined;
  /** Set when a call to the worker failed; cleared by its next heartbeat. */
  failure: string | undefined;
}

export interface WorkerTableOptions {
  readonly timeoutSeconds: number;
  readonly dropSeconds: number;
}

export class WorkerTable<R extends WorkerSpec = WorkerSpec> {
  private readonly workers = new Map<string, WorkerEntry<R>>();
  /** entries() in worker-id order, rebuilt only when the set of workers changes (register, sweep):
   * every routed request reads it, heartbeats only mutate the entries in place. */
  private sorted: readonly WorkerEntry<R>[] | undefined;

  constructor(private readonly options: WorkerTableOptions) {}

  /**
   * Adds or replaces a worker (idempotent per worker id: a restarted worker re-registers with new
   * addresses). Returns whether the id was new and whether anything about it changed.
   */
  register(registration: R, nowSeconds: number): { isNew: boolean; changed: boolean } {
    const old = this.workers.get(registration.workerId);
    const changed = old === undefined || JSON.stringify(old.registration) !== JSON.stringify(registration);
    this.sorted = undefined;
    this.workers.set(registration.workerId, {
      registration,
      registeredAtSeconds: old !== undefined && !changed ? old.registeredAtSeconds : nowSeconds,
      lastSeenSeconds: nowSeconds,
      load: changed ? undefined : old?.load,
      failure: undefined,
    });
    return { isNew: old === undefined, changed };
  }

  /** Records a heartbeat; false when the worker is unknown (it must Register again). */
  heartbeat(workerId: string, load: WorkerLoadReport, nowSeconds: number): boolean {
    const entry = this.workers.get(workerId);
    if (entry === undefined) return false;
    entry.lastSeenSeconds = nowSeconds;
    entry.load = load;
    entry.failure = undefined;
    return true;
  }

  /** A call to the worker failed: unhealthy until its next heartbeat. */
  markFailed(workerId: string, reason: string): void {
    const entry = this.workers.get(workerId);
    if (entry !== undefined) entry.failure = reason;
  }

  isHealthy(entry: WorkerEntry<R>, nowSeconds: number): boolean {
    return entry.failure === undefined && nowSeconds - entry.lastSeenSeconds <= this.options.timeoutSeconds;
  }

  /** Drops workers silent for longer than dropSeconds; returns their ids. */
  sweep(nowSeconds: number): string[] {
    const dropped: string[] = [];
    for (const [id, entry] of this.workers) {
      if (nowSeconds - entry.lastSeenSeconds > this.options.dropSeconds) {
        this.workers.delete(id);
        this.sorted = undefined;
        dropped.push(id);
      }
    }
    return dropped;
  }

  get(workerId: string): WorkerEntry<R> | undefined {
    return this.workers.get(workerId);
  }

  /** Every worker, in worker-id order (a shared array: do not mutate; the entries are live). */
  entries(): readonly WorkerEntry<R>[] {
    this.sorted ??= [...this.workers.values()].sort((a, b) =>
      a.registration.workerId < b.registration.workerId
        ? -1
        : a.registration.workerId > b.registration.workerId
          ? 1
          : 0,
    );
    return this.sorted;
  }

  size(): number {
    return this.workers.size;
  }
}
