// The local cluster's service processes on the twin's shared host, each a main thread (ProcessCpu) charged
// by the host-cost model: the router, the load client, the kv-pool and every worker. Their idle use
// (`busyCores`) is a background demand on the host from the start.
import type { SimWorkerRole } from '../cluster/sim-cluster.js';
import type { DecodeCost, HostCost, PrefillCost } from '../host-cost/host-cost.js';
import type { NodeRef } from './fabric.js';
import type { HostCpu } from './host-cpu.js';
import { ProcessCpu } from './process-cpu.js';

export class HostProcesses {
  readonly router: ProcessCpu;
  readonly client: ProcessCpu;
  readonly pool: ProcessCpu;
  private readonly workers = new Map<string, { readonly cpu: ProcessCpu; readonly kind: 'prefill' | 'decode' }>();
  /** Σ busyCores of every process (the host's background demand). */
  readonly backgroundCores: number;

  constructor(
    host: HostCpu,
    readonly cost: HostCost,
    workers: readonly { readonly workerId: string; readonly role: SimWorkerRole }[],
    hasPool: boolean,
  ) {
    this.router = new ProcessCpu(host, 'router');
    this.client = new ProcessCpu(host, 'client');
    this.pool = new ProcessCpu(host, 'kv-pool', 'process:pool');
    let background = cost.router.busyCores + cost.client.busyCores + (hasPool ? cost.pool.busyCores : 0);
    for (const w of workers) {
      const kind = w.role === 'prefill' ? 'prefill' : 'decode';
      this.workers.set(w.workerId, { cpu: new ProcessCpu(host, w.workerId, `process:${kind}`), kind });
      background += cost[kind].busyCores;
    }
    this.backgroundCores = background;
    host.addBackground(background);
  }

  /** A worker's main thread (throws for an unknown worker: a design error). */
  worker(workerId: string): ProcessCpu {
    const w = this.workers.get(workerId);
    if (w === undefined) throw new Error(`no host process for worker ${workerId}`);
    return w.cpu;
  }

  /** A worker's costs (its kind's). */
  workerCost(workerId: string): PrefillCost | DecodeCost {
    const w = this.workers.get(workerId);
    if (w === undefined) throw new Error(`no host process for worker ${workerId}`);
    return this.cost[w.kind];
  }

  /** CPU seconds served per kind of process (main-thread work items; the background is apart). */
  chargedByKind(): Record<string, number> {
    const out: Record<string, number> = {
      router: this.router.chargedSeconds,
      client: this.client.chargedSeconds,
      pool: this.pool.chargedSeconds,
      prefill: 0,
      decode: 0,
    };
    for (const w of this.workers.values()) out[w.kind] = (out[w.kind] ?? 0) + w.cpu.chargedSeconds;
    return out;
  }
}

/** Of a handoff's per-byte CPU at the decode worker, the share spent on receiving it (the rest importing). */
export const HANDOFF_RECEIVE_SHARE = 0.5;

/**
 * Charges a KV transfer's CPU on the local host (host-cost model, per real byte): the sender's main thread
 * now (framing, checksums, copies), the receiver's when the bytes arrive (verify, import; not when
 * `arrivedSeconds` is undefined: the caller serves that work itself, e.g. a handoff acknowledged after its
 * import; nor the sender's when `from` is undefined: the caller's send cost covers it). It delays only what queues behind it on those threads: the transfer's own time is the KV link's.
 */
export function chargeTransfer(
  ctx: {
    readonly processes: HostProcesses | undefined;
    readonly queue: { at(t: number, fn: () => void): void };
    readonly cluster: { readonly host?: { readonly kvBytesPerToken: number } | undefined };
  },
  from: NodeRef | undefined,
  to: NodeRef,
  numTokens: number,
  arrivedSeconds: number | undefined,
): void {
  const p = ctx.processes;
  const bpt = ctx.cluster.host?.kvBytesPerToken;
  if (p === undefined || bpt === undefined || numTokens <= 0) return;
  const bytes = numTokens * bpt;
  const cpuOf = (n: NodeRef) => (n.kind === 'pool' ? p.pool : p.worker(n.workerId));
  const perByte = (n: NodeRef) =>
    n.kind === 'pool' ? p.cost.pool.secondsPerKvByte : p.workerCost(n.workerId).secondsPerKvByte;
  if (from !== undefined) cpuOf(from).charge(bytes * perByte(from));
  if (arrivedSeconds !== undefined) ctx.queue.at(arrivedSeconds, () => cpuOf(to).charge(bytes * perByte(to)));
}
