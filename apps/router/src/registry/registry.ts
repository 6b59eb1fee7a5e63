// The worker registry the router serves over gRPC (service Registry in worker.proto): Register validates
// and records a worker, Heartbeat updates its load (an unknown worker gets a REREGISTER directive), and a
// periodic sweep drops workers silent for too long. The worker table and what derives from it (in-flight
// record, prefix index) belong to admission (@oicf/sched); this class is their network side: the gRPC
// service, the sweep timer, and the log lines of every health transition.
import {
  type HeartbeatRequest__Output,
  type HeartbeatResponse,
  loadProto,
  type RegisterRequest__Output,
  type RegisterResponse,
  type RegistryHandlers,
} from '@oicf/proto';
import type { Admission, WorkerEntry, WorkerTable } from '@oicf/sched';
import { type Clock, defineService, OicfError, type ServiceRegistration } from '@oicf/transport';
import { checkRegistration } from '../core/registration.js';
import type { WorkerRegistration } from '../core/worker-registration.js';
import type { Logger } from '../logger.js';
import { WorkerEventLog } from './worker-events.js';

export interface RegistryOptions {
  readonly modelId: string;
  readonly mode: 'disaggregated' | 'colocated';
  readonly heartbeatIntervalSeconds: number;
  /** Owns the worker table (its timeouts are admission's `health` option). */
  readonly admission: Admission<WorkerRegistration>;
  readonly clock: Clock;
  readonly log: Logger;
  /** A worker was registered anew or came back changed (new address, capacity). */
  readonly onRegistered?: (registration: WorkerRegistration, previous: WorkerRegistration | undefined) => void;
  /** A worker was dropped after dropSeconds of silence. */
  readonly onDropped?: (registration: WorkerRegistration) => void;
}

export class WorkerRegistry {
  private sweepTimer: NodeJS.Timeout | undefined;
  /** Workers last seen unhealthy by the sweep, to log health transitions once. */
  private readonly unhealthy = new Set<string>();
  /** The health transitions below, with wall-clock times, for GET /v1/oicf/events (replay reports). */
  readonly events = new WorkerEventLog();

  constructor(private readonly options: RegistryOptions) {}

  get table(): WorkerTable<WorkerRegistration> {
    return this.options.admission.workers;
  }

  register(req: RegisterRequest__Output): RegisterResponse {
    const check = checkRegistration(req, { modelId: this.options.modelId, mode: this.options.mode });
    if (check.kind === 'invalid') {
      throw new OicfError('INVALID_ARGUMENT', `Register: ${check.message}`, { field: check.field });
    }
    if (check.kind === 'refused') {
      this.options.log.warn('worker_refused', { workerId: req.workerId, reason: check.reason });
      return { accepted: false, reason: check.reason, heartbeatIntervalSeconds: this.options.heartbeatIntervalSeconds };
    }
    const { isNew, changed, previous } = this.options.admission.register(
      check.registration,
      this.options.clock.nowSeconds(),
    );
    if (changed) {
      this.options.log.info('worker_registered', { ...check.registration, isNew });
      this.events.push(check.registration.workerId, 'registered', isNew ? 'new' : 'changed registration');
      this.options.onRegistered?.(check.registration, previous);
    }
    return { accepted: true, reason: '', heartbeatIntervalSeconds: this.options.heartbeatIntervalSeconds };
  }

  heartbeat(req: HeartbeatRequest__Output): HeartbeatResponse {
    const l = req.load;
    const known = this.options.admission.heartbeat(
      req.workerId,
      {
        numRunningSequences: l?.numRunningSequences ?? 0,
        numWaitingSequences: l?.numWaitingSequences ?? 0,
        kvUsedBytes: l?.kvUsedBytes ?? 0,
        kvCapacityBytes: l?.kvCapacityBytes ?? 0,
        prefillSecondsPerToken: l?.prefillSecondsPerToken ?? 0,
        prefillFixedSeconds: l?.prefillFixedSeconds ?? 0,
        decodeStepSeconds: l?.decodeStepSeconds ?? 0,
        prefillIntensityFlopsPerByte: l?.prefillIntensityFlopsPerByte ?? 0,
        decodeIntensityFlopsPerByte: l?.decodeIntensityFlopsPerByte ?? 0,
      },
      this.options.clock.nowSeconds(),
    );
    if (!known) {
      return {
        acknowledged: false,
        directives: [
          {
            kind: 'DIRECTIVE_KIND_REREGISTER',
            reason: `worker ${JSON.stringify(req.workerId)} is not registered here (router restarted or dropped it)`,
          },
        ],
        nextHeartbeatSeconds: this.options.heartbeatIntervalSeconds,
      };
    }
    return { acknowledged: true, directives: [], nextHeartbeatSeconds: this.options.heartbeatIntervalSeconds };
  }

  /** The gRPC service registration to serve on the router's gRPC port. */
  service(): ServiceRegistration {
    return defineService<RegistryHandlers>(loadProto().Registry.service, {
      Register: (req) => this.register(req),
      Heartbeat: (req) => this.heartbeat(req),
    });
  }

  isHealthy(entry: WorkerEntry<WorkerRegistration>): boolean {
    return this.table.isHealthy(entry, this.options.clock.nowSeconds());
  }

  /** True once at least one healthy decode-capable worker is registered (router readiness). */
  hasDecodeWorker(): boolean {
    return this.table.entries().some((e) => e.registration.role !== 'prefill' && this.isHealthy(e));
  }

  markFailed(workerId: string, reason: string): void {
    if (this.table.get(workerId) === undefined) return;
    this.options.admission.markFailed(workerId, reason);
    this.options.log.warn('worker_call_failed', { workerId, reason });
    this.events.push(workerId, 'call-failed', reason);
  }

  sweep(): void {
    const now = this.options.clock.nowSeconds();
    for (const e of this.table.entries()) {
      const id = e.registration.workerId;
      const healthy = this.table.isHealthy(e, now);
      if (healthy === !this.unhealthy.has(id)) continue;
      if (healthy) this.unhealthy.delete(id);
      else this.unhealthy.add(id);
      const fields = { workerId: id, silentSeconds: now - e.lastSeenSeconds, failure: e.failure ?? null };
      if (healthy) this.options.log.info('worker_healthy', fields);
      else this.options.log.warn('worker_unhealthy', fields);
      // A failed call was recorded when it failed; silence is recorded when the sweep notices it.
      if (healthy) this.events.push(id, 'healthy', '');
      else if (e.failure === undefined)
        this.events.push(id, 'heartbeat-timeout', `no heartbeat for ${fields.silentSeconds.toFixed(1)} s`);
    }
    for (const entry of this.options.admission.sweep(now)) {
      const id = entry.registration.workerId;
      this.unhealthy.delete(id);
      this.options.log.warn('worker_dropped', { workerId: id, silentSeconds: now - entry.lastSeenSeconds });
      this.events.push(id, 'dropped', `no heartbeat for ${(now - entry.lastSeenSeconds).toFixed(1)} s`);
      this.options.onDropped?.(entry.registration);
    }
  }

  /** Sweeps every `intervalSeconds` until stop() (the timer does not keep the process alive). */
  start(intervalSeconds: number): void {
    this.sweepTimer ??= setInterval(() => this.sweep(), intervalSeconds * 1000);
    this.sweepTimer.unref();
  }

  stop(): void {
    if (this.sweepTimer !== undefined) clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
  }
}
