// Blocks a decode worker does not hold yet but will: a routed request is computing them (its prefill is in
// flight), and they land in that worker's local block cache when its prompt KV is present there (the router
// learns it from the request's first Decode chunk). Until then they are *pending*, never cached: a request
// that shares them can only reuse them by waiting for them (pending-cost.ts prices that), and the prefix
// index (prefix-index.ts) records them only once they land. A request that fails drops its claim.
//
// Per worker, block id → the requests computing it (usually one; two when a second request chose to
// recompute a prefix on the same worker). Each claim carries its request's expected landing time (the
// route's predicted TTFT, on the host's clock), so a block is ready at the earliest of its claims.
// Bounded by what is in flight: a claim lives from `add` (routing) to `take`/`drop` (landed or ended).

/** The leading pending run of a prompt on one worker, right after the blocks it already holds. */
export interface PendingRun {
  /** Pending blocks in the run (≥ 1). */
  readonly numBlocks: number;
  /** When the last of them is expected to land (host seconds): the latest of the blocks' earliest claims. */
  readonly readyAtSeconds: number;
  /** The request whose landing that is (the one a waiting request waits for). */
  readonly requestId: string;
}

interface Claim {
  readonly workerId: string;
  readonly blockIds: readonly string[];
  readonly readyAtSeconds: number;
}

export class PendingPrefixes {
  /** worker → block id → requests computing it. */
  private readonly byWorker = new Map<string, Map<string, Set<string>>>();
  private readonly claims = new Map<string, Claim>();

  /**
   * Request `requestId` computes `blockIds` on `workerId` (their KV lands there at `readyAtSeconds`). One
   * claim per request: a second `add` for the same id replaces the first.
   */
  add(requestId: string, workerId: string, blockIds: readonly string[], readyAtSeconds: number): void {
    this.drop(requestId);
    if (blockIds.length === 0) return;
    let blocks = this.byWorker.get(workerId);
    if (blocks === undefined) {
      blocks = new Map();
      this.byWorker.set(workerId, blocks);
    }
    for (const id of blockIds) {
      let holders = blocks.get(id);
      if (holders === undefined) {
        holders = new Set();
        blocks.set(id, holders);
      }
      holders.add(requestId);
    }
    this.claims.set(requestId, { workerId, blockIds: [...blockIds], readyAtSeconds });
  }

  /**
   * The run of `blockIds[fromBlock…]` pending on `workerId` (undefined when `blockIds[fromBlock]` is not).
   * `fromBlock` is where the worker's cached prefix ends: a pending run is only usable right after it.
   */
  leadingRun(workerId: string, blockIds: readonly string[], fromBlock: number): PendingRun | undefined {
    const blocks = this.byWorker.get(workerId);
    if (blocks === undefined) return undefined;
    let n = 0;
    let readyAtSeconds = Number.NEGATIVE_INFINITY;
    let requestId = '';
    for (let i = fromBlock; i < blockIds.length; i++) {
      const holders = blocks.get(blockIds[i] as string);
      if (holders === undefined) break;
      // The block is there once its first claim lands.
      let earliest: { at: number; id: string } | undefined;
      for (const id of holders) {
        const at = (this.claims.get(id) as Claim).readyAtSeconds;
        if (earliest === undefined || at < earliest.at) earliest = { at, id };
      }
      const e = earliest as { at: number; id: string };
      if (e.at > readyAtSeconds) {
        readyAtSeconds = e.at;
        requestId = e.id;
      }
      n++;
    }
    return n === 0 ? undefined : { numBlocks: n, readyAtSeconds, requestId };
  }

  /** The request's KV landed: its claim ends; returns where and which blocks (for the prefix index). */
  take(requestId: string): { workerId: string; blockIds: readonly string[] } | undefined {
    const claim = this.claims.get(requestId);
    if (claim === undefined) return undefined;
    this.drop(requestId);
    return { workerId: claim.workerId, blockIds: claim.blockIds };
  }

  /** The request ended without landing (failed, cancelled) or is accounted otherwise: its claim ends. */
  drop(requestId: string): void {
    const claim = this.claims.get(requestId);
    if (claim === undefined) return;
    this.claims.delete(requestId);
    const blocks = this.byWorker.get(claim.workerId);
    if (blocks === undefined) return;
    for (const id of claim.blockIds) {
      const holders = blocks.get(id);
      if (holders === undefined) continue;
      holders.delete(requestId);
      if (holders.size === 0) blocks.delete(id);
    }
    if (blocks.size === 0) this.byWorker.delete(claim.workerId);
  }

  /** Drops every claim on a worker (it restarted or was dropped: nothing in flight there will land). */
  forget(workerId: string): void {
    for (const [requestId, claim] of [...this.claims]) if (claim.workerId === workerId) this.drop(requestId);
  }

  /** Distinct pending blocks on a worker. */
  numBlocks(workerId: string): number {
    return this.byWorker.get(workerId)?.size ?? 0;
  }

  /** Requests with a claim. */
  get numRequests(): number {
    return this.claims.size;
  }
}
