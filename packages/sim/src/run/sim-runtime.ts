// One simulated cluster, assembled from a design: the pool, the transfer fabric, the workers, the router
// with every worker registered, and the heartbeat loops. Each worker heartbeats every
// `heartbeatIntervalSeconds` at its own phase (seeded), so what Admission sees of a worker is as stale as on
// the real cluster; a heartbeat's load is taken when it is sent and applied one message hop later.

import { checkSimCluster } from '../cluster/check-cluster.js';
import type { SimCluster } from '../cluster/sim-cluster.js';
import { EventQueue } from '../core/event-queue.js';
import { Fabric } from '../core/fabric.js';
import { HostCpu } from '../core/host-cpu.js';
import { HostProcesses } from '../core/host-processes.js';
import { hashString, mix32, type SimContext, unit } from '../core/sim-context.js';
import { SimPool } from '../pool/sim-pool.js';
import { registrationOf } from '../router/admission-host.js';
import { SimRouter } from '../router/sim-router.js';
import { SimDecodeWorker } from '../workers/decode-worker.js';
import { SimPrefillWorker } from '../workers/prefill-worker.js';

export class SimRuntime {
  readonly ctx: SimContext;
  readonly router: SimRouter;
  readonly decodeWorkers = new Map<string, SimDecodeWorker>();
  readonly prefillWorkers = new Map<string, SimPrefillWorker>();
  readonly numHeartbeats = { value: 0 };
  private stopped = false;

  constructor(
    readonly cluster: SimCluster,
    seed: number,
  ) {
    const problems = checkSimCluster(cluster);
    if (problems.length > 0) throw new Error(`invalid cluster design:\n  ${problems.join('\n  ')}`);
    const queue = new EventQueue();
    const pool =
      cluster.pool === undefined ? undefined : new SimPool(cluster.pool, cluster.blockTokens, cluster.kvBytesPerToken);
    const fabric = new Fabric(cluster, {
      read: pool?.tierReadLinks ?? new Map(),
      write: pool?.tierWriteLinks ?? new Map(),
    });
    const cores = cluster.host?.cores;
    const hostCpu = cores === undefined ? undefined : new HostCpu(queue, cores, cluster.host?.scheduling);
    const cost = cluster.host?.cost;
    this.ctx = {
      queue,
      cluster,
      fabric,
      pool,
      seed,
      rpcSeconds: cluster.host?.rpcSeconds ?? 0,
      hostCpu,
      processes:
        hostCpu === undefined || cost === undefined
          ? undefined
          : new HostProcesses(hostCpu, cost, cluster.workers, cluster.pool !== undefined),
    };
    for (const p of cluster.host?.foreignLoad ?? []) {
      if (hostCpu !== undefined) queue.at(p.atSeconds, () => hostCpu.setForeign(p.cores));
    }
    for (const w of cluster.workers) {
      if (w.role === 'prefill') continue;
      this.decodeWorkers.set(w.workerId, new SimDecodeWorker(this.ctx, w));
    }
    for (const w of cluster.workers) {
      if (w.role !== 'prefill') continue;
      this.prefillWorkers.set(w.workerId, new SimPrefillWorker(this.ctx, w, (id) => this.decodeWorkers.get(id)));
    }
    this.router = new SimRouter(
      this.ctx,
      { decode: this.decodeWorkers, prefill: this.prefillWorkers },
      cluster.host?.httpSeconds ?? 0,
    );
    // Registered (and heard from) before the run starts, as a launched cluster is before a replay.
    for (const w of cluster.workers) {
      this.router.admission.register(registrationOf(w), 0);
      this.router.admission.heartbeat(w.workerId, this.loadOf(w.workerId), 0);
    }
    const interval = cluster.router.heartbeatIntervalSeconds;
    for (const w of cluster.workers) {
      const phase = unit(mix32(hashString(w.workerId, seed), 1)) * interval;
      queue.at(phase, () => this.heartbeat(w.workerId, interval));
    }
  }

  /** Stops the heartbeat loops (the run is over: nothing else is scheduled). */
  stop(): void {
    this.stopped = true;
  }

  private heartbeat(workerId: string, interval: number): void {
    if (this.stopped) return;
    const load = this.loadOf(workerId);
    this.numHeartbeats.value++;
    const { queue } = this.ctx;
    queue.after(this.ctx.rpcSeconds, () => this.router.admission.heartbeat(workerId, load, queue.nowSeconds));
    queue.after(interval, () => this.heartbeat(workerId, interval));
  }

  private loadOf(workerId: string) {
    const d = this.decodeWorkers.get(workerId);
    if (d !== undefined) return d.load();
    const p = this.prefillWorkers.get(workerId);
    if (p === undefined) throw new Error(`no worker ${workerId}`);
    return p.load();
  }
}
