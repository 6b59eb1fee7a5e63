// How long a KV transfer takes in the twin. A transfer of n tokens between two nodes (a worker, the pool)
// has up to three legs, each queued on its own FIFO links:
//
//   target  the nodes' KV links (a worker's NIC or the emulated target's link), n × that link's bytes/token;
//   tier    a paced pool tier's read or write side (cxl, optical-pool), n × kvBytesPerToken;
//   host    the machine's loopback, shared by every transfer, n × the real bytes/token (local cluster only).
//
// `arrivedSeconds` is when the bytes are really there (the receiver can use them: a pool stores a put block,
// a decode worker holds a handoff): the host and tier legs on the local cluster, every leg on target
// hardware. `doneSeconds` is when the sender's call returns: also after the target leg, which a worker under
// emulation waits out (its pacer sleeps until the target link would have finished).
import type { SimCluster, SimLinkSpec, SimWorkerSpec } from '../cluster/sim-cluster.js';
import { FifoLink, transferOver } from './fifo-link.js';

export interface TransferTimes {
  readonly arrivedSeconds: number;
  readonly doneSeconds: number;
}

/** One node's two link directions (full duplex). */
interface NodeLinks {
  readonly spec: SimLinkSpec;
  readonly out: FifoLink;
  readonly in: FifoLink;
}

export type NodeRef = { readonly kind: 'worker'; readonly workerId: string } | { readonly kind: 'pool' };

export interface TransferRequest {
  readonly from: NodeRef;
  readonly to: NodeRef;
  readonly numTokens: number;
  readonly readySeconds: number;
  /** Bytes read from / written to pool tiers by this transfer (only paced tiers cost time). */
  readonly tierReads?: ReadonlyMap<string, number>;
  readonly tierWrites?: ReadonlyMap<string, number>;
}

function nodeLinks(name: string, spec: SimLinkSpec | undefined): NodeLinks | undefined {
  if (spec === undefined) return undefined;
  const queued = spec.sharing === 'fifo';
  return {
    spec,
    out: new FifoLink(`${name} out`, spec, queued),
    in: new FifoLink(`${name} in`, spec, queued),
  };
}

export class Fabric {
  private readonly workers = new Map<string, NodeLinks | undefined>();
  private readonly pool: NodeLinks | undefined;
  readonly loopback: FifoLink | undefined;

  constructor(
    private readonly cluster: SimCluster,
    private readonly tierLinks: {
      readonly read: ReadonlyMap<string, FifoLink>;
      readonly write: ReadonlyMap<string, FifoLink>;
    },
  ) {
    for (const w of cluster.workers) this.workers.set(w.workerId, nodeLinks(`worker ${w.workerId}`, w.link));
    this.pool = nodeLinks('pool', cluster.pool?.link);
    const host = cluster.host;
    this.loopback = host === undefined ? undefined : new FifoLink('loopback', host.loopback, true);
  }

  transfer(r: TransferRequest): TransferTimes {
    const ready = r.readySeconds;
    if (r.numTokens <= 0) return { arrivedSeconds: ready, doneSeconds: ready };
    const from = this.links(r.from);
    const to = this.links(r.to);
    // Target leg: the sender's out side and the receiver's in side, at the sender's bytes per token (its
    // pacer prices the emulated model's KV), else the receiver's.
    const path: FifoLink[] = [];
    if (from !== undefined) path.push(from.out);
    if (to !== undefined) path.push(to.in);
    const bytesPerToken = from?.spec.bytesPerToken ?? to?.spec.bytesPerToken ?? 0;
    const target = transferOver(path, ready, r.numTokens * bytesPerToken);
    let real = ready;
    for (const [tier, bytes] of r.tierReads ?? []) {
      const link = this.tierLinks.read.get(tier);
      if (link !== undefined) real = Math.max(real, transferOver([link], ready, bytes));
    }
    for (const [tier, bytes] of r.tierWrites ?? []) {
      const link = this.tierLinks.write.get(tier);
      if (link !== undefined) real = Math.max(real, transferOver([link], ready, bytes));
    }
    const host = this.cluster.host;
    if (host !== undefined && this.loopback !== undefined) {
      real = Math.max(real, transferOver([this.loopback], ready, r.numTokens * host.kvBytesPerToken));
      return { arrivedSeconds: real, doneSeconds: Math.max(real, target) };
    }
    const done = Math.max(real, target);
    return { arrivedSeconds: done, doneSeconds: done };
  }

  private links(node: NodeRef): NodeLinks | undefined {
    return node.kind === 'pool' ? this.pool : this.workers.get(node.workerId);
  }
}

/** The link spec of a worker (for callers that need its bytes per token). */
export function workerLinkBytesPerToken(w: SimWorkerSpec, fallback: number): number {
  return w.link?.bytesPerToken ?? fallback;
}
